//! One walk over a compact JSON-LD document that yields its RDF dataset: JSON-LD 1.1
//! Expansion (<https://www.w3.org/TR/json-ld11-api/#expansion-algorithm>), node map
//! generation and Deserialize JSON-LD to RDF, fused, for the subset described in
//! `super`. Every construct outside it answers `None`.

use std::sync::Arc;

use serde_json::Value;

use super::context::{self, ActiveContext, Coercion, Container, Expanded, Iri, TermDefinition};

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const XSD_STRING: &str = "http://www.w3.org/2001/XMLSchema#string";
const XSD_INTEGER: &str = "http://www.w3.org/2001/XMLSchema#integer";
const XSD_BOOLEAN: &str = "http://www.w3.org/2001/XMLSchema#boolean";
const XSD_DOUBLE: &str = "http://www.w3.org/2001/XMLSchema#double";

/// Nesting deeper than this takes the general path.
const MAX_DEPTH: usize = 64;
/// Documents with more quads than this take the general path.
const MAX_QUADS: usize = 20_000;
/// Integers beyond ±2^53 may be rendered as doubles by JSON-LD processors.
pub(super) const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// An IRI or a blank node (numbered in the order the walk meets them).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Node<'a> {
    Iri(Iri<'a>),
    Blank(u32),
}

/// The object of a quad.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Object<'a> {
    Node(Node<'a>),
    /// A literal: its lexical form and its datatype (`None` for `xsd:string`).
    Literal(Iri<'a>, Option<Iri<'a>>),
}

/// One RDF quad; `graph` is `None` for the default graph.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Quad<'a> {
    pub(super) subject: Node<'a>,
    pub(super) predicate: Iri<'a>,
    pub(super) object: Object<'a>,
    pub(super) graph: Option<Node<'a>>,
}

/// An RDF dataset: its quads (in no particular order, possibly with duplicates, which
/// a dataset does not have: see `rdfc`) and how many blank nodes they use
/// (`Node::Blank(0..blank_nodes)`).
#[derive(Debug)]
pub(super) struct Dataset<'a> {
    pub(super) quads: Vec<Quad<'a>>,
    pub(super) blank_nodes: u32,
}

/// The RDF dataset of a document's top-level node object (without `@context`), in the
/// given active context.
pub(super) fn to_rdf<'a>(
    active: Arc<ActiveContext>,
    entries: impl Iterator<Item = (&'a str, &'a Value)>,
) -> Option<Dataset<'a>> {
    let mut walker = Walker::default();
    let entries: Vec<(&'a str, &'a Value)> = entries.collect();
    walker.node(active, &entries, None, 0)?;
    Some(Dataset {
        quads: walker.quads,
        blank_nodes: walker.blank_nodes,
    })
}

#[derive(Default)]
struct Walker<'a> {
    quads: Vec<Quad<'a>>,
    blank_nodes: u32,
    /// Blank node identifiers written in the document (`_:x`), and their numbers. A
    /// map (SipHash: the labels are the sender's) so that many labels cost linear time.
    labelled: std::collections::HashMap<&'a str, u32>,
}

/// How a key of a node object expands.
enum Key<'a> {
    Id,
    Type,
    Property(Iri<'a>, Option<Arc<TermDefinition>>),
}

impl<'a> Walker<'a> {
    fn fresh_blank(&mut self) -> Node<'a> {
        self.blank_nodes += 1;
        Node::Blank(self.blank_nodes - 1)
    }

    fn labelled_blank(&mut self, label: &'a str) -> Node<'a> {
        if let Some(number) = self.labelled.get(label) {
            return Node::Blank(*number);
        }
        let node = self.fresh_blank();
        if let Node::Blank(number) = node {
            self.labelled.insert(label, number);
        }
        node
    }

    fn push(&mut self, quad: Quad<'a>) -> Option<()> {
        if self.quads.len() >= MAX_QUADS {
            return None;
        }
        self.quads.push(quad);
        Some(())
    }

    /// A node object (Expansion steps 9 to 13 with node map generation), in the
    /// active context already reverted and given its property-scoped context by the
    /// caller. Returns the node's subject.
    fn node(
        &mut self,
        mut active: Arc<ActiveContext>,
        entries: &[(&'a str, &'a Value)],
        graph: Option<&Node<'a>>,
        depth: usize,
    ) -> Option<Node<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        // Step 9: an embedded context.
        if let Some((_, context)) = entries.iter().find(|(key, _)| *key == "@context") {
            active = context::embedded(&active, context)?;
        }
        // Steps 10 and 11: type-scoped contexts, in the lexicographic order of the types
        // as written, looked up in the context before any of them applies.
        let type_scoped = active.clone();
        let mut type_entry = None;
        for (key, value) in entries {
            if let Some(Expanded::Type) = type_scoped.expand_iri(key, true) {
                if type_entry.replace((*key, *value)).is_some() {
                    return None;
                }
            }
        }
        let mut types: Vec<&'a str> = Vec::new();
        if let Some((_, value)) = type_entry {
            match value {
                Value::String(single) => types.push(single),
                Value::Array(items) => {
                    for item in items {
                        types.push(item.as_str()?);
                    }
                }
                _ => return None,
            }
            let mut sorted = types.clone();
            sorted.sort_unstable();
            for term in sorted {
                if let Some(scoped) = type_scoped.term(term).and_then(|d| d.scoped.as_ref()) {
                    active = context::apply(&active, scoped, false)?;
                }
            }
        }

        let mut keys = Vec::with_capacity(entries.len());
        let mut subject = None;
        for (key, value) in entries {
            let key_kind = if key.starts_with('@') {
                match *key {
                    "@context" => continue,
                    "@id" => Key::Id,
                    "@type" => Key::Type,
                    _ => return None,
                }
            } else {
                let definition = active.term(key).cloned();
                match active.expand_iri(key, true)? {
                    Expanded::Id => Key::Id,
                    Expanded::Type => Key::Type,
                    Expanded::Iri(iri) => Key::Property(iri, definition),
                    Expanded::Blank(_) => return None,
                }
            };
            match key_kind {
                Key::Id => {
                    let Value::String(id) = value else {
                        return None;
                    };
                    let node = match active.expand_iri(id, false)? {
                        Expanded::Iri(iri) => Node::Iri(iri),
                        Expanded::Blank(label) => self.labelled_blank(label),
                        Expanded::Id | Expanded::Type => return None,
                    };
                    if subject.replace(node).is_some() {
                        return None;
                    }
                }
                Key::Type => {
                    if type_entry.map(|(type_key, _)| type_key) != Some(*key) {
                        return None;
                    }
                }
                Key::Property(iri, definition) => keys.push((*key, iri, definition, *value)),
            }
        }
        let subject = match subject {
            Some(subject) => subject,
            None => self.fresh_blank(),
        };

        for type_name in types {
            // Step 13.4.4.4: types expand with the type-scoped context, as vocabulary.
            let Expanded::Iri(iri) = type_scoped.expand_iri(type_name, true)? else {
                return None;
            };
            self.push(Quad {
                subject: subject.clone(),
                predicate: Iri::Borrowed(RDF_TYPE),
                object: Object::Node(Node::Iri(iri)),
                graph: graph.cloned(),
            })?;
        }

        for (key, predicate, definition, value) in keys {
            // Lists and JSON literals are outside the subset, even empty (an empty list
            // is `rdf:nil`, an empty JSON array a literal): decided before the items.
            if let Some(definition) = &definition {
                if definition.container == Container::List
                    || matches!(definition.coercion, Some(Coercion::Unsupported))
                {
                    return None;
                }
            }
            let items = match value {
                Value::Array(items) => items.as_slice(),
                single => std::slice::from_ref(single),
            };
            for item in items {
                let Some(object) =
                    self.value(&active, key, definition.as_ref(), item, graph, depth)?
                else {
                    continue;
                };
                self.push(Quad {
                    subject: subject.clone(),
                    predicate: predicate.clone(),
                    object,
                    graph: graph.cloned(),
                })?;
            }
        }
        Some(subject)
    }

    /// The object for one value of a property (`Ok(None)` for `null`, which JSON-LD
    /// drops), emitting the quads of a nested node object.
    fn value(
        &mut self,
        active: &Arc<ActiveContext>,
        key: &str,
        definition: Option<&Arc<TermDefinition>>,
        value: &'a Value,
        graph: Option<&Node<'a>>,
        depth: usize,
    ) -> Option<Option<Object<'a>>> {
        let container = definition.map_or(Container::None, |d| d.container);
        let scoped = definition.and_then(|d| d.scoped.as_ref());
        match value {
            Value::Null => Some(None),
            Value::Object(map) => {
                let entries: Vec<(&'a str, &'a Value)> = map
                    .iter()
                    .map(|(key, value)| (key.as_str(), value))
                    .collect();
                // Step 7: a type-scoped context does not reach nested node objects,
                // unless the object is only a reference (a single `@id` entry).
                let mut nested = active.clone();
                if let Some(previous) = &active.previous {
                    let only_id = entries.len() == 1
                        && matches!(active.expand_iri(entries[0].0, true), Some(Expanded::Id));
                    if !only_id {
                        nested = previous.clone();
                    }
                }
                // Step 8: the property-scoped context.
                if let Some(scoped) = scoped {
                    nested = context::apply(&nested, scoped, true)?;
                }
                if container == Container::Graph {
                    let name = self.fresh_blank();
                    self.node(nested, &entries, Some(&name), depth + 1)?;
                    return Some(Some(Object::Node(name)));
                }
                let node = self.node(nested, &entries, graph, depth + 1)?;
                Some(Some(Object::Node(node)))
            }
            Value::Array(_) => None,
            scalar => {
                if container == Container::Graph {
                    return None;
                }
                // Step 5: a scalar is expanded in the property-scoped context, with the
                // property's definition from there.
                match scoped {
                    Some(scoped) => {
                        let active = context::apply(active, scoped, true)?;
                        let definition = active.term(key).cloned();
                        if definition
                            .as_ref()
                            .is_some_and(|d| d.container == Container::List)
                        {
                            return None;
                        }
                        self.scalar(&active, definition.as_deref(), scalar)
                            .map(Some)
                    }
                    None => self
                        .scalar(active, definition.map(|d| &**d), scalar)
                        .map(Some),
                }
            }
        }
    }

    /// Value Expansion of a string, number or boolean, then its RDF term.
    fn scalar(
        &mut self,
        active: &ActiveContext,
        definition: Option<&TermDefinition>,
        value: &'a Value,
    ) -> Option<Object<'a>> {
        let coercion = definition.and_then(|d| d.coercion.as_ref());
        match value {
            Value::String(text) => match coercion {
                None => Some(Object::Literal(Iri::Borrowed(text), None)),
                Some(Coercion::Datatype(datatype)) => {
                    let datatype =
                        (&**datatype != XSD_STRING).then(|| Iri::Shared(datatype.clone()));
                    Some(Object::Literal(Iri::Borrowed(text), datatype))
                }
                Some(Coercion::Id | Coercion::Vocab) => {
                    let vocab = matches!(coercion, Some(Coercion::Vocab));
                    match active.expand_iri(text, vocab)? {
                        Expanded::Iri(iri) => Some(Object::Node(Node::Iri(iri))),
                        Expanded::Blank(label) => Some(Object::Node(self.labelled_blank(label))),
                        Expanded::Id | Expanded::Type => None,
                    }
                }
                Some(Coercion::Unsupported) => None,
            },
            // A number or boolean takes the coerced datatype if any (Value Expansion
            // step 5, then Object to RDF): integers only, never as `xsd:double`.
            Value::Number(number) => {
                let datatype = literal_datatype(coercion, XSD_INTEGER)?;
                let lexical = number_lexical(number, datatype.as_str() == XSD_DOUBLE)?;
                let datatype = match (lexical.1, coercion) {
                    (true, None) => Iri::Borrowed(XSD_DOUBLE),
                    _ => datatype,
                };
                Some(Object::Literal(
                    Iri::Owned(lexical.0.into()),
                    Some(datatype),
                ))
            }
            Value::Bool(flag) => Some(Object::Literal(
                Iri::Borrowed(if *flag { "true" } else { "false" }),
                Some(literal_datatype(coercion, XSD_BOOLEAN)?),
            )),
            _ => None,
        }
    }
}

/// The lexical form of a JSON number in RDF (JSON-LD 1.1 Object to RDF, step 10) and
/// whether it is in the `xsd:double` form: integers up to 2^53 in the `xsd:integer`
/// form unless the datatype is `xsd:double`; numbers with a fractional part (or any
/// number for `xsd:double`) in the canonical `xsd:double` form (`1.5E0`). Integral
/// numbers written as decimals, and magnitudes that JSON-LD processors disagree on,
/// take the general path.
fn number_lexical(number: &serde_json::Number, double: bool) -> Option<(String, bool)> {
    if let Some(integer) = number
        .as_u64()
        .map(i128::from)
        .or_else(|| number.as_i64().map(i128::from))
    {
        if integer.unsigned_abs() > u128::from(MAX_SAFE_INTEGER) {
            return None;
        }
        if !double {
            return Some((integer.to_string(), false));
        }
    }
    let value = number.as_f64()?;
    if !value.is_finite() || value.abs() >= 1e21 || (value.fract() == 0.0 && !double) {
        return None;
    }
    Some((canonical_double(value), true))
}

/// The canonical `xsd:double` lexical form the general path writes: the shortest
/// decimal that reads back as the same double, in scientific notation with at least
/// one digit after the point (`1.0E0`, `-2.5E-7`, `1.2345678912345678E8`).
fn canonical_double(value: f64) -> String {
    let scientific = format!("{value:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    if mantissa.contains('.') {
        format!("{mantissa}E{exponent}")
    } else {
        format!("{mantissa}.0E{exponent}")
    }
}

/// The datatype of a number or boolean: the coerced one, or the default. Coercion to
/// `@id` or `@vocab` does not apply to them and is left to the general path.
fn literal_datatype<'a>(coercion: Option<&Coercion>, default: &'static str) -> Option<Iri<'a>> {
    match coercion {
        None => Some(Iri::Borrowed(default)),
        Some(Coercion::Datatype(datatype)) => Some(Iri::Shared(datatype.clone())),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::di::direct::context::Mapping;

    #[test]
    fn aliases_of_the_credentials_context() {
        let active = context::top_level(&Value::String(
            "https://www.w3.org/ns/credentials/v2".into(),
        ))
        .expect("v2 context");
        assert_eq!(active.term("id").map(|d| &d.mapping), Some(&Mapping::Id));
        assert_eq!(
            active.term("type").map(|d| &d.mapping),
            Some(&Mapping::Type)
        );
    }
}
