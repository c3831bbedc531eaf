//! CloudWatch Logs JSON filter patterns (`{ $.eventName = "ConsoleLogin" &&
//! … }`), read into alternatives of conjunctions, and whether a pattern
//! matches every event of a kind. Soundness over completeness: a pattern is
//! said to match a kind only when one of its alternatives asks nothing
//! beyond what every such event has; a pattern tenet cannot read matches
//! nothing and says why.

/// One comparison of a pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Term {
    selector: String,
    op: String,
    value: String,
}

/// A pattern as alternatives, each a conjunction of comparisons.
pub(crate) type Alternatives = Vec<Vec<Term>>;

/// The most alternatives a pattern may expand to.
const MAX_ALTERNATIVES: usize = 1024;

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Open,
    Close,
    LeftBrace,
    RightBrace,
    And,
    Or,
    Word(String),
    Quoted(String),
}

fn tokens(pattern: &str) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    let mut chars = pattern.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' | ')' | '{' | '}' => {
                chars.next();
                out.push(match c {
                    '(' => Token::Open,
                    ')' => Token::Close,
                    '{' => Token::LeftBrace,
                    _ => Token::RightBrace,
                });
            }
            '&' | '|' => {
                chars.next();
                if chars.next() != Some(c) {
                    return Err(format!("a single `{c}`"));
                }
                out.push(if c == '&' { Token::And } else { Token::Or });
            }
            '"' => {
                chars.next();
                let mut text = String::new();
                loop {
                    match chars.next() {
                        Some('\\') => text.extend(chars.next()),
                        Some('"') => break,
                        Some(other) => text.push(other),
                        None => return Err("an unterminated string".to_owned()),
                    }
                }
                out.push(Token::Quoted(text));
            }
            '=' | '!' | '<' | '>' => {
                let mut op = String::new();
                while let Some(&next) = chars.peek() {
                    if !matches!(next, '=' | '!' | '<' | '>') {
                        break;
                    }
                    op.push(next);
                    chars.next();
                }
                out.push(Token::Word(op));
            }
            _ => {
                let mut word = String::new();
                while let Some(&next) = chars.peek() {
                    if next.is_whitespace() || "(){}&|\"=!<>".contains(next) {
                        break;
                    }
                    word.push(next);
                    chars.next();
                }
                out.push(Token::Word(word));
            }
        }
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    /// `primary ((&& | ||) primary)*`, one operator per level.
    fn expression(&mut self) -> Result<Alternatives, String> {
        let mut result = self.primary()?;
        let mut joiner = None;
        while let Some(token @ (Token::And | Token::Or)) = self.peek().cloned() {
            self.at += 1;
            if joiner.is_some_and(|seen| seen != token) {
                return Err("&& and || mixed without parentheses".to_owned());
            }
            joiner = Some(token.clone());
            let right = self.primary()?;
            result = if token == Token::Or {
                result.into_iter().chain(right).collect()
            } else {
                let mut product = Vec::new();
                for left in &result {
                    for term in &right {
                        product.push(left.iter().chain(term).cloned().collect());
                    }
                }
                product
            };
            if result.len() > MAX_ALTERNATIVES {
                return Err(format!("more than {MAX_ALTERNATIVES} alternatives"));
            }
        }
        Ok(result)
    }

    fn primary(&mut self) -> Result<Alternatives, String> {
        match self.next() {
            Some(Token::Open) => {
                let inner = self.expression()?;
                match self.next() {
                    Some(Token::Close) => Ok(inner),
                    _ => Err("an unclosed `(`".to_owned()),
                }
            }
            Some(Token::Word(selector)) if selector.starts_with("$.") => self.comparison(selector),
            other => Err(format!("{other:?} where a comparison was expected")),
        }
    }

    fn comparison(&mut self, selector: String) -> Result<Alternatives, String> {
        let term = |op: &str, value: String| {
            Ok(vec![vec![Term {
                selector: selector.clone(),
                op: op.to_owned(),
                value,
            }]])
        };
        match self.next() {
            Some(Token::Word(op))
                if matches!(op.as_str(), "=" | "!=" | "<" | ">" | "<=" | ">=") =>
            {
                match self.next() {
                    Some(Token::Quoted(value) | Token::Word(value)) if !value.starts_with("$.") => {
                        term(&op, value)
                    }
                    other => Err(format!("{other:?} where a value was expected")),
                }
            }
            Some(Token::Word(first)) if matches!(first.as_str(), "NOT" | "IS") => {
                match self.next() {
                    Some(Token::Word(second)) => term(&format!("{first} {second}"), String::new()),
                    other => Err(format!("{other:?} after {first}")),
                }
            }
            other => Err(format!("{other:?} where an operator was expected")),
        }
    }
}

/// Reads a JSON filter pattern; `Err` says what tenet does not read.
pub(crate) fn parse(pattern: &str) -> Result<Alternatives, String> {
    // The empty pattern matches every event.
    if pattern.trim().is_empty() {
        return Ok(vec![vec![]]);
    }
    let mut parser = Parser {
        tokens: tokens(pattern)?,
        at: 0,
    };
    if parser.next() != Some(Token::LeftBrace) {
        return Err("not a JSON filter pattern `{ … }`".to_owned());
    }
    let alternatives = parser.expression()?;
    if parser.next() != Some(Token::RightBrace) || parser.peek().is_some() {
        return Err("text after the pattern's closing `}`".to_owned());
    }
    Ok(alternatives)
}

/// A kind of event, by the comparisons every such event satisfies
/// (selector, operator, value; `NOT EXISTS` has no value).
pub(crate) type Event = &'static [(&'static str, &'static str, &'static str)];

/// Whether `value` (a pattern's, where `*` matches any text) matches `text`.
fn wildcard(value: &str, text: &str) -> bool {
    match value.split_once('*') {
        None => value == text,
        Some((head, tail)) => text.strip_prefix(head).is_some_and(|rest| {
            (0..=rest.len())
                .filter(|at| rest.is_char_boundary(*at))
                .any(|at| wildcard(tail, &rest[at..]))
        }),
    }
}

/// Whether every event of the kind satisfies `term`.
fn implied(term: &Term, event: Event) -> bool {
    event.iter().any(|(selector, op, value)| {
        *selector == term.selector
            && match (term.op.as_str(), *op) {
                ("=", "=") => wildcard(&term.value, value),
                ("!=", "!=") => term.value == *value,
                ("NOT EXISTS", "NOT EXISTS") => true,
                _ => false,
            }
    })
}

/// Whether the pattern matches every event of the kind: one alternative
/// asks nothing beyond what such an event satisfies.
pub(crate) fn matches_every(alternatives: &Alternatives, event: Event) -> bool {
    alternatives
        .iter()
        .any(|terms| terms.iter().all(|term| implied(term, event)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: Event = &[
        ("$.userIdentity.type", "=", "Root"),
        ("$.userIdentity.invokedBy", "NOT EXISTS", ""),
        ("$.eventType", "!=", "AwsServiceEvent"),
    ];
    const PUT_ROLE_POLICY: Event = &[
        ("$.eventName", "=", "PutRolePolicy"),
        ("$.eventSource", "=", "iam.amazonaws.com"),
    ];

    #[test]
    fn patterns_match_the_events_they_cannot_miss() {
        let cases = [
            // CIS 4.3 as the benchmark writes it.
            (
                r#"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }"#,
                ROOT,
                true,
            ),
            (r#"{($.userIdentity.type="Root")}"#, ROOT, true),
            (r#"{ $.userIdentity.type = Root }"#, ROOT, true),
            (r#"{ $.userIdentity.type = "Ro*" }"#, ROOT, true),
            // A further condition can miss some root use.
            (
                r#"{ $.userIdentity.type = "Root" && $.sourceIPAddress = "10.0.0.1" }"#,
                ROOT,
                false,
            ),
            (r#"{ $.userIdentity.type = "IAMUser" }"#, ROOT, false),
            (r#"{ $.userIdentity.type != "Root" }"#, ROOT, false),
            (
                r#"{ ($.eventName = DeleteGroupPolicy) || ($.eventName = PutRolePolicy) }"#,
                PUT_ROLE_POLICY,
                true,
            ),
            (
                r#"{ $.eventSource = "iam.amazonaws.com" && ($.eventName = "Put*" || $.eventName = "Attach*") }"#,
                PUT_ROLE_POLICY,
                true,
            ),
            (
                r#"{ $.eventName = "DeleteGroupPolicy" }"#,
                PUT_ROLE_POLICY,
                false,
            ),
            (
                r#"{ $.errorCode > 5 || $.eventName = PutRolePolicy }"#,
                PUT_ROLE_POLICY,
                true,
            ),
            ("", ROOT, true),
        ];
        for (pattern, event, expected) in cases {
            let alternatives = parse(pattern).unwrap_or_else(|err| panic!("{pattern}: {err}"));
            assert_eq!(matches_every(&alternatives, event), expected, "{pattern}");
        }
    }

    #[test]
    fn patterns_tenet_does_not_read_are_errors() {
        for pattern in [
            "ERROR",
            r#"{ $.a = 1 && $.b = 2 || $.c = 3 }"#,
            r#"{ $.a = "1" "#,
            r#"{ $.a = 1 } extra"#,
            r#"{ ($.a = 1 }"#,
            r#"{ $.a & $.b }"#,
            r#"{ $.a = "unterminated }"#,
            "{}",
        ] {
            assert!(parse(pattern).is_err(), "{pattern}");
        }
        let wide = format!(
            "{{ {} }}",
            (0..11)
                .map(|i| format!("($.a = {i} || $.b = {i})"))
                .collect::<Vec<_>>()
                .join(" && ")
        );
        assert!(parse(&wide).is_err(), "2^11 alternatives");
    }
}
