//! `aws.elb.tls`: load balancers serve HTTP only to redirect to HTTPS, and
//! their TLS listeners refuse anything older than TLS 1.2.

use tenet_inventory::aws::Listener;

use crate::{
    Context, Outcome, Resource,
    support::{each_account, known},
};

/// One outcome per HTTP, HTTPS or TLS listener.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let extra = cx.params.string_list("allowed_ssl_policies");
    each_account(cx, |account, out| {
        let Some(balancers) = known(
            &account.load_balancers,
            out,
            || Resource::aws_account(&account.account_id),
            "the account's load balancers",
        ) else {
            return;
        };
        for lb in balancers {
            let Some(listeners) = known(
                &lb.listeners,
                out,
                || Resource::new(lb.arn.clone(), "load balancer"),
                "the load balancer's listeners",
            ) else {
                continue;
            };
            for listener in listeners {
                if let Some(outcome) = judge(listener, extra) {
                    out.push(outcome);
                }
            }
        }
    })
}

fn judge(listener: &Listener, extra: &[String]) -> Option<Outcome> {
    let resource = Resource::new(listener.arn.clone(), "load balancer listener");
    let protocol = listener.protocol.to_ascii_uppercase();
    let outcome = match protocol.as_str() {
        "HTTP" => {
            let redirects = !listener.default_actions.is_empty()
                && listener.default_actions.iter().all(|a| {
                    a.kind == "redirect"
                        && a.redirect_protocol
                            .as_deref()
                            .is_some_and(|p| p.eq_ignore_ascii_case("HTTPS"))
                });
            if redirects {
                Outcome::pass(
                    resource,
                    format!("HTTP on port {} only redirects to HTTPS", listener.port),
                )
            } else {
                Outcome::fail(
                    resource,
                    format!("HTTP on port {} serves traffic in clear", listener.port),
                )
            }
        }
        "HTTPS" | "TLS" => match listener.ssl_policy.as_deref() {
            Some(policy)
                if minimum_tls(policy).is_some_and(|v| v >= 12)
                    || extra.iter().any(|p| p == policy) =>
            {
                Outcome::pass(
                    resource,
                    format!("{protocol} on port {} uses {policy}", listener.port),
                )
            }
            Some(policy) => Outcome::fail(
                resource,
                format!(
                    "{protocol} on port {} uses {policy}, which accepts TLS older than 1.2",
                    listener.port
                ),
            ),
            None => Outcome::fail(
                resource,
                format!("{protocol} on port {} has no TLS policy", listener.port),
            ),
        },
        _ => return None,
    };
    Some(
        outcome
            .with("protocol", listener.protocol.as_str())
            .with("port", listener.port)
            .with("ssl_policy", listener.ssl_policy.clone()),
    )
}

/// The minimum TLS version (12 = 1.2) of an ELB security policy, from its
/// name; `None` for a policy tenet does not know (such as
/// `ELBSecurityPolicy-2016-08`, which accepts TLS 1.0).
fn minimum_tls(policy: &str) -> Option<u8> {
    const MARKERS: [(&str, u8); 8] = [
        ("TLS13-1-3", 13),
        ("TLS13-1-2", 12),
        ("TLS13-1-1", 11),
        ("TLS13-1-0", 10),
        ("TLS-1-2", 12),
        ("TLS-1-1", 11),
        ("FS-1-2", 12),
        ("FS-1-1", 11),
    ];
    MARKERS
        .iter()
        .find(|(marker, _)| policy.contains(marker))
        .map(|(_, version)| *version)
}

#[cfg(test)]
mod tests {
    use super::minimum_tls;

    #[test]
    fn tls_versions_from_policy_names() {
        assert_eq!(minimum_tls("ELBSecurityPolicy-TLS13-1-2-2021-06"), Some(12));
        assert_eq!(minimum_tls("ELBSecurityPolicy-TLS13-1-0-2021-06"), Some(10));
        assert_eq!(
            minimum_tls("ELBSecurityPolicy-TLS-1-2-Ext-2018-06"),
            Some(12)
        );
        assert_eq!(
            minimum_tls("ELBSecurityPolicy-FS-1-2-Res-2020-10"),
            Some(12)
        );
        assert_eq!(minimum_tls("ELBSecurityPolicy-2016-08"), None);
        assert_eq!(minimum_tls("ELBSecurityPolicy-FS-2018-06"), None);
    }
}
