#!/usr/bin/env python3
"""meta_candidates - prints, for pages of the article-extraction benchmark,
what a human needs to decide a page's date, outlet and author: the URL,
<title>, date/author/site <meta> tags, JSON-LD fields, <time> elements and
the visible text around the first <h1>. An aid for writing the gold file by
hand; it decides nothing.  Usage: meta_candidates.py BENCHDIR [ID...]"""
import gzip, html, json, os, re, sys
from html.parser import HTMLParser

KEYS = re.compile(r'date|time|publish|author|byl|creator|site_name|application-name|'
                  r'parsely|sailthru|dc\.', re.I)


class P(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta, self.times, self.ld, self.text = [], [], [], []
        self.stack, self.cur_ld, self.in_title, self.title = [], None, False, ''
        self.h1 = -1
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'meta':
            k = a.get('property') or a.get('name') or a.get('itemprop') or ''
            if KEYS.search(k) and a.get('content'):
                self.meta.append((k, a['content'][:100]))
        elif tag == 'time':
            self.times.append((a.get('datetime'), a.get('class'), len(self.text)))
        elif tag == 'script':
            self.skip += 1
            if (a.get('type') or '').strip() == 'application/ld+json':
                self.cur_ld = []
        elif tag == 'style':
            self.skip += 1
        elif tag == 'title':
            self.in_title = True
        elif tag == 'h1' and self.h1 < 0:
            self.h1 = len(' '.join(self.text))
        if a.get('itemprop') in ('datePublished', 'author', 'dateCreated') and tag != 'meta':
            self.meta.append(('itemprop=' + a['itemprop'] + ' on ' + tag,
                              a.get('datetime') or a.get('content') or ''))

    def handle_endtag(self, tag):
        if tag in ('script', 'style'):
            self.skip = max(0, self.skip - 1)
            if tag == 'script' and self.cur_ld is not None:
                self.ld.append(''.join(self.cur_ld))
                self.cur_ld = None
        elif tag == 'title':
            self.in_title = False

    def handle_data(self, d):
        if self.cur_ld is not None:
            self.cur_ld.append(d)
            return
        if self.in_title:
            self.title += d
            return
        if self.skip:
            return
        d = ' '.join(d.split())
        if d:
            self.text.append(d)


def walk(o, out, depth=0):
    if depth > 6:
        return
    if isinstance(o, list):
        for e in o:
            walk(e, out, depth + 1)
    elif isinstance(o, dict):
        t = o.get('@type')
        fields = {k: o[k] for k in ('datePublished', 'dateCreated', 'dateModified', 'author',
                                    'publisher', 'creator') if k in o}
        if fields:
            out.append((t, json.dumps(fields, ensure_ascii=False)[:300]))
        for k, v in o.items():
            if isinstance(v, (list, dict)) and k not in ('author', 'publisher'):
                walk(v, out, depth + 1)


def show(bench, pid, url):
    raw = gzip.open(os.path.join(bench, 'html', pid + '.html.gz')).read()
    p = P()
    p.feed(raw.decode('utf-8', 'replace'))
    print('=' * 30, pid[:12], url)
    print('TITLE:', ' '.join(p.title.split())[:150])
    for k, v in p.meta:
        print('  META', k, '=', v)
    for s in p.ld:
        try:
            out = []
            walk(json.loads(s), out)
            for t, f in out:
                print('  LD', t, f)
        except ValueError:
            m = re.findall(r'"(datePublished|author|publisher)"\s*:\s*(.{0,80})', s)
            for k, v in m:
                print('  LD?', k, v)
    full = ' '.join(p.text)
    for dt, cl, i in p.times[:4]:
        print('  TIME', dt, cl, '|', ' '.join(p.text[i:i + 2])[:80])
    h = max(p.h1, 0)
    print('  NEAR H1:', full[max(0, h - 150):h + 450])
    for m in list(re.finditer(r'\b(?:19|20)\d\d\b', full))[:0]:
        pass


def main():
    bench = sys.argv[1]
    gt = json.load(open(os.path.join(bench, 'ground-truth.json')))
    ids = sys.argv[2:] or sorted(gt)
    for pid in ids:
        pid = [k for k in gt if k.startswith(pid)][0]
        show(bench, pid, gt[pid].get('url'))


if __name__ == '__main__':
    main()
