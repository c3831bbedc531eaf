//! Exact reasoning about *sets* of actions: "is every action of service S
//! allowed?", "is every action at all allowed?".
//!
//! The allowed set is a boolean combination of wildcard patterns: the union
//! of the Allow statements (each the union of its `Action` patterns, or the
//! complement of its `NotAction` patterns) minus the union of the Deny
//! statements (likewise). Whether such a set contains every action name of a
//! given shape is decided by exploring the product of the patterns' automata
//! over an abstract alphabet: every character that appears literally in some
//! pattern, plus one "other" character standing for all those that do not (no
//! pattern can tell them apart). Action names are modelled as
//! `service:Name` with `service` in `[a-z0-9-]+` and `Name` in `[a-z0-9]+`
//! after case folding. So `NotAction: "iam:Get*"` plus `Action: "iam:Get*"`
//! is correctly seen to cover `iam:*`, and `Allow *` minus `Deny s3:Delete*`
//! correctly does not cover `s3:*`.

use rustc_hash::FxHashSet;

use crate::wildcard::{Case, Tok, tokenize};

/// The `Action`/`NotAction` element of one statement, borrowed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Clause<'a> {
    /// The patterns as written.
    pub patterns: &'a [String],
    /// `true` for `NotAction`.
    pub negated: bool,
}

/// How much work (pattern positions advanced) one set question may take
/// before the search gives up and returns the set's `undecided` answer.
/// Real policies, even the largest managed ones, need a tiny fraction of
/// this; only adversarial stacks of multi-`*` patterns can exhaust it, since
/// the question is hard in general.
const WORK_BUDGET: usize = 1_000_000;

/// A symbol of the abstract alphabet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sym {
    Char(char),
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Phase {
    /// Nothing read yet.
    ServiceStart,
    /// Inside the service prefix.
    Service,
    /// Just read the `:`.
    NameStart,
    /// Inside the action name: a complete action has been read.
    Name,
}

/// The positions each live pattern has reached, as sorted (pattern, position)
/// pairs.
type State = Vec<(u32, u32)>;

/// A compiled "allows minus denies" set of actions.
#[derive(Debug)]
pub(crate) struct ActionSet {
    patterns: Vec<Vec<Tok>>,
    /// For each pattern, the index of its clause in `clauses`.
    clause_of: Vec<usize>,
    /// For each clause: (negated, is a deny).
    clauses: Vec<(bool, bool)>,
    /// For each pattern, its service when spelt out without wildcards
    /// (lowercase).
    services: Vec<Option<String>>,
    service_syms: Vec<Sym>,
    name_syms: Vec<Sym>,
    /// The answer to give when a question exceeds [`WORK_BUDGET`].
    undecided: bool,
}

fn service_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'
}

fn name_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

impl ActionSet {
    /// Compiles the set `union(allows) - union(denies)`. Questions too
    /// costly to decide answer `true` ("may contain"); see
    /// [`ActionSet::undecided_means`].
    pub(crate) fn new(allows: &[Clause<'_>], denies: &[Clause<'_>]) -> Self {
        let mut patterns = Vec::new();
        let mut clause_of = Vec::new();
        let mut clauses = Vec::new();
        let tagged = allows
            .iter()
            .map(|c| (c, false))
            .chain(denies.iter().map(|c| (c, true)));
        for (clause, deny) in tagged {
            let index = clauses.len();
            clauses.push((clause.negated, deny));
            for pattern in clause.patterns {
                patterns.push(tokenize(pattern, Case::Insensitive));
                clause_of.push(index);
            }
        }

        let services = patterns
            .iter()
            .map(|tokens| {
                let service: Option<String> = tokens
                    .iter()
                    .take_while(|t| **t != Tok::Lit(':'))
                    .map(|t| match t {
                        Tok::Lit(c) => Some(*c),
                        _ => None,
                    })
                    .collect();
                service.filter(|_| tokens.contains(&Tok::Lit(':')))
            })
            .collect();
        // The literal characters, as a set: ASCII in a table, the rest
        // (rare) in a list.
        let mut ascii = [false; 128];
        let mut others: Vec<char> = Vec::new();
        for tok in patterns.iter().flatten() {
            if let Tok::Lit(c) = tok {
                match ascii.get_mut(*c as usize) {
                    Some(seen) => *seen = true,
                    None => others.push(*c),
                }
            }
        }
        others.sort_unstable();
        others.dedup();
        let mut literals: Vec<char> = (0u8..128)
            .filter(|b| ascii[usize::from(*b)])
            .map(char::from)
            .collect();
        literals.extend(others);
        let alphabet = |valid: fn(char) -> bool, all: &str| {
            // "Other" first: it kills literal-bound patterns fastest, which
            // tends to reach a counterexample early.
            let mut syms = Vec::new();
            if all.chars().any(|c| !literals.contains(&c)) {
                syms.push(Sym::Other);
            }
            syms.extend(
                literals
                    .iter()
                    .copied()
                    .filter(|c| valid(*c))
                    .map(Sym::Char),
            );
            syms
        };
        let service_syms = alphabet(service_char, "abcdefghijklmnopqrstuvwxyz0123456789-");
        let name_syms = alphabet(name_char, "abcdefghijklmnopqrstuvwxyz0123456789");

        Self {
            patterns,
            clause_of,
            clauses,
            services,
            service_syms,
            name_syms,
            undecided: true,
        }
    }

    /// Sets the answer given when a "contains every…" question is too costly
    /// to decide: `true` when over-reporting is the cautious side (grants),
    /// `false` when under-reporting is (required denies).
    pub(crate) fn undecided_means(mut self, answer: bool) -> Self {
        self.undecided = answer;
        self
    }

    fn add_closure(&self, pattern: usize, mut pos: usize, out: &mut State) {
        let tokens = &self.patterns[pattern];
        loop {
            out.push((pattern as u32, pos as u32));
            if tokens.get(pos) == Some(&Tok::Star) {
                pos += 1;
            } else {
                break;
            }
        }
    }

    fn start(&self) -> State {
        self.start_of(|_| true)
    }

    /// The start state of the patterns `keep` selects: the others cannot
    /// match the names a question is about, and leaving them out changes
    /// no answer about those names.
    fn start_of(&self, keep: impl Fn(Option<&str>) -> bool) -> State {
        let mut state = Vec::new();
        for (pattern, service) in self.services.iter().enumerate() {
            if keep(service.as_deref()) {
                self.add_closure(pattern, 0, &mut state);
            }
        }
        state.sort_unstable();
        state.dedup();
        state
    }

    fn step(&self, state: &State, sym: Sym) -> State {
        let mut next = Vec::new();
        self.step_into(state, sym, &mut next);
        next
    }

    /// [`ActionSet::step`] into `next` (cleared first), reusing its memory.
    fn step_into(&self, state: &State, sym: Sym, next: &mut State) {
        next.clear();
        for &(pattern, pos) in state {
            let (pattern, pos) = (pattern as usize, pos as usize);
            match self.patterns[pattern].get(pos) {
                Some(Tok::Star) => self.add_closure(pattern, pos, next),
                Some(Tok::Any) => self.add_closure(pattern, pos + 1, next),
                Some(Tok::Lit(c)) if sym == Sym::Char(*c) => {
                    self.add_closure(pattern, pos + 1, next)
                }
                _ => {}
            }
        }
        next.sort_unstable();
        next.dedup();
    }

    /// Whether a string is in the set, given which clauses' patterns it
    /// matches: some allowing clause applies and no denying one does.
    fn verdict(&self, hit: &[bool]) -> bool {
        let mut allowed = false;
        for (&(negated, deny), &hit) in self.clauses.iter().zip(hit) {
            if hit != negated {
                if deny {
                    return false;
                }
                allowed = true;
            }
        }
        allowed
    }

    /// Whether the string read so far is in the set.
    fn accepts(&self, state: &State) -> bool {
        let mut hit = vec![false; self.clauses.len()];
        for &(pattern, pos) in state {
            let pattern = pattern as usize;
            if pos as usize == self.patterns[pattern].len() {
                hit[self.clause_of[pattern]] = true;
            }
        }
        self.verdict(&hit)
    }

    /// Whether the concrete action `action` is in the set (the tests'
    /// oracle for the set questions).
    #[cfg(test)]
    pub(crate) fn contains(&self, action: &str) -> bool {
        let text: Vec<char> = action.to_lowercase().chars().collect();
        let mut hit = vec![false; self.clauses.len()];
        for (pattern, tokens) in self.patterns.iter().enumerate() {
            if !hit[self.clause_of[pattern]] && crate::wildcard::glob(tokens, &text) {
                hit[self.clause_of[pattern]] = true;
            }
        }
        self.verdict(&hit)
    }

    /// Whether every action name reachable from (`phase`, `state`) is in the
    /// set.
    fn all_from(&self, phase: Phase, state: State) -> bool {
        // The states seen, one set per phase (so that a state is looked up
        // without building a key).
        let mut seen: [FxHashSet<State>; 4] = Default::default();
        let slot = |phase: Phase| match phase {
            Phase::ServiceStart => 0,
            Phase::Service => 1,
            Phase::NameStart => 2,
            Phase::Name => 3,
        };
        let mut stack = vec![(phase, state)];
        let mut work = 0usize;
        let mut successors = Vec::with_capacity(self.service_syms.len() + 1);
        let mut scratch = State::new();
        while let Some((phase, state)) = stack.pop() {
            if seen[slot(phase)].contains(&state) {
                continue;
            }
            if phase == Phase::Name && !self.accepts(&state) {
                return false;
            }
            // Nothing alive: every longer name is judged as this one.
            if state.is_empty() && matches!(phase, Phase::NameStart | Phase::Name) {
                if !self.accepts(&state) {
                    return false;
                }
                seen[slot(phase)].insert(state);
                continue;
            }
            work += state.len() + 1;
            if work > WORK_BUDGET {
                return self.undecided;
            }
            successors.clear();
            match phase {
                Phase::ServiceStart | Phase::Service => {
                    // The `:` first: short names are the likeliest
                    // counterexamples.
                    if phase == Phase::Service {
                        successors.push((Phase::NameStart, Sym::Char(':')));
                    }
                    successors.extend(self.service_syms.iter().map(|&sym| (Phase::Service, sym)));
                }
                Phase::NameStart | Phase::Name => {
                    successors.extend(self.name_syms.iter().map(|&sym| (Phase::Name, sym)));
                }
            }
            // Pushed in reverse so that the first symbol is explored first.
            for &(next_phase, sym) in successors.iter().rev() {
                work += state.len() + 1;
                self.step_into(&state, sym, &mut scratch);
                if !seen[slot(next_phase)].contains(&scratch) {
                    stack.push((next_phase, scratch.clone()));
                }
            }
            seen[slot(phase)].insert(state);
        }
        true
    }

    /// Whether every action of every service is in the set.
    pub(crate) fn contains_everything(&self) -> bool {
        self.all_from(Phase::ServiceStart, self.start())
    }

    /// Whether every action of `service` (`iam`, `s3`, …) is in the set.
    pub(crate) fn contains_service(&self, service: &str) -> bool {
        let service = service.to_lowercase();
        // A pattern that spells out another service cannot match.
        let mut state = self.start_of(|spelt| spelt.is_none_or(|spelt| spelt == service));
        for c in service.chars() {
            state = self.step(&state, Sym::Char(c));
        }
        state = self.step(&state, Sym::Char(':'));
        self.all_from(Phase::NameStart, state)
    }

    /// Whether every action of a service the patterns never name (a service
    /// whose name shares no literal character with any pattern) is in the
    /// set: true exactly when the set is "everything except some exclusions".
    pub(crate) fn contains_unnamed_service(&self) -> bool {
        let longest = self.patterns.iter().map(Vec::len).max().unwrap_or(0);
        // A pattern that spells out its service names that service.
        let mut state = self.start_of(|spelt| spelt.is_none());
        for _ in 0..=longest {
            state = self.step(&state, Sym::Other);
        }
        state = self.step(&state, Sym::Char(':'));
        self.all_from(Phase::NameStart, state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(patterns: &[&str]) -> Vec<String> {
        patterns.iter().map(|p| (*p).to_owned()).collect()
    }

    fn allow(p: &[String]) -> Clause<'_> {
        Clause {
            patterns: p,
            negated: false,
        }
    }

    fn not(p: &[String]) -> Clause<'_> {
        Clause {
            patterns: p,
            negated: true,
        }
    }

    #[test]
    fn star_is_everything() {
        let star = list(&["*"]);
        let set = ActionSet::new(&[allow(&star)], &[]);
        assert!(set.contains_everything());
        assert!(set.contains_service("iam"));
        assert!(set.contains_unnamed_service());
        assert!(set.contains("iam:PassRole"));
    }

    #[test]
    fn service_star_is_only_that_service() {
        let iam = list(&["IAM:*"]);
        let set = ActionSet::new(&[allow(&iam)], &[]);
        assert!(!set.contains_everything());
        assert!(set.contains_service("iam"));
        assert!(!set.contains_service("s3"));
        assert!(!set.contains_service("iam-extra"));
        assert!(!set.contains_unnamed_service());
    }

    #[test]
    fn prefix_wildcards_are_not_the_whole_service() {
        let get = list(&["s3:Get*", "s3:List*", "s3:?ut*"]);
        let set = ActionSet::new(&[allow(&get)], &[]);
        assert!(!set.contains_service("s3"));
        assert!(set.contains("s3:GetObject"));
        assert!(set.contains("s3:PutObject"));
        assert!(!set.contains("s3:DeleteObject"));
    }

    #[test]
    fn complementary_statements_cover_together() {
        let get = list(&["iam:Get*"]);
        let set = ActionSet::new(&[not(&get), allow(&get)], &[]);
        assert!(set.contains_everything());
    }

    #[test]
    fn denies_carve_out() {
        let star = list(&["*"]);
        let deletes = list(&["s3:Delete*"]);
        let set = ActionSet::new(&[allow(&star)], &[allow(&deletes)]);
        assert!(!set.contains_everything());
        assert!(!set.contains_service("s3"));
        assert!(set.contains_service("ec2"));
        assert!(set.contains_unnamed_service());
        assert!(!set.contains("s3:DeleteBucket"));
        assert!(set.contains("s3:GetObject"));
    }

    #[test]
    fn deny_not_action_keeps_only_the_listed_actions() {
        let star = list(&["*"]);
        let iam = list(&["iam:*"]);
        let set = ActionSet::new(&[allow(&star)], &[not(&iam)]);
        assert!(set.contains_service("iam"));
        assert!(!set.contains_service("s3"));
        assert!(!set.contains_everything());
    }

    #[test]
    fn empty_lists() {
        let empty: Vec<String> = Vec::new();
        assert!(!ActionSet::new(&[allow(&empty)], &[]).contains_service("s3"));
        assert!(ActionSet::new(&[not(&empty)], &[]).contains_everything());
        assert!(!ActionSet::new(&[], &[]).contains("s3:GetObject"));
    }

    #[test]
    fn question_marks_in_service_names() {
        let p = list(&["?3:*", "?:*"]);
        let set = ActionSet::new(&[allow(&p)], &[]);
        assert!(set.contains_service("s3"));
        assert!(!set.contains_service("ec2"));
        assert!(!set.contains_unnamed_service());
    }

    #[test]
    fn costly_questions_give_the_chosen_answer() {
        // Stacks of multi-`*` patterns make the exact question exponential;
        // the search stops at the budget and answers as configured.
        let letters = "abcdefghijklmnopqrstuvwxyz";
        let pick = |i: usize| letters.chars().nth(i % 26).unwrap_or('a');
        let patterns: Vec<String> = (0..40)
            .map(|i| format!("*{}*{}:*{}*{}*", pick(i), i % 10, pick(i * 7), pick(i * 3)))
            .collect();
        // Complementary allows: the true answer is "everything".
        let cautious = ActionSet::new(&[allow(&patterns), not(&patterns)], &[]);
        assert!(cautious.contains_everything());
        let strict =
            ActionSet::new(&[allow(&patterns), not(&patterns)], &[]).undecided_means(false);
        assert!(!strict.contains_everything());
        // A counterexample is still found quickly: short names come first.
        let narrow = ActionSet::new(&[allow(&patterns)], &[]);
        assert!(!narrow.contains_everything());
    }
}
