#!/usr/bin/env python3
"""mkwarc.py - writes the HTML pages, WARC files and JSON Lines feeds the CLI
tests read: small invented articles (invented people, places and outlets),
built here so that no third-party page is in the repository.

usage: mkwarc.py DIR   (writes DIR/page1.html ... DIR/crawl.warc, DIR/crawl.warc.gz ...)
"""
import gzip, io, json, os, sys, zlib

PAGES = [
    ("Harbor Council Delays Ferry Vote", "Ana Lund", "2026-03-04",
     ["The harbor council of Norvik delayed its vote on the new ferry line on Tuesday.",
      "\u201cWe need another month to read the numbers,\u201d council chair Lea Brandt said after the meeting.",
      "Port director Tomas Ek said the delay would cost the city little."]),
    ("Mayor Orders Water Tests After Complaints", "Maria Okafor", "2026-04-12",
     ["Mayor Ilse Varga ordered new tests of the city water supply on Friday after residents complained about its taste.",
      "\u201cNobody should have to wonder what comes out of the tap,\u201d Varga told reporters at City Hall.",
      "The water board said in a statement that earlier samples had met every standard."]),
    ("Caf\u00e9 Owners Protest Street Closure", "Jon Perez", "2026-05-20",
     ["Owners of six caf\u00e9s on Brenna Street protested the planned closure of the street for repairs.",
      "\u201cA summer without customers would finish us,\u201d said Rosa M\u00fcller, who runs the corner caf\u00e9.",
      "The city engineer, Karl Dahl, said the work could not wait another year."]),
]

def page(i, charset="utf-8", quote=True):
    title, by, date, paras = PAGES[i % len(PAGES)]
    body = "\n".join("<p>%s</p>" % p for p in paras)
    bq = ('<blockquote class="twitter-tweet"><p>The ferry vote is off again. Shame on the council.</p>'
          '&mdash; Harbor Watch (@harborwatch)</blockquote>') if quote else ""
    return ("""<!DOCTYPE html>
<html lang="en"><head><meta charset="%s"><title>%s | The Norvik Courier</title>
<meta property="og:site_name" content="The Norvik Courier">
<meta name="author" content="%s"><meta property="article:published_time" content="%s">
<script>var ads = [1,2,3]; document.write("<p>not text</p>");</script><style>p {color: red}</style>
</head><body>
<nav class="site-nav"><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<div id="cookie-banner">We use cookies to improve your experience. Accept all cookies?</div>
<main><article><h1>%s</h1><div class="byline">By %s</div>
<div class="article-body">%s
%s
<div class="share-buttons"><a href="#">Share on Facebook</a> <a href="#">Share on Twitter</a></div>
</div></article>
<aside class="related-links"><h3>Related</h3><ul><li><a href="/a">Another story about boats and harbors</a></li><li><a href="/b">A story about ferries</a></li></ul></aside>
</main>
<section class="comments"><p>Reader comment: this council never decides anything, it is a disgrace to the town.</p></section>
<footer class="site-footer"><p>Copyright 2026 The Norvik Courier. All rights reserved.</p></footer>
</body></html>
""" % (charset, title, by, date, title, by, body, bq))

def http(payload, ctype="text/html; charset=utf-8", chunked=False, gz=False, status="200 OK"):
    hdr = ["HTTP/1.1 " + status, "Content-Type: " + ctype, "Server: invented"]
    if gz:
        payload = gzip.compress(payload)
        hdr.append("Content-Encoding: gzip")
    if chunked:
        out = b""
        for k in range(0, len(payload), 700):
            c = payload[k:k + 700]
            out += b"%x\r\n" % len(c) + c + b"\r\n"
        payload = out + b"0\r\n\r\n"
        hdr.append("Transfer-Encoding: chunked")
    else:
        hdr.append("Content-Length: %d" % len(payload))
    return ("\r\n".join(hdr) + "\r\n\r\n").encode() + payload

def record(kind, uri, block, rid, ctype="application/http; msgtype=response", length=None):
    h = ["WARC/1.1", "WARC-Type: " + kind, "WARC-Target-URI: " + uri,
         "WARC-Date: 2026-06-0%dT10:00:00Z" % (rid % 9 + 1),
         "WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-%012d>" % rid,
         "Content-Type: " + ctype, "Content-Length: %s" % (len(block) if length is None else length)]
    return ("\r\n".join(h) + "\r\n\r\n").encode() + block + b"\r\n\r\n"

def crawl():
    """The records of the test crawl, in order: (bytes, is_article)."""
    recs = []
    recs.append(record("warcinfo", "", b"software: mkwarc.py\r\n", 1, "application/warc-fields"))
    recs.append(record("request", "https://courier.example/a1", b"GET /a1 HTTP/1.1\r\nHost: courier.example\r\n\r\n", 2,
                       "application/http; msgtype=request"))
    recs.append(record("response", "https://courier.example/a1", http(page(0).encode()), 3))
    recs.append(record("response", "https://courier.example/a2", http(page(1).encode(), chunked=True), 4))
    recs.append(record("response", "https://courier.example/logo.png", http(b"\x89PNG\r\n\x1a\n\0\0", "image/png"), 5))
    recs.append(record("response", "https://courier.example/a3",
                       http(page(2, "windows-1252").encode("cp1252"), "text/html; charset=windows-1252", gz=True), 6))
    recs.append(record("response", "https://courier.example/old", http(b"<html>moved</html>", status="301 Moved"), 7))
    recs.append(record("response", "https://courier.example/a4", http(page(0, quote=False).encode(), gz=True, chunked=True), 8))
    return recs

def main():
    d = sys.argv[1]
    for i in range(3):
        cs = "windows-1252" if i == 2 else "utf-8"
        open(os.path.join(d, "page%d.html" % (i + 1)), "wb").write(page(i, cs).encode("cp1252" if i == 2 else "utf-8"))
    recs = crawl()
    open(os.path.join(d, "crawl.warc"), "wb").write(b"".join(recs))
    with open(os.path.join(d, "crawl.warc.gz"), "wb") as f:
        for r in recs:
            f.write(gzip.compress(r))
    # damaged crawls
    bad = list(recs)
    bad[3] = bad[3].replace(b"Content-Length: ", b"Content-Length: 9", 1)  # length far too long
    open(os.path.join(d, "badlen.warc"), "wb").write(b"".join(bad))
    short = list(recs)
    blk = short[2]
    i = blk.index(b"Content-Length: ") + 16
    j = blk.index(b"\r\n", i)
    short[2] = blk[:i] + str(int(blk[i:j]) - 300).encode() + blk[j:]
    open(os.path.join(d, "shortlen.warc"), "wb").write(b"".join(short))
    # a first record whose Content-Length is negative, overflows 64 bits, or
    # is over the size limit and far past the end of the file
    for name, cl in (("neglen", "-1"), ("overflowlen", "99999999999999999999999"),
                     ("hugelen", str(10 << 30))):
        first = record("response", "https://courier.example/x", http(page(1).encode()), 90, length=cl)
        open(os.path.join(d, name + ".warc"), "wb").write(first + b"".join(recs))
    # a record header of 1.2 MB (one line 60000 times, no blank line), and a
    # record whose WARC-Type is given twice
    endless = b"WARC/1.1\r\n" + b"WARC-Type: response\r\n" * 60000
    open(os.path.join(d, "longheader.warc"), "wb").write(endless + b"".join(recs))
    twice = record("response", "https://courier.example/twice", http(page(2).encode()), 91)
    twice = twice.replace(b"WARC-Type: response\r\n", b"WARC-Type: response\r\nWARC-Type: response\r\n", 1)
    open(os.path.join(d, "twotypes.warc"), "wb").write(twice + b"".join(recs))
    gz = [gzip.compress(r) for r in recs]
    gz[3] = gz[3][:len(gz[3]) // 2]  # a truncated member in the middle
    open(os.path.join(d, "truncmember.warc.gz"), "wb").write(b"".join(gz))
    open(os.path.join(d, "truncend.warc.gz"), "wb").write(b"".join(gz[:3]) + gzip.compress(recs[3])[:200])
    # JSON Lines
    lines = []
    for i, (t, by, date, paras) in enumerate(PAGES):
        lines.append(json.dumps({"id": "t%d" % (i + 1), "text": "\n\n".join(paras), "title": t,
                                 "date": date, "url": "https://courier.example/t%d" % (i + 1),
                                 "outlet": "The Norvik Courier", "section": "local", "tags": ["a", "b"]}))
    lines.append(json.dumps({"id": "h1", "html": page(1)}))
    open(os.path.join(d, "feed.jsonl"), "w").write("\n".join(lines) + "\n")
    badfeed = list(lines)
    badfeed.insert(1, '{"id": "broken", "text": "no end')
    badfeed.insert(3, '["not", "an", "object"]')
    badfeed.insert(4, '{"id": "nobody"}')
    badfeed.insert(5, '{"id": "blank", "html": "<html><head><title>x</title></head></html>"}')
    open(os.path.join(d, "badfeed.jsonl"), "w").write("\n".join(badfeed) + "\n")
    with gzip.open(os.path.join(d, "feed.jsonl.gz"), "wt") as f:
        f.write("\n".join(lines) + "\n")

if __name__ == "__main__":
    main()
