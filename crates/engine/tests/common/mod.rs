//! What the engine's tests share.

use std::path::{Path, PathBuf};

/// Every snapshot fixture of the repository.
pub fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let mut files = Vec::new();
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("fixture folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "json")
                && std::fs::read_to_string(&path).is_ok_and(|t| t.contains("\"schema_version\""))
            {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}
