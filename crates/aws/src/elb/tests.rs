//! Load balancer collection against `aws-smithy-mocks`: listeners read into
//! exact facts, and a denied call costs exactly its own facts.

use std::time::Duration;

use aws_sdk_elasticloadbalancingv2::{
    Client,
    config::retry::RetryConfig,
    error::ErrorMetadata,
    operation::{
        describe_listeners::{DescribeListenersError, DescribeListenersOutput},
        describe_load_balancer_attributes::{
            DescribeLoadBalancerAttributesError, DescribeLoadBalancerAttributesOutput,
        },
        describe_load_balancers::{DescribeLoadBalancersError, DescribeLoadBalancersOutput},
    },
    types::{
        Action, ActionTypeEnum, Listener as SdkListener, LoadBalancer as SdkLoadBalancer,
        LoadBalancerAttribute, LoadBalancerTypeEnum, ProtocolEnum, RedirectActionConfig,
        RedirectActionStatusCodeEnum,
    },
};
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use tenet_inventory::{
    Observed,
    aws::{Listener, ListenerAction, LoadBalancer},
};

use wiremock::{
    Mock, MockServer, ResponseTemplate,
    matchers::{method, path},
};

use super::collect_regions;
use crate::{s3::S3Clients, testing};

const WEB: &str =
    "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web/50dc6c495c0c9188";
const INTERNAL: &str = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/internal/6d0ecf831eec9f09";

fn listener_arn(balancer: &str, id: &str) -> String {
    format!("{}/{id}", balancer.replace(":loadbalancer/", ":listener/"))
}

fn balancer(arn: &str, name: &str) -> SdkLoadBalancer {
    SdkLoadBalancer::builder()
        .load_balancer_arn(arn)
        .load_balancer_name(name)
        .r#type(LoadBalancerTypeEnum::Application)
        .build()
}

/// `web` and `internal`, listed in that order (not by ARN).
fn balancers() -> DescribeLoadBalancersOutput {
    DescribeLoadBalancersOutput::builder()
        .load_balancers(balancer(WEB, "web"))
        .load_balancers(balancer(INTERNAL, "internal"))
        .build()
}

fn forward() -> Action {
    Action::builder()
        .r#type(ActionTypeEnum::Forward)
        .target_group_arn(
            "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web/73e2d6bc24d8a067",
        )
        .order(1)
        .build()
}

/// The listeners of `web`, listed out of port order: HTTPS:443 with an old
/// TLS policy, HTTP:80 redirecting to HTTPS, HTTP:8080 forwarding.
fn web_listeners() -> DescribeListenersOutput {
    DescribeListenersOutput::builder()
        .listeners(
            SdkListener::builder()
                .listener_arn(listener_arn(WEB, "443"))
                .load_balancer_arn(WEB)
                .port(443)
                .protocol(ProtocolEnum::Https)
                .ssl_policy("ELBSecurityPolicy-2016-08")
                .default_actions(forward())
                .build(),
        )
        .listeners(
            SdkListener::builder()
                .listener_arn(listener_arn(WEB, "80"))
                .load_balancer_arn(WEB)
                .port(80)
                .protocol(ProtocolEnum::Http)
                .default_actions(
                    Action::builder()
                        .r#type(ActionTypeEnum::Redirect)
                        .redirect_config(
                            RedirectActionConfig::builder()
                                .protocol("HTTPS")
                                .port("443")
                                .status_code(RedirectActionStatusCodeEnum::Http301)
                                .build(),
                        )
                        .order(1)
                        .build(),
                )
                .build(),
        )
        .listeners(
            SdkListener::builder()
                .listener_arn(listener_arn(WEB, "8080"))
                .load_balancer_arn(WEB)
                .port(8080)
                .protocol(ProtocolEnum::Http)
                .default_actions(forward())
                .build(),
        )
        .build()
}

fn internal_listeners() -> DescribeListenersOutput {
    DescribeListenersOutput::builder()
        .listeners(
            SdkListener::builder()
                .listener_arn(listener_arn(INTERNAL, "80"))
                .load_balancer_arn(INTERNAL)
                .port(80)
                .protocol(ProtocolEnum::Http)
                .default_actions(forward())
                .build(),
        )
        .build()
}

fn denied(message: &str) -> ErrorMetadata {
    ErrorMetadata::builder()
        .code("AccessDenied")
        .message(format!(
            "User: arn:aws:sts::111122223333:assumed-role/audit/tenet is not authorized to perform: {message}"
        ))
        .build()
}

fn describe_listeners_of(
    balancer: &'static str,
) -> aws_smithy_mocks::RuleBuilder<
    aws_sdk_elasticloadbalancingv2::operation::describe_listeners::DescribeListenersInput,
    DescribeListenersOutput,
    DescribeListenersError,
> {
    mock!(Client::describe_listeners)
        .match_requests(move |input| input.load_balancer_arn() == Some(balancer))
}

fn attributes(pairs: &[(&str, &str)]) -> DescribeLoadBalancerAttributesOutput {
    pairs
        .iter()
        .fold(
            DescribeLoadBalancerAttributesOutput::builder(),
            |output, (key, value)| {
                output.attributes(
                    LoadBalancerAttribute::builder()
                        .key(*key)
                        .value(*value)
                        .build(),
                )
            },
        )
        .build()
}

fn attributes_of(
    balancer: &'static str,
) -> aws_smithy_mocks::RuleBuilder<
    aws_sdk_elasticloadbalancingv2::operation::describe_load_balancer_attributes::DescribeLoadBalancerAttributesInput,
    DescribeLoadBalancerAttributesOutput,
    DescribeLoadBalancerAttributesError,
>{
    mock!(Client::describe_load_balancer_attributes)
        .match_requests(move |input| input.load_balancer_arn() == Some(balancer))
}

/// Both load balancers, their listeners and attributes answered (`web`
/// logs to `acme-lb-logs`, `internal` does not log), except what
/// `overrides` answer first.
fn client(overrides: Vec<Rule>) -> Client {
    let mut rules = overrides;
    rules.extend([
        mock!(Client::describe_load_balancers).then_output(balancers),
        describe_listeners_of(WEB).then_output(web_listeners),
        describe_listeners_of(INTERNAL).then_output(internal_listeners),
        attributes_of(WEB).then_output(|| {
            attributes(&[
                ("deletion_protection.enabled", "true"),
                ("access_logs.s3.enabled", "true"),
                ("access_logs.s3.bucket", "acme-lb-logs"),
                ("access_logs.s3.prefix", ""),
            ])
        }),
        attributes_of(INTERNAL).then_output(|| {
            attributes(&[
                ("access_logs.s3.enabled", "false"),
                ("access_logs.s3.bucket", ""),
            ])
        }),
    ]);
    // Standard retries, as in the IAM tests: the adaptive mode's rate
    // limiter waits on the mock's frozen clock.
    mock_client!(
        aws_sdk_elasticloadbalancingv2,
        RuleMode::MatchAny,
        &rules,
        |config| config.retry_config(
            RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(1))
        )
    )
}

/// A request whose query has `key` (S3's sub-resources: `?location`).
fn query_key(key: &'static str) -> impl Fn(&wiremock::Request) -> bool {
    move |request| request.url.query_pairs().any(|(name, _)| name == key)
}

/// The load balancers `client` serves in `us-east-1`, their access log
/// bucket `acme-lb-logs` served by S3 on a wiremock server: in `us-east-1`,
/// with a lifecycle that deletes `AWSLogs/` after 400 days.
async fn collect_us_east_1(client: Client) -> Observed<Vec<LoadBalancer>> {
    let s3 = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/acme-lb-logs/"))
        .and(query_key("location"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>"#,
        ))
        .mount(&s3)
        .await;
    Mock::given(method("GET"))
        .and(path("/acme-lb-logs/"))
        .and(query_key("lifecycle"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"<LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ID>logs</ID><Filter><Prefix>AWSLogs/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>400</Days></Expiration></Rule></LifecycleConfiguration>"#,
        ))
        .mount(&s3)
        .await;
    let s3 = S3Clients::new(&testing::sdk(&s3).await, true);
    collect_regions(
        &["us-east-1".to_owned()],
        |region| {
            assert_eq!(region, "us-east-1");
            client.clone()
        },
        &s3,
    )
    .await
}

fn action(kind: &str, redirect_protocol: Option<&str>) -> ListenerAction {
    ListenerAction {
        kind: kind.to_owned(),
        redirect_protocol: redirect_protocol.map(str::to_owned),
    }
}

fn internal() -> LoadBalancer {
    LoadBalancer {
        arn: INTERNAL.to_owned(),
        name: "internal".to_owned(),
        kind: "application".to_owned(),
        listeners: Observed::Known(vec![Listener {
            arn: listener_arn(INTERNAL, "80"),
            port: 80,
            protocol: "HTTP".to_owned(),
            ssl_policy: None,
            default_actions: vec![action("forward", None)],
        }]),
        access_logs: Observed::Known(None),
        access_log_retention_days: Observed::Known(None),
    }
}

#[tokio::test]
async fn listeners_are_read_into_exact_facts_sorted_by_port() {
    let balancers = collect_us_east_1(client(vec![])).await;
    let web = LoadBalancer {
        arn: WEB.to_owned(),
        name: "web".to_owned(),
        kind: "application".to_owned(),
        listeners: Observed::Known(vec![
            Listener {
                arn: listener_arn(WEB, "80"),
                port: 80,
                protocol: "HTTP".to_owned(),
                ssl_policy: None,
                default_actions: vec![action("redirect", Some("HTTPS"))],
            },
            Listener {
                arn: listener_arn(WEB, "443"),
                port: 443,
                protocol: "HTTPS".to_owned(),
                ssl_policy: Some("ELBSecurityPolicy-2016-08".to_owned()),
                default_actions: vec![action("forward", None)],
            },
            Listener {
                arn: listener_arn(WEB, "8080"),
                port: 8080,
                protocol: "HTTP".to_owned(),
                ssl_policy: None,
                default_actions: vec![action("forward", None)],
            },
        ]),
        access_logs: Observed::Known(Some("acme-lb-logs".to_owned())),
        access_log_retention_days: Observed::Known(Some(400)),
    };
    // Sorted by ARN: `app/internal/…` before `app/web/…`.
    assert_eq!(balancers, Observed::Known(vec![internal(), web]));
}

#[tokio::test]
async fn denied_listeners_cost_only_that_load_balancers_listeners() {
    let rule = describe_listeners_of(WEB).then_error(|| {
        DescribeListenersError::generic(denied("elasticloadbalancing:DescribeListeners"))
    });
    let balancers = collect_us_east_1(client(vec![rule])).await;
    let web = LoadBalancer {
        arn: WEB.to_owned(),
        name: "web".to_owned(),
        kind: "application".to_owned(),
        listeners: Observed::unavailable(
            "access denied: needs elasticloadbalancing:DescribeListeners",
        ),
        access_logs: Observed::Known(Some("acme-lb-logs".to_owned())),
        access_log_retention_days: Observed::Known(Some(400)),
    };
    assert_eq!(balancers, Observed::Known(vec![internal(), web]));
}

#[tokio::test]
async fn denied_load_balancers_make_the_list_unavailable() {
    let rule = mock!(Client::describe_load_balancers).then_error(|| {
        DescribeLoadBalancersError::generic(denied("elasticloadbalancing:DescribeLoadBalancers"))
    });
    let listeners = describe_listeners_of(WEB).then_output(web_listeners);
    let balancers = collect_us_east_1(client(vec![rule, listeners.clone()])).await;
    assert_eq!(
        balancers,
        Observed::unavailable(
            "us-east-1: access denied: needs elasticloadbalancing:DescribeLoadBalancers"
        )
    );
    assert_eq!(listeners.num_calls(), 0, "no listener is asked for");
}

#[tokio::test]
async fn an_answer_without_its_list_is_unavailable_never_no_load_balancer() {
    let lost = mock!(Client::describe_load_balancers)
        .then_output(|| DescribeLoadBalancersOutput::builder().build());
    assert_eq!(
        collect_us_east_1(client(vec![lost])).await,
        Observed::unavailable(
            "us-east-1: elasticloadbalancing:DescribeLoadBalancers answered without LoadBalancers"
        )
    );
}

#[tokio::test]
async fn a_listener_answer_that_lost_its_list_or_a_protocol_is_unavailable() {
    let no_list =
        describe_listeners_of(WEB).then_output(|| DescribeListenersOutput::builder().build());
    let no_protocol = describe_listeners_of(INTERNAL).then_output(|| {
        DescribeListenersOutput::builder()
            .listeners(
                SdkListener::builder()
                    .listener_arn(listener_arn(INTERNAL, "80"))
                    .port(80)
                    .default_actions(forward())
                    .build(),
            )
            .build()
    });
    let balancers = collect_us_east_1(client(vec![no_list, no_protocol])).await;
    let listeners: Vec<Observed<Vec<Listener>>> = balancers
        .known()
        .map(|all| all.iter().map(|b| b.listeners.clone()).collect())
        .unwrap_or_default();
    assert_eq!(
        listeners,
        vec![
            Observed::unavailable(
                "elasticloadbalancing:DescribeListeners listed a listener without its ListenerArn, Port or Protocol"
            ),
            Observed::unavailable(
                "elasticloadbalancing:DescribeListeners answered without Listeners"
            ),
        ]
    );
}

#[tokio::test]
async fn access_logs_that_cannot_be_read_are_unavailable_never_off() {
    let cases: Vec<(Rule, Observed<Option<String>>)> = vec![
        (
            attributes_of(WEB).then_error(|| {
                DescribeLoadBalancerAttributesError::generic(denied(
                    "elasticloadbalancing:DescribeLoadBalancerAttributes",
                ))
            }),
            Observed::unavailable(
                "access denied: needs elasticloadbalancing:DescribeLoadBalancerAttributes",
            ),
        ),
        (
            attributes_of(WEB)
                .then_output(|| DescribeLoadBalancerAttributesOutput::builder().build()),
            Observed::unavailable(
                "elasticloadbalancing:DescribeLoadBalancerAttributes answered without Attributes",
            ),
        ),
        (
            attributes_of(WEB)
                .then_output(|| attributes(&[("deletion_protection.enabled", "true")])),
            Observed::unavailable(
                "elasticloadbalancing:DescribeLoadBalancerAttributes answered without \
                 access_logs.s3.enabled",
            ),
        ),
        (
            attributes_of(WEB).then_output(|| attributes(&[("access_logs.s3.enabled", "true")])),
            Observed::unavailable(
                "elasticloadbalancing:DescribeLoadBalancerAttributes answered access logs on \
                 without access_logs.s3.bucket",
            ),
        ),
    ];
    for (rule, expected) in cases {
        let balancers = collect_us_east_1(client(vec![rule])).await;
        let balancers = balancers.known().expect("balancers listed");
        assert_eq!(
            balancers[0],
            internal(),
            "the other load balancer is untouched"
        );
        assert_eq!(balancers[1].access_logs, expected);
        assert_eq!(
            balancers[1].access_log_retention_days,
            expected.map(|_| None),
            "the retention of logs not read is not known either"
        );
    }
}
