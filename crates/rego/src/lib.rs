//! Custom controls in Rego: a company's own clauses, checked like the
//! built-in catalog.
//!
//! A custom control is a pair of files in a directory the policy lists
//! (`control_paths`): `<id>.toml`, the metadata schema of the built-in
//! controls with a `resource` kind tenet can enumerate, and `<id>.rego`, a
//! Rego v1 module whose `findings` rule gives a set of
//! `{"resource", "status", "message", "evidence"?}` objects. [`load`] reads
//! every pair and reports every problem at once; each control it returns
//! carries a [`tenet_rules::CustomCheck`] that evaluates the module with
//! regorus, in process.
//!
//! A custom control fails closed, as a built-in one does: a fact read
//! through `tenet.value` while unavailable makes its resource `error` with
//! the fact's reason; a resource of the control's kind that the rule gave
//! no verdict is `error`; a rule that fails or outlasts its time limit is
//! `error` for every resource, never a pass.

mod check;
mod input;
mod kinds;
mod load;
mod tests;

pub use kinds::KINDS;
pub use load::{Diagnostic, load};
pub use tests::{TestOutcome, TestResult, run_tests};

/// The library every custom control may import as `data.tenet`.
pub const LIBRARY: &str = include_str!("tenet.rego");
