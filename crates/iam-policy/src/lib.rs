//! Parse and analyze AWS IAM policy documents.
//!
//! Pure and synchronous: no I/O, no clients. [`PolicyDocument::parse`] turns
//! the JSON of an identity, resource or trust policy into a typed model,
//! rejecting anything outside the IAM grammar with a [`PolicyError`] that
//! names the offending element. [`analyze`] then answers the questions a
//! compliance control asks:
//!
//! * does the policy grant full admin, or admin-like "everything except"
//!   access ([`Analysis::full_admin`], [`Analysis::admin_like`])?
//! * which sensitive services does it grant wholesale
//!   ([`Analysis::wildcard_services`])?
//! * which published privilege-escalation methods does it enable
//!   ([`Analysis::privilege_escalation`], [`ESCALATION_METHODS`])?
//! * is it public ([`PolicyDocument::is_public`])?
//! * may a principal change resources at all ([`first_write`])?
//! * does a bucket policy deny plain-HTTP access
//!   ([`PolicyDocument::denies_insecure_transport`])?
//!
//! Conditions that can be decided for every request to come (dates past,
//! the caller's account) are decided first by [`PolicyDocument::resolve`].
//!
//! Allow-minus-Deny is evaluated exactly over sets of actions, wildcards
//! (`*`, `?`, anywhere) and `NotAction` included; grants that only hold under
//! a `Condition` are reported separately and flagged.
//!
//! ```
//! use tenet_iam_policy::{PolicyDocument, analyze};
//!
//! let policy: PolicyDocument = r#"{
//!     "Version": "2012-10-17",
//!     "Statement": [
//!         {"Effect": "Allow", "Action": "*", "Resource": "*"},
//!         {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}
//!     ]
//! }"#
//! .parse()?;
//! let analysis = analyze(&policy);
//! assert!(!analysis.full_admin);
//! assert!(analysis.admin_like);
//! assert!(!analysis.wildcard_services.contains(&"iam".to_owned()));
//! assert!(analysis.wildcard_services.contains(&"s3".to_owned()));
//! # Ok::<(), tenet_iam_policy::PolicyError>(())
//! ```

#![deny(missing_docs)]

mod actions;
mod analysis;
mod context;
mod document;
mod error;
mod escalation;
mod resource_types;
mod trust;
mod wildcard;
mod writes;

pub use analysis::{
    Analysis, RESTRICTING_CONDITION_KEYS, SENSITIVE_SERVICES, analyze, analyze_bounded,
    analyze_value, analyze_within,
};
pub use context::RequestContext;
pub use document::{
    Actions, CONDITION_OPERATORS, Condition, ConditionOperator, ConditionValue, Effect,
    PolicyDocument, PrincipalSet, Principals, Resources, SetQualifier, Statement, VERSIONS,
};
pub use error::PolicyError;
pub use escalation::{
    ESCALATION_METHODS, EscalationFinding, EscalationMethod, Existing, IamTarget,
};
pub use trust::{OpenWebIdentity, ServiceTrust, Trust, analyze_trust, trusted_services};
pub use wildcard::{Case, action_matches, may_name, resource_matches, wildcard_match};
pub use writes::first_write;
