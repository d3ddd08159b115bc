//! The direct path from a JSON-LD credential to its RDFC-1.0 canonical N-Quads, for the
//! documents that stay within what Open Badges credentials use.
//!
//! The general path (`super::canonical`: the `json-ld` crate's expansion and `toRdf`,
//! then `rdf-canon`) is correct for any JSON-LD, but it spends most of its time cloning
//! active contexts (docs/CANONICALISATION.md): about 1 ms for a 3 KB credential, where
//! the engine needs about 50 µs. This module produces the same bytes in a few
//! microseconds by doing only what those documents need:
//!
//! - [`context`]: the bundled contexts are compiled once into term tables, and each
//!   type-scoped or property-scoped context is applied once per active context and
//!   memoised, so a document walk never processes a context.
//! - [`rdf`]: one walk over the compact JSON gives the RDF quads, following the JSON-LD
//!   1.1 expansion rules for the features the bundled contexts use (keyword aliases,
//!   `@vocab`, compact IRIs, type coercion to `@id`/`@vocab`/datatypes, `@set`, `@list`
//!   and `@graph` containers, type-scoped and property-scoped contexts, `@protected`).
//! - [`rdfc`]: RDFC-1.0 when every blank node has a distinct first-degree hash, which
//!   is the case for credentials: canonical labels follow the hashes, no N-degree step.
//!
//! Anything outside that subset (an inline or unknown context, a value object, `@json`,
//! a language tag, a non-integer number, an IRI that is not plain ASCII, a relative IRI,
//! an undefined term, blank nodes that first-degree hashes cannot tell apart...) makes
//! [`canonicalize`] answer `None`, and the caller takes the general path, which gives
//! the authoritative result or error. The differential tests in `keys/tests/it/di.rs`
//! check that both paths give the same bytes on every bundled fixture and on thousands
//! of mutated copies.

mod context;
mod rdf;
mod rdfc;

use serde_json::Value;

/// The canonical N-Quads of a JSON-LD document given as its entries (the caller may
/// leave some out, e.g. `proof`), or `None` when the document is outside the subset
/// this path handles and the general path must decide.
pub(crate) fn canonicalize<'a>(
    entries: impl Iterator<Item = (&'a str, &'a Value)> + Clone,
) -> Option<String> {
    let context = entries
        .clone()
        .find_map(|(key, value)| (key == "@context").then_some(value));
    let active = context::top_level(context?)?;
    let dataset = rdf::to_rdf(active, entries.filter(|(key, _)| *key != "@context"))?;
    rdfc::canonicalize(dataset)
}
