//! `tenet demo`: the bundled demo snapshot and policy, no credentials needed.

use std::path::Path;

use tenet_engine::Policy;
use tenet_inventory::Snapshot;

use crate::{cli::DemoArgs, output};

/// The demo snapshot: one GitHub organization, two AWS accounts.
const SNAPSHOT: &str = include_str!("../../fixtures/demo/snapshot.json");
/// The demo policy, with one waiver.
const POLICY: &str = include_str!("../../fixtures/demo/tenet.toml");

/// Evaluates the demo. Exits 0 when the report was written: the demo shows
/// what a failing run looks like, it is not one.
pub fn run(args: &DemoArgs) -> anyhow::Result<u8> {
    let snapshot = Snapshot::from_json(SNAPSHOT, Path::new("demo/snapshot.json"))?;
    let policy = args
        .report
        .select(Policy::parse(POLICY, "demo/tenet.toml")?)?;
    let as_of = snapshot.collected_at.date_naive();
    let report = super::evaluate::evaluate(&snapshot, policy, &args.report, as_of);
    super::evaluate::write_report(&report, &args.report.out)?;
    output::note(&format!(
        "\nThis was the bundled demo; `tenet evaluate` on the same data would exit {}. \
Run `tenet init` to start a policy of your own.",
        report.verdict().exit_code()
    ));
    Ok(0)
}
