//! Attestations: a person's signed-off statement that a manual control was
//! carried out, recorded in the policy file.

use chrono::NaiveDate;
use serde::Serialize;

/// One `[[attestations]]` entry of the policy, as the checks see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Attestation {
    /// The manual control it attests, e.g. `manual.incident-response-plan`.
    pub control: String,
    /// Who attests.
    pub owner: String,
    /// Where the evidence is (a link or a document reference).
    pub evidence: String,
    /// The day the control was last carried out.
    pub attested_on: NaiveDate,
    /// The policy's cadence for this control, in days, overriding the
    /// catalog's.
    pub cadence_days: Option<u64>,
    /// 1-based line of the entry in the policy file.
    pub line: usize,
}
