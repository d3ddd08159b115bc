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

/// How many bytes the cached active contexts may hold, estimated as
/// `PROCESSED_CONTEXT_FACTOR` times the JSON they come from (the key, plus each
/// bundled context it names). Past it, entries are evicted to make room.
pub const CONTEXT_CACHE_BYTES: usize = 16 * 1024 * 1024;

/// A processed active context holds about this many times the bytes of its JSON
/// (measured: 64 inline contexts of 1.8 MB kept 0.85 GB resident).
const PROCESSED_CONTEXT_FACTOR: usize = 8;

/// The most bytes of inline (object) `@context` values one document may carry, at
/// its top level and in its nodes together. Credentials name bundled contexts by URL
/// and rarely add more than a few terms inline.
pub const MAX_INLINE_CONTEXT_BYTES: usize = 16 * 1024;

/// The most entries a top-level `@context` array may have.
pub const MAX_CONTEXT_ENTRIES: usize = 16;

/// Processed active contexts, keyed by the JSON text of the top-level `@context` value,
/// with their estimated sizes.
#[derive(Default)]
struct ContextCache {
    entries: HashMap<String, (Arc<ActiveContext>, usize)>,
    bytes: usize,
}

static CONTEXT_CACHE: LazyLock<RwLock<ContextCache>> =
    LazyLock::new(|| RwLock::new(ContextCache::default()));

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
    check_inline_contexts(object)?;
    check_nesting(object)?;
    // The thread's limits are read and charged here: the work runs on another thread.
    let allowed = super::limits::work_allowed();
    let (result, used) = on_large_stack(|| {
        let mut left = allowed;
        let result = expand_and_canonicalize(object, &mut left);
        (result, allowed - left)
    })?;
    super::limits::spend(used);
    result
}

/// The stack of the thread the general path runs on. The `json-ld` crate's expansion
/// recurses through nested futures, about 140 KB of stack per level of JSON in a
/// debug build (a document 14 levels deep overflowed a 2 MiB thread): 16 MiB holds
/// [`super::MAX_NESTING`] levels whatever thread calls, and is only committed as used.
const GENERAL_PATH_STACK: usize = 16 * 1024 * 1024;

/// How many general-path canonicalisations run at once, process-wide: one per core.
/// Each holds the document expanded in memory (megabytes for a large one) and keeps a
/// core busy; past this, callers wait their turn instead of adding to both.
fn general_path_slots() -> usize {
    std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
}

/// The general-path canonicalisations running now.
static GENERAL_PATH_RUNNING: (std::sync::Mutex<usize>, std::sync::Condvar) =
    (std::sync::Mutex::new(0), std::sync::Condvar::new());

/// A turn on the general path, given back when dropped.
struct GeneralPathTurn;

impl GeneralPathTurn {
    fn wait() -> Self {
        let (running, freed) = &GENERAL_PATH_RUNNING;
        // A poisoned lock only means a canonicalisation panicked; the count holds.
        let mut running = running
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        while *running >= general_path_slots() {
            running = freed
                .wait(running)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        *running += 1;
        GeneralPathTurn
    }
}

impl Drop for GeneralPathTurn {
    fn drop(&mut self) {
        let (running, freed) = &GENERAL_PATH_RUNNING;
        let mut running = running
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *running = running.saturating_sub(1);
        freed.notify_one();
    }
}

/// Runs `work`, in its turn among the general-path canonicalisations, on a scoped
/// thread with [`GENERAL_PATH_STACK`]; a panic in it is resumed here, as if it had
/// run on this thread.
fn on_large_stack<T: Send>(work: impl FnOnce() -> T + Send) -> Result<T, DataIntegrityError> {
    let _turn = GeneralPathTurn::wait();
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name("json-ld".into())
            .stack_size(GENERAL_PATH_STACK)
            .spawn_scoped(scope, work)
            .map_err(|error| {
                DataIntegrityError::JsonLd(format!("no thread for the general path: {error}"))
            })?;
        handle
            .join()
            .map_err(|panic| std::panic::resume_unwind(panic))
    })
}

/// Expansion, `toRdf` and bounded RDFC-1.0, with `budget` units of N-degree work.
fn expand_and_canonicalize(
    object: &serde_json::Map<String, serde_json::Value>,
    budget: &mut u64,
) -> Result<String, DataIntegrityError> {
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
    Ok(super::rdfc::canonicalize(&quads, budget)?)
}

/// The processed active context for a top-level `@context` value, from the cache when
/// it has been seen before.
fn active_context(context: &serde_json::Value) -> Result<Arc<ActiveContext>, DataIntegrityError> {
    check_context_urls(context)?;
    let key = context.to_string();
    if let Some((cached, _)) = read_cache().entries.get(&key) {
        return Ok(Arc::clone(cached));
    }
    let processed = Arc::new(process_context(context)?);
    let size = estimated_size(&key, context);
    let mut cache = CONTEXT_CACHE
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if size <= CONTEXT_CACHE_BYTES && !cache.entries.contains_key(&key) {
        // Evict until the new entry fits: whichever comes first (the map's order is
        // random, so a flood of odd contexts cannot pin the useful ones out).
        while cache.entries.len() >= CONTEXT_CACHE_LIMIT || cache.bytes + size > CONTEXT_CACHE_BYTES
        {
            let Some(evicted) = cache.entries.keys().next().cloned() else {
                break;
            };
            if let Some((_, freed)) = cache.entries.remove(&evicted) {
                cache.bytes -= freed;
            }
        }
        cache.bytes += size;
        cache.entries.insert(key, (Arc::clone(&processed), size));
    }
    Ok(processed)
}

/// The estimated bytes of a processed top-level context: its own JSON and that of the
/// bundled contexts it names, times [`PROCESSED_CONTEXT_FACTOR`].
fn estimated_size(key: &str, context: &serde_json::Value) -> usize {
    let entries = match context {
        serde_json::Value::Array(entries) => entries.as_slice(),
        single => std::slice::from_ref(single),
    };
    let bundled: usize = entries
        .iter()
        .filter_map(serde_json::Value::as_str)
        .filter_map(schemas::contexts::bundled_context)
        .map(|context| context.document.len())
        .sum();
    (key.len() + bundled).saturating_mul(PROCESSED_CONTEXT_FACTOR)
}

/// The bytes the context cache holds, by its estimate (for the test of its bound).
#[doc(hidden)]
pub fn context_cache_bytes() -> usize {
    read_cache().bytes
}

/// The cache for reading; a poisoned lock still holds only fully built entries.
fn read_cache() -> std::sync::RwLockReadGuard<'static, ContextCache> {
    CONTEXT_CACHE
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Checks a document's JSON-LD contexts against the limits every canonicalisation
/// applies ([`MAX_CONTEXT_ENTRIES`], [`MAX_INLINE_CONTEXT_BYTES`]), in time linear in
/// the document and stopping at the limit: a caller may run it before costlier work
/// on a document whose proofs would be refused anyway.
pub fn check_context_limits(document: &serde_json::Value) -> Result<(), DataIntegrityError> {
    let Some(object) = document.as_object() else {
        return Ok(());
    };
    if let Some(serde_json::Value::Array(entries)) = object.get("@context") {
        if entries.len() > MAX_CONTEXT_ENTRIES {
            return Err(DataIntegrityError::ContextTooLarge(format!(
                "@context has {} entries, more than {MAX_CONTEXT_ENTRIES}",
                entries.len()
            )));
        }
    }
    check_inline_contexts(object)
}

/// Refuses a document whose inline `@context` values (anywhere in it) add up to more
/// than [`MAX_INLINE_CONTEXT_BYTES`], before any is processed: processing a context
/// costs memory and time in proportion to its size, and it would be kept in the cache.
fn check_inline_contexts(
    object: &serde_json::Map<String, serde_json::Value>,
) -> Result<(), DataIntegrityError> {
    let mut budget = MAX_INLINE_CONTEXT_BYTES;
    let mut pending: Vec<&serde_json::Value> = object.values().collect();
    if let Some(context) = object.get("@context") {
        charge_inline(context, &mut budget)?;
    }
    while let Some(value) = pending.pop() {
        match value {
            serde_json::Value::Object(map) => {
                for (key, item) in map {
                    if key == "@context" {
                        charge_inline(item, &mut budget)?;
                    } else {
                        pending.push(item);
                    }
                }
            }
            serde_json::Value::Array(items) => pending.extend(items),
            _ => {}
        }
    }
    Ok(())
}

/// Refuses a document nested deeper than [`super::MAX_NESTING`] before the `json-ld`
/// crate's expansion, which recurses once per level, runs out of stack on it.
fn check_nesting(
    object: &serde_json::Map<String, serde_json::Value>,
) -> Result<(), DataIntegrityError> {
    let mut pending: Vec<(&serde_json::Value, usize)> = object.values().map(|v| (v, 2)).collect();
    while let Some((value, depth)) = pending.pop() {
        let children: Box<dyn Iterator<Item = &serde_json::Value>> = match value {
            serde_json::Value::Object(map) => Box::new(map.values()),
            serde_json::Value::Array(items) => Box::new(items.iter()),
            _ => continue,
        };
        if depth > super::MAX_NESTING {
            return Err(super::ComplexityLimit::Nesting.into());
        }
        pending.extend(children.map(|child| (child, depth + 1)));
    }
    Ok(())
}

/// Takes the JSON size of the inline parts of one `@context` value off `budget`.
fn charge_inline(
    context: &serde_json::Value,
    budget: &mut usize,
) -> Result<(), DataIntegrityError> {
    let inline: Vec<&serde_json::Value> = match context {
        serde_json::Value::Array(entries) => entries.iter().filter(|e| !e.is_string()).collect(),
        serde_json::Value::String(_) => Vec::new(),
        other => vec![other],
    };
    for value in inline {
        let size = json_size(value, *budget + 1);
        *budget = budget.checked_sub(size).ok_or_else(|| {
            DataIntegrityError::ContextTooLarge(format!(
                "inline @context values exceed {MAX_INLINE_CONTEXT_BYTES} bytes"
            ))
        })?;
    }
    Ok(())
}

/// The length of a value's compact JSON, counted up to `cap` (then `cap`).
fn json_size(value: &serde_json::Value, cap: usize) -> usize {
    let mut size = 0usize;
    let mut pending = vec![value];
    while let Some(value) = pending.pop() {
        if size >= cap {
            return cap;
        }
        size += match value {
            serde_json::Value::Null => 4,
            serde_json::Value::Bool(_) => 5,
            serde_json::Value::Number(n) => n.to_string().len(),
            serde_json::Value::String(text) => text.len() + 2,
            serde_json::Value::Array(items) => {
                pending.extend(items);
                2 + items.len()
            }
            serde_json::Value::Object(map) => {
                pending.extend(map.values());
                2 + map.keys().map(|key| key.len() + 4).sum::<usize>()
            }
        };
    }
    size.min(cap)
}

/// Refuses a top-level `@context` URL that is not bundled, naming it, before any
/// processing (nested references are refused by the loader itself).
fn check_context_urls(context: &serde_json::Value) -> Result<(), DataIntegrityError> {
    let entries = match context {
        serde_json::Value::Array(entries) => entries.as_slice(),
        single => std::slice::from_ref(single),
    };
    if entries.len() > MAX_CONTEXT_ENTRIES {
        return Err(DataIntegrityError::ContextTooLarge(format!(
            "@context has {} entries, more than {MAX_CONTEXT_ENTRIES}",
            entries.len()
        )));
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn general_path_canonicalisations_take_turns_one_per_core() {
        let held: Vec<GeneralPathTurn> = (0..general_path_slots())
            .map(|_| GeneralPathTurn::wait())
            .collect();
        let document = serde_json::json!({
            "@context": ["https://www.w3.org/ns/credentials/v2", {"p": "https://example.org/p"}],
            "p": "x"
        });
        let waiting = std::thread::spawn(move || canonicalize_general_path(&document).is_ok());
        std::thread::sleep(std::time::Duration::from_millis(100));
        assert!(!waiting.is_finished(), "waits while every turn is taken");
        drop(held);
        assert!(
            waiting.join().expect("no panic"),
            "runs once a turn is free"
        );
    }
}
