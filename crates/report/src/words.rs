//! Small words the text formats share: counts, rates and status names.
//! A leaf module: it uses no other module of the crate but the JSON types.

use crate::json::JsonStatus;

/// `part` of `whole` in whole percent, rounded half up; `None` when
/// `whole` is 0. Every pass rate of the reports is this.
pub(crate) fn percent(part: usize, whole: usize) -> Option<usize> {
    (whole > 0).then(|| (part * 100 + whole / 2) / whole)
}

/// The name of an optional status in a change: `absent` when missing.
pub(crate) fn status_name(status: Option<JsonStatus>) -> &'static str {
    match status {
        Some(JsonStatus::Pass) => "pass",
        Some(JsonStatus::Fail) => "fail",
        Some(JsonStatus::Waived) => "waived",
        Some(JsonStatus::Error) => "error",
        Some(JsonStatus::Skipped) => "skipped",
        None => "absent",
    }
}

/// `s` unless there is exactly one.
pub(crate) fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}
