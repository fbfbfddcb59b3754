#!/usr/bin/env bash
# LL-HLS and LL-DASH scenario: the perf stream published by ffmpeg, N LL-HLS players (llhls.m3u8:
# blocking reloads and held preload-hinted parts, video and audio) and N LL-DASH players
# (.mpd?ll=1: segments in progress read chunk by chunk) from appliance-load, the daemon pinned to
# one CPU and the load on another. Prints the daemon's CPU per GB delivered, the time from a part's
# first response to the last response held for it, and the failures. Called by `make perf-llhls`
# after `make build`; see perf/README.md.
#
#   perf/llhls.sh [--players N] [--seconds T] [--ramp R] [--server-cpu C] [--load-cpu C] [--profile S]
#   env: PERF_PLAYERS (1000), PERF_SECONDS (40), PERF_RAMP (200), PERF_SERVER_CPU (0), PERF_LOAD_CPU (1),
#        PERF_PROFILE (0: off), BIN (artifacts/bin)
set -euo pipefail

PERF_NAME=llhls.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
PLAYERS=${PERF_PLAYERS:-1000}
DURATION=${PERF_SECONDS:-40}
RAMP=${PERF_RAMP:-200}
SERVER_CPU=${PERF_SERVER_CPU:-0}
LOAD_CPU=${PERF_LOAD_CPU:-1}
PROFILE=${PERF_PROFILE:-0}
TARGET_P99_MS=50

usage() { sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --players) PLAYERS=$2; shift 2 ;;
    --seconds) DURATION=$2; shift 2 ;;
    --ramp) RAMP=$2; shift 2 ;;
    --server-cpu) SERVER_CPU=$2; shift 2 ;;
    --load-cpu) LOAD_CPU=$2; shift 2 ;;
    --profile) PROFILE=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "perf/llhls.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
for n in "$PLAYERS" "$DURATION" "$RAMP" "$SERVER_CPU" "$LOAD_CPU" "$PROFILE"; do
  [[ $n =~ ^[0-9]+$ ]] || { echo "perf/llhls.sh: '$n' is not a whole number" >&2; exit 2; }
done
(( PLAYERS > 0 )) || { echo "perf/llhls.sh: --players must be at least 1" >&2; exit 2; }
TOTAL=$((2 * PLAYERS))

for exe in applianced appliance-load; do
  [[ -x $BIN/$exe ]] || die "$BIN/$exe is missing; run 'make build' first"
done
command -v curl >/dev/null || die "curl is needed"
(( PROFILE == 0 )) || command -v perf >/dev/null || die "--profile needs perf (linux-perf)"
RAMP_SECONDS=$(( (TOTAL + RAMP - 1) / RAMP ))
(( PROFILE == 0 || RAMP_SECONDS + 2 + PROFILE < DURATION )) || die "--profile $PROFILE does not fit after the ramp (${RAMP_SECONDS} s) in --seconds $DURATION"

# The daemon on one CPU, the load tool and the publisher on another: the load tool's own work
# (thousands of requests a second) must not take the daemon's CPU, or the lags measure both.
# taskset execs the program, so $! is the program's PID.
PIN=0 PINNING="not pinned (taskset missing or fewer than 2 CPUs)" ON_SERVER=() ON_LOAD=()
if command -v taskset >/dev/null && (( $(nproc) >= 2 )) && (( SERVER_CPU != LOAD_CPU )); then
  PIN=1 PINNING="daemon on CPU $SERVER_CPU, load tool and publisher on CPU $LOAD_CPU"
  ON_SERVER=(taskset -c "$SERVER_CPU") ON_LOAD=(taskset -c "$LOAD_CPU")
fi

# An LL-HLS player keeps 4 connections (playlist and parts, video and audio), an LL-DASH one 3.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
(( $(ulimit -n) > 4 * PLAYERS + 64 )) || die "open-file limit $(ulimit -n) is too low for $PLAYERS LL-HLS players (4 connections each)"

ensure_media

DAEMON_PID="" PUBLISHER_PID="" LOAD_PID="" PROFILER_PID="" LOAD_PROFILER_PID=""
cleanup() {
  stop_each "$PROFILER_PID" "$LOAD_PROFILER_PID" "$LOAD_PID" "$PUBLISHER_PID" "$DAEMON_PID"
  keep daemon.log last-llhls-daemon.log
  keep metrics-before.txt last-llhls-metrics-before.txt
  keep metrics-after.txt last-llhls-metrics-after.txt
}
perf_scratch appliance-perf-llhls

# Every player comes from 127.0.0.1: no per-address bound may refuse them (0 = none, held
# requests included), and the stream may hold every player's waiting requests (2 per LL-HLS
# track, 1 per LL-DASH track).
HELD=$(( 10 * PLAYERS > 10000 ? 10 * PLAYERS : 10000 ))
cat > "$WORK/appliance.json" <<JSON
{
  "rtmp": { "listen": "127.0.0.1:0" },
  "http": { "listen": "127.0.0.1:0", "publicApi": true },
  "log": { "level": "info" },
  "admin": { "listen": "127.0.0.1:0" },
  "control": { "socket": "$WORK/control.sock" },
  "limits": { "maxConnections": 100000, "maxConnectionsPerIp": 0, "httpRequestsPerSecondPerIp": 0, "maxHlsSessions": 100000, "maxHeldRequestsPerIp": 0 },
  "domains": [ { "name": "default", "apps": [ { "name": "live", "cmaf": { "maxHeldRequests": $HELD } } ] } ]
}
JSON
run_daemon "$WORK/appliance.json" "$WORK/daemon.log"
DAEMON_PID=$!

PORTS=$(wait_ports "$WORK/daemon.log" "$DAEMON_PID") || exit 1
read -r RTMP_PORT HTTP_PORT <<< "$PORTS"
ADMIN_PORT=$(port_of "$WORK/daemon.log" admin)
[[ -n $ADMIN_PORT ]] || die "applianced did not report its admin port"

run_publisher "$MEDIA" "$WORK/publisher.log" -f flv "rtmp://127.0.0.1:$RTMP_PORT/live/perf"
PUBLISHER_PID=$!
wait_stream "http://127.0.0.1:$HTTP_PORT" perf "$PUBLISHER_PID" "$WORK/publisher.log" "$WORK/daemon.log"

# CMAF packages on demand: the first playlist request starts it. Wait until the LL playlist lists
# three segments, so the players join a stream already being watched.
BASE="http://127.0.0.1:$HTTP_PORT/live/perf"
LLHLS="$BASE/llhls.m3u8" MPD="http://127.0.0.1:$HTTP_PORT/live/perf.mpd?ll=1"
segments() { curl -fsS -m 10 "$BASE/video-ll.m3u8" 2>/dev/null | grep -c '^#EXTINF' || true; }
for _ in $(seq 100); do
  (( $(segments) >= 3 )) && break
  sleep 0.2
done
(( $(segments) >= 3 )) || { tail -n 20 "$WORK/daemon.log" >&2; die "the LL-HLS playlist did not list 3 segments within 20 s"; }
curl -fsS -m 10 -o /dev/null "$MPD" || die "the low-latency MPD did not answer"

metrics() { curl -fsS -m 5 "http://127.0.0.1:$ADMIN_PORT/metrics" > "$1" 2>/dev/null || : > "$1"; }
# Nanoseconds the process's threads spent ready to run but waiting for a CPU (schedstat); 0 if unknown.
run_queue_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $2 } END { printf "%.0f", s }'; }

metrics "$WORK/metrics-before.txt"
RSS_BEFORE=$(status_kb "$DAEMON_PID" VmRSS)
CPU_BEFORE=$(cpu_ticks "$DAEMON_PID")
WAIT_BEFORE=$(run_queue_ns "$DAEMON_PID")
LOADAVG_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
START_NS=$(date +%s%N)

set +e
"${ON_LOAD[@]}" "$BIN/appliance-load" --url "$LLHLS" --url "$MPD" \
  --viewers "$TOTAL" --duration "$DURATION" --ramp "$RAMP" \
  --json-file "$WORK/load.json" --viewers-csv "$OUT/last-llhls-viewers.csv" --progress \
  > "$WORK/load.txt" 2> "$WORK/load.err" &
LOAD_PID=$!
if (( PROFILE > 0 )); then
  # Once every player is in: where the daemon's CPU goes (symbols from applianced.dbg next to it).
  (sleep $(( RAMP_SECONDS + 2 )); exec perf record -F 499 -g -p "$DAEMON_PID" -o "$OUT/last-llhls-perf.data" -- sleep "$PROFILE") > "$WORK/perf.log" 2>&1 &
  PROFILER_PID=$!
  # The load tool too: its own cost is in the lags it measures.
  (sleep $(( RAMP_SECONDS + 2 )); exec perf record -F 499 -g -p "$LOAD_PID" -o "$OUT/last-llhls-load-perf.data" -- sleep "$PROFILE") > "$WORK/perf-load.log" 2>&1 &
  LOAD_PROFILER_PID=$!
fi
PEAK_RSS=0 LOAD_HWM=0 LOAD_WAIT=0
while kill -0 "$LOAD_PID" 2>/dev/null; do
  wait_ns=$(run_queue_ns "$LOAD_PID")
  (( ${wait_ns:-0} > LOAD_WAIT )) && LOAD_WAIT=$wait_ns
  sample_peaks "$DAEMON_PID" "$LOAD_PID"
  sleep 0.5
done
wait "$LOAD_PID"; LOAD_STATUS=$?
LOAD_PID=""
set -e

END_NS=$(date +%s%N)
kill -0 "$DAEMON_PID" 2>/dev/null || { tail -n 50 "$WORK/daemon.log" >&2; die "applianced died during the run"; }
CPU_AFTER=$(cpu_ticks "$DAEMON_PID")
WAIT_AFTER=$(run_queue_ns "$DAEMON_PID")
LOADAVG_AFTER=$(cut -d' ' -f1 /proc/loadavg)
metrics "$WORK/metrics-after.txt"
HWM=$(status_kb "$DAEMON_PID" VmHWM)
[[ -s $WORK/load.json ]] || { cat "$WORK/load.err" "$WORK/load.txt" >&2; die "appliance-load wrote no report (exit $LOAD_STATUS)"; }

j() { json ".$1" "$WORK/load.json"; }
BYTES=$(j total.bytes)
WALL=$(calc "printf \"%.1f\", ($END_NS - $START_NS) / 1e9")
CPU=$(calc "printf \"%.2f\", ($CPU_AFTER - $CPU_BEFORE) / $CLK_TCK")
CORE=$(calc "printf \"%.0f\", 100 * $CPU / $WALL")
GB=$(calc "printf \"%.3f\", $BYTES / 1e9")
PER_GB=$(calc "if ($BYTES > 0) printf \"%.3f\", $CPU / ($BYTES / 1e9); else print \"n/a\"")
LOAD_CPU_S=$(j loadToolCpuSeconds)
LOAD_CORE=$(calc "printf \"%.0f\", 100 * $LOAD_CPU_S / $WALL")

# A counter of /metrics (the sum of its series, or those with a label), and its growth over the run.
metric() { awk -v name="$2" -v label="${3:-}" '($1 == name || index($1, name "{") == 1) && index($1, label) { sum += $2 } END { printf "%.6f", sum }' "$WORK/metrics-$1.txt"; }
grew() { calc "printf \"%.${3:-0}f\", $(metric after "$1" "${2:-}") - $(metric before "$1" "${2:-}")"; }
GC_MB=$(calc "printf \"%.0f\", $(grew appliance_gc_allocated_bytes_total) / 1048576")
GC_PAUSE=$(grew appliance_gc_pause_seconds_total "" 3)
GCS="gen0 $(grew appliance_gc_collections_total 'generation="0"'), gen1 $(grew appliance_gc_collections_total 'generation="1"'), gen2 $(grew appliance_gc_collections_total 'generation="2"')"
POOL_ITEMS=$(grew appliance_threadpool_completed_items_total)
REQUESTS=$(( $(j total.cmaf.manifestRequests) + $(j total.cmaf.mediaRequests) ))

FAILED=$(( $(j total.failed) + $(j total.dropped) + $(j total.notStarted) ))
REQUEST_FAILURES=$(j total.cmaf.failures)
MALFORMED=$(j total.cmaf.malformed)
STALLS=$(j total.stalls)
P50=$(j heldResponses.lastPerPartMs.p50) P99=$(j heldResponses.lastPerPartMs.p99) PMAX=$(j heldResponses.lastPerPartMs.max)
VERDICT=MISSED
if [[ $P99 =~ ^[0-9.]+$ ]] && calc "exit !($P99 < $TARGET_P99_MS)"; then VERDICT=met; fi
LOG_PROBLEM=' (WRN|ERR|CRT) '
WARNINGS=$(grep -c -E "$LOG_PROBLEM" "$WORK/daemon.log" || true)
kind() { echo "held $(j "heldResponses.$1.held"), lag p50 $(j "heldResponses.$1.lagMs.p50") / p99 $(j "heldResponses.$1.lagMs.p99") / max $(j "heldResponses.$1.lagMs.max") ms; answered at once $(j "heldResponses.$1.answeredAtOnce")"; }

cat <<REPORT

== perf llhls: $PLAYERS LL-HLS + $PLAYERS LL-DASH players, ${DURATION} s, ramp ${RAMP}/s; $PINNING ==
daemon CPU            ${CPU} s over ${WALL} s wall (${CORE}% of one core)
CPU per GB delivered  ${PER_GB} CPU-s/GB (${GB} GB)
delivered             $(j total.mbitPerSecond) Mbit/s; ${REQUESTS} playlist, MPD, part and segment requests ($(calc "printf \"%.0f\", $REQUESTS / $WALL")/s)
part to last held     p50 ${P50} ms, p99 ${P99} ms, max ${PMAX} ms over $(j heldResponses.parts) parts: target p99 < ${TARGET_P99_MS} ms ${VERDICT}
  blocking reloads    $(kind blockingReload)
  LL-HLS parts        $(kind part)
  LL-DASH chunks      $(kind chunk)
  too late            $(j heldResponses.late) responses came more than 5 s after their part's first
players               made $(j total.made), failed $(j total.failed), dropped $(j total.dropped), not started $(j total.notStarted)
request failures      ${REQUEST_FAILURES} (non-200 $(j total.cmaf.nonOkResponses), timeouts $(j total.cmaf.timeouts), connection errors $(j total.cmaf.connectionErrors)); malformed ${MALFORMED}; hinted parts never made $(j total.cmaf.hintsNotMade)
stalls                ${STALLS} ($(j total.stalled) players; a track more than a target duration without a new chunk), longest gap $(j total.longestGapMs) ms
fell behind           $(j total.cmaf.skipped) jumps past parts or segments that had left the window; chunks in $(j total.cmaf.chunks) (LL-HLS and LL-DASH alike carry 10 a second per player at the edge)
daemon memory         peak RSS (VmHWM) $((HWM / 1024)) MiB; before the players $((RSS_BEFORE / 1024)) MiB, highest sampled $((PEAK_RSS / 1024)) MiB
daemon GC             ${GC_MB} MiB allocated ($(calc "printf \"%.0f\", $GC_MB * 1048576 / ($REQUESTS > 0 ? $REQUESTS : 1)") bytes per request), collections ${GCS}, pause ${GC_PAUSE} s
daemon thread pool    ${POOL_ITEMS} work items ($(calc "printf \"%.1f\", $POOL_ITEMS / ($REQUESTS > 0 ? $REQUESTS : 1)") per request)
daemon log            ${WARNINGS} warning/error lines (see perf/out/last-llhls-daemon.log)
load tool             exit ${LOAD_STATUS}, CPU ${LOAD_CPU_S} s (${LOAD_CORE}% of one core), peak RSS $((LOAD_HWM / 1024)) MiB
waiting for a CPU     daemon $(calc "printf \"%.1f\", ($WAIT_AFTER - $WAIT_BEFORE) / 1e9") s, load tool $(calc "printf \"%.1f\", $LOAD_WAIT / 1e9") s: their threads' time ready to run on a busy CPU (schedstat)
machine               $(nproc) CPUs, load average ${LOADAVG_BEFORE} before, ${LOADAVG_AFTER} after
REPORT
if (( PIN )) && (( LOAD_CORE >= 90 )); then
  echo "                      the load tool used its whole CPU: its own queueing is in the lags above"
fi
echo
cat "$WORK/load.txt"
if [[ -s $WORK/load.err ]]; then echo; echo "load tool stderr:"; cat "$WORK/load.err"; fi
if (( PROFILE > 0 )); then
  wait "$PROFILER_PID" "$LOAD_PROFILER_PID" 2>/dev/null || true
  PROFILER_PID="" LOAD_PROFILER_PID=""
  for who in daemon load; do
    data=$OUT/last-llhls-perf.data profile=$OUT/last-llhls-profile.txt
    [[ $who == load ]] && data=$OUT/last-llhls-load-perf.data profile=$OUT/last-llhls-load-profile.txt
    # Time spent in each function and what it calls, user-space frames only: where the CPU goes, by code path.
    perf report -i "$data" --stdio --children -g none --sort symbol --percent-limit 1 2>/dev/null \
      | grep '%' | grep -v '\[k\]' | grep -v -E 'Thread__StartThread|ThreadEntryPoint|WorkerThreadStart|WorkQueue__Dispatch|ExecutionContext__Run|AsyncMethodBuilderCore__Start|AsyncStateMachineBox' \
      | cut -c1-160 > "$profile" || true
    echo; echo "$who profile, ${PROFILE} s after the ramp (children/self %; ${profile#"$ROOT"/}, ${data#"$ROOT"/}):"
    perf report -i "$data" --stdio --no-children -g none --sort dso 2>/dev/null | grep '%' | head -n 3
    head -n 25 "$profile"
  done
fi
if (( WARNINGS > 0 )); then
  echo; echo "daemon warnings/errors (first 20):"
  grep -E "$LOG_PROBLEM" "$WORK/daemon.log" | head -n 20
fi

UNMET=()
(( FAILED == 0 )) || UNMET+=("players failed, dropped or not started: $FAILED")
(( REQUEST_FAILURES == 0 )) || UNMET+=("request failures: $REQUEST_FAILURES")
(( MALFORMED == 0 )) || UNMET+=("malformed parts or segments: $MALFORMED")
[[ $VERDICT == met ]] || UNMET+=("part to last held response p99 ${P99} ms, not under ${TARGET_P99_MS} ms")
if (( ${#UNMET[@]} > 0 )); then
  echo; echo "not met:"; printf '  %s\n' "${UNMET[@]}"
  exit 1
fi
