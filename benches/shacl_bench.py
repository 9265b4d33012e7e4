#!/usr/bin/env python3
"""Side-by-side SHACL benchmark: datafond, pySHACL, pyshacl-turbo and pyrudof on the same
generated data and shapes, in one run. Prints triples/s, peak memory, result counts and ratios.

    python3 benches/shacl_bench.py [--sizes 100000 1000000] [--tools datafond pyshacl ...]
                                   [--datafond target/release/datafond]

Needs: a release build of datafond (`cargo build --release`), and
`pip install pyshacl pyshacl-turbo pyrudof pyoxigraph`.

The data is a register of organisations and people (names in two languages, identifiers with
patterns, dates and numbers with ranges, links checked with sh:class, addresses via sh:node,
counts) with about 1% planted errors, and one sh:sparql constraint. Each tool runs in its own
process; the time is the whole job (parse the data, validate), memory is the peak resident set.
Memory is also compared with the data's own size in Oxigraph's in-memory store (pyoxigraph).
"""
import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time

from measure import add_server_options

SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix ex: <http://example.org/register/> .

ex:PersonShape a sh:NodeShape ; sh:targetClass ex:Person ;
  sh:property [ sh:path ex:name ; sh:datatype rdf:langString ; sh:minCount 1 ; sh:maxCount 2 ; sh:uniqueLang true ] ;
  sh:property [ sh:path ex:identifier ; sh:datatype xsd:string ; sh:minCount 1 ; sh:maxCount 1 ; sh:pattern "^[0-9]{8}$" ] ;
  sh:property [ sh:path ex:birthDate ; sh:datatype xsd:date ; sh:maxCount 1 ; sh:minInclusive "1900-01-01"^^xsd:date ] ;
  sh:property [ sh:path ex:age ; sh:datatype xsd:integer ; sh:minInclusive 0 ; sh:maxInclusive 150 ] ;
  sh:property [ sh:path ex:employer ; sh:nodeKind sh:IRI ; sh:class ex:Organisation ; sh:maxCount 1 ] ;
  sh:property [ sh:path ex:email ; sh:maxCount 3 ; sh:pattern "^[^@ ]+@[^@ ]+$" ] .

ex:OrganisationShape a sh:NodeShape ; sh:targetClass ex:Organisation ;
  sh:property [ sh:path ex:name ; sh:datatype rdf:langString ; sh:minCount 1 ; sh:languageIn ( "cs" "en" ) ] ;
  sh:property [ sh:path ex:ico ; sh:minCount 1 ; sh:maxCount 1 ; sh:pattern "^[0-9]{8}$" ] ;
  sh:property [ sh:path ex:founded ; sh:datatype xsd:date ; sh:minCount 1 ; sh:maxCount 1 ] ;
  sh:property [ sh:path ex:parent ; sh:class ex:Organisation ; sh:maxCount 1 ] ;
  sh:property [ sh:path ex:address ; sh:minCount 1 ; sh:node ex:AddressShape ] ;
  sh:sparql [
    sh:message "A parent organisation must be founded before its child." ;
    sh:select \"\"\"
      PREFIX ex: <http://example.org/register/>
      SELECT $this ?value WHERE {
        $this ex:parent ?value ; ex:founded ?founded .
        ?value ex:founded ?parentFounded .
        FILTER (?parentFounded > ?founded)
      }\"\"\" ] .

ex:AddressShape a sh:NodeShape ;
  sh:property [ sh:path ex:street ; sh:datatype xsd:string ; sh:minCount 1 ] ;
  sh:property [ sh:path ex:postcode ; sh:minCount 1 ; sh:pattern "^[0-9]{3} ?[0-9]{2}$" ] .
"""

EX = "http://example.org/register/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def generate(path, target_triples, seed=42):
    """Writes N-Triples of about `target_triples` triples; returns the exact count."""
    rnd = random.Random(seed)
    n = 0
    orgs = max(10, target_triples // 40)
    with open(path, "w") as f:
        def t(s, p, o):
            nonlocal n
            f.write(f"<{EX}{s}> <{EX}{p}> {o} .\n")
            n += 1

        def typ(s, c):
            nonlocal n
            f.write(f"<{EX}{s}> {RDF_TYPE} <{EX}{c}> .\n")
            n += 1

        for i in range(orgs):
            o = f"org/{i}"
            err = rnd.random()
            typ(o, "Organisation")
            t(o, "name", f'"Organizace {i}"@cs')
            t(o, "name", f'"Organisation {i}"@{"de" if err < 0.01 else "en"}')
            t(o, "ico", f'"{i:08d}"' if err > 0.02 or err < 0.01 else f'"{i:07d}X"')
            year = 1950 + i % 70
            t(o, "founded", f'"{year}-01-15"^^<{XSD}date>')
            if i > 0 and i % 5 == 0:
                parent = rnd.randrange(0, i)
                t(o, "parent", f"<{EX}org/{parent}>")
            if not 0.02 < err < 0.03:
                a = f"org/{i}/address"
                t(o, "address", f"<{EX}{a}>")
                t(a, "street", f'"Ulice {i}"')
                t(a, "postcode", f'"{110 + i % 800} {i % 100:02d}"' if err > 0.01 else '"ABCDE"')
        i = 0
        while n < target_triples:
            p = f"person/{i}"
            err = rnd.random()
            typ(p, "Person")
            if err > 0.002:
                t(p, "name", f'"Osoba {i}"@cs')
            if i % 3 == 0:
                t(p, "name", f'"Person {i}"@en')
            t(p, "identifier", f'"{i:08d}"' if not 0.002 < err < 0.004 else f'"ID-{i}"')
            t(p, "birthDate", f'"{1940 + i % 60}-{1 + i % 12:02d}-{1 + i % 28:02d}"^^<{XSD}date>')
            age = 20 + i % 70 if not 0.004 < err < 0.006 else 200
            t(p, "age", f'"{age}"^^<{XSD}integer>')
            employer = f"org/{rnd.randrange(orgs)}" if not 0.006 < err < 0.008 else f"person/{max(0, i - 1)}"
            t(p, "employer", f"<{EX}{employer}>")
            if i % 2 == 0:
                t(p, "email", f'"osoba{i}@example.cz"' if not 0.008 < err < 0.01 else '"not an email"')
            i += 1
    return n


RUNNERS = {
    "pyshacl": """
import sys, time
from rdflib import Graph, Namespace
from pyshacl import validate
SH = Namespace("http://www.w3.org/ns/shacl#")
t0 = time.time()
d = Graph(); d.parse(sys.argv[2], format="nt")
s = Graph(); s.parse(sys.argv[1], format="turtle")
t1 = time.time()
conforms, report, _ = validate(d, shacl_graph=s, inference="none", advanced=False)
print(len(list(report.objects(predicate=SH.result))), t1 - t0, time.time() - t1)
""",
    "pyshacl-turbo": """
import sys, time
from rdflib import Namespace
import pyshacl_turbo
SH = Namespace("http://www.w3.org/ns/shacl#")
t0 = time.time()
conforms, report, _ = pyshacl_turbo.validate(sys.argv[2], shacl_graph=sys.argv[1],
    data_graph_format="nt", shacl_graph_format="turtle", inference="none", advanced=False)
t1 = time.time()
print(len(list(report.objects(predicate=SH.result))), 0.0, t1 - t0)
""",
    "pyrudof": """
import sys, time
import pyrudof
r = pyrudof.Rudof(pyrudof.RudofConfig())
t0 = time.time()
r.read_data(sys.argv[2], format=pyrudof.RDFFormat.NTriples)
r.read_shacl(sys.argv[1])
t1 = time.time()
report = r.validate_shacl()
print(len(report), t1 - t0, time.time() - t1)
""",
    "oxigraph-store": """
import sys, time, resource
import pyoxigraph
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
s = pyoxigraph.Store()
t0 = time.time()
s.bulk_load(path=sys.argv[2], format=pyoxigraph.RdfFormat.N_TRIPLES)
print(len(s), before, time.time() - t0)
""",
}


def run(cmd):
    """Runs `cmd`; returns (stdout, wall seconds, peak RSS in MiB)."""
    start = time.time()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.time() - start
    out, err = proc.stdout.read(), proc.stderr.read()
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise RuntimeError(f"{cmd[0]} failed: {err[-2000:]}")
    return out, err, wall, usage.ru_maxrss / 1024


def bench_datafond(binary, shapes, data):
    out, err, wall, rss = run([binary, "validate", "--timings", "--shapes", shapes, data])
    line = next(l for l in err.splitlines() if l.startswith("timings:"))
    results = int(line.rsplit(",", 1)[1].split()[0])
    return results, wall, rss, line


def bench_python(name, shapes, data):
    out, err, wall, rss = run([sys.executable, "-c", RUNNERS[name], shapes, data])
    fields = out.split()
    return int(fields[0]), wall, rss, f"load {float(fields[1]):.2f} s, validate {float(fields[2]):.2f} s"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--tools", nargs="+", default=["datafond", "pyshacl", "pyshacl-turbo", "pyrudof"])
    add_server_options(ap, oxigraph=False)
    args = ap.parse_args()
    if "datafond" in args.tools and not os.path.exists(args.datafond):
        sys.exit(f"no datafond binary at {args.datafond}: run `cargo build --release` "
                 "or pass --datafond PATH")
    work = tempfile.mkdtemp(prefix="datafond-bench-")
    shapes = os.path.join(work, "shapes.ttl")
    with open(shapes, "w") as f:
        f.write(SHAPES)
    for size in args.sizes:
        data = os.path.join(work, f"data-{size}.nt")
        triples = generate(data, size)
        print(f"\n## {triples} triples ({os.path.getsize(data) / 2**20:.0f} MiB N-Triples)")
        _, _, store_rss, _ = bench_python("oxigraph-store", shapes, data)
        base_rss = run([args.datafond, "validate", "--shapes", shapes, shapes])[3]
        print(f"Oxigraph in-memory store holding the data: peak RSS {store_rss:.0f} MiB")
        rows = {}
        for tool in args.tools:
            try:
                if tool == "datafond":
                    rows[tool] = bench_datafond(args.datafond, shapes, data)
                else:
                    rows[tool] = bench_python(tool, shapes, data)
            except Exception as e:  # a peer that fails is reported, not fatal
                print(f"{tool}: FAILED {e}")
        print(f"| tool | results | time (s) | triples/s | peak RSS (MiB) | details |")
        print(f"|---|---|---|---|---|---|")
        for tool, (results, wall, rss, detail) in rows.items():
            print(f"| {tool} | {results} | {wall:.2f} | {triples / wall:,.0f} | {rss:.0f} | {detail} |")
        if "datafond" in rows:
            ours = rows["datafond"]
            for tool, row in rows.items():
                if tool != "datafond":
                    same = "same result count" if row[0] == ours[0] else f"RESULT COUNTS DIFFER ({row[0]} vs {ours[0]})"
                    print(f"datafond vs {tool}: {row[1] / ours[1]:.1f}x faster, {same}")
            print(f"datafond memory: {ours[2]:.0f} MiB peak ({ours[2] - base_rss:.0f} MiB above its empty run), "
                  f"{ours[2] / store_rss:.2f}x the Oxigraph store's peak for the same data")


if __name__ == "__main__":
    main()
