//! Which module file of a crate refers to which, and the strongly connected
//! components of that graph (Tarjan's algorithm).
//!
//! A path is resolved as the compiler would for the cases our code uses:
//! `crate::`, `self::`, `super::` (repeated), a child module's name, or a
//! name a `use` of the same module brought in. Anything else (another crate,
//! the prelude, a local variable or a generic parameter) names nothing here.
//! The target is the file of the longest prefix that is a module of this
//! crate. A reference to a module itself (`use crate::pages;`) is no edge:
//! the paths through that name are, to the file they reach.
//!
//! Re-exports are signposts: `pub use child::Item;` in a parent is no edge of
//! its own (like `mod child;`), and `crate::parent::Item` reaches the file
//! that defines `Item`. A parent that uses the re-exported name in its own
//! code does depend on the child, and that mention is an edge.

use std::collections::{BTreeMap, BTreeSet};

use super::references::{self, FileRefs, Import, ModPath};

/// How many re-exports or imports of imports are followed before giving up.
const MAX_HOPS: usize = 8;

/// The module files of one crate and what each names.
pub struct Crate {
    files: BTreeMap<ModPath, (String, FileRefs)>,
    inline: BTreeSet<ModPath>,
}

/// Where a path leads: the file, and whether it names a module itself.
struct Target {
    file: ModPath,
    module_itself: bool,
}

impl Crate {
    /// Reads `(path relative to src/, source)` pairs; `lib.rs` is the root.
    pub fn from_sources(sources: Vec<(String, String)>) -> Result<Self, String> {
        let mut files = BTreeMap::new();
        let mut inline = BTreeSet::new();
        for (name, source) in sources {
            let module = module_of(&name);
            let refs = references::read(&module, &source).map_err(|e| format!("{name}: {e}"))?;
            inline.extend(refs.inline_modules.iter().cloned());
            files.insert(module, (name, refs));
        }
        Ok(Self { files, inline })
    }

    /// Every file and the files it refers to, by their names.
    pub fn edges(&self) -> BTreeMap<&str, BTreeSet<&str>> {
        self.files
            .iter()
            .map(|(module, (name, refs))| {
                let targets = self
                    .targets(module, refs)
                    .into_iter()
                    .filter(|t| t != module)
                    .map(|t| self.files[&t].0.as_str())
                    .collect();
                (name.as_str(), targets)
            })
            .collect()
    }

    fn targets(&self, file: &ModPath, refs: &FileRefs) -> BTreeSet<ModPath> {
        let from_imports = refs.imports.iter().filter(|i| !i.public).filter_map(|i| {
            let path = self.absolute(file, &i.module, &i.path, 0)?;
            let target = self.target(&path, 0)?;
            (i.name.is_none() || !target.module_itself).then_some(target.file)
        });
        let from_mentions = refs.mentions.iter().filter_map(|m| {
            let path = self.absolute(file, &m.module, &m.path, 0)?;
            let target = self.target(&path, 0)?;
            (!target.module_itself).then_some(target.file)
        });
        from_imports.chain(from_mentions).collect()
    }

    /// `path`, written in `module` of `file`, from the crate root; `None`
    /// when it does not start in this crate.
    fn absolute(
        &self,
        file: &ModPath,
        module: &ModPath,
        path: &[String],
        hops: usize,
    ) -> Option<ModPath> {
        let (first, rest) = path.split_first()?;
        let (mut base, mut rest) = match first.as_str() {
            "crate" => (Vec::new(), rest),
            "self" | "super" => (module.clone(), path),
            name if self.is_module(&child(module, name)) => (module.clone(), path),
            name => {
                let import = self.import(file, module, name)?;
                if hops >= MAX_HOPS {
                    return None;
                }
                let mut base = self.absolute(file, &import.module, &import.path, hops + 1)?;
                base.extend(rest.iter().cloned());
                return Some(base);
            }
        };
        while let Some((head, tail)) = rest.split_first() {
            match head.as_str() {
                "self" => {}
                "super" => {
                    base.pop()?;
                }
                _ => break,
            }
            rest = tail;
        }
        base.extend(rest.iter().cloned());
        Some(base)
    }

    /// The file an absolute path leads to, through re-exports.
    fn target(&self, path: &[String], hops: usize) -> Option<Target> {
        let depth = (0..=path.len())
            .rev()
            .find(|&n| self.is_module(&path[..n]))?;
        let module = path[..depth].to_vec();
        let file = self.file_of(&module)?;
        let Some(item) = path.get(depth) else {
            return Some(Target {
                file,
                module_itself: true,
            });
        };
        let reexport = self.files[&file]
            .1
            .imports
            .iter()
            .find(|i| i.public && i.module == module && i.name.as_ref() == Some(item));
        if let Some(import) = reexport.filter(|_| hops < MAX_HOPS) {
            if let Some(mut next) = self.absolute(&file, &module, &import.path, hops + 1) {
                next.extend(path[depth + 1..].iter().cloned());
                return self.target(&next, hops + 1);
            }
        }
        Some(Target {
            file,
            module_itself: false,
        })
    }

    /// The `use` of `module` in `file` that binds `name`.
    fn import(&self, file: &ModPath, module: &ModPath, name: &str) -> Option<&Import> {
        self.files
            .get(file)?
            .1
            .imports
            .iter()
            .find(|i| &i.module == module && i.name.as_deref() == Some(name))
    }

    fn is_module(&self, module: &[String]) -> bool {
        self.files.contains_key(module) || self.inline.contains(module)
    }

    /// The file holding `module`: its own, or the file of the nearest
    /// ancestor when it is inline.
    fn file_of(&self, module: &[String]) -> Option<ModPath> {
        (0..=module.len())
            .rev()
            .map(|n| module[..n].to_vec())
            .find(|m| self.files.contains_key(m))
    }
}

fn child(module: &ModPath, name: &str) -> ModPath {
    let mut child = module.clone();
    child.push(name.to_owned());
    child
}

/// `lib.rs` -> root, `a/mod.rs` and `a.rs` -> `a`, `a/b.rs` -> `a::b`.
fn module_of(file: &str) -> ModPath {
    let stem = file.strip_suffix(".rs").unwrap_or(file);
    let mut parts: ModPath = stem.split('/').map(str::to_owned).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// The strongly connected components of more than one node, each sorted,
/// in a stable order.
pub fn cycles<'a>(edges: &BTreeMap<&'a str, BTreeSet<&'a str>>) -> Vec<Vec<&'a str>> {
    let mut tarjan = Tarjan {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        components: Vec::new(),
    };
    for node in edges.keys() {
        if !tarjan.index.contains_key(node) {
            tarjan.connect(node);
        }
    }
    let mut components: Vec<_> = tarjan
        .components
        .into_iter()
        .filter(|c| c.len() > 1)
        .collect();
    components.iter_mut().for_each(|c| c.sort());
    components.sort();
    components
}

struct Tarjan<'g, 'a> {
    edges: &'g BTreeMap<&'a str, BTreeSet<&'a str>>,
    index: BTreeMap<&'a str, usize>,
    low: BTreeMap<&'a str, usize>,
    stack: Vec<&'a str>,
    on_stack: BTreeSet<&'a str>,
    components: Vec<Vec<&'a str>>,
}

impl<'a> Tarjan<'_, 'a> {
    fn connect(&mut self, node: &'a str) {
        let index = self.index.len();
        self.index.insert(node, index);
        self.low.insert(node, index);
        self.stack.push(node);
        self.on_stack.insert(node);
        for &next in self.edges.get(node).into_iter().flatten() {
            if !self.index.contains_key(next) {
                self.connect(next);
                self.lower(node, self.low[next]);
            } else if self.on_stack.contains(next) {
                self.lower(node, self.index[next]);
            }
        }
        if self.low[node] == index {
            let mut component = Vec::new();
            while let Some(top) = self.stack.pop() {
                self.on_stack.remove(top);
                component.push(top);
                if top == node {
                    break;
                }
            }
            self.components.push(component);
        }
    }

    fn lower(&mut self, node: &'a str, value: usize) {
        let low = self.low.get_mut(node).unwrap();
        *low = (*low).min(value);
    }
}
