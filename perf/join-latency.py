#!/usr/bin/env python3
"""Player latency right after join, per join mode (perf/README.md, "Join latency").

Starts applianced (artifacts/bin) with one app per join mode, publishes one live x264
zerolatency encode (25 fps, a keyframe every 2 s, AAC) to all of them, and plays each mode's
stream with each player, joining at a random point of the GOP. A reference reader (HTTP-FLV as a
relay, so frames keep their times) maps the stream's timeline to this machine's clock: the newest
frame the node delivers is the live edge. A player's latency is then the clock now minus the
moment the frame it presents was at the live edge: what the node and the player add, not the
encoder. Sampled 2 s and 5 s after its first presented frame.

  perf/join-latency.py [--players ffplay,mpv,mpegts] [--joins 3] [--modes live,keyframe,buffer]
                       [--protocol flv|rtmp|ts] [--burst-ms 400] [--browser-burst-ms 800] [--edge]

ffplay's position is its master clock from its status line; mpv's is time-pos
(--rebase-start-time=no); mpegts.js (HTTP-FLV, HTTP-TS) runs in headless Chromium through
tests/browser/play.mjs, where latency is the playhead's distance behind the newest media it
holds, and 'waiting' events after it started are counted. ffplay and mpv run headless (SDL dummy drivers, mpv --vo=null --ao=null), which
keeps their clocks and frame dropping as on a screen.
"""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODES = ["live", "keyframe", "buffer"]


def now_ms():
    return time.monotonic() * 1000.0


def start_daemon(binary, work, burst_ms, browser_burst_ms, name="origin", parent_rtmp=None):
    """One app per join mode; with parent_rtmp, an edge that pulls each app from the parent on demand
    (and stops the pull as soon as its last viewer leaves, so every join starts a new pull)."""
    pull = "" if parent_rtmp is None else (
        ', "upstreams": [ {{ "url": "rtmp://127.0.0.1:{port}/{app}" }} ], "pull": {{ "mode": "on-demand", "idleMs": 0 }}')
    apps = ",".join(
        f'{{ "name": "{mode}", "joinMode": "{mode}", "joinBurstMs": {burst_ms}, "browserJoinBurstMs": {browser_burst_ms}' + pull.format(port=parent_rtmp, app=mode) + " }"
        for mode in MODES)
    config = os.path.join(work, f"{name}.json")
    with open(config, "w") as f:
        f.write(f"""{{
  "rtmp": {{ "listen": "127.0.0.1:0" }},
  "http": {{ "listen": "127.0.0.1:0" }},
  "admin": {{ "listen": "" }},
  "control": {{ "socket": "off" }},
  "node": {{ "id": "{name}" }},
  "domains": [ {{ "name": "default", "apps": [ {apps} ] }} ]
}}""")
    log = open(os.path.join(work, f"{name}.log"), "w")
    daemon = subprocess.Popen([binary, "--config", config], stdout=log, stderr=subprocess.STDOUT)
    ports = {}
    deadline = time.monotonic() + 10
    while len(ports) < 2:
        if daemon.poll() is not None or time.monotonic() > deadline:
            sys.exit("applianced did not start:\n" + open(log.name).read())
        for kind, port in re.findall(r"listening for (rtmp|http) on [0-9.]+:(\d+)", open(log.name).read()):
            ports[kind] = int(port)
        time.sleep(0.1)
    return daemon, ports["rtmp"], ports["http"]


def start_publisher(rtmp, work):
    outputs = "|".join(f"[f=flv:onfail=ignore]rtmp://127.0.0.1:{rtmp}/{mode}/cam" for mode in MODES)
    log = open(os.path.join(work, "publisher.log"), "w")
    return subprocess.Popen([
        "ffmpeg", "-hide_banner", "-loglevel", "warning", "-re",
        "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
        "-map", "0:v", "-map", "1:a",
        "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
        "-g", "50", "-keyint_min", "50", "-sc_threshold", "0", "-b:v", "1000k",
        "-c:a", "aac", "-b:a", "96k", "-flags", "+global_header",
        "-f", "tee", outputs], stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


class LiveEdge(threading.Thread):
    """Reads HTTP-FLV as a relay would (frames at their own times); keeps the smallest
    arrival-minus-timestamp over video frames: where this clock puts the stream's live edge."""

    def __init__(self, url):
        super().__init__(daemon=True)
        self.url = url
        self.offset = None
        self.newest = None
        self.keyframe = None

    def run(self):
        with urllib.request.urlopen(self.url) as r:
            r.read(13)
            while True:
                header = r.read(11)
                if len(header) < 11:
                    return
                size = int.from_bytes(header[1:4], "big")
                ts = int.from_bytes(header[4:7], "big") | (header[7] << 24)
                body = r.read(size + 4)
                body_first, body_second = (body[0], body[1]) if size >= 2 else (0, 0)
                if header[0] == 9:
                    arrival = now_ms()
                    self.newest = ts
                    if body_first >> 4 == 1 and body_second == 1:
                        self.keyframe = ts
                    offset = arrival - ts
                    self.offset = offset if self.offset is None else min(self.offset, offset)

    def at_edge(self, position_ms):
        """When the frame at position_ms was at the live edge, on this clock."""
        return self.offset + position_ms


def positions(cmd, pattern, seconds, env=None):
    """Runs a player for `seconds` after its first position line; returns (clock ms, position ms)."""
    samples = []
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            env={**os.environ, **(env or {})})
    started = now_ms()
    buffer = b""
    try:
        while True:
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                break
            buffer += chunk
            *lines, buffer = re.split(rb"[\r\n]", buffer)
            for line in lines:
                m = re.search(pattern, line.decode(errors="replace"))
                if m and m.group(1) not in ("nan", "-nan"):
                    samples.append((now_ms(), float(m.group(1)) * 1000.0))
            if samples and now_ms() - samples[0][0] > seconds * 1000 or now_ms() - started > (seconds + 20) * 1000:
                break
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return samples, started


def play(player, url, seconds):
    if player == "ffplay":
        return positions(["ffplay", "-hide_banner", url], r"^\s*(-?[0-9.]+|nan)\s+(A-V|M-V|M-A)", seconds,
                         {"SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"})
    return positions(["mpv", "--no-config", "--vo=null", "--ao=null", "--rebase-start-time=no",
                      "--term-status-msg=POS ${=time-pos}", url], r"POS (-?[0-9.]+)", seconds)


def play_in_chromium(url, protocol, seconds, low_latency=False):
    """mpegts.js in headless Chromium (tests/browser/play.mjs): its latency is how far the playhead
    is behind the newest media it holds (it rebases times, so the live edge cannot be placed)."""
    script = os.path.join(ROOT, "tests", "browser", "play.mjs")
    kind = "mpegts" if protocol == "ts" else "flv"
    run = subprocess.run(["node", script, "--player", "mpegts", "--url", url, "--type", kind, "--seconds", str(seconds)]
                         + (["--low-latency"] if low_latency else []),
                         capture_output=True, text=True, timeout=seconds + 120)
    report = json.loads(run.stdout.strip().splitlines()[-1])
    trace = report.get("latencyTrace") or []
    at = lambda s: next((v * 1000 for ms, v in trace if ms >= s * 1000), None)
    return at(2), at(5), report


def latency_after(samples, edge, after_s):
    """The latency of the first sample at least after_s seconds after the first one."""
    first = samples[0][0]
    for clock, position in samples:
        if clock - first >= after_s * 1000:
            return clock - edge.at_edge(position)
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--players", default="ffplay,mpv")
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--joins", type=int, default=3)
    parser.add_argument("--protocol", default="flv", choices=["flv", "rtmp", "ts"])
    parser.add_argument("--burst-ms", type=int, default=400)
    parser.add_argument("--browser-burst-ms", type=int, default=800, help="browserJoinBurstMs: the burst mpegts.js (in Chromium) gets")
    parser.add_argument("--bin", default=os.path.join(ROOT, "artifacts", "bin"))
    parser.add_argument("--mpegts-no-stash", action="store_true",
                        help="mpegts.js with enableStashBuffer: false (its setting for the lowest latency)")
    parser.add_argument("--edge", action="store_true",
                        help="play from an edge that pulls from the origin on demand: every join is a pull's first viewer")
    args = parser.parse_args()
    for tool in ["ffmpeg"] + [("node" if p == "mpegts" else p) for p in args.players.split(",")]:
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is needed")

    work = tempfile.mkdtemp(prefix="join-latency-")
    daemon, rtmp, http = start_daemon(os.path.join(args.bin, "applianced"), work, args.burst_ms, args.browser_burst_ms)
    publisher = start_publisher(rtmp, work)
    edge_daemon = None
    play_rtmp, play_http = rtmp, http
    if args.edge:
        edge_daemon, play_rtmp, play_http = start_daemon(os.path.join(args.bin, "applianced"), work, args.burst_ms, args.browser_burst_ms, "edge", rtmp)
    try:
        time.sleep(3)
        edge = LiveEdge(f"http://127.0.0.1:{http}/live/cam.flv?appliance_via=join-latency")
        edge.start()
        time.sleep(2)
        if edge.offset is None:
            sys.exit("no frames from the node:\n" + open(os.path.join(work, "origin.log")).read())
        print(f"{'player':8} {'mode':9} {'join':>4} {'at 2 s':>8} {'at 5 s':>8} {'gop at':>7}  (ms behind the live edge; gop at: ms since the newest keyframe at the request)")
        for player in args.players.split(","):
            for mode in args.modes.split(","):
                for join in range(args.joins):
                    # Join anywhere in the 2 s GOP.
                    time.sleep(random.uniform(0, 2))
                    url = {"flv": f"http://127.0.0.1:{play_http}/{mode}/cam.flv",
                           "ts": f"http://127.0.0.1:{play_http}/{mode}/cam.ts",
                           "rtmp": f"rtmp://127.0.0.1:{play_rtmp}/{mode}/cam"}[args.protocol]
                    gop_at = edge.newest - edge.keyframe if edge.keyframe is not None else -1
                    if player == "mpegts":
                        if args.protocol == "rtmp":
                            sys.exit("mpegts.js plays HTTP-FLV and HTTP-TS")
                        at2, at5, report = play_in_chromium(url, args.protocol, 6, args.mpegts_no_stash)
                        fmt = lambda v: "-" if v is None else f"{v:8.0f}"
                        print(f"{player:8} {mode:9} {join:>4} {fmt(at2)} {fmt(at5)} {gop_at:7}  waiting {report.get('waitingEvents')}, "
                              f"startup {report.get('startupMs')} ms, dropped {report.get('droppedFrames')}/{report.get('totalFrames')}", flush=True)
                        continue
                    samples, started = play(player, url, 6)
                    if not samples:
                        print(f"{player:8} {mode:9} {join:>4}  no position reported")
                        continue
                    at2, at5 = latency_after(samples, edge, 2), latency_after(samples, edge, 5)
                    fmt = lambda v: "-" if v is None else f"{v:8.0f}"
                    first = samples[0][0] - edge.at_edge(samples[0][1])
                    print(f"{player:8} {mode:9} {join:>4} {fmt(at2)} {fmt(at5)} {gop_at:7}  first picture {samples[0][0] - started:.0f} ms after start, {first:.0f} ms behind", flush=True)
    finally:
        for proc in (publisher, edge_daemon, daemon):
            if proc is None:
                continue
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
