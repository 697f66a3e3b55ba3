#!/usr/bin/env python3
"""serve_raw - what curl will not send to hearsay serve, over raw sockets
on loopback: garbage request lines, huge headers, NUL bytes, invalid UTF-8
and path tricks sent byte for byte, idle and slow connections. Prints one
line per check, "ok NAME" or "not ok NAME: DETAIL", for tests/serve.sh.

Usage: serve_raw.py hostile PORT
       serve_raw.py idle PORT N       (N idle connections, then a request)
       serve_raw.py slow PORT SECONDS (a half-sent request is closed in time)
       serve_raw.py partial PORT PID  (half a request line costs no CPU)
       serve_raw.py evict PORT N      (a full gate drops its oldest while it speaks)
       serve_raw.py full PORT N       (past N connections: a 503, not a reset)
       serve_raw.py pipeline PORT     (keep-alive after a bodiless refusal)
"""
import os
import socket
import sys
import time

HOST = "127.0.0.1"


def exchange(port, data, timeout=10.0, until_close=False):
    """Sends data, reads until the server closes or (unless until_close)
    the response is whole; returns (status or None, raw response)."""
    s = socket.create_connection((HOST, port), timeout=timeout)
    try:
        try:
            s.sendall(data)
        except OSError:
            pass  # the server may answer and close before reading it all
        got = b""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            except OSError:
                break
            if not chunk:
                break
            got += chunk
            head, sep, body = got.partition(b"\r\n\r\n")
            if sep and not until_close:
                length = None
                for line in head.split(b"\r\n")[1:]:
                    k, _, v = line.partition(b":")
                    if k.strip().lower() == b"content-length":
                        length = int(v.strip())
                if length is not None and len(body) >= length:
                    break
    finally:
        s.close()
    status = None
    if got.startswith(b"HTTP/1."):
        try:
            status = int(got.split(b" ", 2)[1])
        except (IndexError, ValueError):
            status = None
    return status, got


def report(name, good, detail=""):
    print(("ok " + name) if good else ("not ok %s: %s" % (name, detail)), flush=True)


def healthy(port):
    status, raw = exchange(port, b"GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    return status == 200 and b'"status":"ok"' in raw


def hostile(port):
    cases = [
        ("garbage request line", b"GARBAGE\r\n\r\n"),
        ("binary request line", b"\x00\x01\x02\xff / HTTP/1.1\r\n\r\n"),
        ("request line without version", b"GET /api/health\r\n\r\n"),
        ("unknown HTTP version", b"GET /api/health HTTP/9.9\r\nHost: x\r\n\r\n"),
        ("200 KB header", b"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"x" * 200000 + b"\r\n\r\n"),
        ("5000 headers", b"GET /api/health HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-%d: y\r\n" % i for i in range(5000)) + b"\r\n"),
        ("200 KB request target", b"GET /api/search?q=" + b"a" * 200000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("path traversal", b"GET /static/../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        ("encoded path traversal", b"GET /static/..%2F..%2Fetc%2Fpasswd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        ("absolute file path", b"GET /etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        ("invalid UTF-8 in the path", b"GET /api/doc/\xff\xfe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        ("invalid UTF-8 in the query", b"GET /api/search?q=\xc3\x28 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        ("escaped invalid UTF-8", b"GET /api/search?q=%ff%fe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        ("escaped NUL", b"GET /api/search?q=a%00b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        ("truncated escape", b"GET /api/search?q=abc% HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        ("SQL in the query", b"GET /api/search?q=%27%3B%20DROP%20TABLE%20docs%3B%20-- HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        ("SQL in a filter", b"GET /api/search?q=vote&outlet=x%27%20OR%20%271%27%3D%271 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        ("SQL in a document id", b"GET /api/doc/1%27%20OR%201%3D1-- HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        ("negative Content-Length", b"POST /api/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: -5\r\n\r\nhello"),
        ("bad header line", b"GET /api/health HTTP/1.1\r\nHost: x\r\nthis is no header\r\n\r\n"),
        ("TLS handshake", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64),
        ("huge Content-Length", b"POST /api/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 99999999999999999999999\r\n\r\nhello"),
        ("65 MB body, no Expect", None),
        ("bad chunked body", b"POST /api/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"),
    ]
    for name, data in cases:
        if data is None:  # a client that sends 65 MB without waiting to be told
            data = (b"POST /api/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                    b"Content-Length: %d\r\n\r\n" % (65 << 20)) + b"a" * (65 << 20)
        try:
            status, raw = exchange(port, data)
        except OSError as e:
            report(name, False, "connection failed: %s" % e)
            continue
        if name.startswith("SQL"):  # words to look for, never SQL: an answer, no 5xx
            good = status is not None and status < 500 
            report(name + " is an answer, not a 5xx", good, "status %s: %r" % (status, raw[:200]))
        else:
            good = status is not None and 400 <= status < 500
            report(name + " gets a 4xx", good, "status %s: %r" % (status, raw[:200]))
        if b"root:" in raw:
            report(name + " leaks a file", False, "passwd content in the response")
        report(name + ": still healthy after", healthy(port), "health check failed")


def idle(port, n):
    socks = []
    try:
        for _ in range(n):
            socks.append(socket.create_connection((HOST, port), timeout=5))
        time.sleep(0.5)
        t0 = time.monotonic()
        status, raw = exchange(port, b"GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", timeout=5)
        dt = time.monotonic() - t0
        report("a request with %d idle connections open is answered within a second" % n,
               status == 200 and dt < 1.0, "status %s after %.2f s" % (status, dt))
    finally:
        for s in socks:
            s.close()


def slow(port, seconds):
    s = socket.create_connection((HOST, port), timeout=seconds + 10)
    s.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")  # never finished
    t0 = time.monotonic()
    try:
        got = s.recv(65536)
    except OSError:
        got = b""
    dt = time.monotonic() - t0
    s.close()
    report("a half-sent request is closed after the idle timeout (%.1f s)" % dt,
           dt < seconds + 5 and not got.startswith(b"HTTP/1.1 200"), "answered %r after %.1f s" % (got[:80], dt))


def cpu_seconds(pid):
    fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def partial(port, pid):
    socks = []
    for i in range(50):
        s = socket.create_connection((HOST, port), timeout=5)
        s.sendall(b"GET /api/health")
        socks.append(s)
    for s in socks[:25]:  # half close at once: their bytes stay unread
        s.close()
    t0 = cpu_seconds(pid)
    time.sleep(2)
    used = cpu_seconds(pid) - t0
    for s in socks[25:]:
        s.close()
    report("50 half-sent request lines cost the server no CPU (%.2f s in 2 s)" % used, used < 0.3,
           "the server used %.2f CPU seconds" % used)
    report("healthy after the half-sent lines", healthy(port), "health check failed")


def evict(port, n):
    conns = [socket.create_connection((HOST, port), timeout=5) for _ in range(n)]
    time.sleep(0.3)
    alive = True
    for _ in range(60):
        c = socket.socket()
        c.setblocking(False)
        c.connect_ex((HOST, port))
        try:
            conns[0].send(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
        except OSError:
            pass
        conns = conns[1:] + [c]
        time.sleep(0.01)
        try:
            socket.create_connection((HOST, port), timeout=5).close()
        except OSError:
            alive = False
            break
    for c in conns:
        c.close()
    report("a full gate evicting a connection as it speaks survives", alive and healthy(port),
           "the server stopped accepting")


def full(port, n):
    held = []
    for _ in range(n):
        s = socket.create_connection((HOST, port), timeout=5)
        s.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
        s.recv(65536)  # answered, kept alive
        held.append(s)
    status, raw = exchange(port, b"GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    report("a connection past the limit gets a 503, not a reset", status == 503 and b'"error"' in raw,
           "status %s: %r" % (status, raw[:200]))
    for s in held:
        s.close()
    time.sleep(0.3)
    report("answered again once connections close", healthy(port), "health check failed")


def pipeline(port):
    status, raw = exchange(port, b"POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"
                                 b"GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                           until_close=True)
    report("a refused bodiless POST keeps the connection for the next request",
           status == 405 and raw.count(b"HTTP/1.1 ") == 2 and b'"status":"ok"' in raw, "%r" % raw[:400])
    status, raw = exchange(port, b"GET http://x/api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    report("an absolute request target is served", status == 200, "status %s: %r" % (status, raw[:200]))


def main():
    what, port = sys.argv[1], int(sys.argv[2])
    if what == "hostile":
        hostile(port)
    elif what == "idle":
        idle(port, int(sys.argv[3]))
    elif what == "slow":
        slow(port, float(sys.argv[3]))
    elif what == "partial":
        partial(port, int(sys.argv[3]))
    elif what == "evict":
        evict(port, int(sys.argv[3]))
    elif what == "full":
        full(port, int(sys.argv[3]))
    elif what == "pipeline":
        pipeline(port)
    else:
        sys.exit("unknown check " + what)


if __name__ == "__main__":
    main()
