//! The resource kinds a custom control may be about, and how to list the
//! resources of each kind in a snapshot: the ids the rule must give a
//! verdict for, and where each one's facts are.

use tenet_inventory::{Observed, Snapshot};
use tenet_rules::{Outcome, Resource};

/// A resource of a snapshot: its id and the JSON pointer of its object in
/// the snapshot (and the rule's `input`).
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub resource: Resource,
    pub pointer: String,
}

/// The resources of one kind in a snapshot: those listed, and an `error`
/// outcome for each place whose list could not be read.
#[derive(Debug, Default)]
pub(crate) struct Listing {
    pub entries: Vec<Entry>,
    pub unlisted: Vec<Outcome>,
}

/// The values `resource` may take in a custom control's metadata.
pub const KINDS: [&str; 7] = [
    "GitHub organization",
    "GitHub repository",
    "GitHub organization member",
    "AWS account",
    "IAM user",
    "IAM role",
    "S3 bucket",
];

/// Every resource of `kind` (one of [`KINDS`]) in `snapshot`.
pub(crate) fn list(kind: &str, snapshot: &Snapshot) -> Listing {
    let mut listing = Listing::default();
    for (i, org) in snapshot.github.iter().enumerate() {
        let at = format!("/github/{i}");
        let login = org.login.as_str();
        match kind {
            "GitHub organization" => listing.push(Resource::github_org(login), at),
            "GitHub repository" => listing.each(
                &org.repositories,
                &format!("{at}/repositories"),
                || Resource::github_org(login),
                "the repositories",
                |repo| Resource::github_repo(login, &repo.name),
            ),
            "GitHub organization member" => listing.each(
                &org.members,
                &format!("{at}/members"),
                || Resource::github_org(login),
                "the members",
                |member| Resource::github_member(login, &member.login),
            ),
            _ => {}
        }
    }
    for (i, account) in snapshot.aws.iter().enumerate() {
        let at = format!("/aws/{i}");
        let id = account.account_id.as_str();
        match kind {
            "AWS account" => listing.push(Resource::aws_account(id), at),
            "IAM user" => listing.each(
                &account.users,
                &format!("{at}/users"),
                || Resource::aws_account(id),
                "the IAM users",
                |user| Resource::iam_user(&user.arn),
            ),
            "IAM role" => listing.each(
                &account.roles,
                &format!("{at}/roles"),
                || Resource::aws_account(id),
                "the IAM roles",
                |role| Resource::new(role.arn.clone(), "IAM role"),
            ),
            "S3 bucket" => listing.each(
                &account.s3_buckets,
                &format!("{at}/s3_buckets"),
                || Resource::aws_account(id),
                "the S3 buckets",
                |bucket| Resource::new(format!("arn:aws:s3:::{}", bucket.name), "S3 bucket"),
            ),
            _ => {}
        }
    }
    listing
}

impl Listing {
    fn push(&mut self, resource: Resource, pointer: String) {
        self.entries.push(Entry { resource, pointer });
    }

    /// One entry per item of `list` (at `pointer`/known/INDEX), or, when
    /// the list was not read, an error about its `owner`.
    fn each<T>(
        &mut self,
        list: &Observed<Vec<T>>,
        pointer: &str,
        owner: impl FnOnce() -> Resource,
        what: &str,
        resource: impl Fn(&T) -> Resource,
    ) {
        match list {
            Observed::Known(items) => {
                for (index, item) in items.iter().enumerate() {
                    self.push(resource(item), format!("{pointer}/known/{index}"));
                }
            }
            Observed::Unavailable { reason } => {
                self.unlisted
                    .push(Outcome::unavailable(owner(), what, reason));
            }
        }
    }
}
