#!/usr/bin/env python3
"""Dereferencing benchmark: datafond's resource views (Turtle and HTML) side by side with
`oxigraph serve` answering the equivalent `DESCRIBE <iri>` (as Turtle) over HTTP, on the same
~1M-triple dataset, warm and cold, in one run. Prints requests/s, p50 and p99 and the ratios.

    python3 benches/views_bench.py [--triples 1000000] [--seconds 10] [--rounds 1]
                                   [--datafond PATH] [--trifid PATH/server.js] [--page-query]

Needs: a release build of datafond, `pip install oxigraph` (the Oxigraph server) and `wrk`
(`apt-get install wrk`). Both stores are compacted (`datafond optimize`, `oxigraph optimize`)
after loading. Cold: a freshly started server, random resources from the whole dataset
(almost every request is a first one). Warm: the same server after one pass over a set of 5,000
resources, then random requests within that set. With --rounds N, everything is measured N
times, the order of the servers rotated every round, and medians over the rounds follow.

With --trifid (Trifid 5's `server.js`, from `npm install trifid`), Trifid's HTML resource pages
are measured too, the way they are usually deployed: Trifid's entity renderer over
`oxigraph serve-read-only` on the same store (its CPU per request counts both processes).

With --page-query, Oxigraph also answers, cold, one SPARQL query for everything an HTML page
shows (`PAGE_QUERY`: the resource's triples, the labels of what it links to and of its
properties, the first 50 backlinks with their labels, and their count), and datafond's pages are
compared with that too: the equivalent of a page's data, where `DESCRIBE` is the equivalent of
its Turtle.
"""
import argparse
import os
import shlex
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

from measure import add_server_options, print_rounds_summary, run_wrk, serving, wrk_script

BASE = "http://bench.example/"

# What a datafond page shows, as one query to Oxigraph (`<I>`: the resource).
PAGE_QUERY = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
CONSTRUCT { <I> ?p ?o . ?o ?lp ?l . ?p ?pp ?pl . ?s ?bp <I> . ?s ?slp ?sl . <I> <urn:backlinks> ?n }
WHERE {
  { <I> ?p ?o
    OPTIONAL { VALUES ?lp { skos:prefLabel rdfs:label dct:title schema:name foaf:name } ?o ?lp ?l }
    OPTIONAL { VALUES ?pp { skos:prefLabel rdfs:label } ?p ?pp ?pl } }
  UNION { { SELECT ?s ?bp WHERE { ?s ?bp <I> } LIMIT 50 }
          OPTIONAL { VALUES ?slp { skos:prefLabel rdfs:label dct:title schema:name foaf:name } ?s ?slp ?sl } }
  UNION { SELECT (COUNT(*) AS ?n) WHERE { ?s2 ?p2 <I> } }
}"""
DESCRIBE = "oxigraph DESCRIBE (Turtle)"
PAGE = "oxigraph page query (Turtle)"


def generate(path, target):
    """Organisations and people under the base IRI, linked and labelled in two languages."""
    n, i = 0, 0
    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    label = "<http://www.w3.org/2004/02/skos/core#prefLabel>"
    ex = "http://example.org/register/"
    with open(path, "w", encoding="utf-8") as out:
        while n < target:
            org = f"<{BASE}r/org/{i}>"
            lines = [f"{org} {rdf_type} <{ex}Organisation> .",
                     f'{org} {label} "Organizace {i}"@cs .',
                     f'{org} {label} "Organisation {i}"@en .',
                     f'{org} <{ex}ico> "{i:08d}" .']
            for j in range(4):
                p = f"<{BASE}r/person/{i}-{j}>"
                lines += [f"{p} {rdf_type} <{ex}Person> .",
                          f'{p} {label} "Osoba {i}-{j}"@cs .',
                          f"{p} <{ex}employer> {org} .",
                          f'{p} <{ex}birthDate> "19{50 + j}-0{1 + j}-1{j}"^^<http://www.w3.org/2001/XMLSchema#date> .']
            out.write("\n".join(lines) + "\n")
            n += len(lines)
            i += 1
    return i


def trifid_command(trifid, oxigraph, endpoint, port, tmp):
    """Trifid (`trifid`: its server.js) on `port` rendering pages from the Oxigraph server
    started by the command `oxigraph` (its SPARQL endpoint at `endpoint`), both children of one
    shell that stops them when it is stopped (so that the CPU time of both is counted, and
    neither outlives the measurement)."""
    config = os.path.join(tmp, "trifid.yaml")
    with open(config, "w") as f:
        f.write(f"""server:
  listener:
    port: {port}
  logLevel: warn
globals:
  datasetBaseUrl: {BASE}
  endpoints:
    default:
      url: {endpoint}
plugins:
  entity-renderer:
    module: "@zazuko/trifid-entity-renderer"
""")
    script = (f"{shlex.join(oxigraph)} & OX=$!\n"
              f"node {shlex.quote(trifid)} --config {shlex.quote(config)} & NODE=$!\n"
              "trap 'kill $OX $NODE; wait' TERM\nwait\n")
    return ["sh", "-c", script]


def wait_for(url, headers=None, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=5).read()
            return
        except Exception:
            time.sleep(0.3)
    sys.exit(f"{url} never answered")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=1,
                        help="measure everything this many times, rotating the servers' order")
    add_server_options(parser)
    parser.add_argument("--trifid", help="Trifid's server.js: also measure its HTML pages")
    parser.add_argument("--page-query", action="store_true",
                        help="also measure Oxigraph answering a page's data in one query (cold)")
    args = parser.parse_args()
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "data.nt")
        orgs = generate(data, args.triples)
        resources = [f"r/org/{i}" for i in range(orgs)] + \
                    [f"r/person/{i}-{j}" for i in range(orgs) for j in range(4)]
        import random
        random.seed(7)
        random.shuffle(resources)
        print(f"{args.triples} triples, {len(resources)} resources; wrk -t2 -c16 -d{args.seconds}s\n")

        # datafond: push, then serve.
        ddir = os.path.join(tmp, "datafond")
        subprocess.run([args.datafond, "push", "--base", BASE, "--data-dir", ddir, "bench", data],
                       check=True, capture_output=True, cwd=repo)
        # oxigraph: load, then serve.
        odir = os.path.join(tmp, "oxigraph")
        subprocess.run([args.oxigraph, "load", "--location", odir, "--file", data], check=True,
                       capture_output=True)
        # Both stores compacted before reading, as `oxigraph load` advises for read-heavy work.
        subprocess.run([args.datafond, "optimize", "--data-dir", ddir], check=True,
                       capture_output=True, cwd=repo)
        subprocess.run([args.oxigraph, "optimize", "--location", odir], check=True,
                       capture_output=True)

        datafond_paths = [f"/{p}" for p in resources]

        def oxigraph_paths():
            return ["/query?query=" + urllib.parse.quote(f"DESCRIBE <{BASE}{p}>") for p in resources]

        both = ("cold", "warm")
        servers = [
            ("datafond Turtle", "datafond", datafond_paths, "text/turtle", 18080, both),
            ("datafond HTML", "datafond", datafond_paths, "text/html", 18080, both),
            (DESCRIBE, "oxigraph", oxigraph_paths(), "text/turtle", 17878, both),
        ]
        if args.page_query:
            # Oxigraph keeps no answers: warm is cold.
            page_paths = ["/query?query=" + urllib.parse.quote(PAGE_QUERY.replace("<I>", f"<{BASE}{p}>"))
                          for p in resources]
            servers.append((PAGE, "oxigraph", page_paths, "text/turtle", 17878, ("cold",)))
        if args.trifid:
            servers.append(("trifid HTML (over oxigraph)", "trifid", datafond_paths,
                            "text/html", 8088, both))
        commands = {
            "datafond": lambda port: [args.datafond, "serve", "--base", BASE, "--data-dir", ddir,
                                      "--listen", f"127.0.0.1:{port}"],
            "oxigraph": lambda port: [args.oxigraph, "serve-read-only", "--location", odir,
                                      "--bind", f"127.0.0.1:{port}"],
        }
        commands["trifid"] = lambda port: trifid_command(
            args.trifid, commands["oxigraph"](17879), "http://127.0.0.1:17879/query", port, tmp)
        rows = []
        for round_no in range(args.rounds):
            # The servers' order rotates: drift of the machine hits each alike.
            shift = round_no % len(servers)
            for name, start, paths, accept, port, modes in servers[shift:] + servers[:shift]:
                paths_file = os.path.join(tmp, "paths.txt")
                with open(paths_file, "w") as f:
                    f.write("\n".join(paths) + "\n")
                for mode in modes:
                    rps, p50, p99, cpu = measure_server(commands[start](port), port, paths,
                                                        paths_file, accept, mode, args.seconds,
                                                        tmp, repo)
                    rows.append((round_no, mode, name, rps, p50, p99, cpu))

        peer = {(n, mode): (rps, cpu) for n, mode, name, rps, _, _, cpu in rows
                if name == DESCRIBE}
        print(f"{'round':<7}{'server':<30}{'mode':<6}{'req/s':>10}{'p50':>10}{'p99':>10}"
              f"{'vs oxigraph':>13}{'CPU/req':>10}{'CPU vs ox':>11}")
        for n, mode, name, rps, p50, p99, cpu in rows:
            ox_rps, ox_cpu = peer[(n, mode)]
            print(f"{n + 1:<7}{name:<30}{mode:<6}{rps:>10.0f}{p50:>10}{p99:>10}"
                  f"{rps / ox_rps:>12.2f}x{cpu:>8.0f}us{cpu / ox_cpu:>10.2f}x")
        if args.rounds > 1:
            print_rounds_summary(rows, DESCRIBE, "mode")
        if args.page_query:
            print("\nAgainst Oxigraph answering a page's data in one query:")
            print_rounds_summary([r for r in rows if r[1] == "cold"], PAGE, "mode")


def measure_server(cmd, port, paths, paths_file, accept, mode, seconds, tmp, repo):
    """One server started afresh, cold (random paths out of all) or warm (after one pass over
    the first 5,000, random paths among them): (req/s, p50, p99, CPU µs per request)."""
    with serving(cmd, repo) as proc:
        wait_for(f"http://127.0.0.1:{port}{paths[0]}", {"Accept": accept})
        count = len(paths)
        if mode == "warm":
            count = 5000
            for p in paths[:count]:
                urllib.request.urlopen(urllib.request.Request(
                    f"http://127.0.0.1:{port}{p}", headers={"Accept": accept})).read()
        return run_wrk(port, wrk_script(paths_file, "Accept", accept, count), seconds, 16, tmp,
                       proc.pid)


if __name__ == "__main__":
    main()
