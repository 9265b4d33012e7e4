#!/usr/bin/env python3
"""Dereferencing a dataset with many versions: datafond keeps every version as a named graph,
so the store holds a copy of the dataset per version. This measures a cold view of each of its
resources after 1 and after N versions, side by side with `oxigraph serve` answering `DESCRIBE`
over the current version alone (what a store without history would hold).

Generates R resources (five triples each, labelled, linked in a ring), pushes them N times
(each version changes one triple), and for datafond after version 1 and after version N, and
for Oxigraph, starts the server afresh and asks once for every resource in turn (Turtle; HTML
for datafond too). Prints the server's CPU per request and the ratios.

    cargo build --release && pip install oxigraph
    python3 benches/versions_bench.py [--resources 1000] [--versions 60] [--datafond PATH]
"""
import argparse
import os
import subprocess
import tempfile
import urllib.parse

from measure import add_server_options, answering, serving, timed

BASE = "http://bench.example/"


def version(path, resources, v):
    """Version `v` of the dataset."""
    with open(path, "w", encoding="utf-8") as out:
        for i in range(resources):
            s = f"<{BASE}r/p/{i}>"
            out.write(f'{s} <http://www.w3.org/2004/02/skos/core#prefLabel> "P {i}"@en .\n'
                      f'{s} <http://example.org/n> "{i}" .\n'
                      f"{s} <http://example.org/knows> <{BASE}r/p/{(i + 1) % resources}> .\n"
                      f'{s} <http://example.org/a> "a" .\n'
                      f'{s} <http://example.org/version> "{v if i == 0 else 0}" .\n')


def first_requests(cmd, port, urls, accept, repo):
    """CPU µs per request of a fresh server asked once for each of `urls`."""
    with serving(cmd, repo) as proc:
        answering(f"http://127.0.0.1:{port}/")
        urls = [f"http://127.0.0.1:{port}{url}" for url in urls]
        _, cpu = timed(proc.pid, urls, {"Accept": accept})
        return cpu * 1e6 / len(urls)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--resources", type=int, default=1000)
    parser.add_argument("--versions", type=int, default=60)
    add_server_options(parser)
    args = parser.parse_args()
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    paths = [f"/r/p/{i}" for i in range(args.resources)]
    with tempfile.TemporaryDirectory() as tmp:
        ddir, odir = os.path.join(tmp, "datafond"), os.path.join(tmp, "oxigraph")
        data = os.path.join(tmp, "v.nt")
        serve = [args.datafond, "serve", "--base", BASE, "--data-dir", ddir,
                 "--listen", "127.0.0.1:18082"]
        rows = []
        for v in range(1, args.versions + 1):
            version(data, args.resources, v)
            subprocess.run([args.datafond, "push", "--base", BASE, "--data-dir", ddir, "ds",
                            data], check=True, capture_output=True, cwd=repo)
            if v in (1, args.versions):
                subprocess.run([args.datafond, "optimize", "--data-dir", ddir], check=True,
                               capture_output=True, cwd=repo)
                for accept in ("text/turtle", "text/html"):
                    cpu = first_requests(serve, 18082, paths, accept, repo)
                    rows.append((f"datafond, {v} version{'s' if v > 1 else ''}", accept, cpu))
        subprocess.run([args.oxigraph, "load", "--location", odir, "--file", data], check=True,
                       capture_output=True)
        subprocess.run([args.oxigraph, "optimize", "--location", odir], check=True,
                       capture_output=True)
        describe = ["/query?query=" + urllib.parse.quote(f"DESCRIBE <{BASE}{p[1:]}>")
                    for p in paths]
        ox = first_requests([args.oxigraph, "serve-read-only", "--location", odir, "--bind",
                             "127.0.0.1:17882"], 17882, describe, "text/turtle", repo)
        rows.append(("oxigraph DESCRIBE, current only", "text/turtle", ox))
        print(f"{args.resources} resources, {args.versions} versions; CPU per first request\n")
        print(f"{'server':<34}{'accept':<14}{'CPU/req':>10}{'vs oxigraph':>13}")
        for name, accept, cpu in rows:
            print(f"{name:<34}{accept:<14}{cpu:>8.0f}us{cpu / ox:>12.2f}x")


if __name__ == "__main__":
    main()
