#!/usr/bin/env python3
"""ner_report - entity scores per type and per domain, as a Markdown table.

  ner_report.py uner GOLD.iob2 PRED.conllu     UNER English-EWT: rows per domain
                                               (answers, email, ...: the sent_id prefix)
  ner_report.py corenlp DIR PRED.conllu        the CoreNLP layer of PolNeAR (one domain)

PRED.conllu is `hearsay tag --pretokenized` output on the same tokens
(../shared/tools/eval_tags.py tokens-uner / tokens-corenlp). Spans are exact
(start, end, type); OUTLET counts as ORG. The "all" row of UNER is PER+ORG+LOC
and equals `hearsay eval tags uner`'s F1; CoreNLP's "all" adds MISC.
"""
import collections
import os
import sys

CANON = {'PER': 'PER', 'PERSON': 'PER', 'ORG': 'ORG', 'ORGANIZATION': 'ORG', 'OUTLET': 'ORG',
         'MEDIA': 'ORG', 'LOC': 'LOC', 'LOCATION': 'LOC', 'GPE': 'LOC', 'MISC': 'MISC'}


def blocks(path):
    """Yields (comments, rows) per sentence of a tab-separated file."""
    notes, rows = [], []
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if line.startswith('#'):
                notes.append(line)
            elif line:
                rows.append(line.split('\t'))
            elif rows:
                yield notes, rows
                notes, rows = [], []
    if rows:
        yield notes, rows


def uner_gold(path):
    out = []
    for notes, rows in blocks(path):
        dom = 'other'
        for n in notes:
            if n.startswith('# sent_id = '):
                dom = n[len('# sent_id = '):].split('-')[0]
        out.append((dom, [r[2] for r in rows]))
    return out


def corenlp_gold(folder):
    out = []
    for name in sorted(os.listdir(folder)):
        for _, rows in blocks(os.path.join(folder, name)):
            tags, prev = [], None
            for r in rows:  # IO types: a run of one type is one entity
                ty = CANON.get(r[5])
                tags.append('O' if ty is None else ('I-' if ty == prev else 'B-') + ty)
                prev = ty
            out.append(('news', tags))
    return out


def predicted(path):
    out = []
    for _, rows in blocks(path):
        tags = []
        for r in rows:
            if '-' in r[0] or '.' in r[0]:
                continue
            tag = 'O'
            for kv in (r[9].split('|') if len(r) > 9 else []):
                if kv.startswith('NER='):
                    tag = kv[4:]
            tags.append(tag)
        out.append(tags)
    return out


def entities(tags):
    found, start, kind = set(), None, None
    for i, t in enumerate(tags + ['O']):
        head, _, ty = t.partition('-')
        ty = CANON.get(ty, ty) if t != 'O' else None
        if start is not None and (t == 'O' or head == 'B' or ty != kind):
            found.add((start, i, kind))
            start = None
        if t != 'O' and start is None:
            start, kind = i, ty
    return found


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ('uner', 'corenlp'):
        sys.exit(__doc__.strip().split('\n\n')[1])
    mode, gold_path, pred_path = sys.argv[1:]
    gold = uner_gold(gold_path) if mode == 'uner' else corenlp_gold(gold_path)
    pred = predicted(pred_path)
    if len(gold) != len(pred):
        sys.exit(f'{pred_path}: {len(pred)} sentences, gold has {len(gold)}')
    types = ['PER', 'ORG', 'LOC'] + ([] if mode == 'uner' else ['MISC'])
    tp, ng, np_ = (collections.Counter() for _ in range(3))
    for i, ((dom, g), p) in enumerate(zip(gold, pred)):
        if len(g) != len(p):
            sys.exit(f'sentence {i + 1}: {len(p)} tokens, gold has {len(g)}')
        gs = {e for e in entities(g) if e[2] in types}
        ps = {e for e in entities(p) if e[2] in types}
        for key in ((dom, None), ('all', None)):
            for e in gs:
                ng[key[0], e[2]] += 1
                ng[key[0], 'all'] += 1
            for e in ps:
                np_[key[0], e[2]] += 1
                np_[key[0], 'all'] += 1
            for e in gs & ps:
                tp[key[0], e[2]] += 1
                tp[key[0], 'all'] += 1
    doms = sorted({d for d, _ in gold})
    doms += ['all'] if len(doms) > 1 else []
    cols = types + ['all']
    print('| domain | ' + ' | '.join(f'{c} F1 (gold)' for c in cols) + ' |')
    print('|---' * (len(cols) + 1) + '|')
    for d in doms:
        cells = []
        for c in cols:
            t, g, q = tp[d, c], ng[d, c], np_[d, c]
            p = t / q if q else 0.0
            r = t / g if g else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            cells.append(f'{f:.3f} ({g})')
        print(f'| {d} | ' + ' | '.join(cells) + ' |')


if __name__ == '__main__':
    main()
