#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The Python side of tests/outputs/check.sh (standard library only).

  outputs.py syslog-gen DIR             cases for pmg_outputs syslog:
                                        DIR/syslog.in (its input),
                                        DIR/syslog.cases (what to expect)
  outputs.py syslog-check DIR OUT FACILITY MAX_SIZE
                                        OUT: rsyslog's JSON lines (the
                                        ruleset of examples/rsyslog/
                                        procmem-guard.conf); one
                                        "ok|bad <case>: ..." line per case
  outputs.py receiver PORT_FILE LOG [--exit-after N] [--busy N] [--es]
                                        an HTTP server on 127.0.0.1 that
                                        applies Falcosidekick's input
                                        validation (handlers.go,
                                        newFalcoPayload + Check) to every
                                        POST; LOG gets one JSON line per
                                        request; with --exit-after, the
                                        process ends (os._exit) right
                                        after answering the Nth accepted
                                        finding; with --busy, the first
                                        N requests get a 503; with --es,
                                        it plays an Elasticsearch _doc
                                        endpoint instead (a JSON object:
                                        201 Created)
  outputs.py falco-lines N BAD          N Falco-shaped finding lines, the
                                        BAD-th (1-based, 0: none) invalid
  outputs.py finding-events N           N findings (hostile strings) for
                                        pmg_outputs post --format
  outputs.py status-gen                 a status with every counter
  outputs.py prom-check STATUS PROMFILE SCRAPE
                                        the textfile follows the text
                                        format; node_exporter's scrape
                                        holds every value of STATUS
  outputs.py free-port                  a free TCP/UDP port on 127.0.0.1
"""
import http.server
import json
import os
import re
import socket
import sys

SD_ID = "procmem-guard@32473"
FACILITIES = {"authpriv": 10, "local3": 19, "daemon": 3}


def hexs(b):
    return b.hex()


# --- the text format's escapes (tools/escape.h), decoded -------------------

def text_unescape(s):
    """The bytes a text-format escaped string stands for."""
    out = bytearray()
    i = 0
    simple = {'"': b'"', '\\': b'\\', 'n': b'\n', 'r': b'\r', 't': b'\t'}
    while i < len(s):
        c = s[i]
        if c != '\\':
            out += c.encode()
            i += 1
            continue
        n = s[i + 1]
        if n in simple:
            out += simple[n]
            i += 2
        elif n == 'x':
            out.append(int(s[i + 2:i + 4], 16))
            i += 4
        elif n == 'u':
            out += chr(int(s[i + 2:i + 6], 16)).encode()
            i += 6
        else:
            raise ValueError("bad escape at %d in %r" % (i, s))
    return bytes(out)


# --- syslog ------------------------------------------------------------------

ACTIONS = {1: "alert", 2: "block", 3: "allow"}
ACCESS = {1: "read", 2: "write", 3: "read-write", 4: "attach"}
OUTCOMES = {1: "granted", 2: "refused", 3: "blocked", 4: "unknown"}
CHANNELS = {1: "proc-mem", 2: "process-vm", 3: "ptrace", 4: "pidfd-getfd"}
REASONS = {1: "ring-full", 2: "user-share-full", 3: "rate-limit", 4: "log-limit"}
NOTICES = {1: "probe-disarmed", 2: "probe-armed", 3: "policy-changed",
           4: "module-unloading"}
ENUMS = {"action": ACTIONS, "access": ACCESS, "outcome": OUTCOMES,
         "channel": CHANNELS, "reason": REASONS}
PMG_LEV_LOST = 4

SEG = b"x" * 200 + b'"\\]\n\x01\xff'
LONG_PATH = (b"/" + SEG) * 19
LONG_PATH += b"p" * (4000 - len(LONG_PATH))
assert len(LONG_PATH) == 4000

HOSTILE = {
    "signature": 1023, "seq": 7, "action": 1, "access": 1, "flags": 32768,
    "outcome": 1, "channel": 1, "syscall": 257,
    "pid": 4321, "tid": 4322, "ppid": 1, "uid": 1000, "euid": 0, "gid": 1000,
    "comm": b'a"b\\c]d\n\x01\xff', "exe": b'/usr/bin/q"\\]\n\x01\xff \xc3\xa9',
    "cgroup_id": 18446744073709551615, "target_pid": 1234,
    "target_tid": 1235, "target_comm": b"sshd]", "path": LONG_PATH,
    "procfs_path": b"/1234/mem", "suppressed": 0,
}
# Attributes that are not parameters of their own (in the header, or
# signature and seq from the line's description).
NOT_PARAMS = {"signature", "seq", "time_ns", "kind"}


def sd_value(k, v, table=ENUMS):
    """The value a field gets in the structured data."""
    if k in table:
        return table[k][v]
    return v if isinstance(v, bytes) else str(v)


def syslog_cases():
    t = 1735787045123456789
    host = b"host1.example"
    line = b'2025-01-02T03:04:05.123456789Z TRC-1023 alert read pid=4321 comm="a\\"b" \xc3\xa9'
    small = dict(HOSTILE, path=b"/proc/1/mem")
    return [
        dict(name="hostile", type="finding", finding=HOSTILE, line=line,
             severity=4, signature="TRC-1023", event="proc_mem_access"),
        dict(name="blocked", type="finding", finding=dict(small, action=2, outcome=3),
             line=b"blocked", severity=2, signature="TRC-1024",
             event="proc_mem_code_injection", time_ns=t + 1000),
        dict(name="process_vm", type="finding",
             finding=dict(small, signature=2001, channel=2, syscall=310),
             line=b"x", severity=4, signature="PMG-2001", event="process_vm_read"),
        dict(name="summary", type="summary",
             finding={"signature": 1023, "seq": 12, "summary": 5, "reason": 3,
                      "first_ns": t - 10**9, "pid": 9, "target_pid": 10,
                      "action": 1},
             line=b"summary", severity=4, signature="TRC-1023",
             event="proc_mem_access"),
        dict(name="notice", type="notice",
             notice={"seq": 13, "type": 3, "pid": 1, "uid": 0,
                     "comm": b'sh"]\\', "exe": b"/bin/\xff",
                     "cmd": 9, "detail": b'read=block\nwrite="alert"]'},
             line=b"policy changed", severity=5, event="policy-changed"),
        dict(name="listener_lost", type="listener", lev=PMG_LEV_LOST, lost=3,
             line=b'{"event":"lost"}', severity=4, event="lost"),
        dict(name="header_limits", type="finding", finding={"signature": 1023},
             line=b"h", hostname=b"h w\x01" + b"h" * 300, severity=4,
             signature="TRC-1023", event="e" * 40),
        dict(name="msg_cut", type="finding", finding={"signature": 1023, "seq": 9},
             line=b"y" * 9000, severity=4, signature="TRC-1023",
             event="proc_mem_access"),
        dict(name="values_cut", type="finding",
             finding=dict(HOSTILE, path=b"/" + b"\xff" * 4094,
                          exe=b"/" + b"]" * 4094),
             line=b"values cut", severity=4, signature="TRC-1023",
             event="proc_mem_access"),
    ]


def case_defaults(c):
    c.setdefault("time_ns", 1735787045123456789)
    c.setdefault("hostname", b"host1.example")
    return c


def case_seq(c):
    body = c.get("finding") or c.get("notice") or {}
    return body.get("seq", 0)


def syslog_gen(d):
    with open(os.path.join(d, "syslog.in"), "w") as f:
        for c in map(case_defaults, syslog_cases()):
            o = {"type": c["type"], "line": hexs(c["line"]), "event": c["event"],
                 "time_ns": c["time_ns"], "hostname": hexs(c["hostname"]),
                 "severity": c["severity"], "boot_id": c["name"],
                 "seq": case_seq(c)}
            for k in ("signature", "lev", "lost"):
                if k in c:
                    o[k] = c[k]
            for k in ("finding", "notice"):
                if k in c:
                    o[k] = {a: hexs(v) if isinstance(v, bytes) else v
                            for a, v in c[k].items()}
            f.write(json.dumps(o) + "\n")


def expected_params(c):
    want = {"boot_id": c["name"]}
    if "signature" in c:
        want["signature"] = c["signature"]
    if case_seq(c):
        want["seq"] = str(case_seq(c))
    for k, v in c.get("finding", {}).items():
        if k not in NOT_PARAMS:
            want[k] = sd_value(k, v)
    for k, v in c.get("notice", {}).items():
        if k not in NOT_PARAMS:
            want[k] = sd_value(k, v, {"type": NOTICES})
    if c.get("lost"):
        want["lost"] = str(c["lost"])
    return want


def header_field(b, limit):
    s = bytes(c if 33 <= c <= 126 else ord("_") for c in b[:limit])
    return s.decode() if s else "-"


def check_one(c, rec, facility, max_size):
    """Problems of rsyslog's record rec of case c (a list of strings)."""
    bad = []
    hdr = rec["hdr"]
    exp = {"pri": str(facility * 8 + c["severity"]), "version": "1",
           "hostname": header_field(c["hostname"], 255),
           "app_name": "procmem-guard", "msgid": c["event"][:32]}
    ns = c["time_ns"]
    exp["timestamp"] = "%s.%06dZ" % (
        __import__("time").strftime("%Y-%m-%dT%H:%M:%S",
                                    __import__("time").gmtime(ns // 10**9)),
        ns % 10**9 // 1000)
    for k, v in exp.items():
        if hdr.get(k) != v:
            bad.append("%s: %r, expected %r" % (k, hdr.get(k), v))
    if not re.fullmatch(r"[0-9]+", hdr.get("procid", "")):
        bad.append("procid %r" % hdr.get("procid"))
    size = int(hdr["size"])
    if size > max_size:
        bad.append("%d bytes, more than %d" % (size, max_size))
    sd = rec.get("rfc5424-sd", {}).get(SD_ID)
    if sd is None:
        return bad + ["no structured data %s in %r" % (SD_ID, rec)]
    want = expected_params(c)
    cut = set(sd.get("truncated", "").split(",")) - {""}
    got_keys = set(sd) - {"truncated"}
    if got_keys != set(want):
        bad.append("parameters %s, expected %s" % (sorted(got_keys), sorted(want)))
    for k in sorted(set(want) & got_keys):
        w = want[k] if isinstance(want[k], bytes) else want[k].encode()
        try:
            g = text_unescape(sd[k])
        except (ValueError, IndexError) as e:
            bad.append("%s: %r does not decode: %s" % (k, sd[k], e))
            continue
        if k in cut:
            if not w.startswith(g) or len(g) >= len(w):
                bad.append("%s: cut value is not a shorter prefix" % k)
        elif g != w:
            bad.append("%s: %r, expected %r" % (k, g[:80], w[:80]))
    msg = rec.get("msg", "")
    line = c["line"].decode()
    if msg.startswith("\ufeff"):
        msg = msg[1:]
    elif msg:
        bad.append("msg without the BOM")
    if not line.startswith(msg):
        bad.append("msg %r is not a prefix of the line %r" % (msg[:80], line[:80]))
    if msg != line and not cut and size <= max_size - 8:
        bad.append("msg cut in a message of %d bytes" % size)
    if cut and msg:
        bad.append("values cut (%s) while the line is there" % sorted(cut))
    if c["name"] == "msg_cut" and (msg == line or size != max_size):
        bad.append("msg not cut to a message of %d bytes (%d)" % (max_size, size))
    elif c["name"] == "values_cut" and not cut:
        bad.append("no truncated= parameter")
    elif c["name"] not in ("msg_cut", "values_cut") and (msg != line or cut):
        bad.append("cut, though it fits")
    return bad


def syslog_check(d, out, facility, max_size):
    recs = {}
    for raw in open(out, encoding="utf-8"):
        rec = json.loads(raw)
        case = rec.get("rfc5424-sd", {}).get(SD_ID, {}).get("boot_id")
        recs.setdefault(case, []).append(rec)
    fails = 0
    for c in map(case_defaults, syslog_cases()):
        got = recs.get(c["name"], [])
        if len(got) != 1:
            print("bad %s: %d messages received, expected 1" % (c["name"], len(got)))
            fails += 1
            continue
        bad = check_one(c, got[0], facility, max_size)
        if bad:
            fails += 1
            print("bad %s: %s" % (c["name"], "; ".join(bad)))
        else:
            print("ok %s" % c["name"])
    return 1 if fails else 0


# --- Falcosidekick's HTTP input ------------------------------------------------

PRIORITIES = {"emergency", "alert", "critical", "error", "warning", "notice",
              "informational", "info", "debug"}
# time.Time.UnmarshalJSON: RFC 3339 with a zone, T and Z upper case.
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})")


def falco_check(body):
    """None if Falcosidekick takes body, else the reason (handlers.go)."""
    try:
        text = body.decode("utf-8").lstrip()
        obj, _ = json.JSONDecoder().raw_decode(text)
    except (UnicodeDecodeError, ValueError):
        return "not JSON"
    if obj is None:
        obj = {}
    if not isinstance(obj, dict):
        return "not an object"
    fields = {}
    for k, v in obj.items():  # keys match case-insensitively; last wins
        lk = k.lower()
        if lk in ("uuid", "output", "priority", "rule", "time",
                  "output_fields", "source", "tags", "hostname"):
            fields[lk] = v
    for k in ("uuid", "output", "rule", "source", "hostname", "priority", "time"):
        if fields.get(k) is not None and not isinstance(fields[k], str):
            return "%s is not a string" % k
    tags = fields.get("tags")
    if tags is not None and not (isinstance(tags, list) and
                                 all(isinstance(t, str) for t in tags)):
        return "tags is not a list of strings"
    of = fields.get("output_fields")
    if of is not None and not isinstance(of, dict):
        return "output_fields is not an object"
    t = fields.get("time")
    if t is not None and not RFC3339.fullmatch(t):
        return "time is not RFC 3339"
    # Check()
    if (fields.get("priority") or "").lower() not in PRIORITIES:
        return "priority"
    if not fields.get("rule"):
        return "rule"
    if not t or t.startswith("0001-01-01T00:00:00"):
        return "time"
    if not of:
        return "output_fields"
    return None


def es_check(body):
    """None if an Elasticsearch _doc endpoint takes body (a JSON object)."""
    try:
        obj = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return "not JSON"
    return None if isinstance(obj, dict) else "not an object"


def receiver(port_file, log, exit_after, busy, es=False):
    accepted = [0]
    busy = [busy]
    logf = open(log, "a")

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"   # keep-alive, as Go's server

        def log_message(self, *args):
            pass

        def answer(self, code, text):
            body = (text + "\n").encode() if text else b""
            self.send_response(code)
            if text:
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()

        def record(self, code, why, body):
            logf.write(json.dumps({
                "conn": "%s:%d" % self.client_address, "method": self.command,
                "path": self.path, "code": code, "why": why,
                "content_type": self.headers.get("Content-Type"),
                "user_agent": self.headers.get("User-Agent"),
                "authorization": self.headers.get("Authorization"),
                "body": body.decode("utf-8", "replace")}) + "\n")
            logf.flush()

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if busy[0]:
                busy[0] -= 1
                self.record(503, "busy", body)
                self.answer(503, "busy")
                return
            if es:
                why = es_check(body)
                code = 400 if why else 201
                self.record(code, why, body)
                self.answer(code, '{"result":"created"}' if not why else why)
            else:
                why = falco_check(body)
                code = 400 if why else 200
                self.record(code, why, body)
                self.answer(code, "Please send a valid request body" if why else "")
            if not why:
                accepted[0] += 1
                if exit_after and accepted[0] == exit_after:
                    os._exit(0)

        def do_GET(self):
            self.record(400, "method", b"")
            self.answer(400, "Please send with post http method")

        do_PUT = do_DELETE = do_GET

    srv = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    with open(port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(port_file + ".tmp", port_file)
    srv.serve_forever()


def finding_events(n):
    """n finding events for pmg_outputs post --format (hostile strings)."""
    for i in range(1, n + 1):
        f = dict(HOSTILE, seq=i, pid=1000 + i, time_ns=1735787045123456789 + i,
                 path=b"/proc/1234/mem", kind=1)
        if i % 3 == 0:
            f.update(signature=1024, access=2, action=2, outcome=3)
        if i % 5 == 0:
            f.update(signature=2001, channel=2, path=b"", procfs_path=b"")
            del f["path"], f["procfs_path"]
        print(json.dumps({"type": "finding", "finding": {
            k: hexs(v) if isinstance(v, bytes) else v for k, v in f.items()}}))


def falco_lines(n, bad):
    for i in range(1, n + 1):
        o = {"output": "cat (pid %d) read /proc/1/mem" % i, "priority": "Warning",
             "rule": "proc_mem_access", "time": "2025-01-02T03:04:05.%09dZ" % i,
             "output_fields": {"proc.pid": i, "fd.name": "/proc/1/mem",
                               "evt.seq": i},
             "source": "procmem-guard", "hostname": "host1",
             "tags": ["T1003.007", "credential-access"]}
        if i == bad:
            del o["time"]
        print(json.dumps(o))


# --- Prometheus -------------------------------------------------------------------

COUNTERS = ["inspected", "matches", "sent", "drop_ring_full", "drop_send",
            "logged", "log_ratelimited", "nmissed", "blocked", "allowed",
            "suppressed", "rate_evictions", "enforce_misses", "inflight",
            "paced", "pace_timeouts", "pacers", "granted", "refused",
            "outcome_unknown", "summaries", "summarized", "summary_overflow",
            "disarmed", "notices"]
P = "procmem_guard_"
# Counter -> (metric, labels): what the metrics are (procmem-guard(8)).
METRIC_OF = {
    "inspected": (P + "inspected_total", {}),
    "matches": (P + "findings_total", {}),
    "sent": (P + "findings_sent_total", {}),
    "logged": (P + "findings_logged_total", {}),
    "allowed": (P + "findings_allowed_total", {}),
    "drop_ring_full": (P + "dropped_total", {"reason": "ring_full"}),
    "drop_send": (P + "dropped_total", {"reason": "send_failed"}),
    "suppressed": (P + "dropped_total", {"reason": "rate_limited"}),
    "log_ratelimited": (P + "log_lines_dropped_total", {}),
    "inflight": (P + "inflight", {}),
    "granted": (P + "findings_delivered_total", {"outcome": "granted"}),
    "refused": (P + "findings_delivered_total", {"outcome": "refused"}),
    "outcome_unknown": (P + "findings_delivered_total", {"outcome": "unknown"}),
    "blocked": (P + "findings_blocked_total", {}),
    "summaries": (P + "summaries_total", {}),
    "summarized": (P + "summarized_total", {}),
    "summary_overflow": (P + "summary_overflow_total", {}),
    "nmissed": (P + "probe_misses_total", {}),
    "enforce_misses": (P + "enforce_misses_total", {}),
    "rate_evictions": (P + "rate_evictions_total", {}),
    "disarmed": (P + "probe_disarmed_total", {}),
    "notices": (P + "notices_total", {}),
    "pacers": (P + "pacers", {}),
}
MODULE_VERSION = 'v0.2 "test" \\ \n]'


def status_gen():
    stats = {name: 1000003 * (i + 1) for i, name in enumerate(COUNTERS)}
    print(json.dumps({"loaded": True, "module_version": MODULE_VERSION,
                      "protocol": 2, "armed": False,
                      "config": {"read": 1, "write": 2, "ratelimit": 100,
                                 "burst": 20, "log": 1, "report_allowed": 0,
                                 "locked": 1},
                      "stats": stats}))


LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"')


def parse_prom(text, strict):
    """{(name, frozenset(labels)): value}, checking the text format."""
    samples, typed, helped, done, current = {}, {}, set(), set(), None
    assert text.endswith("\n"), "the last line must end with a line feed"
    for ln in text.split("\n")[:-1]:
        if ln.startswith("# HELP ") or ln.startswith("# TYPE "):
            parts = ln.split(" ", 3)
            name = parts[2]
            assert re.fullmatch(r"[a-zA-Z_:][a-zA-Z0-9_:]*", name), ln
            if ln.startswith("# TYPE "):
                assert name not in typed, "two TYPE lines: " + name
                assert parts[3] in ("counter", "gauge", "untyped"), ln
                typed[name] = parts[3]
            else:
                assert name not in helped, "two HELP lines: " + name
                helped.add(name)
            assert name not in done, "%s: not one group" % name
            if current and current != name:
                done.add(current)
            current = name
            continue
        if not ln or ln.startswith("#"):
            continue
        m = re.fullmatch(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)", ln)
        assert m, "not a sample: %r" % ln
        name, labels = m.group(1), {}
        if m.group(3):
            rest = m.group(3)
            pos = 0
            while pos < len(rest):
                lm = LABEL.match(rest, pos)
                assert lm, "bad labels: %r" % ln
                labels[lm.group(1)] = (lm.group(2).replace("\\n", "\n")
                                       .replace('\\"', '"').replace("\\\\", "\\"))
                pos = lm.end()
                if pos < len(rest):
                    assert rest[pos] == ",", ln
                    pos += 1
        if strict:
            assert name in typed and name in helped, "no HELP/TYPE: " + name
            assert name not in done, "%s: not one group" % name
            if current and current != name:
                done.add(current)
            current = name
        key = (name, frozenset(labels.items()))
        assert key not in samples, "repeated sample: " + ln
        samples[key] = float(m.group(4))
    return samples, typed


def prom_check(status_file, promfile, scrape):
    st = json.load(open(status_file))
    own, types = parse_prom(open(promfile, encoding="utf-8").read(), True)
    got, _ = parse_prom(open(scrape, encoding="utf-8").read(), False)
    cf = st["config"]
    want = {(P + "module_loaded", frozenset()): float(st["loaded"]),
            (P + "probe_armed", frozenset()): float(st["armed"]),
            (P + "policy_locked", frozenset()): float(cf["locked"]),
            (P + "ratelimit_findings_per_second", frozenset()): float(cf["ratelimit"]),
            (P + "ratelimit_burst", frozenset()): float(cf["burst"]),
            (P + "log_enabled", frozenset()): float(cf["log"]),
            (P + "report_allowed", frozenset()): float(cf["report_allowed"])}
    modes = ("off", "alert", "block")
    for acc in ("read", "write", "attach"):
        if acc not in cf:
            continue
        for i, m in enumerate(modes):
            want[(P + "mode", frozenset({"access": acc, "mode": m}.items()))] = \
                1.0 if i == cf[acc] else 0.0
    for name, v in st["stats"].items():
        if name in METRIC_OF:
            metric, labels = METRIC_OF[name]
            want[(metric, frozenset(labels.items()))] = float(v)
    bad = []
    for k, v in sorted(want.items()):
        for where, s in (("textfile", own), ("node_exporter", got)):
            if s.get(k) != v:
                bad.append("%s %s: %r, expected %r" % (where, k[0], s.get(k), v))
    mine = {k for k in own if k[0] != P + "build_info"}
    if mine != set(want):
        bad.append("unexpected metrics: %s" % sorted(x[0] for x in mine - set(want)))
    info = [dict(k[1]) for k in got if k[0] == P + "build_info"]
    if len(info) != 1 or info[0].get("module_version") != MODULE_VERSION or \
            info[0].get("protocol") != "2":
        bad.append("build_info: %r" % info)
    for name, t in types.items():
        if name.endswith("_total") != (t == "counter"):
            bad.append("%s is a %s" % (name, t))
    if got.get(("node_textfile_scrape_error", frozenset())) != 0.0:
        bad.append("node_textfile_scrape_error is not 0")
    for b in bad:
        print("bad " + b)
    return 1 if bad else 0


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])


def main(argv):
    cmd = argv[1]
    if cmd == "syslog-gen":
        syslog_gen(argv[2])
    elif cmd == "syslog-check":
        return syslog_check(argv[2], argv[3], FACILITIES[argv[4]], int(argv[5]))
    elif cmd == "receiver":
        es = "--es" in argv
        rest = [a for a in argv[4:] if a != "--es"]
        opts = dict(zip(rest[0::2], map(int, rest[1::2])))
        receiver(argv[2], argv[3], opts.get("--exit-after", 0),
                 opts.get("--busy", 0), es)
    elif cmd == "finding-events":
        finding_events(int(argv[2]))
    elif cmd == "falco-lines":
        falco_lines(int(argv[2]), int(argv[3]))
    elif cmd == "status-gen":
        status_gen()
    elif cmd == "prom-check":
        return prom_check(argv[2], argv[3], argv[4])
    elif cmd == "free-port":
        free_port()
    else:
        sys.exit("unknown command " + cmd)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
