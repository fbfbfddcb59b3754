#!/usr/bin/env bash
# Macro scenario: one 2.6 Mbit/s 720p25 stream published by ffmpeg, N RTMP and N HTTP-FLV viewers
# from appliance-load, all on loopback. Prints what the daemon spent (CPU, memory) for what it
# delivered. Called by `make perf` after `make build`; see perf/README.md.
#
#   perf/run.sh [--viewers N] [--seconds T] [--flush-ms M] [--ramp R]
#   env: PERF_VIEWERS (100), PERF_SECONDS (30), PERF_FLUSH_MS (100), PERF_RAMP (200), BIN (artifacts/bin)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${BIN:-$ROOT/artifacts/bin}
OUT=$ROOT/perf/out
VIEWERS=${PERF_VIEWERS:-100}
DURATION=${PERF_SECONDS:-30}
FLUSH_MS=${PERF_FLUSH_MS:-100}
RAMP=${PERF_RAMP:-200}
MEDIA=$OUT/testsrc2-720p25-2500k-aac-60s.flv

usage() { sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --viewers) VIEWERS=$2; shift 2 ;;
    --seconds) DURATION=$2; shift 2 ;;
    --flush-ms) FLUSH_MS=$2; shift 2 ;;
    --ramp) RAMP=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "perf/run.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
for n in "$VIEWERS" "$DURATION" "$FLUSH_MS" "$RAMP"; do
  [[ $n =~ ^[0-9]+$ ]] || { echo "perf/run.sh: '$n' is not a whole number" >&2; exit 2; }
done

die() { echo "perf/run.sh: $*" >&2; exit 1; }
for exe in applianced appliance-load; do
  [[ -x $BIN/$exe ]] || die "$BIN/$exe is missing; run 'make build' first"
done
command -v ffmpeg >/dev/null || die "ffmpeg is needed (apt-get install ffmpeg)"
if command -v jq >/dev/null; then
  json() { jq -r "$1" "$2"; }
elif command -v python3 >/dev/null; then
  json() { python3 -c 'import json,sys
v=json.load(open(sys.argv[2]))
for k in sys.argv[1].lstrip(".").split("."): v=v[k]
print(v)' "$1" "$2"; }
else
  die "jq or python3 is needed to read the load report"
fi

# Every viewer is a socket in the load tool and another in the daemon.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
(( $(ulimit -n) > VIEWERS * 2 + 64 )) || die "open-file limit $(ulimit -n) is too low for $((VIEWERS * 2)) viewers"

# The media: made once, reused by every run.
mkdir -p "$OUT"
if [[ ! -s $MEDIA ]]; then
  echo "perf: encoding $MEDIA (once)"
  ffmpeg -hide_banner -loglevel error -y \
    -f lavfi -i testsrc2=size=1280x720:rate=25 -f lavfi -i sine=frequency=440:sample_rate=48000 \
    -t 60 -map 0:v -map 1:a \
    -c:v libx264 -preset veryfast -pix_fmt yuv420p -b:v 2500k -maxrate 2500k -bufsize 5000k \
    -g 50 -keyint_min 50 -sc_threshold 0 \
    -c:a aac -b:a 128k -ac 2 \
    -f flv "$MEDIA.part"
  mv "$MEDIA.part" "$MEDIA"
fi

WORK=$(mktemp -d -t appliance-perf.XXXXXX)
DAEMON_PID="" PUBLISHER_PID="" LOAD_PID=""
stop() {
  local pid=$1
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  stop "$LOAD_PID"; stop "$PUBLISHER_PID"; stop "$DAEMON_PID"
  wait 2>/dev/null || true
  [[ -f $WORK/daemon.log ]] && cp "$WORK/daemon.log" "$OUT/last-daemon.log"
  [[ -f $WORK/publisher.log ]] && cp "$WORK/publisher.log" "$OUT/last-publisher.log"
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cat > "$WORK/appliance.json" <<JSON
{
  "rtmp": { "listen": "127.0.0.1:0" },
  "http": { "listen": "127.0.0.1:0" },
  "log": { "level": "info" },
  "domains": [ { "name": "default", "apps": [ { "name": "live", "flushIntervalMs": $FLUSH_MS } ] } ]
}
JSON
: > "$WORK/daemon.log"
"$BIN/applianced" --config "$WORK/appliance.json" > "$WORK/daemon.log" 2>&1 &
DAEMON_PID=$!

# Port 0 lets the kernel pick free ports; the daemon logs the ones it got.
port_of() { sed -n "s/.*listening for $1 on [0-9.]*:\([0-9]*\).*/\1/p" "$WORK/daemon.log" | head -n1; }
RTMP_PORT="" HTTP_PORT=""
for _ in $(seq 100); do
  RTMP_PORT=$(port_of rtmp) HTTP_PORT=$(port_of http)
  [[ -n $RTMP_PORT && -n $HTTP_PORT ]] && break
  kill -0 "$DAEMON_PID" 2>/dev/null || { cat "$WORK/daemon.log" >&2; die "applianced exited at start"; }
  sleep 0.1
done
[[ -n $RTMP_PORT && -n $HTTP_PORT ]] || { cat "$WORK/daemon.log" >&2; die "applianced did not report its ports"; }

ffmpeg -hide_banner -nostdin -loglevel warning -re -stream_loop -1 -i "$MEDIA" -c copy \
  -f flv "rtmp://127.0.0.1:$RTMP_PORT/live/perf" > "$WORK/publisher.log" 2>&1 &
PUBLISHER_PID=$!

# Live once the stream is listed, plus a GOP so the cache holds a keyframe for the first viewers.
listed() { curl -fsS "http://127.0.0.1:$HTTP_PORT/api/streams" 2>/dev/null | grep -q '"perf"'; }
for _ in $(seq 150); do
  listed && break
  kill -0 "$PUBLISHER_PID" 2>/dev/null || { cat "$WORK/publisher.log" >&2; die "ffmpeg stopped publishing"; }
  sleep 0.1
done
listed || { cat "$WORK/publisher.log" "$WORK/daemon.log" >&2; die "the stream did not appear in /api/streams within 15 s"; }
sleep 2.5

CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
status_kb() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; }

RSS_BEFORE=$(status_kb "$DAEMON_PID" VmRSS)
CPU_BEFORE=$(cpu_ticks "$DAEMON_PID")
PUB_CPU_BEFORE=$(cpu_ticks "$PUBLISHER_PID")
START_NS=$(date +%s%N)

set +e
"$BIN/appliance-load" \
  --url "rtmp://127.0.0.1:$RTMP_PORT/live/perf" --url "http://127.0.0.1:$HTTP_PORT/live/perf.flv" \
  --viewers $((VIEWERS * 2)) --duration "$DURATION" --ramp "$RAMP" \
  --json-file "$WORK/load.json" --viewers-csv "$OUT/last-viewers.csv" --progress \
  > "$WORK/load.txt" 2> "$WORK/load.err" &
LOAD_PID=$!
PEAK_RSS_DURING=0 LOAD_HWM=0
while kill -0 "$LOAD_PID" 2>/dev/null; do
  rss=$(status_kb "$DAEMON_PID" VmRSS 2>/dev/null || echo 0)
  (( rss > PEAK_RSS_DURING )) && PEAK_RSS_DURING=$rss
  hwm=$(status_kb "$LOAD_PID" VmHWM 2>/dev/null || echo 0)
  (( ${hwm:-0} > LOAD_HWM )) && LOAD_HWM=$hwm
  sleep 0.5
done
wait "$LOAD_PID"; LOAD_STATUS=$?
LOAD_PID=""
set -e

END_NS=$(date +%s%N)
kill -0 "$DAEMON_PID" 2>/dev/null || { tail -n 50 "$WORK/daemon.log" >&2; die "applianced died during the run"; }
CPU_AFTER=$(cpu_ticks "$DAEMON_PID")
PUB_CPU_AFTER=$(cpu_ticks "$PUBLISHER_PID")
HWM=$(status_kb "$DAEMON_PID" VmHWM)
[[ -s $WORK/load.json ]] || { cat "$WORK/load.err" "$WORK/load.txt" >&2; die "appliance-load wrote no report (exit $LOAD_STATUS)"; }

BYTES=$(json .total.bytes "$WORK/load.json")
MBITS=$(json .total.mbitPerSecond "$WORK/load.json")
awk_calc() { awk "BEGIN { $1 }"; }
WALL=$(awk_calc "printf \"%.1f\", ($END_NS - $START_NS) / 1e9")
CPU=$(awk_calc "printf \"%.2f\", ($CPU_AFTER - $CPU_BEFORE) / $CLK_TCK")
PUB_CPU=$(awk_calc "printf \"%.2f\", ($PUB_CPU_AFTER - $PUB_CPU_BEFORE) / $CLK_TCK")
GB=$(awk_calc "printf \"%.3f\", $BYTES / 1e9")
PER_GB=$(awk_calc "if ($BYTES > 0) printf \"%.3f\", ($CPU_AFTER - $CPU_BEFORE) / $CLK_TCK / ($BYTES / 1e9); else print \"n/a\"")
CORE=$(awk_calc "printf \"%.0f\", 100 * ($CPU_AFTER - $CPU_BEFORE) / $CLK_TCK / (($END_NS - $START_NS) / 1e9)")
PER_VIEWER_KB=$(awk_calc "printf \"%.1f\", ($PEAK_RSS_DURING - $RSS_BEFORE) / ($VIEWERS * 2)")
LOG_PROBLEM=' (WRN|ERR|CRT) '
WARNINGS=$(grep -c -E "$LOG_PROBLEM" "$WORK/daemon.log" || true)

cat <<REPORT

== perf: $((VIEWERS * 2)) viewers ($VIEWERS RTMP + $VIEWERS HTTP-FLV), ${DURATION} s, flushIntervalMs $FLUSH_MS, ramp ${RAMP}/s ==
daemon CPU            ${CPU} s over ${WALL} s wall (${CORE}% of one core)
CPU per GB delivered  ${PER_GB} CPU-s/GB (${GB} GB)
delivered             ${MBITS} Mbit/s
daemon memory         peak RSS (VmHWM) $((HWM / 1024)) MiB; RSS before viewers $((RSS_BEFORE / 1024)) MiB, highest sampled during the run $((PEAK_RSS_DURING / 1024)) MiB: ~${PER_VIEWER_KB} KiB per viewer
publisher (ffmpeg)    ${PUB_CPU} CPU-s in the same window
daemon log            ${WARNINGS} warning/error lines (see perf/out/last-daemon.log)
load tool             exit ${LOAD_STATUS}, peak RSS $((LOAD_HWM / 1024)) MiB, CPU $(json .loadToolCpuSeconds "$WORK/load.json") s

REPORT
cat "$WORK/load.txt"
if [[ -s $WORK/load.err ]]; then echo; echo "load tool stderr:"; cat "$WORK/load.err"; fi
if (( WARNINGS > 0 )); then
  echo; echo "daemon warnings/errors (first 20):"
  grep -E "$LOG_PROBLEM" "$WORK/daemon.log" | head -n 20
fi
