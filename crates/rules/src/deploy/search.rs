//! Whether some value of one unknown string `V` satisfies a boolean
//! combination of pattern tests, and the shortest such value.
//!
//! Each test ([`Atom`]) asks whether an automaton accepts `prefix + V +
//! suffix`. The search walks the product of the automata breadth-first
//! over an alphabet of every character some automaton names plus one it
//! does not (no automaton tells the others apart), so it finds a value
//! whenever one exists, and the shortest.

use std::collections::HashMap;

use super::nfa::{Nfa, States};

/// How many product states one search may visit before it gives up.
const BUDGET: usize = 20_000;

/// What follows `V` in the tested string.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Suffix {
    /// This text follows `V`.
    pub text: String,
    /// And then anything (`true`), or nothing.
    pub open: bool,
}

impl Suffix {
    /// Nothing follows.
    pub fn none() -> Suffix {
        Suffix::default()
    }

    /// `text` follows, then nothing.
    pub fn text(text: impl Into<String>) -> Suffix {
        Suffix {
            text: text.into(),
            open: false,
        }
    }

    /// `text` follows, then anything.
    pub fn then_anything(text: impl Into<String>) -> Suffix {
        Suffix {
            text: text.into(),
            open: true,
        }
    }
}

/// One test: does `nfa` accept `prefix + V + suffix`?
#[derive(Clone, Debug)]
struct Atom {
    nfa: Nfa,
    start: States,
    /// Whether `V` starts a path segment (the prefix is empty or ends in
    /// `/`).
    segment_start: bool,
    suffix: Suffix,
}

/// A boolean combination of tests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Formula {
    /// Always or never.
    Const(bool),
    /// The test with this index.
    Atom(usize),
    /// Not.
    Not(Box<Formula>),
    /// Every one.
    All(Vec<Formula>),
    /// At least one.
    Any(Vec<Formula>),
    /// A condition on a claim the workflow chooses: it holds or not as the
    /// workflow needs, which [`Formula::resolve_chosen`] settles.
    Chosen,
}

impl Formula {
    /// The negation, simplified.
    pub fn not(self) -> Formula {
        match self {
            Formula::Const(value) => Formula::Const(!value),
            Formula::Not(inner) => *inner,
            other => Formula::Not(Box::new(other)),
        }
    }

    /// Every one of `parts`, simplified.
    pub fn all(parts: Vec<Formula>) -> Formula {
        let mut kept = Vec::new();
        for part in parts {
            match part {
                Formula::Const(true) => {}
                Formula::Const(false) => return Formula::Const(false),
                other => kept.push(other),
            }
        }
        match kept.len() {
            0 => Formula::Const(true),
            1 => kept.remove(0),
            _ => Formula::All(kept),
        }
    }

    /// At least one of `parts`, simplified.
    pub fn any(parts: Vec<Formula>) -> Formula {
        let mut kept = Vec::new();
        for part in parts {
            match part {
                Formula::Const(false) => {}
                Formula::Const(true) => return Formula::Const(true),
                other => kept.push(other),
            }
        }
        match kept.len() {
            0 => Formula::Const(false),
            1 => kept.remove(0),
            _ => Formula::Any(kept),
        }
    }

    /// The formula with every [`Formula::Chosen`] part made `value`.
    pub fn resolve_chosen(self, value: bool) -> Formula {
        match self {
            Formula::Chosen => Formula::Const(value),
            Formula::Not(inner) => inner.resolve_chosen(!value).not(),
            Formula::All(parts) => {
                Formula::all(parts.into_iter().map(|p| p.resolve_chosen(value)).collect())
            }
            Formula::Any(parts) => {
                Formula::any(parts.into_iter().map(|p| p.resolve_chosen(value)).collect())
            }
            other => other,
        }
    }

    /// Whether the formula may still come to hold once every atom marked
    /// `dead` (one no continuation of `V` can make true) stays false: `false`
    /// only when it cannot, whatever the live atoms become.
    fn may_hold(&self, dead: &[bool]) -> bool {
        self.bound(dead) != Some(false)
    }

    /// The formula's value when only the dead atoms are known (false), or
    /// `None` when the live ones decide.
    fn bound(&self, dead: &[bool]) -> Option<bool> {
        match self {
            Formula::Const(value) => Some(*value),
            Formula::Atom(index) => dead[*index].then_some(false),
            Formula::Not(inner) => inner.bound(dead).map(|value| !value),
            Formula::All(parts) => Self::bound_of(parts, dead, false),
            Formula::Any(parts) => Self::bound_of(parts, dead, true),
            Formula::Chosen => None,
        }
    }

    /// [`Formula::bound`] of a conjunction (`absorbing` false) or a
    /// disjunction (`absorbing` true): one part known to be `absorbing`
    /// decides it; otherwise every part must be known.
    fn bound_of(parts: &[Formula], dead: &[bool], absorbing: bool) -> Option<bool> {
        let mut known = Some(!absorbing);
        for part in parts {
            match part.bound(dead) {
                Some(value) if value == absorbing => return Some(absorbing),
                Some(_) => {}
                None => known = None,
            }
        }
        known
    }

    fn eval(&self, atoms: &[bool]) -> bool {
        match self {
            Formula::Const(value) => *value,
            Formula::Atom(index) => atoms[*index],
            Formula::Not(inner) => !inner.eval(atoms),
            Formula::All(parts) => parts.iter().all(|part| part.eval(atoms)),
            Formula::Any(parts) => parts.iter().any(|part| part.eval(atoms)),
            // Settled before any search; read as holding otherwise.
            Formula::Chosen => true,
        }
    }
}

/// The tests of one search.
#[derive(Clone, Debug, Default)]
pub(crate) struct Space {
    atoms: Vec<Atom>,
}

/// A node of the search: the states of every atom, and whether the last
/// character of `V` was `/` (`None` while `V` is empty: then each atom's
/// own start decides).
type Node = (Vec<States>, Option<bool>);

/// A node and how it was reached: its parent and the character added.
type Visited = (Node, Option<(usize, char)>);

/// What a search found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Found {
    /// The shortest value that satisfies the formula.
    Value(String),
    /// No value does.
    Nothing,
    /// The search gave up.
    TooLarge,
}

impl Space {
    /// A test of `prefix + V + suffix` against `nfa`.
    pub fn test(&mut self, nfa: Nfa, prefix: &str, suffix: Suffix) -> Formula {
        if nfa.is_constant() {
            return Formula::Const(nfa.accepts(&[]));
        }
        let start = nfa.feed(&nfa.start(), prefix, true);
        if start.is_empty() {
            return Formula::Const(false);
        }
        self.atoms.push(Atom {
            nfa,
            start,
            segment_start: prefix.is_empty() || prefix.ends_with('/'),
            suffix,
        });
        Formula::Atom(self.atoms.len() - 1)
    }

    fn value(atom: &Atom, states: &States, segment_start: bool) -> bool {
        let end = atom.nfa.feed(states, &atom.suffix.text, segment_start);
        if atom.suffix.open {
            atom.nfa.alive(&end)
        } else {
            atom.nfa.accepts(&end)
        }
    }

    /// The shortest non-empty `V` made of characters `allowed` takes that
    /// satisfies `formula`.
    pub fn find(&self, formula: &Formula, allowed: impl Fn(char) -> bool) -> Found {
        let alphabet = self.alphabet(&allowed);
        let start: Vec<States> = self.atoms.iter().map(|atom| atom.start.clone()).collect();
        let at_start: Vec<bool> = self.atoms.iter().map(|atom| atom.segment_start).collect();
        let mut seen: HashMap<Node, usize> = HashMap::new();
        let mut nodes: Vec<Visited> = Vec::new();
        let first: Node = (start, None);
        seen.insert(first.clone(), 0);
        nodes.push((first, None));
        let mut next = 0;
        while next < nodes.len() {
            if nodes.len() > BUDGET {
                return Found::TooLarge;
            }
            let ((states, slash), _) = nodes[next].clone();
            // A node no continuation can take to the formula is not
            // expanded: an atom without states stays false.
            let dead: Vec<bool> = states.iter().map(Vec::is_empty).collect();
            if !formula.may_hold(&dead) {
                next += 1;
                continue;
            }
            if slash.is_some() {
                let values: Vec<bool> = self
                    .atoms
                    .iter()
                    .zip(&states)
                    .map(|(atom, states)| Space::value(atom, states, slash == Some(true)))
                    .collect();
                if formula.eval(&values) {
                    return Found::Value(Space::spell(&nodes, next));
                }
            }
            for &c in &alphabet {
                let stepped: Vec<States> = self
                    .atoms
                    .iter()
                    .zip(&states)
                    .enumerate()
                    .map(|(index, (atom, states))| {
                        let segment_start = slash.unwrap_or(at_start[index]);
                        atom.nfa.step(states, c, segment_start)
                    })
                    .collect();
                let node: Node = (stepped, Some(c == '/'));
                if !seen.contains_key(&node) {
                    seen.insert(node.clone(), nodes.len());
                    nodes.push((node, Some((next, c))));
                }
            }
            next += 1;
        }
        Found::Nothing
    }

    fn spell(nodes: &[Visited], mut at: usize) -> String {
        let mut chars = Vec::new();
        while let Some((parent, c)) = nodes[at].1 {
            chars.push(c);
            at = parent;
        }
        chars.iter().rev().collect()
    }

    /// Every character an automaton names, and one none names, that
    /// `allowed` takes: lowercase letters, capitals, digits, then the others, each
    /// part sorted.
    fn alphabet(&self, allowed: &impl Fn(char) -> bool) -> Vec<char> {
        let mut alphabet: Vec<char> = self
            .atoms
            .iter()
            .flat_map(|atom| atom.nfa.named())
            .chain(['/', '.'])
            .filter(|&c| allowed(c))
            .collect();
        let fresh = ('a'..='z').chain('1'..='9').chain(['0']).find(|&c| {
            allowed(c) && !alphabet.contains(&c) && !alphabet.contains(&c.to_ascii_uppercase())
        });
        alphabet.extend(fresh);
        // Lowercase letters, then capitals, then digits: the search prefers
        // them in its examples.
        alphabet
            .sort_unstable_by_key(|&c| (!c.is_alphabetic(), !c.is_numeric(), c.is_uppercase(), c));
        alphabet.dedup();
        alphabet
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deploy::nfa::Bound;

    fn any(_: char) -> bool {
        true
    }

    /// A value that one test pins down is decided without walking the
    /// product of thousands of others (the repositories of an organization
    /// a role does not trust): branches no continuation can satisfy are cut.
    #[test]
    fn hopeless_branches_are_not_walked() {
        let mut space = Space::default();
        let trusted = space.test(Nfa::iam("app-00007", false, false), "", Suffix::none());
        // Their names alone make more nodes than the search's budget.
        let scanned: Vec<Formula> = (0..25_000)
            .map(|i| {
                space.test(
                    Nfa::iam(&format!("app-{i:05}"), false, true),
                    "",
                    Suffix::none(),
                )
            })
            .collect();
        let open = Formula::all(vec![trusted, Formula::any(scanned).not()]);
        assert_eq!(space.find(&open, any), Found::Nothing);
    }

    #[test]
    fn finds_the_shortest_value_or_proves_there_is_none() {
        let mut space = Space::default();
        let trusted = space.test(
            Nfa::iam("repo:acme/app:ref:refs/heads/release*", true, false),
            "repo:acme/app:ref:refs/heads/",
            Suffix::none(),
        );
        let ruleset = space.test(
            Nfa::fnmatch("refs/heads/release/*", Bound::Within),
            "refs/heads/",
            Suffix::none(),
        );
        let open = Formula::all(vec![trusted.clone(), ruleset.clone().not()]);
        assert_eq!(space.find(&open, any), Found::Value("release".into()));
        let nested = Formula::all(vec![
            trusted.clone(),
            ruleset.not(),
            space.test(Nfa::iam("release/?*", true, false), "", Suffix::none()),
        ]);
        // A `.` may not start a segment under GitHub's reading of `*`.
        assert_eq!(space.find(&nested, any), Found::Value("release/.".into()));
        let named = Formula::all(vec![
            nested,
            space.test(Nfa::ref_name(), "", Suffix::none()),
        ]);
        let branch_chars = |c: char| c.is_ascii_alphanumeric() || c == '/' || c == '.';
        assert_eq!(
            space.find(&named, branch_chars),
            Found::Value("release/a/a".into())
        );
        let mut space = Space::default();
        let trusted = space.test(
            Nfa::iam("refs/heads/main", false, false),
            "refs/heads/",
            Suffix::none(),
        );
        let main = space.test(
            Nfa::fnmatch("refs/heads/**/*", Bound::Within),
            "refs/heads/",
            Suffix::none(),
        );
        assert_eq!(
            space.find(&Formula::all(vec![trusted, main.not()]), any),
            Found::Nothing
        );
    }
}
