#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check the lines of `procmem-guard listen` that gen_lines.c wrote.

usage: check_lines.py DIR TOP

DIR holds <format>.lines and strings.json (gen_lines.c); TOP is the top of
the tree (for tests/data). One result line per check:
  PASS|FAIL format <what>: <detail>
Checks:
  utf8     every line of every format is valid UTF-8, has no control
           character, and is at most 8192 bytes with its newline;
  json     every line of json, tracee, falco and ecs is one JSON object
           (Python's json, no duplicate member), every string in it
           encodes as UTF-8 again;
  exact    the *_b64 members hold exactly the bytes of the event's
           strings (a prefix when the line says "truncated"), and in a
           line not cut every string the format carries that is not UTF-8
           has its exact bytes along;
  falco    Falcosidekick (2.34) takes every falco line (its decoding and
           Check());
  ecs      every field of every ecs line is a field of ECS 8.17
           (tests/data/ecs/ecs_flat_subset.yml) of that type, arrays only
           where ECS has them, categorization values allowed, event.type
           among the categories' expected types; Target.* and
           procmem_guard.* are custom field sets;
  tracee   the first tracee line has exactly the members of Tracee
           v0.24.1's finding (tests/data/tracee), in its order, with the
           same JSON types and nesting.
"""
import base64
import datetime
import json
import os
import re
import sys

import yaml

FORMATS = ["text", "json", "tracee", "falco", "ecs"]
# The kernel strings each JSON format carries (Tracee's event has no place
# for the target's comm or the procfs path, Falco's none for the latter).
CARRIES = {
    "json": {"comm", "exe", "target_comm", "path", "procfs_path", "detail"},
    "tracee": {"comm", "exe", "path", "detail"},
    "falco": {"comm", "exe", "target_comm", "path", "detail"},
    "ecs": {"comm", "exe", "target_comm", "path", "procfs_path", "detail"},
}
MAX_LINE = 8192
results = []


def result(ok, what, detail):
    results.append(("PASS" if ok else "FAIL", what, detail))


def no_dups(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate member in %s" % keys)
    return dict(pairs)


def strings_of(o):
    if isinstance(o, str):
        yield o
    elif isinstance(o, dict):
        for k, v in o.items():
            yield k
            yield from strings_of(v)
    elif isinstance(o, list):
        for v in o:
            yield from strings_of(v)


def b64_members(o, out):
    """(name, bytes) of every *_b64 member, and of Tracee's *_b64 args."""
    if isinstance(o, dict):
        for k, v in o.items():
            if k.endswith("_b64") and isinstance(v, str):
                out.append((k, base64.b64decode(v, validate=True)))
            else:
                b64_members(v, out)
        if (isinstance(o.get("name"), str) and o["name"].endswith("_b64")
                and isinstance(o.get("value"), str)):
            out.append((o["name"], base64.b64decode(o["value"], validate=True)))
    elif isinstance(o, list):
        for v in o:
            b64_members(v, out)


def is_truncated(o):
    if isinstance(o, dict):
        if "truncated" in o or o.get("name") == "truncated":
            return True
        return any(is_truncated(v) for v in o.values())
    if isinstance(o, list):
        return any(is_truncated(v) for v in o)
    return False


def utf8(raw):
    try:
        raw.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


# --- Falcosidekick 2.34.1: handlers.go newFalcoPayload + FalcoPayload.Check
PRIORITIES = {"emergency", "alert", "critical", "error", "warning", "notice",
              "informational", "info", "debug"}
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$")


def falcosidekick_takes(line):
    o = json.JSONDecoder().raw_decode(line.lstrip())[0]
    if not isinstance(o, dict):
        return "not an object"
    keys = {}
    for k, v in o.items():          # Go's decoder matches keys case-insensitively
        keys[k.lower()] = v
    for k in ("output", "rule", "source", "hostname", "uuid"):
        if k in keys and keys[k] is not None and not isinstance(keys[k], str):
            return "%s is not a string" % k
    tags = keys.get("tags")
    if tags is not None and not (isinstance(tags, list) and all(isinstance(t, str) for t in tags)):
        return "tags is not a list of strings"
    of = keys.get("output_fields")
    if of is not None and not isinstance(of, dict):
        return "output_fields is not an object"
    for k in ("k8s.ns.name", "k8s.pod.name"):
        if of and of.get(k) is not None and not isinstance(of[k], str):
            return "%s is not a string (falcosidekick would panic)" % k
    prio = keys.get("priority")
    if not isinstance(prio, str) or prio.lower() not in PRIORITIES:
        return "priority %r" % (prio,)
    if not keys.get("rule"):
        return "no rule"
    t = keys.get("time")
    if not isinstance(t, str) or not RFC3339.match(t):
        return "time %r is not RFC 3339 with a zone" % (t,)
    if t.startswith("0001-01-01T00:00:00"):
        return "zero time"
    if not of:
        return "output_fields empty"
    return None


# --- ECS
ECS_TYPES = {
    "keyword": str, "match_only_text": str, "wildcard": str, "text": str,
    "date": str, "long": int, "float": (int, float), "boolean": bool,
}
DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def flatten(o, prefix, out):
    for k, v in o.items():
        name = prefix + k
        if isinstance(v, dict) and v:
            flatten(v, name + ".", out)
        else:
            out.append((name, v))


def ecs_problems(doc, schema):
    fields = []
    flatten(doc, "", fields)
    problems = []
    for name, v in fields:
        if name.startswith("Target.") or name.startswith("procmem_guard."):
            continue
        f = schema.get(name)
        if not f:
            problems.append("%s: not an ECS 8.17 field" % name)
            continue
        values = v if isinstance(v, list) else [v]
        if isinstance(v, list) and "array" not in (f.get("normalize") or []):
            problems.append("%s: an array where ECS has none" % name)
        py = ECS_TYPES.get(f["type"])
        for x in values:
            if py is None or isinstance(x, bool) and py is not bool or not isinstance(x, py):
                problems.append("%s: %r is not a %s" % (name, x, f["type"]))
            elif f["type"] == "date" and not DATE.match(x):
                problems.append("%s: %r is not a date" % (name, x))
        allowed = [a["name"] for a in f.get("allowed_values") or []]
        if allowed:
            for x in values:
                if x not in allowed:
                    problems.append("%s: %r not allowed" % (name, x))
    for req in (n for n, f in schema.items() if f.get("required")):
        if req not in dict(fields):
            problems.append("%s: required, missing" % req)
    cats = doc.get("event", {}).get("category", [])
    expected = set()
    for a in schema["event.category"]["allowed_values"]:
        if a["name"] in cats:
            expected |= set(a.get("expected_event_types") or [])
    for t in doc.get("event", {}).get("type", []):
        if t not in expected:
            problems.append("event.type %s: not expected for %s" % (t, cats))
    return problems


# --- Tracee
def shape(ours, theirs, where, exact):
    def jtype(x):
        return "null" if x is None else type(x).__name__
    if jtype(ours) != jtype(theirs):
        return "%s: %s, Tracee's %s" % (where, jtype(ours), jtype(theirs))
    if isinstance(theirs, dict):
        if exact and list(ours) != list(theirs):
            return "%s: members %s, Tracee's %s" % (where, list(ours), list(theirs))
        for k, v in theirs.items():
            if k not in ours:
                return "%s.%s: missing" % (where, k)
            r = shape(ours[k], v, where + "." + k, exact)
            if r:
                return r
    elif isinstance(theirs, list):
        for i, t in enumerate(theirs):
            if isinstance(t, dict) and "name" in t:
                m = [x for x in ours if isinstance(x, dict) and x.get("name") == t["name"]]
                if not m:
                    return "%s[%s]: missing" % (where, t["name"])
                r = shape(m[0], t, "%s[%s]" % (where, t["name"]), exact)
            elif i < len(ours):
                r = shape(ours[i], t, "%s[%d]" % (where, i), exact)
            else:
                r = "%s[%d]: missing" % (where, i)
            if r:
                return r
    return None


def main():
    d, top = sys.argv[1], sys.argv[2]
    manifest = [{r: base64.b64decode(s) for r, s in e.items()}
                for e in json.load(open(os.path.join(d, "strings.json")))]
    schema = yaml.safe_load(open(os.path.join(top, "tests/data/ecs/ecs_flat_subset.yml")))
    tracee_d = json.load(open(os.path.join(top, "tests/data/tracee/v0.24.1-finding-TRC-1023.json")))
    tracee_a = json.load(open(os.path.join(top, "tests/data/tracee/v0.24.1-docs-signature-event.json")))

    for fmt in FORMATS:
        raw = open(os.path.join(d, fmt + ".lines"), "rb").read()
        lines = raw.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        bad = [i for i, l in enumerate(lines)
               if not utf8(l) or len(l) + 1 > MAX_LINE or re.search(rb"[\x00-\x1f]", l)]
        longest = max(len(l) + 1 for l in lines) if lines else 0
        result(not bad and len(lines) >= len(manifest), "%s utf8" % fmt,
               "%d lines, the longest %d bytes%s" % (len(lines), longest,
               "; bad: %s" % bad[:5] if bad else ""))
        if fmt == "text":
            continue
        objs, problems = [], []
        for i, l in enumerate(lines):
            try:
                o = json.loads(l.decode("utf-8"), object_pairs_hook=no_dups)
                if not isinstance(o, dict):
                    raise ValueError("not an object")
                for s in strings_of(o):
                    s.encode("utf-8")
                objs.append(o)
            except (ValueError, UnicodeEncodeError) as e:
                problems.append("line %d: %s" % (i + 1, e))
                objs.append(None)
        result(not problems, "%s json" % fmt,
               "%d objects%s" % (len(objs), "; " + "; ".join(problems[:3]) if problems else ""))

        problems, n_b64 = [], 0
        for i, roles in enumerate(manifest):
            strs = [s for r, s in roles.items() if r in CARRIES[fmt]]
            o = objs[i] if i < len(objs) else None
            if o is None:
                problems.append("line %d missing" % (i + 1))
                continue
            cut = is_truncated(o)
            members = []
            try:
                b64_members(o, members)
            except ValueError as e:
                problems.append("line %d: bad base64: %s" % (i + 1, e))
                continue
            for name, b in members:
                n_b64 += 1
                if not any(b == s or (cut and s.startswith(b)) for s in strs):
                    problems.append("line %d: %s holds bytes of no string" % (i + 1, name))
            # Uncut, every string that is not UTF-8 has its exact bytes
            # along (cut, it may have been cut before its first bad byte).
            for s in strs:
                if not cut and not utf8(s) and not any(b == s for _, b in members):
                    problems.append("line %d: exact bytes of %r... missing" % (i + 1, s[:16]))
        result(not problems, "%s exact" % fmt,
               "%d events, %d *_b64 members matched%s" % (len(manifest), n_b64,
               "; " + "; ".join(problems[:3]) if problems else ""))

        if fmt == "falco":
            problems = []
            for i, l in enumerate(lines):
                why = falcosidekick_takes(l.decode("utf-8"))
                if why:
                    problems.append("line %d: %s" % (i + 1, why))
            result(not problems, "falco falcosidekick",
                   "%d lines accepted%s" % (len(lines) - len(problems),
                   "; " + "; ".join(problems[:3]) if problems else ""))
        if fmt == "ecs":
            problems = []
            for i, o in enumerate(objs):
                if o is not None:
                    problems += ["line %d: %s" % (i + 1, p) for p in ecs_problems(o, schema)]
            result(not problems, "ecs fields",
                   "%d documents checked against ECS 8.17%s" % (len(objs),
                   "; " + "; ".join(problems[:4]) if problems else ""))
        if fmt == "tracee":
            r = shape(objs[0], tracee_d, "", True) or shape(objs[0], tracee_a, "", False)
            result(r is None, "tracee shape",
                   r or "the same members, order, types and nesting as Tracee v0.24.1's")

    for verdict, what, detail in results:
        print("%s format %s: %s" % (verdict, what, detail))
    return 0


if __name__ == "__main__":
    sys.exit(main())
