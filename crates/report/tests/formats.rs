//! Every format of the demo report, read back by a real consumer or checked
//! against its official schema: SARIF by the OASIS JSON schema, JUnit by
//! `junit-parser`, CSV by `csv`, OCSF and JSON by `serde_json`; HTML is
//! checked to be self-contained and escaped.

mod common;

use common::demo;
use tenet_engine::{ControlResult, Finding, Report, Status};
use tenet_report::{csv, finding_fingerprint, html, json, junit, markdown, ocsf, sarif};

fn findings(report: &Report, status: Status) -> usize {
    report.finding_summary().get(status)
}

/// The first finding with this status, and its control.
fn first(report: &Report, status: Status) -> (&ControlResult, &Finding) {
    report
        .controls
        .iter()
        .flat_map(|c| c.findings.iter().map(move |f| (c, f)))
        .find(|(_, f)| f.status == status)
        .unwrap_or_else(|| panic!("the demo has a {} finding", status.as_str()))
}

fn empty_controls(report: &Report) -> usize {
    report
        .controls
        .iter()
        .filter(|c| c.findings.is_empty())
        .count()
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let report = demo();
    let log: serde_json::Value =
        serde_json::from_str(&sarif::render(&report)).expect("SARIF is JSON");
    let schema_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/schemas/sarif-schema-2.1.0.json"
    );
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(schema_path).expect("../shared/schemas has the SARIF schema"),
    )
    .expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), report.controls.len());
    let results = run["results"].as_array().expect("results");
    assert_eq!(
        results.len(),
        findings(&report, Status::Fail) + findings(&report, Status::Error)
    );
    for result in results {
        let rule = &rules[result["ruleIndex"].as_u64().expect("ruleIndex") as usize];
        assert_eq!(rule["id"], result["ruleId"]);
        let resource = result["properties"]["resource"].as_str().expect("resource");
        let control = result["ruleId"].as_str().expect("ruleId");
        assert_eq!(
            result["partialFingerprints"][sarif::FINGERPRINT_KEY],
            finding_fingerprint(control, resource).as_str()
        );
        assert_eq!(
            result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
            resource
        );
        assert_eq!(
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "demo/tenet.toml"
        );
    }
    let (control, failing) = first(&report, Status::Fail);
    let result = results
        .iter()
        .find(|r| {
            r["ruleId"] == control.id.as_str()
                && r["properties"]["resource"] == failing.resource.id.as_str()
        })
        .expect("a failing finding is a result");
    assert_eq!(result["level"], sarif::level(control.severity));
    assert_eq!(
        result["message"]["text"],
        format!("{}: {}", failing.resource.id, failing.message)
    );
    let rule = &rules[result["ruleIndex"].as_u64().expect("ruleIndex") as usize];
    assert_eq!(
        rule["properties"]["security-severity"],
        sarif::security_severity(control.severity)
    );
    assert_eq!(rule["shortDescription"]["text"], control.title.as_str());
    let (control, undetermined) = first(&report, Status::Error);
    let result = results
        .iter()
        .find(|r| {
            r["ruleId"] == control.id.as_str()
                && r["properties"]["resource"] == undetermined.resource.id.as_str()
        })
        .expect("an undetermined finding is a result");
    assert_eq!(result["level"], "warning");
    let (control, waived) = first(&report, Status::Waived);
    assert!(
        !results.iter().any(|r| r["ruleId"] == control.id.as_str()
            && r["properties"]["resource"] == waived.resource.id.as_str()),
        "a waived finding is not a result"
    );
}

#[test]
fn security_severity_and_level_follow_severity() {
    use tenet_rules::Severity;
    let pairs: Vec<_> = Severity::ALL
        .iter()
        .map(|s| (sarif::security_severity(*s), sarif::level(*s)))
        .collect();
    assert_eq!(
        pairs,
        [
            ("3.0", "note"),
            ("5.5", "warning"),
            ("8.0", "error"),
            ("9.5", "error")
        ]
    );
}

#[test]
fn junit_parses_back_with_a_junit_consumer() {
    let report = demo();
    let xml = junit::render(&report);
    let suites = junit_parser::from_reader(xml.as_bytes()).expect("junit-parser reads it");
    assert_eq!(suites.suites.len(), report.controls.len());
    // A case per finding, but a population's passing items are one case
    // per repository.
    let cases_expected: usize = report
        .controls
        .iter()
        .map(|c| {
            let passing = |f: &&Finding| c.population.is_some() && f.status == Status::Pass;
            let mut scopes: Vec<&str> = c
                .findings
                .iter()
                .filter(passing)
                .map(|f| {
                    f.resource
                        .id
                        .rsplit_once(':')
                        .map_or("", |(scope, _)| scope)
                })
                .collect();
            scopes.dedup();
            c.findings.iter().filter(|f| !passing(f)).count() + scopes.len()
        })
        .sum();
    assert!(
        report.controls.iter().any(|c| c.population.is_some()),
        "the demo judges a population"
    );
    assert_eq!(
        suites.tests as usize,
        cases_expected + empty_controls(&report)
    );
    assert_eq!(suites.failures as usize, findings(&report, Status::Fail));
    assert_eq!(suites.errors as usize, findings(&report, Status::Error));
    assert_eq!(
        suites.skipped as usize,
        findings(&report, Status::Waived)
            + findings(&report, Status::Skipped)
            + empty_controls(&report)
    );
    let cases: Vec<_> = suites.suites.iter().flat_map(|s| &s.cases).collect();
    assert_eq!(
        cases.iter().filter(|c| c.status.is_failure()).count(),
        findings(&report, Status::Fail)
    );
    let (control, failing) = first(&report, Status::Fail);
    let case = cases
        .iter()
        .find(|c| {
            c.original_name == failing.resource.id
                && c.classname.as_deref() == Some(control.id.as_str())
        })
        .expect("a failing finding is a test case");
    let failure = case.status.failure_as_ref();
    assert_eq!(failure.message, failing.message);
    assert_eq!(failure.failure_type, control.severity.as_str());
    assert!(
        failure.text.starts_with(&format!(
            "{} ({}): {}\n",
            failing.resource.id, failing.resource.kind, failing.message
        )),
        "{}",
        failure.text
    );
    assert!(failure.text.contains("Remediation: "), "{}", failure.text);
    let (control, waived) = first(&report, Status::Waived);
    let case = cases
        .iter()
        .find(|c| {
            c.original_name == waived.resource.id
                && c.classname.as_deref() == Some(control.id.as_str())
        })
        .expect("a waived finding is a test case");
    let waiver = waived
        .waiver
        .as_ref()
        .expect("a waived finding has its waiver");
    assert_eq!(
        case.status.skipped_as_ref().message,
        format!(
            "waived by demo/tenet.toml:{} until {} (owner {}): {}",
            waiver.line, waiver.expires, waiver.owner, waiver.reason
        )
    );
}

#[test]
fn csv_parses_back_one_row_per_finding() {
    let report = demo();
    let text = csv::render(&report);
    let mut reader = ::csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header row")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header, csv::HEADER);
    let rows: Vec<::csv::StringRecord> = reader.records().map(|r| r.expect("row parses")).collect();
    let total_findings: usize = report.controls.iter().map(|c| c.findings.len()).sum();
    assert_eq!(rows.len(), total_findings + empty_controls(&report));
    let (control, waived) = first(&report, Status::Waived);
    let waiver = waived
        .waiver
        .as_ref()
        .expect("a waived finding has its waiver");
    let row = rows
        .iter()
        .find(|r| &r[7] == "waived")
        .expect("a waived row");
    assert_eq!(&row[0], control.id);
    assert_eq!(&row[5], waived.resource.id);
    assert_eq!(
        &row[9],
        serde_json::to_string(&waived.evidence).expect("evidence serializes")
    );
    assert_eq!(&row[10], waiver.owner);
    assert_eq!(&row[11], waiver.reason);
    assert_eq!(&row[12], waiver.expires.to_string());
}

#[test]
fn ocsf_is_one_compliance_finding_per_finding() {
    let report = demo();
    let text = ocsf::render(&report);
    let events: Vec<serde_json::Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is a JSON event"))
        .collect();
    let total_findings: usize = report.controls.iter().map(|c| c.findings.len()).sum();
    assert_eq!(events.len(), total_findings);
    for event in &events {
        assert_eq!(event["class_uid"], 2003);
        assert_eq!(event["category_uid"], 2);
        assert_eq!(event["type_uid"], 200301);
        assert_eq!(event["metadata"]["version"], ocsf::OCSF_VERSION);
        assert_eq!(event["time"], 1_793_611_800_000_i64);
    }
    let (control, waived) = first(&report, Status::Waived);
    let event = events
        .iter()
        .find(|e| e["unmapped"]["tenet"]["status"] == "waived")
        .expect("a waived event");
    assert_eq!(event["status_id"], 3);
    assert_eq!(event["status"], "Suppressed");
    assert_eq!(event["compliance"]["status_id"], 3);
    assert_eq!(event["compliance"]["control"], control.id.as_str());
    assert_eq!(
        event["finding_info"]["uid"],
        finding_fingerprint(&control.id, &waived.resource.id).as_str()
    );
    assert_eq!(event["resources"][0]["uid"], waived.resource.id.as_str());
    assert_eq!(
        event["unmapped"]["tenet"]["waiver"]["line"],
        waived.waiver.as_ref().expect("waiver").line
    );
    let (control, failing) = first(&report, Status::Fail);
    let event = events
        .iter()
        .find(|e| {
            e["compliance"]["control"] == control.id.as_str()
                && e["resources"][0]["uid"] == failing.resource.id.as_str()
        })
        .expect("a failing event");
    assert_eq!(event["status_id"], 1);
    assert_eq!(event["compliance"]["status"], "Fail");
    let severity_id = match control.severity {
        tenet_rules::Severity::Low => 2,
        tenet_rules::Severity::Medium => 3,
        tenet_rules::Severity::High => 4,
        tenet_rules::Severity::Critical => 5,
    };
    assert_eq!(event["severity_id"], severity_id);
}

/// A report whose texts try to break out of their markup.
fn hostile() -> Report {
    let mut report = demo();
    let finding = report
        .controls
        .iter_mut()
        .flat_map(|c| c.findings.iter_mut())
        .find(|f| f.status == Status::Fail)
        .expect("a failing finding");
    finding.message = "<script>alert(1)</script> | pipe".into();
    finding.evidence.clear();
    finding.evidence.insert(
        "evidence_url".into(),
        "https://wiki.example/ir?a=1&b=2".into(),
    );
    finding
        .evidence
        .insert("note".into(), "javascript:alert(1)".into());
    report
}

#[test]
fn html_is_self_contained_and_escaped() {
    let page = html::render(&hostile(), &Default::default());
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<style>") && page.contains("@media print"));
    assert!(
        !page.contains("<script"),
        "no script, and no unescaped text"
    );
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; | pipe"));
    assert!(!page.contains(" src="), "no external asset");
    let hrefs: Vec<String> = page
        .split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|href| href.replace("&amp;", "&"))
        .collect();
    assert!(hrefs.contains(&"https://wiki.example/ir?a=1&b=2".to_owned()));
    let report = hostile();
    let evidence_urls: Vec<&str> = report
        .controls
        .iter()
        .flat_map(|c| &c.findings)
        .flat_map(|f| f.evidence.values())
        .filter_map(|v| v.as_str())
        .filter(|v| v.starts_with("https://"))
        .collect();
    // Links leave the page only to evidence; the rest are its own anchors
    // (the contents, the cards), each of which is there.
    for href in &hrefs {
        match href.strip_prefix('#') {
            Some(anchor) => assert!(
                page.contains(&format!(" id=\"{anchor}\"")),
                "{href} points to no anchor of the page"
            ),
            None => assert!(
                evidence_urls.contains(&href.as_str()),
                "{href} is not an evidence link"
            ),
        }
    }
    assert!(!page.contains("@import") && !page.contains("url("));
}

#[test]
fn markdown_escapes_table_cells() {
    let text = markdown::render(&hostile(), &Default::default());
    assert!(text.contains("&lt;script&gt;alert(1)&lt;/script&gt; \\| pipe"));
    assert!(
        text.contains(
            "evidence url: <https://wiki.example/ir?a=1&b=2><br>note: javascript:alert(1)"
        )
    );
    assert!(!text.contains("<script>"));
}

#[test]
fn json_report_parses_back_and_refuses_other_versions() {
    let report = demo();
    let text = json::render(&report);
    assert_eq!(
        json::parse(&text).expect("own output parses"),
        json::JsonReport::from(&report)
    );
    let newer = text.replacen("\"report_version\": 1", "\"report_version\": 2", 1);
    assert_eq!(
        json::parse(&newer).map_err(|e| e.to_string()).err(),
        Some("report_version 2 is not supported (this tenet reads version 1)".to_owned())
    );
}

/// A format's renderer, by name.
type Renderer = fn(&Report) -> String;

#[test]
fn a_saved_json_report_renders_as_the_report_it_came_from() {
    // `tenet render`: the JSON report read back renders every format to the
    // same bytes as the report itself (the demo has waivers, expired ones,
    // attestations, references and every status).
    let report = demo();
    let text = json::render(&report);
    let saved = tenet_report::saved::report(&json::parse(&text).expect("parses"));
    assert_eq!(json::render(&saved), text);
    let renderers: [(&str, Renderer); 8] = [
        ("table", |r| tenet_report::table::render(r, false, &[])),
        ("sarif", sarif::render),
        ("junit", junit::render),
        ("github", tenet_report::github::annotations),
        ("markdown", |r| markdown::render(r, &Default::default())),
        ("html", |r| html::render(r, &Default::default())),
        ("ocsf", ocsf::render),
        ("csv", csv::render),
    ];
    for (name, render) in renderers {
        assert!(render(&saved) == render(&report), "{name} differs");
    }
}

#[test]
fn what_was_not_assessed_lists_ten_reasons_and_counts_the_rest() {
    let mut report = demo();
    let control = report
        .controls
        .iter_mut()
        .find(|c| c.id == "github.members.two-factor")
        .expect("the control");
    for n in 0..12 {
        control.findings.push(Finding {
            resource: tenet_rules::Resource::new(format!("github:acme-corp:member/m{n}"), "m"),
            status: Status::Error,
            message: format!("could not determine: reason {n}"),
            evidence: [("unavailable".to_owned(), format!("reason {n}").into())]
                .into_iter()
                .collect(),
            waiver: None,
            expired_waiver: None,
        });
    }
    // The demo's 3 reasons and these 12: the 10 with the most findings
    // (the demo's three first), then the count of the other 5.
    let page = markdown::render(&report, &Default::default());
    let section = page
        .split("## <a id=\"completeness\"></a>What was not assessed\n")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("the section");
    let reasons = section
        .lines()
        .skip_while(|line| !line.starts_with("**Facts tenet could not read**"))
        .filter(|line| line.starts_with("- "))
        .count();
    assert_eq!(reasons, 11, "{section}");
    assert!(section.contains(
        "- AccessDenied: the tenet-audit role lacks iam:GetAccountSummary: 3 findings of "
    ));
    assert!(
        section
            .contains("- and 5 more reasons (the JSON report has each undetermined finding's)\n")
    );
    let table = tenet_report::table::render(&report, false, &[]);
    assert!(
        table.contains("  and 5 more reasons (the JSON report has each undetermined finding's)\n")
    );
}
