//! What one source file names, read with `syn`: the names its `use`
//! declarations bring in and the paths written in its code (macro bodies
//! included, read as plain tokens), each tagged with the module it appears in
//! (the file's own module, or an inline `mod` inside it).
//!
//! Left out on purpose: items under `#[cfg(test)]` (test code may reach
//! anywhere), doc comments and string literals (intra-doc links and
//! `#[serde(with = "..")]` name no dependency of the code), and `use` paths
//! with a leading `::` (always another crate).

use proc_macro2::{TokenStream, TokenTree};
use syn::visit::Visit;
use syn::{Attribute, Item, UseTree, Visibility};

/// A module path inside a crate, `["pages", "public"]`; the crate root is empty.
pub type ModPath = Vec<String>;

/// One name a `use` declaration brings in.
#[derive(Debug)]
pub struct Import {
    /// The module the declaration is in.
    pub module: ModPath,
    /// The name it binds (after `as`); `None` for a glob.
    pub name: Option<String>,
    /// The path as written, `crate`, `super` and `self` included.
    pub path: Vec<String>,
    /// Declared with any `pub` visibility: a re-export.
    pub public: bool,
}

/// A path written in code, outside `use` declarations.
#[derive(Debug)]
pub struct Mention {
    /// The module the path is written in.
    pub module: ModPath,
    /// Its segments, without generic arguments.
    pub path: Vec<String>,
}

/// Everything one file names.
#[derive(Debug, Default)]
pub struct FileRefs {
    /// Its `use` declarations, one per name bound.
    pub imports: Vec<Import>,
    /// The paths in its code.
    pub mentions: Vec<Mention>,
    /// The inline modules (`mod x { .. }`) it defines.
    pub inline_modules: Vec<ModPath>,
}

/// Reads the source of the file holding `module`.
pub fn read(module: &ModPath, source: &str) -> syn::Result<FileRefs> {
    let file = syn::parse_file(source)?;
    let mut collector = Collector {
        stack: vec![module.clone()],
        refs: FileRefs::default(),
    };
    collector.visit_file(&file);
    Ok(collector.refs)
}

struct Collector {
    /// The module being read: the file's, then each inline module entered.
    stack: Vec<ModPath>,
    refs: FileRefs,
}

impl Collector {
    fn module(&self) -> ModPath {
        self.stack.last().cloned().unwrap_or_default()
    }

    fn mention(&mut self, path: Vec<String>) {
        if !path.is_empty() {
            let module = self.module();
            self.refs.mentions.push(Mention { module, path });
        }
    }

    fn use_tree(&mut self, tree: &UseTree, mut prefix: Vec<String>, public: bool) {
        let (name, path) = match tree {
            UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                return self.use_tree(&p.tree, prefix, public);
            }
            UseTree::Group(g) => {
                for item in &g.items {
                    self.use_tree(item, prefix.clone(), public);
                }
                return;
            }
            UseTree::Name(n) => (Some(n.ident.to_string()), with_leaf(prefix, &n.ident)),
            UseTree::Rename(r) => (Some(r.rename.to_string()), with_leaf(prefix, &r.ident)),
            UseTree::Glob(_) => (None, prefix),
        };
        // `use a::{self}` binds `a`.
        let name = name.map(|n| match n.as_str() {
            "self" => path.last().cloned().unwrap_or(n),
            _ => n,
        });
        let module = self.module();
        self.refs.imports.push(Import {
            module,
            name,
            path,
            public,
        });
    }
}

/// `prefix::leaf`, where a `self` leaf names the prefix itself.
fn with_leaf(mut prefix: Vec<String>, leaf: &syn::Ident) -> Vec<String> {
    if leaf != "self" {
        prefix.push(leaf.to_string());
    }
    prefix
}

impl<'ast> Visit<'ast> for Collector {
    fn visit_item(&mut self, item: &'ast Item) {
        if test_only(attributes(item)) {
            return;
        }
        match item {
            Item::Use(u) if u.leading_colon.is_none() => {
                let public = !matches!(u.vis, Visibility::Inherited);
                self.use_tree(&u.tree, Vec::new(), public);
            }
            Item::Use(_) => {}
            Item::Mod(m) => {
                // `mod child;` declares a child: no reference. An inline
                // module is read as a module of its own inside this file.
                if let Some((_, items)) = &m.content {
                    let mut module = self.module();
                    module.push(m.ident.to_string());
                    self.refs.inline_modules.push(module.clone());
                    self.stack.push(module);
                    items.iter().for_each(|i| self.visit_item(i));
                    self.stack.pop();
                }
            }
            other => syn::visit::visit_item(self, other),
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        if path.leading_colon.is_none() {
            self.mention(path.segments.iter().map(|s| s.ident.to_string()).collect());
        }
        syn::visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        for path in token_paths(mac.tokens.clone()) {
            self.mention(path);
        }
        syn::visit::visit_macro(self, mac);
    }

    // Doc comments and other attributes name nothing the code depends on.
    fn visit_attribute(&mut self, _: &'ast Attribute) {}
}

/// The `a::b::c` sequences in a macro's tokens, at any depth.
fn token_paths(tokens: TokenStream) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let mut current: Vec<String> = Vec::new();
    let mut colons = 0;
    for tree in tokens {
        match tree {
            TokenTree::Ident(ident) if current.is_empty() || colons == 2 => {
                current.push(ident.to_string());
                colons = 0;
            }
            TokenTree::Punct(p) if p.as_char() == ':' && !current.is_empty() && colons < 2 => {
                colons += 1;
            }
            other => {
                paths.extend(finish(&mut current, &mut colons));
                if let TokenTree::Group(group) = &other {
                    paths.extend(token_paths(group.stream()));
                }
                if let TokenTree::Ident(ident) = other {
                    current.push(ident.to_string());
                }
            }
        }
    }
    paths.extend(finish(&mut current, &mut colons));
    paths
}

fn finish(current: &mut Vec<String>, colons: &mut usize) -> Option<Vec<String>> {
    *colons = 0;
    (!current.is_empty()).then(|| std::mem::take(current))
}

/// True under `#[cfg(test)]`.
fn test_only(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg") && a.parse_args::<syn::Ident>().is_ok_and(|i| i == "test")
    })
}

fn attributes(item: &Item) -> &[Attribute] {
    match item {
        Item::Const(i) => &i.attrs,
        Item::Enum(i) => &i.attrs,
        Item::Fn(i) => &i.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Macro(i) => &i.attrs,
        Item::Mod(i) => &i.attrs,
        Item::Static(i) => &i.attrs,
        Item::Struct(i) => &i.attrs,
        Item::Trait(i) => &i.attrs,
        Item::Type(i) => &i.attrs,
        Item::Union(i) => &i.attrs,
        Item::Use(i) => &i.attrs,
        _ => &[],
    }
}
