#!/usr/bin/env python3
"""Writes docs/benchmarks.md from the raw outputs bench/run-all.sh collected.

Each figure is the median over the runs; a peer's figure comes from the same
run as banwatch's, and the ratio is banwatch / peer (higher is better for
rates, lower for times). Scripts other than the known benchmarks may print
lines "RESULT <name> <value> <unit> [peer=<value>]" to be tabulated.
"""
import argparse
import glob
import os
import platform
import re
import statistics
import subprocess
from datetime import datetime, timezone

ROW = re.compile(r"^(?P<name>.+?)\s+(?P<a>[\d.]+)\s+(?P<b>[\d.]+)\s+(?P<c>[\d.]+)\s+(?P<d>[\d.]+)\s+(?P<e>[\d.]+)\s*$")
ROW3 = re.compile(r"^(?P<name>.+?)\s+(?P<a>[\d.]+)\s+(?P<b>[\d.]+)\s+(?P<c>[\d.]+)\s*$")
TIME = re.compile(r"TIME wall=([\d.]+) user=([\d.]+) sys=([\d.]+) maxrss_kb=(\d+)")
RESULT = re.compile(r"^RESULT\s+(\S+)\s+([\d.]+)\s+(\S+)(?:\s+peer=([\d.]+))?")


def read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def runs_of(work, tag):
    return sorted(glob.glob(os.path.join(work, f"{tag}.*.out")), key=lambda p: int(p.rsplit(".", 2)[-2]))


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(v, digits=1):
    if v is None:
        return "n/a"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.{digits}f}"


def ratio(ours, peer):
    if ours is None or peer is None or peer == 0:
        return "n/a"
    return f"{ours / peer:.1f}x"


def machine():
    cpu = "unknown"
    for line in read("/proc/cpuinfo").splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = 0
    for line in read("/proc/meminfo").splitlines():
        if line.startswith("MemTotal"):
            mem_kb = int(line.split()[1])
    load = read("/proc/loadavg").split()[:3]
    return cpu, os.cpu_count(), mem_kb / 1024 / 1024, load


def git(root, *args):
    try:
        return subprocess.run(["git", "-C", root, *args], capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ""


def feeds_section(work):
    outs = runs_of(work, "feeds")
    if not outs:
        return None
    rows = {}  # kind -> list of (mbps, items/s, cpu mbps) per run
    for path in outs:
        for line in read(path).splitlines():
            m = ROW.match(line)
            if not m or line.startswith("run "):
                continue
            name = m["name"].strip()
            if name.startswith("banwatch real feeds"):
                kind = "ours_real"
            elif name.startswith("bare libxml2 SAX, real"):
                kind = "sax_real"
            elif name.startswith("feedparser real"):
                kind = "peer_real"
            elif name.startswith("banwatch generated"):
                kind = "ours_large"
            elif name.startswith("bare libxml2 SAX"):
                kind = "sax_large"
            elif name.startswith("feedparser generated"):
                kind = "peer_large"
            else:
                continue
            rows.setdefault(kind, []).append((float(m["b"]), float(m["c"]), float(m["e"]), name))
    def med(kind, i):
        return median([r[i] for r in rows.get(kind, [])])
    lines = ["## Feeds: parse throughput vs python3-feedparser", "",
             f"`bench_feeds --repeat 5`, {len(outs)} runs, medians. Real feeds: the shared corpus's "
             "feed files; large: one generated feed. feedparser parses the same files in the same run.", "",
             "| input | banwatch MB/s | feedparser MB/s | ratio | banwatch items/s | feedparser items/s | ratio | "
             "banwatch CPU MB/s | feedparser CPU MB/s | ratio |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for label, ours, peer in (("real feeds", "ours_real", "peer_real"), ("generated large feed", "ours_large", "peer_large")):
        if ours not in rows:
            continue
        lines.append(f"| {label} | {fmt(med(ours, 0))} | {fmt(med(peer, 0))} | {ratio(med(ours, 0), med(peer, 0))} | "
                     f"{fmt(med(ours, 1))} | {fmt(med(peer, 1))} | {ratio(med(ours, 1), med(peer, 1))} | "
                     f"{fmt(med(ours, 2))} | {fmt(med(peer, 2))} | {ratio(med(ours, 2), med(peer, 2))} |")
    for label, kind in (("real feeds", "sax_real"), ("generated large feed", "sax_large")):
        if kind in rows:
            lines.append(f"| floor: bare libxml2 SAX, {label} | {fmt(med(kind, 0))} | | | | | | {fmt(med(kind, 2))} | | |")
    text = read(outs[-1])
    m = re.search(r"peak RSS: (\d+) MB before the large feed, (\d+) MB after \(input (\d+) MB\)", text)
    if m:
        lines += ["", f"Peak RSS: {m[1]} MB before the large feed, {m[2]} MB after parsing it (input {m[3]} MB)."]
    return "\n".join(lines)


def articles_section(work):
    outs = runs_of(work, "articles")
    if not outs:
        return None
    parse, extract, pages = [], [], ""
    for path in outs:
        text = read(path)
        for line in text.splitlines():
            m = ROW3.match(line)
            if not m:
                continue
            if line.startswith("parse"):
                parse.append((float(m["a"]), float(m["b"])))
            elif line.startswith("extract"):
                extract.append((float(m["a"]), float(m["b"])))
        first = text.splitlines()[0] if text else ""
        pages = first
    lines = ["## Articles: extraction speed", "",
             f"`bench_articles --rounds 3`, {len(outs)} runs, medians ({pages}). The floor is Gumbo's bare parse "
             "of the same pages: extraction cannot be faster than parsing.", "",
             "| | banwatch extract | bare Gumbo parse | cost ratio (parse/extract speed) |", "|---|---:|---:|---:|"]
    em, pm = median([e[0] for e in extract]), median([p[0] for p in parse])
    ep, pp = median([e[1] for e in extract]), median([p[1] for p in parse])
    lines.append(f"| MB/s | {fmt(em)} | {fmt(pm)} | {ratio(pm, em)} |")
    lines.append(f"| pages/s | {fmt(ep)} | {fmt(pp)} | {ratio(pp, ep)} |")
    peers = sorted({os.path.basename(p).split(".")[0] for p in glob.glob(os.path.join(work, "articles_peer*.out"))})
    for peer in peers:
        results = [RESULT.match(l) for p in runs_of(work, peer) for l in read(p).splitlines()]
        results = [r for r in results if r]
        for name in sorted({r[1] for r in results}):
            vals = [float(r[2]) for r in results if r[1] == name]
            lines.append(f"| {peer}: {name} | | {fmt(median(vals))} | |")
    return "\n".join(lines)


def store_section(work, events):
    outs = runs_of(work, "store")
    if not outs:
        return None
    text = read(outs[0])
    lines = ["## Store: appends and the one-month query", "",
             f"`bench_store --events {events} --repeat 9` (one run; the query figure is the median of 9). "
             "No peer: the targets (docs/store.md) are the reference. Wall-clock rates include waiting for a "
             "disk shared with every other job on the machine; the CPU figures are the process's own cost.", "",
             "| figure | banwatch | target | ratio to target |", "|---|---:|---:|---:|"]
    m = re.search(r"append: ([\d.]+) extracted events/s \(([\d.]+) new events/s, ([\d.]+) mentions/s\)", text)
    if m:
        lines.append(f"| events/s appended | {fmt(float(m[1]))} | 100,000 | {ratio(float(m[1]), 100000)} |")
        lines.append(f"| mentions/s appended | {fmt(float(m[3]))} | | |")
    m = re.search(r"append: ([\d.]+) extracted events per CPU second", text)
    if m:
        lines.append(f"| events appended per CPU second | {fmt(float(m[1]))} | 100,000 | {ratio(float(m[1]), 100000)} |")
    m = re.search(r"stored in ([\d.]+) s \(([\d.]+) s of CPU\)", text)
    if m:
        lines.append(f"| append wall / CPU seconds | {m[1]} / {m[2]} | | |")
    m = re.search(r"query: first ([\d.]+) ms, median ([\d.]+) ms, best ([\d.]+) ms", text)
    if m:
        lines.append(f"| one-month query, median ms | {m[2]} | 50 | {ratio(50, float(m[2]))} under |")
        lines.append(f"| one-month query, first (cold) ms | {m[1]} | | |")
    m = re.search(r"query: CPU time median ([\d.]+) ms", text)
    if m:
        lines.append(f"| one-month query, median CPU ms | {m[1]} | 50 | {ratio(50, float(m[1]))} under |")
    m = re.search(r"query: same month, one vendor: (\d+) events in ([\d.]+) ms", text)
    if m:
        lines.append(f"| one-month query for one vendor, ms | {m[2]} | | |")
    m = re.search(r"store: ([\d.]+) MiB on disk", text)
    if m:
        lines.append(f"| store size, MiB | {m[1]} | | |")
    return "\n".join(lines)


def generic_section(work, tag, title):
    outs = runs_of(work, tag)
    if not outs:
        return None
    results = {}
    for path in outs:
        for line in read(path).splitlines():
            r = RESULT.match(line)
            if r:
                results.setdefault((r[1], r[3]), []).append((float(r[2]), float(r[4]) if r[4] else None))
    lines = [f"## {title}", "", f"`bench/{tag}.sh`, {len(outs)} run(s), medians.", ""]
    # bench_crawl.sh prints one "wall=… cpu=… rss_mb=…" line per pass (no peer).
    passes = {}
    for path in outs:
        label = None
        for line in read(path).splitlines():
            if line.startswith("site:"):
                lines.insert(3, line)
            if line.startswith("first pass") or line.startswith("second pass"):
                label = line.rstrip(":")
            m = re.search(r"wall=([\d.]+) cpu=([\d.]+).*rss_mb=([\d.]+)", line)
            if m and label:
                passes.setdefault(label, []).append(tuple(float(x) for x in m.groups()))
            m = re.search(r"cpu per article: ([\d.]+) ms", line)
            if m:
                passes.setdefault("cpu per article (ms; target <= 2)", []).append((float(m[1]), None, None))
    if passes:
        lines += ["| pass | wall s | CPU s | peak RSS MB |", "|---|---:|---:|---:|"]
        for label, vals in passes.items():
            cols = [median([v[i] for v in vals]) for i in range(3)]
            lines.append(f"| {label} | " + " | ".join(fmt(c, 2) if c is not None else "" for c in cols) + " |")
        lines.append("")
    if results:
        lines += ["| figure | banwatch | peer | advantage |", "|---|---:|---:|---:|"]
        for (name, unit), vals in results.items():
            ours = median([v[0] for v in vals])
            peer = median([v[1] for v in vals])
            # Times and memory: lower is better, so the advantage is peer / banwatch.
            lower_is_better = unit in ("s", "ms", "MB")
            adv = ratio(peer, ours) if lower_is_better else ratio(ours, peer)
            lines.append(f"| {name} ({unit}) | {fmt(ours, 2)} | {fmt(peer, 2)} | {adv} |")
        lines += ["", "Advantage: peer / banwatch for times and memory, banwatch / peer for rates; above 1x "
                  "banwatch is better."]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--store-events", default="1000000")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    cpu, cores, mem_gb, load = machine()
    commit = git(a.root, "rev-parse", "--short", "HEAD")
    dirty = " (with uncommitted changes)" if git(a.root, "status", "--porcelain", "--untracked-files=no") else ""
    sections = [
        "# Benchmarks", "",
        "Written by `make bench` (bench/run-all.sh); every peer is measured in the same run as banwatch, "
        "on the same input. Ratios are banwatch / peer: above 1x banwatch is faster. This machine is shared "
        "and noisy: figures are medians of several runs, and the ratios matter more than the absolute values.", "",
        "| | |", "|---|---|",
        f"| date | {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')} |",
        f"| commit | {commit}{dirty} |",
        f"| CPU | {cpu}, {cores} logical cores |",
        f"| memory | {mem_gb:.1f} GiB |",
        f"| load average at the end | {' '.join(load)} |",
        f"| kernel | {platform.system()} {platform.release()} |",
        f"| runs per cheap benchmark | {a.runs} |", ""]
    for part in (feeds_section(a.work), articles_section(a.work), generic_section(a.work, "rules", "Rules"),
                 store_section(a.work, a.store_events)):
        if part:
            sections += [part, ""]
    for path in sorted(glob.glob(os.path.join(a.work, "bench_crawl*.1.out"))):
        tag = os.path.basename(path).rsplit(".", 2)[0]
        part = generic_section(a.work, tag, f"Crawl: {tag}")
        if part:
            sections += [part, ""]
    missing = []
    for name, pattern in (("feeds", "feeds.*.out"), ("articles", "articles.*.out"), ("rules", "rules.*.out"),
                          ("store", "store.*.out"), ("crawl", "bench_crawl.*.out"),
                          ("newsboat peer", "bench_crawl_newsboat.*.out"),
                          ("article peers (Readability)", "articles_peer*.out")):
        if not glob.glob(os.path.join(a.work, pattern)):
            missing.append(name)
    if missing:
        sections += ["## Not measured in this run", "",
                     "These benchmarks were missing or failed in this run: " + ", ".join(missing) + ".", ""]
    sections += ["## Wall time, CPU and peak RSS of each benchmark process", "",
                 "| run | wall s | user s | sys s | peak RSS MB |", "|---|---:|---:|---:|---:|"]
    for path in sorted(glob.glob(os.path.join(a.work, "*.time"))):
        m = TIME.search(read(path))
        if m:
            sections.append(f"| {os.path.basename(path)[:-5]} | {m[1]} | {m[2]} | {m[3]} | {int(m[4]) / 1024:.0f} |")
    sections += ["", "## Raw output of the last run of each benchmark", ""]
    seen = set()
    for path in sorted(glob.glob(os.path.join(a.work, "*.out")), reverse=True):
        tag = os.path.basename(path).rsplit(".", 2)[0]
        if tag in seen:
            continue
        seen.add(tag)
        sections += [f"<details><summary>{tag}</summary>", "", "```", read(path).rstrip(), "```", "", "</details>", ""]
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("\n".join(sections).rstrip() + "\n")


if __name__ == "__main__":
    main()
