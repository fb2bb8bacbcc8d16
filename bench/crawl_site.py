#!/usr/bin/env python3
"""Generates the crawl benchmark's site: FEEDS RSS feeds of ITEMS items each,
one HTML article page per item (some reporting a ban event), spread over HOSTS
loopback addresses (127.0.0.1 .. 127.0.0.HOSTS) so per-host politeness applies
as on the open web. Writes the site tree and the banwatch configuration."""
import argparse
import os
import random

VENDORS = ["Huawei", "ZTE", "Kaspersky", "Hikvision", "TikTok", "DJI"]
COUNTRIES = ["Sweden", "Poland", "Canada", "Japan", "Estonia", "Portugal", "Australia", "Denmark"]
FILLER = [
    "The city council met on Tuesday to discuss the budget for the coming year and the repair of two bridges.",
    "Analysts said the quarterly figures were in line with expectations despite higher energy prices.",
    "The museum will extend its opening hours during the summer holidays, a spokesperson said.",
    "Local farmers reported an early harvest after a warm and unusually dry spring season.",
    "The transport ministry published new timetables for regional trains starting next month.",
    "Researchers at the university presented a study on the migration of birds along the coast.",
    "Retail sales rose slightly in October, driven by online orders and seasonal promotions.",
    "The football club confirmed the signing of a young defender on a three-year contract.",
]


def article_html(i, rng):
    title_event = i % 10 == 0
    paragraphs = [rng.choice(FILLER) + " " + rng.choice(FILLER) for _ in range(5)]
    if title_event:
        country, vendor = rng.choice(COUNTRIES), rng.choice(VENDORS)
        title = f"{country} bans {vendor} equipment from government networks"
        paragraphs.insert(1, f"{country} banned {vendor} equipment from government networks on Monday, "
                             f"the interior ministry said, citing national security.")
    else:
        title = f"Regional news update number {i}"
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>"
            f"<meta property=\"article:published_time\" content=\"2026-11-2{i % 6}T10:00:00Z\"></head><body>"
            f"<nav><a href=\"/\">Home</a></nav><article><h1>{title}</h1>{body}</article>"
            f"<footer>Example news</footer></body></html>"), title


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--feeds", type=int, default=2000)
    ap.add_argument("--items", type=int, default=20)
    ap.add_argument("--hosts", type=int, default=16)
    ap.add_argument("--rules", required=True)
    ap.add_argument("--db", required=True)
    args = ap.parse_args()
    rng = random.Random(42)
    site = os.path.join(args.out, "site")
    os.makedirs(os.path.join(site, "feeds"), exist_ok=True)
    os.makedirs(os.path.join(site, "a"), exist_ok=True)
    with open(os.path.join(site, "robots.txt"), "w") as f:
        f.write("User-agent: *\nDisallow: /private/\n")
    n = 0
    sources = []
    for feed in range(args.feeds):
        items = []
        for _ in range(args.items):
            host = f"127.0.0.{n % args.hosts + 1}"
            html, title = article_html(n, rng)
            sub = os.path.join(site, "a", str(n // 1000))
            os.makedirs(sub, exist_ok=True)
            with open(os.path.join(sub, f"{n}.html"), "w") as f:
                f.write(html)
            url = f"http://{host}:{args.port}/a/{n // 1000}/{n}.html"
            items.append(f"<item><title>{title}</title><link>{url}</link><guid>{url}</guid>"
                         f"<description>Summary of story {n}.</description>"
                         f"<pubDate>Tue, 24 Nov 2026 10:00:00 GMT</pubDate></item>")
            n += 1
        with open(os.path.join(site, "feeds", f"{feed}.xml"), "w") as f:
            f.write("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel>"
                    f"<title>Feed {feed}</title><link>http://example.org/</link><description>d</description>"
                    + "".join(items) + "</channel></rss>")
        sources.append((f"feed-{feed}", f"http://127.0.0.{feed % args.hosts + 1}:{args.port}/feeds/{feed}.xml"))
    with open(os.path.join(args.out, "banwatch.yaml"), "w") as f:
        f.write(f"store:\n  path: {args.db}\n")
        f.write("fetch:\n  host_delay: 0s\n  allow_private_networks: true\n")
        f.write("crawl:\n  articles: all\n  max_item_age: 3650d\n")
        f.write(f"rules: {args.rules}\n")
        f.write("sources:\n")
        for name, url in sources:
            f.write(f"  - name: {name}\n    url: {url}\n    every: 15m\n")
    print(n)


if __name__ == "__main__":
    main()
