#!/usr/bin/env python3
"""callgraph - the file-level call graph of C sources: fails on a cycle.

usage: callgraph.py DIR... [--api-clients PATH...] [--layers FILE] [--levels] [--dot]
                    [--edges] [-v]

A module is a file stem (foo.c and foo.h are one node). Universal Ctags finds
the functions each file defines; our own tokenizer finds where code names a
function of another module, called or used as a value (a pointer is a
dependency too). Fails (exit 1) on a cycle between modules, each printed with
one reference per edge, and on a call of a public hs_* function defined in
another file from a file not under --api-clients; with --layers, also on a
module the layer table of FILE (docs/architecture.md) does not list, lists
but that does not exist, or an edge to a higher tier; exit 2 on a usage error or
without Universal Ctags. Does not expand macros (a call in a macro is an edge
of the file defining it), evaluate #if, follow #include or read subdirectories.
"""
import argparse
import bisect
import json
import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict

INSTALL = "install Universal Ctags (Debian: apt-get install universal-ctags)"
AGGREGATE = {"struct", "union", "enum"}
# comments (with backslash-newline), then string and character literals
LITERAL = re.compile(r"//(?:[^\\\n]|\\.)*|/\*.*?\*/"
                     r"|(?:(?<!\w)(?:u8|[uUL]))?\"(?:[^\"\\\n]|\\.)*\""
                     r"|(?:(?<!\w)[uUL])?'(?:[^'\\\n]|\\.)*'", re.S)
TOKEN = re.compile(r"\.?\d(?:[eEpP][+-]|[\w.])*|[A-Za-z_]\w*|->|##|\"\"|\S")
IDENT = re.compile(r"[A-Za-z_]\w*$")
DEFINE = re.compile(r"\s*#\s*define\s+(\w+)(?:\(([^)]*)\))?(.*)", re.S)


def die(msg):
    print("callgraph: " + msg, file=sys.stderr)
    sys.exit(2)


def ctags(paths):
    """Tags of the files as dicts (functions, locals, and every other name)."""
    exe = shutil.which("ctags")
    if exe is None:
        die("ctags not found; " + INSTALL)
    ver = subprocess.run([exe, "--version"], capture_output=True, text=True)
    feats = subprocess.run([exe, "--list-features"], capture_output=True, text=True)
    if "Universal Ctags" not in ver.stdout or "json" not in feats.stdout:
        die("%s is not Universal Ctags with JSON output; %s" % (exe, INSTALL))
    cmd = [exe, "--output-format=json", "--language-force=C", "--kinds-C=fdtvelzL",
           "--fields=+nezf", "--fields-C=+{properties}", "-f", "-"] + paths
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        die("ctags failed: " + res.stderr.strip())
    tags = [json.loads(line) for line in res.stdout.splitlines() if line.strip()]
    return [t for t in tags if t.get("_type") == "tag"]


def logical_lines(path):
    """Yields (line number, tokens, macro): a physical line of code with macro
    None, or the body of a #define with macro (name, set of its parameters)."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    text = LITERAL.sub(lambda m: (" " if m.group(0)[0] == "/" else '""'
                                  if m.group(0)[-1] == '"' else "0")
                       + "\n" * m.group(0).count("\n"), text)
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        start = i
        if lines[i].lstrip().startswith("#"):
            while lines[i].rstrip().endswith("\\") and i + 1 < len(lines):
                i += 1
            m = DEFINE.match(" ".join(l.rstrip().rstrip("\\") for l in lines[start:i + 1]))
            if m:
                params = set((m.group(2) or "").replace(",", " ").split())
                yield start + 1, TOKEN.findall(m.group(3)), (m.group(1), params)
        else:
            yield start + 1, TOKEN.findall(lines[i]), None
        i += 1


def references(path, note):
    """Yields (line, name, is_call, macro name or None) for each name in PATH
    that may refer to a function: in a function body, in an initializer at file
    scope (a table of functions) or in a #define body. Not one, as C scopes
    names: a name after `.` or `->` (a member, a designated initializer) or
    after struct/union/enum, inside a struct or union body, declared at file
    scope (prototypes), a macro's parameter or a name pasted or stringified
    (#, ##). NOTE is told of the members and tags skipped, for -v."""
    stack = []              # per open brace: 'F'unction, 'B'lock, 'I'nitializer, 'T'ype
    paren, init = 0, False  # at file scope: paren depth; inside `= ...`
    toks = []               # (line, token) of the code, without the macros
    for line, tt, macro in logical_lines(path):
        if macro is None:
            toks.extend((line, t) for t in tt)
            continue
        for j, t in enumerate(tt):   # a macro body is an expression of its own
            prev = tt[j - 1] if j else ""
            nxt = tt[j + 1] if j + 1 < len(tt) else ""
            if not IDENT.match(t) or t in macro[1] or "#" in (prev[:1], nxt[:1]):
                continue
            if prev in (".", "->"):
                note("member", path, line, t)
            elif prev in AGGREGATE:
                note("tag", path, line, t)
            else:
                yield line, t, nxt == "(", macro[0]
    for i, (line, t) in enumerate(toks):
        prev = toks[i - 1][1] if i else ""
        if t == "{":
            if prev in AGGREGATE or (i > 1 and toks[i - 2][1] in AGGREGATE and IDENT.match(prev)):
                kind = "T"
            elif not stack:
                kind = "I" if init else "F" if prev == ")" else "B"
            else:
                kind = "I" if stack[-1] == "I" else "B"
            stack.append(kind)
        elif t == "}":
            if not stack:
                print("callgraph: %s:%d: unbalanced '}' (braces split by #if?)" % (path, line),
                      file=sys.stderr)
            else:
                stack.pop()
        elif not stack and t in "();,=":
            paren += (t == "(") - (t == ")")
            if paren == 0 and t in ";,=":
                init = t == "="
        elif IDENT.match(t):
            if prev in (".", "->") or "T" in stack:
                note("member", path, line, t)
            elif prev in AGGREGATE:
                note("tag", path, line, t)
            elif stack or init:
                yield line, t, i + 1 < len(toks) and toks[i + 1][1] == "(", None
    if stack:
        print("callgraph: %s: %d brace(s) left open at the end" % (path, len(stack)),
              file=sys.stderr)


class Graph:
    def __init__(self, dirs):
        self.files = []
        for d in dirs:
            if not os.path.isdir(d):
                die("%s: not a directory" % d)
            self.files += sorted(os.path.join(d, f) for f in os.listdir(d)
                                 if f.endswith((".c", ".h")))
        stems = defaultdict(set)
        for p in self.files:
            stems[self.stem(p)].add(os.path.dirname(p))
        # a module is its stem, or dir/stem when two directories share a stem
        self.module = {p: self.stem(p) if len(stems[self.stem(p)]) == 1
                       else os.path.splitext(p)[0] for p in self.files}
        self.ambiguous = set()    # (path, line, what) for -v
        self.edges = defaultdict(list)  # (A, B) -> [site text]
        self.api = []             # sites of hs_* calls from a non-client
        self.read_tags()

    @staticmethod
    def stem(path):
        return os.path.splitext(os.path.basename(path))[0]

    def read_tags(self):
        self.public = defaultdict(list)  # name -> [(module, path, line)]
        self.static = set()              # (path, name) of a static function in a .c
        self.own = defaultdict(set)      # module -> every name it defines
        self.shadow = defaultdict(set)   # (path, function) -> locals, parameters, labels
        self.ranges = defaultdict(list)  # path -> sorted [(first line, last line, function)]
        self.variables = defaultdict(list)  # path -> sorted [(line, file-scope variable)]
        for t in ctags(self.files) if self.files else []:
            path, name, kind = t["path"], t["name"], t["kind"]
            mod = self.module[path]
            if kind in ("local", "parameter", "label"):
                if t.get("scopeKind") == "function":
                    self.shadow[(path, t["scope"])].add(name)
                continue
            self.own[mod].add(name)
            if kind == "variable":
                self.variables[path].append((t["line"], name))
            if kind != "function":
                continue
            self.ranges[path].append((t["line"], t.get("end", t["line"]), name))
            if path.endswith(".c") and "static" in t.get("properties", ""):
                self.static.add((path, name))
            else:
                self.public[name].append((mod, path, t["line"]))
        for name, defs in self.public.items():
            if len({m for m, _, _ in defs}) > 1:
                print("callgraph: %s defined in more than one module: %s" % (
                    name, ", ".join("%s:%d" % (p, l) for _, p, l in defs)), file=sys.stderr)
        for r in list(self.ranges.values()) + list(self.variables.values()):
            r.sort()

    def caller(self, path, line):
        """The function around LINE, else None (file scope)."""
        r = self.ranges[path]
        i = bisect.bisect_right(r, (line, float("inf"), "")) - 1
        return r[i][2] if i >= 0 and r[i][1] >= line else None

    def initialized(self, path, line):
        """The file-scope variable whose initializer holds LINE (its latest)."""
        v = self.variables[path]
        i = bisect.bisect_right(v, (line, "\uffff")) - 1
        return v[i][1] if i >= 0 else "(file scope)"

    def note(self, kind, path, line, name):
        """Remembers a name skipped by a rule when another module defines it."""
        mod = self.module[path]
        others = [p for m, p, _ in self.public.get(name, []) if m != mod]
        if others:
            self.ambiguous.add((path, line, "%s %s: not a reference to %s" % (
                kind, name, ", ".join(others))))

    def build(self, clients):
        """Edges from the references: a name is first a local, parameter or
        label of the enclosing function (anywhere in it: ctags gives no block
        scopes), then the file's static function, then anything the module
        itself defines (function, macro, type, variable, enumerator), and only
        then a function another module defines and does not keep static."""
        for path in self.files:
            mod = self.module[path]
            for line, name, call, macro in references(path, self.note):
                if name not in self.public:
                    continue
                fn = None if macro else self.caller(path, line)
                if macro is None and name in self.shadow[(path, fn)]:
                    self.note("local of %s" % fn, path, line, name)
                    continue
                if (path, name) in self.static or name in self.own[mod]:
                    if not any(m == mod for m, _, _ in self.public[name]):
                        self.note("own name", path, line, name)
                    continue
                who = "#define " + macro if macro else fn or self.initialized(path, line)
                for callee_mod, callee_path, _ in self.public[name]:
                    site = "%s:%d %s -> %s%s (%s)" % (path, line, who, "" if call else "&",
                                                      name, callee_path)
                    self.edges[(mod, callee_mod)].append(site)
                    if name.startswith("hs_") and not self.client(path, clients):
                        self.api.append(site)

    @staticmethod
    def client(path, clients):
        p = os.path.normpath(path)
        return any(p == c or p.startswith(c.rstrip(os.sep) + os.sep) for c in clients)

    def components(self):
        """Tarjan's strongly connected components, callees before callers."""
        nodes = sorted(set(self.module.values()))
        succ = defaultdict(set)
        for a, b in self.edges:
            succ[a].add(b)
        index, low, stack, on, comps = {}, {}, [], set(), []

        def visit(v):
            index[v] = low[v] = len(index)
            stack.append(v)
            on.add(v)
            for w in sorted(succ[v]):
                if w not in index:
                    visit(w)
                    low[v] = min(low[v], low[w])
                elif w in on:
                    low[v] = min(low[v], index[w])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                comps.append(sorted(comp))
        sys.setrecursionlimit(max(1000, 4 * len(nodes)))
        for v in nodes:
            if v not in index:
                visit(v)
        return nodes, succ, comps

    def levels(self, succ, comps):
        """Level of each component: 0 calls nothing else, n is 1 + its callees' highest."""
        comp_of = {m: i for i, c in enumerate(comps) for m in c}
        level = []
        for i, comp in enumerate(comps):   # Tarjan gives callees first
            callees = {comp_of[w] for v in comp for w in succ[v]} - {i}
            level.append(1 + max(level[j] for j in callees) if callees else 0)
        return level


def cycle_path(comp, succ):
    """A shortest cycle through the component's first module, for the reader."""
    start, members = comp[0], set(comp)
    prev, todo = {start: None}, [start]
    for v in todo:
        for w in sorted(succ[v] & members):
            if w == start:
                path = [v]
                while prev[path[-1]] is not None:
                    path.append(prev[path[-1]])
                return path[::-1] + [start]
            if w not in prev:
                prev[w] = v
                todo.append(w)
    return comp


LAYER_ROW = re.compile(r"^\|\s*`([\w/]+)`\s*\|\s*(\d+)\s*\|(?:[^|]*\|\s*([^|]*?)\s*\|)?")


def check_layers(path, nodes, edges):
    """What in the layer table of path disagrees with the graph: a module
    missing from it or only in it, every edge from a lower tier up, and,
    when a row has a fourth column (what the module calls), every module
    called but not listed there or listed but not called."""
    try:
        text = open(path, encoding="utf-8").read()
    except OSError as e:
        die("%s: %s" % (path, e.strerror))
    tier, listed = {}, {}
    for line in text.splitlines():
        m = LAYER_ROW.match(line)
        if m:
            tier[m.group(1)] = int(m.group(2))
            if m.group(3) is not None:
                listed[m.group(1)] = {w for w in re.split(r"[,\s]+", m.group(3)) if w}
    if not tier:
        die("%s has no layer table rows ('| `module` | TIER | ...')" % path)
    errors = ["%s is not in the layer table of %s" % (n, path) for n in sorted(nodes) if n not in tier]
    errors += ["%s is in the layer table of %s but not in the sources" % (n, path)
               for n in sorted(tier) if n not in nodes]
    for (a, b), sites in sorted(edges.items()):
        if a in tier and b in tier and tier[a] < tier[b]:
            errors.append("%s (tier %d) calls up into %s (tier %d): %s" % (
                a, tier[a], b, tier[b], sites[0]))
        if a in listed and b not in listed[a]:
            errors.append("%s calls %s, which its row in %s does not list: %s" % (
                a, b, path, sites[0]))
    for a in sorted(listed):
        for b in sorted(listed[a] & set(nodes)):
            if (a, b) not in edges:
                errors.append("%s's row in %s lists %s, which it does not call" % (a, path, b))
    return errors


def main():
    ap = argparse.ArgumentParser(
        description="File-level call graph of the C sources in DIR...; fails on a "
        "cycle between files or an hs_* call inside the library.",
        epilog="Exit 0 when clean, 1 on a cycle or an hs_* call from a file not "
        "under --api-clients, 2 on a usage error or without Universal Ctags. "
        "Findings go to stderr; --levels, --dot and --edges print to stdout.")
    ap.add_argument("dirs", nargs="+", metavar="DIR", help="directories of .c and .h files")
    ap.add_argument("--api-clients", nargs="+", default=[], metavar="PATH",
                    help="files, or directories of them, that may call hs_* functions "
                    "(after DIR...)")
    ap.add_argument("--layers", metavar="FILE",
                    help="a Markdown file whose table rows '| `module` | TIER | ...' give every "
                    "module its tier: a module may call only its own tier or lower ones")
    ap.add_argument("--levels", action="store_true", help="print the modules in layers, level 0 calling no other "
                    "module (the modules of a cycle in braces, as one)")
    ap.add_argument("--dot", action="store_true", help="print the graph in Graphviz dot")
    ap.add_argument("--edges", action="store_true", help="print every edge with its references")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="report the names the scoping rules kept from being edges")
    args = ap.parse_args()
    g = Graph(args.dirs)
    g.build([os.path.normpath(c) for c in args.api_clients])
    nodes, succ, comps = g.components()
    level = g.levels(succ, comps)
    cycles = [c for c in comps if len(c) > 1]
    incycle = {(a, b) for c in cycles for a in c for b in c}

    if args.edges:
        for (a, b), sites in sorted(g.edges.items()):
            print("%s -> %s (%d)" % (a, b, len(sites)))
            for s in sites:
                print("    " + s)
    if args.levels:
        for n in range(max(level) + 1 if level else 0):
            names = ["{%s}" % " ".join(c) if len(c) > 1 else c[0]
                     for i, c in enumerate(comps) if level[i] == n]
            print("level %d: %s" % (n, " ".join(sorted(names))))
    if args.dot:   # callers above callees, one rank per level
        print("digraph callgraph {\n    node [shape=box];")
        for n in range(max(level) + 1 if level else 0):
            same = " ".join('"%s";' % m for i, c in enumerate(comps) if level[i] == n for m in c)
            print("    { rank=same; %s }" % same)
        for (a, b), sites in sorted(g.edges.items()):
            red = ", color=red" if (a, b) in incycle else ""
            print('    "%s" -> "%s" [label=%d%s];' % (a, b, len(sites), red))
        print("}")

    err = sys.stderr
    if args.verbose:
        for path, line, what in sorted(g.ambiguous):
            print("callgraph: skipped: %s:%d %s" % (path, line, what), file=err)
    for c in cycles:
        print("callgraph: cycle between %d modules: %s (e.g. %s)" % (
            len(c), " ".join(c), " -> ".join(cycle_path(c, succ))), file=err)
        for a in c:
            for b in sorted(succ[a] & set(c)):
                more = len(g.edges[(a, b)]) - 1
                print("    %s%s" % (g.edges[(a, b)][0], " (+%d more)" % more if more else ""),
                      file=err)
    for s in g.api:
        print("callgraph: public API called inside the library: " + s, file=err)
    layer_errors = check_layers(args.layers, nodes, g.edges) if args.layers else []
    for s in layer_errors:
        print("callgraph: " + s, file=err)
    found = []
    if cycles:
        found.append("%d cycle%s" % (len(cycles), "s" if len(cycles) > 1 else ""))
    if g.api:
        found.append("%d internal hs_* call%s" % (len(g.api), "s" if len(g.api) > 1 else ""))
    if layer_errors:
        found.append("%d layering error%s" % (len(layer_errors),
                                                "s" if len(layer_errors) > 1 else ""))
    print("callgraph: %d modules, %d edge%s, %s" % (len(nodes), len(g.edges),
                                                    "" if len(g.edges) == 1 else "s",
                                                    ", ".join(found) or "no cycle"), file=err)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
