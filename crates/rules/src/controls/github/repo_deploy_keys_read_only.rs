//! `github.repo.deploy-keys-read-only`: deploy keys cannot push, unless the
//! policy allow-lists them.

use crate::{
    Context, Outcome, Resource,
    support::{Globs, each_repo, known},
};

/// One outcome per deploy key; one pass per repository without keys.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let allowed = cx.params.string_list("write_allowlist");
    let allow = Globs::new(allowed);
    each_repo(cx, |org, repo, out| {
        let Some(keys) = known(
            &repo.deploy_keys,
            out,
            || Resource::github_repo(&org.login, &repo.name),
            "the repository's deploy keys",
        ) else {
            return;
        };
        for key in keys {
            let resource = Resource::github_repo_part(
                &org.login,
                &repo.name,
                "deploy-key",
                &key.id,
                "GitHub deploy key",
            );
            let label = format!("{}/{}", repo.name, key.title);
            let outcome = if key.read_only {
                Outcome::pass(
                    resource,
                    format!("deploy key \"{}\" is read-only", key.title),
                )
            } else if allow.is_match(&label) {
                Outcome::pass(
                    resource,
                    format!(
                        "deploy key \"{}\" can push; allow-listed by the policy",
                        key.title
                    ),
                )
                .allowlisted("write_allowlist", allow.matching(&label))
            } else {
                Outcome::fail(
                    resource,
                    format!(
                        "deploy key \"{}\" can push: whoever holds it bypasses review",
                        key.title
                    ),
                )
            };
            out.push(outcome.with("read_only", key.read_only).with("key", label));
        }
    })
}
