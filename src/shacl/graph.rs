//! The data graph as the engine sees it: every term interned to a dense id, triples in
//! compressed sparse rows by subject, by object and by predicate, so each lookup is a slice.

use hashbrown::HashTable;
use oxigraph::model::{Graph, Term, TermRef, TripleRef};
use rustc_hash::FxBuildHasher;
use std::hash::BuildHasher;

/// Dense identifier of an interned term.
pub type Id = u32;

/// Maps terms to dense ids and back, storing each term once. Shapes intern their terms first;
/// the data graph then continues from the same table, so compiled shapes and data share ids.
/// Lookups hash the borrowed form of a term, so finding a known term allocates nothing.
#[derive(Clone, Default)]
pub struct Interner {
    terms: Vec<Term>,
    ids: HashTable<Id>,
}

impl std::fmt::Debug for Interner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Interner({} terms)", self.terms.len())
    }
}

fn hash(term: TermRef<'_>) -> u64 {
    FxBuildHasher.hash_one(term)
}

impl Interner {
    /// The id of `term`, adding it when new.
    pub fn intern(&mut self, term: TermRef<'_>) -> Id {
        let h = hash(term);
        if let Some(id) = self.find(h, term) {
            return id;
        }
        self.insert(h, term.into_owned())
    }

    fn find(&self, h: u64, term: TermRef<'_>) -> Option<Id> {
        self.ids
            .find(h, |&id| self.terms[id as usize].as_ref() == term)
            .copied()
    }

    fn insert(&mut self, h: u64, term: Term) -> Id {
        let id = Id::try_from(self.terms.len()).expect("more than 2^32 distinct terms");
        self.terms.push(term);
        let terms = &self.terms;
        self.ids
            .insert_unique(h, id, |&i| hash(terms[i as usize].as_ref()));
        id
    }

    /// The id of `term` when it is known.
    pub fn get(&self, term: TermRef<'_>) -> Option<Id> {
        self.find(hash(term), term)
    }

    /// The term behind `id`.
    pub fn term(&self, id: Id) -> &Term {
        &self.terms[id as usize]
    }

    /// How many terms are known.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether no term is known yet.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

/// Adjacency in compressed sparse rows: the edges of node `n` are `edges[offsets[n]..offsets[n+1]]`,
/// sorted, without duplicates.
#[derive(Default, Debug)]
struct Rows {
    offsets: Vec<u32>,
    edges: Vec<(Id, Id)>,
}

impl Rows {
    /// Builds rows from (node, a, b) triples, sorting them in place.
    fn build(node_count: usize, triples: &mut [(Id, Id, Id)]) -> Self {
        triples.sort_unstable();
        let mut offsets = vec![0u32; node_count + 1];
        let mut edges = Vec::with_capacity(triples.len());
        let mut last = None;
        for &(n, a, b) in triples.iter() {
            if last == Some((n, a, b)) {
                continue;
            }
            last = Some((n, a, b));
            offsets[n as usize + 1] += 1;
            edges.push((a, b));
        }
        for i in 1..offsets.len() {
            offsets[i] += offsets[i - 1];
        }
        Self { offsets, edges }
    }

    fn all(&self, node: Id) -> &[(Id, Id)] {
        let n = node as usize;
        if n + 1 >= self.offsets.len() {
            return &[];
        }
        &self.edges[self.offsets[n] as usize..self.offsets[n + 1] as usize]
    }

    fn with_first(&self, node: Id, first: Id) -> &[(Id, Id)] {
        let all = self.all(node);
        let start = all.partition_point(|(a, _)| *a < first);
        let end = start + all[start..].partition_point(|(a, _)| *a == first);
        &all[start..end]
    }

    fn nodes(&self) -> impl Iterator<Item = (Id, &[(Id, Id)])> + '_ {
        (0..self.offsets.len().saturating_sub(1)).map(|n| (n as Id, self.all(n as Id)))
    }
}

/// Collects triples (data, then read-only reference triples) into a [`DataGraph`].
pub struct DataGraphBuilder {
    terms: Interner,
    triples: Vec<(Id, Id, Id)>,
    data_len: usize,
}

impl DataGraphBuilder {
    /// Starts from `terms`, the table the shapes were compiled with.
    pub fn new(terms: Interner) -> Self {
        Self {
            terms,
            triples: Vec::new(),
            data_len: 0,
        }
    }

    /// Adds a triple of the data graph: targets are taken from these. Add all data first.
    pub fn add_data(&mut self, t: TripleRef<'_>) {
        assert_eq!(self.data_len, self.triples.len(), "data triples come first");
        self.push(t);
        self.data_len += 1;
    }

    /// Adds a triple of a reference graph: seen by lookups, never a source of focus nodes.
    pub fn add_reference(&mut self, t: TripleRef<'_>) {
        self.push(t);
    }

    fn push(&mut self, t: TripleRef<'_>) {
        let s = self.terms.intern(t.subject.into());
        let p = self.terms.intern(t.predicate.into());
        let o = self.terms.intern(t.object);
        self.triples.push((s, p, o));
    }

    /// Indexes everything added.
    pub fn build(self) -> DataGraph {
        let Self {
            terms,
            mut triples,
            data_len,
        } = self;
        let n = terms.len();
        let data_by_predicate = (data_len < triples.len()).then(|| {
            let mut data: Vec<_> = triples[..data_len]
                .iter()
                .map(|&(s, p, o)| (p, s, o))
                .collect();
            Rows::build(n, &mut data)
        });
        let mut by_object: Vec<_> = triples.iter().map(|&(s, p, o)| (o, p, s)).collect();
        let inc = Rows::build(n, &mut by_object);
        drop(by_object);
        let mut by_predicate: Vec<_> = triples.iter().map(|&(s, p, o)| (p, s, o)).collect();
        let pred = Rows::build(n, &mut by_predicate);
        drop(by_predicate);
        let out = Rows::build(n, &mut triples);
        DataGraph {
            terms,
            out,
            inc,
            pred,
            data_by_predicate,
        }
    }
}

/// A read-only, indexed union of the data graph and any reference graphs. Targets are taken
/// from the data graph alone; everything else (paths, classes, SPARQL) sees the union.
#[derive(Debug)]
pub struct DataGraph {
    terms: Interner,
    out: Rows,
    inc: Rows,
    pred: Rows,
    data_by_predicate: Option<Rows>,
}

impl DataGraph {
    /// Indexes `data` and `reference` graphs, continuing from the shapes' term table.
    pub fn new(terms: Interner, data: &Graph, reference: &[&Graph]) -> Self {
        let mut builder = DataGraphBuilder::new(terms);
        for t in data {
            builder.add_data(t);
        }
        for g in reference {
            for t in g.iter() {
                builder.add_reference(t);
            }
        }
        builder.build()
    }

    /// The shared term table.
    pub fn terms(&self) -> &Interner {
        &self.terms
    }

    /// The term behind `id`.
    pub fn term(&self, id: Id) -> &Term {
        self.terms.term(id)
    }

    /// Distinct triples in the union.
    pub fn len(&self) -> usize {
        self.out.edges.len()
    }

    /// Whether the union holds no triple.
    pub fn is_empty(&self) -> bool {
        self.out.edges.is_empty()
    }

    /// Objects of `subject`'s `predicate` triples, sorted.
    pub fn objects(&self, subject: Id, predicate: Id) -> impl Iterator<Item = Id> + '_ {
        self.out
            .with_first(subject, predicate)
            .iter()
            .map(|(_, o)| *o)
    }

    /// Subjects of triples with `predicate` and `object`, sorted.
    pub fn subjects(&self, predicate: Id, object: Id) -> impl Iterator<Item = Id> + '_ {
        self.inc
            .with_first(object, predicate)
            .iter()
            .map(|(_, s)| *s)
    }

    /// All (predicate, object) pairs of `subject`.
    pub fn outgoing(&self, subject: Id) -> &[(Id, Id)] {
        self.out.all(subject)
    }

    /// All (predicate, subject) pairs pointing at `object`.
    pub fn incoming(&self, object: Id) -> &[(Id, Id)] {
        self.inc.all(object)
    }

    /// All (subject, object) pairs of `predicate` in the union.
    pub fn pairs(&self, predicate: Id) -> &[(Id, Id)] {
        self.pred.all(predicate)
    }

    /// Every (subject, predicate, object) of the union.
    pub fn triples(&self) -> impl Iterator<Item = (Id, Id, Id)> + '_ {
        self.out
            .nodes()
            .flat_map(|(s, edges)| edges.iter().map(move |&(p, o)| (s, p, o)))
    }

    /// Every (subject, predicate, object) of the data graph alone, without reference triples.
    pub fn data_triples(&self) -> Box<dyn Iterator<Item = (Id, Id, Id)> + '_> {
        match &self.data_by_predicate {
            Some(rows) => Box::new(
                rows.nodes()
                    .flat_map(|(p, edges)| edges.iter().map(move |&(s, o)| (s, p, o))),
            ),
            None => Box::new(self.triples()),
        }
    }

    /// Whether the triple is in the union.
    pub fn contains(&self, s: Id, p: Id, o: Id) -> bool {
        self.out.with_first(s, p).binary_search(&(p, o)).is_ok()
    }

    /// (subject, object) pairs of the data graph's triples with `predicate`: the basis of targets.
    pub fn data_pairs(&self, predicate: Id) -> &[(Id, Id)] {
        match &self.data_by_predicate {
            Some(rows) => rows.all(predicate),
            None => self.pred.all(predicate),
        }
    }

    /// The id of `term` when the graph or the shapes know it.
    pub fn id_of(&self, term: TermRef<'_>) -> Option<Id> {
        self.terms.get(term)
    }
}
