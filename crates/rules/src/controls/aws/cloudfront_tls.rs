//! `aws.cloudfront.tls`: every enabled CloudFront distribution serves viewers
//! over HTTPS only, with TLS 1.2 or newer, and reaches its origins over
//! HTTPS.

use tenet_inventory::aws::Distribution;

use crate::{
    Context, Outcome, Resource,
    support::{each_account, known},
};

/// What a distribution does wrong, and what tenet could not judge.
#[derive(Default)]
struct Verdict {
    problems: Vec<String>,
    unknown: Vec<String>,
}

/// The TLS versions below 1.2 a viewer security policy accepts; `None` for
/// a TLS 1.2+ policy; `Err` for a policy tenet does not know (CloudFront's
/// list: "Supported protocols and ciphers between viewers and CloudFront").
fn weak_viewer_protocols(policy: &str) -> Result<Option<&'static str>, ()> {
    match policy {
        "SSLv3" => Ok(Some("SSLv3 and TLS 1.0")),
        "TLSv1" | "TLSv1_2016" => Ok(Some("TLS 1.0")),
        "TLSv1.1_2016" => Ok(Some("TLS 1.1")),
        policy if policy.starts_with("TLSv1.2_") || policy.starts_with("TLSv1.3_") => Ok(None),
        _ => Err(()),
    }
}

fn judge(distribution: &Distribution) -> Verdict {
    let mut verdict = Verdict::default();
    for behavior in &distribution.behaviors {
        match behavior.viewer_protocol_policy.as_str() {
            "https-only" | "redirect-to-https" => {}
            "allow-all" => verdict.problems.push(format!(
                "behavior `{}` serves viewers over HTTP (allow-all)",
                behavior.path_pattern
            )),
            other => verdict.unknown.push(format!(
                "behavior `{}` has the viewer protocol policy `{other}`, which tenet does not know",
                behavior.path_pattern
            )),
        }
    }
    if distribution.default_certificate {
        verdict.problems.push(
            "it uses the *.cloudfront.net certificate, whose security policy is always TLSv1 (TLS 1.0 accepted)"
                .to_owned(),
        );
    } else {
        match distribution.minimum_protocol_version.as_deref() {
            None => verdict
                .unknown
                .push("its viewer security policy was not given".to_owned()),
            Some(policy) => match weak_viewer_protocols(policy) {
                Ok(None) => {}
                Ok(Some(weak)) => verdict.problems.push(format!(
                    "its security policy {policy} accepts {weak} from viewers"
                )),
                Err(()) => verdict.unknown.push(format!(
                    "its security policy `{policy}` is one tenet does not know"
                )),
            },
        }
    }
    for origin in &distribution.origins {
        match (origin.kind.as_str(), origin.protocol_policy.as_deref()) {
            ("s3", _) => {}
            ("custom", Some("https-only" | "match-viewer")) => {}
            ("custom", Some("http-only")) => verdict
                .problems
                .push(format!("it reaches origin {} over HTTP only", origin.id)),
            ("vpc", _) => verdict.unknown.push(format!(
                "origin {} is a VPC origin, whose protocol policy is not read",
                origin.id
            )),
            (kind, policy) => verdict.unknown.push(format!(
                "origin {} ({kind}) has the protocol policy {policy:?}, which tenet does not know",
                origin.id
            )),
        }
        if origin
            .ssl_protocols
            .iter()
            .any(|protocol| protocol == "SSLv3")
        {
            verdict
                .problems
                .push(format!("it may reach origin {} with SSLv3", origin.id));
        }
    }
    verdict
}

/// One outcome per enabled distribution.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_account(cx, |account, out| {
        let Some(distributions) = known(
            &account.cloudfront_distributions,
            out,
            || Resource::aws_account(&account.account_id),
            "the account's CloudFront distributions",
        ) else {
            return;
        };
        // A disabled distribution serves nothing.
        for distribution in distributions.iter().filter(|d| d.enabled) {
            let resource = Resource::new(distribution.arn.clone(), "CloudFront distribution");
            let Verdict { problems, unknown } = judge(distribution);
            let name = &distribution.domain_name;
            out.push(if !problems.is_empty() {
                Outcome::fail(resource, format!("{name}: {}", problems.join("; ")))
                    .with("problems", problems)
            } else if !unknown.is_empty() {
                Outcome::unavailable(
                    resource,
                    "how the distribution is reached",
                    &unknown.join("; "),
                )
            } else {
                Outcome::pass(
                    resource,
                    format!(
                        "{name} serves HTTPS only, TLS 1.2+, and reaches its origins over HTTPS"
                    ),
                )
                .with(
                    "minimum_protocol_version",
                    distribution.minimum_protocol_version.clone(),
                )
                .with(
                    "viewer_protocol_policies",
                    distribution
                        .behaviors
                        .iter()
                        .map(|b| b.viewer_protocol_policy.clone())
                        .collect::<Vec<_>>(),
                )
            });
        }
    })
}

#[cfg(test)]
mod tests {
    use super::weak_viewer_protocols;

    #[test]
    fn viewer_security_policies_are_read_as_cloudfront_documents_them() {
        let cases = [
            ("SSLv3", Ok(Some("SSLv3 and TLS 1.0"))),
            ("TLSv1", Ok(Some("TLS 1.0"))),
            ("TLSv1_2016", Ok(Some("TLS 1.0"))),
            ("TLSv1.1_2016", Ok(Some("TLS 1.1"))),
            ("TLSv1.2_2018", Ok(None)),
            ("TLSv1.2_2019", Ok(None)),
            ("TLSv1.2_2021", Ok(None)),
            ("TLSv1.2_2025", Ok(None)),
            ("TLSv1.3_2025", Ok(None)),
            ("TLSv1.2", Err(())),
            ("", Err(())),
        ];
        for (policy, expected) in cases {
            assert_eq!(weak_viewer_protocols(policy), expected, "{policy}");
        }
    }
}
