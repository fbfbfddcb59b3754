#!/usr/bin/env python3
"""Real players' latency after join, per join mode (perf/README.md, "Join latency").

Starts applianced (artifacts/bin) with one app per join mode, publishes one live x264
zerolatency encode (25 fps, a keyframe every 2 s, AAC) to all of them, and plays each mode's
stream with each player, joining at a random point of the GOP. A reference reader (HTTP-FLV as a
relay, so frames keep their times) maps the stream's timeline to this machine's clock: the newest
frame the node delivers is the live edge. A player's latency is then the clock now minus the
moment the frame it presents was at the live edge: what the node and the player add, not the
encoder. Sampled --at seconds after its first presented frame (default 2 and 5; 5 and 60 for the
table in perf/results).

  perf/join-latency.py [--players ffplay,mpv,gst,mpegts,mpegts-chase,hls,llhls] [--joins 3]
                       [--modes live,keyframe,buffer] [--protocol flv|rtmp|ts] [--at 2,5]
                       [--burst-ms 400] [--browser-burst-ms 800] [--edge] [--markdown]

ffplay's position is its master clock from its status line (its fd= is frames dropped); mpv's is
time-pos (--rebase-start-time=no; frame-drop-count and decoder-frame-drop-count); GStreamer's
(gst: playbin, HTTP-FLV only, since its TS demuxer rebases time to 0) is the PTS of each frame
its video sink (fakesink, sync=true) renders. mpegts.js (HTTP-FLV, HTTP-TS; mpegts-chase with its
liveBufferLatencyChasing on) runs in headless Chromium through tests/browser/play.mjs, where
latency is the playhead's distance behind the newest media it holds; hls.js (hls: the TS
playlist; llhls: LL-HLS in its low-latency mode) reports hls.latency, its own distance from the
live edge the playlist gives. Neither browser player's figure is on the reference clock: both
rebase times. ffplay, mpv and gst run headless (SDL dummy drivers, mpv --vo=null --ao=null,
fakesinks), which keeps their clocks and frame dropping as on a screen. Each line also gives the
first picture (ms from the player's start), frames shown and dropped where the player says, and
its error lines (decoder errors included).
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


ERROR_LINE = re.compile(r"error|corrupt|invalid|non-existing PPS|decode_slice", re.I)


class Run:
    """What one player run showed: positions on the reference clock, counters, error lines."""

    def __init__(self):
        self.samples = []        # (clock ms, position ms)
        self.started = now_ms()
        self.shown = None        # frames shown (or decoded), when the player says
        self.dropped = None      # frames dropped, when the player says
        self.errors = []


def run_player(cmd, parse, seconds, env=None):
    """Runs a player until `seconds` after its first position (or 20 s more without one); `parse`
    reads each output line into the Run: a position, counters, an error line."""
    run = Run()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            env={**os.environ, **(env or {})})
    buffer = b""
    try:
        while True:
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break
            buffer += chunk
            *lines, buffer = re.split(rb"[\r\n]", buffer)
            for line in lines:
                parse(line.decode(errors="replace"), run)
            if run.samples and now_ms() - run.samples[0][0] > seconds * 1000 or now_ms() - run.started > (seconds + 20) * 1000:
                break
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return run


def parse_ffplay(line, run):
    m = re.search(r"^\s*(-?[0-9.]+|nan)\s+(A-V|M-V|M-A):.*?fd=\s*(\d+)", line)
    if m:
        if m.group(1) not in ("nan", "-nan"):
            run.samples.append((now_ms(), float(m.group(1)) * 1000.0))
        run.dropped = int(m.group(3))
    elif ERROR_LINE.search(line):
        run.errors.append(line.strip()[:200])


def parse_mpv(line, run):
    m = re.search(r"POS (-?[0-9.]+) DROP (\d+) DDROP (\d+) FRAME (\d+)", line)
    if m:
        run.samples.append((now_ms(), float(m.group(1)) * 1000.0))
        run.dropped = int(m.group(2)) + int(m.group(3))
        run.shown = int(m.group(4))
    elif "POS" not in line and ERROR_LINE.search(line):
        run.errors.append(line.strip()[:200])


def parse_gst(line, run):
    if "(v:sink)" in line:
        m = re.search(r"pts: (\d+):(\d+):([0-9.]+)", line)
        if m:
            run.samples.append((now_ms(), (int(m.group(1)) * 3600 + int(m.group(2)) * 60 + float(m.group(3))) * 1000.0))
            run.shown = (run.shown or 0) + 1
    elif line.startswith("ERROR") or "WARNING: from element" in line:
        run.errors.append(line.strip()[:200])


def play(player, url, seconds):
    if player == "ffplay":
        return run_player(["ffplay", "-hide_banner", "-loglevel", "warning", "-stats", url], parse_ffplay, seconds,
                          {"SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"})
    if player == "gst":
        return run_player(["gst-launch-1.0", "-v", "playbin", f"uri={url}",
                           "video-sink=fakesink name=v sync=true silent=false", "audio-sink=fakesink sync=true"], parse_gst, seconds)
    return run_player(["mpv", "--no-config", "--vo=null", "--ao=null", "--rebase-start-time=no", "--msg-level=all=warn,statusline=status",
                       "--term-status-msg=POS ${=time-pos} DROP ${frame-drop-count} DDROP ${decoder-frame-drop-count} FRAME ${estimated-frame-number}",
                       url], parse_mpv, seconds)


def play_in_chromium(player, url, kind, seconds, no_stash=False):
    """mpegts.js or hls.js in headless Chromium (tests/browser/play.mjs); returns its report."""
    script = os.path.join(ROOT, "tests", "browser", "play.mjs")
    args = ["node", script, "--seconds", str(seconds), "--timeout", str(seconds + 90)]
    if player.startswith("mpegts"):
        args += ["--player", "mpegts", "--url", url, "--type", kind] + (["--chase"] if player == "mpegts-chase" else []) \
            + (["--low-latency"] if no_stash else [])
    else:
        args += ["--player", "hls", "--url", url] + (["--low-latency"] if player == "llhls" else [])
    run = subprocess.run(args, capture_output=True, text=True, timeout=seconds + 120)
    return json.loads(run.stdout.strip().splitlines()[-1])


def latency_after(samples, edge, after_s):
    """The latency of the first sample at least after_s seconds after the first one."""
    first = samples[0][0]
    for clock, position in samples:
        if clock - first >= after_s * 1000:
            return clock - edge.at_edge(position)
    return None


BROWSER = ("mpegts", "mpegts-chase", "hls", "llhls")
NATIVE = ("ffplay", "mpv", "gst")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--players", default="ffplay,mpv")
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--joins", type=int, default=3)
    parser.add_argument("--protocol", default="flv", choices=["flv", "rtmp", "ts"])
    parser.add_argument("--at", default="2,5", help="seconds after the first picture at which latency is read, comma-separated")
    parser.add_argument("--burst-ms", type=int, default=400)
    parser.add_argument("--browser-burst-ms", type=int, default=800, help="browserJoinBurstMs: the burst mpegts.js (in Chromium) gets")
    parser.add_argument("--bin", default=os.path.join(ROOT, "artifacts", "bin"))
    parser.add_argument("--mpegts-no-stash", action="store_true",
                        help="mpegts.js with enableStashBuffer: false (its setting for the lowest latency)")
    parser.add_argument("--edge", action="store_true",
                        help="play from an edge that pulls from the origin on demand: every join is a pull's first viewer")
    parser.add_argument("--markdown", action="store_true", help="print the lines as rows of a markdown table")
    args = parser.parse_args()
    players = args.players.split(",")
    at = [float(a) for a in args.at.split(",")]
    for player in players:
        if player not in NATIVE + BROWSER:
            sys.exit(f"unknown player {player}: one of {', '.join(NATIVE + BROWSER)}")
        if player == "gst" and args.protocol != "flv":
            sys.exit("gst plays HTTP-FLV only here (its TS demuxer rebases time, and RTMP needs librtmp)")
        if player.startswith("mpegts") and args.protocol == "rtmp":
            sys.exit("mpegts.js plays HTTP-FLV and HTTP-TS")
    tools = {"gst": "gst-launch-1.0"}
    for tool in ["ffmpeg"] + [("node" if p in BROWSER else tools.get(p, p)) for p in players]:
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is needed")

    work = tempfile.mkdtemp(prefix="join-latency-")
    daemon, rtmp, http = start_daemon(os.path.join(args.bin, "applianced"), work, args.burst_ms, args.browser_burst_ms)
    publisher = start_publisher(rtmp, work)
    edge_daemon = None
    play_rtmp, play_http = rtmp, http
    if args.edge:
        edge_daemon, play_rtmp, play_http = start_daemon(os.path.join(args.bin, "applianced"), work, args.burst_ms, args.browser_burst_ms, "edge", rtmp)
    fmt = lambda v: "-" if v is None else f"{v:.0f}"
    try:
        time.sleep(3)
        edge = LiveEdge(f"http://127.0.0.1:{http}/live/cam.flv?appliance_via=join-latency")
        edge.start()
        time.sleep(2)
        if edge.offset is None:
            sys.exit("no frames from the node:\n" + open(os.path.join(work, "origin.log")).read())
        columns = ["player", "protocol", "mode", "join", "first picture ms"] + [f"at {a:g} s ms" for a in at] + ["gop at ms", "shown", "dropped", "errors / notes"]
        if args.markdown:
            print("| " + " | ".join(columns) + " |")
            print("|" + "---|" * len(columns))
        else:
            print("  ".join(columns) + "   (latency: ms behind the live edge; gop at: ms since the newest keyframe at the request)")
        seconds = max(at) + 1
        for player in players:
            # Join modes apply to RTMP, HTTP-FLV and HTTP-TS; an HLS player is measured once, on the first mode's app.
            modes = args.modes.split(",")[:1] if player in ("hls", "llhls") else args.modes.split(",")
            for mode in modes:
                for join in range(args.joins):
                    # Join anywhere in the 2 s GOP.
                    time.sleep(random.uniform(0, 2))
                    protocol = {"hls": "hls", "llhls": "ll-hls"}.get(player, args.protocol)
                    url = {"flv": f"http://127.0.0.1:{play_http}/{mode}/cam.flv",
                           "ts": f"http://127.0.0.1:{play_http}/{mode}/cam.ts",
                           "rtmp": f"rtmp://127.0.0.1:{play_rtmp}/{mode}/cam",
                           "hls": f"http://127.0.0.1:{play_http}/{mode}/cam.m3u8",
                           "ll-hls": f"http://127.0.0.1:{play_http}/{mode}/cam/llhls.m3u8"}[protocol]
                    gop_at = edge.newest - edge.keyframe if edge.keyframe is not None else -1
                    if player in BROWSER:
                        report = play_in_chromium(player, url, "mpegts" if args.protocol == "ts" else "flv", seconds, args.mpegts_no_stash)
                        trace = report.get("latencyTrace") or []
                        values = [next((v * 1000 for ms, v in trace if ms >= a * 1000), None) for a in at]
                        errors = [f"{e.get('details')}" for e in report.get("errors") or []]
                        notes = errors + ([f"waiting {report.get('waitingEvents')}x {report.get('waitingMs')} ms"] if report.get("waitingEvents") else [])
                        row = [player, protocol, mode if protocol != "hls" and protocol != "ll-hls" else "n/a", str(join), fmt(report.get("startupMs"))] \
                            + [fmt(v) for v in values] + [str(gop_at), fmt(report.get("totalFrames", 0) - report.get("droppedFrames", 0)),
                                                          fmt(report.get("droppedFrames")), "; ".join(notes) or "none"]
                    else:
                        run = play(player, url, seconds)
                        if not run.samples:
                            row = [player, protocol, mode, str(join), "-"] + ["-"] * len(at) + [str(gop_at), "-", "-", "no position reported; " + "; ".join(run.errors[:3])]
                        else:
                            values = [latency_after(run.samples, edge, a) for a in at]
                            first = run.samples[0][0] - run.started
                            row = [player, protocol, mode, str(join), fmt(first)] + [fmt(v) for v in values] \
                                + [str(gop_at), fmt(run.shown), fmt(run.dropped), f"{len(run.errors)} error lines" + (f": {run.errors[0]}" if run.errors else "")]
                    print(("| " + " | ".join(row) + " |") if args.markdown else "  ".join(row), flush=True)
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
