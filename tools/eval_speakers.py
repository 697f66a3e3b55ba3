#!/usr/bin/env python3
"""Speaker resolution: is the entity an attribution's source resolves to the
right one? Scores `hearsay analyze --format json` output against PolNeAR gold
source spans (first annotator) and our referent file for spans without a name.

usage: eval_speakers.py SPLIT_DIR METADATA.tsv REFERENTS.tsv PRED.jsonl [--json] [--errors]

How the right entity is derived (docs: tests/speakers/README.md):
- a span listed in REFERENTS.tsv (article, start, end, source, kind,
  referent) takes its referent from there; the file was written by reading
  the articles: NAME (one named entity), GROUP (several, '|'-separated) or
  NONE (unnamed or generic). It lists every span whose head is not a name;
- any other span's head (its first token whose CoreNLP head lies outside the
  span, from the split's corenlp-tsv layer) is a PERSON, ORGANIZATION or
  LOCATION token: the referent is the run of that type around the head.
A gold statement is matched to the predicted statement whose cue overlaps its
cue, else whose content overlaps most of its content. A NAME is right when
the predicted source's entity (its fullest name) has the referent's last
word and, when both give a first word, the same first word, or one name's
words are a run of the other's ("Ban" of "Ban Ki-moon", "Suu Kyi"); a NONE is right
when the predicted source has no person or organisation entity; GROUP is
reported apart (one entity cannot be several).
"""
import collections
import json
import os
import re
import sys

TITLES = {'mr', 'mrs', 'ms', 'dr', 'sen', 'rep', 'gov', 'gen', 'president', 'the'}
PRONOUNS = {'he', 'she', 'they', 'i', 'we', 'it', 'him', 'her', 'them', 'you', 'me', 'us',
            'his', 'its', 'their', 'who', 'which', 'that', 'whom'}


def words(name):
    """Lowercased words of a name without titles or a possessive."""
    w = re.findall(r"[\w.&-]+", name.lower().replace('\u2019s', '').replace("'s", ''))
    w = [x.strip('.') for x in w]
    return [x for x in w if x and x not in TITLES]


def sublist(a, b):
    """Is a a run of consecutive words of b?"""
    return any(b[i:i + len(a)] == a for i in range(len(b) - len(a) + 1))


def same_entity(gold, names):
    g = words(gold)
    if not g:
        return False
    for n in names:
        p = words(n)
        if not p:
            continue
        if p[-1] == g[-1] and (len(g) == 1 or len(p) == 1 or p[0] == g[0]):
            return True
        if sublist(p, g) or sublist(g, p):
            return True
    return False


def first_annotators(meta):
    out = {}
    with open(meta, encoding='utf-8') as f:
        hdr = f.readline().rstrip('\n').split('\t')
        fi, ai = hdr.index('filename'), hdr.index('annotators')
        for line in f:
            c = line.rstrip('\n').split('\t')
            if len(c) > max(fi, ai):
                out[c[fi]] = c[ai].split('|')[0]
    return out


def read_ann(path):
    spans, events = {}, []
    for line in open(path, encoding='utf-8'):
        c = line.rstrip('\n').split('\t')
        if len(c) > 2 and c[0].startswith('T'):
            offs = c[1].split(' ', 1)[1]
            spans[c[0]] = [tuple(map(int, x.split())) for x in offs.split(';')]
        elif len(c) > 1 and c[0].startswith('E'):
            events.append(dict(x.split(':', 1) for x in c[1].split()))
    return spans, events


def corenlp_sentences(path):
    """Sentences of (begin, end, ner, head index in the sentence or -1)."""
    sents, cur = [], []
    if os.path.exists(path):
        for line in open(path, encoding='utf-8'):
            c = line.rstrip('\n').split('\t')
            if len(c) >= 8 and c[0].isdigit():
                h = int(c[6]) if c[6].lstrip('-').isdigit() else 0
                cur.append((int(c[0]), int(c[1]), c[5], h - 1))
            elif not line.strip() and cur:
                sents.append(cur)
                cur = []
    if cur:
        sents.append(cur)
    return sents


def named_referent(text, sents, b, e):
    """The name heading the span [b, e) by the CoreNLP layer, or None."""
    for s in sents:
        idx = [i for i, t in enumerate(s) if t[0] >= b and t[1] <= e]
        if not idx:
            continue
        head = next((i for i in idx if s[i][3] not in idx), idx[0])
        ner = s[head][2]
        if ner not in ('PERSON', 'ORGANIZATION', 'LOCATION'):
            return None
        lo = hi = head
        while lo - 1 in idx and s[lo - 1][2] == ner:
            lo -= 1
        while hi + 1 in idx and s[hi + 1][2] == ner:
            hi += 1
        return text[s[lo][0]:s[hi][1]]
    return None


def kind_of(source):
    s = source.lower().strip()
    if s in PRONOUNS:
        return 'relative' if s in ('who', 'which', 'that', 'whom') else 'pronoun'
    return 'nominal'


def overlap(a, b):
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def main(argv):
    args = [a for a in argv if not a.startswith('--')]
    if len(args) != 4:
        sys.stderr.write(__doc__.split('\n\n')[1] + '\n')
        return 2
    split, meta, refs_path, pred_path = args
    refs = {}
    with open(refs_path, encoding='utf-8') as f:
        f.readline()
        for line in f:
            c = line.rstrip('\n').split('\t')
            if len(c) == 6:
                refs[(c[0], int(c[1]), int(c[2]))] = (c[4], c[5])
    preds = {}
    for line in open(pred_path, encoding='utf-8'):
        d = json.loads(line)
        preds[os.path.basename(d['id']).rsplit('.', 1)[0]] = d
    ann = first_annotators(meta)
    tally = collections.defaultdict(lambda: [0, 0])
    errors = []
    unmatched = missing_ref = 0
    for fn in sorted(os.listdir(os.path.join(split, 'text'))):
        art = fn[:-4]
        annp = os.path.join(split, 'attributions', f'{art}_{ann.get(art)}.ann')
        if art not in ann or not os.path.exists(annp) or art not in preds:
            continue
        text = open(os.path.join(split, 'text', fn), encoding='utf-8').read()
        cb = [0]
        for ch in text:
            cb.append(cb[-1] + len(ch.encode('utf-8')))
        sents = corenlp_sentences(os.path.join(split, 'corenlp-tsv', art + '.tsv'))
        spans, events = read_ann(annp)
        d = preds[art]
        ents = {e['id']: e for e in d.get('entities', [])}
        for ev in events:
            if 'Source' not in ev or ev['Source'] not in spans:
                continue
            sb, se = spans[ev['Source']][0][0], spans[ev['Source']][-1][1]
            name = None if (art, sb, se) in refs else named_referent(text, sents, sb, se)
            if name:
                kind, ref, cls = 'NAME', name, 'named'
            elif (art, sb, se) in refs:
                kind, ref = refs[(art, sb, se)]
                cls = kind_of(text[sb:se])
            else:
                missing_ref += 1
                continue
            gcue = [(cb[x], cb[y]) for x, y in spans.get(ev.get('Cue'), [])]
            gcon = [(cb[x], cb[y]) for x, y in spans.get(ev.get('Content'), [])]
            best, bestv = None, 0
            for a in d.get('attributions', []):
                pc = (a.get('cue') or {}).get('spans', [])
                v = sum(overlap(g, p) for g in gcue for p in pc)
                if v > 0:
                    v += 1 << 40
                else:
                    pk = (a.get('content') or {}).get('spans', [])
                    glen = sum(y - x for x, y in gcon) or 1
                    v = sum(overlap(g, p) for g in gcon for p in pk)
                    v = v if v * 2 > glen else 0
                if v > bestv:
                    best, bestv = a, v
            if best is None:
                unmatched += 1
                continue
            eid = (best.get('source') or {}).get('entity')
            ent = ents.get(eid)
            names = [ent['name']] if ent else []
            etype = ent['type'] if ent else None
            if kind == 'NAME':
                ok = same_entity(ref, names)
            elif kind == 'NONE':
                ok = etype not in ('PERSON', 'ORG', 'OUTLET')
            else:
                ok = any(same_entity(r.strip(), names) for r in ref.split('|'))
            key = 'group' if kind == 'GROUP' else cls
            tally[key][0] += ok
            tally[key][1] += 1
            if not ok:
                errors.append((art, text[sb:se], kind, ref, names[:1],
                               (best.get('source') or {}).get('text')))
    main_keys = [k for k in ('named', 'pronoun', 'relative', 'nominal') if k in tally]
    right = sum(tally[k][0] for k in main_keys)
    total = sum(tally[k][1] for k in main_keys)
    res = {'matched': total + tally['group'][1], 'unmatched_gold': unmatched,
           'no_referent': missing_ref,
           'speaker_accuracy': round(right / total, 4) if total else 0.0}
    for k in main_keys + (['group'] if 'group' in tally else []):
        r, n = tally[k]
        res[k] = {'accuracy': round(r / n, 4) if n else 0.0, 'n': n}
    if '--json' in argv:
        print(json.dumps(res))
    else:
        for k, v in res.items():
            print(f'{k:18} {v}')
    if '--errors' in argv:
        for e in errors:
            print('\t'.join(map(str, e)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
