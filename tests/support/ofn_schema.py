#!/usr/bin/env python3
"""Validates a JSON document against an official OFN JSON Schema (draft 2020-12), resolving the
schemas it references by their $id from the JSON files in a folder (never the network).

    python3 ofn_schema.py <schema.json> <schemas folder> <document.json>

Exit code 0 when valid; otherwise each error on standard output and exit code 1.
"""
import json
import pathlib
import sys

import jsonschema
from referencing import Registry, Resource


def main():
    schema_path, folder, document_path = sys.argv[1:4]
    resources = []
    for path in sorted(pathlib.Path(folder).glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        if "$id" in contents:
            resources.append((contents["$id"], Resource.from_contents(contents)))
    registry = Registry().with_resources(resources)
    schema = json.loads(pathlib.Path(schema_path).read_text(encoding="utf-8"))
    document = json.loads(pathlib.Path(document_path).read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, registry=registry)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    for error in errors:
        print(f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
