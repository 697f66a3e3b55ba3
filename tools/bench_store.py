#!/usr/bin/env python3
"""bench_store.py - latency of `hearsay search` and `hearsay trace` on a corpus.

Usage: bench_store.py HEARSAY DB [--queries N]

Picks N statements of the corpus deterministically (every k-th direct
quotation of at least eight words, by aid) and times, process start
included, one `trace DB CONTENT` per statement, one `search DB W1 W2` with
the two longest words of its content, and one `search DB --speaker NAME`
per distinct resolved speaker among them. Prints one line per command:
median and p99 wall time in milliseconds, and how many runs found
something (exit status 0). Reads the database with Python's sqlite3 only to
choose the queries.
"""
import argparse
import re
import sqlite3
import statistics
import subprocess
import sys
import time


def timed(cmd):
    t = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - t) * 1000, r.returncode


def summary(name, runs):
    ms = sorted(t for t, _ in runs)
    p99 = ms[min(len(ms) - 1, int(round(0.99 * (len(ms) - 1))))]
    found = sum(1 for _, rc in runs if rc == 0)
    print("%-16s %4d runs  median %6.1f ms  p99 %6.1f ms  found %d" % (
        name, len(ms), statistics.median(ms), p99, found))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("hearsay")
    ap.add_argument("db")
    ap.add_argument("--queries", type=int, default=100)
    a = ap.parse_args()
    db = sqlite3.connect("file:%s?mode=ro" % a.db, uri=True)
    rows = db.execute("SELECT content, speaker, eid FROM attributions WHERE kind = 'direct'"
                      " AND words >= 8 ORDER BY aid").fetchall()
    if not rows:
        sys.exit("bench_store: no direct quotation of eight words in " + a.db)
    step = max(1, len(rows) // a.queries)
    picked = rows[::step][:a.queries]
    traces, searches, speakers = [], [], []
    seen = set()
    for content, speaker, eid in picked:
        traces.append(timed([a.hearsay, "trace", a.db, content, "--format", "json"]))
        words = sorted(set(re.findall(r"\w{4,}", content)), key=lambda w: (-len(w), w))[:2]
        searches.append(timed([a.hearsay, "search", a.db, " ".join(words), "--format", "json"]))
        if eid and speaker not in seen:
            seen.add(speaker)
            speakers.append(timed([a.hearsay, "search", a.db, "--speaker", speaker,
                                   "--format", "json"]))
    summary("trace", traces)
    summary("search words", searches)
    if speakers:
        summary("search --speaker", speakers)


if __name__ == "__main__":
    main()
