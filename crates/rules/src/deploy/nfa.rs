//! Small automata over the characters of one string: IAM's wildcard
//! patterns (`*` and `?` cross `/`) and GitHub's `fnmatch` patterns
//! (Ruby's `File.fnmatch` with `FNM_PATHNAME`: `*` and `?` stay within a
//! path segment, `**/` spans segments, a `.` starting a segment is matched
//! only by a `.` in the pattern).
//!
//! A `fnmatch` pattern compiles to a language that is exact where
//! GitHub's reading is documented and, where it is not (brackets, braces,
//! whether `FNM_DOTMATCH` is set), to a language known to be smaller
//! ([`Bound::Within`]) or larger ([`Bound::Around`]) than GitHub's, as the
//! caller needs: a branch counts as protected only when a smaller reading
//! of an include pattern matches it and a larger reading of no exclude
//! pattern does.

/// What one step of an automaton consumes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Class {
    /// This character.
    Char(char),
    /// This character in either case (ASCII letters folded, as IAM's
    /// `…IgnoreCase` operators do for the names tenet compares).
    Fold(char),
    /// Any character.
    Any,
    /// Any character but `/`; a `.` at the start of a segment only when
    /// `dot_at_start`.
    InSegment {
        /// A `.` may start a segment.
        dot_at_start: bool,
    },
}

impl Class {
    /// Whether the class takes `c`; `segment_start` says whether `c` begins
    /// a path segment (the first character, or one after `/`).
    fn takes(self, c: char, segment_start: bool) -> bool {
        match self {
            Class::Char(own) => own == c,
            Class::Fold(own) => own.eq_ignore_ascii_case(&c),
            Class::Any => true,
            Class::InSegment { dot_at_start } => {
                c != '/' && (dot_at_start || !segment_start || c != '.')
            }
        }
    }

    /// The characters the class names, for the search's alphabet.
    pub fn named(self) -> Vec<char> {
        match self {
            Class::Char(c) => vec![c],
            Class::Fold(c) => vec![c.to_ascii_lowercase(), c.to_ascii_uppercase()],
            Class::Any | Class::InSegment { .. } => vec!['/', '.'],
        }
    }
}

/// A nondeterministic automaton with ε-moves. State 0 is the start.
#[derive(Clone, Debug, Default)]
pub(crate) struct Nfa {
    /// Each state's moves that consume a character.
    moves: Vec<Vec<(Class, usize)>>,
    /// Each state's ε-moves.
    empty: Vec<Vec<usize>>,
    /// The accepting states.
    accept: Vec<usize>,
    /// Stands for a language tenet does not model: every string (`true`)
    /// or none (`false`) instead of the states.
    constant: Option<bool>,
}

/// A set of states, sorted, without repeats.
pub(crate) type States = Vec<usize>;

impl Nfa {
    /// The automaton of every string, or of none.
    pub fn constant(every: bool) -> Nfa {
        Nfa {
            constant: Some(every),
            ..Nfa::default()
        }
    }

    fn state(&mut self) -> usize {
        self.moves.push(Vec::new());
        self.empty.push(Vec::new());
        self.moves.len() - 1
    }

    fn link(&mut self, from: usize, class: Class, to: usize) {
        self.moves[from].push((class, to));
    }

    /// An IAM string comparison: with `like`, `*` matches any run of
    /// characters and `?` any one character (`/` and `:` included, as in
    /// IAM); without it, every character is itself. `fold` ignores ASCII
    /// case.
    pub fn iam(pattern: &str, like: bool, fold: bool) -> Nfa {
        let mut nfa = Nfa::default();
        let mut at = nfa.state();
        for c in pattern.chars() {
            match c {
                '*' if like => {
                    nfa.link(at, Class::Any, at);
                    let next = nfa.state();
                    nfa.empty[at].push(next);
                    at = next;
                }
                '?' if like => {
                    let next = nfa.state();
                    nfa.link(at, Class::Any, next);
                    at = next;
                }
                c => {
                    let next = nfa.state();
                    let class = if fold { Class::Fold(c) } else { Class::Char(c) };
                    nfa.link(at, class, next);
                    at = next;
                }
            }
        }
        nfa.accept.push(at);
        nfa
    }

    /// Branch and tag names as git takes them, roughly: `/`-separated
    /// parts, none empty and none starting with `.`.
    pub fn ref_name() -> Nfa {
        let mut nfa = Nfa::default();
        let start = nfa.state();
        let inside = nfa.state();
        nfa.link(
            start,
            Class::InSegment {
                dot_at_start: false,
            },
            inside,
        );
        nfa.link(inside, Class::InSegment { dot_at_start: true }, inside);
        nfa.link(inside, Class::Char('/'), start);
        nfa.accept.push(inside);
        nfa
    }

    /// GitHub's `fnmatch` pattern as a language bounded as `bound` asks.
    pub fn fnmatch(pattern: &str, bound: Bound) -> Nfa {
        let dotmatch = bound == Bound::Around;
        let Some(segments) = segments(pattern) else {
            return Nfa::constant(bound == Bound::Around);
        };
        let mut nfa = Nfa::default();
        let mut at = nfa.state();
        let mut first = true;
        let mut iter = segments.iter().peekable();
        while let Some(segment) = iter.next() {
            if !first {
                let next = nfa.state();
                nfa.link(at, Class::Char('/'), next);
                at = next;
            }
            first = false;
            if *segment == Segment::Globstar {
                // `**/`: any number of segments, each followed by `/`.
                let inside = nfa.state();
                nfa.link(
                    at,
                    Class::InSegment {
                        dot_at_start: dotmatch,
                    },
                    inside,
                );
                nfa.link(at, Class::Char('/'), at);
                nfa.link(inside, Class::InSegment { dot_at_start: true }, inside);
                nfa.link(inside, Class::Char('/'), at);
                // The `/` after `**` is the globstar's own: the next
                // segment starts right here.
                first = true;
                if iter.peek().is_none() {
                    // A pattern ending in `**/` ends in an empty segment.
                    nfa.accept.push(at);
                    return nfa;
                }
                continue;
            }
            let Segment::Plain(tokens) = segment else {
                continue;
            };
            let dot_at_start = dotmatch || tokens.first() == Some(&Token::Lit('.'));
            for token in tokens {
                match token {
                    Token::Lit(c) => {
                        let next = nfa.state();
                        nfa.link(at, Class::Char(*c), next);
                        at = next;
                    }
                    Token::One => {
                        let next = nfa.state();
                        nfa.link(at, Class::InSegment { dot_at_start }, next);
                        at = next;
                    }
                    Token::Star => {
                        nfa.link(at, Class::InSegment { dot_at_start }, at);
                        let next = nfa.state();
                        nfa.empty[at].push(next);
                        at = next;
                    }
                }
            }
        }
        nfa.accept.push(at);
        nfa
    }

    /// The states reached from the start without consuming anything.
    pub fn start(&self) -> States {
        if self.constant.is_some() {
            return Vec::new();
        }
        self.close(vec![0])
    }

    fn close(&self, mut states: States) -> States {
        let mut todo = states.clone();
        while let Some(state) = todo.pop() {
            for &next in &self.empty[state] {
                if !states.contains(&next) {
                    states.push(next);
                    todo.push(next);
                }
            }
        }
        states.sort_unstable();
        states.dedup();
        states
    }

    /// The states reached from `states` by consuming `c`.
    pub fn step(&self, states: &[usize], c: char, segment_start: bool) -> States {
        let mut next = Vec::new();
        for &state in states {
            for &(class, to) in &self.moves[state] {
                if class.takes(c, segment_start) {
                    next.push(to);
                }
            }
        }
        self.close(next)
    }

    /// The states reached from `states` by consuming `text`, which starts
    /// a segment when `segment_start`.
    pub fn feed(&self, states: &[usize], text: &str, mut segment_start: bool) -> States {
        let mut states = states.to_vec();
        for c in text.chars() {
            if states.is_empty() {
                break;
            }
            states = self.step(&states, c, segment_start);
            segment_start = c == '/';
        }
        states
    }

    /// Whether `states` include an accepting state.
    pub fn accepts(&self, states: &[usize]) -> bool {
        match self.constant {
            Some(every) => every,
            None => states.iter().any(|state| self.accept.contains(state)),
        }
    }

    /// Whether some continuation from `states` is accepted. Every state of
    /// these automata reaches an accepting one, so any state will do.
    pub fn alive(&self, states: &[usize]) -> bool {
        match self.constant {
            Some(every) => every,
            None => !states.is_empty(),
        }
    }

    /// Whether the automaton stands for every string or none.
    pub fn is_constant(&self) -> bool {
        self.constant.is_some()
    }

    /// The characters its moves name, for the search's alphabet.
    pub fn named(&self) -> Vec<char> {
        self.moves
            .iter()
            .flatten()
            .flat_map(|(class, _)| class.named())
            .collect()
    }
}

/// Which side of GitHub's language a `fnmatch` automaton may err on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Bound {
    /// Never matches a name GitHub's pattern does not: brackets and braces
    /// match nothing, a leading `.` only a literal `.`.
    Within,
    /// Matches every name GitHub's pattern does: a pattern with brackets or
    /// braces matches everything, and wildcards match a leading `.`.
    Around,
}

/// One element of a `fnmatch` segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token {
    Lit(char),
    One,
    Star,
}

/// One `/`-separated segment of a `fnmatch` pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Segment {
    /// `**` followed by `/`.
    Globstar,
    /// Anything else.
    Plain(Vec<Token>),
}

/// The segments of a pattern, or `None` for what is not modelled:
/// brackets, braces, a NUL, a `\` ending the pattern.
fn segments(pattern: &str) -> Option<Vec<Segment>> {
    if pattern.contains(['[', '{', '\0']) {
        return None;
    }
    let mut segments = Vec::new();
    let mut tokens = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => tokens.push(Token::Lit(chars.next()?)),
            '/' => segments.push(std::mem::take(&mut tokens)),
            '?' => tokens.push(Token::One),
            '*' => tokens.push(Token::Star),
            c => tokens.push(Token::Lit(c)),
        }
    }
    let last = tokens;
    let count = segments.len();
    let mut out: Vec<Segment> = Vec::with_capacity(count + 1);
    for tokens in segments {
        // `**` followed by `/` spans segments; several in a row are one.
        if tokens == [Token::Star, Token::Star] {
            if out.last() != Some(&Segment::Globstar) {
                out.push(Segment::Globstar);
            }
        } else {
            out.push(Segment::Plain(tokens));
        }
    }
    if !(last.is_empty() && out.last() == Some(&Segment::Globstar)) {
        out.push(Segment::Plain(last));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CASES: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/github/fnmatch-cases.tsv"
    ));

    fn matches(nfa: &Nfa, name: &str) -> bool {
        nfa.accepts(&nfa.feed(&nfa.start(), name, true))
    }

    /// Against Ruby's own answers: exact for every pattern tenet models
    /// (`PATHNAME` without, and with, `DOTMATCH`), and on the promised side
    /// of every reading for the others.
    #[test]
    fn fnmatch_agrees_with_ruby_or_errs_on_the_promised_side() {
        let mut lines = CASES.lines();
        let header: Vec<&str> = lines.next().expect("a header").split('\t').collect();
        let column = |name: &str| header.iter().position(|c| *c == name).expect(name);
        let readings: Vec<usize> = [
            "PATHNAME",
            "PATHNAME|EXTGLOB",
            "PATHNAME|DOTMATCH",
            "PATHNAME|DOTMATCH|EXTGLOB",
        ]
        .iter()
        .map(|name| column(name))
        .collect();
        let (plain, dotmatch) = (column("PATHNAME"), column("PATHNAME|DOTMATCH"));
        let mut exact = 0;
        for line in lines {
            let row: Vec<&str> = line.split('\t').collect();
            let (pattern, name) = (row[0], row[1]);
            let answer = |at: usize| row[at] == "true";
            let within = matches(&Nfa::fnmatch(pattern, Bound::Within), name);
            let around = matches(&Nfa::fnmatch(pattern, Bound::Around), name);
            if segments(pattern).is_some() {
                assert_eq!(within, answer(plain), "{pattern} / {name} without DOTMATCH");
                assert_eq!(around, answer(dotmatch), "{pattern} / {name} with DOTMATCH");
                exact += 1;
            }
            for &at in &readings {
                assert!(
                    !within || answer(at),
                    "{pattern} / {name}: Within matches, {} does not",
                    header[at]
                );
                assert!(
                    around || !answer(at),
                    "{pattern} / {name}: {} matches, Around does not",
                    header[at]
                );
            }
        }
        assert!(exact >= 150, "only {exact} rows modelled exactly");
    }

    #[test]
    fn iam_wildcards_cross_slashes_and_colons() {
        let cases = [
            ("release/*", true, false, "release/a/b", true),
            ("release/*", false, false, "release/a", false),
            ("release/*", false, false, "release/*", true),
            (
                "repo:acme/*:ref:refs/heads/main",
                true,
                false,
                "repo:acme/x:y:ref:refs/heads/main",
                true,
            ),
            ("Repo:ACME/app", false, true, "repo:acme/APP", true),
            ("Repo:ACME/app", false, false, "repo:acme/APP", false),
            ("a?c", true, false, "a/c", true),
            ("a?c", true, false, "ac", false),
        ];
        for (pattern, like, fold, text, expected) in cases {
            assert_eq!(
                matches(&Nfa::iam(pattern, like, fold), text),
                expected,
                "{pattern} / {text}"
            );
        }
    }

    #[test]
    fn ref_names_have_no_empty_or_hidden_parts() {
        for (name, valid) in [
            ("main", true),
            ("a/b", true),
            ("a//b", false),
            ("a/", false),
            (".a", false),
            ("a/.b", false),
            ("a.b/c.", true),
        ] {
            assert_eq!(matches(&Nfa::ref_name(), name), valid, "{name}");
        }
    }
}
