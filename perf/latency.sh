#!/usr/bin/env bash
# Glass-to-glass latency scenario: appliance-load publishes the perf media (x264 720p25 2.5 Mbit/s +
# AAC, looped in real time) with a latency stamp (SEI) in every video frame, and N viewers of one
# protocol read the stamps back: the wall clock at the viewer minus the wall clock at which the
# publisher sent the frame. For each protocol (RTMP, HTTP-FLV, HTTP-TS, HLS, LL-HLS), each viewer
# count and one tier (viewers on the node the publisher feeds) or two (origin <- edge, the edge
# pulling over RTMP; viewers on the edge): glass-to-glass p50/p99/max over all frames, the
# viewers' own p99, and the trend (mean of each viewer's first 5 s vs its last 5 s). Default
# config (embedded defaults, limits per address off). Daemons on one CPU, the load tool on another.
# Called by `make perf-latency` after `make build`; see perf/README.md.
#
#   perf/latency.sh [--viewers "1 100 1000"] [--protocols "rtmp flv ts hls llhls"] [--tiers "1 2"]
#                   [--seconds T] [--after S]
#   env: PERF_VIEWERS, PERF_PROTOCOLS, PERF_TIERS, PERF_SECONDS (20), PERF_AFTER (8), BIN (artifacts/bin)
set -euo pipefail

PERF_NAME=latency.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
VIEWERS=${PERF_VIEWERS:-"1 100 1000"}
PROTOCOLS=${PERF_PROTOCOLS:-"rtmp flv ts hls llhls"}
TIER_COUNTS=${PERF_TIERS:-"1 2"}
DURATION=${PERF_SECONDS:-20}
AFTER=${PERF_AFTER:-8}

usage() { sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --viewers) VIEWERS=$2; shift 2 ;;
    --protocols) PROTOCOLS=$2; shift 2 ;;
    --tiers) TIER_COUNTS=$2; shift 2 ;;
    --seconds) DURATION=$2; shift 2 ;;
    --after) AFTER=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "perf/latency.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
for n in $VIEWERS $DURATION $AFTER; do
  [[ $n =~ ^[0-9]+$ ]] || die "'$n' is not a whole number"
done
for p in $PROTOCOLS; do [[ $p =~ ^(rtmp|flv|ts|hls|llhls)$ ]] || die "unknown protocol '$p'"; done
for t in $TIER_COUNTS; do [[ $t =~ ^[12]$ ]] || die "tiers are 1 or 2, not '$t'"; done
for exe in applianced appliance-load; do
  [[ -x $BIN/$exe ]] || die "$BIN/$exe is missing; run 'make build' first"
done
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
ensure_media

ON_SERVER=() ON_LOAD=() PINNING="not pinned (taskset missing or fewer than 2 CPUs)"
if command -v taskset >/dev/null && (( $(nproc) >= 2 )); then
  ON_SERVER=(taskset -c 0) ON_LOAD=(taskset -c 1) PINNING="daemons on CPU 0, appliance-load (publisher and viewers) on CPU 1"
fi

declare -A PID RTMP HTTP
cleanup() { stop_nodes; }
perf_scratch appliance-perf-latency

# A node on the default config (limits per address off: every viewer comes from 127.0.0.1).
start_node() {
  node_config "$1" "$2" '"limits": { "maxConnections": 100000, "maxConnectionsPerIp": 0, "httpRequestsPerSecondPerIp": 0, "maxHlsSessions": 100000, "maxHeldRequestsPerIp": 0 }' > "$WORK/$1.json"
  run_node "$1"
}

url_of() { # protocol node
  local base="http://127.0.0.1:${HTTP[$2]}/live/lat"
  case $1 in
    rtmp) echo "rtmp://127.0.0.1:${RTMP[$2]}/live/lat" ;;
    flv) echo "$base.flv" ;;
    ts) echo "$base.ts" ;;
    hls) echo "$base.m3u8" ;;
    llhls) echo "$base/llhls.m3u8" ;;
  esac
}

COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
echo "perf/latency.sh: commit $COMMIT, $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $PINNING"
echo "media: $(basename "$MEDIA"); $DURATION s of viewers after $AFTER s of publishing; ms"
printf '| tiers | protocol | viewers | ok | p50 | p99 | max | steady p50 / p99 / max | viewer p99: p50 / max of viewers | first 5 s | last 5 s | stamps not increasing | load avg |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|---|---|\n'
for tiers in $TIER_COUNTS; do
  for protocol in $PROTOCOLS; do
    for viewers in $VIEWERS; do
      start_node origin ""
      watch=origin
      if (( tiers == 2 )); then
        start_node edge "\"upstreams\": [ { \"url\": \"rtmp://127.0.0.1:${RTMP[origin]}/live\" } ], \"pull\": { }"
        watch=edge
      fi
      ramp=$(( viewers > 200 ? 200 : viewers ))
      set +e
      "${ON_LOAD[@]}" "$BIN/appliance-load" --publish "$(url_of rtmp origin)" --source "$MEDIA" \
        --viewers-after "$AFTER" --url "$(url_of "$protocol" "$watch")" --viewers "$viewers" --ramp "$ramp" \
        --duration "$DURATION" --json-file "$WORK/load.json" > "$WORK/load.txt" 2> "$WORK/load.err"
      status=$?
      set -e
      load=$(cut -d' ' -f1 /proc/loadavg)
      stop_nodes
      if [[ ! -s $WORK/load.json ]]; then
        printf '| %s | %s | %s | no report (exit %s: %s) ||||||||||\n' "$tiers" "$protocol" "$viewers" "$status" "$(head -c 200 "$WORK/load.err" | tr '\n' ' ')"
        continue
      fi
      j() { json ".total.latency.$1" "$WORK/load.json" | awk '$1 == "null" { print "-"; next } { printf "%.0f", $1 }'; }
      ok=$(( $(json .total.made "$WORK/load.json") - $(json .total.dropped "$WORK/load.json") ))
      printf '| %s | %s | %s | %s/%s | %s | %s | %s | %s / %s / %s | %s / %s | %s | %s | %s | %s |\n' "$tiers" "$protocol" "$viewers" "$ok" "$viewers" \
        "$(j glassToGlassMs.p50)" "$(j glassToGlassMs.p99)" "$(j glassToGlassMs.max)" \
        "$(j steadyMs.p50)" "$(j steadyMs.p99)" "$(j steadyMs.max)" \
        "$(j viewerP99Ms.p50)" "$(j viewerP99Ms.max)" \
        "$(j first5sMeanMs.p50)" "$(j last5sMeanMs.p50)" "$(j notIncreasing)" "$load"
      rm -f "$WORK/load.json"
    done
  done
done
