#!/usr/bin/env bash
# Reliability scenarios, each on its own daemon on loopback with the perf stream published by ffmpeg:
#   reload:  N RTMP + N HTTP-FLV viewers while the config is reloaded R times, valid and invalid files
#            in turn, by appliancectl and by SIGHUP: sessions dropped, stalls, and each reload's outcome.
#   hostile: N RTMP + N HTTP-FLV viewers while appliance-load --hostile makes H hostile connections:
#            viewer stalls, the daemon's RSS before, during and after, and whether the server closed them all.
# Exits 1 when a figure that must be 0 is not. Called by `make perf-reliability`; see perf/README.md.
#
#   perf/reliability.sh [--scenario reload|hostile|both] [--flush-ms M]
#       [--reload-viewers N] [--reloads R] [--reload-interval S] [--reload-via ctl|hup|both] [--reload-seconds T]
#       [--hostile-viewers N] [--hostile H] [--hostile-concurrency C] [--deadline-ms D] [--hostile-seconds T]
#   env: PERF_SCENARIO (both), PERF_FLUSH_MS (100), PERF_RELOAD_VIEWERS (500), PERF_RELOADS (10),
#        PERF_RELOAD_INTERVAL (4), PERF_RELOAD_VIA (both), PERF_RELOAD_SECONDS (60), PERF_HOSTILE_VIEWERS (250),
#        PERF_HOSTILE (1000), PERF_HOSTILE_CONCURRENCY (200), PERF_DEADLINE_MS (the daemon's default),
#        PERF_HOSTILE_SECONDS (90), BIN (artifacts/bin)
set -euo pipefail

PERF_NAME=reliability.sh
HERE=$(dirname "${BASH_SOURCE[0]}")
source "$HERE/lib.sh"
SCENARIO=${PERF_SCENARIO:-both}
FLUSH_MS=${PERF_FLUSH_MS:-100}
RELOAD_VIEWERS=${PERF_RELOAD_VIEWERS:-500}
RELOADS=${PERF_RELOADS:-10}
RELOAD_INTERVAL=${PERF_RELOAD_INTERVAL:-4}
RELOAD_VIA=${PERF_RELOAD_VIA:-both}
RELOAD_SECONDS=${PERF_RELOAD_SECONDS:-60}
HOSTILE_VIEWERS=${PERF_HOSTILE_VIEWERS:-250}
HOSTILE=${PERF_HOSTILE:-1000}
HOSTILE_CONCURRENCY=${PERF_HOSTILE_CONCURRENCY:-200}
DEADLINE_MS=${PERF_DEADLINE_MS:-}
HOSTILE_SECONDS=${PERF_HOSTILE_SECONDS:-90}
RAMP=200

usage() { sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --scenario) SCENARIO=$2; shift 2 ;;
    --flush-ms) FLUSH_MS=$2; shift 2 ;;
    --reload-viewers) RELOAD_VIEWERS=$2; shift 2 ;;
    --reloads) RELOADS=$2; shift 2 ;;
    --reload-interval) RELOAD_INTERVAL=$2; shift 2 ;;
    --reload-via) RELOAD_VIA=$2; shift 2 ;;
    --reload-seconds) RELOAD_SECONDS=$2; shift 2 ;;
    --hostile-viewers) HOSTILE_VIEWERS=$2; shift 2 ;;
    --hostile) HOSTILE=$2; shift 2 ;;
    --hostile-concurrency) HOSTILE_CONCURRENCY=$2; shift 2 ;;
    --deadline-ms) DEADLINE_MS=$2; shift 2 ;;
    --hostile-seconds) HOSTILE_SECONDS=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "perf/reliability.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
bad() { echo "perf/reliability.sh: $*" >&2; usage >&2; exit 2; }
for n in "$FLUSH_MS" "$RELOAD_VIEWERS" "$RELOADS" "$RELOAD_INTERVAL" "$RELOAD_SECONDS" "$HOSTILE_VIEWERS" "$HOSTILE" "$HOSTILE_CONCURRENCY" "$HOSTILE_SECONDS" ${DEADLINE_MS:+"$DEADLINE_MS"}; do
  [[ $n =~ ^[0-9]+$ ]] || bad "'$n' is not a whole number"
done
(( RELOAD_VIEWERS > 0 && HOSTILE_VIEWERS > 0 && HOSTILE > 0 && HOSTILE_CONCURRENCY > 0 )) || bad "viewers, --hostile and --hostile-concurrency must be at least 1"
[[ $SCENARIO =~ ^(reload|hostile|both)$ ]] || bad "--scenario is reload, hostile or both"
[[ $RELOAD_VIA =~ ^(ctl|hup|both)$ ]] || bad "--reload-via is ctl, hup or both"

for exe in applianced appliancectl appliance-load; do
  [[ -x $BIN/$exe ]] || die "$BIN/$exe is missing; run 'make build' first"
done
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
(( $(ulimit -n) > 2 * (RELOAD_VIEWERS > HOSTILE_VIEWERS ? RELOAD_VIEWERS : HOSTILE_VIEWERS) + HOSTILE_CONCURRENCY + 64 )) \
  || die "open-file limit $(ulimit -n) is too low for these viewers and hostile connections"
ensure_media

DAEMON_PID="" PUBLISHER_PID="" VIEWERS_PID="" OBSERVER_PID="" HOSTILE_PID="" LOG_NAME=""
# Stops what the current scenario started, by PID, and keeps the daemon's log.
stop_scenario() {
  stop_each "$HOSTILE_PID" "$VIEWERS_PID" "$OBSERVER_PID" "$PUBLISHER_PID" "$DAEMON_PID"
  HOSTILE_PID="" VIEWERS_PID="" OBSERVER_PID="" PUBLISHER_PID="" DAEMON_PID=""
  [[ -n $LOG_NAME ]] && keep daemon.log "last-reliability-$LOG_NAME-daemon.log"
  LOG_NAME=""
}
cleanup() { stop_scenario; }
perf_scratch appliance-perf-reliability

FAILURES=()
must() { # description value: a figure that must be 0 (a missing figure is not 0)
  [[ $2 =~ ^[0-9]+$ ]] && (( $2 == 0 )) || FAILURES+=("$1: $2 (must be 0)")
}

# The daemon's config: the app "live" and, for variant B, a second app and other limits. $1 is
# the JSON inside "rtmp" after its listen key, $2 the app's flushIntervalMs, $3 limits.maxConnections,
# $4 extra JSON after the app "live", $5 extra top-level JSON (deadlines).
config_json() {
  cat <<JSON
{
  "rtmp": { "listen": "127.0.0.1:0"$1 },
  "http": { "listen": "127.0.0.1:0", "publicApi": true },
  "log": { "level": "info" },
  "admin": { "listen": "" },
  "control": { "socket": "$WORK/control.sock" },
  "limits": { "maxConnections": $3 },$5
  "domains": [ { "name": "default", "apps": [ { "name": "live", "flushIntervalMs": $2 }$4 ] } ]
}
JSON
}

# Starts applianced on $WORK/appliance.json; sets DAEMON_PID, RTMP_PORT, HTTP_PORT.
start_daemon() {
  run_daemon "$WORK/appliance.json" "$WORK/daemon.log"
  DAEMON_PID=$!
  local ports
  ports=$(wait_ports "$WORK/daemon.log" "$DAEMON_PID") || exit 1
  read -r RTMP_PORT HTTP_PORT <<< "$ports"
}

ctl() { "$BIN/appliancectl" --socket "$WORK/control.sock" "$@"; }

# Publishes the perf file in a loop; returns once the stream is listed and a GOP is cached.
start_publisher() {
  run_publisher "$MEDIA" "$WORK/publisher.log" -f flv "rtmp://127.0.0.1:$RTMP_PORT/live/perf"
  PUBLISHER_PID=$!
  for _ in $(seq 150); do
    ctl --json streams 2>/dev/null | grep -q '"default/live/perf"' && { sleep 2.5; return 0; }
    kill -0 "$PUBLISHER_PID" 2>/dev/null || { cat "$WORK/publisher.log" >&2; die "ffmpeg stopped publishing"; }
    sleep 0.1
  done
  die "the stream did not appear within 15 s"
}

# RTMP + HTTP-FLV viewers of the stream at the daemon, as the daemon counts them.
viewers_at_daemon() {
  ctl --json streams 2>/dev/null | sed -n 's/.*"viewers":{"rtmp":\([0-9]*\),"flv":\([0-9]*\).*/\1 \2/p' | awk '{ print $1 + $2 } END { if (NR == 0) print 0 }' | head -n1
}

# N RTMP + N HTTP-FLV viewers for T seconds in the background (report in $WORK/$3.*); waits until
# the daemon counts all of them.
start_viewers() { # per-protocol seconds name
  local total=$(($1 * 2))
  VIEWERS_LAUNCHED=$(now_s)
  "$BIN/appliance-load" --url "rtmp://127.0.0.1:$RTMP_PORT/live/perf" --url "http://127.0.0.1:$HTTP_PORT/live/perf.flv" \
    --viewers "$total" --duration "$2" --ramp "$RAMP" --progress \
    --json-file "$WORK/$3.json" --viewers-csv "$OUT/last-reliability-$3-viewers.csv" > "$WORK/$3.txt" 2> "$WORK/$3.err" &
  VIEWERS_PID=$!
  # One more viewer in a process of its own: a gap that all the viewers above share and it does
  # not is the load tool's own pause, not the daemon's.
  "$BIN/appliance-load" --url "rtmp://127.0.0.1:$RTMP_PORT/live/perf" --viewers 1 --duration "$2" \
    --json-file "$WORK/$3-observer.json" --viewers-csv "$WORK/$3-observer.csv" > /dev/null 2>&1 &
  OBSERVER_PID=$!
  for _ in $(seq $((total / RAMP * 10 + 150))); do
    (( $(viewers_at_daemon) >= total + 1 )) && return 0
    kill -0 "$VIEWERS_PID" 2>/dev/null || { cat "$WORK/$3.err" >&2; die "appliance-load stopped before all viewers were connected"; }
    sleep 0.1
  done
  die "the daemon counts $(viewers_at_daemon) of $total viewers and the observer after the ramp and 15 s more"
}

# Waits for the viewers' run to end; prints nothing, the report is in $WORK/$1.json.
finish_viewers() {
  wait "$VIEWERS_PID" || true
  wait "$OBSERVER_PID" || true
  VIEWERS_PID="" OBSERVER_PID=""
  [[ -s $WORK/$1.json ]] || { cat "$WORK/$1.err" >&2; die "appliance-load wrote no report"; }
}

now_s() { date +%s.%N; }
# Seconds since the viewers' load tool was launched (its CSV counts from its first viewer, a few ms later).
since_viewers() { awk -v now="$(now_s)" -v start="$VIEWERS_LAUNCHED" 'BEGIN { printf "%.1f", now - start }'; }

# When viewers had their longest gap: how many ended inside the windows "FROM TO ..." (seconds of
# the viewers' run), and the longest gap inside and outside them, from the viewers' CSV ($1).
gaps_in_windows() {
  awk -F, -v windows="$2" '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; n = split(windows, w, " "); next }
    $col["longest_playing_gap_at_s"] != "" {
      at = $col["longest_playing_gap_at_s"]; gap = $col["longest_playing_gap_ms"]; start = at - gap / 1000; hit = 0
      for (i = 1; i < n; i += 2) if (at >= w[i] && start <= w[i + 1]) hit = 1
      if (hit) { inside++; if (gap > maxIn) maxIn = gap } else { outside++; if (gap > maxOut) maxOut = gap }
    }
    END { printf "%d viewers'"'"' longest gap overlapped them (longest %d ms), %d viewers'"'"' did not (longest %d ms)", inside, maxIn, outside, maxOut }' "$1"
}

# When the viewers' longest gaps ended, by whole second of their run: the 4 seconds most of them
# fell in, as "t=S s: N viewers (up to M ms)". Gaps all viewers share show as one big second.
gap_times() {
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $col["longest_playing_gap_at_s"] != "" { t = int($col["longest_playing_gap_at_s"]); n[t]++; g = $col["longest_playing_gap_ms"]; if (g > m[t]) m[t] = g }
    END { for (t in n) print n[t], t, m[t] }' "$1" | sort -rn | head -n 4 \
    | awk '{ printf "%st=%s s: %d viewers (up to %d ms)", (NR > 1 ? "; " : ""), $2, $1, $3 }'
}

# The observer's longest gap once media flowed, and when it ended (seconds of its run, which
# started within a few ms of the viewers').
observer_gap() {
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    { printf "%d ms, ended at t=%.1f s", $col["longest_playing_gap_ms"], $col["longest_playing_gap_at_s"] }' "$1"
}

# The daemon's GC counters from /api/status (file $1), as "gen0 gen1 gen2 pauseTotalMs".
gc_counters() {
  curl -fsS -m 5 "http://127.0.0.1:$HTTP_PORT/api/status" > "$1" 2>/dev/null || { echo "? ? ? ?"; return; }
  echo "$(json .gc.gen0 "$1") $(json .gc.gen1 "$1") $(json .gc.gen2 "$1") $(json .gc.pauseTotalMs "$1")"
}
gc_delta() { # "before" "after"
  awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " ")
    if (x[1] == "?" || y[1] == "?") { print "not read"; exit }
    printf "%d gen0, %d gen1, %d gen2 collections, %.0f ms paused in all", y[1] - x[1], y[2] - x[2], y[3] - x[3], y[4] - x[4] }'
}

rss_kb() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$DAEMON_PID/status" 2>/dev/null || echo 0; }
hwm_kb() { awk '$1 == "VmHWM:" { print $2 }' "/proc/$DAEMON_PID/status" 2>/dev/null || echo 0; }
mib() { awk -v kb="$1" 'BEGIN { printf "%.1f MiB", kb / 1024 }'; }

# The viewers' figures from appliance-load's JSON report (file $1) and CSV ($2).
viewer_figures() {
  local j=$1
  echo "viewers (load tool)   made $(json .total.made "$j") of $(json .total.viewers "$j"), failed $(json .total.failed "$j"), dropped $(json .total.dropped "$j"), not started $(json .total.notStarted "$j")"
  echo "stalls                $(json .total.stalled "$j") viewers stalled, $(json .total.stalls "$j") stalls (2 s or more without media)"
  echo "gaps                  longest time without media once it flowed, per viewer: p50 $(json .total.playingGapPerViewerMs.p50 "$j") ms, p99 $(json .total.playingGapPerViewerMs.p99 "$j") ms, max $(json .total.playingGapPerViewerMs.max "$j") ms; longest gap from the connect $(json .total.longestGapMs "$j") ms"
  echo "delivered             $(json .total.mbitPerSecond "$j") Mbit/s, $(json .total.mbitPerViewer "$j") Mbit/s per viewer (slowest $(json .total.mbitSlowestViewer "$j")), $(json .total.videoFrames "$j") video frames"
  echo "when                  the viewers' longest gaps ended: $(gap_times "$2")"
  echo "observer              one more RTMP viewer in a load tool of its own: longest gap $(observer_gap "${j%.json}-observer.csv"); dropped $(json .total.dropped "${j%.json}-observer.json"), stalls $(json .total.stalls "${j%.json}-observer.json")"
}
check_viewers() { # json name
  must "$2: viewers failed" "$(json .total.failed "$1")"
  must "$2: sessions dropped" "$(json .total.dropped "$1")"
  must "$2: viewers not started" "$(json .total.notStarted "$1")"
  must "$2: stalls" "$(json .total.stalls "$1")"
  must "$2: observer dropped or failed" "$(( $(json .total.dropped "${1%.json}-observer.json") + $(json .total.failed "${1%.json}-observer.json") ))"
  must "$2: observer stalls" "$(json .total.stalls "${1%.json}-observer.json")"
}

# The daemon's log lines at WRN and above, grouped with addresses and numbers blanked.
log_kinds() { # pattern of lines to leave out
  { grep -E ' (WRN|ERR|CRT) ' "$WORK/daemon.log" || true; } | { grep -v -E "$1" || true; } \
    | cut -d' ' -f2- | sed -E 's/[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+:[0-9]+/ADDR/g; s/[0-9]+/N/g' | sort | uniq -c | sort -rn \
    | grep . || echo "      (none)"
}

source "$HERE/reliability-reload.sh"
source "$HERE/reliability-hostile.sh"

echo "perf/reliability.sh on $(nproc) cores, load average $(load_average) at the start"
[[ $SCENARIO == hostile ]] || reload_scenario
[[ $SCENARIO == reload ]] || hostile_scenario

echo
if (( ${#FAILURES[@]} > 0 )); then
  echo "== NOT MET =="
  printf '  %s\n' "${FAILURES[@]}"
  exit 1
fi
echo "== every figure that must be 0 is 0 =="
