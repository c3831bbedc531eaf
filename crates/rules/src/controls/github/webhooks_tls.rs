//! `github.webhooks.tls`: every organization and repository webhook delivers
//! over HTTPS with certificate verification.

use tenet_inventory::github::Webhook;

use crate::{
    Context, Outcome, Resource,
    support::{each_org, each_repo, known},
};

/// One outcome per organization and repository webhook.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let mut outcomes = each_org(cx, |org, out| {
        let Some(hooks) = known(
            &org.webhooks,
            out,
            || Resource::github_org(&org.login),
            "the organization's webhooks",
        ) else {
            return;
        };
        for hook in hooks {
            let resource = Resource::github_org_part(
                &org.login,
                "webhook",
                &hook.id.to_string(),
                "GitHub organization webhook",
            );
            out.push(judge(resource, hook));
        }
    });
    outcomes.extend(each_repo(cx, |org, repo, out| {
        let Some(hooks) = known(
            &repo.webhooks,
            out,
            || Resource::github_repo(&org.login, &repo.name),
            "the repository's webhooks",
        ) else {
            return;
        };
        for hook in hooks {
            let resource = Resource::github_repo_part(
                &org.login,
                &repo.name,
                "webhook",
                &hook.id.to_string(),
                "GitHub repository webhook",
            );
            out.push(judge(resource, hook));
        }
    }));
    outcomes
}

fn judge(resource: Resource, hook: &Webhook) -> Outcome {
    let https = hook.url.to_ascii_lowercase().starts_with("https://");
    let outcome = match (https, hook.insecure_ssl) {
        (true, false) => Outcome::pass(resource, format!("{} uses verified HTTPS", hook.url)),
        (false, _) => Outcome::fail(
            resource,
            format!(
                "{} is not HTTPS: payloads and their secret travel in clear",
                hook.url
            ),
        ),
        (true, true) => Outcome::fail(
            resource,
            format!("{} skips TLS certificate verification", hook.url),
        ),
    };
    outcome
        .with("url", hook.url.as_str())
        .with("insecure_ssl", hook.insecure_ssl)
}
