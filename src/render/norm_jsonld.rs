//! JSON-LD in a norm's own form: nodes written with the keys, type names, language maps and
//! nesting of the norm's JSON-LD context (for code lists `typ`, `iri`, `kód`, `název`,
//! `položky`, `platnost`, …), as the norm's examples are written. Driven by the context itself:
//! its terms (with `@import`, type- and property-scoped contexts, `@reverse`, `@container`
//! `@language`, `@type` coercion) decide each key; what the context has no term for is written
//! with a compact IRI and an expanded value, so the output always reads back as the same graph.

use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{Graph, NamedOrBlankNode, NamedOrBlankNodeRef, Term, TermRef};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// One term of a context.
#[derive(Debug, Clone, PartialEq)]
struct Def {
    /// The IRI it stands for (a property, or a class for a type name), as the context writes it.
    id: String,
    /// The same, prefixes expanded (once the whole context is read).
    iri: String,
    reverse: bool,
    language_map: bool,
    /// `@container: @set`: its values are an array, even one.
    set: bool,
    /// `@type` coercion: a datatype IRI (expanded once the whole context is read), or `@id`.
    coerce: Option<String>,
    /// Its scoped context.
    scoped: Option<Arc<Layer>>,
}

/// The terms one context object defines (with what it imports).
#[derive(Debug, Default, PartialEq)]
struct Layer {
    terms: BTreeMap<String, Def>,
}

/// A norm's context, parsed: its IRI (cited by documents), its top layer, the prefixes of every
/// context it draws on, and the aliases of `@id` and `@type`.
#[derive(Debug)]
pub struct NormContext {
    iri: String,
    top: Arc<Layer>,
    prefixes: HashMap<String, String>,
    id_key: String,
    type_key: String,
}

impl NormContext {
    /// Parses the context `iri`, loading it and every context it names with `load`.
    pub fn parse(iri: &str, load: &dyn Fn(&str) -> Option<Value>) -> Result<Self, String> {
        let mut parser = Parser {
            load,
            prefixes: HashMap::new(),
            aliases: HashMap::new(),
            loading: Vec::new(),
        };
        let top = parser.context(&Value::String(iri.to_owned()))?;
        let top = expanded(&top, &|id| expand(&parser.prefixes, id));
        let alias = |keyword: &str| {
            parser
                .aliases
                .iter()
                .find(|(_, k)| k.as_str() == keyword)
                .map_or_else(|| keyword.to_owned(), |(name, _)| name.clone())
        };
        Ok(Self {
            iri: iri.to_owned(),
            id_key: alias("@id"),
            type_key: alias("@type"),
            top: Arc::new(top),
            prefixes: parser.prefixes,
        })
    }

    /// A compact IRI (`skos:notation`) where a prefix fits, else the IRI.
    fn compact(&self, iri: &str) -> String {
        self.prefixes
            .iter()
            .filter(|(_, ns)| iri.starts_with(ns.as_str()) && iri.len() > ns.len())
            .max_by_key(|(_, ns)| ns.len())
            .map_or_else(
                || iri.to_owned(),
                |(p, ns)| format!("{p}:{}", &iri[ns.len()..]),
            )
    }

    /// `graph` as one JSON-LD document: each node of a type the context names, with what hangs
    /// on it nested (a list's items inside it). `first` (a resource's own IRI) comes first.
    pub fn document(&self, graph: &Graph, first: Option<&str>) -> Value {
        let types: HashSet<String> = self
            .top
            .terms
            .values()
            .filter(|d| d.scoped.is_some() && !d.reverse)
            .map(|d| d.iri.clone())
            .collect();
        let reversed: HashSet<String> = self.all_reverse_predicates();
        let mut roots: Vec<(bool, String)> = graph
            .triples_for_predicate(rdf::TYPE)
            .filter(|t| matches!(t.object, TermRef::NamedNode(c) if types.contains(c.as_str())))
            .filter_map(|t| match t.subject {
                NamedOrBlankNodeRef::NamedNode(n) => Some(n.as_str().to_owned()),
                NamedOrBlankNodeRef::BlankNode(_) => None,
            })
            .map(|s| {
                // Nodes nested by a reverse term (items in their list) come after.
                let nested = graph
                    .triples_for_subject(oxigraph::model::NamedNodeRef::new_unchecked(&s))
                    .any(|t| reversed.contains(t.predicate.as_str()));
                (first != Some(s.as_str()) && nested, s)
            })
            .collect();
        if let Some(first) = first {
            if !roots.iter().any(|(_, s)| s == first) {
                roots.push((false, first.to_owned()));
            }
        }
        roots.sort_by(|a, b| {
            (a.0, first != Some(a.1.as_str()), &a.1).cmp(&(b.0, first != Some(b.1.as_str()), &b.1))
        });
        roots.dedup();
        let mut writer = Writer {
            ctx: self,
            graph,
            seen: HashSet::new(),
            written: HashSet::new(),
        };
        let mut nodes = Vec::new();
        for (_, root) in roots {
            let node = NamedOrBlankNode::from(oxigraph::model::NamedNode::new_unchecked(root));
            if !writer.seen.contains(&node) {
                nodes.push(writer.node(node.as_ref(), std::slice::from_ref(&self.top)));
            }
        }
        let mut out = Map::new();
        out.insert("@context".into(), Value::String(self.iri.clone()));
        match nodes.len() {
            1 => {
                if let Value::Object(node) = nodes.remove(0) {
                    out.extend(node);
                }
            }
            _ => {
                out.insert("@graph".into(), Value::Array(nodes));
            }
        }
        Value::Object(out)
    }

    fn all_reverse_predicates(&self) -> HashSet<String> {
        let mut out = HashSet::new();
        let mut todo = vec![self.top.clone()];
        while let Some(layer) = todo.pop() {
            for d in layer.terms.values() {
                if d.reverse {
                    out.insert(d.iri.clone());
                }
                if let Some(s) = &d.scoped {
                    todo.push(s.clone());
                }
            }
        }
        out
    }
}

/// `id` with its prefix expanded, when `prefixes` has it.
fn expand(prefixes: &HashMap<String, String>, id: &str) -> String {
    match id.split_once(':') {
        Some((prefix, local)) if !local.starts_with("//") => prefixes
            .get(prefix)
            .map_or_else(|| id.to_owned(), |ns| format!("{ns}{local}")),
        _ => id.to_owned(),
    }
}

/// `layer` (and the layers scoped in it) with every term's IRI and datatype expanded, so that
/// writing compares IRIs without expanding them again for every value.
fn expanded(layer: &Layer, expand: &dyn Fn(&str) -> String) -> Layer {
    let terms = layer
        .terms
        .iter()
        .map(|(name, def)| {
            let def = Def {
                iri: expand(&def.id),
                coerce: def.coerce.as_ref().map(|c| {
                    if c.starts_with('@') {
                        c.clone()
                    } else {
                        expand(c)
                    }
                }),
                scoped: def.scoped.as_ref().map(|l| Arc::new(expanded(l, expand))),
                ..def.clone()
            };
            (name.clone(), def)
        })
        .collect();
    Layer { terms }
}

struct Parser<'a> {
    load: &'a dyn Fn(&str) -> Option<Value>,
    prefixes: HashMap<String, String>,
    aliases: HashMap<String, String>,
    loading: Vec<String>,
}

impl Parser<'_> {
    /// The layer a context value (an IRI, an object or an array of them) defines.
    fn context(&mut self, value: &Value) -> Result<Layer, String> {
        match value {
            Value::String(iri) => {
                if self.loading.contains(iri) {
                    return Ok(Layer::default());
                }
                let doc = (self.load)(iri)
                    .ok_or_else(|| format!("the context <{iri}> is not bundled"))?;
                let inner = doc.get("@context").cloned().unwrap_or(Value::Null);
                self.loading.push(iri.clone());
                let layer = self.context(&inner);
                self.loading.pop();
                layer
            }
            Value::Array(items) => {
                let mut layer = Layer::default();
                for item in items {
                    layer.terms.extend(self.context(item)?.terms);
                }
                Ok(layer)
            }
            Value::Object(entries) => {
                let mut layer = match entries.get("@import") {
                    Some(import) => self.context(import)?,
                    None => Layer::default(),
                };
                for (name, value) in entries.iter().filter(|(k, _)| !k.starts_with('@')) {
                    match value {
                        Value::String(s) if s.starts_with('@') => {
                            self.aliases.insert(name.clone(), s.clone());
                        }
                        Value::String(s) => {
                            if s.ends_with('/') || s.ends_with('#') {
                                self.prefixes.insert(name.clone(), s.clone());
                            }
                            layer.terms.insert(name.clone(), self.def(s, None)?);
                        }
                        Value::Object(o) => {
                            let id = o
                                .get("@id")
                                .or_else(|| o.get("@reverse"))
                                .and_then(Value::as_str)
                                .unwrap_or(name);
                            let mut def = self.def(id, o.get("@context"))?;
                            def.reverse = o.contains_key("@reverse");
                            // `@container` is a keyword or (JSON-LD 1.1) an array of them.
                            let container = |keyword: &str| match o.get("@container") {
                                Some(Value::String(c)) => c == keyword,
                                Some(Value::Array(cs)) => cs.iter().any(|c| c == keyword),
                                _ => false,
                            };
                            def.language_map = container("@language");
                            def.set = container("@set");
                            def.coerce = o.get("@type").and_then(Value::as_str).map(str::to_owned);
                            layer.terms.insert(name.clone(), def);
                        }
                        _ => {}
                    }
                }
                Ok(layer)
            }
            _ => Ok(Layer::default()),
        }
    }

    fn def(&mut self, id: &str, scoped: Option<&Value>) -> Result<Def, String> {
        Ok(Def {
            id: id.to_owned(),
            iri: String::new(),
            reverse: false,
            language_map: false,
            set: false,
            coerce: None,
            scoped: match scoped {
                Some(value) => Some(Arc::new(self.context(value)?)),
                None => None,
            },
        })
    }
}

struct Writer<'a> {
    ctx: &'a NormContext,
    graph: &'a Graph,
    seen: HashSet<NamedOrBlankNode>,
    /// Triples a reverse term has written already (an item's link to the list it is nested in).
    written: HashSet<oxigraph::model::Triple>,
}

impl Writer<'_> {
    /// The term `name` resolves to in `layers` (innermost last).
    fn resolve<'l>(&self, layers: &'l [Arc<Layer>], name: &str) -> Option<&'l Def> {
        layers.iter().rev().find_map(|l| l.terms.get(name))
    }

    /// A term for `predicate` whose name resolves to it and whose form suits `value`.
    /// Of several (`kód` and `akronym` are both `skos:notation`), the shortest name wins.
    fn term_for(
        &self,
        layers: &[Arc<Layer>],
        predicate: &str,
        reverse: bool,
        value: TermRef<'_>,
    ) -> Option<(String, Def)> {
        self.terms_for(layers, predicate, reverse, value)
            .into_iter()
            .next()
    }

    /// Every term [`Self::term_for`] could pick, the preferred first.
    fn terms_for(
        &self,
        layers: &[Arc<Layer>],
        predicate: &str,
        reverse: bool,
        value: TermRef<'_>,
    ) -> Vec<(String, Def)> {
        for layer in layers.iter().rev() {
            let mut found: Vec<(String, Def)> = layer
                .terms
                .iter()
                .filter(|(_, def)| def.reverse == reverse && def.iri == predicate)
                .filter(|(name, def)| {
                    self.resolve(layers, name) == Some(*def) && self.suits(def, value)
                })
                .map(|(name, def)| (name.clone(), def.clone()))
                .collect();
            if !found.is_empty() {
                found.sort_by_key(|(name, _)| (name.chars().count(), name.clone()));
                return found;
            }
        }
        Vec::new()
    }

    fn suits(&self, def: &Def, value: TermRef<'_>) -> bool {
        match (value, def.language_map, def.coerce.as_deref()) {
            (TermRef::Literal(l), true, _) => l.language().is_some(),
            (_, true, _) => false,
            (TermRef::Literal(l), false, Some(dt)) if dt != "@id" => {
                l.language().is_none() && dt == l.datatype().as_str()
            }
            (TermRef::Literal(l), false, None) => {
                l.language().is_none() && l.datatype() == xsd::STRING
            }
            (TermRef::Literal(_), false, Some(_)) => false,
            (_, false, Some(dt)) => dt == "@id",
            (_, false, None) => true,
        }
    }

    /// A node object for `node`: its type names, its IRI, then its properties.
    fn node(&mut self, node: NamedOrBlankNodeRef<'_>, outer: &[Arc<Layer>]) -> Value {
        self.seen.insert(node.into_owned());
        let mut layers = outer.to_vec();
        let mut out = Map::new();
        let mut type_names = Vec::new();
        for class in self.graph.objects_for_subject_predicate(node, rdf::TYPE) {
            let TermRef::NamedNode(class) = class else {
                continue;
            };
            let found = outer.iter().rev().find_map(|l| {
                l.terms
                    .iter()
                    .find(|(_, d)| !d.reverse && d.iri == class.as_str() && d.scoped.is_some())
            });
            match found {
                Some((name, def)) => {
                    type_names.push(Value::String(name.clone()));
                    layers.extend(def.scoped.clone());
                }
                None => type_names.push(Value::String(self.ctx.compact(class.as_str()))),
            }
        }
        if !type_names.is_empty() {
            let value = if type_names.len() == 1 {
                type_names.remove(0)
            } else {
                Value::Array(type_names)
            };
            out.insert(self.ctx.type_key.clone(), value);
        }
        if let NamedOrBlankNodeRef::NamedNode(n) = node {
            out.insert(
                self.ctx.id_key.clone(),
                Value::String(n.as_str().to_owned()),
            );
        }
        // Nested nodes see the outer layers and their property's scope, not this node's type scope.
        let mut values: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        let triples: Vec<_> = self
            .graph
            .triples_for_subject(node)
            .map(|t| t.into_owned())
            .collect();
        let mut triples: Vec<_> = triples
            .into_iter()
            .filter(|t| t.predicate.as_ref() != rdf::TYPE && !self.written.contains(t))
            .collect();
        // The same document whatever order the graph was built in (a push, the store).
        triples.sort_by_cached_key(|t| (t.predicate.clone(), t.object.to_string()));
        for t in &triples {
            let (mut key, value) = self.value(
                &layers,
                outer,
                t.predicate.as_str(),
                false,
                t.object.as_ref(),
            );
            // A second text (in a language map: in the same language) goes to another term of
            // the same property where there is one: `kód` and `akronym`, `alt_název` and
            // `zkr_název`, as the norm's examples do.
            if let TermRef::Literal(l) = t.object.as_ref() {
                let lang = l.language().unwrap_or_default();
                let map = key_is_language_map(&value);
                let taken = |k: &String| {
                    values
                        .get(k)
                        .is_some_and(|vs| !map || vs.iter().any(|v| v.get(lang).is_some()))
                };
                if taken(&key) {
                    let others =
                        self.terms_for(&layers, t.predicate.as_str(), false, t.object.as_ref());
                    if let Some((free, _)) = others.into_iter().find(|(name, _)| !taken(name)) {
                        key = free;
                    }
                }
            }
            values.entry(key).or_default().push(value);
        }
        if let NamedOrBlankNodeRef::NamedNode(_) = node {
            let mut incoming: Vec<_> = self
                .graph
                .triples_for_object(node)
                .map(|t| t.into_owned())
                .collect();
            incoming.sort_by_cached_key(|t| (t.predicate.clone(), t.subject.to_string()));
            for t in incoming {
                let subject = Term::from(t.subject.clone());
                if self
                    .term_for(&layers, t.predicate.as_str(), true, subject.as_ref())
                    .is_some()
                {
                    self.written.insert(t.clone());
                    let (key, value) =
                        self.value(&layers, outer, t.predicate.as_str(), true, subject.as_ref());
                    values.entry(key).or_default().push(value);
                }
            }
        }
        for (key, mut list) in values {
            let set = self.resolve(&layers, &key).is_some_and(|d| d.set);
            let value = match list.len() {
                _ if set && !list.iter().any(key_is_language_map) => Value::Array(list),
                1 if !list[0].is_object() || !key_is_language_map(&list[0]) => list.remove(0),
                _ => merge(list),
            };
            out.insert(key, value);
        }
        Value::Object(out)
    }

    /// The key and JSON value of one property value.
    fn value(
        &mut self,
        layers: &[Arc<Layer>],
        outer: &[Arc<Layer>],
        predicate: &str,
        reverse: bool,
        object: TermRef<'_>,
    ) -> (String, Value) {
        let Some((name, def)) = self.term_for(layers, predicate, reverse, object) else {
            return (self.ctx.compact(predicate), self.expanded(object, outer));
        };
        let value = match object {
            TermRef::Literal(l) if def.language_map => {
                let mut map = Map::new();
                map.insert(
                    l.language().unwrap_or_default().to_owned(),
                    Value::String(l.value().to_owned()),
                );
                return (name, Value::Object(map)).map_language();
            }
            TermRef::Literal(l)
                if l.datatype() == xsd::BOOLEAN && matches!(l.value(), "true" | "false") =>
            {
                Value::Bool(l.value() == "true")
            }
            TermRef::Literal(l) => Value::String(l.value().to_owned()),
            TermRef::NamedNode(n) if def.coerce.as_deref() == Some("@id") => {
                Value::String(n.as_str().to_owned())
            }
            TermRef::NamedNode(_) | TermRef::BlankNode(_) => {
                let node = match object {
                    TermRef::NamedNode(n) => NamedOrBlankNode::from(n.into_owned()),
                    TermRef::BlankNode(b) => NamedOrBlankNode::from(b.into_owned()),
                    _ => unreachable!(),
                };
                let mut inner = outer.to_vec();
                inner.extend(def.scoped.clone());
                self.nested(node, &inner)
            }
            #[allow(unreachable_patterns)]
            _ => Value::Null,
        };
        (name, value)
    }

    /// A nested node: in full the first time, by its IRI after.
    fn nested(&mut self, node: NamedOrBlankNode, layers: &[Arc<Layer>]) -> Value {
        if self.seen.contains(&node) {
            if let NamedOrBlankNode::NamedNode(n) = &node {
                return serde_json::json!({ self.ctx.id_key.clone(): n.as_str() });
            }
        }
        self.node(node.as_ref(), layers)
    }

    /// A value no term fits, in expanded form.
    fn expanded(&mut self, object: TermRef<'_>, layers: &[Arc<Layer>]) -> Value {
        match object {
            TermRef::Literal(l) => match l.language() {
                Some(lang) => serde_json::json!({ "@value": l.value(), "@language": lang }),
                None if l.datatype() == xsd::STRING => serde_json::json!({ "@value": l.value() }),
                None => serde_json::json!({ "@value": l.value(), "@type": l.datatype().as_str() }),
            },
            TermRef::NamedNode(n) => {
                let node = NamedOrBlankNode::from(n.into_owned());
                let has_triples = self
                    .graph
                    .triples_for_subject(node.as_ref())
                    .next()
                    .is_some();
                if has_triples && !self.seen.contains(&node) {
                    self.node(node.as_ref(), layers)
                } else {
                    serde_json::json!({ self.ctx.id_key.clone(): n.as_str() })
                }
            }
            TermRef::BlankNode(b) => self.nested(b.into_owned().into(), layers),
            #[allow(unreachable_patterns)]
            _ => Value::Null,
        }
    }
}

/// Marks a language map so values of one key merge into one map.
trait MapLanguage {
    fn map_language(self) -> (String, Value);
}

impl MapLanguage for (String, Value) {
    fn map_language(self) -> (String, Value) {
        let (key, mut value) = self;
        if let Value::Object(map) = &mut value {
            map.insert(LANGUAGE_MAP.into(), Value::Bool(true));
        }
        (key, value)
    }
}

const LANGUAGE_MAP: &str = "\u{0}language-map";

fn key_is_language_map(value: &Value) -> bool {
    value.get(LANGUAGE_MAP).is_some()
}

/// Several values of one key: language maps merge (a language with several values gets an
/// array), anything else becomes an array.
fn merge(list: Vec<Value>) -> Value {
    if list.iter().all(key_is_language_map) {
        let mut merged: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        for value in list {
            if let Value::Object(map) = value {
                for (lang, text) in map.into_iter().filter(|(k, _)| k != LANGUAGE_MAP) {
                    merged.entry(lang).or_default().push(text);
                }
            }
        }
        let map: Map<String, Value> = merged
            .into_iter()
            .map(|(lang, mut texts)| {
                let value = if texts.len() == 1 {
                    texts.remove(0)
                } else {
                    Value::Array(texts)
                };
                (lang, value)
            })
            .collect();
        return Value::Object(map);
    }
    Value::Array(list)
}
