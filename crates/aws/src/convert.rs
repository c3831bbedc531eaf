//! Small conversions from SDK values to inventory values.

use aws_sdk_iam::primitives::DateTime as AwsDateTime;
use chrono::{DateTime, Utc};
use percent_encoding::percent_decode_str;
use serde_json::Value;

/// An SDK timestamp as a chrono one.
pub(crate) fn timestamp(time: &AwsDateTime) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(time.secs(), time.subsec_nanos())
}

/// A policy document as IAM returns it (URL-encoded JSON) or as S3 returns
/// it (plain JSON). A document that is not valid JSON is kept as a JSON
/// string holding its text, which no policy analysis accepts: the facts that
/// depend on it become errors, never passes.
pub(crate) fn policy_document(text: &str) -> Value {
    let decoded = if text.trim_start().starts_with('{') {
        text.to_owned()
    } else {
        percent_decode_str(text)
            .decode_utf8()
            .map(|decoded| decoded.into_owned())
            .unwrap_or_else(|_| text.to_owned())
    };
    serde_json::from_str(&decoded).unwrap_or(Value::String(decoded))
}

/// The account id of an ARN (`arn:aws:iam::111122223333:role/x`).
pub(crate) fn arn_account(arn: &str) -> Option<&str> {
    arn.split(':')
        .nth(4)
        .filter(|account| is_account_id(account))
}

/// Whether `arn` names an IAM entity of `kind` (`user`, `group`, `role`) in
/// `account`: `arn:PARTITION:iam::ACCOUNT:KIND/[PATH/]NAME`.
pub(crate) fn is_iam_arn(arn: &str, account: &str, kind: &str) -> bool {
    let mut parts = arn.splitn(6, ':');
    let (Some("arn"), Some(partition), Some("iam"), Some(""), Some(owner), Some(resource)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return false;
    };
    !partition.is_empty()
        && owner == account
        && resource
            .strip_prefix(kind)
            .and_then(|rest| rest.strip_prefix('/'))
            .is_some_and(|rest| !rest.is_empty() && !rest.ends_with('/'))
}

/// A 12-digit AWS account id.
pub(crate) fn is_account_id(id: &str) -> bool {
    id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decodes_url_encoded_and_plain_documents() {
        let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D";
        let expected = json!({"Version": "2012-10-17", "Statement": []});
        assert_eq!(policy_document(encoded), expected);
        assert_eq!(
            policy_document(r#"{"Version":"2012-10-17","Statement":[]}"#),
            expected
        );
    }

    #[test]
    fn plain_documents_keep_percent_signs() {
        let text = r#"{"Resource":"arn:aws:s3:::a%20b/*"}"#;
        assert_eq!(
            policy_document(text),
            json!({"Resource": "arn:aws:s3:::a%20b/*"})
        );
    }

    #[test]
    fn malformed_documents_stay_text() {
        assert_eq!(
            policy_document("%7B%22Version%22%3A"),
            Value::String(r#"{"Version":"#.into())
        );
    }

    #[test]
    fn account_of_an_arn() {
        assert_eq!(
            arn_account("arn:aws:iam::111122223333:role/audit"),
            Some("111122223333")
        );
        assert_eq!(arn_account("arn:aws:iam::aws:policy/ReadOnlyAccess"), None);
        assert_eq!(arn_account("not an arn"), None);
    }

    #[test]
    fn iam_arns_name_their_kind_and_account() {
        let account = "111122223333";
        let cases = [
            ("arn:aws:iam::111122223333:user/alice", "user", true),
            (
                "arn:aws:iam::111122223333:user/division/alice",
                "user",
                true,
            ),
            ("arn:aws-cn:iam::111122223333:role/app", "role", true),
            ("arn:aws:iam::111122223333:group/readers", "group", true),
            ("arn:aws:iam::111122223333:user/alice", "role", false),
            ("arn:aws:iam::444455556666:user/alice", "user", false),
            ("arn:aws:iam:::user/alice", "user", false),
            ("arn:aws:iam::111122223333:user/", "user", false),
            ("arn:aws:iam::111122223333:userx/alice", "user", false),
            ("arn::iam::111122223333:user/alice", "user", false),
            ("arn:aws:sts::111122223333:user/alice", "user", false),
            ("alice", "user", false),
            ("", "user", false),
        ];
        for (arn, kind, expected) in cases {
            assert_eq!(is_iam_arn(arn, account, kind), expected, "{arn} as {kind}");
        }
    }
}
