//! [`Verdict`]: a yes/no answer that may be undetermined, with the reason.
//!
//! Rules combine such answers with Kleene's three-valued logic: a definite
//! `No` in a conjunction (or `Yes` in a disjunction) decides it whatever the
//! unknown parts are; otherwise an unknown part makes the whole unknown.
//! That is how a condition tenet cannot decide stays visible instead of
//! widening or narrowing what a rule covers.

/// A three-valued answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Definitely yes.
    Yes,
    /// Definitely no.
    No,
    /// Cannot be decided; the reason says why.
    Unknown(String),
}

impl Verdict {
    /// `Yes` for true, `No` for false.
    pub fn from_bool(value: bool) -> Verdict {
        if value { Verdict::Yes } else { Verdict::No }
    }

    /// Both must hold; `other` is not asked when `self` is `No`.
    pub fn and(self, other: impl FnOnce() -> Verdict) -> Verdict {
        match self {
            Verdict::No => Verdict::No,
            Verdict::Yes => other(),
            Verdict::Unknown(reason) => match other() {
                Verdict::No => Verdict::No,
                Verdict::Yes => Verdict::Unknown(reason),
                Verdict::Unknown(more) => Verdict::Unknown(format!("{reason}; {more}")),
            },
        }
    }

    /// The opposite answer; unknown stays unknown.
    pub fn not(self) -> Verdict {
        match self {
            Verdict::Yes => Verdict::No,
            Verdict::No => Verdict::Yes,
            unknown @ Verdict::Unknown(_) => unknown,
        }
    }

    /// At least one holds: `Yes` if any is, else unknown if any is (with
    /// every reason), else `No` (also for none at all).
    pub fn any(verdicts: impl IntoIterator<Item = Verdict>) -> Verdict {
        let mut reasons: Vec<String> = Vec::new();
        for verdict in verdicts {
            match verdict {
                Verdict::Yes => return Verdict::Yes,
                Verdict::No => {}
                Verdict::Unknown(reason) => {
                    if !reasons.contains(&reason) {
                        reasons.push(reason);
                    }
                }
            }
        }
        if reasons.is_empty() {
            Verdict::No
        } else {
            Verdict::Unknown(reasons.join("; "))
        }
    }

    /// Every one holds: `No` if any is not, else unknown if any is, else
    /// `Yes` (also for none at all).
    pub fn all(verdicts: impl IntoIterator<Item = Verdict>) -> Verdict {
        Verdict::any(verdicts.into_iter().map(Verdict::not)).not()
    }
}

#[cfg(test)]
mod tests {
    use super::Verdict::{self, No, Unknown, Yes};

    fn unknown(reason: &str) -> Verdict {
        Unknown(reason.to_owned())
    }

    #[test]
    fn kleene_truth_tables() {
        let cases = [
            (Yes, Yes, Yes, Yes),
            (Yes, No, No, Yes),
            (No, No, No, No),
            (Yes, unknown("b"), unknown("b"), Yes),
            (No, unknown("b"), No, unknown("b")),
            (unknown("a"), unknown("b"), unknown("a; b"), unknown("a; b")),
        ];
        for (a, b, and, or) in cases {
            assert_eq!(a.clone().and(|| b.clone()), and, "{a:?} and {b:?}");
            assert_eq!(Verdict::any([a.clone(), b.clone()]), or, "{a:?} or {b:?}");
        }
    }

    #[test]
    fn empty_any_is_no_and_empty_all_is_yes() {
        assert_eq!(Verdict::any([]), No);
        assert_eq!(Verdict::all([]), Yes);
        assert_eq!(Verdict::all([Yes, unknown("x")]), unknown("x"));
        assert_eq!(Verdict::all([No, unknown("x")]), No);
    }
}
