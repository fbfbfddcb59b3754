#!/usr/bin/env bash
# Macro scenario: one 2.6 Mbit/s 720p25 stream published by ffmpeg, N viewers of each chosen
# protocol (RTMP and HTTP-FLV unless told) from appliance-load, all on loopback. Prints what the
# daemon spent (CPU, memory) for what it delivered. Called by `make perf` after `make build`; see perf/README.md.
#
#   perf/run.sh [--viewers N] [--protocols rtmp,flv,ts,hls] [--seconds T] [--flush-ms auto|M] [--ramp R] [--hls-cold] [--delay]
#               [--send epoll|io_uring|auto] [--zero-copy BYTES] [--media FILE]
#   env: PERF_VIEWERS (100), PERF_PROTOCOLS (rtmp,flv), PERF_SECONDS (30), PERF_FLUSH_MS (auto), PERF_RAMP (200),
#        PERF_HLS_COLD (0), PERF_DELAY (0), PERF_SEND (epoll: transport.send), PERF_ZERO_COPY (0: transport.zeroCopyMinBytes),
#        PERF_MEDIA (the 2.6 Mbit/s 720p file), BIN (artifacts/bin); peers (perf/peers.sh): PERF_PEER (nginx-rtmp; none),
#        PERF_SERVER_CPU (0), PERF_LOAD_CPU (1), PERF_PIN (1), PERF_APP_EXTRA (more app keys as JSON members)
set -euo pipefail

PERF_NAME=run.sh
PERF_DIR=$(dirname "${BASH_SOURCE[0]}")
source "$PERF_DIR/lib.sh"
source "$PERF_DIR/peers.sh"
perf_pinning
VIEWERS=${PERF_VIEWERS:-100}
DURATION=${PERF_SECONDS:-30}
FLUSH_MS=${PERF_FLUSH_MS:-auto}
RAMP=${PERF_RAMP:-200}
PROTOCOLS=${PERF_PROTOCOLS:-rtmp,flv}
HLS_COLD=${PERF_HLS_COLD:-0}
DELAY=${PERF_DELAY:-0}
SEND=${PERF_SEND:-epoll}
ZERO_COPY=${PERF_ZERO_COPY:-0}
MEDIA_GIVEN=${PERF_MEDIA:-}

usage() { sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --viewers) VIEWERS=$2; shift 2 ;;
    --seconds) DURATION=$2; shift 2 ;;
    --flush-ms) FLUSH_MS=$2; shift 2 ;;
    --ramp) RAMP=$2; shift 2 ;;
    --protocols) PROTOCOLS=$2; shift 2 ;;
    --hls-cold) HLS_COLD=1; shift ;;
    --delay) DELAY=1; shift ;;
    --send) SEND=$2; shift 2 ;;
    --zero-copy) ZERO_COPY=$2; shift 2 ;;
    --media) MEDIA_GIVEN=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "perf/run.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
# auto: the app leaves flushIntervalMs out, so the embedded default (adaptive batching) applies.
[[ $FLUSH_MS == auto || $FLUSH_MS =~ ^[0-9]+$ ]] || { echo "perf/run.sh: --flush-ms takes auto or a whole number" >&2; exit 2; }
FLUSH_JSON=""
[[ $FLUSH_MS == auto ]] || FLUSH_JSON=", \"flushIntervalMs\": $FLUSH_MS"
# More app keys for an experiment, as JSON members: PERF_APP_EXTRA='"maxViewerUnsentBytes": 0'.
[[ -z ${PERF_APP_EXTRA:-} ]] || FLUSH_JSON+=", $PERF_APP_EXTRA"
[[ $SEND == epoll || $SEND == io_uring || $SEND == auto ]] || { echo "perf/run.sh: --send takes epoll, io_uring or auto" >&2; exit 2; }
for n in "$VIEWERS" "$DURATION" "$RAMP" "$ZERO_COPY"; do
  [[ $n =~ ^[0-9]+$ ]] || { echo "perf/run.sh: '$n' is not a whole number" >&2; exit 2; }
done
# Each protocol gets N viewers; the load tool deals them out round robin, so all ramp together.
IFS=, read -r -a PROTOCOL_LIST <<< "$PROTOCOLS"
(( ${#PROTOCOL_LIST[@]} > 0 )) || { echo "perf/run.sh: --protocols is empty" >&2; exit 2; }
declare -A PROTOCOL_NAME=([rtmp]=RTMP [flv]=HTTP-FLV [ts]=HTTP-TS [hls]=HLS)
DESCRIPTION="" HLS=0
for protocol in "${PROTOCOL_LIST[@]}"; do
  [[ -n ${PROTOCOL_NAME[$protocol]:-} ]] || { echo "perf/run.sh: unknown protocol '$protocol' (rtmp, flv, ts, hls)" >&2; exit 2; }
  DESCRIPTION+="${DESCRIPTION:+ + }$VIEWERS ${PROTOCOL_NAME[$protocol]}"
  [[ $protocol == hls ]] && HLS=1
done
TOTAL=$((VIEWERS * ${#PROTOCOL_LIST[@]}))

for exe in applianced appliance-load; do
  [[ -x $BIN/$exe ]] || die "$BIN/$exe is missing; run 'make build' first"
done

# Every viewer is a socket in the load tool and another in the daemon.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
(( $(ulimit -n) > TOTAL + 64 )) || die "open-file limit $(ulimit -n) is too low for $TOTAL viewers"

if [[ -n $MEDIA_GIVEN ]]; then
  [[ -s $MEDIA_GIVEN ]] || die "--media $MEDIA_GIVEN: no such file"
  MEDIA=$MEDIA_GIVEN
else
  ensure_media
fi

DAEMON_PID="" PUBLISHER_PID="" LOAD_PID="" PROBE_PID=""
cleanup() {
  stop_each "$PROBE_PID" "$LOAD_PID" "$PUBLISHER_PID" "$DAEMON_PID"
  keep daemon.log last-daemon.log
  keep publisher.log last-publisher.log
}
perf_scratch appliance-perf

cat > "$WORK/appliance.json" <<JSON
{
  "rtmp": { "listen": "127.0.0.1:0" },
  "http": { "listen": "127.0.0.1:0", "publicApi": true },
  "log": { "level": "info" },
  "transport": { "send": "$SEND", "zeroCopyMinBytes": $ZERO_COPY },
  "admin": { "listen": "" },
  "control": { "socket": "$WORK/control.sock" },
  "domains": [ { "name": "default", "apps": [ { "name": "live"$FLUSH_JSON } ] } ]
}
JSON
run_daemon "$WORK/appliance.json" "$WORK/daemon.log"
DAEMON_PID=$!

PORTS=$(wait_ports "$WORK/daemon.log" "$DAEMON_PID") || exit 1
read -r RTMP_PORT HTTP_PORT <<< "$PORTS"

run_publisher "$MEDIA" "$WORK/publisher.log" -f flv "rtmp://127.0.0.1:$RTMP_PORT/live/perf"
PUBLISHER_PID=$!

# Live once the stream is listed, plus a GOP so the cache holds a keyframe for the first viewers.
wait_stream "http://127.0.0.1:$HTTP_PORT" perf "$PUBLISHER_PID" "$WORK/publisher.log" "$WORK/daemon.log"
sleep 2.5

# HLS packages on demand: the first playlist request starts it (and may wait for the first
# segment). Ask once, timed, then wait until the playlist lists three segments, so the viewers
# join a full window the way players join a stream that is already being watched. With
# --hls-cold the viewers' own first requests start it instead.
PLAYLIST="http://127.0.0.1:$HTTP_PORT/live/perf.m3u8"
FIRST_PLAYLIST="not asked (--hls-cold: the viewers' first requests start packaging)"
if (( HLS && ! HLS_COLD )); then
  FIRST_PLAYLIST=$(curl -fsS -m 15 -o /dev/null -w 'HTTP %{http_code} in %{time_total} s (one curl before the load, which starts packaging)' "$PLAYLIST" 2>&1) \
    || { tail -n 20 "$WORK/daemon.log" >&2; die "the first HLS playlist request failed: $FIRST_PLAYLIST"; }
  listed_segments() { curl -fsS -m 5 "$PLAYLIST" 2>/dev/null | grep -c '^#EXTINF' || true; }
  for _ in $(seq 100); do
    (( $(listed_segments) >= 3 )) && break
    sleep 0.2
  done
  (( $(listed_segments) >= 3 )) || die "the HLS playlist did not list 3 segments within 20 s"
fi
status() { curl -fsS -m 5 "http://127.0.0.1:$HTTP_PORT/api/status" > "$1" 2>/dev/null || echo '{}' > "$1"; }
status "$WORK/status-before.json"

RSS_BEFORE=$(status_kb "$DAEMON_PID" VmRSS)
CPU_BEFORE=$(cpu_ticks "$DAEMON_PID")
PUB_CPU_BEFORE=$(cpu_ticks "$PUBLISHER_PID")
START_NS=$(date +%s%N)

URLS=()
for protocol in "${PROTOCOL_LIST[@]}"; do
  case $protocol in
    rtmp) URLS+=(--url "rtmp://127.0.0.1:$RTMP_PORT/live/perf") ;;
    flv) URLS+=(--url "http://127.0.0.1:$HTTP_PORT/live/perf.flv") ;;
    ts) URLS+=(--url "http://127.0.0.1:$HTTP_PORT/live/perf.ts") ;;
    hls) URLS+=(--url "$PLAYLIST") ;;
  esac
done

set +e
"${ON_LOAD[@]}" "$BIN/appliance-load" "${URLS[@]}" \
  --viewers "$TOTAL" --duration "$DURATION" --ramp "$RAMP" \
  --json-file "$WORK/load.json" --viewers-csv "$OUT/last-viewers.csv" --progress \
  > "$WORK/load.txt" 2> "$WORK/load.err" &
LOAD_PID=$!
# --delay: one more HTTP-FLV viewer, from the middle of the ramp to just before the end, timing each frame.
if (( DELAY )); then
  PROBE_START=$(awk "BEGIN { printf \"%.1f\", $TOTAL / $RAMP / 2 }")
  PROBE_SECONDS=$(awk "BEGIN { s = $DURATION - $PROBE_START - 2; printf \"%.1f\", s < 5 ? 5 : s }")
  (sleep "$PROBE_START"; exec python3 "$PERF_DIR/delay-probe.py" "http://127.0.0.1:$HTTP_PORT/live/perf.flv" "$PROBE_SECONDS") \
    > "$WORK/probe.txt" 2>&1 &
  PROBE_PID=$!
fi
PEAK_RSS=0 LOAD_HWM=0
while kill -0 "$LOAD_PID" 2>/dev/null; do
  sample_peaks "$DAEMON_PID" "$LOAD_PID"
  sleep 0.5
done
wait "$LOAD_PID"; LOAD_STATUS=$?
LOAD_PID=""
if [[ -n $PROBE_PID ]]; then wait "$PROBE_PID"; PROBE_PID=""; fi
set -e

END_NS=$(date +%s%N)
kill -0 "$DAEMON_PID" 2>/dev/null || { tail -n 50 "$WORK/daemon.log" >&2; die "applianced died during the run"; }
CPU_AFTER=$(cpu_ticks "$DAEMON_PID")
status "$WORK/status-after.json"
PUB_CPU_AFTER=$(cpu_ticks "$PUBLISHER_PID")
HWM=$(status_kb "$DAEMON_PID" VmHWM)
[[ -s $WORK/load.json ]] || { cat "$WORK/load.err" "$WORK/load.txt" >&2; die "appliance-load wrote no report (exit $LOAD_STATUS)"; }

BYTES=$(json .total.bytes "$WORK/load.json")
# The probe's bytes are delivered too (its CPU is in the daemon's).
(( DELAY )) && BYTES=$(( BYTES + $(grep -o '[0-9]* bytes' "$WORK/probe.txt" | grep -o '^[0-9]*' || echo 0) ))
MBITS=$(json .total.mbitPerSecond "$WORK/load.json")
WALL=$(calc "printf \"%.1f\", ($END_NS - $START_NS) / 1e9")
CPU=$(calc "printf \"%.2f\", ($CPU_AFTER - $CPU_BEFORE) / $CLK_TCK")
PUB_CPU=$(calc "printf \"%.2f\", ($PUB_CPU_AFTER - $PUB_CPU_BEFORE) / $CLK_TCK")
GB=$(calc "printf \"%.3f\", $BYTES / 1e9")
PER_GB=$(calc "if ($BYTES > 0) printf \"%.3f\", ($CPU_AFTER - $CPU_BEFORE) / $CLK_TCK / ($BYTES / 1e9); else print \"n/a\"")
CORE=$(calc "printf \"%.0f\", 100 * ($CPU_AFTER - $CPU_BEFORE) / $CLK_TCK / (($END_NS - $START_NS) / 1e9)")
PER_VIEWER_KB=$(calc "printf \"%.1f\", ($PEAK_RSS - $RSS_BEFORE) / $TOTAL")
LOG_PROBLEM=' (WRN|ERR|CRT) '
WARNINGS=$(grep -c -E "$LOG_PROBLEM" "$WORK/daemon.log" || true)

# The segment cache's counters from /api/status, before and after the load.
cache() { local v; v=$(json ".segmentCache.$2" "$WORK/status-$1.json" 2>/dev/null); [[ $v =~ ^[0-9]+$ ]] && echo "$v" || echo 0; }
HITS=$(( $(cache after hits) - $(cache before hits) ))
MISSES=$(( $(cache after misses) - $(cache before misses) ))
HIT_RATIO=$(calc "if ($HITS + $MISSES > 0) printf \"%.2f%%\", 100 * $HITS / ($HITS + $MISSES); else print \"n/a\"")
# The send ring's counters (zero on epoll): io_uring_enter calls and entries submitted during the load.
ring() { local v; v=$(json ".transport.$2" "$WORK/status-$1.json" 2>/dev/null); [[ $v =~ ^[0-9]+$ ]] && echo "$v" || echo 0; }
SEND_IN_USE=$(json .transport.send "$WORK/status-after.json" 2>/dev/null || echo unknown)
ENTERS=$(( $(ring after ringEnters) - $(ring before ringEnters) ))
SQES=$(( $(ring after ringSubmitted) - $(ring before ringSubmitted) ))
SQES_PER_ENTER=$(calc "if ($ENTERS > 0) printf \"%.1f\", $SQES / $ENTERS; else print \"n/a\"")
cache_line() { echo "$(cache "$1" segments) segments, $(( $(cache "$1" bytes) / 1048576 )) MiB, hits $(cache "$1" hits), misses $(cache "$1" misses), evictions $(cache "$1" evictions)"; }

cat <<REPORT

== perf: $TOTAL viewers ($DESCRIPTION), ${DURATION} s, flushIntervalMs $FLUSH_MS, send $SEND, ramp ${RAMP}/s, $PINNING ==
daemon CPU            ${CPU} s over ${WALL} s wall (${CORE}% of one core)
CPU per GB delivered  ${PER_GB} CPU-s/GB (${GB} GB)
delivered             ${MBITS} Mbit/s
daemon memory         peak RSS (VmHWM) $((HWM / 1024)) MiB; RSS before viewers $((RSS_BEFORE / 1024)) MiB, highest sampled during the run $((PEAK_RSS / 1024)) MiB: ~${PER_VIEWER_KB} KiB per viewer
publisher (ffmpeg)    ${PUB_CPU} CPU-s in the same window
transport             ${SEND_IN_USE} (zero-copy from ${ZERO_COPY} bytes, 0 = off); io_uring_enter ${ENTERS}, entries submitted ${SQES}: ${SQES_PER_ENTER} per enter
daemon log            ${WARNINGS} warning/error lines (see perf/out/last-daemon.log)
load tool             exit ${LOAD_STATUS}, peak RSS $((LOAD_HWM / 1024)) MiB, CPU $(json .loadToolCpuSeconds "$WORK/load.json") s
REPORT
(( DELAY )) && echo "delivery delay        $(cat "$WORK/probe.txt")"
if (( HLS )); then
  hls() { json ".total.hls.$1" "$WORK/load.json"; }
  cat <<REPORT
first playlist (cold) ${FIRST_PLAYLIST}
segment cache         before: $(cache_line before)
                      after:  $(cache_line after)
                      during the load: hits ${HITS}, misses ${MISSES}: hit ratio ${HIT_RATIO}
HLS (load tool)       $(hls playlistRequests) playlist + $(hls segmentRequests) segment requests; failures $(hls failures) (non-200 $(hls nonOkResponses), timeouts $(hls timeouts), connection errors $(hls connectionErrors)); malformed segments $(hls malformedSegments)
                      segment download p50 $(hls segmentMs.p50) ms, p99 $(hls segmentMs.p99) ms; first segment p50 $(hls firstSegmentMs.p50) ms, p99 $(hls firstSegmentMs.p99) ms
                      stalls: $(hls stalledViewers) viewers ran out of buffer ($(hls stalls) times, longest $(hls longestStallMs) ms); $(hls skippedSegments) segments skipped
REPORT
fi
echo
cat "$WORK/load.txt"
if [[ -s $WORK/load.err ]]; then echo; echo "load tool stderr:"; cat "$WORK/load.err"; fi
if (( WARNINGS > 0 )); then
  echo; echo "daemon warnings/errors (first 20):"
  grep -E "$LOG_PROBLEM" "$WORK/daemon.log" | head -n 20
fi
# The peer under the same load, after the daemon and its publisher stopped (perf/peers.sh).
stop "$PUBLISHER_PID"; stop "$DAEMON_PID"
peer_compare "${PERF_PEER:-nginx-rtmp}" "$TOTAL" "$DURATION" "$RAMP" "$WORK" "$PER_GB" "$DESCRIPTION"
