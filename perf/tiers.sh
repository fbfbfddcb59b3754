#!/usr/bin/env bash
# Tier scenario: origin <- upper(s) <- edge as separate daemons on loopback, the perf stream
# published at the origin. Measures (1) the time from a viewer's request at the edge to its first
# keyframe through two tiers, with the upper node warm (it already has the stream) and cold (both
# tiers pull on demand), and (2) the gap viewers at the edge see when the parent they pull from
# dies (SIGKILL) or hangs (SIGSTOP), measured by appliance-load. Called by `make perf-tiers`.
#
#   perf/tiers.sh [--rounds N] [--viewers N] [--protocol rtmp|flv]
#   env: PERF_ROUNDS (10), PERF_VIEWERS (20, for the failover runs), PERF_TIER_PROTOCOL (rtmp), BIN (artifacts/bin)
set -euo pipefail

PERF_NAME=tiers.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROUNDS=${PERF_ROUNDS:-10}
VIEWERS=${PERF_VIEWERS:-20}
PROTOCOL=${PERF_TIER_PROTOCOL:-rtmp}
STALL_MS=1000

usage() { sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --rounds) ROUNDS=$2; shift 2 ;;
    --viewers) VIEWERS=$2; shift 2 ;;
    --protocol) PROTOCOL=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "perf/tiers.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[[ $ROUNDS =~ ^[1-9][0-9]*$ && $VIEWERS =~ ^[1-9][0-9]*$ ]] || { echo "perf/tiers.sh: --rounds and --viewers take whole numbers" >&2; exit 2; }
[[ $PROTOCOL == rtmp || $PROTOCOL == flv ]] || { echo "perf/tiers.sh: --protocol is rtmp or flv" >&2; exit 2; }
for exe in applianced appliance-load appliancectl; do
  [[ -x $BIN/$exe ]] || die "$BIN/$exe is missing; run 'make build' first"
done
ensure_media
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

declare -A PID=() RTMP=() HTTP=()
PUBLISHER_PID="" HOLDER_PID=""
cleanup() {
  stop_each "$HOLDER_PID" "$PUBLISHER_PID"
  stop_nodes last-tiers
}
perf_scratch appliance-perf-tiers

# A node: its id, then the JSON of its app "live" beyond the name.
start_node() {
  node_config "$1" "$2" > "$WORK/$1.json"
  run_node "$1"
}
parent_url() { [[ $PROTOCOL == rtmp ]] && echo "rtmp://127.0.0.1:${RTMP[$1]}/live" || echo "http://127.0.0.1:${HTTP[$1]}/{app}/{stream}.flv"; }
pulling() { # parents...
  local list="" parent
  for parent in "$@"; do list+="${list:+, }{ \"url\": \"$(parent_url "$parent")\" }"; done
  echo "\"upstreams\": [ $list ], \"pull\": { \"idleMs\": 500, \"stallMs\": $STALL_MS, \"retryMs\": 200 }"
}
edge_url() { [[ $PROTOCOL == rtmp ]] && echo "rtmp://127.0.0.1:${RTMP[$1]}/live/perf" || echo "http://127.0.0.1:${HTTP[$1]}/live/perf.flv"; }
# How many streams a node has now (0 once its on-demand pull stopped).
streams_at() { "$BIN/appliancectl" --socket "$WORK/$1.sock" streams --json | grep -o '"key"' | wc -l; }
wait_streams() { # node count
  for _ in $(seq 150); do (( $(streams_at "$1") == $2 )) && return 0; sleep 0.1; done
  die "$1 still has $(streams_at "$1") streams, expected $2"
}
source_of() { "$BIN/appliancectl" --socket "$WORK/$1.sock" streams --json | sed -n 's/.*"source":"\([^"]*\)".*/\1/p' | head -n1; }

start_node origin ""
start_node upper-a "$(pulling origin)"
start_node upper-b "$(pulling origin)"
start_node edge "$(pulling upper-a)"
run_publisher "$MEDIA" "$WORK/publisher.log" -f flv "rtmp://127.0.0.1:${RTMP[origin]}/live/perf"
PUBLISHER_PID=$!
for _ in $(seq 150); do (( $(streams_at origin) == 1 )) && break; sleep 0.1; done
(( $(streams_at origin) == 1 )) || { cat "$WORK/publisher.log" >&2; die "the stream did not appear at the origin"; }
sleep 2.5 # a GOP, so the origin's cache holds a keyframe

# One viewer at the edge for 2 s; prints its first keyframe time in ms.
first_keyframe() {
  "$BIN/appliance-load" --url "$(edge_url edge)" --viewers 1 --duration 2 --json-file "$WORK/one.json" > /dev/null 2>&1 || true
  json .total.firstKeyFrameMs.p50 "$WORK/one.json"
}
summary() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) { print "no samples"; exit } printf "median %.0f ms, p90 %.0f ms, min %.0f ms, max %.0f ms over %d rounds", v[int((NR + 1) / 2)], v[int(NR * 0.9 + 0.999)], v[1], v[NR], NR }'; }

# Warm: a holder keeps the upper node's pull (and GOP cache) alive; only the edge pulls on demand.
"$BIN/appliance-load" --url "rtmp://127.0.0.1:${RTMP[upper-a]}/live/perf" --viewers 1 --duration $((ROUNDS * 6 + 30)) > /dev/null 2>&1 &
HOLDER_PID=$!
wait_streams upper-a 1
sleep 2.5
WARM=()
for _ in $(seq "$ROUNDS"); do
  WARM+=("$(first_keyframe)")
  wait_streams edge 0
done
stop "$HOLDER_PID"; HOLDER_PID=""
wait_streams upper-a 0

# Cold: neither the edge nor the upper node has the stream; both pull on demand, in a chain.
COLD=()
for _ in $(seq "$ROUNDS"); do
  COLD+=("$(first_keyframe)")
  wait_streams edge 0
  wait_streams upper-a 0
done

# Failover: an edge with both upper nodes as parents, VIEWERS viewers, the chosen parent killed (or stopped) midway.
VICTIM=""
failover() { # signal; sets VICTIM
  local signal=$1 name="edge-$1" chosen
  start_node "$name" "$(pulling upper-a upper-b)"
  "$BIN/appliance-load" --url "$(edge_url "$name")" --viewers "$VIEWERS" --duration 14 --ramp 1000 \
    --json-file "$WORK/failover-$signal.json" > "$WORK/failover-$signal.txt" 2>&1 &
  local load=$!
  sleep 6
  chosen=$(source_of "$name")
  [[ $chosen == *":${RTMP[upper-a]}/"* || $chosen == *":${HTTP[upper-a]}/"* ]] && VICTIM=upper-a || VICTIM=upper-b
  kill "-$signal" "${PID[$VICTIM]}"
  wait "$load" || true
}
failover KILL
KILLED=$VICTIM
# A fresh node in place of the killed one, so the next edge again has two live parents.
start_node "$KILLED" "$(pulling origin)"
failover STOP
STOPPED=$VICTIM

fig() { json "$1" "$2"; }
cat <<REPORT

== perf tiers: origin <- upper <- edge on loopback, ${PROTOCOL} between tiers, ${ROUNDS} rounds ==
first keyframe at the edge, upper warm   $(printf '%s\n' "${WARM[@]}" | grep -v null | summary)
first keyframe at the edge, both cold    $(printf '%s\n' "${COLD[@]}" | grep -v null | summary)
failover, parent killed ($KILLED)       longest gap $(fig .total.longestGapMs "$WORK/failover-KILL.json") ms over $VIEWERS viewers; stalled $(fig .total.stalled "$WORK/failover-KILL.json"), dropped $(fig .total.dropped "$WORK/failover-KILL.json"), failed $(fig .total.failed "$WORK/failover-KILL.json")
failover, parent hung ($STOPPED, stallMs $STALL_MS)  longest gap $(fig .total.longestGapMs "$WORK/failover-STOP.json") ms over $VIEWERS viewers; stalled $(fig .total.stalled "$WORK/failover-STOP.json"), dropped $(fig .total.dropped "$WORK/failover-STOP.json"), failed $(fig .total.failed "$WORK/failover-STOP.json")
samples (ms): warm ${WARM[*]}; cold ${COLD[*]}
REPORT
