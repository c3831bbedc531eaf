//! CloudFormation stacks and the service role each is updated with: one
//! list call per region (per 100 stacks, AWS's fixed page).

use aws_sdk_cloudformation::Client;
use tenet_inventory::{Observed, aws::CloudFormationStack};

use crate::{error::reason, pages::PageToken};

/// The region's stacks (`DescribeStacks` lists those not deleted), sorted
/// by name. A stack without its name, id or status could not be told
/// apart: leaving it out would shorten the list. One without `RoleARN` has
/// no service role, as AWS documents the element.
pub(crate) async fn stacks(client: &Client) -> Observed<Vec<CloudFormationStack>> {
    const CALL: &str = "cloudformation:DescribeStacks";
    let mut pages = client.describe_stacks().into_paginator().send();
    let mut stacks = Vec::new();
    let mut token = PageToken::default();
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            Err(err) => return Observed::unavailable(reason(CALL, &err)),
        };
        token.saw(page.next_token());
        let Some(listed) = &page.stacks else {
            return Observed::unavailable(format!("{CALL} answered without Stacks"));
        };
        for stack in listed {
            let Some(name) = stack.stack_name().filter(|name| !name.is_empty()) else {
                return Observed::unavailable(format!(
                    "{CALL} listed a stack without its StackName"
                ));
            };
            let (Some(id), Some(status)) = (
                stack.stack_id().filter(|id| !id.is_empty()),
                stack.stack_status().map(|status| status.as_str()),
            ) else {
                return Observed::unavailable(format!(
                    "{CALL} listed stack {name} without its StackId or StackStatus"
                ));
            };
            stacks.push(CloudFormationStack {
                name: name.to_owned(),
                id: id.to_owned(),
                status: status.to_owned(),
                role: stack
                    .role_arn()
                    .filter(|role| !role.is_empty())
                    .map(str::to_owned),
            });
        }
    }
    if let Some(cut) = token.cut_short(CALL) {
        return Observed::unavailable(cut);
    }
    stacks.sort_by(|a, b| a.name.cmp(&b.name));
    Observed::Known(stacks)
}

#[cfg(test)]
mod tests {
    use wiremock::{
        Mock, MockServer, ResponseTemplate,
        matchers::{body_string_contains, method},
    };

    use super::*;
    use crate::testing::sdk;

    const CFN: &str = "http://cloudformation.amazonaws.com/doc/2010-05-15/";

    fn page(content: &str) -> String {
        format!(
            r#"<DescribeStacksResponse xmlns="{CFN}"><DescribeStacksResult>{content}</DescribeStacksResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></DescribeStacksResponse>"#
        )
    }

    fn stack(name: &str, role: Option<&str>) -> String {
        let role = role
            .map(|role| format!("<RoleARN>{role}</RoleARN>"))
            .unwrap_or_default();
        format!(
            "<member><StackName>{name}</StackName><StackId>arn:aws:cloudformation:us-east-1:111122223333:stack/{name}/1</StackId><StackStatus>UPDATE_COMPLETE</StackStatus><CreationTime>2025-01-01T00:00:00Z</CreationTime>{role}</member>"
        )
    }

    async fn listed(pages: &[(Option<&str>, u16, String)]) -> Observed<Vec<CloudFormationStack>> {
        let server = MockServer::start().await;
        for (token, status, body) in pages {
            let mock =
                Mock::given(method("POST")).and(body_string_contains("Action=DescribeStacks"));
            let mock = match token {
                Some(token) => mock.and(body_string_contains(format!("NextToken={token}"))),
                None => mock,
            };
            // A page asked by its token before the first page, which
            // matches every request.
            mock.respond_with(
                ResponseTemplate::new(*status).set_body_raw(body.clone(), "text/xml"),
            )
            .with_priority(if token.is_some() { 1 } else { 5 })
            .mount(&server)
            .await;
        }
        stacks(&Client::new(&sdk(&server).await)).await
    }

    #[tokio::test]
    async fn every_page_of_stacks_is_read_with_each_service_role() {
        let role = "arn:aws:iam::111122223333:role/deployer";
        let got = listed(&[
            (
                None,
                200,
                page(&format!(
                    "<Stacks>{}</Stacks><NextToken>two</NextToken>",
                    stack("web", Some(role))
                )),
            ),
            (
                Some("two"),
                200,
                page(&format!("<Stacks>{}</Stacks>", stack("app", None))),
            ),
        ])
        .await;
        let stacks: Vec<(String, Option<String>)> = got
            .known()
            .into_iter()
            .flatten()
            .map(|s| (s.name.clone(), s.role.clone()))
            .collect();
        assert_eq!(
            stacks,
            [("app".into(), None), ("web".into(), Some(role.into()))]
        );
    }

    #[tokio::test]
    async fn an_answer_without_what_a_role_depends_on_is_unavailable() {
        let cases = [
            (
                200,
                page(""),
                "cloudformation:DescribeStacks answered without Stacks",
            ),
            (
                200,
                page("<Stacks><member><StackName>web</StackName><CreationTime>2025-01-01T00:00:00Z</CreationTime></member></Stacks>"),
                "cloudformation:DescribeStacks listed stack web without its StackId or StackStatus",
            ),
            (
                403,
                r#"<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform: cloudformation:DescribeStacks</Message></Error><RequestId>1</RequestId></ErrorResponse>"#.to_owned(),
                "access denied: needs cloudformation:DescribeStacks",
            ),
            (
                200,
                page("<Stacks/><NextToken>again</NextToken>"),
                "cloudformation:DescribeStacks answered a page token it had already been sent, so \
                 the pages after it were not read",
            ),
        ];
        for (status, body, reason) in cases {
            assert_eq!(
                listed(&[(None, status, body.clone())]).await,
                Observed::unavailable(reason),
                "{body}"
            );
        }
    }
}
