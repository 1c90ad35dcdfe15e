#!/usr/bin/env python3
"""Validates JSON files against a JSON Schema (the subset vafwatch's schemas
use: type, enum, const, properties, required, additionalProperties, items,
minimum, maximum, pattern, local $ref, oneOf, anyOf).  Written here so the
tests need no third-party module; when python3-jsonschema is installed the
files are checked with it as well.

Usage: json_validate.py SCHEMA FILE...   (exit 0 valid, 1 invalid)
"""
import json
import re
import sys

KEYWORDS = {"$schema", "$id", "$defs", "title", "description", "type", "enum", "const", "properties",
            "required", "additionalProperties", "items", "minimum", "maximum", "pattern", "$ref",
            "oneOf", "anyOf"}


def type_ok(v, t):
    if t == "null":
        return v is None
    if t == "boolean":
        return isinstance(v, bool)
    if t == "integer":
        return isinstance(v, int) and not isinstance(v, bool)
    if t == "number":
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    if t == "string":
        return isinstance(v, str)
    if t == "array":
        return isinstance(v, list)
    if t == "object":
        return isinstance(v, dict)
    raise ValueError("unknown type " + t)


def errors(v, s, root, path):
    unknown = set(s) - KEYWORDS
    if unknown:
        raise ValueError("schema keyword(s) this validator does not know: %s" % sorted(unknown))
    if "$ref" in s:
        ref = s["$ref"]
        assert ref.startswith("#/"), ref
        sub = root
        for part in ref[2:].split("/"):
            sub = sub[part]
        yield from errors(v, sub, root, path)
    if "type" in s:
        ts = s["type"] if isinstance(s["type"], list) else [s["type"]]
        if not any(type_ok(v, t) for t in ts):
            yield "%s: %r is not of type %s" % (path, v, ts)
            return
    if "enum" in s and v not in s["enum"]:
        yield "%s: %r not in %s" % (path, v, s["enum"])
    if "const" in s and v != s["const"]:
        yield "%s: %r != %r" % (path, v, s["const"])
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if "minimum" in s and v < s["minimum"]:
            yield "%s: %r < %r" % (path, v, s["minimum"])
        if "maximum" in s and v > s["maximum"]:
            yield "%s: %r > %r" % (path, v, s["maximum"])
    if isinstance(v, str) and "pattern" in s and not re.search(s["pattern"], v):
        yield "%s: %r does not match %s" % (path, v, s["pattern"])
    if isinstance(v, dict):
        for k in s.get("required", []):
            if k not in v:
                yield "%s: missing %r" % (path, k)
        props = s.get("properties", {})
        for k, x in v.items():
            if k in props:
                yield from errors(x, props[k], root, path + "." + k)
            elif s.get("additionalProperties") is False:
                yield "%s: unexpected property %r" % (path, k)
            elif isinstance(s.get("additionalProperties"), dict):
                yield from errors(x, s["additionalProperties"], root, path + "." + k)
    if isinstance(v, list) and "items" in s:
        for i, x in enumerate(v):
            yield from errors(x, s["items"], root, "%s[%d]" % (path, i))
    for key in ("oneOf", "anyOf"):
        if key in s:
            n = sum(1 for sub in s[key] if next(errors(v, sub, root, path), None) is None)
            if (key == "oneOf" and n != 1) or (key == "anyOf" and n == 0):
                yield "%s: matches %d of the %s alternatives" % (path, n, key)


def main():
    schema = json.load(open(sys.argv[1]))
    try:
        import jsonschema
    except ImportError:
        jsonschema = None
    bad = 0
    for f in sys.argv[2:]:
        doc = json.load(open(f))
        errs = list(errors(doc, schema, schema, "$"))
        if jsonschema is not None:
            errs += ["jsonschema: " + e.message for e in
                     jsonschema.Draft202012Validator(schema).iter_errors(doc)]
        for e in errs[:10]:
            print("%s: %s" % (f, e), file=sys.stderr)
        bad += bool(errs)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
