//! The error type of policy parsing.

/// Why a policy document could not be parsed.
///
/// Every grammar error names where it happened as a path into the document
/// (`Statement[1].Action[0]`, `Statement.Condition.Bool`, …; the empty path
/// is the document itself), the statement it belongs to, and what was
/// expected instead of what was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// The text is not JSON at all.
    #[error("the policy is not valid JSON: {message}")]
    Json {
        /// The JSON parser's message (with line and column).
        message: String,
    },
    /// The JSON does not follow the IAM policy grammar.
    #[error("{}: {message}", display_path(path))]
    Invalid {
        /// Where in the document: `Statement[2].Effect`, `Version`, or the
        /// empty string for the document itself.
        path: String,
        /// The 0-based index of the statement the error is in, if any (0 when
        /// `Statement` is a single object).
        statement: Option<usize>,
        /// What is wrong: what was expected and what was found.
        message: String,
    },
}

impl PolicyError {
    /// The path of the offending element (`None` for a JSON syntax error).
    pub fn path(&self) -> Option<&str> {
        match self {
            Self::Json { .. } => None,
            Self::Invalid { path, .. } => Some(path),
        }
    }

    /// The 0-based index of the offending statement, if the error is inside one.
    pub fn statement(&self) -> Option<usize> {
        match self {
            Self::Json { .. } => None,
            Self::Invalid { statement, .. } => *statement,
        }
    }
}

fn display_path(path: &str) -> &str {
    if path.is_empty() {
        "policy document"
    } else {
        path
    }
}
