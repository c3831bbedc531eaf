//! The policy's digest: what makes two reports "the same policy".

use sha2::{Digest, Sha256};
use tenet_rules::{Catalog, Check};

/// `sha256:HEX` over the policy file's `text` and, in id order, every
/// custom control of `catalog` (its metadata as JSON and its code): two runs
/// share a digest only if they judged with the same policy file and the
/// same custom controls. Built-in controls are identified by the tenet
/// version, which reports carry beside it. Each part is length-prefixed, so
/// no two different inputs run together into one.
pub fn digest(text: &str, catalog: &Catalog) -> String {
    let mut hasher = Sha256::new();
    let mut part = |bytes: &[u8]| {
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    part(b"tenet policy digest v1");
    part(text.as_bytes());
    for control in catalog.controls() {
        if let Check::Custom(check) = &control.check {
            part(control.meta.id.as_bytes());
            part(
                serde_json::to_string(&control.meta)
                    .unwrap_or_default()
                    .as_bytes(),
            );
            part(check.source().as_bytes());
        }
    }
    labelled(&hasher.finalize())
}

/// A finished SHA-256 as tenet writes digests: `sha256:` and lowercase hex.
pub(crate) fn labelled(hash: &[u8]) -> String {
    let hex: String = hash.iter().map(|byte| format!("{byte:02x}")).collect();
    format!("sha256:{hex}")
}

#[cfg(test)]
mod tests {
    use super::digest;

    #[test]
    fn the_digest_is_of_the_text() {
        let catalog = tenet_rules::catalog();
        let a = digest("fail_on = \"high\"\n", catalog);
        assert_eq!(a, digest("fail_on = \"high\"\n", catalog));
        assert_ne!(a, digest("fail_on = \"low\"\n", catalog));
        assert!(a.starts_with("sha256:") && a.len() == 7 + 64, "{a}");
    }
}
