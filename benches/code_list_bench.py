#!/usr/bin/env python3
"""Code-list push benchmark: datafond's stages vs pySHACL validating the same RDF.

Generates one code list (OFN Číselníky) with N items, each with a code, a validity interval and
names in three languages (cs, en, de), as the official JSON-LD and as Turtle, and as the norm's
CSV table (whose name columns are Czech and English only). Pushes the JSON-LD and the CSV with
`datafond push --norm ciselniky` (stage times from the push report; cs and en required), and
validates the Turtle (the same RDF as the JSON-LD) with pySHACL against the same shapes
(`shapes/číselníky.ttl` plus the required-language shapes datafond generates for cs and en).
Prints the times and datafond's validation speed as a multiple of pySHACL's.

    cargo build --release && pip install pyshacl
    python3 benches/code_list_bench.py --items 100000
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

from measure import add_server_options

LIST = "https://data.example/zdroj/číselníky/bench"
LANGS = ("cs", "en", "de")
REQUIRED = ("cs", "en")
SKOS = "http://www.w3.org/2004/02/skos/core#"
CONTEXT = "https://ofn.gov.cz/číselníky/2022-02-08/kontexty/číselník.jsonld"


def items(n):
    for i in range(n):
        code = f"{i:06d}"
        names = {"cs": f"položka {i}", "en": f"item {i}", "de": f"Eintrag {i}"}
        begin = f"{2000 + i % 20}-01-01"
        yield code, names, begin


def write_jsonld(path, n):
    doc = {"@context": CONTEXT, "typ": "Číselník", "iri": LIST,
           "název": {"cs": "Zkušební číselník", "en": "Benchmark list", "de": "Testliste"},
           "položky": [{"typ": "Položka", "iri": f"{LIST}/položky/{code}", "kód": code, "název": names,
                        "platnost": {"typ": "Časový interval",
                                     "začátek": {"typ": "Časový okamžik", "datum": begin},
                                     "konec": {"typ": "Časový okamžik", "nespecifikovaný": True}}}
                       for code, names, begin in items(n)]}
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False)


def write_csv(path, n):
    header = ["číselník", "číselník_název_cs", "číselník_název_en", "číselník_položka",
              "číselník_položka_kód", "číselník_položka_název_cs", "číselník_položka_název_en",
              "číselník_položka_platnost_začátek_datum", "číselník_položka_platnost_konec_nespecifikovaný"]
    with open(path, "w", encoding="utf-8") as f:
        f.write(",".join(header) + "\n")
        for code, names, begin in items(n):
            f.write(f"{LIST},Zkušební číselník,Benchmark list,{LIST}/položky/{code},{code},"
                    f"{names['cs']},{names['en']},{begin},true\n")


def write_turtle(path, n):
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"@prefix skos: <{SKOS}> .\n@prefix dcterms: <http://purl.org/dc/terms/> .\n"
                "@prefix time: <http://www.w3.org/2006/time#> .\n"
                "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n")
        f.write(f'<{LIST}> a skos:ConceptScheme ; skos:prefLabel "Zkušební číselník"@cs, '
                '"Benchmark list"@en, "Testliste"@de .\n')
        for code, names, begin in items(n):
            labels = ", ".join(f'"{names[l]}"@{l}' for l in LANGS)
            f.write(f'<{LIST}/položky/{code}> a skos:Concept ; skos:inScheme <{LIST}> ; '
                    f'skos:notation "{code}" ; skos:prefLabel {labels} ; dcterms:temporal [ '
                    f'a time:ProperInterval ; time:hasBeginning [ a time:Instant ; '
                    f'time:inXSDDate "{begin}"^^xsd:date ] ; time:hasEnd [ a time:Instant ; '
                    f'<https://slovník.gov.cz/generický/čas/pojem/je-nespecifikovaný> true ] ] .\n')


def language_shapes(path):
    """The shapes datafond generates from the norm's [required_languages] for cs and en."""
    with open(path, "w", encoding="utf-8") as f:
        f.write("@prefix sh: <http://www.w3.org/ns/shacl#> .\n")
        for lang in REQUIRED:
            f.write(f"<urn:datafond:norm:ciselniky:required-language:{lang}> a sh:NodeShape ; "
                    f"sh:targetClass <{SKOS}ConceptScheme>, <{SKOS}Concept> ; sh:property [ "
                    f"sh:path <{SKOS}prefLabel> ; sh:qualifiedValueShape [ sh:languageIn ( \"{lang}\" ) ] ; "
                    f"sh:qualifiedMinCount 1 ] .\n")


def push(datafond, repo, data_dir, dataset, path, fmt):
    config = os.path.join(data_dir + ".toml")
    with open(config, "w") as f:
        f.write(f"required_languages = {json.dumps(list(REQUIRED))}\n")
    out = subprocess.run([datafond, "push", "--config", config, "--base", "https://data.example/",
                          "--data-dir", data_dir, "--norm", "ciselniky", "--format", fmt, dataset, path],
                         check=True, capture_output=True, cwd=repo)
    return json.loads(out.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=100_000)
    add_server_options(parser, oxigraph=False)
    parser.add_argument("--skip-pyshacl", action="store_true")
    args = parser.parse_args()
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    datafond = os.path.abspath(args.datafond)
    with tempfile.TemporaryDirectory() as tmp:
        paths = {ext: os.path.join(tmp, f"bench.{ext}") for ext in ("jsonld", "csv", "ttl")}
        write_jsonld(paths["jsonld"], args.items)
        write_csv(paths["csv"], args.items)
        write_turtle(paths["ttl"], args.items)
        rows = []
        for fmt in ("jsonld", "csv"):
            report = push(datafond, repo, os.path.join(tmp, f"store-{fmt}"), "bench", paths[fmt], fmt)
            t = report["times_ms"]
            rows.append((fmt, report["triples"], t["parse"], t["validate"], t["publish"]))
            print(f"datafond push ({fmt}): {report['triples']} triples, parse {t['parse']:.0f} ms, "
                  f"validate {t['validate']:.0f} ms, publish {t['publish']:.0f} ms", flush=True)
        if args.skip_pyshacl:
            return
        import pyshacl
        import rdflib
        shapes = rdflib.Graph()
        shapes.parse(os.path.join(repo, "shapes", "číselníky.ttl"), format="turtle")
        extra = os.path.join(tmp, "languages.ttl")
        language_shapes(extra)
        shapes.parse(extra, format="turtle")
        start = time.perf_counter()
        data = rdflib.Graph()
        data.parse(paths["ttl"], format="turtle")
        parsed = time.perf_counter()
        conforms, _, _ = pyshacl.validate(data, shacl_graph=shapes, advanced=True)
        validated = time.perf_counter()
        py_ms = (validated - parsed) * 1000
        print(f"pySHACL {pyshacl.__version__}: {len(data)} triples, parse {(parsed - start) * 1000:.0f} ms, "
              f"validate {py_ms:.0f} ms, conforms {conforms}", flush=True)
        for fmt, _, _, validate_ms, _ in rows:
            print(f"datafond ({fmt}) validates {py_ms / max(validate_ms, 0.001):.1f}x as fast as pySHACL")


if __name__ == "__main__":
    sys.exit(main())
