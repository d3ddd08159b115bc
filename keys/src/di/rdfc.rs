//! RDF Dataset Canonicalization (RDFC-1.0, <https://www.w3.org/TR/rdf-canon/>) for the
//! general path, bounded so that no input can crash or stall it.
//!
//! The algorithm's Hash N-Degree Quads step (§4.8) recurses once per blank node along
//! a "gossip path" and tries every permutation of blank nodes that share a hash: a
//! ring of two thousand blank nodes recurses two thousand deep (a stack overflow that
//! aborts the process), a few hundred take seconds, a clique takes factorial time
//! (the specification's own "poison graph", §4.8.3 and §6). Counting calls, as the
//! `rdf-canon` crate does, bounds neither depth nor the permutations tried between
//! calls. Here the recursion stops at [`MAX_DEPTH`] and every unit of work of the
//! N-degree step (a call, a related blank node hashed, a permutation tried, an
//! identifier copied) is charged to a budget of [`WORK_BUDGET`]; either limit gives
//! [`ComplexityLimit`] and the caller a verdict, never an abort.
//!
//! Credentials rarely reach the N-degree step at all (their blank nodes have distinct
//! first-degree hashes: the direct path, `super::direct`, handles those); when they do,
//! a few blank nodes share a hash and the step costs a few dozen units.
//!
//! The result is byte for byte the `rdf-canon` crate's (differential tests in
//! `keys/tests/it/rdfc.rs`, with the W3C test suite), with one exception where that
//! crate departs from the specification: it issues canonical identifiers for a
//! temporary issuer's blank nodes in the string order of their temporary identifiers
//! (`b10` before `b2`) instead of "in the same order" they were issued (§4.4.3 step
//! 5.3.1), which only shows with more than ten blank nodes in one N-degree result.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

use oxrdf::{BlankNode, GraphName, Quad, Subject, Term};
use sha2::{Digest, Sha256};

/// The deepest recursion of Hash N-Degree Quads: the longest chain of blank nodes
/// that share first-degree hashes the algorithm will follow. Each level is a small
/// stack frame, so this stays far from any thread's stack size.
pub const MAX_DEPTH: usize = 64;

/// The work the N-degree step may do for one dataset, in units of blank-node hashing:
/// one per Hash N-Degree Quads call, per related blank node hashed, per permutation
/// tried and per temporary identifier copied. About 20 ms of CPU in a release build.
pub const WORK_BUDGET: u64 = 100_000;

/// Which bound a dataset exceeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ComplexityLimit {
    /// Hash N-Degree Quads would recurse deeper than [`MAX_DEPTH`].
    #[error("blank nodes chained deeper than {MAX_DEPTH}")]
    Depth,
    /// The N-degree step would do more than [`WORK_BUDGET`] units of work.
    #[error("more than {WORK_BUDGET} units of blank-node hashing")]
    Work,
    /// The JSON-LD document nests deeper than [`MAX_NESTING`]: expansion recurses
    /// once per level.
    #[error("JSON nested deeper than {MAX_NESTING} levels")]
    Nesting,
}

/// The deepest JSON nesting the general path expands (the verifier refuses deeper
/// JSON on input; credentials nest about ten levels).
pub const MAX_NESTING: usize = 64;

/// The canonical N-Quads of a dataset (duplicates count once), with SHA-256, doing at
/// most `budget` units of N-degree work; the units done are taken off `budget`.
pub(crate) fn canonicalize(quads: &[Quad], budget: &mut u64) -> Result<String, ComplexityLimit> {
    let mut seen = HashSet::with_capacity(quads.len());
    let quads: Vec<&Quad> = quads.iter().filter(|quad| seen.insert(*quad)).collect();
    let state = State::new(&quads);
    let canonical = state.issue_canonical_identifiers(budget)?;
    let mut lines: Vec<String> = quads
        .iter()
        .map(|quad| {
            let mut line = String::new();
            write_quad(&mut line, quad, &|node| {
                let number = canonical[state.index_of(node)].unwrap_or_default();
                format!("c14n{number}")
            });
            line
        })
        .collect();
    lines.sort_unstable();
    Ok(lines.concat())
}

/// The canonicalization state (§4.3): blank nodes numbered, the quads that mention
/// each, and their first-degree hashes.
struct State<'q> {
    index: HashMap<&'q str, usize>,
    /// For each blank node, the quads that mention it, once per mention (as `rdf-canon`).
    mentions: Vec<Vec<&'q Quad>>,
    first_degree: Vec<String>,
}

/// Where a related blank node sits in a quad (§4.7).
#[derive(Clone, Copy)]
enum Position {
    Subject,
    Object,
    Graph,
}

/// An identifier issuer (§4.5) for temporary identifiers: the blank nodes in the order
/// they were issued, so `_:b{i}` is `order[i]`.
#[derive(Clone, Default)]
struct Issuer {
    order: Vec<usize>,
    issued: HashMap<usize, usize>,
}

impl Issuer {
    fn get(&self, node: usize) -> Option<usize> {
        self.issued.get(&node).copied()
    }

    fn issue(&mut self, node: usize) -> usize {
        *self.issued.entry(node).or_insert_with(|| {
            self.order.push(node);
            self.order.len() - 1
        })
    }
}

/// The remaining work and the canonical identifiers issued so far.
struct Run<'s, 'q> {
    state: &'s State<'q>,
    canonical: Vec<Option<usize>>,
    issued: usize,
    budget: u64,
}

impl<'q> State<'q> {
    fn new(quads: &[&'q Quad]) -> Self {
        let mut index = HashMap::new();
        let mut mentions: Vec<Vec<&'q Quad>> = Vec::new();
        for quad in quads {
            for node in blank_nodes(quad).into_iter().flatten() {
                let next = index.len();
                let number = *index.entry(node.as_str()).or_insert(next);
                if number == mentions.len() {
                    mentions.push(Vec::new());
                }
                mentions[number].push(*quad);
            }
        }
        let mut state = State {
            index,
            mentions,
            first_degree: Vec::new(),
        };
        state.first_degree = (0..state.mentions.len())
            .map(|node| state.hash_first_degree(node))
            .collect();
        state
    }

    fn index_of(&self, node: &BlankNode) -> usize {
        // Every blank node of the dataset was numbered in `new`.
        self.index.get(node.as_str()).copied().unwrap_or_default()
    }

    /// Hash First Degree Quads (§4.6).
    fn hash_first_degree(&self, node: usize) -> String {
        let mut lines: Vec<String> = self.mentions[node]
            .iter()
            .map(|quad| {
                let mut line = String::new();
                write_quad(&mut line, quad, &|other| {
                    if self.index_of(other) == node {
                        "a"
                    } else {
                        "z"
                    }
                    .to_owned()
                });
                line
            })
            .collect();
        lines.sort_unstable();
        hash(lines.concat())
    }

    /// §4.4.3 steps 3 to 5: the canonical identifier of every blank node.
    fn issue_canonical_identifiers(
        &self,
        budget: &mut u64,
    ) -> Result<Vec<Option<usize>>, ComplexityLimit> {
        let mut run = Run {
            state: self,
            canonical: vec![None; self.mentions.len()],
            issued: 0,
            budget: *budget,
        };
        let result = run.issue_all();
        *budget = run.budget;
        result
    }
}

impl Run<'_, '_> {
    /// §4.4.3 steps 4 and 5, given the first-degree hashes grouped.
    fn issue_all(&mut self) -> Result<Vec<Option<usize>>, ComplexityLimit> {
        let mut by_hash: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (node, hash) in self.state.first_degree.iter().enumerate() {
            by_hash.entry(hash.as_str()).or_default().push(node);
        }
        // Step 4: blank nodes with a unique first-degree hash, in hash order.
        for nodes in by_hash.values().filter(|nodes| nodes.len() == 1) {
            self.issue_canonical(nodes[0]);
        }
        // Step 5: the others, through Hash N-Degree Quads.
        for nodes in by_hash.values().filter(|nodes| nodes.len() > 1) {
            let mut results = Vec::new();
            for &node in nodes {
                if self.canonical[node].is_some() {
                    continue;
                }
                let mut temporary = Issuer::default();
                temporary.issue(node);
                results.push(self.hash_n_degree(node, &temporary, 0)?);
            }
            // A stable sort, as `rdf-canon`: equal hashes keep the order of the nodes.
            results.sort_by(|a, b| a.0.cmp(&b.0));
            for (_, issuer) in results {
                for node in issuer.order {
                    self.issue_canonical(node);
                }
            }
        }
        Ok(std::mem::take(&mut self.canonical))
    }

    fn charge(&mut self, units: usize) -> Result<(), ComplexityLimit> {
        let units = u64::try_from(units).unwrap_or(u64::MAX);
        match self.budget.checked_sub(units) {
            Some(left) => {
                self.budget = left;
                Ok(())
            }
            None => {
                self.budget = 0;
                Err(ComplexityLimit::Work)
            }
        }
    }

    fn issue_canonical(&mut self, node: usize) {
        if self.canonical[node].is_none() {
            self.canonical[node] = Some(self.issued);
            self.issued += 1;
        }
    }

    /// Hash Related Blank Node (§4.7).
    fn hash_related(&self, related: usize, quad: &Quad, issuer: &Issuer, at: Position) -> String {
        let mut input = String::new();
        match at {
            Position::Subject => input.push('s'),
            Position::Object => input.push('o'),
            Position::Graph => input.push('g'),
        }
        if !matches!(at, Position::Graph) {
            let _ = write!(input, "{}", quad.predicate);
        }
        if let Some(number) = self.canonical[related] {
            let _ = write!(input, "_:c14n{number}");
        } else if let Some(number) = issuer.get(related) {
            let _ = write!(input, "_:b{number}");
        } else {
            input.push_str(&self.state.first_degree[related]);
        }
        hash(input)
    }

    /// Hash N-Degree Quads (§4.8.3): the hash of `node` and the issuer that gave it.
    fn hash_n_degree(
        &mut self,
        node: usize,
        path_issuer: &Issuer,
        depth: usize,
    ) -> Result<(String, Issuer), ComplexityLimit> {
        if depth >= MAX_DEPTH {
            return Err(ComplexityLimit::Depth);
        }
        let quads = &self.state.mentions[node];
        self.charge(1 + quads.len() + path_issuer.order.len())?;
        let mut issuer = path_issuer.clone();
        // Steps 1 to 3: related blank nodes grouped by their related hash.
        let mut related_by_hash: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for quad in quads {
            for (position, related) in blank_nodes(quad).into_iter().enumerate() {
                let Some(related) = related.map(|related| self.state.index_of(related)) else {
                    continue;
                };
                if related == node {
                    continue;
                }
                let at = [Position::Subject, Position::Object, Position::Graph][position];
                let hash = self.hash_related(related, quad, &issuer, at);
                related_by_hash.entry(hash).or_default().push(related);
            }
        }
        // Steps 4 and 5.
        let mut data_to_hash = String::new();
        for (related_hash, nodes) in related_by_hash {
            data_to_hash.push_str(&related_hash);
            let (chosen_path, chosen_issuer) = self
                .choose_path(&nodes, &issuer, depth)?
                .unwrap_or_default();
            data_to_hash.push_str(&chosen_path);
            issuer = chosen_issuer;
        }
        self.charge(data_to_hash.len() / 64)?;
        Ok((hash(data_to_hash), issuer))
    }

    /// §4.8.3 step 5.4: the smallest path over the permutations of `nodes`, and the
    /// issuer that gave it.
    fn choose_path(
        &mut self,
        nodes: &[usize],
        issuer: &Issuer,
        depth: usize,
    ) -> Result<Option<(String, Issuer)>, ComplexityLimit> {
        let mut chosen: Option<(String, Issuer)> = None;
        let mut permutation: Vec<usize> = (0..nodes.len()).collect();
        loop {
            self.charge(1 + nodes.len() + issuer.order.len())?;
            let ordered: Vec<usize> = permutation.iter().map(|&at| nodes[at]).collect();
            if let Some(candidate) = self.permutation_path(&ordered, issuer, &chosen, depth)? {
                chosen = Some(candidate);
            }
            if !next_permutation(&mut permutation) {
                return Ok(chosen);
            }
        }
    }

    /// §4.8.3 steps 5.4.1 to 5.4.5: the path of one permutation, `None` as soon as it
    /// cannot be smaller than the chosen one.
    fn permutation_path(
        &mut self,
        ordered: &[usize],
        issuer: &Issuer,
        chosen: &Option<(String, Issuer)>,
        depth: usize,
    ) -> Result<Option<(String, Issuer)>, ComplexityLimit> {
        // `>=` where the specification says `>`: an equal path can only grow and
        // lose, so it is dropped at once (as `rdf-canon` does).
        let loses = |path: &str| {
            chosen
                .as_ref()
                .is_some_and(|(chosen, _)| path.len() >= chosen.len() && path >= chosen.as_str())
        };
        let mut issuer_copy = issuer.clone();
        let mut path = String::new();
        let mut recursion = Vec::new();
        for &related in ordered {
            if let Some(number) = self.canonical[related] {
                let _ = write!(path, "_:c14n{number}");
            } else {
                if issuer_copy.get(related).is_none() {
                    recursion.push(related);
                }
                let _ = write!(path, "_:b{}", issuer_copy.issue(related));
            }
            if loses(&path) {
                return Ok(None);
            }
        }
        for related in recursion {
            let (hash, result_issuer) = self.hash_n_degree(related, &issuer_copy, depth + 1)?;
            let _ = write!(path, "_:b{}<{hash}>", issuer_copy.issue(related));
            issuer_copy = result_issuer;
            if loses(&path) {
                return Ok(None);
            }
        }
        let smaller = chosen
            .as_ref()
            .is_none_or(|(chosen, _)| path.as_str() < chosen.as_str());
        Ok(smaller.then_some((path, issuer_copy)))
    }
}

/// The blank nodes of a quad as subject, object and graph name.
fn blank_nodes(quad: &Quad) -> [Option<&BlankNode>; 3] {
    let subject = match &quad.subject {
        Subject::BlankNode(node) => Some(node),
        _ => None,
    };
    let object = match &quad.object {
        Term::BlankNode(node) => Some(node),
        _ => None,
    };
    let graph = match &quad.graph_name {
        GraphName::BlankNode(node) => Some(node),
        _ => None,
    };
    [subject, object, graph]
}

/// Rearranges `items` into the next permutation in lexicographic order (the order
/// `itertools` and so `rdf-canon` enumerate); `false` after the last one.
fn next_permutation(items: &mut [usize]) -> bool {
    let Some(pivot) = items.windows(2).rposition(|pair| pair[0] < pair[1]) else {
        return false;
    };
    let Some(successor) = items.iter().rposition(|&item| item > items[pivot]) else {
        return false;
    };
    items.swap(pivot, successor);
    items[pivot + 1..].reverse();
    true
}

/// One quad in canonical N-Quads form (as `oxrdf` writes it), with its ` .\n`, blank
/// nodes labelled by `label`.
fn write_quad(out: &mut String, quad: &Quad, label: &dyn Fn(&BlankNode) -> String) {
    match &quad.subject {
        Subject::BlankNode(node) => {
            let _ = write!(out, "_:{}", label(node));
        }
        other => {
            let _ = write!(out, "{other}");
        }
    }
    let _ = write!(out, " {} ", quad.predicate);
    match &quad.object {
        Term::BlankNode(node) => {
            let _ = write!(out, "_:{}", label(node));
        }
        other => {
            let _ = write!(out, "{other}");
        }
    }
    match &quad.graph_name {
        GraphName::DefaultGraph => {}
        GraphName::BlankNode(node) => {
            let _ = write!(out, " _:{}", label(node));
        }
        GraphName::NamedNode(node) => {
            let _ = write!(out, " {node}");
        }
    }
    out.push_str(" .\n");
}

/// The lowercase hexadecimal SHA-256 of `data`.
fn hash(data: impl AsRef<[u8]>) -> String {
    hex_lower(&Sha256::digest(data.as_ref()))
}

fn hex_lower(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permutations_come_in_lexicographic_order() {
        let mut items = vec![0, 1, 2];
        let mut seen = vec![items.clone()];
        while next_permutation(&mut items) {
            seen.push(items.clone());
        }
        assert_eq!(
            seen,
            [
                [0, 1, 2],
                [0, 2, 1],
                [1, 0, 2],
                [1, 2, 0],
                [2, 0, 1],
                [2, 1, 0]
            ]
        );
        assert!(!next_permutation(&mut []));
        assert!(!next_permutation(&mut [7]));
    }
}
