#!/usr/bin/env python3
"""Large resources, cold, side by side with `oxigraph serve` on the same data:

- a resource linked from very many others (a region, a code-list item, a class): datafond's
  HTML page with one page of its backlinks, against Oxigraph answering the SPARQL queries that
  give the same content (the count per property, then one page of 50 links with OFFSET), for
  the first, a middle and the last page;
- a resource with very many triples (a register listing all its entries): datafond's
  N-Triples and Turtle views, against Oxigraph's `DESCRIBE` as N-Triples and Turtle.

Generates a hub, N labelled resources linking to it, and a list linking to N/3 of them; pushes
them into datafond and loads them into Oxigraph (both stores compacted); then for each case
starts each server afresh and times one request (wall time and the server's CPU), medians of
the rounds. Prints the times and datafond's as a multiple of Oxigraph's.

    cargo build --release && pip install oxigraph
    python3 benches/large_resources_bench.py [--links 300000] [--rounds 3] [--datafond PATH]
"""
import argparse
import os
import statistics
import subprocess
import tempfile
import urllib.parse

from measure import add_server_options, answering, serving, timed

BASE = "http://bench.example/"
HUB = f"{BASE}r/hub"
LIST = f"{BASE}r/list"
PER_PAGE = 50


def generate(path, links):
    """The hub, labelled, `links` resources, each labelled and linking to it, and the list
    linking to a third of them."""
    label = "<http://www.w3.org/2004/02/skos/core#prefLabel>"
    with open(path, "w", encoding="utf-8") as out:
        out.write(f'<{HUB}> {label} "Hub"@en .\n<{LIST}> {label} "List"@en .\n')
        for i in range(links):
            out.write(f"<{BASE}r/x/{i}> <http://example.org/region> <{HUB}> .\n"
                      f'<{BASE}r/x/{i}> {label} "X {i}"@en .\n')
            if i % 3 == 0:
                out.write(f"<{LIST}> <http://example.org/entry> <{BASE}r/x/{i}> .\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--links", type=int, default=300_000)
    parser.add_argument("--rounds", type=int, default=3)
    add_server_options(parser)
    args = parser.parse_args()
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    pages = [1, args.links // PER_PAGE // 2, -(-args.links // PER_PAGE)]

    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "data.nt")
        generate(data, args.links)
        ddir, odir = os.path.join(tmp, "datafond"), os.path.join(tmp, "oxigraph")
        run = lambda *cmd: subprocess.run(cmd, check=True, capture_output=True, cwd=repo)
        run(args.datafond, "push", "--base", BASE, "--data-dir", ddir, "bench", data)
        run(args.datafond, "optimize", "--data-dir", ddir)
        run(args.oxigraph, "load", "--location", odir, "--file", data)
        run(args.oxigraph, "optimize", "--location", odir)
        datafond = [args.datafond, "serve", "--base", BASE, "--data-dir", ddir,
                    "--listen", "127.0.0.1:18081"]
        oxigraph = [args.oxigraph, "serve-read-only", "--location", odir,
                    "--bind", "127.0.0.1:17881"]

        def oxigraph_urls(page):
            count = f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ ?s ?p <{HUB}> }} GROUP BY ?p"
            one_page = (f"SELECT ?s ?p WHERE {{ ?s ?p <{HUB}> }} "
                        f"OFFSET {(page - 1) * PER_PAGE} LIMIT {PER_PAGE}")
            return [f"http://127.0.0.1:17881/query?query={urllib.parse.quote(q)}"
                    for q in (count, one_page)]

        def compare(label, datafond_url, datafond_headers, oxigraph_urls, oxigraph_headers):
            results = {"datafond": [], "oxigraph": []}
            for _ in range(args.rounds):
                with serving(datafond, repo) as proc:
                    answering("http://127.0.0.1:18081/")
                    results["datafond"].append(timed(proc.pid, [datafond_url], datafond_headers))
                with serving(oxigraph, repo) as proc:
                    answering("http://127.0.0.1:17881/query?query=ASK%7B%7D")
                    results["oxigraph"].append(timed(proc.pid, oxigraph_urls, oxigraph_headers))
            (dw, dc), (ow, oc) = [tuple(statistics.median(x[i] for x in results[name])
                                        for i in (0, 1))
                                  for name in ("datafond", "oxigraph")]
            print(f"{label:<24}{dw * 1000:>10.0f}ms{dc * 1000:>8.0f}ms{ow * 1000:>10.0f}ms"
                  f"{oc * 1000:>8.0f}ms{dw / ow:>8.2f}x")

        print(f"{args.links} backlinks, {-(-args.links // 3)} triples in the list; one cold "
              f"request per case and round, medians of {args.rounds} rounds\n")
        print(f"{'case':<24}{'datafond':>12}{'CPU':>10}{'oxigraph':>12}{'CPU':>10}{'ratio':>9}")
        for page in pages:
            compare(f"backlinks page {page}",
                    f"http://127.0.0.1:18081/r/hub?backlinks={page}", {"Accept": "text/html"},
                    oxigraph_urls(page), {"Accept": "text/csv"})
        describe = urllib.parse.quote(f"DESCRIBE <{LIST}>")
        for name, media_type in (("N-Triples", "application/n-triples"),
                                 ("Turtle", "text/turtle")):
            compare(f"list as {name}", "http://127.0.0.1:18081/r/list",
                    {"Accept": media_type},
                    [f"http://127.0.0.1:17881/query?query={describe}"], {"Accept": media_type})


if __name__ == "__main__":
    main()
