//! JSON-LD document -> RDF dataset -> RDFC-1.0 canonical N-Quads.
//!
//! Two paths give the same bytes (docs/CANONICALISATION.md):
//! - the direct path (`super::direct`), for the documents that stay within what Open
//!   Badges credentials and their proofs use: about a hundred times faster;
//! - the general path, authoritative for everything else: expansion and `toRdf` are
//!   the `json-ld` crate's, canonicalization is `super::rdfc` (RDFC-1.0 on `oxrdf`,
//!   bounded in depth and work: a hostile graph is [`DataIntegrityError::TooComplex`]).
//!
//! The rest of this module is the general path.
//!
//! Processing the bundled contexts is by far the most expensive step (~0.8 ms for
//! VC 2.0 + OB 3.0), so the active context of each top-level `@context` value is
//! processed once and cached; each call then expands the document without its
//! top-level `@context`, starting from a clone of that cached active context. This is
//! exactly what the expansion algorithm does first (process the top-level `@context`
//! against the empty context, no base IRI), only memoised.
//!
//! JSON-LD "safe mode" is on: a property or type that the contexts do not define is an
//! error rather than being dropped, since a dropped term is not covered by the signature.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, RwLock};

use json_ld::context_processing::{Options as ProcessingOptions, Process};
use json_ld::expansion::{Action, Error as ExpansionError, Expand, Options, Policy};
use json_ld::rdf::RdfQuads;
use json_ld::rdf_types::{generator, Id, LiteralType, Quad, Term};
use json_ld::syntax::object::Entry;
use json_ld::syntax::TryFromJson;
use json_ld::{BlankIdBuf, ExpandedDocument, IriBuf};

use super::loader::{to_ld_value, OfflineLoader};
use super::DataIntegrityError;

/// A processed JSON-LD active context.
type ActiveContext = json_ld::Context<IriBuf, BlankIdBuf>;

/// How many distinct top-level `@context` values are cached. Real credentials use a
/// handful; the bound stops a stream of odd documents from growing memory.
const CONTEXT_CACHE_LIMIT: usize = 64;

/// Processed active contexts, keyed by the JSON text of the top-level `@context` value.
static CONTEXT_CACHE: LazyLock<RwLock<HashMap<String, Arc<ActiveContext>>>> =
    LazyLock::new(|| RwLock::new(HashMap::new()));

/// The RDFC-1.0 canonical N-Quads of a JSON-LD document (one quad per line, each
/// ending in `\n`, blank nodes labelled `_:c14n0`, `_:c14n1`...).
///
/// Contexts are resolved only from the bundled set: an unknown URL is
/// [`DataIntegrityError::UnknownContext`], never a network fetch.
pub fn canonicalize(document: &serde_json::Value) -> Result<String, DataIntegrityError> {
    let object = document
        .as_object()
        .ok_or(DataIntegrityError::NotAnObject("JSON-LD document"))?;
    canonicalize_object(object)
}

/// [`canonicalize`] for a document already known to be a JSON object.
pub(crate) fn canonicalize_object(
    object: &serde_json::Map<String, serde_json::Value>,
) -> Result<String, DataIntegrityError> {
    match super::direct::canonicalize(object.iter().map(|(key, value)| (key.as_str(), value))) {
        Some(nquads) => Ok(nquads),
        None => canonicalize_general(object),
    }
}

/// [`canonicalize`] for a document given as its entries (borrowed from one or more
/// objects): the direct path reads them in place; the general path gets a copy.
pub(crate) fn canonicalize_entries<'a>(
    entries: impl Iterator<Item = (&'a str, &'a serde_json::Value)> + Clone,
) -> Result<String, DataIntegrityError> {
    if let Some(nquads) = super::direct::canonicalize(entries.clone()) {
        return Ok(nquads);
    }
    let object = entries
        .map(|(key, value)| (key.to_owned(), value.clone()))
        .collect();
    canonicalize_general(&object)
}

/// The canonical N-Quads by the direct path alone, `None` when the document is outside
/// its subset. For the differential tests and benchmarks.
#[doc(hidden)]
pub fn canonicalize_direct(document: &serde_json::Value) -> Option<String> {
    let object = document.as_object()?;
    super::direct::canonicalize(object.iter().map(|(key, value)| (key.as_str(), value)))
}

/// The canonical N-Quads by the general path alone. For the differential tests and
/// benchmarks.
#[doc(hidden)]
pub fn canonicalize_general_path(
    document: &serde_json::Value,
) -> Result<String, DataIntegrityError> {
    let object = document
        .as_object()
        .ok_or(DataIntegrityError::NotAnObject("JSON-LD document"))?;
    canonicalize_general(object)
}

/// The canonical N-Quads of an RDF dataset, by the bounded RDFC-1.0 of the general
/// path. For the tests against the reference implementation and the W3C test suite.
#[doc(hidden)]
pub fn canonicalize_quads(quads: &[oxrdf::Quad]) -> Result<String, DataIntegrityError> {
    bounded_rdfc(quads)
}

/// Bounded RDFC-1.0 with the work the thread's limits allow, spent from them.
fn bounded_rdfc(quads: &[oxrdf::Quad]) -> Result<String, DataIntegrityError> {
    let allowed = super::limits::work_allowed();
    let mut left = allowed;
    let result = super::rdfc::canonicalize(quads, &mut left);
    super::limits::spend(allowed - left);
    Ok(result?)
}

/// The general path: `json-ld` expansion and `toRdf`, then bounded RDFC-1.0.
fn canonicalize_general(
    object: &serde_json::Map<String, serde_json::Value>,
) -> Result<String, DataIntegrityError> {
    if !super::limits::general_path_allowed() {
        return Err(DataIntegrityError::GeneralPathDeferred);
    }
    let active_context = match object.get("@context") {
        Some(context) => active_context(context)?,
        None => Arc::new(ActiveContext::default()),
    };
    let body = json_ld::syntax::Object::from_vec(
        object
            .iter()
            .filter(|(key, _)| *key != "@context")
            .map(|(key, value)| Entry::new(key.as_str().into(), to_ld_value(value)))
            .collect(),
    );
    let expanded = expand(&json_ld::syntax::Value::Object(body), &active_context)?;
    let quads = to_rdf(expanded);
    bounded_rdfc(&quads)
}

/// The processed active context for a top-level `@context` value, from the cache when
/// it has been seen before.
fn active_context(context: &serde_json::Value) -> Result<Arc<ActiveContext>, DataIntegrityError> {
    check_context_urls(context)?;
    let key = context.to_string();
    if let Some(cached) = read_cache().get(&key) {
        return Ok(Arc::clone(cached));
    }
    let processed = Arc::new(process_context(context)?);
    let mut cache = CONTEXT_CACHE
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if cache.len() < CONTEXT_CACHE_LIMIT {
        cache.insert(key, Arc::clone(&processed));
    }
    Ok(processed)
}

/// The cache for reading; a poisoned lock still holds only fully built entries.
fn read_cache() -> std::sync::RwLockReadGuard<'static, HashMap<String, Arc<ActiveContext>>> {
    CONTEXT_CACHE
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Refuses a top-level `@context` URL that is not bundled, naming it, before any
/// processing (nested references are refused by the loader itself).
fn check_context_urls(context: &serde_json::Value) -> Result<(), DataIntegrityError> {
    let entries = match context {
        serde_json::Value::Array(entries) => entries.as_slice(),
        single => std::slice::from_ref(single),
    };
    for entry in entries {
        match entry {
            serde_json::Value::String(url) => {
                if schemas::contexts::bundled_context(url).is_none() {
                    return Err(DataIntegrityError::UnknownContext { url: url.clone() });
                }
            }
            serde_json::Value::Object(_) | serde_json::Value::Null => {}
            other => {
                return Err(DataIntegrityError::MalformedContext(format!(
                    "unexpected entry {other}"
                )))
            }
        }
    }
    Ok(())
}

/// Runs the JSON-LD context processing algorithm on a top-level `@context` value.
fn process_context(context: &serde_json::Value) -> Result<ActiveContext, DataIntegrityError> {
    let local = json_ld::syntax::context::Context::try_from_json(to_ld_value(context))
        .map_err(|error| DataIntegrityError::MalformedContext(error.to_string()))?;
    let empty = ActiveContext::default();
    let processed = futures_executor::block_on(local.process_full(
        &mut (),
        &empty,
        &OfflineLoader,
        None,
        ProcessingOptions::default(),
        (),
    ))
    .map_err(|error| DataIntegrityError::JsonLd(format!("context processing: {error}")))?;
    Ok(processed.into_processed())
}

/// Expands a document (without its top-level `@context`) from the given active context.
fn expand(
    body: &json_ld::syntax::Value,
    active_context: &ActiveContext,
) -> Result<ExpandedDocument<IriBuf, BlankIdBuf>, DataIntegrityError> {
    let options = Options {
        policy: Policy {
            invalid: Action::Reject,
            vocab: Action::Keep,
            allow_undefined: false,
        },
        ..Options::default()
    }
    .unordered();
    // The loader answers synchronously, so the future completes on its first poll.
    futures_executor::block_on(body.expand_full(
        &mut (),
        active_context.clone(),
        None,
        &OfflineLoader,
        options,
        (),
    ))
    .map_err(|error| match error {
        ExpansionError::KeyExpansionFailed(term) => DataIntegrityError::UndefinedTerm(term),
        ExpansionError::InvalidTypeValue => DataIntegrityError::UndefinedTerm(
            "a `type` value (not an IRI nor a defined term)".into(),
        ),
        other => DataIntegrityError::JsonLd(other.to_string()),
    })
}

/// The RDF dataset of an expanded document, as `oxrdf` quads.
///
/// Blank nodes get fresh labels (`_:0`...), literals are put in canonical form, as the
/// JSON-LD `toRdf` algorithm requires; generalized RDF (blank-node predicates) is skipped.
fn to_rdf(mut expanded: ExpandedDocument<IriBuf, BlankIdBuf>) -> Vec<oxrdf::Quad> {
    let mut blank_nodes = generator::Blank::new();
    expanded.relabel_and_canonicalize_with(&mut (), &mut blank_nodes);
    expanded
        .rdf_quads_full(&mut (), &mut blank_nodes, None, false)
        .filter_map(|Quad(subject, predicate, object, graph)| {
            let Id::Iri(predicate) = predicate.as_ref() else {
                return None;
            };
            let subject: oxrdf::Subject = match subject.as_ref() {
                Id::Iri(iri) => named(iri).into(),
                Id::Blank(blank) => blank_node(blank).into(),
            };
            let graph = match graph {
                None => oxrdf::GraphName::DefaultGraph,
                Some(Id::Iri(iri)) => named(iri).into(),
                Some(Id::Blank(blank)) => blank_node(blank).into(),
            };
            Some(oxrdf::Quad::new(
                subject,
                named(predicate),
                object_term(object),
                graph,
            ))
        })
        .collect()
}

/// An RDF object: IRI, blank node or literal.
fn object_term(object: Term<Id<IriBuf, BlankIdBuf>, json_ld::rdf_types::Literal>) -> oxrdf::Term {
    match object {
        Term::Id(Id::Iri(iri)) => named(&iri).into(),
        Term::Id(Id::Blank(blank)) => blank_node(&blank).into(),
        Term::Literal(literal) => match literal.type_ {
            LiteralType::Any(datatype) => {
                oxrdf::Literal::new_typed_literal(literal.value, named(&datatype)).into()
            }
            // JSON-LD processors (jsonld.js, pyld) normalise language tags to lower case.
            LiteralType::LangString(tag) => oxrdf::Literal::new_language_tagged_literal_unchecked(
                literal.value,
                tag.as_str().to_ascii_lowercase(),
            )
            .into(),
        },
    }
}

/// An IRI already validated by the `json-ld` crate.
fn named(iri: &IriBuf) -> oxrdf::NamedNode {
    oxrdf::NamedNode::new_unchecked(iri.as_str())
}

/// A blank node; `oxrdf` stores the label without the `_:` prefix.
fn blank_node(blank: &BlankIdBuf) -> oxrdf::BlankNode {
    let label = blank.as_str();
    oxrdf::BlankNode::new_unchecked(label.strip_prefix("_:").unwrap_or(label))
}
