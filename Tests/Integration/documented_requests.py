"""Whether a request URL asks only for what openapi/openapi.json documents: a documented path, and
query parameters that its operation lists, each value valid for that parameter's schema. Used on what
users are shown (the README's and docs' curl lines, what `make run` prints) and on what the viewer sends."""
import json
import re
import urllib.parse

import jsonschema

from conftest import stack

DOCUMENT = json.loads((stack.REPO / "openapi" / "openapi.json").read_text())


def _operation(path):
    """The documented GET of `path`: an exact path first (`/colormaps/custom.png`), then a template."""
    paths = DOCUMENT["paths"]
    if path in paths:
        return paths[path]["get"]
    for template, item in paths.items():
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path):
            return item["get"]
    return None


def _resolved(parameter):
    if "$ref" not in parameter:
        return parameter
    node = DOCUMENT
    for part in parameter["$ref"].removeprefix("#/").split("/"):
        node = node[part]
    return node


def _valid(value, schema):
    """A query value is text; a number schema takes it as the number it spells."""
    candidates = [value]
    try:
        candidates.append(json.loads(value))
    except ValueError:
        pass
    return any(jsonschema.Draft202012Validator(schema).is_valid(candidate) for candidate in candidates)


def problems(url):
    """What in `url` the document does not allow: an empty list when every part is documented."""
    parts = urllib.parse.urlsplit(url)
    operation = _operation(parts.path or "/")
    if operation is None:
        return [f"{parts.path}: no such path in the document"]
    parameters = {p["name"]: p for p in map(_resolved, operation.get("parameters", [])) if p["in"] == "query"}
    found = []
    for name, value in urllib.parse.parse_qsl(parts.query, keep_blank_values=True):
        if name not in parameters:
            found.append(f"{parts.path}: '{name}' is not a documented parameter")
            continue
        schema = parameters[name]["schema"]
        item = schema.get("items", schema) if schema.get("type") == "array" else schema
        if not _valid(value, item):
            found.append(f"{parts.path}: {name}={value!r} is not valid for {json.dumps(item)}")
    return found
