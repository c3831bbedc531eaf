//! The service control policies that apply to an account (AWS
//! Organizations), read with the credentials the scan started from: the
//! management account's or a delegated administrator's, since a member
//! account cannot list them.
//!
//! Each answer is read once per scan and shared between its accounts: the
//! organization, each unit's parent and policies, each policy's document.
//!
//! Calls (all read-only): `organizations:DescribeOrganization`,
//! `organizations:ListRoots`, `organizations:ListParents`,
//! `organizations:ListPoliciesForTarget` and `organizations:DescribePolicy`.

use std::{collections::HashMap, sync::Mutex};

use aws_config::SdkConfig;
use aws_sdk_organizations::{
    Client,
    types::{ParentType, PolicyType, PolicyTypeStatus},
};
use serde_json::Value;
use tenet_inventory::{
    Observed,
    aws::{ScpLevel, ServiceControlPolicy},
};
use tokio::sync::OnceCell;

use crate::{
    error::{code, reason},
    pages::PageToken,
};

/// The deepest an account sits below its root: five levels of
/// organizational units (AWS's limit), and the account itself.
const DEEPEST: usize = 6;

/// What the organization answered: its management account and whether
/// service control policies are enabled; `None` outside an organization.
type Organization = Option<(String, bool)>;

/// Reads service control policies for every account of one scan, each
/// answer shared between accounts.
pub(crate) struct Reader {
    client: Client,
    organization: OnceCell<Result<Organization, String>>,
    /// A unit's parent and its kind.
    parents: Mutex<HashMap<String, (String, ParentType)>>,
    /// The policies attached to a root, unit or account.
    attached: Mutex<HashMap<String, Vec<ServiceControlPolicy>>>,
    /// A policy's document.
    documents: Mutex<HashMap<String, Value>>,
}

impl Reader {
    /// A reader with the credentials the scan started from.
    pub(crate) fn new(sdk: &SdkConfig) -> Self {
        Reader {
            client: crate::requestlog::client!(aws_sdk_organizations, sdk),
            organization: OnceCell::new(),
            parents: Mutex::new(HashMap::new()),
            attached: Mutex::new(HashMap::new()),
            documents: Mutex::new(HashMap::new()),
        }
    }

    /// The levels whose service control policies bound `account_id`, from
    /// the root down to the account; `None` when none applies.
    pub(crate) async fn service_control_policies(
        &self,
        account_id: &str,
    ) -> Observed<Option<Vec<ScpLevel>>> {
        match self.read(account_id).await {
            Ok(levels) => Observed::Known(levels),
            Err(reason) => Observed::Unavailable { reason },
        }
    }

    async fn read(&self, account_id: &str) -> Result<Option<Vec<ScpLevel>>, String> {
        let organization = self
            .organization
            .get_or_init(|| organization(&self.client))
            .await
            .clone()?;
        let Some((management, enabled)) = organization else {
            return Ok(None);
        };
        // Service control policies do not apply to the management account.
        if management == account_id || !enabled {
            return Ok(None);
        }
        let mut targets = vec![account_id.to_owned()];
        loop {
            let child = targets.last().map(String::as_str).unwrap_or(account_id);
            let (parent, kind) = self.parent(child, child == account_id).await?;
            targets.push(parent);
            if kind == ParentType::Root {
                break;
            }
            if targets.len() > DEEPEST {
                return Err(format!(
                    "organizations:ListParents named more than {} levels above account {account_id}",
                    DEEPEST - 1
                ));
            }
        }
        targets.reverse();
        let mut levels = Vec::with_capacity(targets.len());
        for target in targets {
            let policies = self.policies_for(&target).await?;
            levels.push(ScpLevel { target, policies });
        }
        Ok(Some(levels))
    }

    /// The parent of `child`, remembered for a unit (an account's is its
    /// own).
    async fn parent(&self, child: &str, account: bool) -> Result<(String, ParentType), String> {
        if let Some(known) = lock(&self.parents).get(child) {
            return Ok(known.clone());
        }
        let found = parent(&self.client, child).await?;
        if !account {
            lock(&self.parents).insert(child.to_owned(), found.clone());
        }
        Ok(found)
    }

    /// The policies attached to `target`, sorted by id, with their
    /// documents; remembered.
    async fn policies_for(&self, target: &str) -> Result<Vec<ServiceControlPolicy>, String> {
        if let Some(known) = lock(&self.attached).get(target) {
            return Ok(known.clone());
        }
        let mut policies = Vec::new();
        for (id, name) in attached(&self.client, target).await? {
            let document = self.document(&id).await?;
            policies.push(ServiceControlPolicy { id, name, document });
        }
        policies.sort_by(|a, b| a.id.cmp(&b.id));
        lock(&self.attached).insert(target.to_owned(), policies.clone());
        Ok(policies)
    }

    /// The document of the policy `id`, remembered.
    async fn document(&self, id: &str) -> Result<Value, String> {
        if let Some(known) = lock(&self.documents).get(id) {
            return Ok(known.clone());
        }
        let document = document(&self.client, id).await?;
        lock(&self.documents).insert(id.to_owned(), document.clone());
        Ok(document)
    }
}

/// A map behind its mutex, even after a panic while it was held (every
/// insert leaves it whole).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The organization's management account, and whether its root has
/// service control policies enabled; `None` outside an organization.
async fn organization(client: &Client) -> Result<Organization, String> {
    let organization = match client.describe_organization().send().await {
        Ok(answer) => answer,
        Err(err) if code(&err) == Some("AWSOrganizationsNotInUseException") => return Ok(None),
        Err(err) => return Err(reason("organizations:DescribeOrganization", &err)),
    };
    let management = organization
        .organization()
        .and_then(|organization| organization.master_account_id())
        .ok_or("organizations:DescribeOrganization answered without the management account")?
        .to_owned();
    Ok(Some((management, scps_enabled(client).await?)))
}

/// Whether the organization's root has service control policies enabled.
async fn scps_enabled(client: &Client) -> Result<bool, String> {
    let mut pages = client.list_roots().into_paginator().send();
    let mut token = PageToken::default();
    let mut roots = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|err| reason("organizations:ListRoots", &err))?;
        token.saw(page.next_token());
        roots.extend(page.roots.unwrap_or_default());
    }
    if let Some(cut) = token.cut_short("organizations:ListRoots") {
        return Err(cut);
    }
    let [root] = roots.as_slice() else {
        return Err(format!(
            "organizations:ListRoots answered {} roots, not one",
            roots.len()
        ));
    };
    let types = root
        .policy_types
        .as_ref()
        .ok_or("organizations:ListRoots answered a root without its PolicyTypes")?;
    Ok(types.iter().any(|summary| {
        summary.r#type() == Some(&PolicyType::ServiceControlPolicy)
            && summary.status() == Some(&PolicyTypeStatus::Enabled)
    }))
}

/// The parent of `child`, and whether it is the root or an organizational
/// unit.
async fn parent(client: &Client, child: &str) -> Result<(String, ParentType), String> {
    let answer = client
        .list_parents()
        .child_id(child)
        .send()
        .await
        .map_err(|err| reason("organizations:ListParents", &err))?;
    let parents = answer.parents.unwrap_or_default();
    let [parent] = parents.as_slice() else {
        return Err(format!(
            "organizations:ListParents answered {} parents of {child}, not one",
            parents.len()
        ));
    };
    match (parent.id(), parent.r#type()) {
        (Some(id), Some(kind @ (ParentType::Root | ParentType::OrganizationalUnit)))
            if !id.is_empty() =>
        {
            Ok((id.to_owned(), kind.clone()))
        }
        _ => Err(format!(
            "organizations:ListParents answered a parent of {child} without an id or a known type"
        )),
    }
}

/// The ids and names of the service control policies attached to
/// `target`.
async fn attached(client: &Client, target: &str) -> Result<Vec<(String, String)>, String> {
    let mut pages = client
        .list_policies_for_target()
        .target_id(target)
        .filter(PolicyType::ServiceControlPolicy)
        .into_paginator()
        .send();
    let mut token = PageToken::default();
    let mut summaries = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|err| reason("organizations:ListPoliciesForTarget", &err))?;
        token.saw(page.next_token());
        let listed = page.policies.ok_or_else(|| {
            format!("organizations:ListPoliciesForTarget answered {target} without Policies")
        })?;
        summaries.extend(listed);
    }
    if let Some(cut) = token.cut_short("organizations:ListPoliciesForTarget") {
        return Err(cut);
    }
    summaries
        .iter()
        .map(|summary| match (summary.id(), summary.name()) {
            (Some(id), Some(name)) => Ok((id.to_owned(), name.to_owned())),
            _ => Err(format!(
                "organizations:ListPoliciesForTarget answered a policy of {target} without an id or a name"
            )),
        })
        .collect()
}

/// The document of the policy `id`.
async fn document(client: &Client, id: &str) -> Result<Value, String> {
    let answer = client
        .describe_policy()
        .policy_id(id)
        .send()
        .await
        .map_err(|err| reason("organizations:DescribePolicy", &err))?;
    let content = answer
        .policy()
        .and_then(|policy| policy.content())
        .ok_or_else(|| format!("organizations:DescribePolicy answered {id} without its content"))?;
    serde_json::from_str(content).map_err(|err| {
        format!(
            "organizations:DescribePolicy answered {id} with a document that is not JSON: {err}"
        )
    })
}

#[cfg(test)]
mod tests {
    use wiremock::MockServer;

    use super::*;
    use crate::testing::{json_answer, json_error, sdk};

    const TARGET: &str = "AWSOrganizationsV20161128";
    const MEMBER: &str = "111122223333";
    const ALLOW_ALL: &str = r#"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"#;

    async fn answer(server: &MockServer, operation: &str, status: u16, body: &str) {
        json_answer(server, &format!("{TARGET}.{operation}"), status, body).await;
    }

    /// An organization managed by 999988887777 with service control
    /// policies enabled (or not), the member directly under its root.
    async fn organization(server: &MockServer, scps: &str) {
        answer(
            server,
            "DescribeOrganization",
            200,
            r#"{"Organization":{"Id":"o-abc","MasterAccountId":"999988887777"}}"#,
        )
        .await;
        answer(
            server,
            "ListRoots",
            200,
            &format!(r#"{{"Roots":[{{"Id":"r-root","Name":"Root","PolicyTypes":[{scps}]}}]}}"#),
        )
        .await;
    }

    const ENABLED: &str = r#"{"Type":"SERVICE_CONTROL_POLICY","Status":"ENABLED"}"#;

    async fn under_root(server: &MockServer) {
        answer(
            server,
            "ListParents",
            200,
            r#"{"Parents":[{"Id":"r-root","Type":"ROOT"}]}"#,
        )
        .await;
    }

    async fn full_access(server: &MockServer) {
        answer(
            server,
            "ListPoliciesForTarget",
            200,
            r#"{"Policies":[{"Id":"p-FullAWSAccess","Name":"FullAWSAccess","Type":"SERVICE_CONTROL_POLICY"}]}"#,
        )
        .await;
        answer(
            server,
            "DescribePolicy",
            200,
            &format!(
                r#"{{"Policy":{{"PolicySummary":{{"Id":"p-FullAWSAccess","Name":"FullAWSAccess"}},"Content":"{ALLOW_ALL}"}}}}"#
            ),
        )
        .await;
    }

    async fn read_from(server: &MockServer, account: &str) -> Observed<Option<Vec<ScpLevel>>> {
        Reader::new(&sdk(server).await)
            .service_control_policies(account)
            .await
    }

    #[tokio::test]
    async fn every_level_from_the_root_down_is_read() {
        let server = MockServer::start().await;
        organization(&server, ENABLED).await;
        under_root(&server).await;
        full_access(&server).await;
        let levels = read_from(&server, MEMBER).await;
        let targets: Option<Vec<(String, Vec<String>)>> =
            levels.known().cloned().flatten().map(|levels| {
                levels
                    .into_iter()
                    .map(|level| {
                        (
                            level.target,
                            level.policies.into_iter().map(|p| p.id).collect(),
                        )
                    })
                    .collect()
            });
        assert_eq!(
            targets,
            Some(vec![
                ("r-root".to_owned(), vec!["p-FullAWSAccess".to_owned()]),
                (MEMBER.to_owned(), vec!["p-FullAWSAccess".to_owned()]),
            ])
        );
    }

    #[tokio::test]
    async fn answers_are_shared_between_accounts() {
        let server = MockServer::start().await;
        organization(&server, ENABLED).await;
        under_root(&server).await;
        full_access(&server).await;
        let reader = Reader::new(&sdk(&server).await);
        for account in [MEMBER, "444455556666"] {
            let levels = reader.service_control_policies(account).await;
            assert_eq!(levels.known().cloned().flatten().map(|l| l.len()), Some(2));
        }
        let asked: Vec<String> = server
            .received_requests()
            .await
            .unwrap_or_default()
            .iter()
            .filter_map(|request| request.headers.get("x-amz-target"))
            .filter_map(|target| target.to_str().ok())
            .map(|target| {
                target
                    .trim_start_matches("AWSOrganizationsV20161128.")
                    .to_owned()
            })
            .collect();
        // The organization, its root, the root's policies and the one
        // document once; each account's parent and own policies.
        assert_eq!(
            asked,
            [
                "DescribeOrganization",
                "ListRoots",
                "ListParents",
                "ListPoliciesForTarget",
                "DescribePolicy",
                "ListPoliciesForTarget",
                "ListParents",
                "ListPoliciesForTarget",
            ]
        );
    }

    #[tokio::test]
    async fn none_apply_outside_an_organization_to_its_management_or_when_disabled() {
        let server = MockServer::start().await;
        answer(
            &server,
            "DescribeOrganization",
            400,
            &json_error(
                "AWSOrganizationsNotInUseException",
                "not in an organization",
            ),
        )
        .await;
        assert_eq!(read_from(&server, MEMBER).await, Observed::Known(None));

        let server = MockServer::start().await;
        organization(&server, ENABLED).await;
        assert_eq!(
            read_from(&server, "999988887777").await,
            Observed::Known(None)
        );

        let server = MockServer::start().await;
        organization(&server, r#"{"Type":"TAG_POLICY","Status":"ENABLED"}"#).await;
        assert_eq!(read_from(&server, MEMBER).await, Observed::Known(None));
    }

    #[tokio::test]
    async fn what_could_not_be_read_is_unavailable() {
        // (operation failing, status, body, reason)
        let cases = [
            (
                "DescribeOrganization",
                400,
                json_error("AccessDeniedException", "no"),
                "access denied: needs organizations:DescribeOrganization",
            ),
            (
                "DescribeOrganization",
                200,
                r#"{"Organization":{"Id":"o-abc"}}"#.to_owned(),
                "organizations:DescribeOrganization answered without the management account",
            ),
            (
                "ListRoots",
                200,
                r#"{"Roots":[{"Id":"r-root","Name":"Root"}]}"#.to_owned(),
                "organizations:ListRoots answered a root without its PolicyTypes",
            ),
            (
                "ListRoots",
                400,
                json_error("TooManyRequestsException", "slow down"),
                "organizations:ListRoots failed: TooManyRequestsException: slow down (still throttled after retries)",
            ),
            (
                "ListParents",
                500,
                json_error("ServiceException", "internal"),
                "organizations:ListParents failed: ServiceException: internal",
            ),
            (
                "ListParents",
                200,
                r#"{"Parents":[]}"#.to_owned(),
                "organizations:ListParents answered 0 parents of 111122223333, not one",
            ),
            (
                "ListPoliciesForTarget",
                200,
                "{}".to_owned(),
                "organizations:ListPoliciesForTarget answered r-root without Policies",
            ),
            (
                "ListPoliciesForTarget",
                200,
                r#"{"Policies":[],"NextToken":"again"}"#.to_owned(),
                "organizations:ListPoliciesForTarget answered a page token it had already been sent, so the pages after it were not read",
            ),
            (
                "DescribePolicy",
                200,
                r#"{"Policy":{"PolicySummary":{"Id":"p-FullAWSAccess"},"Content":"{not json"}}"#
                    .to_owned(),
                "organizations:DescribePolicy answered p-FullAWSAccess with a document that is not JSON: key must be a string at line 1 column 2",
            ),
            (
                "DescribePolicy",
                200,
                "not a body".to_owned(),
                "organizations:DescribePolicy failed: the answer (HTTP 200) is not the one the API documents and could not be read: type mismatch: expected object",
            ),
        ];
        for (operation, status, body, reason) in cases {
            let server = MockServer::start().await;
            // The failing answer is mounted first, so it wins.
            answer(&server, operation, status, &body).await;
            organization(&server, ENABLED).await;
            under_root(&server).await;
            full_access(&server).await;
            assert_eq!(
                read_from(&server, MEMBER).await,
                Observed::unavailable(reason),
                "{operation} {status}"
            );
        }
    }
}
