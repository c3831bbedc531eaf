//! "Did you mean …?" for misspelled keys, control ids and values.

/// The candidate closest to `input`, if it is close enough to be a likely
/// typo: at most a third of the input's length in edits (and at least one).
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (input.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|candidate| (strsim::damerau_levenshtein(input, candidate), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min()
        .map(|(_, candidate)| candidate)
}

/// The suggestion sentence for `input`, if a candidate is close.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(input, candidates).map(|candidate| format!("did you mean `{candidate}`?"))
}

/// The names serde lists in "unknown field `x`, expected one of `a`, `b`" or
/// "unknown variant …" messages. serde's wording for these is fixed.
pub fn expected_names(message: &str) -> Vec<&str> {
    let Some(index) = message.find("expected") else {
        return Vec::new();
    };
    message[index..].split('`').skip(1).step_by(2).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let keys = ["enabled", "severity", "min_approvals"];
        assert_eq!(closest("severty", keys), Some("severity"));
        assert_eq!(closest("enabeld", keys), Some("enabled"));
        assert_eq!(closest("colour", keys), None);
    }

    #[test]
    fn reads_serde_expected_lists() {
        assert_eq!(
            expected_names("unknown field `expire`, expected `control` or `expires`"),
            vec!["control", "expires"]
        );
        assert_eq!(
            expected_names("unknown field `x`, expected one of `a`, `b`, `c`"),
            vec!["a", "b", "c"]
        );
    }
}
