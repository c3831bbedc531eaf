//! GitHub's pattern matching: Ruby's `File.fnmatch` with `File::FNM_PATHNAME`.
//!
//! GitHub matches ruleset ref patterns (`refs/heads/release/*`) and
//! organization-ruleset repository-name patterns with Ruby's `File.fnmatch`
//! and the flag `File::FNM_PATHNAME`. [`fnmatch`] is a port of Ruby's
//! `dir.c` (`fnmatch`, `fnmatch_helper`, `bracket` and, for
//! `FNM_EXTGLOB`, `ruby_brace_expand`), quirks included, checked against real
//! Ruby in `fixtures/github/fnmatch-cases.tsv` (made by
//! `scripts/regen-fnmatch-cases`). [`github_match`] answers for GitHub: where
//! GitHub's documentation leaves a flag open and the answer depends on it,
//! the match is [`PatternMatch::Undetermined`].
//!
//! Ruby quirks the port keeps (each has rows in the table):
//! - With `FNM_CASEFOLD`, case is folded for ASCII letters only (Ruby's
//!   `rb_enc_toupper`), and a single character in a bracket is compared
//!   without folding: `[a]` does not match `A`, while the range `[a-a]` does.
//! - A `\` at the very end of the pattern is ignored (`a\` matches `a`).
//! - An unterminated bracket (`[a`) matches nothing, not even itself.
//! - With `FNM_EXTGLOB`, a `{` without its `}` makes the whole pattern match
//!   nothing; a `}` without a `{` is literal.
//! - Ruby raises on a NUL in the pattern or the name; [`fnmatch`] answers
//!   `false` and [`github_match`] undetermined.

/// Ruby `File::FNM_*` flags tenet models. `FNM_PATHNAME` is always on and
/// `FNM_NOESCAPE` always off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Flags {
    /// `FNM_DOTMATCH`: wildcards also match a `.` at the start of the name or
    /// of a path segment, and `**/` descends into such segments.
    pub dotmatch: bool,
    /// `FNM_EXTGLOB`: `{a,b}` braces are expanded into alternatives.
    pub extglob: bool,
    /// `FNM_CASEFOLD`: ASCII letters match regardless of case.
    pub casefold: bool,
}

/// Ruby's `File.fnmatch(pattern, name, File::FNM_PATHNAME | flags)`, ported
/// from Ruby's `dir.c` (`fnmatch`, `fnmatch_helper`, `bracket`; with
/// `extglob`, brace expansion as `ruby_brace_expand` does, then any
/// alternative matching).
///
/// Works on chars (Unicode scalar values). Ruby raises `ArgumentError` on a
/// NUL in the pattern or the name; this answers `false` for them. Like Ruby,
/// brace expansion is not bounded: a pattern with many brace groups takes
/// time exponential in their number ([`github_match`] is bounded).
pub(crate) fn fnmatch(pattern: &str, name: &str, flags: Flags) -> bool {
    bounded_fnmatch(pattern, name, flags, usize::MAX).unwrap_or(false)
}

/// What kind of name a pattern is matched against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NameKind {
    /// A full ref name (`refs/heads/main`), matched by a ruleset's
    /// `ref_name` include/exclude patterns.
    Ref,
    /// A repository name, matched by an organization ruleset's
    /// `repository_name` patterns; GitHub treats repository names
    /// case-insensitively.
    Repository,
}

/// The result of matching one GitHub pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PatternMatch {
    /// GitHub's pattern matches the name under every reading of its
    /// documentation.
    Matches,
    /// GitHub's pattern matches the name under no reading of its
    /// documentation.
    DoesNotMatch,
    /// Whether it matches depends on something GitHub does not document.
    Undetermined {
        /// What is not documented and how the answer depends on it.
        reason: String,
    },
}

/// The most brace expansions [`github_match`] tries for one reading; past
/// it the match is undetermined rather than slow.
const BRACE_BUDGET: usize = 1 << 16;

/// Whether GitHub's pattern matches name.
///
/// The documented reading is `File.fnmatch` with `FNM_PATHNAME` alone.
/// GitHub does not say whether `FNM_DOTMATCH` or `FNM_EXTGLOB` are also set,
/// nor, for repository names, whether matching ignores case
/// (`FNM_CASEFOLD`); every combination of these is evaluated, and if they
/// disagree the answer is [`PatternMatch::Undetermined`], naming what
/// decides it. Special values (`~ALL`, `~DEFAULT_BRANCH`) are the caller's:
/// here they are ordinary patterns.
pub(crate) fn github_match(pattern: &str, name: &str, kind: NameKind) -> PatternMatch {
    if pattern.contains('\0') || name.contains('\0') {
        return PatternMatch::Undetermined {
            reason: format!(
                "the pattern `{}` or the name `{}` contains a NUL character, \
                 on which Ruby's File.fnmatch raises an error; what GitHub does then is not documented",
                pattern.escape_default(),
                name.escape_default()
            ),
        };
    }
    let casefolds: &[bool] = match kind {
        NameKind::Ref => &[false],
        NameKind::Repository => &[false, true],
    };
    let mut readings = Vec::new();
    for dotmatch in [false, true] {
        for extglob in [false, true] {
            for &casefold in casefolds {
                let flags = Flags {
                    dotmatch,
                    extglob,
                    casefold,
                };
                // Only brace expansion can take long: bound it.
                let result = if extglob {
                    bounded_fnmatch(pattern, name, flags, BRACE_BUDGET)
                } else {
                    Some(fnmatch(pattern, name, flags))
                };
                match result {
                    Some(matches) => readings.push((flags, matches)),
                    None => {
                        return PatternMatch::Undetermined {
                            reason: format!(
                                "the pattern `{pattern}` expands to more than {BRACE_BUDGET} brace \
                                 alternatives, more than tenet evaluates, so whether it matches \
                                 `{name}` (if GitHub expands braces, FNM_EXTGLOB) is undetermined"
                            ),
                        };
                    }
                }
            }
        }
    }
    match readings.as_slice() {
        [(_, first), rest @ ..] if rest.iter().all(|(_, m)| m == first) => {
            if *first {
                PatternMatch::Matches
            } else {
                PatternMatch::DoesNotMatch
            }
        }
        _ => PatternMatch::Undetermined {
            reason: disagreement(pattern, name, &readings),
        },
    }
}

/// An undocumented flag `github_match` evaluates both ways.
#[derive(Clone, Copy)]
enum Undocumented {
    DotMatch,
    ExtGlob,
    CaseFold,
}

impl Undocumented {
    const ALL: [Self; 3] = [Self::DotMatch, Self::ExtGlob, Self::CaseFold];

    fn get(self, flags: Flags) -> bool {
        match self {
            Self::DotMatch => flags.dotmatch,
            Self::ExtGlob => flags.extglob,
            Self::CaseFold => flags.casefold,
        }
    }

    fn toggled(self, flags: Flags) -> Flags {
        match self {
            Self::DotMatch => Flags {
                dotmatch: !flags.dotmatch,
                ..flags
            },
            Self::ExtGlob => Flags {
                extglob: !flags.extglob,
                ..flags
            },
            Self::CaseFold => Flags {
                casefold: !flags.casefold,
                ..flags
            },
        }
    }

    fn ruby_name(self) -> &'static str {
        match self {
            Self::DotMatch => "FNM_DOTMATCH",
            Self::ExtGlob => "FNM_EXTGLOB",
            Self::CaseFold => "FNM_CASEFOLD",
        }
    }

    /// The open question, after "whether".
    fn question(self) -> &'static str {
        match self {
            Self::DotMatch => "`*`, `?`, `[...]` and `**/` match a leading `.`",
            Self::ExtGlob => "`{a,b}` braces are expanded into alternatives",
            Self::CaseFold => "repository names are matched ignoring case",
        }
    }

    /// The answers, after "only if".
    fn answer(self, yes: bool) -> &'static str {
        match (self, yes) {
            (Self::DotMatch, true) => "they do",
            (Self::DotMatch, false) => "they do not",
            (Self::ExtGlob | Self::CaseFold, true) => "they are",
            (Self::ExtGlob | Self::CaseFold, false) => "they are not",
        }
    }
}

/// The reason of an undetermined match: which undocumented flags decide it.
fn disagreement(pattern: &str, name: &str, readings: &[(Flags, bool)]) -> String {
    let result = |flags: Flags| readings.iter().find(|(f, _)| *f == flags).map(|(_, m)| *m);
    let deciding: Vec<Undocumented> = Undocumented::ALL
        .into_iter()
        .filter(|flag| {
            readings
                .iter()
                .any(|&(flags, m)| result(flag.toggled(flags)).is_some_and(|other| other != m))
        })
        .collect();
    let questions = deciding
        .iter()
        .map(|flag| format!("whether {} ({})", flag.question(), flag.ruby_name()))
        .collect::<Vec<_>>()
        .join(" or ");
    if let [flag] = deciding.as_slice() {
        // The result is a function of this flag alone.
        let matches_when_set = readings.iter().any(|&(flags, m)| m && flag.get(flags));
        format!(
            "GitHub's documentation does not say {questions}, and the pattern `{pattern}` \
             matches `{name}` only if {}",
            flag.answer(matches_when_set)
        )
    } else {
        let matching = readings
            .iter()
            .filter(|(_, m)| *m)
            .map(|(flags, _)| {
                let mut names = vec!["FNM_PATHNAME"];
                names.extend(
                    Undocumented::ALL
                        .into_iter()
                        .filter(|flag| flag.get(*flags))
                        .map(Undocumented::ruby_name),
                );
                names.join("|")
            })
            .collect::<Vec<_>>()
            .join(" or ");
        format!(
            "GitHub's documentation does not say {questions}, and the pattern `{pattern}` \
             matches `{name}` only if GitHub's flags are {matching}"
        )
    }
}

/// [`fnmatch`] with at most `budget` brace expansions: `None` past it, and
/// `Some(false)` when Ruby would raise (a NUL in the pattern or the name).
fn bounded_fnmatch(pattern: &str, name: &str, flags: Flags, budget: usize) -> Option<bool> {
    if pattern.contains('\0') || name.contains('\0') {
        return Some(false);
    }
    let pattern: Vec<char> = pattern.chars().collect();
    let name: Vec<char> = name.chars().collect();
    if flags.extglob {
        let mut budget = budget;
        brace_expand(&pattern, &mut budget, &mut |alternative| {
            fnmatch_pathname(alternative, &name, flags)
        })
    } else {
        Some(fnmatch_pathname(&pattern, &name, flags))
    }
}

/// The NUL that ends a C string: what the port reads past either end.
const END: char = '\0';

/// The char at `i`, or [`END`] past the end (Ruby's strings are
/// NUL-terminated; neither the pattern nor the name contains a NUL).
fn at(chars: &[char], i: usize) -> char {
    chars.get(i).copied().unwrap_or(END)
}

/// Ruby's `rb_enc_toupper`: ASCII letters only.
fn upper(c: char) -> char {
    c.to_ascii_uppercase()
}

/// `ruby_brace_expand`: calls `matches` on each expansion of the pattern's
/// first brace group (recursively), stopping at the first that matches.
/// `None` once more than `budget` expansions have been made.
fn brace_expand(
    pattern: &[char],
    budget: &mut usize,
    matches: &mut dyn FnMut(&[char]) -> bool,
) -> Option<bool> {
    *budget = budget.checked_sub(1)?;
    let mut p = 0;
    let mut lbrace = None;
    let mut rbrace = None;
    let mut nest = 0usize;
    while at(pattern, p) != END {
        if pattern[p] == '{' {
            if nest == 0 {
                lbrace = Some(p);
            }
            nest += 1;
        }
        if pattern[p] == '}' && lbrace.is_some() {
            nest -= 1;
            if nest == 0 {
                rbrace = Some(p);
                break;
            }
        }
        if pattern[p] == '\\' {
            p += 1;
            if at(pattern, p) == END {
                break;
            }
        }
        p += 1;
    }
    match (lbrace, rbrace) {
        (Some(lbrace), Some(rbrace)) => {
            let mut p = lbrace;
            while p < rbrace {
                p += 1;
                let start = p;
                let mut nest = 0isize;
                while p < rbrace && !(pattern[p] == ',' && nest == 0) {
                    if pattern[p] == '{' {
                        nest += 1;
                    }
                    if pattern[p] == '}' {
                        nest -= 1;
                    }
                    if pattern[p] == '\\' {
                        p += 1;
                        if p == rbrace {
                            break;
                        }
                    }
                    p += 1;
                }
                let mut expanded = Vec::with_capacity(pattern.len());
                expanded.extend_from_slice(&pattern[..lbrace]);
                expanded.extend_from_slice(&pattern[start..p]);
                expanded.extend_from_slice(&pattern[rbrace + 1..]);
                if brace_expand(&expanded, budget, matches)? {
                    return Some(true);
                }
            }
            Some(false)
        }
        (None, None) => Some(matches(pattern)),
        // An unbalanced `{`: Ruby calls nothing, so nothing matches.
        _ => Some(false),
    }
}

/// `fnmatch` of `dir.c` with `FNM_PATHNAME`: segment by segment, with one
/// backtrack point, the last `**/`, which may swallow whole name segments.
fn fnmatch_pathname(p: &[char], s: &[char], flags: Flags) -> bool {
    let period = !flags.dotmatch;
    let mut pi = 0;
    let mut si = 0;
    // The pattern after the last `**/`, and the name segment it was last
    // tried at.
    let mut backtrack: Option<(usize, usize)> = None;
    loop {
        if at(p, pi) == '*' && at(p, pi + 1) == '*' && at(p, pi + 2) == '/' {
            pi += 3;
            while at(p, pi) == '*' && at(p, pi + 1) == '*' && at(p, pi + 2) == '/' {
                pi += 3;
            }
            backtrack = Some((pi, si));
        }
        if let Some((np, ns)) = fnmatch_helper(p, pi, s, si, flags) {
            pi = np;
            si = ns;
            while at(s, si) != END && at(s, si) != '/' {
                si += 1;
            }
            if at(p, pi) != END && at(s, si) != END {
                pi += 1;
                si += 1;
                continue;
            }
            if at(p, pi) == END && at(s, si) == END {
                return true;
            }
        }
        // Failed: let the last `**/` swallow one more name segment.
        if let Some((ptmp, mut stmp)) = backtrack
            && !(period && at(s, stmp) == '.')
        {
            while at(s, stmp) != END && at(s, stmp) != '/' {
                stmp += 1;
            }
            if at(s, stmp) != END {
                stmp += 1;
                pi = ptmp;
                si = stmp;
                backtrack = Some((ptmp, stmp));
                continue;
            }
        }
        return false;
    }
}

/// What one step of [`fnmatch_helper`] leads to.
enum Step {
    /// Go on matching.
    Next,
    /// This attempt failed: back to the last `*`, if any.
    Failed,
    /// The segment matches, or (`None`) cannot match.
    Return(Option<(usize, usize)>),
}

/// `fnmatch_helper` of `dir.c`: matches one pattern segment against one name
/// segment (each up to `/` or the end), with one backtrack point, the last
/// `*`. On a match, the positions where the pattern segment ends and where
/// matching stopped in the name.
fn fnmatch_helper(
    p: &[char],
    pi: usize,
    s: &[char],
    si: usize,
    flags: Flags,
) -> Option<(usize, usize)> {
    let period = !flags.dotmatch;
    let nocase = flags.casefold;
    let unescape = |i: usize| if at(p, i) == '\\' { i + 1 } else { i };
    let is_end = |chars: &[char], i: usize| matches!(at(chars, i), END | '/');

    let mut pi = pi;
    let mut si = si;
    // The pattern after the last `*`, and where in the name it was last tried.
    let mut backtrack: Option<(usize, usize)> = None;

    if period && at(s, si) == '.' && at(p, unescape(pi)) != '.' {
        return None; // leading period
    }
    loop {
        let step = match at(p, pi) {
            '*' => {
                while at(p, pi) == '*' {
                    pi += 1;
                }
                if is_end(p, unescape(pi)) {
                    Step::Return(Some((unescape(pi), si)))
                } else if is_end(s, si) {
                    Step::Return(None)
                } else {
                    backtrack = Some((pi, si));
                    Step::Next
                }
            }
            '?' => {
                if is_end(s, si) {
                    Step::Return(None)
                } else {
                    pi += 1;
                    si += 1;
                    Step::Next
                }
            }
            '[' => {
                if is_end(s, si) {
                    Step::Return(None)
                } else if let Some(next) = bracket(p, pi + 1, at(s, si), nocase) {
                    pi = next;
                    si += 1;
                    Step::Next
                } else {
                    Step::Failed
                }
            }
            _ => {
                // ordinary
                pi = unescape(pi);
                if is_end(s, si) {
                    Step::Return(is_end(p, pi).then_some((pi, si)))
                } else if is_end(p, pi) {
                    Step::Failed
                } else if at(p, pi) == at(s, si) || (nocase && upper(at(p, pi)) == upper(at(s, si)))
                {
                    pi += 1;
                    si += 1;
                    Step::Next
                } else {
                    Step::Failed
                }
            }
        };
        match step {
            Step::Next => {}
            Step::Return(result) => return result,
            Step::Failed => match backtrack {
                // Try the next position for the last `*`.
                Some((ptmp, stmp)) => {
                    pi = ptmp;
                    si = stmp + 1;
                    backtrack = Some((ptmp, si));
                }
                None => return None,
            },
        }
    }
}

/// `bracket` of `dir.c`: matches `c` against the bracket expression starting
/// at `pi` (just after its `[`). The position after its `]` if `c` matches;
/// `None` if it does not or the bracket is not terminated.
fn bracket(p: &[char], mut pi: usize, c: char, nocase: bool) -> Option<usize> {
    let pend = p.len();
    if pi >= pend {
        return None;
    }
    let mut not = false;
    if p[pi] == '!' || p[pi] == '^' {
        not = true;
        pi += 1;
    }
    let mut ok = false;
    let fold = |c: char| if nocase { upper(c) } else { c };
    while at(p, pi) != ']' {
        let mut t1 = pi;
        if at(p, t1) == '\\' {
            t1 += 1;
        }
        if at(p, t1) == END {
            return None;
        }
        pi = t1 + 1;
        if pi >= pend {
            return None;
        }
        if at(p, pi) == '-' && at(p, pi + 1) != ']' {
            let mut t2 = pi + 1;
            if at(p, t2) == '\\' {
                t2 += 1;
            }
            if at(p, t2) == END {
                return None;
            }
            pi = t2 + 1;
            if ok {
                continue;
            }
            if at(p, t1) == c || at(p, t2) == c {
                ok = true;
                continue;
            }
            let c1 = fold(c);
            if c1 < fold(at(p, t1)) || c1 > fold(at(p, t2)) {
                continue;
            }
        } else {
            if ok {
                continue;
            }
            if at(p, t1) == c {
                ok = true;
                continue;
            }
            // Ruby compares the folded char with the pattern char *after*
            // this one (`p`, not `t1`): a single char in a bracket never
            // matches by folding case, unless the next char folds equal.
            if !nocase || upper(c) != upper(at(p, pi)) {
                continue;
            }
        }
        ok = true;
    }
    if ok == not { None } else { Some(pi + 1) }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CASES: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/github/fnmatch-cases.tsv"
    ));

    /// The flags of a column named like `PATHNAME|DOTMATCH|CASEFOLD`.
    fn column_flags(column: &str) -> Flags {
        let names: Vec<&str> = column.split('|').collect();
        assert_eq!(names.first(), Some(&"PATHNAME"), "column {column}");
        for name in &names {
            assert!(
                ["PATHNAME", "DOTMATCH", "EXTGLOB", "CASEFOLD"].contains(name),
                "unknown flag {name} in column {column}"
            );
        }
        Flags {
            dotmatch: names.contains(&"DOTMATCH"),
            extglob: names.contains(&"EXTGLOB"),
            casefold: names.contains(&"CASEFOLD"),
        }
    }

    fn rows() -> (Vec<Flags>, Vec<Vec<&'static str>>) {
        let mut lines = CASES.lines();
        let header: Vec<&str> = lines.next().expect("a header line").split('\t').collect();
        assert_eq!(header[..2], ["pattern", "name"]);
        let columns: Vec<Flags> = header[2..].iter().map(|c| column_flags(c)).collect();
        let rows = lines
            .map(|line| line.split('\t').collect::<Vec<_>>())
            .collect();
        (columns, rows)
    }

    #[test]
    fn table_has_every_flag_combination_and_enough_rows() {
        let (columns, rows) = rows();
        assert_eq!(columns.len(), 8);
        for dotmatch in [false, true] {
            for extglob in [false, true] {
                for casefold in [false, true] {
                    let flags = Flags {
                        dotmatch,
                        extglob,
                        casefold,
                    };
                    assert!(columns.contains(&flags), "no column for {flags:?}");
                }
            }
        }
        assert!(rows.len() >= 150, "only {} rows", rows.len());
    }

    #[test]
    fn fnmatch_equals_ruby_on_every_row() {
        let (columns, rows) = rows();
        let mut mismatches = Vec::new();
        for (number, row) in rows.iter().enumerate() {
            assert_eq!(row.len(), 2 + columns.len(), "row {}: {row:?}", number + 2);
            let (pattern, name) = (row[0], row[1]);
            for (flags, expected) in columns.iter().zip(&row[2..]) {
                let expected = match *expected {
                    "true" => true,
                    "false" => false,
                    other => panic!("row {}: not a boolean: {other}", number + 2),
                };
                let got = fnmatch(pattern, name, *flags);
                if got != expected {
                    mismatches.push(format!(
                        "line {}: fnmatch({pattern:?}, {name:?}, {flags:?}) = {got}, Ruby says {expected}",
                        number + 2
                    ));
                }
            }
        }
        assert!(
            mismatches.is_empty(),
            "{} mismatches with Ruby:\n{}",
            mismatches.len(),
            mismatches.join("\n")
        );
    }

    #[test]
    fn github_match_answers_only_what_every_reading_agrees_on() {
        use NameKind::{Ref, Repository};
        use PatternMatch::{DoesNotMatch, Matches};
        let determined = [
            ("refs/heads/*", "refs/heads/release/1.0", Ref, DoesNotMatch),
            ("refs/heads/**/*", "refs/heads/release/1.0", Ref, Matches),
            ("refs/heads/main", "refs/heads/main", Ref, Matches),
            ("API", "api", Ref, DoesNotMatch),
            ("qa/*", "qa/foo/bar", Ref, DoesNotMatch),
            ("qa**/**/*", "qafoo/bar", Ref, Matches),
            ("api-*", "api-gateway", Repository, Matches),
            ("~ALL", "api", Repository, DoesNotMatch),
        ];
        for (pattern, name, kind, expected) in determined {
            assert_eq!(
                github_match(pattern, name, kind),
                expected,
                "{pattern:?} vs {name:?} ({kind:?})"
            );
        }
        let undetermined = [
            ("*", ".github", Repository, "FNM_DOTMATCH"),
            ("API", "api", Repository, "FNM_CASEFOLD"),
            ("refs/heads/{a,b}", "refs/heads/a", Ref, "FNM_EXTGLOB"),
        ];
        for (pattern, name, kind, flag) in undetermined {
            match github_match(pattern, name, kind) {
                PatternMatch::Undetermined { reason } => {
                    assert!(reason.contains(flag), "{reason}");
                    assert!(reason.contains(&format!("`{pattern}`")), "{reason}");
                    assert!(reason.contains(&format!("`{name}`")), "{reason}");
                }
                other => panic!("{pattern:?} vs {name:?} ({kind:?}): {other:?}"),
            }
        }
    }

    #[test]
    fn undetermined_reasons_read_well() {
        assert_eq!(
            github_match("*", ".github", NameKind::Repository),
            PatternMatch::Undetermined {
                reason: "GitHub's documentation does not say whether `*`, `?`, `[...]` and `**/` \
                         match a leading `.` (FNM_DOTMATCH), and the pattern `*` matches \
                         `.github` only if they do"
                    .to_owned()
            }
        );
        // Matches under the documented reading, not with braces expanded.
        assert_eq!(
            github_match("refs/heads/{a,b}", "refs/heads/{a,b}", NameKind::Ref),
            PatternMatch::Undetermined {
                reason: "GitHub's documentation does not say whether `{a,b}` braces are expanded \
                         into alternatives (FNM_EXTGLOB), and the pattern `refs/heads/{a,b}` \
                         matches `refs/heads/{a,b}` only if they are not"
                    .to_owned()
            }
        );
        // Two flags together: only the brace alternative `.*` matches.
        match github_match("{x,.*}", ".github", NameKind::Ref) {
            PatternMatch::Undetermined { reason } => {
                assert!(reason.contains("FNM_EXTGLOB"), "{reason}");
                assert!(!reason.contains("FNM_DOTMATCH"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
        match github_match("{*,x}", ".github", NameKind::Ref) {
            PatternMatch::Undetermined { reason } => assert!(
                reason.contains("or whether")
                    && reason.ends_with(
                        "only if GitHub's flags are FNM_PATHNAME|FNM_DOTMATCH|FNM_EXTGLOB"
                    ),
                "{reason}"
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn pathological_patterns_finish() {
        let long = "a".repeat(2000);
        let flags = Flags {
            dotmatch: false,
            extglob: true,
            casefold: true,
        };
        assert!(!fnmatch("*a*a*a*a*a*a*a*a*b", &long, flags));
        assert!(fnmatch("*a*a*a*a*a*a*a*a*a", &long, flags));
        let deep = vec!["a"; 1000].join("/");
        assert!(!fnmatch("**/**/a/**/a/**/*a*a*b", &deep, flags));
        assert!(fnmatch("**/a/**/a/**/*a", &deep, flags));
        // Brace groups multiply: github_match gives up rather than hang.
        let braces = "{a,b}".repeat(40);
        match github_match(&braces, "c", NameKind::Ref) {
            PatternMatch::Undetermined { reason } => {
                assert!(reason.contains("brace alternatives"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn nul_is_never_a_match() {
        let flags = Flags {
            dotmatch: false,
            extglob: false,
            casefold: false,
        };
        assert!(!fnmatch("a\0", "a", flags));
        assert!(!fnmatch("*", "a\0b", flags));
        assert!(matches!(
            github_match("*", "a\0b", NameKind::Ref),
            PatternMatch::Undetermined { .. }
        ));
    }
}
