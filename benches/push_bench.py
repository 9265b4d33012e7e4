#!/usr/bin/env python3
"""Push benchmark: `datafond push` (parse + validate + publish: store, files, changeset) side by
side with Oxigraph's own loader (`oxigraph load`) on the same N-Triples file, in one run.
Prints triples/s, peak memory and the ratio; then the same push under a norm whose shapes
touch every resource, with the validation share of the time.

    python3 benches/push_bench.py [--triples 1000000] [--datafond target/release/datafond]

Needs: a release build of datafond (`cargo build --release`) and `pip install oxigraph`
(the Oxigraph server, whose `oxigraph load` is the peer). Each tool runs in its own process on a
fresh data folder; time is wall-clock of the whole command, memory the peak resident set.
"""
import argparse
import json
import os
import shutil
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
  sh:property [ sh:path ex:name ; sh:datatype rdf:langString ; sh:minCount 1 ; sh:uniqueLang true ] ;
  sh:property [ sh:path ex:identifier ; sh:minCount 1 ; sh:maxCount 1 ; sh:pattern "^[0-9]{8}$" ] ;
  sh:property [ sh:path ex:birthDate ; sh:datatype xsd:date ; sh:maxCount 1 ] ;
  sh:property [ sh:path ex:employer ; sh:class ex:Organisation ; sh:maxCount 1 ] .

ex:OrganisationShape a sh:NodeShape ; sh:targetClass ex:Organisation ;
  sh:property [ sh:path ex:name ; sh:datatype rdf:langString ; sh:minCount 1 ; sh:languageIn ( "cs" "en" ) ] ;
  sh:property [ sh:path ex:ico ; sh:minCount 1 ; sh:maxCount 1 ; sh:pattern "^[0-9]{8}$" ] ;
  sh:property [ sh:path ex:address ; sh:minCount 1 ; sh:node ex:AddressShape ] .

ex:AddressShape a sh:NodeShape ; sh:targetClass ex:Address ;
  sh:property [ sh:path ex:street ; sh:datatype xsd:string ; sh:minCount 1 ] ;
  sh:property [ sh:path ex:postcode ; sh:minCount 1 ; sh:pattern "^[0-9]{3} ?[0-9]{2}$" ] .
"""

NORM = """id = "register"
version = "1.0"
title = { en = "Benchmark register" }
shapes = ["register.ttl"]

[templates]
dataset = "{base}zdroj/datové-sady/{dataset}"
version = "{dataset}/verze/{version}"
item = "{dataset}/položky/{code}"
file = "{dataset}.{ext}"
"""

EX = "http://example.org/register/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def generate(path, target):
    """A register of organisations (with addresses) and people, every resource under a shape."""
    n = 0
    with open(path, "w", encoding="utf-8") as out:
        i = 0
        while n < target:
            org = f"<{EX}org/{i}>"
            addr = f"<{EX}address/{i}>"
            lines = [
                f"{org} {RDF_TYPE} <{EX}Organisation> .",
                f'{org} <{EX}name> "Organizace {i}"@cs .',
                f'{org} <{EX}name> "Organisation {i}"@en .',
                f'{org} <{EX}ico> "{i:08d}" .',
                f"{org} <{EX}address> {addr} .",
                f"{addr} {RDF_TYPE} <{EX}Address> .",
                f'{addr} <{EX}street> "Ulice {i}" .',
                f'{addr} <{EX}postcode> "{100 + i % 900} {i % 100:02d}" .',
            ]
            for j in range(4):
                p = f"<{EX}person/{i}-{j}>"
                lines += [
                    f"{p} {RDF_TYPE} <{EX}Person> .",
                    f'{p} <{EX}name> "Osoba {i}-{j}"@cs .',
                    f'{p} <{EX}identifier> "{(i * 4 + j) % 10**8:08d}" .',
                    f'{p} <{EX}birthDate> "19{50 + j}-0{1 + j}-1{j}"^^<{XSD}date> .',
                    f"{p} <{EX}employer> {org} .",
                ]
            out.write("\n".join(lines) + "\n")
            n += len(lines)
            i += 1
    return n


def measured(cmd):
    """Runs `cmd` under /usr/bin/time -v when present, for the peak RSS."""
    if shutil.which("/usr/bin/time"):
        wrapped = ["/usr/bin/time", "-v"] + cmd
        start = time.perf_counter()
        proc = subprocess.run(wrapped, capture_output=True)
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            sys.exit(f"{' '.join(cmd)} failed:\n{proc.stderr.decode()}")
        rss = next(
            int(line.split(":")[1]) / 1024
            for line in proc.stderr.decode().splitlines()
            if "Maximum resident set size" in line
        )
        return elapsed, rss, proc.stdout.decode()
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stderr.decode()}")
    rss = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return elapsed, rss, proc.stdout.decode()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    add_server_options(parser)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "data.nt")
        n = generate(data, args.triples)
        size = os.path.getsize(data) / 2**20
        print(f"{n} triples, {size:.0f} MiB of N-Triples\n")
        norms = os.path.join(tmp, "ofn")
        shapes = os.path.join(tmp, "shapes")
        shutil.copytree(os.path.join(repo, "ofn"), norms)
        shutil.copytree(os.path.join(repo, "shapes"), shapes)
        os.makedirs(os.path.join(norms, "register"))
        with open(os.path.join(norms, "register", "norm.toml"), "w") as f:
            f.write(NORM)
        with open(os.path.join(shapes, "register.ttl"), "w") as f:
            f.write(SHAPES)
        config = os.path.join(tmp, "datafond.toml")
        with open(config, "w") as f:
            f.write(f'norms_dir = "{norms}"\nshapes_dir = "{shapes}"\n')

        rows = {}
        for run_no in range(args.runs):
            for name, cmd in [
                ("oxigraph load", [args.oxigraph, "load", "--location", None, "--file", data]),
                ("datafond push (generic)", [args.datafond, "push", "--config", config,
                                             "--data-dir", None, "bench", data]),
                ("datafond push (register)", [args.datafond, "push", "--config", config,
                                              "--data-dir", None, "--norm", "register", "bench", data]),
            ]:
                folder = os.path.join(tmp, f"store-{run_no}-{len(rows)}-{name.split()[0]}")
                cmd = [folder if c is None else c for c in cmd]
                elapsed, rss, out = measured(cmd)
                shutil.rmtree(folder, ignore_errors=True)
                report = json.loads(out) if out.strip().startswith("{") else None
                best = rows.get(name)
                if best is None or elapsed < best[0]:
                    rows[name] = (elapsed, rss, report)

        peer = rows["oxigraph load"][0]
        print(f"{'tool':<28}{'seconds':>9}{'triples/s':>12}{'peak MiB':>10}{'rate vs oxigraph':>18}")
        for name, (elapsed, rss, _) in rows.items():
            print(f"{name:<28}{elapsed:>9.2f}{n / elapsed:>12,.0f}{rss:>10.0f}{peer / elapsed:>17.2f}x")
        for name in ("datafond push (generic)", "datafond push (register)"):
            report = rows[name][2]
            t = report["times_ms"]
            total = t["parse"] + t["validate"] + t["publish"]
            shares = ", ".join(f"{k} {t[k] / 1000:.2f} s ({t[k] / total:.0%})"
                               for k in ("parse", "validate", "publish"))
            print(f"\n{name}: stages: {shares}; hashing {t['hash'] / 1000:.2f} s "
                  f"(within publish, alongside the load)")


if __name__ == "__main__":
    main()
