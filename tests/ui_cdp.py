#!/usr/bin/env python3
"""ui_cdp - the web UI of hearsay serve used as a person uses it: headless
Chromium driven over the DevTools protocol (--remote-debugging-pipe, so no
port is opened and nothing but the standard library is needed). Types a
search and presses Enter, tabs to a statement and opens its details with
Enter and closes them with Escape, hovers a statement, analyzes a pasted
article with the keyboard, checks the phone layout does not overflow, and
fails on any console error or exception. Prints one line per check,
"ok NAME" or "not ok NAME: DETAIL", for tests/serve.sh.

Usage: ui_cdp.py CHROMIUM BASE_URL PROFILE_DIR SHOTS_DIR
"""
import base64
import json
import os
import select
import subprocess
import sys
import time


class Browser:
    def __init__(self, chrome, profile):
        to_chrome_r, to_chrome_w = os.pipe()
        from_chrome_r, from_chrome_w = os.pipe()
        cmd = ("exec \"$0\" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage "
               "--no-first-run --no-default-browser-check --remote-debugging-pipe "
               "--user-data-dir=\"$1\" --window-size=1280,900 about:blank 3<&%d 4>&%d"
               % (to_chrome_r, from_chrome_w))
        self.proc = subprocess.Popen(["sh", "-c", cmd, chrome, profile],
                                     pass_fds=(to_chrome_r, from_chrome_w),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.w, self.r = to_chrome_w, from_chrome_r
        self.buf = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def _read_message(self, deadline):
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.r], [], [], left)[0]:
                raise TimeoutError("no answer from the browser")
            chunk = os.read(self.r, 1 << 20)
            if not chunk:
                raise EOFError("the browser went away")
            self.buf += chunk
        msg, _, self.buf = self.buf.partition(b"\0")
        return json.loads(msg)

    def call(self, method, params=None, session=True, timeout=20):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self.w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            m = self._read_message(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            self.events.append(m)

    def pump(self, seconds):
        """Reads events for a while (console messages, load events)."""
        deadline = time.monotonic() + seconds
        try:
            while True:
                self.events.append(self._read_message(deadline))
        except TimeoutError:
            pass

    def eval(self, expr):
        r = self.call("Runtime.evaluate", {"expression": expr, "returnByValue": True,
                                           "awaitPromise": True})
        if "exceptionDetails" in r:
            raise RuntimeError("%s: %s" % (expr, r["exceptionDetails"].get("text")))
        return r["result"].get("value")

    def wait_for(self, expr, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            v = self.eval(expr)
            if v:
                return v
            self.pump(0.05)
        return self.eval(expr)

    def open(self, url):
        self.eval("document.body && delete document.body.dataset.state")
        self.call("Page.navigate", {"url": url})
        return self.wait_for("document.readyState === 'complete' && document.body.dataset.state"
                             " && document.body.dataset.state !== 'loading'"
                             " && document.body.dataset.state")

    def key(self, name, code, keycode, text=None):
        for kind in ("keyDown", "keyUp"):
            p = {"type": kind, "key": name, "code": code, "windowsVirtualKeyCode": keycode}
            if text and kind == "keyDown":
                p["text"] = text
            self.call("Input.dispatchKeyEvent", p)

    def tab(self):
        self.key("Tab", "Tab", 9)

    def enter(self):
        self.key("Enter", "Enter", 13, "\r")

    def escape(self):
        self.key("Escape", "Escape", 27)

    def shot(self, path):
        data = self.call("Page.captureScreenshot", {"format": "png"})["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def close(self):
        try:
            self.call("Browser.close", session=False, timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def report(name, good, detail=""):
    print(("ok " + name) if good else ("not ok %s: %s" % (name, detail)), flush=True)


def main():
    chrome, base, profile, shots = sys.argv[1:5]
    b = Browser(chrome, profile)
    try:
        target = b.call("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        b.session = b.call("Target.attachToTarget", {"targetId": target, "flatten": True},
                           session=False)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            b.call(domain + ".enable")

        # search with the keyboard only: the query box has the focus
        state = b.open(base)
        report("the search page loads", state in ("ready", "empty"), "state %s" % state)
        focused = b.eval("document.activeElement && document.activeElement.id")
        report("the query box has the focus", focused == "q", "focus on %r" % focused)
        b.call("Input.insertText", {"text": "speculators"})
        b.enter()
        b.pump(0.3)
        state = b.wait_for("location.search.includes('q=speculators') && document.body.dataset.state"
                           " && document.body.dataset.state !== 'loading' && document.body.dataset.state")
        n = b.eval("document.querySelectorAll('.hs-result[data-doc]').length")
        report("typing a query and Enter shows results", state == "ready" and n >= 2,
               "state %s, %s results" % (state, n))
        marks = b.eval("[...document.querySelectorAll('.hs-result mark')].map(m => m.textContent.toLowerCase())")
        report("the matches are highlighted", bool(marks) and all("speculators" in m for m in marks),
               "marks %r" % marks)

        # an article: Tab to a statement, Enter opens its details, Escape closes them
        state = b.open(base + "doc/valley-post-1")
        report("the article page loads", state == "ready", "state %s" % state)
        found = None
        for _ in range(40):
            b.tab()
            found = b.eval("(e => e && e.dataset && e.dataset.attr ? e.dataset.attr : null)(document.activeElement)")
            if found:
                break
        report("Tab reaches a statement", bool(found), "no statement took the focus in 40 tabs")
        if found:
            b.enter()
            shown = b.wait_for("(p => p && !p.hidden && p.offsetParent !== null && p.textContent)"
                               "(document.getElementById('popover'))", 3)
            report("Enter opens the statement's details", bool(shown), "no visible #popover")
            text = (shown or "").lower()
            report("the details name the speaker, the kind and the hedges",
                   "okafor" in text and "kind" in text and "hedges" in text,
                   "popover says %r" % (shown or "")[:200])
            b.shot(os.path.join(shots, "doc-details.png"))
            b.escape()
            hidden = b.wait_for("(p => !p || p.hidden || p.offsetParent === null)(document.getElementById('popover'))", 3)
            report("Escape closes the details", bool(hidden), "the popover stays")
            back = b.eval("(e => e && e.dataset ? e.dataset.attr : null)(document.activeElement)")
            report("the focus returns to the statement", back == found, "focus on %r" % back)

        # hover: moving the mouse over a content shows its details
        box = b.eval("(e => { const r = e.getBoundingClientRect(); return [r.left + 3, r.top + r.height / 2]; })"
                     "(document.querySelector('.hs-content'))")
        b.call("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": box[0], "y": box[1]})
        shown = b.wait_for("(p => p && !p.hidden && p.offsetParent !== null)(document.getElementById('popover'))", 3)
        report("hovering a statement shows its details", bool(shown), "no visible #popover after hover")
        b.call("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": 5, "y": 880})

        # analyze a pasted article with the keyboard
        state = b.open(base + "analyze")
        b.eval("document.getElementById('analyze-text').focus()")
        b.call("Input.insertText", {"text": "Ferry Fares To Rise\n\nThe port director, Lea Brandt, said on "
                                            "Monday that fares would rise in May. \u201cWe held them for "
                                            "three years,\u201d she said."})
        for _ in range(6):  # Tab to the submit button
            b.tab()
            if b.eval("document.activeElement && document.activeElement.type === 'submit'"):
                break
        b.enter()
        state = b.wait_for("document.body.dataset.state !== 'loading' && document.querySelector('.hs-cue')"
                           " && document.body.dataset.state", 15)
        n = b.eval("document.querySelectorAll('.hs-cue').length")
        report("a pasted article is analyzed and highlighted", state == "ready" and n >= 2,
               "state %s, %s cues" % (state, n))
        b.shot(os.path.join(shots, "analyze-result.png"))

        # a phone: nothing wider than the screen
        b.call("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844,
                                                      "deviceScaleFactor": 2, "mobile": True})
        for page in ("", "doc/valley-post-1", "trace?q=Every+house+on+this+street+was+bought"):
            b.open(base + page)
            w = b.eval("document.documentElement.scrollWidth")
            report("/%s fits a phone's width" % page, w <= 391, "%s px wide" % w)
        b.shot(os.path.join(shots, "trace-phone.png"))

        b.pump(0.3)
        errors = []
        for m in b.events:
            p = m.get("params", {})
            if m.get("method") == "Runtime.exceptionThrown":
                errors.append(p.get("exceptionDetails", {}).get("text", "exception"))
            elif m.get("method") == "Runtime.consoleAPICalled" and p.get("type") == "error":
                errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
            elif m.get("method") == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                errors.append(p["entry"].get("text", ""))
        report("no console error or exception", not errors, "; ".join(errors)[:500])
    except Exception as e:  # the browser failed or did not answer: one failure, said
        report("the browser session", False, "%s: %s" % (type(e).__name__, e))
    finally:
        b.close()


if __name__ == "__main__":
    main()
