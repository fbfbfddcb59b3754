#!/usr/bin/env bash
# Ladder scenario: the CPU one transcoder costs, stepping a 720p30 source down to 480p + 360p with
# the default preset (libx264 veryfast), as CPU-seconds per media-second, and how many such ladders
# this machine keeps in real time (each source published in a loop from a file, each ladder an
# "always" transcoder of the node). Called by `make perf-ladder`.
#
#   perf/ladder.sh [--seconds T] [--max N]
#   env: PERF_SECONDS (30, the measured window of each step), PERF_LADDER_MAX (6), BIN (artifacts/bin)
set -euo pipefail

PERF_NAME=ladder.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SECONDS_PER_STEP=${PERF_SECONDS:-30}
MAX=${PERF_LADDER_MAX:-6}
FPS=30
LADDER_MEDIA=$OUT/testsrc2-720p30-2500k-aac-60s.flv

usage() { sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --seconds) SECONDS_PER_STEP=$2; shift 2 ;;
    --max) MAX=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "perf/ladder.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[[ $SECONDS_PER_STEP =~ ^[1-9][0-9]*$ && $MAX =~ ^[1-9][0-9]*$ ]] || { echo "perf/ladder.sh: --seconds and --max take whole numbers" >&2; exit 2; }
[[ -x $BIN/applianced ]] || die "$BIN/applianced is missing; run 'make build' first"
command -v python3 >/dev/null || die "python3 is needed to read the node's status"
command -v ffmpeg >/dev/null || die "ffmpeg is needed (apt-get install ffmpeg)"

# The source: 1280x720 at 30 fps, libx264 veryfast at 2.5 Mbit/s, a keyframe every 2 s, AAC; made once.
encode_media "$LADDER_MEDIA" 1280x720 2500 128 "$FPS"

DAEMON_PID=""
PUBLISHERS=()
cleanup() {
  stop_each "${PUBLISHERS[@]}" "$DAEMON_PID"
  keep daemon.log last-ladder-daemon.log
}
perf_scratch appliance-perf-ladder

cat > "$WORK/config.json" <<JSON
{
  "rtmp": { "listen": "127.0.0.1:0" },
  "http": { "listen": "127.0.0.1:0", "publicApi": true },
  "log": { "level": "info" },
  "admin": { "listen": "" },
  "control": { "socket": "$WORK/control.sock" },
  "transcode": { "maxConcurrent": $MAX },
  "domains": [ { "name": "default", "apps": [ { "name": "live",
    "ladder": { "mode": "always", "rungs": [
      { "label": "480p", "height": 480, "videoBitrate": "1200k" },
      { "label": "360p", "height": 360, "videoBitrate": "600k" } ] } } ] } ]
}
JSON
run_daemon "$WORK/config.json" "$WORK/daemon.log"
DAEMON_PID=$!
read -r RTMP HTTP <<< "$(wait_ports "$WORK/daemon.log" "$DAEMON_PID")"

# "source pid frames" for each running transcoder, from /api/status.
transcoders() {
  curl -sf "http://127.0.0.1:$HTTP/api/status" | python3 -c 'import json,sys
for t in json.load(sys.stdin)["transcode"]["transcoders"]:
    if t["state"] == "running" and t["pid"] > 0: print(t["source"], t["pid"], t["frames"])'
}

# Publishes sources until there are K (in this shell, so cleanup stops them).
publish_up_to() {
  local i
  while (( ${#PUBLISHERS[@]} < $1 )); do
    i=$(( ${#PUBLISHERS[@]} + 1 ))
    run_publisher "$LADDER_MEDIA" "$WORK/publisher$i.log" -f flv "rtmp://127.0.0.1:$RTMP/live/ladder$i"
    PUBLISHERS+=($!)
  done
}

# One step with K sources, each with its ladder; prints "K cpu_per_media_s realtime_ratio_min restarts".
step() {
  local k=$1
  for _ in $(seq 300); do (( $(transcoders | wc -l) >= k )) && break; sleep 0.1; done
  (( $(transcoders | wc -l) >= k )) || die "only $(transcoders | wc -l) of $k transcoders run"
  sleep 5 # past the start: the GOP burst, the encoders' lookahead
  local before after restarts_before restarts_after
  before=$(transcoders | while read -r source pid frames; do echo "$source $pid $frames $(cpu_ticks "$pid")"; done)
  restarts_before=$(grep -c "failed (" "$WORK/daemon.log" || true)
  sleep "$SECONDS_PER_STEP"
  after=$(transcoders | while read -r source pid frames; do echo "$source $pid $frames $(cpu_ticks "$pid")"; done)
  restarts_after=$(grep -c "failed (" "$WORK/daemon.log" || true)
  python3 - "$k" "$SECONDS_PER_STEP" "$FPS" "$CLK_TCK" "$((restarts_after - restarts_before))" <<PY
import sys
k, window, fps, ticks, restarts = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
def rows(text):
    return {l.split()[0]: l.split()[1:] for l in text.strip().splitlines() if l.strip()}
before, after = rows("""$before"""), rows("""$after""")
cpu = media = 0.0
ratios = []
for source, (pid, frames, ticks_after) in after.items():
    if source not in before or before[source][0] != pid:
        ratios.append(0.0)  # restarted in the window
        continue
    frames_delta = int(frames) - int(before[source][1])
    cpu += (float(ticks_after) - float(before[source][2])) / ticks
    media += frames_delta / fps
    ratios.append(frames_delta / fps / window)
print(k, f"{cpu / media if media else float('nan'):.3f}", f"{min(ratios) if ratios else 0:.3f}", restarts)
PY
}

echo "perf/ladder.sh: 720p30 -> 480p (1200k) + 360p (600k), libx264 veryfast; $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "load average before: $(load_average)"
echo "ladders  cpu-s per media-s (each)  slowest ladder vs real time  ffmpeg restarts"
best=0
for k in $(seq 1 "$MAX"); do
  publish_up_to "$k"
  read -r n cost ratio restarts <<< "$(step "$k")"
  printf '%7d  %25s  %27s  %15s\n' "$n" "$cost" "$ratio" "$restarts"
  (( k == 1 )) && single=$cost
  if python3 -c "import sys; sys.exit(0 if float('$ratio') >= 0.97 and int('$restarts') == 0 else 1)"; then best=$k; else break; fi
done
echo "one ladder: $single CPU-seconds per media-second, so about $(python3 -c "print(f'{$(nproc) / float(\"$single\"):.1f}')") ladders fit $(nproc) cores on paper"
echo "in real time here: $best ladder(s) (each kept at least 97% of real time with no restart; the publishers and the daemon share the cores)"
echo "load average after: $(load_average)"
echo "daemon log: $OUT/last-ladder-daemon.log"
