#!/usr/bin/env python3
"""Delivery delay of one HTTP-FLV viewer (perf/README.md, "Delivery delay").

Plays URL for SECONDS and notes when each audio and video tag arrives (monotonic clock) against
its FLV timestamp. The publisher sends in real time (ffmpeg -re), so arrival minus timestamp is
constant for a frame that waits nowhere; how much later than the least-delayed frame each frame
arrived is what the path added (batching, scheduling, the publisher's own jitter). Tags in the
first SKIP seconds (the join burst) are left out. Prints one line:

  delay-probe: N frames; added delay p50 X ms, p99 Y ms, max Z ms; first tag T ms after connect; B bytes

  perf/delay-probe.py URL SECONDS [SKIP]
"""
import socket
import sys
import time
import urllib.parse


def main():
    url, seconds = sys.argv[1], float(sys.argv[2])
    skip = float(sys.argv[3]) if len(sys.argv) > 3 else 3.0
    parts = urllib.parse.urlsplit(url)
    started = time.monotonic()
    sock = socket.create_connection((parts.hostname, parts.port or 80), timeout=10)
    sock.sendall(f"GET {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nConnection: close\r\n\r\n".encode())
    buf = bytearray()
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            sys.exit("delay-probe: closed before the response head")
        buf += chunk
    head, _, rest = bytes(buf).partition(b"\r\n\r\n")
    if b" 200 " not in head.split(b"\r\n")[0]:
        sys.exit(f"delay-probe: {head.splitlines()[0].decode(errors='replace')}")
    if b"chunked" in head.lower():
        sys.exit("delay-probe: chunked responses are not handled")
    buf = bytearray(rest)
    pos = 13  # FLV header (9) + PreviousTagSize0 (4)
    offsets = []
    received = len(buf)
    first_tag_ms = None
    deadline = started + seconds
    sock.settimeout(1)
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(262144)
        except socket.timeout:
            continue
        if not chunk:
            break
        now = time.monotonic()
        received += len(chunk)
        buf += chunk
        while len(buf) - pos >= 11:
            size = int.from_bytes(buf[pos + 1:pos + 4], "big")
            if len(buf) - pos < 11 + size + 4:
                break
            kind = buf[pos]
            stamp = int.from_bytes(buf[pos + 4:pos + 7], "big") | (buf[pos + 7] << 24)
            if first_tag_ms is None:
                first_tag_ms = (now - started) * 1000
            if kind in (8, 9) and now - started >= skip:
                offsets.append(now * 1000 - stamp)
            pos += 11 + size + 4
        if pos > 1 << 20:
            del buf[:pos]
            pos = 0
    sock.close()
    if not offsets:
        sys.exit("delay-probe: no frames after the join")
    low = min(offsets)
    added = sorted(o - low for o in offsets)
    pick = lambda q: added[min(len(added) - 1, int(q * len(added)))]
    print(f"delay-probe: {len(added)} frames; added delay p50 {pick(0.5):.0f} ms, p99 {pick(0.99):.0f} ms, "
          f"max {added[-1]:.0f} ms; first tag {first_tag_ms:.0f} ms after connect; {received} bytes")


if __name__ == "__main__":
    main()
