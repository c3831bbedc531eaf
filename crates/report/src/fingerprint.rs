//! The stable identity of a finding across runs.

use sha2::{Digest, Sha256};

/// A stable fingerprint of one control × one resource: the lowercase hex
/// SHA-256 of `control`, a newline and `resource`. It does not depend on the
/// status, the message or the run, so SARIF alerts and OCSF findings about
/// the same resource track across runs.
pub fn finding_fingerprint(control: &str, resource: &str) -> String {
    let digest = Sha256::new()
        .chain_update(control.as_bytes())
        .chain_update(b"\n")
        .chain_update(resource.as_bytes())
        .finalize();
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::finding_fingerprint;

    #[test]
    fn fingerprint_is_sha256_of_control_newline_resource() {
        // printf 'aws.iam.root-mfa\narn:aws:iam::111122223333:root' | sha256sum
        assert_eq!(
            finding_fingerprint("aws.iam.root-mfa", "arn:aws:iam::111122223333:root"),
            "46ff0ecc1c378919fc37443bfea931d94b94f9d22d0491b223ff467af01fa027"
        );
        assert_ne!(
            finding_fingerprint("a", "bc"),
            finding_fingerprint("ab", "c")
        );
    }
}
