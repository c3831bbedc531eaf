//! Custom controls: the directories a policy (`control_paths`) and the
//! command line (`--control-path`) name, loaded into the catalog.

use std::{
    fmt,
    path::{Path, PathBuf},
    sync::Arc,
};

use tenet_rules::{Catalog, catalog};

/// Every problem of the custom controls: nothing is evaluated.
#[derive(Debug)]
pub struct CustomControlErrors(pub Vec<tenet_rego::Diagnostic>);

impl fmt::Display for CustomControlErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.0.len();
        write!(
            f,
            "{count} problem{} in the custom controls",
            if count == 1 { "" } else { "s" }
        )?;
        for diagnostic in &self.0 {
            write!(f, "\n{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CustomControlErrors {}

/// The built-in catalog with the custom controls of `in_policy` (relative
/// to `policy_dir`) and `extra` (relative to the working directory).
pub fn catalog_with(
    policy_dir: &Path,
    in_policy: &[String],
    extra: &[PathBuf],
) -> anyhow::Result<Arc<Catalog>> {
    let dirs: Vec<PathBuf> = in_policy
        .iter()
        .map(|path| policy_dir.join(path))
        .chain(extra.iter().cloned())
        .collect();
    if dirs.is_empty() {
        return Ok(Arc::new(catalog().clone()));
    }
    let controls = tenet_rego::load(&dirs).map_err(CustomControlErrors)?;
    let catalog = catalog()
        .with(controls)
        .map_err(|id| anyhow::anyhow!("the custom control `{id}` is given twice"))?;
    Ok(Arc::new(catalog))
}

/// The catalog with the custom controls of ./tenet.toml's `control_paths`
/// (if the file exists) and of `extra`: what `controls` and `explain` show.
pub fn catalog_here(extra: &[PathBuf]) -> anyhow::Result<Arc<Catalog>> {
    catalog_with(Path::new("."), &control_paths_here()?, extra)
}

/// The `control_paths` of ./tenet.toml; none without the file.
fn control_paths_here() -> anyhow::Result<Vec<String>> {
    let policy = Path::new("tenet.toml");
    Ok(if policy.is_file() {
        tenet_engine::Policy::control_paths_of(&std::fs::read_to_string(policy)?)
    } else {
        Vec::new()
    })
}

/// `tenet test`: runs the tests, prints one line per test and a summary.
pub fn test(args: &crate::cli::TestArgs) -> anyhow::Result<u8> {
    let dirs = if args.dirs.is_empty() {
        default_dirs()?
    } else {
        args.dirs.clone()
    };
    let results = tenet_rego::run_tests(&dirs).map_err(CustomControlErrors)?;
    let mut text = String::new();
    let mut failed = 0;
    for result in &results {
        let file = result.file.display();
        let rule = result.rule.trim_start_matches("data.");
        match &result.outcome {
            tenet_rego::TestOutcome::Pass => text.push_str(&format!("PASS   {file}: {rule}\n")),
            tenet_rego::TestOutcome::Fail => {
                failed += 1;
                text.push_str(&format!("FAIL   {file}: {rule}\n"));
            }
            tenet_rego::TestOutcome::Error(why) => {
                failed += 1;
                text.push_str(&format!("ERROR  {file}: {rule}: {why}\n"));
            }
        }
    }
    if results.is_empty() {
        text.push_str("no test: no `test_*` rule in a `*_test.rego` file of ");
        text.push_str(
            &dirs
                .iter()
                .map(|dir| dir.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
        );
        text.push('\n');
    } else {
        text.push_str(&format!(
            "{} passed, {failed} failed\n",
            results.len() - failed
        ));
    }
    crate::output::emit(&text, None)?;
    Ok(u8::from(failed > 0 || results.is_empty()))
}

/// The `control_paths` of ./tenet.toml, else the current directory.
fn default_dirs() -> anyhow::Result<Vec<PathBuf>> {
    let paths = control_paths_here()?;
    if paths.is_empty() {
        return Ok(vec![PathBuf::from(".")]);
    }
    Ok(paths.iter().map(PathBuf::from).collect())
}
