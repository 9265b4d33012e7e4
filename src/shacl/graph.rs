//! The data graph as the engine sees it: every term interned to a dense id, triples in
//! compressed sparse rows by subject and by object, so each lookup is a slice, not a hash probe.

use oxigraph::model::{Graph, Term, TermRef, TripleRef};
use rustc_hash::FxHashMap;

/// Dense identifier of an interned term.
pub type Id = u32;

/// Maps terms to dense ids and back. Shapes intern their terms first; the data graph then
/// continues from the same table, so compiled shapes and data share one id space.
#[derive(Clone, Default, Debug)]
pub struct Interner {
    terms: Vec<Term>,
    ids: FxHashMap<Term, Id>,
}

impl Interner {
    /// The id of `term`, adding it when new.
    pub fn intern(&mut self, term: TermRef<'_>) -> Id {
        if let Some(id) = self.ids.get(&term.into_owned()) {
            return *id;
        }
        self.insert(term.into_owned())
    }

    /// The id of an owned `term`, adding it when new (no copy when the term is new).
    pub fn intern_owned(&mut self, term: Term) -> Id {
        if let Some(id) = self.ids.get(&term) {
            return *id;
        }
        self.insert(term)
    }

    fn insert(&mut self, term: Term) -> Id {
        let id = Id::try_from(self.terms.len()).expect("more than 2^32 distinct terms");
        self.terms.push(term.clone());
        self.ids.insert(term, id);
        id
    }

    /// The id of `term` when it is known.
    pub fn get(&self, term: TermRef<'_>) -> Option<Id> {
        self.ids.get(&term.into_owned()).copied()
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
/// sorted by (predicate, other end), without duplicates.
#[derive(Default, Debug)]
struct Rows {
    offsets: Vec<u32>,
    edges: Vec<(Id, Id)>,
}

impl Rows {
    fn build(node_count: usize, mut triples: Vec<(Id, Id, Id)>) -> Self {
        triples.sort_unstable();
        triples.dedup();
        let mut offsets = vec![0u32; node_count + 1];
        for (n, _, _) in &triples {
            offsets[*n as usize + 1] += 1;
        }
        for i in 1..offsets.len() {
            offsets[i] += offsets[i - 1];
        }
        let edges = triples.into_iter().map(|(_, p, o)| (p, o)).collect();
        Self { offsets, edges }
    }

    fn all(&self, node: Id) -> &[(Id, Id)] {
        let n = node as usize;
        if n + 1 >= self.offsets.len() {
            return &[];
        }
        &self.edges[self.offsets[n] as usize..self.offsets[n + 1] as usize]
    }

    fn with_predicate(&self, node: Id, predicate: Id) -> &[(Id, Id)] {
        let all = self.all(node);
        let start = all.partition_point(|(p, _)| *p < predicate);
        let end = start + all[start..].partition_point(|(p, _)| *p == predicate);
        &all[start..end]
    }
}

/// A read-only, indexed union of the data graph and any reference graphs. Targets are taken
/// from the data graph alone; everything else (paths, classes) sees the union.
#[derive(Debug)]
pub struct DataGraph {
    terms: Interner,
    out: Rows,
    inc: Rows,
    data_by_predicate: FxHashMap<Id, Vec<(Id, Id)>>,
    triple_count: usize,
}

impl DataGraph {
    /// Indexes `data` (targets come from it) and `reference` graphs (seen by lookups only),
    /// continuing from `terms`, the table the shapes were compiled with.
    pub fn new(mut terms: Interner, data: &Graph, reference: &[&Graph]) -> Self {
        let mut triples = Vec::with_capacity(data.len());
        let mut data_by_predicate: FxHashMap<Id, Vec<(Id, Id)>> = FxHashMap::default();
        let mut add = |t: TripleRef<'_>, terms: &mut Interner, is_data: bool| {
            let s = terms.intern(t.subject.into());
            let p = terms.intern(t.predicate.into());
            let o = terms.intern(t.object);
            if is_data {
                data_by_predicate.entry(p).or_default().push((s, o));
            }
            (s, p, o)
        };
        for t in data {
            triples.push(add(t, &mut terms, true));
        }
        for g in reference {
            for t in g.iter() {
                triples.push(add(t, &mut terms, false));
            }
        }
        Self::from_triples(terms, triples, data_by_predicate)
    }

    fn from_triples(
        terms: Interner,
        triples: Vec<(Id, Id, Id)>,
        mut data_by_predicate: FxHashMap<Id, Vec<(Id, Id)>>,
    ) -> Self {
        for pairs in data_by_predicate.values_mut() {
            pairs.sort_unstable();
            pairs.dedup();
        }
        let n = terms.len();
        let inc = Rows::build(n, triples.iter().map(|&(s, p, o)| (o, p, s)).collect());
        let out = Rows::build(n, triples);
        let triple_count = out.edges.len();
        Self {
            terms,
            out,
            inc,
            data_by_predicate,
            triple_count,
        }
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
        self.triple_count
    }

    /// Whether the union holds no triple.
    pub fn is_empty(&self) -> bool {
        self.triple_count == 0
    }

    /// Objects of `subject`'s `predicate` triples, sorted.
    pub fn objects(&self, subject: Id, predicate: Id) -> impl Iterator<Item = Id> + '_ {
        self.out
            .with_predicate(subject, predicate)
            .iter()
            .map(|(_, o)| *o)
    }

    /// Subjects of triples with `predicate` and `object`, sorted.
    pub fn subjects(&self, predicate: Id, object: Id) -> impl Iterator<Item = Id> + '_ {
        self.inc
            .with_predicate(object, predicate)
            .iter()
            .map(|(_, s)| *s)
    }

    /// All (predicate, object) pairs of `subject`.
    pub fn outgoing(&self, subject: Id) -> &[(Id, Id)] {
        self.out.all(subject)
    }

    /// Whether the triple is in the union.
    pub fn contains(&self, s: Id, p: Id, o: Id) -> bool {
        self.out.with_predicate(s, p).binary_search(&(p, o)).is_ok()
    }

    /// (subject, object) pairs of the data graph's triples with `predicate`: the basis of targets.
    pub fn data_pairs(&self, predicate: Id) -> &[(Id, Id)] {
        self.data_by_predicate
            .get(&predicate)
            .map_or(&[], Vec::as_slice)
    }

    /// The id of `term` when the graph or the shapes know it.
    pub fn id_of(&self, term: TermRef<'_>) -> Option<Id> {
        self.terms.get(term)
    }
}
