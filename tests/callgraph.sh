#!/usr/bin/env bash
# callgraph.sh - tests of tools/callgraph.py on the fixture trees of
# tests/callgraph/ (tiny C files of our own, one rule each): exit codes and
# the key lines of its output. Ends with "callgraph-tests: N passed, N failed"
# and exits non-zero on a failure. Run from the top of the tree.
set -u
TOOL=tools/callgraph.py
F=tests/callgraph
T=$(mktemp -d /tmp/hearsay-callgraph.XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
# run ARGS...: runs the tool; sets rc, out ($T/out) and err ($T/err)
run() { python3 "$TOOL" "$@" >"$T/out" 2>"$T/err"; rc=$?; }
expect_rc() { [ "$rc" -eq "$1" ] && ok || no "$2: exit $rc, expected $1; stderr: $(head -c 400 "$T/err")"; }
has() { grep -qF -- "$1" "$T/$2" && ok || no "$3: '$1' not in $2: $(head -c 400 "$T/$2")"; }
hasnt() { grep -qF -- "$1" "$T/$2" && no "$3: '$1' in $2" || ok; }

# ---- usage -------------------------------------------------------------
run --help; expect_rc 0 "--help"; has "usage:" out "--help to stdout"
run; expect_rc 2 "no directory"
run --bogus "$F/clean"; expect_rc 2 "unknown option"
run "$F/no-such-dir"; expect_rc 2 "missing directory"; has "not a directory" err "missing directory named"
# the interpreter itself (python3 may be a shim script), on a PATH without ctags
py=$(python3 -c 'import sys; print(sys.executable)')
mkdir "$T/bin"
PATH=$T/bin "$py" "$TOOL" "$F/clean" >"$T/out" 2>"$T/err"; rc=$?
expect_rc 2 "ctags missing"; has "universal-ctags" err "ctags missing: says what to install"

# ---- clean: three layers, a static inline, a macro, names in comments and strings
run "$F/clean" --levels --edges; expect_rc 0 "clean"
has "callgraph: 3 modules, 3 edges, no cycle" err "clean summary"
has "level 0: base" out "clean level 0"; has "level 1: mid" out "clean level 1"
has "level 2: top" out "clean level 2"
has "top_run -> base_twice ($F/clean/base.h)" out "static inline in a header belongs to its module"
has "#define ADD -> base_add" out "a macro body is code of its file"
hasnt "base ->" out "comments and strings are no calls"
[ "$(wc -l <"$T/err")" -eq 1 ] && ok || no "clean: one line on stderr: $(cat "$T/err")"
run "$F/clean" --dot; expect_rc 0 "clean --dot"
has '"top" -> "mid" [label=1];' out "dot edge"; has "digraph callgraph {" out "dot header"

# ---- cycle: a -> b -> c -> a, the last edge through a function pointer
run "$F/cycle"; expect_rc 1 "cycle"
has "callgraph: cycle between 3 modules: a b c (e.g. a -> b -> c -> a)" err "cycle named"
has "$F/cycle/a.c:9 a_start -> b_step ($F/cycle/b.c)" err "cycle edge a -> b"
has "$F/cycle/c.c:6 c_finish -> &a_done ($F/cycle/a.c)" err "cycle edge through a pointer"
has "callgraph: 3 modules, 3 edges, 1 cycle" err "cycle summary"
run "$F/cycle" --levels; expect_rc 1 "cycle --levels"; has "level 0: {a b c}" out "a cycle is one level"

# ---- static: one.c and two.c each call a static helper; three.c has a public one
run "$F/static" --edges -v; expect_rc 0 "static"
has "callgraph: 3 modules, 1 edge, no cycle" err "static summary"
has "two -> three (1)" out "the one real edge"; hasnt "one -> three" out "a static helper is not three's"
has "$F/static/one.c:8 own name helper" err "-v names the static helper"

# ---- fnptr: worker's functions only as values (table, file-scope pointer, qsort)
run "$F/fnptr" --edges; expect_rc 0 "fnptr"
has "table -> worker (4)" out "every function named as a value is an edge"
has "$F/fnptr/table.c:13 ops -> &worker_run" out "a table of functions"
has "$F/fnptr/table.c:17 fallback -> &worker_stop" out "a file-scope pointer"
has "$F/fnptr/table.c:21 table_call -> &worker_cmp" out "a callback"

# ---- member: members, tag, enumerator, parameter, local, label, macro parameter
run "$F/member" --edges -v; expect_rc 0 "member"
has "callgraph: 2 modules, 0 edges, no cycle" err "member: no edge"
has "$F/member/user.c:11 member count" err "designated initializer"
has "$F/member/user.c:12 member count" err "-> and . members"
has "$F/member/user.c:12 member size" err "a member named as a function and nothing else"
has "$F/member/user.c:12 local of user_run reset" err "a local"
has "$F/member/user.c:12 own name limit" err "an enumerator of the module"
has "$F/member/user.c:14 local of user_run count" err "a label"
has "$F/member/user.h:5 member size" err "a member declaration"

# ---- api: inside.c calls hs_thing_new; client.c may
run "$F/api"; expect_rc 1 "api without clients"
has "public API called inside the library: $F/api/inside.c:6 inside_run -> hs_thing_new" err "api: inside"
has "public API called inside the library: $F/api/client.c:6" err "api: client not listed"
has "callgraph: 3 modules, 2 edges, 2 internal hs_* calls" err "api summary"
run "$F/api" --api-clients "$F/api/client.c"; expect_rc 1 "api with a client"
hasnt "$F/api/client.c" err "a listed client may call hs_*"
has "$F/api/inside.c:6 inside_run -> hs_thing_new" err "api: inside still"
hasnt "core_helper" err "internal functions are not the API"
run "$F/api" --api-clients "$F/api/client.c" "$F/api/inside.c"; expect_rc 0 "api all clients"
run "$F/api" --api-clients "$F/api/"; expect_rc 0 "a directory of clients"

# ---- several directories: one graph, stems shared across them kept apart
run "$F/clean" "$F/cycle" "$F/api" --api-clients "$F/api"; expect_rc 1 "three trees"
has "callgraph: 9 modules, 8 edges, 1 cycle" err "three trees summary"

# ---- layers: a table of tiers in a Markdown file (clean has base < mid < top)
printf '| module | tier |\n|---|---|\n| `base` | 0 |\n| `mid` | 1 |\n| `top` | 2 |\n' >"$T/ok.md"
run "$F/clean" --layers "$T/ok.md"; expect_rc 0 "layers that hold"
printf '| `base` | 0 |\n| `mid` | 2 |\n| `top` | 1 |\n| `gone` | 3 |\n' >"$T/bad.md"
run "$F/clean" --layers "$T/bad.md"; expect_rc 1 "layers that do not hold"
has "top (tier 1) calls up into mid (tier 2)" err "an edge to a higher tier"
has "gone is in the layer table" err "a module the sources lack"
printf '| `base` | 0 |\n| `top` | 2 |\n' >"$T/short.md"
run "$F/clean" --layers "$T/short.md"; expect_rc 1 "a module missing from the table"
has "mid is not in the layer table" err "the module missing named"
printf '| `base` | 0 | x | — |\n| `mid` | 1 | x | base |\n| `top` | 2 | x | base, mid, libc |\n' >"$T/calls.md"
run "$F/clean" --layers "$T/calls.md"; expect_rc 0 "a calls column that holds"
printf '| `base` | 0 | x | — |\n| `mid` | 1 | x | base, top |\n| `top` | 2 | x | mid |\n' >"$T/calls2.md"
run "$F/clean" --layers "$T/calls2.md"; expect_rc 1 "a calls column that does not hold"
has "top calls base, which its row" err "a call the row does not list"
has "mid's row in $T/calls2.md lists top, which it does not call" err "a listed call that is not made"
printf 'no table here\n' >"$T/none.md"
run "$F/clean" --layers "$T/none.md"; expect_rc 2 "a file without a table"

echo "callgraph-tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
