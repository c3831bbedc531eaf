//! IAM wildcard patterns: `*` matches any run of characters (including none,
//! and including `:` and `/`), `?` matches exactly one character, everything
//! else matches itself. There is no escaping, as in IAM.

/// Whether a wildcard comparison folds case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Case {
    /// Exact comparison, as IAM does for resource ARNs.
    Sensitive,
    /// Case-insensitive comparison, as IAM does for actions and condition keys.
    Insensitive,
}

/// One element of a compiled pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Tok {
    /// `*`
    Star,
    /// `?`
    Any,
    /// Any other character.
    Lit(char),
}

/// Compiles a pattern, folding case if asked. Runs of `*` are collapsed.
pub(crate) fn tokenize(pattern: &str, case: Case) -> Vec<Tok> {
    let folded;
    let text = match case {
        Case::Sensitive => pattern,
        Case::Insensitive => {
            folded = pattern.to_lowercase();
            &folded
        }
    };
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        let tok = match c {
            '*' => Tok::Star,
            '?' => Tok::Any,
            c => Tok::Lit(c),
        };
        if tok == Tok::Star && out.last() == Some(&Tok::Star) {
            continue;
        }
        out.push(tok);
    }
    out
}

fn chars(text: &str, case: Case) -> Vec<char> {
    match case {
        Case::Sensitive => text.chars().collect(),
        Case::Insensitive => text.to_lowercase().chars().collect(),
    }
}

/// Matches compiled `pattern` against `text` (already case-folded if needed).
pub(crate) fn glob(pattern: &[Tok], text: &[char]) -> bool {
    let (mut p, mut t) = (0, 0);
    // The last `*` seen and the text position it currently resumes from.
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(Tok::Any) => {
                p += 1;
                t += 1;
            }
            Some(Tok::Lit(c)) if *c == text[t] => {
                p += 1;
                t += 1;
            }
            Some(Tok::Star) => {
                star = Some((p, t));
                p += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    // Let the last `*` absorb one more character and retry.
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p.min(pattern.len())..]
        .iter()
        .all(|tok| *tok == Tok::Star)
}

/// Whether `text` matches the IAM wildcard `pattern` (`*` = any run of
/// characters, `?` = one character).
///
/// ```
/// use tenet_iam_policy::{Case, wildcard_match};
/// assert!(wildcard_match("iam:*Policy*", "IAM:PutUserPolicy", Case::Insensitive));
/// assert!(wildcard_match("arn:aws:s3:::logs/*", "arn:aws:s3:::logs/a/b", Case::Sensitive));
/// assert!(!wildcard_match("arn:aws:s3:::Logs/*", "arn:aws:s3:::logs/a", Case::Sensitive));
/// ```
pub fn wildcard_match(pattern: &str, text: &str, case: Case) -> bool {
    glob(&tokenize(pattern, case), &chars(text, case))
}

/// Whether the action pattern `pattern` (from `Action`/`NotAction`) matches
/// `action` (`service:Name`); case-insensitive, as IAM compares actions.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    wildcard_match(pattern, action, Case::Insensitive)
}

/// Whether the resource pattern `pattern` (from `Resource`/`NotResource`)
/// matches the ARN `resource`; case-sensitive, as IAM compares ARNs.
pub fn resource_matches(pattern: &str, resource: &str) -> bool {
    wildcard_match(pattern, resource, Case::Sensitive)
}

/// Whether the resource pattern `pattern` may name the ARN `resource`,
/// whatever the request: every policy variable (`${aws:username}`,
/// `${aws:PrincipalTag/team}`, …) is read as any text, which can only make
/// it name more. For judging which roles, instances or users a grant
/// reaches, never for whether a statement covers a resource.
pub fn may_name(pattern: &str, resource: &str) -> bool {
    if !pattern.contains("${") {
        return resource_matches(pattern, resource);
    }
    let mut widened = String::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(start) = rest.find("${") {
        widened.push_str(&rest[..start]);
        match rest[start..].find('}') {
            Some(end) => {
                widened.push('*');
                rest = &rest[start + end + 1..];
            }
            // An unclosed variable: everything after it may be anything.
            None => {
                widened.push('*');
                rest = "";
            }
        }
    }
    widened.push_str(rest);
    resource_matches(&widened, resource)
}

/// Whether every string matched by pattern `q` is matched by pattern `p`.
///
/// Sound but not complete: `true` is always right; a few exotic pattern
/// pairs (such as `*?` against `?*`) answer `false` although one covers the
/// other. Callers use it where `false` is the cautious answer.
pub(crate) fn covers(p: &str, q: &str, case: Case) -> bool {
    let p = tokenize(p, case);
    let q = tokenize(q, case);
    let (n, m) = (p.len(), q.len());
    let width = m + 1;
    let mut table = vec![false; (n + 1) * width];
    for i in (0..=n).rev() {
        for j in (0..=m).rev() {
            let value = if i == n {
                j == m
            } else if j == m {
                p[i..].iter().all(|t| *t == Tok::Star)
            } else {
                match (p[i], q[j]) {
                    (Tok::Star, _) => table[(i + 1) * width + j] || table[i * width + j + 1],
                    (Tok::Any, Tok::Any | Tok::Lit(_)) => table[(i + 1) * width + j + 1],
                    (Tok::Lit(a), Tok::Lit(b)) if a == b => table[(i + 1) * width + j + 1],
                    _ => false,
                }
            };
            table[i * width + j] = value;
        }
    }
    table[0]
}

/// Whether some string is matched by both patterns (exact).
/// The literal part of a pattern that is a literal followed by one `*`.
fn literal_prefix(pattern: &str) -> Option<&str> {
    pattern
        .strip_suffix('*')
        .filter(|rest| !rest.contains(['*', '?']))
}

/// Whether `pattern` (case-sensitive) matches some text that starts with
/// the literal `head`.
fn can_start_with(pattern: &str, head: &str) -> bool {
    let mut wanted = head.chars();
    for c in pattern.chars() {
        match c {
            // The star can produce the rest of the head.
            '*' => return true,
            '?' => {
                if wanted.next().is_none() {
                    return true;
                }
            }
            c => match wanted.next() {
                Some(w) if w == c => {}
                Some(_) => return false,
                None => return true,
            },
        }
    }
    wanted.next().is_none()
}

pub(crate) fn intersects(p: &str, q: &str, case: Case) -> bool {
    if p == "*" || q == "*" {
        return true;
    }
    let literal = |text: &str| !text.contains(['*', '?']);
    if literal(p) && literal(q) {
        return match case {
            Case::Sensitive => p == q,
            Case::Insensitive => p.to_lowercase() == q.to_lowercase(),
        };
    }
    // A literal prefix and a final `*` (most ARN formats' resource parts):
    // the other pattern must be able to start with the prefix.
    if case == Case::Sensitive {
        if let Some(head) = literal_prefix(q) {
            return can_start_with(p, head);
        }
        if let Some(head) = literal_prefix(p) {
            return can_start_with(q, head);
        }
    }
    intersects_exactly(p, q, case)
}

/// [`intersects`] by dynamic programming over both patterns, without
/// shortcuts.
fn intersects_exactly(p: &str, q: &str, case: Case) -> bool {
    let p = tokenize(p, case);
    let q = tokenize(q, case);
    let (n, m) = (p.len(), q.len());
    let width = m + 1;
    let mut table = vec![false; (n + 1) * width];
    for i in (0..=n).rev() {
        for j in (0..=m).rev() {
            let value = if i == n {
                q[j..].iter().all(|t| *t == Tok::Star)
            } else if j == m {
                p[i..].iter().all(|t| *t == Tok::Star)
            } else if p[i] == Tok::Star || q[j] == Tok::Star {
                table[(i + 1) * width + j] || table[i * width + j + 1]
            } else {
                let compatible = match (p[i], q[j]) {
                    (Tok::Lit(a), Tok::Lit(b)) => a == b,
                    _ => true,
                };
                compatible && table[(i + 1) * width + j + 1]
            };
            table[i * width + j] = value;
        }
    }
    table[0]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_stars_and_question_marks() {
        assert!(wildcard_match("*", "", Case::Sensitive));
        assert!(wildcard_match("*", "anything:at/all", Case::Sensitive));
        assert!(wildcard_match(
            "s3:Get?bject",
            "s3:GetObject",
            Case::Sensitive
        ));
        assert!(!wildcard_match(
            "s3:Get?bject",
            "s3:Getbject",
            Case::Sensitive
        ));
        assert!(wildcard_match(
            "iam:*Policy*",
            "iam:PutRolePolicy",
            Case::Sensitive
        ));
        assert!(wildcard_match(
            "iam:*Policy*",
            "iam:CreatePolicyVersion",
            Case::Sensitive
        ));
        assert!(!wildcard_match(
            "iam:*Policy*",
            "iam:PassRole",
            Case::Sensitive
        ));
        assert!(wildcard_match("a*b*c", "aXbYbZc", Case::Sensitive));
        assert!(!wildcard_match("a*b*c", "aXbYbZ", Case::Sensitive));
        assert!(wildcard_match("**a**", "xxaxx", Case::Sensitive));
        assert!(!wildcard_match("abc", "abcd", Case::Sensitive));
        assert!(!wildcard_match("abcd", "abc", Case::Sensitive));
        assert!(wildcard_match("", "", Case::Sensitive));
        assert!(!wildcard_match("", "a", Case::Sensitive));
    }

    #[test]
    fn case_folding_is_chosen_by_the_caller() {
        assert!(action_matches(
            "IAM:createpolicyversion",
            "iam:CreatePolicyVersion"
        ));
        assert!(!resource_matches(
            "arn:aws:s3:::Bucket",
            "arn:aws:s3:::bucket"
        ));
    }

    #[test]
    fn coverage_is_sound() {
        assert!(covers("*", "arn:aws:s3:::b/*", Case::Sensitive));
        assert!(covers(
            "arn:aws:s3:::b*",
            "arn:aws:s3:::b/*",
            Case::Sensitive
        ));
        assert!(covers(
            "arn:aws:s3:::b/*",
            "arn:aws:s3:::b/*",
            Case::Sensitive
        ));
        assert!(covers(
            "arn:aws:s3:::b/?",
            "arn:aws:s3:::b/x",
            Case::Sensitive
        ));
        assert!(!covers(
            "arn:aws:s3:::b/?",
            "arn:aws:s3:::b/*",
            Case::Sensitive
        ));
        assert!(!covers(
            "arn:aws:s3:::b/*",
            "arn:aws:s3:::b",
            Case::Sensitive
        ));
        assert!(!covers(
            "arn:aws:s3:::b",
            "arn:aws:s3:::b/*",
            Case::Sensitive
        ));
        assert!(covers("S3:*", "s3:Get*", Case::Insensitive));
    }

    #[test]
    fn intersection_is_exact() {
        assert!(intersects("iam:*", "*", Case::Insensitive));
        assert!(intersects("*:Get*", "s3:*", Case::Insensitive));
        assert!(!intersects("iam:*", "s3:*", Case::Insensitive));
        assert!(intersects("a?c", "*c", Case::Sensitive));
        assert!(!intersects("a?c", "*d", Case::Sensitive));
        assert!(intersects("*b*", "a*", Case::Sensitive));
        assert!(!intersects("abc", "ab", Case::Sensitive));
    }

    #[test]
    fn shortcuts_agree_with_the_exact_answer() {
        // Every pattern of up to four symbols over `a`, `b`, `*`, `?`.
        let mut patterns = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..4 {
            last = last
                .iter()
                .flat_map(|p| ["a", "b", "*", "?"].map(|c| format!("{p}{c}")))
                .collect();
            patterns.extend(last.iter().cloned());
        }
        for p in &patterns {
            for q in &patterns {
                assert_eq!(
                    intersects(p, q, Case::Sensitive),
                    intersects_exactly(p, q, Case::Sensitive),
                    "{p:?} {q:?}"
                );
            }
        }
    }
}
