"""Checks manifests against docs/manifest.schema.json (JSON Schema 2020-12).

    python3 manifest_schema_check.py SCHEMA [--invalid] MANIFEST...

Exit 0 when every manifest is valid (with --invalid: when every one is
invalid), 1 otherwise; each manifest's verdict and errors are printed.
"""
import json
import sys

import jsonschema


def main(argv):
    schema_path, rest = argv[1], argv[2:]
    expect_invalid = bool(rest) and rest[0] == "--invalid"
    manifests = rest[1:] if expect_invalid else rest
    with open(schema_path, encoding="utf-8") as file:
        schema = json.load(file)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    ok = bool(manifests)
    for path in manifests:
        with open(path, encoding="utf-8") as file:
            manifest = json.load(file)
        errors = sorted(validator.iter_errors(manifest), key=lambda e: list(e.absolute_path))
        for error in errors:
            where = ".".join(str(part) for part in error.absolute_path) or "(top level)"
            print(f"{path}: {where}: {error.message}")
        valid = not errors
        print(f"{path}: {'valid' if valid else 'invalid'}")
        ok = ok and valid != expect_invalid
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
