//! End-to-end tests of the `tenet` binary: one test binary, one module per
//! command. Outputs are insta snapshots; the version is redacted.

mod aws;
mod aws_answers;
mod catalog;
mod changes;
mod custom;
mod demo;
mod deploy_paths;
mod deployments;
mod evaluate;
mod github;
mod github_rulesets;
mod github_scanning;
mod iam_policy;
mod init;
mod injection;
mod network;
mod oscal;
mod reports;
mod rewriting_proxy;
mod schema;
mod short_reports;

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The repository root: tests run there and name fixtures relative to it.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tenet` with an environment that cannot leak into results: no CI, colour,
/// GitHub, AWS or tenet variables; run from `dir`.
pub fn tenet_in(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("tenet").expect("tenet binary is built");
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        if key == "CI"
            || key == "NO_COLOR"
            || key == "CLICOLOR_FORCE"
            || key.starts_with("GITHUB_")
            || key.starts_with("GH_")
            || key.starts_with("AWS_")
            || key.starts_with("TENET_")
        {
            cmd.env_remove(key.as_ref());
        }
    }
    cmd.current_dir(dir);
    cmd
}

/// `tenet` run from the repository root.
pub fn tenet() -> Command {
    tenet_in(&root())
}

/// The outcome of a run: exit code, stdout, stderr.
pub struct Run {
    /// The exit code (-1 if killed by a signal).
    pub code: i32,
    /// Standard output, redacted.
    pub stdout: String,
    /// Standard error, redacted.
    pub stderr: String,
}

/// Runs a command to completion.
pub fn run(cmd: &mut Command) -> Run {
    let output = cmd.output().expect("tenet runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: redact(&String::from_utf8_lossy(&output.stdout)),
        stderr: redact(&String::from_utf8_lossy(&output.stderr)),
    }
}

/// Replaces the evaluating tenet's version, which changes every release.
pub fn redact(text: &str) -> String {
    let version = env!("CARGO_PKG_VERSION");
    text.replace(&format!("tenet {version} ·"), "tenet [VERSION] ·")
        .replace(
            &format!("\"tenet_version\": \"{version}\",\n  \"as_of\""),
            "\"tenet_version\": \"[VERSION]\",\n  \"as_of\"",
        )
        .replace(&format!("tenet {version}\n"), "tenet [VERSION]\n")
}
