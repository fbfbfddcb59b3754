#!/usr/bin/env bash
# Memory scenario: what each viewer costs the daemon in resident memory. One 600 kbit/s 360p stream
# published by ffmpeg; for each protocol and each viewer count, a fresh daemon on the embedded
# default settings (only its listeners moved to loopback ports), N viewers from appliance-load,
# and the daemon's RSS read before the viewers and once all of them are playing. Prints KiB per
# viewer ((RSS with viewers - RSS before) / N) and the managed heap's part of it. With --warm W,
# W viewers of the same protocol join first and stay; the baseline is read once they play, so what
# the stream costs once per wire format (its frames serialized for that protocol, the code its
# viewers page in) is in the baseline and the figure is what each further viewer adds.
# Called by `make perf-memory` after `make build`; see perf/README.md.
#
#   perf/memory.sh [--viewers N[,N...]] [--protocols rtmp,flv] [--hold T] [--ramp R] [--compare BIN_DIR] [--video-kbps K] [--warm W]
#   env: MEMORY_VIEWERS (1000), MEMORY_PROTOCOLS (rtmp,flv), MEMORY_HOLD (10), MEMORY_RAMP (1000), MEMORY_WARM (0),
#        MEMORY_VIDEO_KBPS (530: the stream's video rate; lower it for counts this machine's loopback
#        cannot carry at 600 kbit/s, where the daemon closes the viewers that fall behind),
#        MEMORY_COMPARE (a second build's bin directory, run alternately in the same run), BIN (artifacts/bin),
#        MEMORY_DAEMON_ENV (VAR=value words given to every daemon, e.g. DOTNET_GCGen0MaxBudget=400000:
#        hex without "0x", which the Native AOT runtime reads as not set)
set -euo pipefail

PERF_NAME=memory.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
COUNTS=${MEMORY_VIEWERS:-1000}
PROTOCOLS=${MEMORY_PROTOCOLS:-rtmp,flv}
HOLD=${MEMORY_HOLD:-10}
RAMP=${MEMORY_RAMP:-1000}
COMPARE=${MEMORY_COMPARE:-}
DAEMON_ENV=${MEMORY_DAEMON_ENV:-}
VIDEO_KBPS=${MEMORY_VIDEO_KBPS:-530}
WARM=${MEMORY_WARM:-0}

usage() { sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --viewers) COUNTS=$2; shift 2 ;;
    --protocols) PROTOCOLS=$2; shift 2 ;;
    --hold) HOLD=$2; shift 2 ;;
    --ramp) RAMP=$2; shift 2 ;;
    --compare) COMPARE=$2; shift 2 ;;
    --video-kbps) VIDEO_KBPS=$2; shift 2 ;;
    --warm) WARM=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "perf/memory.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
IFS=, read -r -a COUNT_LIST <<< "$COUNTS"
IFS=, read -r -a PROTOCOL_LIST <<< "$PROTOCOLS"
for n in "${COUNT_LIST[@]}" "$HOLD" "$RAMP" "$VIDEO_KBPS"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "perf/memory.sh: '$n' is not a positive whole number" >&2; exit 2; }
done
[[ $WARM =~ ^[0-9]+$ ]] || { echo "perf/memory.sh: --warm '$WARM' is not a whole number" >&2; exit 2; }
for protocol in "${PROTOCOL_LIST[@]}"; do
  [[ $protocol == rtmp || $protocol == flv ]] || { echo "perf/memory.sh: unknown protocol '$protocol' (rtmp, flv)" >&2; exit 2; }
done
BUILDS=("$BIN")
[[ -n $COMPARE ]] && BUILDS=("$COMPARE" "$BIN")
# Both builds' daemons are loaded by this build's appliance-load.
[[ -x $BIN/appliance-load ]] || die "$BIN/appliance-load is missing; run 'make build' first"
for dir in "${BUILDS[@]}"; do
  [[ -x $dir/applianced ]] || die "$dir/applianced is missing; run 'make build' first"
done
MAX=0
for n in "${COUNT_LIST[@]}"; do (( n > MAX )) && MAX=$n; done
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
(( $(ulimit -n) > MAX + WARM + 64 )) || die "open-file limit $(ulimit -n) is too low for $MAX viewers"

# 360p25 at about 600 kbit/s: the stream the memory goal is stated for.
if [[ $VIDEO_KBPS == 530 ]]; then
  ensure_media_360
else
  MEDIA_360=$OUT/testsrc2-360p25-${VIDEO_KBPS}k-aac-60s.flv
  encode_media "$MEDIA_360" 640x360 "$VIDEO_KBPS" 64
fi

DAEMON_PID="" PUBLISHER_PID="" LOAD_PID="" WARM_PID=""
stop_all() { stop_each "$LOAD_PID" "$WARM_PID" "$PUBLISHER_PID" "$DAEMON_PID"; LOAD_PID="" WARM_PID="" PUBLISHER_PID="" DAEMON_PID=""; }
cleanup() { stop_all; keep daemon.log last-daemon.log; }
perf_scratch appliance-memory

api_status() { curl -fsS -m 5 "http://127.0.0.1:$HTTP_PORT/api/status" > "$1" 2>/dev/null || echo '{}' > "$1"; }
field() { local v; v=$(json "$1" "$2" 2>/dev/null); [[ $v =~ ^-?[0-9]+$ ]] && echo "$v" || echo 0; }
# Sessions open in the daemon now (the publisher and the status request itself among them).
api_sessions() { api_status "$WORK/sessions.json"; field .sessions "$WORK/sessions.json"; }

# One measurement, into RESULT: "rss_before rss_with peak heap_before heap_with buffers_with failed stalled"
# (kB, kB, kB, bytes, bytes, count, count, count).
measure() {
  local bin=$1 protocol=$2 viewers=$3
  cat > "$WORK/appliance.json" <<JSON
{
  "rtmp": { "listen": "127.0.0.1:0" },
  "http": { "listen": "127.0.0.1:0", "publicApi": true },
  "admin": { "listen": "" },
  "control": { "socket": "$WORK/control.sock" }
}
JSON
  # shellcheck disable=SC2086 # words on purpose: VAR=value pairs
  env $DAEMON_ENV "$bin/applianced" --config "$WORK/appliance.json" > "$WORK/daemon.log" 2>&1 &
  DAEMON_PID=$!
  local ports; ports=$(wait_ports "$WORK/daemon.log" "$DAEMON_PID") || exit 1
  read -r RTMP_PORT HTTP_PORT <<< "$ports"
  run_publisher "$MEDIA_360" "$WORK/publisher.log" -f flv "rtmp://127.0.0.1:$RTMP_PORT/live/memory"
  PUBLISHER_PID=$!
  wait_stream "http://127.0.0.1:$HTTP_PORT" memory "$PUBLISHER_PID" "$WORK/publisher.log" "$WORK/daemon.log"
  # Two GOPs in the cache and the publisher's own buffers grown: the baseline is the daemon with a live stream.
  sleep 5
  local url
  case $protocol in
    rtmp) url="rtmp://127.0.0.1:$RTMP_PORT/live/memory" ;;
    flv) url="http://127.0.0.1:$HTTP_PORT/live/memory.flv" ;;
  esac
  local ramp_s=$(( (viewers + RAMP - 1) / RAMP ))
  if (( WARM > 0 )); then
    # They stay until the measured viewers are gone; the baseline waits until all of them play.
    local open_before; open_before=$(api_sessions)
    "$BIN/appliance-load" --url "$url" --viewers "$WARM" --duration $(( ramp_s + HOLD + 60 )) --ramp "$RAMP" \
      > "$WORK/warm.txt" 2>&1 &
    WARM_PID=$!
    local deadline=$(( SECONDS + 30 ))
    until (( $(api_sessions) >= open_before + WARM )); do
      (( SECONDS < deadline )) || die "the $WARM warm-up viewers did not all join within 30 s"
      kill -0 "$WARM_PID" 2>/dev/null || die "the warm-up load tool ended early: $(tail -n 3 "$WORK/warm.txt")"
      sleep 0.2
    done
    # Their join bursts written and the GOP serialized for their wire format.
    sleep 3
  fi
  api_status "$WORK/before.json"
  local rss_before; rss_before=$(status_kb "$DAEMON_PID" VmRSS)
  local anon_before file_before; anon_before=$(status_kb "$DAEMON_PID" RssAnon); file_before=$(status_kb "$DAEMON_PID" RssFile)
  # All viewers are in after the ramp; RSS is read at the end of the hold, while they all play.
  local duration=$(( ramp_s + HOLD + 5 ))
  "$BIN/appliance-load" --url "$url" --viewers "$viewers" --duration "$duration" --ramp "$RAMP" \
    --json-file "$WORK/load.json" > "$WORK/load.txt" 2> "$WORK/load.err" &
  LOAD_PID=$!
  local start=$SECONDS peak=0 rss
  while (( SECONDS - start < ramp_s + HOLD )); do
    rss=$(status_kb "$DAEMON_PID" VmRSS 2>/dev/null || echo 0)
    (( rss > peak )) && peak=$rss
    kill -0 "$LOAD_PID" 2>/dev/null || break
    sleep 0.5
  done
  local rss_with; rss_with=$(status_kb "$DAEMON_PID" VmRSS)
  (( rss_with > peak )) && peak=$rss_with
  local anon_with file_with; anon_with=$(status_kb "$DAEMON_PID" RssAnon); file_with=$(status_kb "$DAEMON_PID" RssFile)
  api_status "$WORK/with.json"
  set +e; wait "$LOAD_PID"; set -e
  LOAD_PID=""
  kill -0 "$DAEMON_PID" 2>/dev/null || { tail -n 30 "$WORK/daemon.log" >&2; die "applianced died during the run"; }
  RESULT="$rss_before $rss_with $peak $(field .memory.managedHeapBytes "$WORK/before.json")"
  RESULT+=" $(field .memory.managedHeapBytes "$WORK/with.json") $(field .memory.nativeBuffersOutstanding "$WORK/with.json")"
  RESULT+=" $(field .total.failed "$WORK/load.json") $(field .total.stalled "$WORK/load.json") $(field .total.made "$WORK/load.json")"
  RESULT+=" $(( $(field .sessions "$WORK/with.json") - $(field .sessions "$WORK/before.json") ))"
  # Where the growth went (kB or bytes, deltas from before to with): anonymous and file-backed RSS,
  # the GC's committed memory, bytes allocated while the viewers joined and played, gen0
  # collections, native buffers outstanding, threads.
  local delta key
  BREAKDOWN="$(( anon_with - anon_before )) $(( file_with - file_before ))"
  for key in .memory.managedCommittedBytes .memory.managedAllocatedBytes .gc.gen0 .gc.gen1 .memory.nativeBuffersOutstanding .threads; do
    delta=$(( $(field "$key" "$WORK/with.json") - $(field "$key" "$WORK/before.json") ))
    BREAKDOWN+=" $delta"
  done
  cp "$WORK/load.txt" "$OUT/last-memory-load.txt"
  cp "$WORK/before.json" "$OUT/last-memory-status-before.json"
  cp "$WORK/with.json" "$OUT/last-memory-status-with.json"
  grep -E '^(VmRSS|RssAnon|RssFile|Threads)' "/proc/$DAEMON_PID/status" | tr -s ' \t' ' ' | paste -sd' ' > "$OUT/last-memory-proc.txt"
  stop_all
}

echo "perf/memory.sh: one 360p stream of $((VIDEO_KBPS + 64)) kbit/s; ramp ${RAMP}/s, RSS read after a ${HOLD} s hold with every viewer playing"
(( WARM > 0 )) && echo "baseline read with $WARM viewers of the protocol already playing (--warm): KiB per viewer is what each further viewer adds"
echo "$(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(uname -r)"
printf '\n(viewers: asked for, then made by the load tool and open in the daemon when RSS was read; a run where\n they differ was more than the machine could hold, and its per-viewer figures do not count)\n'
printf '\n| build | protocol | viewers | RSS before (MiB) | RSS with viewers (MiB) | KiB per viewer | peak KiB per viewer | managed heap KiB per viewer | failed | stalled |\n'
printf '|---|---|---|---|---|---|---|---|---|---|\n'
declare -A WITH=()
BREAKDOWN_ROWS=""
for viewers in "${COUNT_LIST[@]}"; do
  for protocol in "${PROTOCOL_LIST[@]}"; do
    for bin in "${BUILDS[@]}"; do
      measure "$bin" "$protocol" "$viewers"
      read -r before with peak heap_before heap_with _buffers failed stalled made sessions <<< "$RESULT"
      label=$([[ $bin == "$BIN" ]] && echo "this" || echo "compare")
      WITH["$label/$protocol/$viewers"]=$with
      read -r anon file committed allocated gen0 gen1 buffers threads <<< "$BREAKDOWN"
      BREAKDOWN_ROWS+=$(printf '| %s | %s | %d | %s | %s | %s | %s | %d / %d | %d | %d |' "$label" "$protocol" "$viewers" \
        "$(calc "printf \"%.1f\", $anon / $viewers")" "$(calc "printf \"%.1f\", $file / $viewers")" \
        "$(calc "printf \"%.1f\", $committed / 1024 / $viewers")" "$(calc "printf \"%.1f\", $allocated / 1024 / $viewers")" \
        "$gen0" "$gen1" "$buffers" "$threads")$'\n'
      printf '| %s | %s | %d (%d made, %d open) | %s | %s | **%s** | %s | %s | %s | %s |\n' "$label" "$protocol" "$viewers" "$made" "$sessions" \
        "$(calc "printf \"%.1f\", $before / 1024")" "$(calc "printf \"%.1f\", $with / 1024")" \
        "$(calc "printf \"%.1f\", ($with - $before) / $viewers")" "$(calc "printf \"%.1f\", ($peak - $before) / $viewers")" \
        "$(calc "printf \"%.1f\", ($heap_with - $heap_before) / 1024 / $viewers")" "$failed" "$stalled"
    done
  done
done

printf '\n(where it went, from before to with viewers; KiB per viewer except the counts: anonymous and\n file-backed RSS, the GC'"'"'s committed memory, bytes allocated meanwhile, gen0 / gen1 collections meanwhile,\n native buffers outstanding, threads)\n'
printf '\n| build | protocol | viewers | RssAnon | RssFile | GC committed | allocated | gen0 / gen1 GCs | native buffers | threads |\n'
printf '|---|---|---|---|---|---|---|---|---|---|\n'
printf '%s' "$BREAKDOWN_ROWS"
[[ -n $DAEMON_ENV ]] && printf '\n(daemon environment: %s)\n' "$DAEMON_ENV"

# With two or more counts, the cost of each viewer beyond the first count: fixed costs (code paged
# in, the stream's wire format serialized once, GC regions, threads) cancel out.
if (( ${#COUNT_LIST[@]} > 1 )); then
  printf '\n| build | protocol | viewers | KiB per added viewer |\n|---|---|---|---|\n'
  for protocol in "${PROTOCOL_LIST[@]}"; do
    for bin in "${BUILDS[@]}"; do
      label=$([[ $bin == "$BIN" ]] && echo "this" || echo "compare")
      for ((i = 1; i < ${#COUNT_LIST[@]}; i++)); do
        low=${COUNT_LIST[i-1]} high=${COUNT_LIST[i]}
        printf '| %s | %s | %d to %d | %s |\n' "$label" "$protocol" "$low" "$high" \
          "$(calc "printf \"%.1f\", (${WITH[$label/$protocol/$high]} - ${WITH[$label/$protocol/$low]}) / ($high - $low)")"
      done
    done
  done
fi
