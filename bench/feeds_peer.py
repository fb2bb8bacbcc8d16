#!/usr/bin/python3
"""Peer for bench_feeds: Debian's python3-feedparser on the same files.

Usage: feeds_peer.py [--repeat N] FILE...
Prints one JSON object: {"files", "bytes", "items", "seconds", "cpu_seconds"} for the parse
calls alone (files are read into memory first, as bench_feeds does).
"""
import json
import sys
import time

import feedparser


def main(argv):
    repeat = 1
    if len(argv) > 2 and argv[1] == "--repeat":
        repeat = int(argv[2])
        argv = argv[2:]
    blobs = []
    for path in argv[1:]:
        with open(path, "rb") as f:
            blobs.append(f.read())
    items = 0
    start = time.perf_counter()
    cpu = time.process_time()
    for _ in range(repeat):
        for blob in blobs:
            items += len(feedparser.parse(blob).entries)
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu
    print(json.dumps({"files": len(blobs) * repeat, "bytes": sum(map(len, blobs)) * repeat,
                      "items": items, "seconds": seconds,
                      "cpu_seconds": cpu_seconds}))


if __name__ == "__main__":
    main(sys.argv)
