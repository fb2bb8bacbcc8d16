#!/usr/bin/env python3
"""The many-host site of the scale-out test and benchmark, and the checks read
from its nginx access log.

  scaleout_site.py generate --out DIR --port P --hosts H --feeds F --items I
                            [--first-host 2] [--rate BYTES_PER_S] [--page-bytes B]
                            [--concurrency 4] [--delay-ms 100] --rules DIR
      Writes DIR/site (H hosts 127.0.0.<first>.., F RSS feeds of I items per
      host, each item an HTML article page on the feed's own host, every third
      page reporting a vendor ban), DIR/nginx.conf (one `listen` per host, an
      access log of $msec, $request_time, $server_addr, $status, the request
      and the User-Agent; `limit_rate` when --rate is given),
      DIR/banwatch.yaml (fetch.concurrency, fetch.host_delay, every article
      fetched, the sources; no store: the runs pass --db) and
      DIR/articles.txt (every article URL).

  scaleout_site.py check --log FILE --articles FILE --delay-ms D
                         [--tolerance-ms T] [--workers N] [--json]
      Reads the access log and checks the scale-out guarantees:
        - every article URL answered 200 exactly once, nothing else under /a/;
        - one worker at a time per host: the requests of a host, in start
          order, fall into runs of one worker, and a run begins only after the
          previous worker's last request to that host ended;
        - the per-host delay: the starts of requests i and i+k on a host are
          at least k*D - T ms apart (k = 1..10).
      Prints the figures (requests per worker, hosts per worker, the most
      requests in flight at once on one host, the smallest start-to-start gap)
      and one line per violation; exits 1 on any violation.

The request start is $msec - $request_time (nginx logs when the response
ends); both have millisecond resolution.
"""
import argparse
import collections
import json
import os
import sys

# Our own sentences: (template, actor, vendor). Each reads as a ban event to
# the default rule pack; the dates are explicit so every event has one.
EVENT_SENTENCES = [
    "The government of {country} banned {vendor} equipment from its public networks on {date}, "
    "the telecom regulator said in a statement.",
    "{country} banned {vendor} from supplying routers to state agencies on {date}.",
    "On {date}, {country} blacklisted {vendor} over concerns about the security of its base stations.",
]
COUNTRIES = ["Norway", "Finland", "Austria", "Chile", "Ireland", "Greece", "Belgium", "Latvia"]
VENDORS = ["Huawei", "ZTE", "Hikvision", "Kaspersky", "Dahua"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October"]
FILLER = [
    "Harbour workers finished repairing the northern pier ahead of the winter storms.",
    "The library added an evening reading club for teenagers after a survey of local schools.",
    "A new cycling lane along the river is expected to open before the end of the spring.",
    "The regional orchestra announced three free concerts in the old market hall.",
    "Volunteers planted four hundred oak saplings on the hill above the ferry terminal.",
    "Bakeries in the old town reported long queues for the first cinnamon buns of the season.",
    "The water company asked residents to report leaking hydrants through its new phone line.",
    "Students from the technical college built a small weather station on the school roof.",
]


def host_ip(first, index):
    return f"127.0.0.{first + index}"


def article_page(host_index, feed, item, serial, page_bytes):
    """One article page: title, date, filler, and for every third page a ban sentence."""
    title = f"Harbour town news {host_index}-{feed}-{item}"
    paragraphs = [FILLER[(serial + k) % len(FILLER)] + " " + FILLER[(serial + 3 * k + 1) % len(FILLER)]
                  for k in range(4)]
    event = None
    if serial % 3 == 0:
        country = COUNTRIES[serial % len(COUNTRIES)]
        vendor = VENDORS[(serial // 3) % len(VENDORS)]
        # Every article about one (country, vendor) pair gives the same date:
        # the store dates an event by the mention that created it, so pages
        # disagreeing on the date would make the stored date depend on the
        # order of appends, with one worker as with many.
        pair = COUNTRIES.index(country) * len(VENDORS) + VENDORS.index(vendor)
        date = f"{MONTHS[pair % len(MONTHS)]} {pair % 27 + 1}, 2026"
        sentence = EVENT_SENTENCES[(serial // 3) % len(EVENT_SENTENCES)].format(country=country, vendor=vendor,
                                                                              date=date)
        title = f"{country} moves against {vendor}"
        paragraphs.insert(1, sentence)
        event = (vendor, country, date)
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    html = (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>"
            f"<meta property=\"article:published_time\" content=\"2026-11-{serial % 20 + 1:02d}T09:30:00Z\">"
            f"</head><body><nav><a href=\"/\">Home</a></nav><article><h1>{title}</h1>{body}</article>")
    # Pad with a comment so every page has about the same size: with
    # limit_rate, the size is what sets how long a page takes.
    pad = page_bytes - len(html) - len("<footer>Harbour news</footer></body></html>") - 7
    if pad > 0:
        html += "<!--" + ("x" * pad) + "-->"
    html += "<footer>Harbour news</footer></body></html>"
    return html, title, event


def generate(args):
    site = os.path.join(args.out, "site")
    os.makedirs(site, exist_ok=True)
    with open(os.path.join(site, "robots.txt"), "w") as f:
        f.write("User-agent: *\nDisallow: /private/\n")
    serial = 0
    sources, articles = [], []
    for h in range(args.hosts):
        ip = host_ip(args.first_host, h)
        base = f"http://{ip}:{args.port}"
        hdir = os.path.join(site, "a", f"h{h}")
        os.makedirs(hdir, exist_ok=True)
        os.makedirs(os.path.join(site, "feeds", f"h{h}"), exist_ok=True)
        for feed in range(args.feeds):
            items = []
            for item in range(args.items):
                html, title, _ = article_page(h, feed, item, serial, args.page_bytes)
                name = f"{feed}-{item}.html"
                with open(os.path.join(hdir, name), "w") as f:
                    f.write(html)
                url = f"{base}/a/h{h}/{name}"
                articles.append(url)
                items.append(f"<item><title>{title}</title><link>{url}</link><guid>{url}</guid>"
                             f"<description>Story {serial} from the harbour town.</description>"
                             f"<pubDate>Mon, {serial % 20 + 1:02d} Nov 2026 09:30:00 GMT</pubDate></item>")
                serial += 1
            with open(os.path.join(site, "feeds", f"h{h}", f"{feed}.xml"), "w") as f:
                f.write("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel>"
                        f"<title>Harbour feed {h}-{feed}</title><link>{base}/</link><description>d</description>"
                        + "".join(items) + "</channel></rss>")
            sources.append((f"h{h:02d}-feed{feed}", f"{base}/feeds/h{h}/{feed}.xml"))
    with open(os.path.join(args.out, "banwatch.yaml"), "w") as f:
        f.write(f"fetch:\n  concurrency: {args.concurrency}\n  host_delay: {args.delay_ms}ms\n"
                "  allow_private_networks: true\n")
        f.write("crawl:\n  articles: all\n  max_item_age: 3650d\n")
        f.write(f"rules: {os.path.abspath(args.rules)}\n")
        f.write("sources:\n")
        for name, url in sources:
            f.write(f"  - name: {name}\n    url: {url}\n    every: 1h\n")
    with open(os.path.join(args.out, "articles.txt"), "w") as f:
        f.write("\n".join(articles) + "\n")

    listens = "".join(f"    listen {host_ip(args.first_host, h)}:{args.port};\n" for h in range(args.hosts))
    # limit_rate lets the first second's worth of bytes through at once and
    # then waits chunk/rate after each chunk it writes: with sendfile off, 1k
    # output buffers and no postponing, a 4 KiB page at 30k takes ~100 ms.
    rate = (f"    limit_rate {args.rate};\n    sendfile off;\n    output_buffers 1 1k;\n    postpone_output 0;\n"
            if args.rate else "")
    out = os.path.abspath(args.out)
    with open(os.path.join(args.out, "nginx.conf"), "w") as f:
        f.write(f"""worker_processes 1;
pid {out}/nginx.pid;
error_log {out}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  log_format scaleout '$msec $request_time $server_addr $status "$request" "$http_user_agent"';
  access_log {out}/access.log scaleout;
  client_body_temp_path {out}/tmp;
  proxy_temp_path {out}/tmp;
  fastcgi_temp_path {out}/tmp;
  uwsgi_temp_path {out}/tmp;
  scgi_temp_path {out}/tmp;
  types {{ text/html html; application/rss+xml xml; text/plain txt; }}
  keepalive_requests 100000;
  server {{
{listens}    root {out}/site;
{rate}  }}
}}
""")
    os.makedirs(os.path.join(args.out, "tmp"), exist_ok=True)
    print(len(articles))


# How many requests back the per-host rate is checked.
RATE_WINDOW = 10

Request = collections.namedtuple("Request", "start end host status path worker")


def parse_log(path):
    requests, bad = [], []
    with open(path) as f:
        for line in f:
            # 1764203912.345 0.101 127.0.0.2 200 "GET /a/h0/0-1.html HTTP/1.1" "banwatch-w1"
            try:
                head, request, _, agent, _ = line.rstrip("\n").split('"')
                msec, request_time, addr, status = head.split()
                method_path = request.split()
                worker = agent.split()[0] if agent else "-"
                end_ms = round(float(msec) * 1000)
                start_ms = end_ms - round(float(request_time) * 1000)
                requests.append(Request(start_ms, end_ms, addr, int(status), method_path[1], worker))
            except (ValueError, IndexError):
                bad.append(line.strip())
    return requests, bad


def check(args):
    requests, bad = parse_log(args.log)
    with open(args.articles) as f:
        expected = {line.strip() for line in f if line.strip()}
    problems = [f"unreadable log line: {line}" for line in bad[:5]]

    # Every article exactly once, answered 200.
    article_hits = collections.Counter()
    for r in requests:
        if r.path.startswith("/a/"):
            url_suffix = r.path
            article_hits[(r.host, url_suffix, r.status)] += 1
    fetched = collections.Counter()
    for (host, path, status), n in article_hits.items():
        if status != 200:
            problems.append(f"article {host}{path} answered {status} ({n}x)")
        fetched[(host, path)] += n
    expected_keys = set()
    for url in expected:
        rest = url.split("://", 1)[1]
        hostport, path = rest.split("/", 1)
        expected_keys.add((hostport.split(":")[0], "/" + path))
    for key in sorted(expected_keys - set(fetched)):
        problems.append(f"article never requested: {key[0]}{key[1]}")
    for key in sorted(set(fetched) - expected_keys):
        problems.append(f"unexpected article request: {key[0]}{key[1]}")
    for key, n in sorted(fetched.items()):
        if n > 1:
            problems.append(f"article requested {n} times: {key[0]}{key[1]}")

    # One worker at a time per host, and the per-host delay.
    by_host = collections.defaultdict(list)
    for r in requests:
        by_host[r.host].append(r)
    min_gap = None
    min_gap_at = None
    max_in_flight = 0
    max_workers_in_flight = 0
    handovers = 0
    hosts_of = collections.defaultdict(set)
    for host, rs in sorted(by_host.items()):
        rs.sort(key=lambda r: (r.start, r.end))
        for r in rs:
            hosts_of[r.worker].add(host)
        # Requests in flight at once: [start, end) with at least 1 ms each (nginx
        # stamps in ms, so a fast response logs start == end); an end at the
        # millisecond another request starts counts as over before it.
        marks = sorted([(r.start, 1, r.worker) for r in rs] + [(max(r.end, r.start + 1), -1, r.worker) for r in rs],
                       key=lambda m: (m[0], m[1]))
        in_flight = collections.Counter()
        for _, delta, worker in marks:
            in_flight[worker] += delta
            if in_flight[worker] == 0:
                del in_flight[worker]
            max_in_flight = max(max_in_flight, sum(in_flight.values()))
            max_workers_in_flight = max(max_workers_in_flight, len(in_flight))
        # Runs of one worker: the next worker starts only after the previous run ended.
        run_worker, run_end = rs[0].worker, rs[0].end
        for r in rs[1:]:
            if r.worker != run_worker:
                handovers += 1
                if r.start < run_end:
                    problems.append(f"host {host}: {r.worker} started {r.path} at {r.start} ms while "
                                    f"{run_worker}'s request ending at {run_end} ms was in flight")
                run_worker, run_end = r.worker, r.end
            else:
                run_end = max(run_end, r.end)
        for a, b in zip(rs, rs[1:]):
            gap = b.start - a.start
            if min_gap is None or gap < min_gap:
                min_gap, min_gap_at = gap, (host, a.path, b.path, a.worker, b.worker)
        # k requests apart must be k delays apart (minus the tolerance, not k
        # tolerances): a late request may shorten one gap, never the rate.
        # One violation per request that a later one came too close to.
        for i, a in enumerate(rs):
            worst = None
            for k in range(1, RATE_WINDOW + 1):
                if i + k >= len(rs):
                    break
                short = k * args.delay_ms - (rs[i + k].start - a.start)
                if short > args.tolerance_ms and (worst is None or short > worst[0]):
                    worst = (short, k, rs[i + k])
            if worst:
                short, k, b = worst
                problems.append(f"host {host}: {b.path} ({b.worker}) started {b.start - a.start} ms after "
                                f"{a.path} ({a.worker}), {k} request(s) later; {k} x the per-host delay is "
                                f"{k * args.delay_ms} ms")
    workers = collections.Counter(r.worker for r in requests)
    if args.workers and len(workers) != args.workers:
        problems.append(f"expected requests from {args.workers} workers, saw {len(workers)}: {sorted(workers)}")
    if max_workers_in_flight > 1:
        problems.append(f"{max_workers_in_flight} workers had requests in flight on one host at once")

    span = (min(r.start for r in requests), max(r.end for r in requests)) if requests else (0, 0)
    spans = {}
    for w in workers:
        mine = [r for r in requests if r.worker == w]
        spans[w] = (min(r.start for r in mine) - span[0], max(r.end for r in mine) - span[0])
    report = {
        "requests": len(requests),
        "articles_expected": len(expected_keys),
        "articles_fetched": sum(1 for k in fetched if k in expected_keys),
        "hosts": len(by_host),
        "workers": {w: {"requests": workers[w],
                        "articles": sum(1 for r in requests if r.worker == w and r.path.startswith("/a/")),
                        "hosts": len(hosts_of[w]),
                        "first_ms": spans[w][0], "last_ms": spans[w][1]} for w in sorted(workers)},
        "handovers": handovers,
        "max_concurrent_per_host": max_in_flight,
        "max_workers_per_host": max_workers_in_flight,
        "min_gap_ms": min_gap if min_gap is not None else -1,
        "min_gap_at": min_gap_at,
        "log_span_ms": span[1] - span[0],
        "problems": problems,
    }
    if args.json:
        print(json.dumps(report))
    else:
        for key, value in report.items():
            if key != "problems":
                print(f"{key}: {value}")
        for p in problems[:50]:
            print(f"VIOLATION: {p}")
        if len(problems) > 50:
            print(f"... and {len(problems) - 50} more violations")
    return 1 if problems else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    g = sub.add_parser("generate")
    g.add_argument("--out", required=True)
    g.add_argument("--port", type=int, required=True)
    g.add_argument("--hosts", type=int, default=20)
    g.add_argument("--first-host", type=int, default=2)
    g.add_argument("--feeds", type=int, default=3)
    g.add_argument("--items", type=int, default=5)
    g.add_argument("--rate", default="", help="nginx limit_rate, e.g. 30k (a 4 KiB page then takes ~100 ms)")
    g.add_argument("--page-bytes", type=int, default=4096)
    g.add_argument("--concurrency", type=int, default=4)
    g.add_argument("--delay-ms", type=int, default=100)
    g.add_argument("--rules", required=True)
    c = sub.add_parser("check")
    c.add_argument("--log", required=True)
    c.add_argument("--articles", required=True)
    c.add_argument("--delay-ms", type=int, required=True)
    c.add_argument("--tolerance-ms", type=int, default=10)
    c.add_argument("--workers", type=int, default=0)
    c.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if args.command == "generate":
        generate(args)
        return 0
    return check(args)


if __name__ == "__main__":
    sys.exit(main())
