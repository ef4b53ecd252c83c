#!/usr/bin/env python3
"""Checks leakscope's STIX 2.1 and MISP exports with the reference implementations.

    validate_exports.py STIX.json MISP.json OBJECTS.toml

* STIX: the OASIS stix2-validator (all checks, references enforced) must report 0 errors and
  0 warnings, and the `stix2` library must parse the bundle without custom content.
* MISP: PyMISP's MISPEvent().load must read the event; what it reads is compared back field by
  field with the file; every object must match the official template PyMISP bundles (name, uuid,
  version, meta-category, relations and their types), every attribute's category must be one
  MISP allows for its type (describeTypes.json); OBJECTS.toml (the template facts leakscope
  embeds) must agree with those definitions.

Exit 0 when everything holds, 1 on a finding (printed), 3 when a library is missing (the Rust
test prints a skip notice, or fails under CI=true).
"""

import json
import os
import sys
import warnings

try:
    import tomllib
    import stix2
    import pymisp
    from pymisp import MISPEvent
    from stix2validator import ValidationOptions, validate_file
except ImportError as e:  # pragma: no cover - environment check
    print(f"missing Python package: {e.name}", file=sys.stderr)
    sys.exit(3)

problems = []


def check_stix(path):
    opts = ValidationOptions(strict=False, enforce_refs=True)
    res = validate_file(path, opts)
    errors = [str(e) for o in res.object_results for e in o.errors]
    warns = [str(w) for o in res.object_results for w in o.warnings]
    if getattr(res, "fatal", None):
        errors.append(str(res.fatal))
    if not res.is_valid or errors:
        problems.append(f"stix2-validator errors: {errors}")
    if warns:
        problems.append(f"stix2-validator warnings: {warns}")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    bundle = stix2.parse(text, allow_custom=False)
    doc = json.loads(text)
    if len(bundle.objects) != len(doc["objects"]):
        problems.append("stix2 parsed a different number of objects")
    types = {o["type"] for o in doc["objects"]}
    for need in ("report", "identity", "marking-definition"):
        if need not in types:
            problems.append(f"STIX bundle has no {need}")
    return {"objects": len(doc["objects"]), "types": sorted(types), "warnings": len(warns), "errors": len(errors)}


def template_dir():
    return os.path.join(os.path.dirname(pymisp.__file__), "data", "misp-objects", "objects")


def describe_types():
    p = os.path.join(os.path.dirname(pymisp.__file__), "data", "describeTypes.json")
    with open(p, encoding="utf-8") as f:
        return json.load(f)["result"]


def definition(name):
    with open(os.path.join(template_dir(), name, "definition.json"), encoding="utf-8") as f:
        return json.load(f)


def check_objects_file(path):
    with open(path, "rb") as f:
        data = tomllib.load(f)
    for o in data["object"]:
        d = definition(o["name"])
        for key, want in (("uuid", d["uuid"]), ("version", d["version"]), ("meta_category", d["meta-category"]), ("description", d["description"])):
            if o[key] != want:
                problems.append(f"misp-objects.toml {o['name']}.{key} = {o[key]!r}, official {want!r}")
        for rel, ty in o["relations"].items():
            official = d["attributes"].get(rel)
            if official is None:
                problems.append(f"misp-objects.toml {o['name']}: relation {rel} not in the template")
            elif official["misp-attribute"] != ty:
                problems.append(f"misp-objects.toml {o['name']}.{rel}: {ty} != {official['misp-attribute']}")


def norm(v):
    """A value as text; date-times (PyMISP parses them) in one ISO form."""
    import datetime

    if isinstance(v, datetime.datetime):
        return v.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    if isinstance(v, str) and len(v) == 20 and v.endswith("Z") and v[10] == "T":
        return v[:-1]
    return str(v)


def check_misp(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    doc = json.loads(text)["Event"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ev = MISPEvent()
        ev.load(text)
    types = describe_types()
    # Compared back: event fields, tags, attributes, objects.
    for key in ("info", "threat_level_id", "analysis", "distribution", "uuid"):
        if str(getattr(ev, key)) != str(doc[key]):
            problems.append(f"MISP {key}: loaded {getattr(ev, key)!r}, file {doc[key]!r}")
    if ev.date.isoformat() != doc["date"]:
        problems.append(f"MISP date: loaded {ev.date}, file {doc['date']}")
    if sorted(t.name for t in ev.tags) != sorted(t["name"] for t in doc["Tag"]):
        problems.append("MISP tags differ after loading")
    if not any(t.name.startswith("tlp:") for t in ev.tags):
        problems.append("MISP event has no TLP tag")
    loaded = {a.uuid: a for a in ev.attributes}
    for a in doc["Attribute"]:
        b = loaded.get(a["uuid"])
        if b is None or (b.type, b.category, b.value) != (a["type"], a["category"], a["value"]):
            problems.append(f"MISP attribute {a['uuid']} changed on loading")
        if a["category"] not in types["category_type_mappings"] or a["type"] not in types["category_type_mappings"][a["category"]]:
            problems.append(f"MISP attribute type {a['type']} not allowed in category {a['category']}")
    objs = {o.uuid: o for o in ev.objects}
    for o in doc["Object"]:
        lo = objs.get(o["uuid"])
        if lo is None:
            problems.append(f"MISP object {o['name']} lost on loading")
            continue
        d = definition(o["name"])
        if (lo.template_uuid, str(lo.template_version)) != (d["uuid"], str(d["version"])):
            problems.append(f"MISP object {o['name']}: template {lo.template_uuid} v{lo.template_version} is not the official {d['uuid']} v{d['version']}")
        rels = {a.object_relation for a in lo.attributes}
        for a in lo.attributes:
            spec = d["attributes"].get(a.object_relation)
            if spec is None:
                problems.append(f"MISP object {o['name']}: relation {a.object_relation} not in the template")
                continue
            if spec["misp-attribute"] != a.type:
                problems.append(f"MISP object {o['name']}.{a.object_relation}: type {a.type} != {spec['misp-attribute']}")
            if "values_list" in spec and a.value not in spec["values_list"]:
                problems.append(f"MISP object {o['name']}.{a.object_relation}: {a.value!r} not in the template's list")
            if a.type not in types["category_type_mappings"].get(a.category, []):
                problems.append(f"MISP object {o['name']}.{a.object_relation}: category {a.category} not allowed for {a.type}")
        if d.get("required") and not set(d["required"]) <= rels:
            problems.append(f"MISP object {o['name']}: required {d['required']} missing")
        if d.get("requiredOneOf") and not set(d["requiredOneOf"]) & rels:
            problems.append(f"MISP object {o['name']}: none of {d['requiredOneOf']}")
        want = sorted((a["object_relation"], a["type"], norm(a["value"])) for a in o["Attribute"])
        got = sorted((a.object_relation, a.type, norm(a.value)) for a in lo.attributes)
        if want != got:
            problems.append(f"MISP object {o['name']} attributes changed on loading")
    # The loaded event, written out by PyMISP and read again, is the same event.
    again = MISPEvent()
    again.load(ev.to_json())
    if (again.info, len(again.attributes), len(again.objects)) != (ev.info, len(ev.attributes), len(ev.objects)):
        problems.append("PyMISP round trip changed the event")
    return {"attributes": len(ev.attributes), "objects": sorted(o.name for o in ev.objects), "tags": [t.name for t in ev.tags]}


def main():
    stix_path, misp_path, objects_toml = sys.argv[1:4]
    out = {"stix": check_stix(stix_path), "misp": check_misp(misp_path)}
    check_objects_file(objects_toml)
    out["problems"] = problems
    print(json.dumps(out))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
