#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check that module/ flows one way: every file includes and calls only
files of lower layers (module/LAYERS, top first), so there is no cycle.

Prints the include and call graph of the module's files, then one line per
violation, and exits 1 if there is any (2 on a usage error).

usage: layers.py [MODULE_DIR]     (default: module/ next to tests/)

Files are named by stem (probe.c and probe.h are "probe"). An edge A -> B
exists when A includes "B.h", or when A calls or refers to a function or
variable that B defines (a global, or a static inline in B.h). Headers
outside module/ (include/*.h, the kernel's) do not count.
"""
import os
import re
import sys

IDENT = re.compile(r"\bpmg_\w+\b")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)\.h"', re.M)


def strip(src):
    """Source without comments, strings, character literals and
    preprocessor lines (so that a #define does not count as a use)."""
    src = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), src,
                 flags=re.S)
    src = re.sub(r"//[^\n]*", "", src)
    src = re.sub(r'"(\\.|[^"\\\n])*"', '""', src)
    src = re.sub(r"'(\\.|[^'\\\n])*'", "''", src)
    src = re.sub(r"^\s*#(?:[^\n]*\\\n)*[^\n]*", "", src, flags=re.M)
    return src


def definitions(src, header):
    """Names a file defines at file scope for others to use: functions (a
    name, its parameter list and then a body) and variables (a name
    followed by '=', ';', '[' or the ')' of DEFINE_PER_CPU(...)); in a .c
    file, static ones are its own and do not count."""
    names = set()
    depth = 0
    i = 0
    n = len(src)
    decl_start = 0
    while i < n:
        c = src[i]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                decl_start = i + 1
        elif depth == 0 and c == ";":
            decl_start = i + 1
        elif depth == 0:
            m = IDENT.match(src, i)
            if m and (i == 0 or not (src[i - 1].isalnum() or src[i - 1] == "_")):
                rest = src[m.end():]
                fn = re.match(r"\s*\((?:[^()]|\([^()]*\))*\)\s*\{", rest)
                var = re.match(r"\s*(?:\[[^\]]*\]\s*)*(=|;|\)\s*;)", rest)
                decl = re.match(r"\s*\(", rest)
                local = not header and re.search(r"\bstatic\b",
                                                 src[decl_start:i])
                if (fn or (var and not decl)) and not local:
                    names.add(m.group(0))
                i = m.end()
                continue
        i += 1
    return names


def uses(src):
    return set(IDENT.findall(src))


def main():
    top = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    mod = sys.argv[1] if len(sys.argv) > 1 else os.path.join(top, "module")
    layers_file = os.path.join(mod, "LAYERS")
    try:
        lines = open(layers_file).read().splitlines()
    except OSError as e:
        print(f"layers: cannot read {layers_file}: {e}")
        return 2
    rank = {}
    for level, line in enumerate(l for l in lines
                                 if l.strip() and not l.startswith("#")):
        for stem in line.split():
            rank[stem] = level

    files = sorted(f for f in os.listdir(mod) if f.endswith((".c", ".h")))
    srcs = {}
    for f in files:
        with open(os.path.join(mod, f), encoding="utf-8") as fh:
            srcs[f] = fh.read()
    stems = sorted({os.path.splitext(f)[0] for f in files})

    problems = []
    for s in stems:
        if s not in rank:
            problems.append(f"{s}: not in module/LAYERS")

    owner = {}
    for f in files:
        for name in definitions(strip(srcs[f]), f.endswith(".h")):
            owner.setdefault(name, os.path.splitext(f)[0])

    edges = {}  # (a, b) -> set of reasons
    for f in files:
        a = os.path.splitext(f)[0]
        for inc in INCLUDE.findall(srcs[f]):
            if inc in stems and inc != a:
                edges.setdefault((a, inc), set()).add(f'#include "{inc}.h"')
        for name in uses(strip(srcs[f])):
            b = owner.get(name)
            if b and b != a:
                edges.setdefault((a, b), set()).add(name)

    print("module layers (top first):")
    for line in (l for l in lines if l.strip() and not l.startswith("#")):
        print("  " + line)
    print("edges (file -> what it includes or uses):")
    for (a, b) in sorted(edges, key=lambda e: (rank.get(e[0], 99), e[0],
                                                rank.get(e[1], 99), e[1])):
        why = ", ".join(sorted(edges[(a, b)]))
        print(f"  {a} -> {b}: {why}")
        if a in rank and b in rank and rank[b] <= rank[a]:
            kind = "same layer" if rank[b] == rank[a] else "upward"
            problems.append(f"{a} -> {b} ({kind}): {why}")

    # A cycle is always also an upward edge; name it anyway.
    graph = {}
    for (a, b) in edges:
        graph.setdefault(a, set()).add(b)
    state = {}

    def visit(node, path):
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cyc = path[path.index(nxt):] + [nxt]
                problems.append("cycle: " + " -> ".join(cyc))
            elif not state.get(nxt):
                visit(nxt, path + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if not state.get(node):
            visit(node, [node])

    for p in problems:
        print("layers: " + p)
    print(f"layers: {len(edges)} edges, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
