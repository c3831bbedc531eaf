//! Lambda functions and the execution role each runs as: one list call per
//! region (per 50 functions).

use aws_sdk_lambda::Client;
use tenet_inventory::{Observed, aws::LambdaFunction};

use crate::{error::reason, pages::PageToken};

/// The largest page `ListFunctions` serves.
const PAGE: i32 = 50;

/// The region's functions (their unpublished versions, which an update of
/// the code or configuration changes), sorted by name. A function without
/// its name, ARN or role could run as any role: leaving it out would
/// shorten the list.
pub(crate) async fn functions(client: &Client) -> Observed<Vec<LambdaFunction>> {
    const CALL: &str = "lambda:ListFunctions";
    let mut pages = client
        .list_functions()
        .max_items(PAGE)
        .into_paginator()
        .send();
    let mut functions = Vec::new();
    let mut token = PageToken::default();
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            Err(err) => return Observed::unavailable(reason(CALL, &err)),
        };
        token.saw(page.next_marker());
        let Some(listed) = &page.functions else {
            return Observed::unavailable(format!("{CALL} answered without Functions"));
        };
        for function in listed {
            let Some(name) = function.function_name().filter(|name| !name.is_empty()) else {
                return Observed::unavailable(format!("{CALL} listed a function without its name"));
            };
            let (Some(arn), Some(role)) = (
                function.function_arn().filter(|arn| !arn.is_empty()),
                function.role().filter(|role| !role.is_empty()),
            ) else {
                return Observed::unavailable(format!(
                    "{CALL} listed function {name} without its FunctionArn or Role"
                ));
            };
            functions.push(LambdaFunction {
                name: name.to_owned(),
                arn: arn.to_owned(),
                role: role.to_owned(),
            });
        }
    }
    if let Some(cut) = token.cut_short(CALL) {
        return Observed::unavailable(cut);
    }
    functions.sort_by(|a, b| a.name.cmp(&b.name));
    Observed::Known(functions)
}

#[cfg(test)]
mod tests {
    use wiremock::{
        Mock, MockServer, ResponseTemplate,
        matchers::{method, path, query_param, query_param_is_missing},
    };

    use super::*;
    use crate::testing::sdk;

    fn function(name: &str, role: &str) -> String {
        format!(
            r#"{{"FunctionName":"{name}","FunctionArn":"arn:aws:lambda:us-east-1:111122223333:function:{name}","Runtime":"python3.12","Role":"{role}","Handler":"app.handler"}}"#
        )
    }

    async fn listed(pages: &[(Option<&str>, u16, String)]) -> Observed<Vec<LambdaFunction>> {
        let server = MockServer::start().await;
        for (marker, status, body) in pages {
            let mock = Mock::given(method("GET")).and(path("/2015-03-31/functions"));
            let mock = match marker {
                Some(marker) => mock.and(query_param("Marker", *marker)),
                None => mock.and(query_param_is_missing("Marker")),
            };
            // Lambda names its error in a header, as AWS's REST-JSON
            // services do.
            let mut answer =
                ResponseTemplate::new(*status).set_body_raw(body.clone(), "application/json");
            if *status == 403 {
                answer = answer.insert_header("x-amzn-ErrorType", "AccessDeniedException");
            }
            mock.respond_with(answer).mount(&server).await;
        }
        functions(&Client::new(&sdk(&server).await)).await
    }

    #[tokio::test]
    async fn every_page_of_functions_is_read_with_each_role() {
        let role = "arn:aws:iam::111122223333:role/service-role/orders";
        let got = listed(&[
            (
                None,
                200,
                format!(
                    r#"{{"Functions":[{}],"NextMarker":"two"}}"#,
                    function("orders", role)
                ),
            ),
            (
                Some("two"),
                200,
                format!(r#"{{"Functions":[{}]}}"#, function("api", role)),
            ),
        ])
        .await;
        let names: Vec<(String, String)> = got
            .known()
            .into_iter()
            .flatten()
            .map(|f| (f.name.clone(), f.role.clone()))
            .collect();
        assert_eq!(
            names,
            [("api".into(), role.into()), ("orders".into(), role.into())]
        );
    }

    #[tokio::test]
    async fn an_answer_without_what_a_role_depends_on_is_unavailable() {
        let cases = [
            (
                200,
                "{}".to_owned(),
                "lambda:ListFunctions answered without Functions",
            ),
            (
                200,
                r#"{"Functions":[{"FunctionName":"orders","FunctionArn":"arn:aws:lambda:us-east-1:111122223333:function:orders"}]}"#.to_owned(),
                "lambda:ListFunctions listed function orders without its FunctionArn or Role",
            ),
            (
                200,
                r#"{"Functions":[{"Role":"arn:aws:iam::111122223333:role/orders"}]}"#.to_owned(),
                "lambda:ListFunctions listed a function without its name",
            ),
            (
                403,
                r#"{"Type":"User","message":"User: arn:aws:sts::111122223333:assumed-role/audit/tenet is not authorized to perform: lambda:ListFunctions on resource: *"}"#.to_owned(),
                "access denied: needs lambda:ListFunctions",
            ),
            (
                200,
                r#"{"Functions":[],"NextMarker":"again"}"#.to_owned(),
                "",
            ),
        ];
        for (status, body, reason) in cases {
            let got = listed(&[(None, status, body.clone())]).await;
            if reason.is_empty() {
                // The next page is never served: the listing is cut short.
                assert!(
                    matches!(got, Observed::Unavailable { .. }),
                    "{body}: {got:?}"
                );
            } else {
                assert_eq!(got, Observed::unavailable(reason), "{body}");
            }
        }
    }
}
