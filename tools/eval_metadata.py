#!/usr/bin/env python3
"""eval_metadata - scores the date, outlet and author that `hearsay extract
--format json` found against a hand-written gold TSV (id, date, outlet,
author, evidence; "null" where the page has none). Dates: the exact day
(and within one day, for time zones); outlets: case-insensitive, without a
leading "the", a domain suffix, punctuation and spaces; authors: the set of
name words, exact and overlapping.  Usage: eval_metadata.py GOLD PRED.jsonl"""
import datetime
import email.utils
import json
import os
import re
import sys
import unicodedata

MONTHS = {m: i + 1 for i, m in enumerate(
    ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'])}


def day(s):
    """The calendar day a predicted date names, as written (no zone change)."""
    if not s:
        return None
    s = s.strip()
    m = re.match(r'(\d{4})-(\d\d)-(\d\d)', s)
    if m:
        return '%s-%s-%s' % m.groups()
    t = email.utils.parsedate_tz(s)
    if t and t[0] > 1000:
        return '%04d-%02d-%02d' % t[:3]
    m = re.match(r'([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})', s)
    if m and m.group(1).lower() in MONTHS:
        return '%s-%02d-%02d' % (m.group(3), MONTHS[m.group(1).lower()], int(m.group(2)))
    return 'unparsed:' + s


def near(a, b):
    try:
        da = datetime.date.fromisoformat(a)
        db = datetime.date.fromisoformat(b)
    except (TypeError, ValueError):
        return False
    return abs((da - db).days) <= 1


def norm_outlet(s):
    s = unicodedata.normalize('NFKC', s or '').lower().strip()
    s = re.sub(r'^www\.', '', s)
    s = re.sub(r'^the\s+', '', s)
    s = re.sub(r'\.(com|net|org|info|co\.uk|co|ru|in|br|kr|jp|ca|de)$', '', s)
    return ''.join(c for c in s if c.isalnum())


STOP = {'by', 'and', 'und', 'et', 'y', 'e', 'staff', 'writer', 'reporter'}


def name_words(s):
    s = unicodedata.normalize('NFKC', s or '').lower()
    return {w for w in re.split(r'[^\w]+', s) if w and w not in STOP}


def main():
    if len(sys.argv) != 3:
        sys.stderr.write('usage: eval_metadata.py GOLD.tsv PRED.jsonl\n')
        sys.exit(2)
    gold = {}
    with open(sys.argv[1], encoding='utf-8') as f:
        head = f.readline().rstrip('\n').split('\t')
        for line in f:
            if line.strip():
                row = dict(zip(head, line.rstrip('\n').split('\t')))
                gold[row['id']] = {k: (None if v == 'null' else v) for k, v in row.items()}
    pred = {}
    with open(sys.argv[2], encoding='utf-8') as f:
        for line in f:
            if line.strip():
                o = json.loads(line)
                pid = os.path.basename(str(o.get('id', '')))
                pid = re.sub(r'\.html(\.gz)?$', '', pid)
                pred[pid] = o
    n = len(gold)
    c = dict.fromkeys(['date', 'date1', 'null_ok', 'null_wrong', 'wrong', 'missed',
                       'outlet', 'author', 'author_part', 'missing'], 0)
    wrong = []
    for pid, g in sorted(gold.items()):
        o = pred.get(pid)
        if o is None:
            c['missing'] += 1
            o = {}
        d = day(o.get('published') or o.get('date'))
        if g['date'] is None:
            c['null_ok' if d is None else 'null_wrong'] += 1
            c['date'] += d is None
            c['date1'] += d is None
        elif d is None:
            c['missed'] += 1
        else:
            c['date'] += d == g['date']
            c['date1'] += near(d, g['date'])
            c['wrong'] += d != g['date']
        if d != g['date']:
            wrong.append('date   %s gold %s pred %s' % (pid[:12], g['date'], d))
        go, po = norm_outlet(g['outlet']), norm_outlet(o.get('outlet'))
        c['outlet'] += go == po
        if go != po:
            wrong.append('outlet %s gold %s pred %s' % (pid[:12], g['outlet'], o.get('outlet')))
        ga, pa = name_words(g['author']), name_words(o.get('byline'))
        c['author'] += ga == pa
        c['author_part'] += ga == pa or bool(ga & pa)
        if ga != pa:
            wrong.append('author %s gold %s pred %s' % (pid[:12], g['author'], o.get('byline')))
    if os.environ.get('EVAL_METADATA_VERBOSE'):
        sys.stderr.write('\n'.join(wrong) + '\n')
    res = {'pages': n, 'missing': c['missing'],
           'date': round(c['date'] / n, 4), 'date_within_1_day': round(c['date1'] / n, 4),
           'date_null_correct': c['null_ok'], 'date_null_wrong': c['null_wrong'],
           'date_wrong_guess': c['wrong'], 'date_missed': c['missed'],
           'outlet': round(c['outlet'] / n, 4),
           'author': round(c['author'] / n, 4), 'author_partial': round(c['author_part'] / n, 4)}
    print(json.dumps(res))


if __name__ == '__main__':
    main()
