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


KV = re.compile(r"(\w+)=(\S+)")


def kv_lines(work, tag, prefix):
    """[(run index, {key: value})] for every "PREFIX key=value ..." line of every run of TAG."""
    out = []
    for i, path in enumerate(runs_of(work, tag)):
        for line in read(path).splitlines():
            if line.startswith(prefix + " "):
                out.append((i, dict(KV.findall(line))))
    return out


def num(d, key):
    try:
        return float(d[key])
    except (KeyError, ValueError):
        return None


def ratio2(ours, peer):
    if ours is None or peer is None or peer == 0:
        return "n/a"
    return f"{ours / peer:.2f}x"


def article_peers_section(work):
    rows = kv_lines(work, "articles_peers", "ARTICLES")
    if not rows:
        return None
    absent = {d["peer"]: d.get("reason", "?") for _, d in kv_lines(work, "articles_peers", "MISSING")}
    versions = {d["peer"]: ", ".join(f"{k.replace('_', '-')} {v}" for k, v in d.items() if k != "peer")
                for _, d in kv_lines(work, "articles_peers", "VERSION")}
    runs = len(runs_of(work, "articles_peers"))
    systems = []
    for _, d in rows:
        if d["system"] not in systems:
            systems.append(d["system"])
    pages = rows[0][1].get("pages", "?")
    keys = ("f1", "precision", "recall", "accuracy", "pages_per_s")

    def med(system, key):
        return median([num(d, key) for _, d in rows if d["system"] == system])

    ours = {k: med("banwatch", k) for k in keys}
    lines = ["## Articles: F1 and speed vs Mozilla Readability and readability-lxml", "",
             f"The shared scorer (`article-eval --peers readability-js,readability-lxml`, run by "
             f"`bench/articles_peers.sh`) on the Zyte article benchmark ({pages} news pages with ground truth), "
             f"{runs} run(s), medians. Each run extracts every page with banwatch and with each peer; F1, precision "
             "and recall are the benchmark's (4-word shingles, macro-averaged over pages), exact is the share of "
             "pages extracted word for word. Pages/s is the wall time of one process over every page, start-up "
             "included (`banwatch parse article FILE...`; one node process for Readability on jsdom; one python3 "
             "process for readability-lxml). Ratios: banwatch / peer, above 1x banwatch is better.", "",
             "| system | F1 | P | R | exact | pages/s | F1 ratio | speed ratio |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for system in systems:
        f = {k: med(system, k) for k in keys}
        peer = system != "banwatch"
        lines.append(f"| {system} | {fmt(f['f1'], 3)} | {fmt(f['precision'], 3)} | {fmt(f['recall'], 3)} | "
                     f"{fmt(f['accuracy'], 3)} | {fmt(f['pages_per_s'])} | "
                     f"{ratio2(ours['f1'], f['f1']) if peer else ''} | "
                     f"{ratio(ours['pages_per_s'], f['pages_per_s']) if peer else ''} |")
    if versions:
        lines += ["", "Peers: " + "; ".join(f"{p} ({v})" for p, v in sorted(versions.items())) + "."]
    if absent:
        lines += ["", "Not measured: " + "; ".join(f"{p} ({r})" for p, r in sorted(absent.items())) + "."]
    return "\n".join(lines)


RULES_LINE = re.compile(r"^(?P<label>[^:]+?)\s*:\s*(?P<mbps>[\d.]+)\s*MB/s")


def rules_section(work):
    outs = runs_of(work, "rules")
    figures = {}  # label -> [MB/s per run], in the order the benchmark prints them
    header = ""
    for path in outs:
        for line in read(path).splitlines():
            if line.startswith("text:"):
                header = line[len("text:"):].strip()
            m = RULES_LINE.match(line.strip())
            if m:
                figures.setdefault(m["label"].strip(), []).append(float(m["mbps"]))
    if not figures:
        return None
    lines = ["## Rules: extraction throughput", "",
             f"`bench_rules`, {len(outs)} run(s), medians of each run's best of 3"
             f"{f' ({header}, generated news-like text)' if header else ''}. No peer: the target is 50 MB/s. "
             "The 1,000 extra rules widen the RE2::Set that picks each sentence's candidate rules, so the cost "
             "should grow far slower than the rule count.", "",
             "| text and rule pack | MB/s | target | ratio to target |", "|---|---:|---:|---:|"]
    for label, vals in figures.items():
        v = median(vals)
        lines.append(f"| {label} | {fmt(v)} | 50 | {ratio(v, 50)} |")
    if any(label.lower().startswith("cpu") for label in figures):
        lines += ["", "Rows named `cpu ...` divide by the extracting thread's CPU time, the others by wall time; on "
                  "this shared machine the CPU rows are the steadier measure of the engine itself."]
    return "\n".join(lines)


def scaleout_section(work):
    workers = kv_lines(work, "scaleout", "SCALEOUT")
    stores = kv_lines(work, "scaleout", "SCALEOUT_STORE")
    if not workers and not stores:
        return None
    lines = ["## Scale-out: 1, 2 and 4 workers", "",
             "`bench/bench_scaleout.sh`: the same generated site crawled by 1, 2 and 4 workers sharing one store; "
             "per-host politeness must hold across workers (the most concurrent requests any host saw, and the "
             "smallest gap between two requests to one host). Target: 4 workers >= 3.5x one.", ""]
    by_n, printed = {}, {}
    for _, d in workers:
        if "workers" in d:
            by_n.setdefault(int(float(d["workers"])), []).append(d)
        for k, v in d.items():
            if k.startswith("ratio_") and k[len("ratio_"):].isdigit():
                r = num(d, k)
                if r is not None:
                    printed.setdefault(int(k[len("ratio_"):]), []).append(r)

    def rate(n):
        return median([num(d, "articles_per_s") for d in by_n.get(n, [])])

    def speedup(n):
        if n in printed:
            return median(printed[n])
        return rate(n) / rate(1) if rate(n) and rate(1) else None

    if by_n:
        lines += ["| workers | articles | wall s | articles/s | speed-up vs 1 | max concurrent per host | min gap ms |",
                  "|---:|---:|---:|---:|---:|---:|---:|"]
        for n in sorted(by_n):
            ds = by_n[n]
            gaps = [num(d, "min_gap_ms") for d in ds if num(d, "min_gap_ms") is not None]
            conc = [num(d, "max_concurrent_per_host") for d in ds if num(d, "max_concurrent_per_host") is not None]
            s = speedup(n)
            lines.append(f"| {n} | {fmt(median([num(d, 'articles') for d in ds]), 0)} | "
                         f"{fmt(median([num(d, 'wall_s') for d in ds]), 2)} | {fmt(rate(n))} | "
                         f"{f'{s:.2f}x' if s is not None else 'n/a'} | {fmt(max(conc) if conc else None, 0)} | "
                         f"{fmt(min(gaps) if gaps else None, 0)} |")
        s4 = speedup(4)
        if s4 is not None:
            lines += ["", f"4 workers: {s4:.2f}x one worker (target 3.5x: {'met' if s4 >= 3.5 else 'not met'})."]
    if stores:
        backends = {}
        for _, d in stores:
            backends.setdefault(d.get("backend", "?"), []).append(d)

        def m(b, k):
            return median([num(d, k) for d in backends.get(b, [])])

        lines += ["", "### Store backends: SQLite vs PostgreSQL", "",
                  "The same events appended to each backend and the same query, in the same run (PostgreSQL: a "
                  "throwaway local cluster, tests/store_pg/pg-cluster.sh). Ratio: PostgreSQL / SQLite for "
                  "events/s, SQLite / PostgreSQL for query time; above 1x PostgreSQL is faster.", "",
                  "| backend | events | events/s | query ms (median) |", "|---|---:|---:|---:|"]
        for b in backends:
            lines.append(f"| {b} | {fmt(m(b, 'events'), 0)} | {fmt(m(b, 'events_per_s'))} | {fmt(m(b, 'query_ms'), 2)} |")
        if "sqlite" in backends and "postgresql" in backends:
            lines.append(f"| ratio PostgreSQL / SQLite | | {ratio2(m('postgresql', 'events_per_s'), m('sqlite', 'events_per_s'))} | "
                         f"{ratio2(m('sqlite', 'query_ms'), m('postgresql', 'query_ms'))} |")
        else:
            gone = [b for b in ("sqlite", "postgresql") if b not in backends]
            lines += ["", f"Not measured in this run: {', '.join(gone)}."]
    return "\n".join(lines)


PASS_LABELS = {"first": "first pass (every feed new: 200)",
               "all_304": "all-304 pass (every request conditional: 304)",
               "redownload": "newsboat's second pass (re-downloads every feed: 200)",
               "startup": "newsboat start-up alone (loads its cache, no network)"}


def newsboat_section(work, tag):
    passes = kv_lines(work, tag, "PASS")
    if not passes:
        return None
    outs = runs_of(work, tag)
    text = read(outs[-1])
    site = next((l.strip() for l in text.splitlines() if " feeds of " in l), "")

    def med(tool, pass_, key):
        return median([num(d, key) for _, d in passes if d.get("tool") == tool and d.get("pass") == pass_])

    def counts(tool, pass_):
        ds = [d for _, d in passes if d.get("tool") == tool and d.get("pass") == pass_]
        return f"{ds[-1].get('status_200', '?')} / {ds[-1].get('status_304', '?')}" if ds else ""

    lines = ["## Crawl: feed-only fetching vs newsboat", "",
             f"`bench/{tag}.sh`, {len(outs)} run(s), medians ({site}). banwatch (`crawl --all` with "
             "`crawl.articles: none`) and newsboat 2.21 (`-x reload`, Debian 12) fetch the same feeds from nginx "
             "with the same parallelism. The 200 / 304 counts are nginx's access log for that pass, not either "
             "tool's own account.", "",
             "newsboat 2.21 does not keep the Last-Modified and ETag of a feed's very first download, so its "
             "second reload downloads every feed again, unconditionally; only its third reload is all 304. The "
             "all-304 row therefore pairs banwatch's second pass with newsboat's third, and newsboat's "
             "re-download is shown apart as the cost of that behaviour. Every newsboat pass includes its start-up "
             "(loading its whole cache), shown alone on the last row.", "",
             "| pass | banwatch wall s | newsboat wall s | ratio | banwatch CPU s | newsboat CPU s | ratio | "
             "banwatch RSS MB | newsboat RSS MB | ratio | nginx 200 / 304: banwatch | newsboat |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for p in ("first", "all_304", "redownload", "startup"):
        ours = [med("banwatch", p, k) for k in ("wall", "cpu", "rss_mb")]
        peer = [med("newsboat", p, k) for k in ("wall", "cpu", "rss_mb")]
        if all(v is None for v in ours + peer):
            continue
        cells = []
        for o, q, digits in zip(ours, peer, (2, 2, 0)):
            cells += ["" if o is None else fmt(o, digits), "" if q is None else fmt(q, digits),
                      ratio2(q, o) if o is not None and q is not None else ""]
        lines.append(f"| {PASS_LABELS.get(p, p)} | " + " | ".join(cells) +
                     f" | {counts('banwatch', p)} | {counts('newsboat', p)} |")
    lines += ["", "Ratios: newsboat / banwatch; above 1x banwatch is faster or smaller."]
    lines += [f"", *[f"**{l}**" for l in text.splitlines() if l.startswith("WARNING")]]
    return "\n".join(lines).rstrip()



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
    parts = [("feeds", feeds_section(a.work)), ("articles", articles_section(a.work)),
             ("article peers (Readability, readability-lxml)", article_peers_section(a.work)),
             ("rules", rules_section(a.work)),
             ("rules CLI", generic_section(a.work, "bench_rules_cli",
                                          "Rules: a 4.7 MB news file through the CLI, and start-up")),
             ("store", store_section(a.work, a.store_events)),
             ("scale-out", scaleout_section(a.work))]
    for tag in ("bench_crawl", "bench_crawl_newsboat"):
        parts.append((tag, newsboat_section(a.work, tag) or generic_section(a.work, tag, f"Crawl: {tag}")))
    for path in sorted(glob.glob(os.path.join(a.work, "bench_crawl*.1.out"))):
        tag = os.path.basename(path).rsplit(".", 2)[0]
        if tag not in ("bench_crawl", "bench_crawl_newsboat"):
            parts.append((tag, generic_section(a.work, tag, f"Crawl: {tag}")))
    missing = []
    for name, part in parts:
        if part:
            sections += [part, ""]
        else:
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
