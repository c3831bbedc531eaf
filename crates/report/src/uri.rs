//! File paths as URI references (RFC 3986), for the formats that link the
//! policy file: SARIF's artifact locations and OSCAL's back matter.

use std::fmt::Write;

/// `path` as a relative URI reference: `\` as `/`, and every character
/// outside the unreserved and sub-delimiter sets (and `/`, `:`, `@`)
/// percent-encoded as UTF-8, `%` and space included.
pub(crate) fn path_reference(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            '\\' => out.push('/'),
            c if c.is_ascii_alphanumeric() || "-._~/!$&'()*+,;=:@".contains(c) => out.push(c),
            c => {
                let mut bytes = [0; 4];
                for byte in c.encode_utf8(&mut bytes).bytes() {
                    let _ = write!(out, "%{byte:02X}");
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::path_reference;

    #[test]
    fn paths_are_escaped_as_rfc_3986_asks() {
        let cases = [
            ("tenet.toml", "tenet.toml"),
            ("policies\\prod tenet.toml", "policies/prod%20tenet.toml"),
            ("my policy\\tenet%.toml", "my%20policy/tenet%25.toml"),
            ("a#b?c.toml", "a%23b%3Fc.toml"),
            ("é", "%C3%A9"),
        ];
        for (path, expected) in cases {
            assert_eq!(path_reference(path), expected, "{path}");
        }
    }
}
