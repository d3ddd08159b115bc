//! Active contexts compiled from the bundled JSON-LD contexts, with every application
//! of a scoped context memoised.
//!
//! This follows the JSON-LD 1.1 Context Processing and Create Term Definition
//! algorithms (<https://www.w3.org/TR/json-ld11-api/#context-processing-algorithms>)
//! for the features the bundled contexts use: terms and keyword aliases, `@vocab`,
//! compact IRIs through prefix terms, `@type` coercion, `@container` `@set`, `@list`
//! and `@graph`, scoped contexts, `@protected`. Anything else (`@import`, `@base`,
//! `@language`, `@propagate`, a `null` context, a reverse property, a protected term
//! redefined differently...) answers `None` so that the general path decides, which
//! gives the authoritative result or error.
//!
//! Active contexts are immutable and shared (`Arc`). Applying a scoped context or a
//! list of context URLs to an active context is memoised, so that walking a document
//! only follows pointers; the memos are bounded, and past the bound contexts are
//! processed again each time (slower, same result).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, PoisonError, RwLock};

use rustc_hash::FxHashMap;

// A longer `@context` array (repeating bundled URLs makes endless distinct lists)
// takes the general path, which refuses it.
use super::super::canonical::MAX_CONTEXT_ENTRIES;
use serde_json::{Map, Value};

/// At most this many memoised context applications per memo. The credentials we know
/// need a few dozen; the bound keeps odd documents from growing memory without limit.
const MEMO_LIMIT: usize = 4096;

/// At most this many bytes of memoised active contexts per memo (estimated by
/// [`ActiveContext::approximate_bytes`]): a context of the bundled VC 2.0 and OB 3.0
/// terms is about 30 KB, so a few hundred combinations fit.
pub(crate) const MEMO_BYTES: usize = 8 * 1024 * 1024;

/// What a term maps to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Mapping {
    /// An absolute IRI.
    Iri(Arc<str>),
    /// The `@id` keyword (an alias such as `id`).
    Id,
    /// The `@type` keyword (an alias such as `type`).
    Type,
    /// Another keyword, or an explicitly undefined term (`null`): outside the subset.
    Unsupported,
}

/// How values of a term are coerced (`@type` in its definition).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Coercion {
    /// `@id`: a string is an IRI, relative to the document.
    Id,
    /// `@vocab`: a string is a term or an IRI.
    Vocab,
    /// A datatype IRI: a string is a typed literal.
    Datatype(Arc<str>),
    /// `@json` (or anything else): outside the subset.
    Unsupported,
}

/// The container of a term (`@container` in its definition).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Container {
    /// No container, or `@set` (no difference in RDF).
    None,
    /// `@list`: outside the subset.
    List,
    /// `@graph`: each value is a named graph.
    Graph,
}

/// A scoped context: the JSON of a term's `@context` and the URL of the context
/// document it comes from (its base URL, part of the definition when comparing
/// definitions), with an identity for memoising.
#[derive(Debug)]
pub(super) struct ScopedContext {
    id: u64,
    value: Value,
    base: &'static str,
}

impl PartialEq for ScopedContext {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value && self.base == other.base
    }
}

/// One term definition.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct TermDefinition {
    pub(super) mapping: Mapping,
    pub(super) coercion: Option<Coercion>,
    pub(super) container: Container,
    pub(super) scoped: Option<Arc<ScopedContext>>,
    protected: bool,
    prefix: bool,
}

impl TermDefinition {
    /// Whether two definitions are the same but for `@protected` (JSON-LD 1.1 Create
    /// Term Definition, step 27.1).
    fn same_as(&self, other: &Self) -> bool {
        Self {
            protected: other.protected,
            ..self.clone()
        } == *other
    }
}

/// An active context.
#[derive(Debug)]
pub(super) struct ActiveContext {
    id: u64,
    terms: FxHashMap<Box<str>, Arc<TermDefinition>>,
    vocab: Option<Arc<str>>,
    /// The context to revert to on entering a new node object, when a type-scoped
    /// context (which does not propagate) was applied.
    pub(super) previous: Option<Arc<ActiveContext>>,
}

impl ActiveContext {
    /// About what this context holds on the heap: its table of terms (each term's
    /// definition is shared with the contexts it came from and counted there).
    fn approximate_bytes(&self) -> usize {
        let entry = std::mem::size_of::<(Box<str>, Arc<TermDefinition>)>() + 8;
        let terms: usize = self.terms.keys().map(|key| key.len() + entry).sum();
        std::mem::size_of::<Self>() + terms
    }

    fn empty() -> Self {
        Self {
            id: next_id(),
            terms: FxHashMap::default(),
            vocab: None,
            previous: None,
        }
    }

    /// A copy under a new identity, to be modified by context processing.
    fn derive(&self) -> Self {
        Self {
            id: next_id(),
            terms: self.terms.clone(),
            vocab: self.vocab.clone(),
            previous: self.previous.clone(),
        }
    }

    /// The definition of a term.
    pub(super) fn term(&self, term: &str) -> Option<&Arc<TermDefinition>> {
        self.terms.get(term)
    }

    /// IRI expansion (JSON-LD 1.1 §5.2) of a key, a type or a value coerced to `@id` or
    /// `@vocab`. `Some(Expanded::Iri)` is always an absolute IRI made only of characters
    /// that need no escaping in N-Quads; `None` means outside the subset.
    pub(super) fn expand_iri<'a>(&self, value: &'a str, vocab: bool) -> Option<Expanded<'a>> {
        if value.starts_with('@') {
            return match value {
                "@id" => Some(Expanded::Id),
                "@type" => Some(Expanded::Type),
                _ => None,
            };
        }
        if let Some(definition) = self.terms.get(value) {
            match &definition.mapping {
                Mapping::Id => return Some(Expanded::Id),
                Mapping::Type => return Some(Expanded::Type),
                Mapping::Iri(iri) if vocab => return Some(Expanded::Iri(Iri::Shared(iri.clone()))),
                Mapping::Unsupported => return None,
                Mapping::Iri(_) => {}
            }
        }
        if let Some(colon) = compact_iri_colon(value) {
            let (prefix, suffix) = (&value[..colon], &value[colon + 1..]);
            if prefix == "_" {
                return is_plain_blank_label(suffix).then_some(Expanded::Blank(suffix));
            }
            if !suffix.starts_with("//") {
                if let Some(definition) = self.terms.get(prefix) {
                    if let (Mapping::Iri(iri), true) = (&definition.mapping, definition.prefix) {
                        let joined = format!("{iri}{suffix}");
                        return is_plain_absolute_iri(&joined)
                            .then(|| Expanded::Iri(Iri::Owned(joined.into())));
                    }
                }
            }
            if is_plain_absolute_iri(value) {
                return Some(Expanded::Iri(Iri::Borrowed(value)));
            }
            // A colon that does not make a compact IRI or an IRI: vocab or relative.
        }
        match (&self.vocab, vocab) {
            (Some(base), true) => {
                let joined = format!("{base}{value}");
                is_plain_absolute_iri(&joined).then(|| Expanded::Iri(Iri::Owned(joined.into())))
            }
            // A relative IRI: there is no base IRI, the general path decides.
            _ => None,
        }
    }
}

/// The result of expanding a string as an IRI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Expanded<'a> {
    Id,
    Type,
    Iri(Iri<'a>),
    /// A blank node identifier, without its `_:`.
    Blank(&'a str),
}

/// An IRI, borrowed from the document, shared with a context, or built.
#[derive(Debug, Clone)]
pub(super) enum Iri<'a> {
    Borrowed(&'a str),
    Shared(Arc<str>),
    Owned(Box<str>),
}

impl Iri<'_> {
    pub(super) fn as_str(&self) -> &str {
        match self {
            Self::Borrowed(text) => text,
            Self::Shared(text) => text,
            Self::Owned(text) => text,
        }
    }
}

impl PartialEq for Iri<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Iri<'_> {}

impl PartialOrd for Iri<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Iri<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

/// Whether `text` is an absolute IRI (`scheme ":" ...`) made only of ASCII characters
/// allowed unescaped in an IRI and in N-Quads, with well-formed percent escapes.
/// Anything else (spaces, non-ASCII, brackets, quotes...) is left to the general path,
/// which validates IRIs fully.
pub(super) fn is_plain_absolute_iri(text: &str) -> bool {
    let bytes = text.as_bytes();
    let Some(colon) = bytes.iter().position(|&byte| byte == b':') else {
        return false;
    };
    let scheme = &bytes[..colon];
    let scheme_ok = scheme.first().is_some_and(u8::is_ascii_alphabetic)
        && scheme
            .iter()
            .all(|&byte| byte.is_ascii_alphanumeric() || matches!(byte, b'+' | b'-' | b'.'));
    if !scheme_ok {
        return false;
    }
    let mut index = colon + 1;
    while index < bytes.len() {
        let byte = bytes[index];
        if byte == b'%' {
            let hex = bytes.get(index + 1..index + 3);
            if !hex.is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit)) {
                return false;
            }
            index += 3;
            continue;
        }
        let allowed = byte.is_ascii_alphanumeric()
            || matches!(
                byte,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b':'
                    | b'/'
                    | b'?'
                    | b'#'
                    | b'@'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
            );
        if !allowed {
            return false;
        }
        index += 1;
    }
    // A second '#' makes an invalid IRI reference.
    text.matches('#').count() <= 1 && authority_is_plain(&text[colon + 1..])
}

/// Whether the authority of an IRI's hierarchical part, if it has one
/// (`//[userinfo@]host[:port]`), has a plain host (no `@` or `:` left in it) and a
/// numeric port.
fn authority_is_plain(after_scheme: &str) -> bool {
    let Some(rest) = after_scheme.strip_prefix("//") else {
        return true;
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let host_port = authority
        .split_once('@')
        .map_or(authority, |(_, host)| host);
    if host_port.contains('@') {
        return false;
    }
    match host_port.split_once(':') {
        None => true,
        Some((_, port)) => port.bytes().all(|byte| byte.is_ascii_digit()),
    }
}

/// Whether a blank node label (after `_:`) is made of characters every processor
/// accepts.
fn is_plain_blank_label(label: &str) -> bool {
    !label.is_empty()
        && label
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-' | b'.'))
        && !label.ends_with('.')
}

/// The colon of a string that may be a compact IRI or an IRI: one after the first
/// character (JSON-LD 1.1 IRI Expansion, step 6).
pub(super) fn compact_iri_colon(value: &str) -> Option<usize> {
    value.find(':').filter(|&colon| colon > 0)
}

fn next_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// The `@context` value of every bundled context document, parsed once.
static BUNDLED: LazyLock<HashMap<&'static str, Value>> = LazyLock::new(|| {
    schemas::contexts::BUNDLED_CONTEXTS
        .iter()
        .filter_map(|context| {
            let mut document: Value = serde_json::from_str(context.document).ok()?;
            Some((context.url, document.get_mut("@context")?.take()))
        })
        .collect()
});

/// Memo key: (active context, applied context, propagate, override protected). The
/// applied context is a scoped context's id, or 0 with the URL list for top level.
type MemoKey = (u64, u64, bool, bool);

/// A memo of processed active contexts, and the bytes its entries hold.
struct MemoTable<K> {
    entries: FxHashMap<K, Arc<ActiveContext>>,
    bytes: usize,
}

impl<K> Default for MemoTable<K> {
    fn default() -> Self {
        MemoTable {
            entries: FxHashMap::default(),
            bytes: 0,
        }
    }
}

/// A memo, shared by every thread.
type Memo<K> = LazyLock<RwLock<MemoTable<K>>>;

static MEMO: Memo<MemoKey> = LazyLock::new(|| RwLock::new(MemoTable::default()));

/// Memo of `@context` values (lists of bundled URLs) applied to active contexts.
/// Keyed by (active context, the URLs joined by newlines).
static URL_MEMO: Memo<(u64, String)> = LazyLock::new(|| RwLock::new(MemoTable::default()));

/// The empty active context every document starts from.
static EMPTY: LazyLock<Arc<ActiveContext>> = LazyLock::new(|| Arc::new(ActiveContext::empty()));

/// The active context of a document's top-level `@context`.
pub(super) fn top_level(context: &Value) -> Option<Arc<ActiveContext>> {
    embedded(&EMPTY, context)
}

/// The active context after an `@context` entry (top level or embedded in a node
/// object, such as an endorsement inside a profile): one bundled URL or an array of
/// them. Inline context objects take the general path.
pub(super) fn embedded(active: &Arc<ActiveContext>, context: &Value) -> Option<Arc<ActiveContext>> {
    let urls: Vec<&str> = match context {
        Value::String(url) => vec![url.as_str()],
        Value::Array(items) if items.len() <= MAX_CONTEXT_ENTRIES => items
            .iter()
            .map(Value::as_str)
            .collect::<Option<Vec<_>>>()?,
        _ => return None,
    };
    // Every item is a URL, so the base URL is never used.
    memoised(&URL_MEMO, (active.id, urls.join("\n")), || {
        process(active, context, "", false, true)
    })
}

/// Applies a scoped context: property-scoped (`propagate`, may override protected
/// terms) or type-scoped (does not propagate into nested nodes).
pub(super) fn apply(
    active: &Arc<ActiveContext>,
    scoped: &ScopedContext,
    property_scoped: bool,
) -> Option<Arc<ActiveContext>> {
    let key = (active.id, scoped.id, property_scoped, property_scoped);
    memoised(&MEMO, key, || {
        process(
            active,
            &scoped.value,
            scoped.base,
            property_scoped,
            property_scoped,
        )
    })
}

/// The memoised context for `key`, or the one `compute` gives (remembered while the
/// memo is under [`MEMO_LIMIT`] entries and [`MEMO_BYTES`]).
fn memoised<K: std::hash::Hash + Eq>(
    memo: &Memo<K>,
    key: K,
    compute: impl FnOnce() -> Option<ActiveContext>,
) -> Option<Arc<ActiveContext>> {
    if let Some(found) = memo
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .entries
        .get(&key)
    {
        return Some(found.clone());
    }
    let processed = Arc::new(compute()?);
    let size = processed.approximate_bytes();
    let mut memo = memo.write().unwrap_or_else(PoisonError::into_inner);
    if let Some(found) = memo.entries.get(&key) {
        return Some(found.clone());
    }
    if memo.entries.len() >= MEMO_LIMIT || memo.bytes + size > MEMO_BYTES {
        return Some(processed);
    }
    memo.bytes += size;
    memo.entries.insert(key, processed.clone());
    Some(processed)
}

/// JSON-LD 1.1 Context Processing for one local context value.
fn process(
    active: &Arc<ActiveContext>,
    local: &Value,
    base: &'static str,
    override_protected: bool,
    propagate: bool,
) -> Option<ActiveContext> {
    let mut result = active.derive();
    if !propagate && result.previous.is_none() {
        result.previous = Some(active.clone());
    }
    let items = match local {
        Value::Array(items) => items.as_slice(),
        single => std::slice::from_ref(single),
    };
    for item in items {
        match item {
            Value::String(url) => {
                let bundled = schemas::contexts::bundled_context(url)?;
                let value = BUNDLED.get(bundled.url)?;
                let nested = process(&Arc::new(result), value, bundled.url, false, true)?;
                result = nested;
            }
            Value::Object(definitions) => {
                process_object(&mut result, definitions, base, override_protected)?;
            }
            // `null` resets the context; other values are errors: the general path.
            _ => return None,
        }
    }
    Some(result)
}

/// Context Processing step 5.5 onwards, for one context object.
fn process_object(
    result: &mut ActiveContext,
    local: &Map<String, Value>,
    base: &'static str,
    override_protected: bool,
) -> Option<()> {
    for (key, value) in local {
        match key.as_str() {
            "@version" if value.as_f64() != Some(1.1) => return None,
            "@version" => {}
            "@protected" => {
                value.as_bool()?;
            }
            "@vocab" => match value {
                Value::Null => result.vocab = None,
                Value::String(vocab) if is_plain_absolute_iri(vocab) => {
                    result.vocab = Some(vocab.as_str().into());
                }
                _ => return None,
            },
            other if other.starts_with('@') => return None,
            _ => {}
        }
    }
    let protected = local
        .get("@protected")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let mut defining = Defining {
        local,
        defined: HashMap::new(),
        base,
        protected,
        override_protected,
    };
    for term in local.keys().filter(|key| !key.starts_with('@')) {
        defining.define(result, term)?;
    }
    Some(())
}

/// The state of Create Term Definition across one context object.
struct Defining<'l> {
    local: &'l Map<String, Value>,
    /// `true` once defined, `false` while being defined (a cycle).
    defined: HashMap<&'l str, bool>,
    /// The URL of the context document being processed.
    base: &'static str,
    protected: bool,
    override_protected: bool,
}

impl<'l> Defining<'l> {
    /// JSON-LD 1.1 Create Term Definition for `term` of the local context.
    fn define(&mut self, active: &mut ActiveContext, term: &'l str) -> Option<()> {
        match self.defined.get(term) {
            Some(true) => return Some(()),
            Some(false) => return None,
            None => {}
        }
        if term.is_empty() || term.starts_with('@') {
            return None;
        }
        self.defined.insert(term, false);
        let value = self.local.get(term)?;
        let previous = active.terms.remove(term);
        let (definition_map, simple_term) = match value {
            Value::String(_) | Value::Null => (None, value.is_string()),
            Value::Object(map) => (Some(map), false),
            _ => return None,
        };
        let id_value = match definition_map {
            None => value,
            Some(map) => map.get("@id").unwrap_or(&Value::Null),
        };
        let explicit_id = definition_map.is_none_or(|map| map.contains_key("@id"));

        let mut definition = TermDefinition {
            mapping: Mapping::Unsupported,
            coercion: None,
            container: Container::None,
            scoped: None,
            protected: self.protected,
            prefix: false,
        };
        if let Some(map) = definition_map {
            for (key, entry) in map {
                match key.as_str() {
                    "@id" => {}
                    "@protected" => definition.protected = entry.as_bool()?,
                    "@type" => {
                        definition.coercion = Some(match entry.as_str()? {
                            "@id" => Coercion::Id,
                            "@vocab" => Coercion::Vocab,
                            "@json" => Coercion::Unsupported,
                            other => match self.expand(active, other)? {
                                Expanded::Iri(iri) => Coercion::Datatype(iri.as_str().into()),
                                _ => return None,
                            },
                        });
                    }
                    "@container" => {
                        definition.container = match entry.as_str()? {
                            "@set" => Container::None,
                            "@list" => Container::List,
                            "@graph" => Container::Graph,
                            _ => return None,
                        };
                    }
                    "@context" => {
                        definition.scoped = Some(Arc::new(ScopedContext {
                            id: next_id(),
                            value: entry.clone(),
                            base: self.base,
                        }));
                    }
                    "@prefix" => {
                        if term.contains([':', '/']) {
                            return None;
                        }
                        definition.prefix = entry.as_bool()?;
                    }
                    _ => return None,
                }
            }
        }

        if explicit_id && id_value.as_str() != Some(term) {
            definition.mapping = match id_value {
                Value::Null => Mapping::Unsupported,
                Value::String(id) => match id.as_str() {
                    "@id" => Mapping::Id,
                    "@type" => Mapping::Type,
                    keyword if keyword.starts_with('@') => Mapping::Unsupported,
                    id => {
                        let Expanded::Iri(iri) = self.expand(active, id)? else {
                            return None;
                        };
                        if compact_iri_colon(term).is_some() || term.contains('/') {
                            // The term must expand to the same IRI (step 14.2.4).
                            let Expanded::Iri(own) = self.expand(active, term)? else {
                                return None;
                            };
                            if own != iri {
                                return None;
                            }
                        }
                        if simple_term
                            && !term.contains([':', '/'])
                            && iri.as_str().ends_with([':', '/', '?', '#', '[', ']', '@'])
                        {
                            definition.prefix = true;
                        }
                        Mapping::Iri(iri.as_str().into())
                    }
                },
                _ => return None,
            };
        } else if term.contains([':', '/']) {
            // A compact IRI or IRI as a term without `@id`: not in the bundled contexts.
            return None;
        } else {
            let vocab = active.vocab.as_ref()?;
            let joined = format!("{vocab}{term}");
            if !is_plain_absolute_iri(&joined) {
                return None;
            }
            definition.mapping = Mapping::Iri(joined.into());
        }

        if let Some(previous) = previous {
            if !self.override_protected && previous.protected {
                if !definition.same_as(&previous) {
                    // Redefining a protected term is an error: the general path says so.
                    return None;
                }
                active.terms.insert(term.into(), previous);
                self.defined.insert(term, true);
                return Some(());
            }
        }
        active.terms.insert(term.into(), Arc::new(definition));
        self.defined.insert(term, true);
        Some(())
    }

    /// IRI expansion inside context processing: terms of the local context that the
    /// value depends on are defined first (JSON-LD 1.1 IRI Expansion, steps 3 and 6.3).
    fn expand(&mut self, active: &mut ActiveContext, value: &'l str) -> Option<Expanded<'l>> {
        if let Some((term, _)) = self.local.get_key_value(value) {
            if self.defined.get(term.as_str()) != Some(&true) {
                self.define(active, term)?;
            }
        }
        if let Some(colon) = compact_iri_colon(value) {
            if let Some((prefix, _)) = self.local.get_key_value(&value[..colon]) {
                if self.defined.get(prefix.as_str()) != Some(&true) {
                    self.define(active, prefix)?;
                }
            }
        }
        active.expand_iri(value, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memos_stay_within_their_byte_budget() {
        // Contexts of 5,000 terms (about 200 KB each by the estimate), under keys no
        // real document uses (fresh active context ids): past the budget they are
        // handed out but not kept.
        let big = || {
            let mut context = ActiveContext::empty();
            for i in 0..5_000 {
                context.terms.insert(
                    format!("term{i}").into(),
                    Arc::new(TermDefinition {
                        mapping: Mapping::Id,
                        coercion: None,
                        container: Container::None,
                        scoped: None,
                        protected: false,
                        prefix: false,
                    }),
                );
            }
            context
        };
        let size = big().approximate_bytes();
        assert!(size > 150_000, "{size}");
        for _ in 0..2 * MEMO_BYTES / size {
            let fresh = next_id();
            assert!(memoised(&URL_MEMO, (fresh, String::new()), || Some(big())).is_some());
            let bytes = URL_MEMO
                .read()
                .unwrap_or_else(PoisonError::into_inner)
                .bytes;
            assert!(bytes <= MEMO_BYTES, "{bytes}");
        }
    }
}
