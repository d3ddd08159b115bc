//! RDFC-1.0 (<https://www.w3.org/TR/rdf-canon/>) for datasets whose blank nodes all
//! have distinct first-degree hashes: then the canonical labels follow the order of
//! those hashes (§4.4.3 steps 3 to 5) and the N-degree step never runs. Otherwise the
//! answer is `None` and the general path decides.
//!
//! Quads are written in canonical N-Quads form exactly as `oxrdf` writes them (which
//! the general path, `rdf-canon`, uses): IRIs as `<...>` (the walk only admits IRIs that
//! need no escaping), literals with `\b \t \n \f \r \" \\` and other control
//! characters as `\uXXXX`, `xsd:string` literals without their datatype.

use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use super::rdf::{Dataset, Node, Object, Quad};

/// How blank nodes are written: `_:a`/`_:z` around a reference node (first-degree
/// hash), or their canonical labels.
#[derive(Clone, Copy)]
enum Labels<'l> {
    Reference(u32),
    Canonical(&'l [u32]),
}

/// The canonical N-Quads of a dataset, or `None` when two blank nodes share a
/// first-degree hash (or a quad mentions one blank node twice).
///
/// The walk may produce the same quad twice (a node described in two places, a repeated
/// type or value); a dataset holds it once. Removing duplicates first would cost a sort
/// of the quads, so the common case goes without it: canonical labels are distinct for
/// distinct blank nodes, so equal output lines mean equal quads. A duplicate without
/// blank nodes is then written once; one with a blank node also changed first-degree
/// hashes, and only then are the quads deduplicated and canonicalised again.
pub(super) fn canonicalize(dataset: Dataset<'_>) -> Option<String> {
    let Dataset {
        mut quads,
        blank_nodes,
    } = dataset;
    match canonicalize_quads(&quads, blank_nodes)? {
        Canonical::Distinct(output) => Some(output),
        Canonical::Duplicates => {
            quads.sort_unstable();
            quads.dedup();
            match canonicalize_quads(&quads, blank_nodes)? {
                Canonical::Distinct(output) => Some(output),
                Canonical::Duplicates => None,
            }
        }
    }
}

enum Canonical {
    Distinct(String),
    /// The quads hold duplicates.
    Duplicates,
}

fn canonicalize_quads(quads: &[Quad<'_>], blank_nodes: u32) -> Option<Canonical> {
    let count = usize::try_from(blank_nodes).ok()?;
    let mut mentions: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (index, quad) in quads.iter().enumerate() {
        for node in blank_nodes_of(quad) {
            let list = &mut mentions[node as usize];
            if list.last() == Some(&index) {
                // A quad that mentions one blank node twice: implementations disagree
                // on whether it counts once or twice in the first-degree hash.
                return None;
            }
            list.push(index);
        }
    }

    let mut buffer = String::with_capacity(256);
    let mut lines: Vec<(usize, usize)> = Vec::new();
    let mut hashes: Vec<([u8; 32], u32)> = Vec::with_capacity(count);
    for (node, quad_indices) in mentions.iter().enumerate() {
        if quad_indices.is_empty() {
            continue;
        }
        let node = u32::try_from(node).ok()?;
        buffer.clear();
        lines.clear();
        for &index in quad_indices {
            let start = buffer.len();
            write_quad(&mut buffer, &quads[index], Labels::Reference(node));
            lines.push((start, buffer.len()));
        }
        lines.sort_unstable_by(|a, b| buffer[a.0..a.1].cmp(&buffer[b.0..b.1]));
        let mut hasher = Sha256::new();
        for &(start, end) in &lines {
            hasher.update(&buffer.as_bytes()[start..end]);
        }
        hashes.push((hasher.finalize().into(), node));
    }
    // Code point order of the hex hashes is the byte order of the hashes.
    hashes.sort_unstable();
    if hashes.windows(2).any(|pair| pair[0].0 == pair[1].0) {
        return None;
    }
    let mut canonical = vec![u32::MAX; count];
    for (label, (_, node)) in hashes.iter().enumerate() {
        canonical[*node as usize] = u32::try_from(label).ok()?;
    }

    buffer.clear();
    lines.clear();
    for quad in quads {
        let start = buffer.len();
        write_quad(&mut buffer, quad, Labels::Canonical(&canonical));
        lines.push((start, buffer.len()));
    }
    lines.sort_unstable_by(|a, b| buffer[a.0..a.1].cmp(&buffer[b.0..b.1]));
    let mut output = String::with_capacity(buffer.len());
    let mut previous = "";
    for &(start, end) in &lines {
        let line = &buffer[start..end];
        if line == previous {
            // A duplicate without blank nodes (the same node described twice) did not
            // enter any first-degree hash: writing it once is enough. One with a blank
            // node did, so the hashes must be computed again without it.
            if line.contains("_:") {
                return Some(Canonical::Duplicates);
            }
            continue;
        }
        output.push_str(line);
        previous = line;
    }
    Some(Canonical::Distinct(output))
}

/// The blank nodes a quad mentions.
fn blank_nodes_of(quad: &Quad<'_>) -> impl Iterator<Item = u32> {
    let subject = match quad.subject {
        Node::Blank(node) => Some(node),
        Node::Iri(_) => None,
    };
    let object = match quad.object {
        Object::Node(Node::Blank(node)) => Some(node),
        _ => None,
    };
    let graph = match quad.graph {
        Some(Node::Blank(node)) => Some(node),
        _ => None,
    };
    subject.into_iter().chain(object).chain(graph)
}

/// One quad in canonical N-Quads form, with its ` .\n`.
fn write_quad(out: &mut String, quad: &Quad<'_>, labels: Labels<'_>) {
    write_node(out, &quad.subject, labels);
    out.push_str(" <");
    out.push_str(quad.predicate.as_str());
    out.push_str("> ");
    match &quad.object {
        Object::Node(node) => write_node(out, node, labels),
        Object::Literal(value, datatype) => {
            write_literal(out, value.as_str());
            if let Some(datatype) = datatype {
                out.push_str("^^<");
                out.push_str(datatype.as_str());
                out.push('>');
            }
        }
    }
    if let Some(graph) = &quad.graph {
        out.push(' ');
        write_node(out, graph, labels);
    }
    out.push_str(" .\n");
}

fn write_node(out: &mut String, node: &Node<'_>, labels: Labels<'_>) {
    match node {
        Node::Iri(iri) => {
            out.push('<');
            out.push_str(iri.as_str());
            out.push('>');
        }
        Node::Blank(node) => match labels {
            Labels::Reference(reference) if *node == reference => out.push_str("_:a"),
            Labels::Reference(_) => out.push_str("_:z"),
            Labels::Canonical(canonical) => {
                let _ = write!(out, "_:c14n{}", canonical[*node as usize]);
            }
        },
    }
}

/// A quoted literal, escaped as `oxrdf` does.
fn write_literal(out: &mut String, value: &str) {
    out.push('"');
    let mut plain_from = 0;
    for (index, character) in value.char_indices() {
        let escape = match character {
            '\u{08}' => "\\b",
            '\t' => "\\t",
            '\n' => "\\n",
            '\u{0C}' => "\\f",
            '\r' => "\\r",
            '"' => "\\\"",
            '\\' => "\\\\",
            '\0'..='\u{1F}' | '\u{7F}' => "",
            _ => continue,
        };
        out.push_str(&value[plain_from..index]);
        if escape.is_empty() {
            let _ = write!(out, "\\u{:04X}", u32::from(character));
        } else {
            out.push_str(escape);
        }
        plain_from = index + character.len_utf8();
    }
    out.push_str(&value[plain_from..]);
    out.push('"');
}
