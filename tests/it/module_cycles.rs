//! No import cycle among the module files of the issuer and the verifier.
//!
//! A cycle makes every file in it a dependency of every other: a change to a
//! page reaches the state, the state reaches the routes. The layering in
//! docs/ARCHITECTURE.md ("Layers") is what keeps the graph acyclic; this test
//! holds it.
//!
//! The graph: one node per module file of the library (`lib.rs`, `a.rs`,
//! `a/mod.rs`, ...; the binary's `main.rs` is another crate); an edge from a
//! file to each file it refers to, through `use crate::a::b`, grouped
//! `use crate::{a, b::c}`, `super::` and `self::`, a child's name, or a path
//! in code (`crate::x::f()`, or through a name a `use` brought in). How a
//! path is resolved, and why a parent's `pub use child::Item` re-export is no
//! edge, is in [`graph`]; what is not read at all (test code, doc links,
//! strings) in [`references`].
//!
//! Not understood: names a glob import (`use x::*`) brings in (the glob
//! itself is an edge to `x`), paths built by a macro from pieces, `#[path]`
//! attributes, and names shadowed by a local item or variable of the same
//! name as an import (the import wins). None occurs in our crates; a case
//! that did would give an extra edge or miss one, never crash the test.

mod graph;
mod references;

use std::path::Path;

use graph::{cycles, Crate};

#[test]
fn the_issuer_has_no_import_cycle() {
    assert_no_cycle("issuer/src");
}

/// The whole crate, `net/` and `ob2/` included: what a `mod.rs` shares with
/// its children lives in a child of its own (`net/types.rs`,
/// `ob2/graph.rs`).
#[test]
fn the_verifier_has_no_import_cycle() {
    assert_no_cycle("verifier/src");
}

/// Fails naming each cycle among the module files of `src`, with the edges
/// inside it.
fn assert_no_cycle(src: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(src);
    let krate = Crate::from_sources(sources(&root)).unwrap();
    let edges = krate.edges();
    let report: Vec<String> = cycles(&edges)
        .iter()
        .map(|files| describe(files, &edges))
        .collect();
    assert!(
        report.is_empty(),
        "{} import cycle(s) in {src}:\n{}",
        report.len(),
        report.join("\n")
    );
}

/// The files of one cycle, then each edge inside it.
fn describe(
    files: &[&str],
    edges: &std::collections::BTreeMap<&str, std::collections::BTreeSet<&str>>,
) -> String {
    let mut text = format!("- {} files: {}\n", files.len(), files.join(", "));
    for from in files {
        for to in edges[from].iter().filter(|to| files.contains(to)) {
            text.push_str(&format!("    {from} -> {to}\n"));
        }
    }
    text
}

/// Every `.rs` file under `root` but the binary's `main.rs`, as
/// `(path relative to root, source)`.
fn sources(root: &Path) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let name = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                if name != "main.rs" {
                    found.push((name, std::fs::read_to_string(&path).unwrap()));
                }
            }
        }
    }
    found
}

/// The checker itself, on small crates written here: it must see the cycles
/// it exists to find.
mod checker {
    use super::graph::{cycles, Crate};

    fn cycles_of(files: &[(&str, &str)]) -> Vec<Vec<String>> {
        let sources = files
            .iter()
            .map(|(name, source)| (name.to_string(), source.to_string()))
            .collect();
        let krate = Crate::from_sources(sources).unwrap();
        let edges = krate.edges();
        cycles(&edges)
            .into_iter()
            .map(|c| c.into_iter().map(str::to_owned).collect())
            .collect()
    }

    fn names(files: &[&str]) -> Vec<Vec<String>> {
        vec![files.iter().map(|f| f.to_string()).collect()]
    }

    #[test]
    fn a_use_and_an_inline_path_make_a_cycle() {
        let found = cycles_of(&[
            ("lib.rs", "pub mod a; pub mod b;"),
            ("a.rs", "use crate::b::B; pub struct A;"),
            (
                "b.rs",
                "pub struct B; fn f() -> usize { crate::a::A::size() }",
            ),
        ]);
        assert_eq!(found, names(&["a.rs", "b.rs"]));
    }

    #[test]
    fn grouped_uses_super_and_macro_bodies_count() {
        let found = cycles_of(&[
            ("lib.rs", "pub mod web; pub mod state;"),
            ("web/mod.rs", "pub mod page; use crate::{state::{State}};"),
            (
                "web/page.rs",
                "fn f() { let _ = format!(\"{}\", super::super::state::NAME); }",
            ),
            (
                "state.rs",
                "pub const NAME: &str = \"\"; fn g() { crate::web::page::h(); }",
            ),
        ]);
        assert_eq!(found, names(&["state.rs", "web/page.rs"]));
    }

    #[test]
    fn a_module_imported_by_name_leads_to_the_file_its_paths_reach() {
        let found = cycles_of(&[
            ("lib.rs", "pub mod pages; pub mod app;"),
            ("pages/mod.rs", "pub mod public; use crate::app::State;"),
            ("pages/public.rs", "pub fn render() {}"),
            (
                "app.rs",
                "use crate::pages; pub struct State; fn f() { pages::public::render() }",
            ),
        ]);
        assert!(found.is_empty(), "{found:?}");
        let found = cycles_of(&[
            ("lib.rs", "pub mod pages; pub mod app;"),
            ("pages/mod.rs", "use crate::app::State; pub fn render() {}"),
            (
                "app.rs",
                "use crate::pages; pub struct State; fn f() { pages::render() }",
            ),
        ]);
        assert_eq!(found, names(&["app.rs", "pages/mod.rs"]));
    }

    #[test]
    fn a_re_export_is_a_signpost_unless_its_module_uses_it() {
        let child = ("p/c.rs", "use super::Shared; pub struct C;");
        let found = cycles_of(&[
            ("lib.rs", "pub mod p; pub mod q;"),
            ("p/mod.rs", "mod c; pub use c::C; pub struct Shared;"),
            child,
            ("q.rs", "use crate::p::C;"),
        ]);
        assert!(found.is_empty(), "{found:?}");
        let found = cycles_of(&[
            ("lib.rs", "pub mod p;"),
            (
                "p/mod.rs",
                "mod c; pub use c::C; pub struct Shared; fn f(_: C) {}",
            ),
            child,
        ]);
        assert_eq!(found, names(&["p/c.rs", "p/mod.rs"]));
    }

    #[test]
    fn a_re_export_leads_to_the_file_that_defines_the_item() {
        let found = cycles_of(&[
            ("lib.rs", "pub mod p; pub mod q;"),
            ("p/mod.rs", "mod c; pub use self::c::C;"),
            ("p/c.rs", "pub struct C; fn f() { crate::q::g() }"),
            ("q.rs", "pub fn g() {} fn h(_: crate::p::C) {}"),
        ]);
        assert_eq!(found, names(&["p/c.rs", "q.rs"]));
    }

    #[test]
    fn declarations_test_code_docs_and_other_crates_are_no_edges() {
        let found = cycles_of(&[
            ("lib.rs", "pub mod a; pub mod b; use a::A;"),
            (
                "a.rs",
                "//! See [`crate::b`].\npub struct A; #[cfg(test)] mod t { use crate::b::B; }",
            ),
            (
                "b.rs",
                "use ::a::A; use std::fmt; pub struct B; fn f(a: a::A) {}",
            ),
        ]);
        assert!(found.is_empty(), "{found:?}");
    }
}
