#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the bench consoles into tests/bench/results/ and BENCHMARKS.md.

usage: report.py BUILD_BENCH_DIR RESULTS_DIR BENCHMARKS_MD
Reads console-hot.log, console-deliv.log, host.env (and *.cmd, the QEMU
command lines) from BUILD_BENCH_DIR; writes hotpath.txt/.dat, delivery.txt/
.dat, footprint.txt, env.txt and hotpath.png (gnuplot) to RESULTS_DIR, and
BENCHMARKS.md from the numbers.
"""
import os
import re
import shlex
import statistics
import subprocess
import sys

bb, res, md_path = sys.argv[1:4]
os.makedirs(res, exist_ok=True)
LINE = re.compile(r"@@BENCH (\S+)(.*?)@@")


def records(name):
    out = []
    path = os.path.join(bb, name)
    if not os.path.exists(path):
        return out
    with open(path, errors="replace") as f:
        for line in f:
            for m in LINE.finditer(line.replace("\r", "")):
                kv = dict(p.split("=", 1) for p in m.group(2).split() if "=" in p)
                kv["_kind"] = m.group(1)
                out.append(kv)
    return out


def read_kv(path):
    d = {}
    if os.path.exists(path):
        for line in open(path):
            if "=" in line:
                k, v = line.rstrip("\n").split("=", 1)
                d[k] = v
    return d


def cmdline(name):
    p = os.path.join(bb, name + ".cmd")
    if not os.path.exists(p):
        return ""
    s = open(p).read().strip()
    s = re.sub(r"-kernel \S+", "-kernel vmlinuz", s)
    s = re.sub(r"-initrd \S+", "-initrd initrd.img", s)
    return s


hot = records("console-hot.log")
dlv = records("console-deliv.log")
prof = records("console-profile.log")
host = read_kv(os.path.join(bb, "host.env"))
env_hot = next((r for r in hot if r["_kind"] == "env"), {})
env_dlv = next((r for r in dlv if r["_kind"] == "env"), {})

CONFIGS = ["base", "alert", "block", "bpftrace"]
CFG_NAME = {"base": "no module (baseline)", "alert": "procmem-guard alert + listener",
            "block": "procmem-guard block + listener", "bpftrace": "bpftrace peer"}
FILES = ["tmpfs", "status", "mem"]
FILE_NAME = {"tmpfs": "(a) tmpfs file", "status": "(b) /proc/self/status",
             "mem": "(c) /proc/self/mem"}

# --- hot path -----------------------------------------------------------
vals = {}
errs = {}
for r in hot:
    if r["_kind"] != "hot":
        continue
    k = (r["config"], r["file"])
    vals.setdefault(k, []).append(float(r["ns_per_op"]))
    errs[k] = (r.get("errors", "0"), r.get("errno", "0"))
checks = [r for r in hot if r["_kind"] == "hotcheck"]
skips = [r for r in hot if r["_kind"] == "hotskip"]


def stat(cfg, f):
    v = vals.get((cfg, f))
    if not v:
        return None
    return min(v), statistics.median(v), max(v), len(v)


def ratio(cfg, f, which):
    a, b = stat(cfg, f), stat("base", f)
    if not a or not b:
        return None
    return a[which] / b[which]


hot_rows = []
for f in FILES:
    for cfg in CONFIGS:
        s = stat(cfg, f)
        if not s:
            continue
        rmin, rmed = ratio(cfg, f, 0), ratio(cfg, f, 1)
        spread = (s[2] - s[0]) / s[0] * 100
        e = errs.get((cfg, f), ("0", "0"))
        note = "open fails EACCES" if e[0] != "0" and e[1] == "13" else (
            "errors=%s errno=%s" % e if e[0] != "0" else "")
        hot_rows.append((f, cfg, s, rmin, rmed, spread, note))

with open(os.path.join(res, "hotpath.txt"), "w") as o:
    o.write("# open()+close() cost in guest ns under -icount shift=0 (= instructions executed)\n")
    o.write("# file config rounds min median max ratio_min ratio_median spread% note\n")
    for f, cfg, s, rmin, rmed, spread, note in hot_rows:
        o.write("%s %s %d %.1f %.1f %.1f %.4f %.4f %.2f %s\n" % (
            f, cfg, s[3], s[0], s[1], s[2], rmin, rmed, spread, note.replace(" ", "_") or "-"))
with open(os.path.join(res, "hotpath.dat"), "w") as o:
    o.write("# file " + " ".join("%s_ratio_median" % c for c in CONFIGS) + "\n")
    for f in FILES:
        o.write('"%s"' % FILE_NAME[f] + "".join(
            " %.4f" % (ratio(c, f, 1) or float("nan")) for c in CONFIGS) + "\n")

# --- delivery -----------------------------------------------------------
deliv = [r for r in dlv if r["_kind"] == "deliv"]


def i(r, k):
    try:
        return int(r.get(k, "0"))
    except ValueError:
        return 0


drows = []
for r in deliv:
    secs = float(r.get("seconds", "0") or 0) or 1
    lost_k = i(r, "drop_ring_full") + i(r, "drop_send") + i(r, "suppressed")
    # The statistics invariant (include/procmem_guard.h). The suites check it
    # with pmg_stats_accounted() of tests/guest/pmg_test.h; this script reads
    # console lines on the host and cannot use that C helper, so it spells
    # the sum again: keep both in step.
    acc = i(r, "matches") - (i(r, "sent") + i(r, "drop_ring_full") + i(r, "drop_send")
                             + i(r, "logged") + i(r, "suppressed") + i(r, "allowed") + i(r, "inflight"))
    drows.append(dict(openers=r["openers"], sink=r["sink"], opens=i(r, "opens"),
                      rate=i(r, "rate"),
                      matches=i(r, "matches"), sent=i(r, "sent"),
                      sent_per_s=i(r, "sent") / secs, lines=r.get("lines", "-"),
                      ring=i(r, "drop_ring_full"), send=i(r, "drop_send"),
                      supp=i(r, "suppressed"), logged=i(r, "logged"),
                      lost_listener=i(r, "listener_lost"), lost_k=lost_k, acc=acc,
                      p50=r.get("lat_p50_us", "-"), p99=r.get("lat_p99_us", "-"),
                      pmax=r.get("lat_max_us", "-"), secs=secs,
                      pacing=r.get("pace", "1") != "0", paced=i(r, "paced"),
                      pace_to=i(r, "pace_timeouts"), opens_per_s=i(r, "opens") / secs))
with open(os.path.join(res, "delivery.txt"), "w") as o:
    o.write("# plain TCG -smp 2, ratelimit=off; times are emulated, not hardware times\n")
    o.write("# openers sink rate seconds opens matches sent sent_per_s lines drop_ring_full "
            "drop_send suppressed logged listener_lost p50_us p99_us max_us accounting_gap "
            "pacing paced pace_timeouts\n")
    for d in drows:
        o.write("%(openers)s %(sink)s %(rate)d %(secs).2f %(opens)d %(matches)d %(sent)d %(sent_per_s).0f "
                "%(lines)s %(ring)d %(send)d %(supp)d %(logged)d %(lost_listener)d %(p50)s %(p99)s "
                "%(pmax)s %(acc)d %(pacing)d %(paced)d %(pace_to)d\n" % d)

# --- footprint ----------------------------------------------------------
mems = [r for r in dlv if r["_kind"] == "mem"]
rss = [r for r in dlv if r["_kind"] == "rss"]
by = {}
for r in mems:
    label, entries, rep = r["label"].split(":")
    by.setdefault((label, entries), []).append(r)


def mk(r, k):
    return int(r.get(k, "0") or 0)


def delta(label, entries, key):
    ds = []
    for b, a in zip(by.get(("before", entries), []), by.get((label, entries), [])):
        ds.append(mk(a, key) - mk(b, key))
    return statistics.median(ds) if ds else None


modsize = next((r.get("mod_size") for r in mems if r.get("mod_size")), None)
frows = []
for entries in ("1024", "65536"):
    for label, what in (("loaded", "loaded, default policy"), ("rules0", "policy with 0 allow rules"),
                        ("rules64", "policy with 64 allow rules"), ("rules256", "policy with 256 allow rules")):
        if (label, entries) not in by:
            continue
        vm = statistics.median(mk(a, "mod_vmalloc") for a in by[(label, entries)])
        frows.append((entries, what, delta(label, entries, "SUnreclaim"),
                      delta(label, entries, "Slab"), delta(label, entries, "VmallocUsed"),
                      delta(label, entries, "Percpu"), vm))
with open(os.path.join(res, "footprint.txt"), "w") as o:
    o.write("# module size (/proc/modules): %s bytes\n" % modsize)
    o.write("# deltas against before insmod, kB, median of 3 load cycles\n")
    o.write("# rate_entries state SUnreclaim_kB Slab_kB VmallocUsed_kB Percpu_kB module_vmalloc_bytes\n")
    for fr in frows:
        o.write("%s %s %s %s %s %s %s\n" % (fr[0], fr[1].replace(" ", "_"), *fr[2:]))
    for r in rss:
        o.write("# listener %s: VmRSS=%s VmHWM=%s\n" % (r.get("state"), r.get("VmRSS"), r.get("VmHWM")))

env = dict(host)
env.update({"guest_kernel": env_hot.get("kernel") or env_dlv.get("kernel", "?"),
            "hot_cmd": cmdline("console-hot.log"), "deliv_cmd": cmdline("console-deliv.log")})
with open(os.path.join(res, "env.txt"), "w") as o:
    for k, v in env.items():
        o.write("%s=%s\n" % (k, v))

# --- plot ---------------------------------------------------------------
png = os.path.join(res, "hotpath.png")
gp = r"""
set terminal pngcairo size 1000,420 font "sans,10"
set output '%(png)s'
set multiplot layout 1,2 title "procmem-guard hot path: open()+close() cost relative to no module (median of %(rounds)s rounds)\nQEMU -icount shift=0: counts instructions executed, not cache or pipeline effects; kernel %(krel)s"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set key below
set grid ytics
set ylabel "ratio to baseline"
set yrange [0.95:*]
set xtics scale 0
plot '%(dat)s' every ::0::1 using 3:xtic(1) title 'alert + listener', '' every ::0::1 using 4 title 'block + listener', '' every ::0::1 using 5 title 'bpftrace peer', 1.05 with lines dt 2 lc rgb 'black' title '1.05 target'
set yrange [0:*]
set key below
plot '%(dat)s' every ::2::2 using 3:xtic(1) title 'alert + listener', '' every ::2::2 using 4 title 'block + listener', '' every ::2::2 using 5 title 'bpftrace peer'
unset multiplot
""" % {"png": png, "dat": os.path.join(res, "hotpath.dat"),
       "rounds": env_hot.get("rounds", "?"), "krel": env.get("guest_kernel")}
with open(os.path.join(res, "hotpath.gp"), "w") as o:
    o.write(gp.replace(res + "/", ""))
if hot_rows:
    subprocess.run(["gnuplot"], input=gp, text=True, check=False)

# --- BENCHMARKS.md --------------------------------------------------------
def fmt(x, nd=0):
    if x is None:
        return "–"
    return ("{:,.%df}" % nd).format(x)


def fr(x):
    return "–" if x is None else "%.3fx" % x


L = []
w = L.append
w("# Benchmarks\n")
w("Regenerate everything on this page (tables, `tests/bench/results/`, the plot) "
  "with one command, as root on Debian 12:\n")
w("```sh\nmake bench\n```\n")
w("It builds the module for the Debian %s kernel (`tests/vm/kernel.sh`), the CLI and "
  "the bench programs (`tests/bench/openbench.c`, `tests/bench/delivbench.c`), a bench "
  "initramfs with bpftrace in it (`tests/bench/mkbench-initramfs.sh`), boots it twice "
  "in QEMU and writes this file from the console output (`tests/bench/report.py`). "
  "`make bench-report` re-parses the last run without booting.\n" % env.get("krel", "6.1"))
w("**Read the ratios, not the absolute numbers.** Everything runs under QEMU TCG "
  "(software emulation, no KVM): absolute times under emulation are not hardware "
  "times.\n")
w("## Environment\n")
w("| | |\n|---|---|")
w("| guest kernel | `%s` (Debian 12 package, BTF at `/sys/kernel/btf/vmlinux`) |" % env["guest_kernel"])
w("| emulator | %s, TCG, `-cpu max`, %s guest RAM |" % (env.get("qemu", "?"), shlex.quote(re.search(r"-m (\S+)", env["hot_cmd"] or "-m ?").group(1))))
w("| hot-path and profile boots | `-icount shift=0,sleep=off -smp 1`: guest clock = instructions executed |")
w("| delivery / footprint boot | plain TCG, `-smp 2` (no icount): wall-clock time of an emulated machine |")
w("| host | %s, %s CPUs, shared with other QEMU jobs during the run |" % (env.get("host_cpu", "?"), env.get("host_cpus", "?")))
w("| eBPF peer | %s (Debian 12 package) |" % env.get("bpftrace", "?"))
w("| procmem-guard | commit %s, measured %s |" % (env.get("commit", "?"), env.get("date", "?")))
w("")
w("QEMU command lines (kernel command line included):\n")
for k in ("hot_cmd", "deliv_cmd"):
    if env.get(k):
        w("```\n%s\n```" % env[k])
w("")

w("## 1. Hot path: open()+close()\n")
w("`openbench PATH N` times N = %s `open(O_RDONLY)`+`close()` pairs (after N/10 warm-up pairs) "
  "with `CLOCK_MONOTONIC` and prints nanoseconds per pair. **Under `-icount shift=0,sleep=off` "
  "one guest nanosecond is one emulated instruction: these figures count instructions "
  "executed per open+close (including whatever else the single vCPU ran meanwhile, e.g. the "
  "listener or bpftrace consuming output), not cache or pipeline effects.** "
  "Configurations alternate in one boot, %s rounds, the order rotated every round:\n" % (
      fmt(int(env_hot.get("ops", "0") or 0)), env_hot.get("rounds", "?")))
w("* **baseline** — no module;")
w("* **alert** — `insmod procmem_guard.ko ratelimit=off` (read and write alert) and "
  "`procmem-guard listen --format json > /dev/null` attached, so every finding is delivered;")
w("* **block** — `insmod procmem_guard.ko read=block write=block ratelimit=off` and the same "
  "listener; opens of (c) fail with `EACCES` and are still timed;")
w("* **bpftrace** — no module; `bpftrace -o /tmp/bt.out -e '%s'` (one output line per match, "
  "written to a tmpfs file)." % "kprobe:security_file_open /((struct file *)arg0)->f_op == kaddr(\"proc_mem_operations\")/ { printf(\"%d %s mem open\\n\", pid, comm); }")
w("")
w("Emulated instructions per open+close (min and median over the rounds; ratio = against the "
  "baseline of the same file, same statistic):\n")
w("| file | configuration | min | median | ratio (min) | ratio (median) | spread max/min | note |")
w("|---|---|---:|---:|---:|---:|---:|---|")
for f, cfg, s, rmin, rmed, spread, note in hot_rows:
    w("| %s | %s | %s | %s | %s | %s | %.2f %% | %s |" % (
        FILE_NAME[f], CFG_NAME[cfg], fmt(s[0]), fmt(s[1]), fr(rmin), fr(rmed), spread, note))
w("")
if skips:
    w("Skipped: " + ", ".join("%s in round %s" % (r["config"], r["round"]) for r in skips) + ".\n")
w("![hot path ratios](tests/bench/results/hotpath.png)\n")
w("*Plot: `tests/bench/results/hotpath.png`, from `hotpath.dat` by gnuplot "
  "(`hotpath.gp`). Instruction counts under `-icount`, not hardware time.*\n")
if checks:
    w("Bookkeeping after each round (kernel counters from `procmem-guard status` for the "
      "module; output lines and `Lost N events` for bpftrace). Each round delivers the "
      "mem opens of the warm-up and the measured loop:\n")
    w("| round | config | matches | sent | drop_ring_full | drop_send | blocked | listener lost | bpftrace lines | bpftrace lost events |")
    w("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in checks:
        w("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            r["round"], r["config"], r.get("matches", "–"), r.get("sent", "–"),
            r.get("drop_ring_full", "–"), r.get("drop_send", "–"), r.get("blocked", "–"),
            r.get("listener_lost", "–"), r.get("lines", "–"), r.get("lost_events", "–")))
    w("")

# targets
w("### Targets\n")
tl = []
for f in ("tmpfs", "status"):
    for cfg in ("alert", "block"):
        rm = ratio(cfg, f, 1)
        if rm is None:
            continue
        tl.append("* %s, %s: %s of baseline — target ≤ 1.05x: **%s**" % (
            FILE_NAME[f], cfg, fr(rm), "met" if rm <= 1.05 else "missed"))
        rb = ratio("bpftrace", f, 1)
        if rb is not None:
            tl.append("* %s, %s vs bpftrace (%s): **%s**" % (
                FILE_NAME[f], cfg, fr(rb), "cheaper" if rm < rb else "not cheaper"))
L.extend(tl)
w("")

w("## 2. Delivery: findings per second, loss, latency\n")
w("**Plain TCG, `-smp 2`, no icount: wall-clock times of an emulated machine on a host "
  "shared with other QEMU jobs. Absolute rates and latencies under emulation are not "
  "hardware figures and vary between runs; read them as orders of magnitude and "
  "compare the rows.**\n")
w("The module is loaded with `ratelimit=off` (fresh for every row). `delivbench -n N -t S` "
  "starts `procmem-guard listen --format json`, waits 1 s for it to subscribe, then runs N "
  "opener processes that open+close `/proc/self/mem` for S seconds, flat out or (`-r R`) "
  "R times a second each, and waits until no line came for 2 s. Sink `/dev/null`: the listener writes to `/dev/null` (rates from the "
  "kernel counters). Sink `pipe`: delivbench reads the listener's standard output and times "
  "each line: the finding's `\"time\"` (the open's `CLOCK_REALTIME`, taken in the probe) "
  "against `CLOCK_REALTIME` when the line is read. Lost = `drop_ring_full` + `drop_send` + "
  "`suppressed` (kernel) and the listener's `lost N messages` (socket overruns). The listener "
  "asks the module to pace (its default: while it is behind, mem opens wait, see README) "
  "except in the `--no-pace` row; *paced opens* counts the opens that waited and, in "
  "brackets, the waits that ran out (`pace_ms`).\n")
w("| openers | opener rate | listener pacing | seconds | sink | opens | opens/s | paced opens (waits run out) | findings | delivered (sent) | delivered/s | drop_ring_full | drop_send | suppressed | listener lost | lines read | p50 latency | p99 latency | max | accounting gap |")
w("|---:|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for d in drows:
    lat = lambda x: "–" if x == "-" else "%s µs" % fmt(float(x))
    w("| %s | %s | %s | %.0f | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
        d["openers"], "%d/s" % d["rate"] if d["rate"] else "flat out",
        "on" if d["pacing"] else "`--no-pace`", d["secs"],
        "`/dev/null`" if d["sink"] == "devnull" else "pipe to delivbench",
        fmt(d["opens"]), fmt(d["opens_per_s"]),
        "%s (%s)" % (fmt(d["paced"]), fmt(d["pace_to"])),
        fmt(d["matches"]), fmt(d["sent"]), fmt(d["sent_per_s"]),
        fmt(d["ring"]), fmt(d["send"]), fmt(d["supp"]), fmt(d["lost_listener"]),
        d["lines"] if d["lines"] == "-" else fmt(int(d["lines"])),
        lat(d["p50"]), lat(d["p99"]), lat(d["pmax"]), d["acc"]))
w("")
w("*Accounting gap* = matches − (sent + drop_ring_full + drop_send + logged + suppressed + "
  "allowed + inflight); 0 means every finding is accounted for.\n")
w("### Targets\n")
for d in drows:
    zero = d["ring"] + d["send"] + d["supp"] + d["lost_listener"] == 0
    what = "%s opener%s, %s, %.0f s, sink %s%s" % (
        d["openers"], "" if d["openers"] == "1" else "s",
        "%d/s" % d["rate"] if d["rate"] else "flat out", d["secs"], d["sink"],
        "" if d["pacing"] else ", listener `--no-pace` (for comparison, not a target row)")
    if not d["pacing"]:
        w("* %s: %s findings lost, every one counted (gap %d)" % (
            what, fmt(d["ring"] + d["send"] + d["supp"] + d["lost_listener"]), d["acc"]))
    elif d["openers"] == "1":
        w("* %s: %s" % (what, "zero loss — **met**" if zero else
          "**missed**: %s findings lost (ring full %s, send %s, listener %s)" % (
              fmt(d["ring"] + d["send"] + d["supp"] + d["lost_listener"]), fmt(d["ring"]),
              fmt(d["send"]), fmt(d["lost_listener"]))))
    else:
        w("* %s: %s lost, every one counted (gap %d) — **%s**" % (
            what, fmt(d["ring"] + d["send"] + d["supp"] + d["lost_listener"]), d["acc"],
            "met" if d["acc"] == 0 else "missed"))
w("")

psum = {r["label"]: r for r in prof if r["_kind"] == "profsum"}
pfn = [r for r in prof if r["_kind"] == "prof"]
if pfn:
    w("### Where the instructions go (profile)\n")
    w("A separate `-icount` boot (same kernel, module in alert mode with the listener) runs "
      "one loop of N open+close pairs of `/proc/self/mem` and one of the tmpfs file under "
      "ftrace's `function_graph` tracer, restricted to the module's functions and a few kernel "
      "functions they call. Durations are guest ns = **instructions**, including the tracer's "
      "own entry/exit cost (a few hundred instructions per traced call), so they overstate "
      "small functions; nested functions are included in their callers. The listener's CPU "
      "time comes from `/proc/PID/schedstat` (instructions under `-icount`, untraced).\n")
    for label in ("mem", "tmpfs"):
        rows = sorted((r for r in pfn if r["label"] == label),
                      key=lambda r: -float(r["total_us"]))
        ps = psum.get(label, {})
        ops = int(ps.get("ops", "0") or 0) or 1
        if not rows:
            continue
        w("Loop of %s opens of %s:\n" % (fmt(ops), FILE_NAME[label]))
        w("| function | calls | instructions per call (avg) | instructions per open |")
        w("|---|---:|---:|---:|")
        for r in rows[:16]:
            w("| `%s` | %s | %s | %s |" % (r["fn"], fmt(int(r["hit"])),
                                           fmt(float(r["avg_us"]) * 1000),
                                           fmt(float(r["total_us"]) * 1000 / ops)))
        sent = int(ps.get("sent", "0") or 0)
        if label == "mem" and sent:
            w("| listener process (`procmem-guard listen --format json`, user + kernel) | %s findings | %s per finding | %s |" % (
                fmt(sent), fmt(int(ps["listener_ns"]) / sent), fmt(int(ps["listener_ns"]) / ops)))
        w("")

w("## 3. Footprint\n")
w("Module size from `/proc/modules` (code and data of the loaded module): **%s bytes**.\n" % (
    fmt(int(modsize)) if modsize else "–"))
w("Memory after `insmod`, against the same counters just before it (`/proc/meminfo`, "
  "kB, after `drop_caches`; median of 3 load cycles — slab figures move by a few kB from "
  "unrelated activity), and the bytes in `/proc/vmallocinfo` allocated by the module "
  "itself (its tables; module code is not counted there). Policies are applied with "
  "`procmem-guard apply` (`allow uid=N access=read` rules):\n")
w("| rate_entries | state | ΔSUnreclaim kB | ΔSlab kB | ΔVmallocUsed kB | ΔPercpu kB | module vmalloc bytes |")
w("|---:|---|---:|---:|---:|---:|---:|")
for fr_ in frows:
    w("| %s | %s | %s | %s | %s | %s | %s |" % (fr_[0], fr_[1], *[fmt(x) for x in fr_[2:6]], fmt(fr_[6])))
w("")
if rss:
    w("Listener (`procmem-guard listen --format json > /dev/null`) resident set:\n")
    w("| state | VmRSS | VmHWM | matches | sent | drop_ring_full | drop_send |\n|---|---:|---:|---:|---:|---:|---:|")
    for r in rss:
        w("| %s | %s | %s | %s | %s | %s | %s |" % (
            "idle, subscribed" if r.get("state") == "idle" else
            "after one opener's 100,000 back-to-back mem opens", r.get("VmRSS", "?"),
            r.get("VmHWM", "?"), r.get("matches", "–"), r.get("sent", "–"),
            r.get("drop_ring_full", "–"), r.get("drop_send", "–")))
    w("")
    w("The second row is also a longer delivery run than section 2's 5 s: one opener, "
      "listener on `/dev/null`, plain TCG `-smp 2`.\n")

extra = os.path.join(os.path.dirname(os.path.abspath(__file__)), "analysis.md")
if os.path.exists(extra):
    w(open(extra).read())

w("## Files\n")
w("| file | what |\n|---|---|")
w("| `tests/bench/results/hotpath.txt`, `.dat`, `.gp`, `.png` | hot-path table, plot data, gnuplot script, plot |")
w("| `tests/bench/results/delivery.txt` | delivery rows |")
w("| `tests/bench/results/footprint.txt` | memory rows |")
w("| `tests/bench/results/env.txt` | host, QEMU command lines, versions |")
w("| `tests/bench/results/console-*.log` | the `@@BENCH` lines of each boot, raw |")
w("")
with open(md_path, "w") as o:
    o.write("\n".join(L))

for name in ("console-hot.log", "console-profile.log", "console-deliv.log"):
    p = os.path.join(bb, name)
    if os.path.exists(p):
        with open(p, errors="replace") as f, open(os.path.join(res, name), "w") as o:
            for line in f:
                line = line.replace("\r", "")
                if "@@BENCH" in line:
                    o.write(line[line.index("@@BENCH"):])
print("report: %s, %s" % (md_path, res))
