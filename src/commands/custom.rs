//! Custom controls: the directories a policy (`control_paths`) and the
//! command line (`--control-path`) name, loaded into the catalog.

use std::{
    fmt,
    path::{Path, PathBuf},
    sync::Arc,
};

use tenet_rules::{Catalog, catalog};

/// Every problem of the custom controls: nothing is evaluated.
#[derive(Debug)]
pub struct CustomControlErrors(pub Vec<tenet_rego::Diagnostic>);

impl fmt::Display for CustomControlErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.0.len();
        write!(
            f,
            "{count} problem{} in the custom controls",
            if count == 1 { "" } else { "s" }
        )?;
        for diagnostic in &self.0 {
            write!(f, "\n{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CustomControlErrors {}

/// The built-in catalog with the custom controls of `in_policy` (relative
/// to `policy_dir`) and `extra` (relative to the working directory).
pub fn catalog_with(
    policy_dir: &Path,
    in_policy: &[String],
    extra: &[PathBuf],
) -> anyhow::Result<Arc<Catalog>> {
    let dirs: Vec<PathBuf> = in_policy
        .iter()
        .map(|path| policy_dir.join(path))
        .chain(extra.iter().cloned())
        .collect();
    if dirs.is_empty() {
        return Ok(Arc::new(catalog().clone()));
    }
    let controls = tenet_rego::load(&dirs).map_err(CustomControlErrors)?;
    let catalog = catalog()
        .with(controls)
        .map_err(|id| anyhow::anyhow!("the custom control `{id}` is given twice"))?;
    Ok(Arc::new(catalog))
}
