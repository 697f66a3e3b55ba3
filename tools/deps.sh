#!/bin/sh
# deps.sh - installs the Debian packages hearsay needs, only when something is
# missing. Usage: tools/deps.sh build|check|bench|peers. Uses apt-get non-interactively;
# downloads nothing else. Exits non-zero with a clear message if it cannot.
set -eu
what=${1:-build}

# pkg-config module -> Debian package
missing=""
need_pc() { pkg-config --exists "$1" 2>/dev/null || missing="$missing $2"; }
need_cmd() { command -v "$1" >/dev/null 2>&1 || missing="$missing $2"; }

need_cmd cc gcc
need_cmd make make
need_cmd pkg-config pkg-config
if command -v pkg-config >/dev/null 2>&1; then
    need_pc zlib zlib1g-dev
    need_pc libutf8proc libutf8proc-dev
    need_pc jansson libjansson-dev
    need_pc libxml-2.0 libxml2-dev
    need_pc sqlite3 libsqlite3-dev
    need_pc libmicrohttpd libmicrohttpd-dev
    if [ "$what" = check ]; then
        need_pc criterion libcriterion-dev
    fi
else
    missing="$missing zlib1g-dev libutf8proc-dev libjansson-dev libxml2-dev libsqlite3-dev"
    missing="$missing libmicrohttpd-dev"
    [ "$what" = check ] && missing="$missing libcriterion-dev"
fi
if [ "$what" = bench ]; then
    # make bench-serve: load generators and a client
    need_cmd wrk wrk
    need_cmd ab apache2-utils
    need_cmd curl curl
    need_cmd python3 python3
fi
if [ "$what" = peers ]; then
    # make bench-peers: wall, CPU and peak RSS of whole processes
    need_cmd /usr/bin/time time
fi
if [ "$what" = check ]; then
    need_cmd gzip gzip
    # tests/serve.sh: the API with curl, the web UI in headless Chromium
    need_cmd curl curl
    command -v chromium >/dev/null 2>&1 || missing="$missing chromium fonts-dejavu-core"
    need_cmd python3 python3
    need_cmd sqlite3 sqlite3
    # tests/slurm.sh: a single-host Slurm cluster (tools/slurm-local.sh)
    need_cmd sbatch slurm-wlm
    need_cmd munged munge
    # the call-graph check (tools/callgraph.py) reads Universal Ctags' JSON
    ctags --version 2>/dev/null | grep -q "Universal Ctags" || missing="$missing universal-ctags"
fi

[ -z "$missing" ] && exit 0

echo "hearsay: installing missing Debian packages:$missing" >&2
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
        echo "hearsay: need root (or sudo) to run: apt-get install$missing" >&2
        exit 1
    fi
else
    SUDO=""
fi
export DEBIAN_FRONTEND=noninteractive
# a fresh machine has no package lists yet; refresh them once if install fails
# shellcheck disable=SC2086
if ! $SUDO apt-get install -y -q --no-install-recommends $missing >/dev/null 2>&1; then
    $SUDO apt-get update -q >/dev/null
    $SUDO apt-get install -y -q --no-install-recommends $missing >/dev/null
fi
echo "hearsay: packages installed" >&2
