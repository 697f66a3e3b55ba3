#!/usr/bin/env python3
"""validate_events.py - checks a meeting-event gold file (tests/events/dev.jsonl) against the
article texts and the format of ../shared/data/events/GUIDELINES.md: every span [start, end, text]
is text == article[start:end] in code points, inside the article, on word boundaries, without
surrounding space; participants have no leading determiner and no duplicate; factuality is one of
the five labels; records are sorted by article and trigger start, with no duplicate trigger.

usage: validate_events.py GOLD.jsonl TEXT_DIR   (exit 0 when valid; each problem on stderr)
"""
import json
import os
import sys

LABELS = {"asserted", "hedged", "negated", "future", "hypothetical"}
KEYS = ["article", "trigger", "participants", "factuality", "source", "time", "place"]


def word_char(c):
    return c.isalnum()


def check_span(text, span, what, where, problems):
    if not (isinstance(span, list) and len(span) == 3 and isinstance(span[0], int)
            and isinstance(span[1], int) and isinstance(span[2], str)):
        problems.append("%s: %s is not [start, end, text]" % (where, what))
        return
    s, e, t = span
    if not 0 <= s < e <= len(text):
        problems.append("%s: %s [%d, %d] is outside the article" % (where, what, s, e))
        return
    if text[s:e] != t:
        problems.append("%s: %s [%d, %d] is %r in the article, not %r" % (where, what, s, e, text[s:e], t))
    if t != t.strip():
        problems.append("%s: %s %r has surrounding space" % (where, what, t))
    if (s > 0 and word_char(text[s - 1]) and word_char(text[s])) or \
            (e < len(text) and word_char(text[e - 1]) and word_char(text[e])):
        problems.append("%s: %s %r cuts a word" % (where, what, t))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    gold, tdir = sys.argv[1], sys.argv[2]
    problems, texts, last, seen = [], {}, None, set()
    n = 0
    for lineno, line in enumerate(open(gold, encoding="utf-8"), 1):
        if not line.strip():
            continue
        n += 1
        where = "%s: line %d" % (gold, lineno)
        try:
            g = json.loads(line)
        except ValueError as err:
            problems.append("%s: not JSON: %s" % (where, err))
            continue
        if list(g) != KEYS:
            problems.append("%s: keys %s, expected %s" % (where, list(g), KEYS))
            continue
        art = g["article"]
        if art not in texts:
            path = os.path.join(tdir, art + ".txt")
            if not os.path.exists(path):
                problems.append("%s: no article %s" % (where, path))
                continue
            texts[art] = open(path, encoding="utf-8").read()
        text = texts[art]
        check_span(text, g["trigger"], "trigger", where, problems)
        if not isinstance(g["participants"], list):
            problems.append("%s: participants is not a list" % where)
        else:
            for p in g["participants"]:
                check_span(text, p, "participant", where, problems)
                if isinstance(p, list) and len(p) == 3 and isinstance(p[2], str) and \
                        p[2].split(" ")[0].lower() in ("the", "a", "an"):
                    problems.append("%s: participant %r starts with a determiner" % (where, p[2]))
            spans = [tuple(p[:2]) for p in g["participants"] if isinstance(p, list)]
            if len(spans) != len(set(spans)):
                problems.append("%s: a participant is listed twice" % where)
        for k in ("source", "time", "place"):
            if g[k] is not None:
                check_span(text, g[k], k, where, problems)
        if g["factuality"] not in LABELS:
            problems.append("%s: factuality %r is not one of %s" % (where, g["factuality"], sorted(LABELS)))
        key = (art, g["trigger"][0] if isinstance(g["trigger"], list) else -1)
        if last is not None and key < last:
            problems.append("%s: not sorted by article and trigger start" % where)
        if key in seen:
            problems.append("%s: a second record for the same trigger" % where)
        seen.add(key)
        last = key
    for p in problems:
        print(p, file=sys.stderr)
    print("%s: %d records, %d articles, %d problems" % (gold, n, len(texts), len(problems)))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
