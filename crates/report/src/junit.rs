//! JUnit XML, for CI test tabs (GitHub, GitLab, Jenkins, Azure DevOps).
//!
//! One test suite per control (named by its id), one test case per
//! resource (named by the resource id, class name the control id): a failing
//! finding is a `<failure>` with the message as its `message` and the
//! evidence and remediation as its text; an undetermined finding is an
//! `<error>`; waived and skipped findings are `<skipped>` with the waiver or
//! the reason. A control without any finding (disabled, nothing in scope)
//! gets one skipped test case named after the control, with the reason. A
//! control that judges a population (the changes or the deployments of a
//! period) has a case per item that did not pass, and its passing items
//! summed up in one passing case per repository, their count in its output.
//! No timestamps or durations: the output is deterministic.

use quick_junit::{NonSuccessKind, Property, TestCase, TestCaseStatus, TestSuite};
use tenet_engine::{ControlResult, Finding, Report, Status};

use crate::{
    audit::{passing_per_scope, summed_up},
    evidence,
};

/// Renders a report as JUnit XML.
pub fn render(report: &Report) -> String {
    // Outside text made visible first: XML 1.0 cannot hold most control
    // characters at all, and a runner reads the lines of a printed report.
    let report = &crate::text::report(report);
    let mut junit = quick_junit::Report::new("tenet");
    junit.add_test_suites(report.controls.iter().map(|c| suite(report, c)));
    // Serializing to memory cannot fail on I/O, and every string is valid.
    crate::text::guard_lines(junit.to_string().unwrap_or_default())
}

fn suite(report: &Report, control: &ControlResult) -> TestSuite {
    let mut suite = TestSuite::new(control.id.as_str());
    suite.add_properties([
        Property::new("title", control.title.as_str()),
        Property::new("pillar", control.pillar.as_str()),
        Property::new("severity", control.severity.as_str()),
        Property::new("status", control.status.as_str()),
    ]);
    if control.findings.is_empty() {
        let mut status = TestCaseStatus::skipped();
        status.set_message(
            control
                .skipped_reason
                .as_deref()
                .unwrap_or("no resource in scope"),
        );
        let mut case = TestCase::new(control.id.as_str(), status);
        case.set_classname(control.id.as_str());
        suite.add_test_case(case);
    }
    for finding in control.findings.iter().filter(|f| !summed_up(control, f)) {
        let mut case = TestCase::new(
            finding.resource.id.as_str(),
            status(report, control, finding),
        );
        case.set_classname(control.id.as_str());
        suite.add_test_case(case);
    }
    let kind = control.population.as_deref().unwrap_or("items");
    for (scope, passing) in passing_per_scope(control) {
        let mut case = TestCase::new(
            format!("{scope}: passing {kind}"),
            TestCaseStatus::success(),
        );
        case.set_classname(control.id.as_str());
        case.set_system_out(format!(
            "{kind} that passed: {} (counted, not listed: the JSON report lists each)\n",
            passing.len()
        ));
        suite.add_test_case(case);
    }
    suite
}

fn status(report: &Report, control: &ControlResult, finding: &Finding) -> TestCaseStatus {
    match finding.status {
        Status::Pass => TestCaseStatus::success(),
        Status::Fail => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            let mut text = details(finding);
            if let Some(waiver) = &finding.expired_waiver {
                text.push_str(&format!(
                    "The waiver at {}:{} expired on {}; it no longer covers this finding.\n",
                    report.policy, waiver.line, waiver.expires
                ));
            }
            text.push_str(&format!("Remediation: {}\n", control.remediation.trim()));
            status
                .set_message(finding.message.as_str())
                .set_type(control.severity.as_str())
                .set_description(text);
            status
        }
        Status::Error => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            status
                .set_message(finding.message.as_str())
                .set_type("undetermined")
                .set_description(details(finding));
            status
        }
        Status::Waived => {
            let mut status = TestCaseStatus::skipped();
            let message = match &finding.waiver {
                Some(waiver) => format!(
                    "waived by {}:{} until {} (owner {}): {}",
                    report.policy, waiver.line, waiver.expires, waiver.owner, waiver.reason
                ),
                None => "waived".to_owned(),
            };
            status
                .set_message(message)
                .set_description(details(finding));
            status
        }
        Status::Skipped => {
            let mut status = TestCaseStatus::skipped();
            status.set_message(finding.message.as_str());
            status
        }
    }
}

/// The resource, its kind and the evidence, one fact per line.
fn details(finding: &Finding) -> String {
    let mut text = format!(
        "{} ({}): {}\n",
        finding.resource.id, finding.resource.kind, finding.message
    );
    for (key, value) in &finding.evidence {
        text.push_str(&format!("{key}: {}\n", evidence::display(value)));
    }
    text
}
