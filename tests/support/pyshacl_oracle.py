"""Validates (shapes, data) pairs with pySHACL for the differential tests.

Reads a JSON list of jobs {"shapes": [paths], "data": [paths]} on standard input and writes a
JSON list of {"conforms": bool, "counts": {component local name: results}} (or {"error": text}).
One process serves every job, so each shapes file is parsed once.
"""
import json
import sys
from collections import Counter

from pyshacl import validate
from rdflib import Graph, Namespace

SH = Namespace("http://www.w3.org/ns/shacl#")
_graphs = {}


def load(paths):
    key = tuple(paths)
    if key not in _graphs:
        g = Graph()
        for p in paths:
            g.parse(p)
        _graphs[key] = g
    return _graphs[key]


def run(job):
    try:
        conforms, report, _ = validate(
            load(job["data"]),
            shacl_graph=load(job["shapes"]),
            inference="none",
            advanced=False,
            meta_shacl=False,
        )
    except Exception as e:  # pySHACL refusing a shapes graph is an answer too
        return {"error": str(e)}
    counts = Counter()
    # Top-level results only: pySHACL also reports nested results under sh:detail.
    for result in report.objects(predicate=SH.result):
        for component in report.objects(result, SH.sourceConstraintComponent):
            counts[str(component).rsplit("#", 1)[-1]] += 1
    return {"conforms": bool(conforms), "counts": dict(counts)}


if __name__ == "__main__":
    json.dump([run(job) for job in json.load(sys.stdin)], sys.stdout)
