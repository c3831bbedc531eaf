//! Shared by the report crate's tests: the bundled demo report.

use std::path::Path;

use tenet_engine::{Policy, Report, evaluate};
use tenet_inventory::Snapshot;

/// The demo report: the bundled snapshot against the demo policy.
pub fn demo() -> Report {
    let snapshot = Snapshot::from_json(
        include_str!("../../../../fixtures/demo/snapshot.json"),
        Path::new("demo/snapshot.json"),
    )
    .expect("demo snapshot loads");
    let policy = Policy::parse(
        include_str!("../../../../fixtures/demo/tenet.toml"),
        "demo/tenet.toml",
    )
    .expect("demo policy parses");
    evaluate(&snapshot, &policy, snapshot.collected_at.date_naive())
}
