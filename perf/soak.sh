#!/usr/bin/env bash
# Soak: origin <- two parents <- edge on loopback, the edge pulling from either parent, and viewers
# of every protocol on the edge for a long run, while the publisher reconnects and the parent the
# edge pulls from is killed and restarted. Samples the edge's RSS, open fds, threads and native
# buffers outstanding and judges their slopes after the warm-up; the steady cohort must not stall;
# the edge's access lines must match the sessions the load tools opened. Called by `make soak`.
#
#   perf/soak.sh [--minutes M] [--viewers N] [--steady S] [--churn C] [--reconnect-every SECONDS]
#       [--failover-every SECONDS] [--warmup SECONDS] [--sample SECONDS] [--results FILE]
#   env: SOAK_MINUTES (30), SOAK_VIEWERS (2000), SOAK_STEADY (200), SOAK_CHURN (50),
#        SOAK_RECONNECT_EVERY (300), SOAK_FAILOVER_EVERY (600), SOAK_WARMUP (300, at most a quarter
#        of the run), SOAK_SAMPLE (10), SOAK_RESULTS (perf/results/DATE-soak.md), BIN (artifacts/bin),
#        SOAK_EDGE_APP (more keys of the edge's app, as JSON members, for experiments)
# Exits 1 when a check fails (slopes, stalls of the steady cohort, access lines, failed viewers).
set -euo pipefail

PERF_NAME=soak.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
MINUTES=${SOAK_MINUTES:-30}
VIEWERS=${SOAK_VIEWERS:-2000}
STEADY=${SOAK_STEADY:-200}
CHURN=${SOAK_CHURN:-50}
RECONNECT_EVERY=${SOAK_RECONNECT_EVERY:-300}
FAILOVER_EVERY=${SOAK_FAILOVER_EVERY:-600}
WARMUP=${SOAK_WARMUP:-}
SAMPLE=${SOAK_SAMPLE:-10}
RESULTS=${SOAK_RESULTS:-$ROOT/perf/results/$(date -u +%F)-soak.md}
# The stream's first timestamp: 67 s before RTMP's 32-bit wrap (4294967.296 s), so the first
# publisher crosses it, and every republish continues from there (an aged stream, as in production).
PUBLISH_START=4294900
# Flatness bounds, per minute after the warm-up. At 50 joins and 50 leaves a second, 3,000 sessions
# end every minute: these catch a leak of about 350 bytes, one fd, or one native buffer per few
# hundred sessions, and are well above what the GC and the thread pool wander by.
MAX_RSS_KIB_PER_MIN=${SOAK_MAX_RSS_KIB_PER_MIN:-1024}
MAX_FDS_PER_MIN=${SOAK_MAX_FDS_PER_MIN:-2}
MAX_THREADS_PER_MIN=${SOAK_MAX_THREADS_PER_MIN:-0.5}
MAX_BUFFERS_PER_MIN=${SOAK_MAX_BUFFERS_PER_MIN:-10}

usage() { sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --minutes) MINUTES=$2; shift 2 ;;
    --viewers) VIEWERS=$2; shift 2 ;;
    --steady) STEADY=$2; shift 2 ;;
    --churn) CHURN=$2; shift 2 ;;
    --reconnect-every) RECONNECT_EVERY=$2; shift 2 ;;
    --failover-every) FAILOVER_EVERY=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --sample) SAMPLE=$2; shift 2 ;;
    --results) RESULTS=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "perf/soak.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
bad() { echo "perf/soak.sh: $*" >&2; usage >&2; exit 2; }
RUN_SECONDS=$((MINUTES * 60))
[[ -n $WARMUP ]] || WARMUP=$(( 300 < RUN_SECONDS / 4 ? 300 : RUN_SECONDS / 4 ))
for n in "$MINUTES" "$VIEWERS" "$STEADY" "$CHURN" "$RECONNECT_EVERY" "$FAILOVER_EVERY" "$WARMUP" "$SAMPLE"; do
  [[ $n =~ ^[0-9]+$ ]] || bad "'$n' is not a whole number"
done
(( MINUTES >= 2 )) || bad "--minutes must be at least 2"
(( STEADY >= 6 && VIEWERS > STEADY )) || bad "--steady must be at least 6 (one per protocol) and less than --viewers"
CHURNING=$((VIEWERS - STEADY))
(( CHURN <= CHURNING )) || bad "--churn $CHURN is more than the $CHURNING churning viewers"
(( SAMPLE >= 1 && WARMUP + 6 * SAMPLE <= RUN_SECONDS )) || bad "the run must leave 6 samples after the warm-up"
(( RECONNECT_EVERY > 0 && FAILOVER_EVERY > 0 )) || bad "--reconnect-every and --failover-every must be at least 1"

for exe in applianced appliance-load appliancectl; do
  [[ -x $BIN/$exe ]] || die "$BIN/$exe is missing; run 'make build' first"
done
command -v curl >/dev/null || die "curl is needed"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
# Each viewer holds a connection at the edge and one in the load tool (LL-HLS players 4).
(( $(ulimit -n) > 2 * VIEWERS + 4 * STEADY + 256 )) || die "open-file limit $(ulimit -n) is too low for $VIEWERS viewers"

# The 360p stream of the memory scenario (about 0.6 Mbit/s), so 2,000 viewers fit on a shared machine.
ensure_media_360
MEDIA=$MEDIA_360

declare -A PID=() RTMP=() HTTP=() ADMIN=()
PUBLISHER_PID="" STEADY_PID="" CHURN_PID=""
cleanup() {
  stop_each "$STEADY_PID" "$CHURN_PID" "$PUBLISHER_PID"
  stop_nodes last-soak
  local f
  for f in samples.csv access.log steady.json churn.json steady.txt churn.txt publisher.log events.txt; do
    keep "$f" "last-soak-$f"
  done
}
perf_scratch appliance-perf-soak

# A node: its name, its RTMP and HTTP ports (0: any), then its app "live" beyond the name, and more
# top-level JSON. Its access lines go to $WORK/NAME-access.log (the edge's are the ones counted).
start_node() {
  local name=$1 rtmp=$2 http=$3 app=$4 extra=${5:-}
  cat > "$WORK/$name.json" <<JSON
{
  "node": { "id": "$name" },
  "rtmp": { "listen": "127.0.0.1:$rtmp" },
  "http": { "listen": "127.0.0.1:$http" },
  "admin": { "listen": "127.0.0.1:0" },
  "log": { "level": "info", "accessFile": "$WORK/$name-access.log" },
  "control": { "socket": "$WORK/$name.sock" },
  "limits": { "maxConnections": 100000, "maxConnectionsPerIp": 0, "httpRequestsPerSecondPerIp": 0, "maxHlsSessions": 100000, "maxHeldRequestsPerIp": 0 },${extra:+ $extra,}
  "domains": [ { "name": "default", "apps": [ { "name": "live"${app:+, $app} } ] } ]
}
JSON
  # A restarted node starts a new log, so its ports are read from this start's lines.
  [[ -f $WORK/$name.log ]] && mv "$WORK/$name.log" "$WORK/$name.log.$(date +%s%N)"
  run_node "$name"
  ADMIN[$name]=$(port_of "$WORK/$name.log" admin)
}
pulling() { # parent ports...
  local list="" port
  for port in "$@"; do list+="${list:+, }{ \"url\": \"rtmp://127.0.0.1:$port/live\" }"; done
  echo "\"upstreams\": [ $list ], \"pull\": { \"stallMs\": 1000, \"retryMs\": 200 }"
}
ctl() { local node=$1; shift; "$BIN/appliancectl" --socket "$WORK/$node.sock" "$@"; }
streams_at() { ctl "$1" streams --json 2>/dev/null | grep -o '"key"' | wc -l; }
source_of() { ctl "$1" streams --json 2>/dev/null | sed -n 's/.*"source":"\([^"]*\)".*/\1/p' | head -n1; }
metric() { # node name: the sum of the metric's series
  curl -fsS -m 5 "http://127.0.0.1:${ADMIN[$1]}/metrics" 2>/dev/null | awk -v m="$2" '$1 == m || index($1, m "{") == 1 { s += $2; n++ } END { print n ? s : "" }'
}
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.0f", b - a }'; }
event() { echo "$(printf '%5ss' "$(since "$T0")") $*" | tee -a "$WORK/events.txt" >&2; }

# The parents' RTMP ports are fixed: a restarted parent must come back where the edge looks.
PARENT_A_RTMP=$(free_port) PARENT_B_RTMP=$(free_port)
start_node origin 0 0 ""
start_node parent-a "$PARENT_A_RTMP" 0 "$(pulling "${RTMP[origin]}")"
start_node parent-b "$PARENT_B_RTMP" 0 "$(pulling "${RTMP[origin]}")"
start_node edge 0 0 "$(pulling "$PARENT_A_RTMP" "$PARENT_B_RTMP"), \"cmaf\": { \"maxHeldRequests\": 10000 }${SOAK_EDGE_APP:+, $SOAK_EDGE_APP}"
# Kept so that a restarted parent comes back on the same ports.
PARENT_HTTP_A=${HTTP[parent-a]} PARENT_HTTP_B=${HTTP[parent-b]}

PUBLISHES=0
publish() { # seconds since the first publish: the timeline continues from there
  "$BIN/appliance-load" --publish "rtmp://127.0.0.1:${RTMP[origin]}/live/soak" --source "$MEDIA" \
    --publish-start "$((PUBLISH_START + $1))" --duration $((RUN_SECONDS + 600)) >> "$WORK/publisher.log" 2>&1 &
  PUBLISHER_PID=$!
  PUBLISHES=$((PUBLISHES + 1))
}
TP=$(now)
publish 0
for _ in $(seq 150); do (( $(streams_at origin) == 1 )) && break; sleep 0.1; done
(( $(streams_at origin) == 1 )) || { cat "$WORK/publisher.log" >&2; die "the stream did not appear at the origin"; }

# Warm the edge's packagers (HLS, LL-HLS, DASH start on the first request) with one User-Agent: one
# HLS session and WARM_REQUESTS connections in the edge's access log, counted below.
EDGE="http://127.0.0.1:${HTTP[edge]}/live"
WARM_REQUESTS=0
warm() { WARM_REQUESTS=$((WARM_REQUESTS + 1)); curl -fsS -m 10 -A soak-warmup -o "$WORK/warm.out" "$1" 2>/dev/null || : > "$WORK/warm.out"; }
listed_segments() { grep -c '^#EXTINF' "$WORK/warm.out" || true; }
for playlist in soak.m3u8 soak/video-ll.m3u8; do
  for _ in $(seq 60); do
    warm "$EDGE/$playlist"
    (( $(listed_segments) >= 3 )) && break
    sleep 0.5
  done
  (( $(listed_segments) >= 3 )) || die "the edge's $playlist did not list 3 segments within 30 s"
done
warm "$EDGE/soak.mpd?ll=1"
(( $(streams_at edge) == 1 )) || die "the edge did not pull the stream"

# The steady cohort (every protocol, stays the whole run) and the churning one (1 s apart so the
# steady viewers are in before the ramp of the others).
"$BIN/appliance-load" --viewers "$STEADY" --duration "$RUN_SECONDS" --ramp 200 \
  --url "rtmp://127.0.0.1:${RTMP[edge]}/live/soak" --url "$EDGE/soak.flv" --url "$EDGE/soak.ts" \
  --url "$EDGE/soak.m3u8" --url "$EDGE/soak/llhls.m3u8" --url "$EDGE/soak.mpd?ll=1" \
  --json-file "$WORK/steady.json" > "$WORK/steady.txt" 2>&1 &
STEADY_PID=$!
T0=$(now)
LOAD_START=$(load_average)
sleep 1
"$BIN/appliance-load" --viewers "$CHURNING" --duration "$((RUN_SECONDS - 1))" --ramp 200 --churn "$CHURN" \
  --url "rtmp://127.0.0.1:${RTMP[edge]}/live/soak" --url "$EDGE/soak.flv" --url "$EDGE/soak.ts" --url "$EDGE/soak.m3u8" \
  --json-file "$WORK/churn.json" --progress > "$WORK/churn.txt" 2>&1 &
CHURN_PID=$!

sample() { # seconds since T0
  local pid=${PID[edge]}
  printf '%s,%s,%s,%s,%s,%s,%s,%s\n' "$1" \
    "$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$pid/status")" \
    "$(find "/proc/$pid/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)" \
    "$(awk '$1 == "Threads:" { print $2 }' "/proc/$pid/status")" \
    "$(metric edge appliance_native_buffers_outstanding)" \
    "$(metric edge appliance_viewers)" \
    "$(metric edge appliance_segment_cache_segments)" "$(metric edge appliance_segment_cache_bytes)" >> "$WORK/samples.csv"
}
echo "t_s,rss_kib,fds,threads,native_buffers,viewers,cache_segments,cache_bytes" > "$WORK/samples.csv"

# A failover: the parent the edge pulls from is killed; it comes back on the same ports 5 s later,
# so the next failover again has two parents to choose from.
FAILOVERS=0 FAILOVERS_MOVED=0
failover() {
  local chosen victim after
  chosen=$(source_of edge)
  if [[ $chosen == *":$PARENT_A_RTMP/"* ]]; then victim=parent-a
  elif [[ $chosen == *":$PARENT_B_RTMP/"* ]]; then victim=parent-b
  else event "failover skipped: the edge's source is '$chosen'"; return; fi
  kill -KILL "${PID[$victim]}"
  wait "${PID[$victim]}" 2>/dev/null || true
  FAILOVERS=$((FAILOVERS + 1))
  for _ in $(seq 100); do
    after=$(source_of edge)
    [[ -n $after && $after != "$chosen" ]] && break
    sleep 0.1
  done
  [[ -n $after && $after != "$chosen" ]] && FAILOVERS_MOVED=$((FAILOVERS_MOVED + 1))
  event "failover: killed $victim (pid ${PID[$victim]}); edge now pulls from ${after:-nothing}"
  sleep 5
  if [[ $victim == parent-a ]]; then start_node parent-a "$PARENT_A_RTMP" "$PARENT_HTTP_A" "$(pulling "${RTMP[origin]}")"
  else start_node parent-b "$PARENT_B_RTMP" "$PARENT_HTTP_B" "$(pulling "${RTMP[origin]}")"; fi
  event "failover: restarted $victim (pid ${PID[$victim]})"
}
reconnect() {
  stop "$PUBLISHER_PID"
  publish "$(since "$TP")"
  event "publisher reconnected (pid $PUBLISHER_PID, timestamps from $((PUBLISH_START + $(since "$TP"))) s)"
}

NEXT_RECONNECT=$RECONNECT_EVERY NEXT_FAILOVER=$FAILOVER_EVERY NEXT_SAMPLE=0
while :; do
  t=$(since "$T0")
  (( t >= RUN_SECONDS )) && break
  if (( t >= NEXT_SAMPLE )); then sample "$t"; NEXT_SAMPLE=$((NEXT_SAMPLE + SAMPLE)); fi
  if (( t >= NEXT_RECONNECT && NEXT_RECONNECT < RUN_SECONDS - 30 )); then reconnect; NEXT_RECONNECT=$((NEXT_RECONNECT + RECONNECT_EVERY)); fi
  if (( t >= NEXT_FAILOVER && NEXT_FAILOVER < RUN_SECONDS - 30 )); then failover; NEXT_FAILOVER=$((NEXT_FAILOVER + FAILOVER_EVERY)); fi
  kill -0 "${PID[edge]}" 2>/dev/null || die "the edge exited"
  sleep 1
done
LOAD_END=$(load_average)
STEADY_RC=0 CHURN_RC=0
wait "$STEADY_PID" || STEADY_RC=$?
wait "$CHURN_PID" || CHURN_RC=$?
STEADY_PID="" CHURN_PID=""
[[ -s $WORK/steady.json && -s $WORK/churn.json ]] || { tail -n 20 "$WORK/steady.txt" "$WORK/churn.txt" >&2; die "a load tool wrote no report"; }

# Every session has ended at the edge (HLS sessions after their 10 s window) before the lines are counted.
for _ in $(seq 60); do
  [[ $(metric edge appliance_viewers) == 0 ]] && break
  sleep 1
done
sleep 2
ACCESS=$WORK/edge-access.log
cp "$ACCESS" "$WORK/access.log"
lines() { awk -v p="proto=$1" '$2 == p' "$ACCESS" | wc -l; }
# Viewers of both load tools by kind of URL: FIELD is made (got the stream) or failed (never got it;
# at the end of a run, those the last churn tick started that were still connecting).
count() { # field url-regex
  local f total=0
  for f in "$WORK/steady.json" "$WORK/churn.json"; do
    total=$(( total + $(jq -r --arg re "$2" "[.targets[] | select(.url | test(\$re)) | .figures.$1] | add // 0" "$f") ))
  done
  echo "$total"
}
conns() { jq -r "[.total.$1.connections // 0] | add" "$2"; }
RTMP_URL='^rtmp:' FLV_URL='[.]flv$' TS_URL='[.]ts$' HLS_URL='([.]m3u8|[.]mpd[?]ll=1)$'
# A viewer that got the stream is one session line of its kind; one that connected and never got
# it, a line of the bare connection (rtmp: "closed during handshake"; http: nothing sent).
WANT_RTMP=$(count made "$RTMP_URL") WANT_RTMP_BARE=$(count failed "$RTMP_URL")
WANT_FLV=$(count made "$FLV_URL") WANT_TS=$(count made "$TS_URL")
WANT_HLS=$(( $(count made "$HLS_URL") + 1 ))
HTTP_FAILED=$(( $(count failed "$FLV_URL") + $(count failed "$TS_URL") + $(count failed "$HLS_URL") ))
WANT_HTTP=$(( $(conns hls "$WORK/steady.json") + $(conns hls "$WORK/churn.json") + $(conns cmaf "$WORK/steady.json") + WARM_REQUESTS + HTTP_FAILED ))
GOT_RTMP=$(lines rtmp-play) GOT_RTMP_BARE=$(lines rtmp) GOT_FLV=$(lines http-flv) GOT_TS=$(lines http-ts) GOT_HLS=$(lines hls) GOT_HTTP=$(lines http)
GOT_PULLS=$(awk '$2 ~ /^proto=pull-/' "$ACCESS" | wc -l)

# Slopes per minute by least squares over the samples after the warm-up, and the bound each must keep.
slope() { # column
  awk -F, -v c="$1" -v w="$WARMUP" 'NR > 1 && $1 >= w && $c != "" { n++; x = $1 / 60; sx += x; sy += $c; sxx += x * x; sxy += x * $c }
    END { if (n < 3) { print "nan"; exit } d = n * sxx - sx * sx; printf "%.3f", d ? (n * sxy - sx * sy) / d : 0 }' "$WORK/samples.csv"
}
range() { # column: min / mean / max after the warm-up
  awk -F, -v c="$1" -v w="$WARMUP" 'NR > 1 && $1 >= w && $c != "" { n++; s += $c; if (n == 1 || $c < lo) lo = $c; if (n == 1 || $c > hi) hi = $c }
    END { if (n) printf "%s / %.0f / %s", lo, s / n, hi; else print "no samples" }' "$WORK/samples.csv"
}
# The checks append to FAILS and to their table here, in this shell (not in a command substitution).
FAILS=() SLOPES=""
judge() { # name column bound unit
  local s; s=$(slope "$2")
  if awk -v s="$s" -v b="$3" 'BEGIN { exit !(s != "nan" && (s < 0 ? -s : s) <= b) }'; then SLOPES+="| $1 | $(range "$2") | $s $4/min | ±$3 | pass |"$'\n'
  else FAILS+=("$1: slope $s $4/min, beyond ±$3"); SLOPES+="| $1 | $(range "$2") | $s $4/min | ±$3 | **FAIL** |"$'\n'; fi
}
judge "RSS (KiB)" 2 "$MAX_RSS_KIB_PER_MIN" KiB
judge "open fds" 3 "$MAX_FDS_PER_MIN" fds
judge threads 4 "$MAX_THREADS_PER_MIN" threads
judge "native buffers outstanding" 5 "$MAX_BUFFERS_PER_MIN" buffers

fig() { jq -r "$1" "$2"; }
STEADY_STALLS=$(fig .total.stalls "$WORK/steady.json")
(( STEADY_STALLS == 0 )) || FAILS+=("the steady cohort stalled $STEADY_STALLS times")
# Viewers the last churn tick started may still be connecting when the run ends: they count as
# failed with this reason, and are not a fault of the node.
LATE="the run ended while connecting"
for f in steady churn; do
  failed=$(( $(fig .total.failed "$WORK/$f.json") - $(jq -r --arg k "$LATE" '.total.errors[$k] // 0' "$WORK/$f.json") ))
  dropped=$(fig .total.dropped "$WORK/$f.json")
  (( failed == 0 )) || FAILS+=("$f cohort: $failed viewers failed")
  (( dropped == 0 )) || FAILS+=("$f cohort: $dropped viewers dropped ($(jq -r '.total.errors | to_entries | map("\(.value) \(.key)") | join(", ")' "$WORK/$f.json"))")
done
ACCOUNTED=""
check_lines() { # proto sessions lines
  if (( $2 == $3 )); then ACCOUNTED+="| $1 | $2 | $3 | ok |"$'\n'
  else FAILS+=("$1: $3 access lines for $2 sessions"); ACCOUNTED+="| $1 | $2 | $3 | **MISMATCH** |"$'\n'; fi
}
check_lines "rtmp-play (RTMP viewers that played)" "$WANT_RTMP" "$GOT_RTMP"
check_lines "rtmp (RTMP viewers that never played)" "$WANT_RTMP_BARE" "$GOT_RTMP_BARE"
check_lines "http-flv (HTTP-FLV viewers that played)" "$WANT_FLV" "$GOT_FLV"
check_lines "http-ts (HTTP-TS viewers that played)" "$WANT_TS" "$GOT_TS"
check_lines "hls (HLS, LL-HLS, DASH players that played; +1 warm-up)" "$WANT_HLS" "$GOT_HLS"
check_lines "http (those players' TCP connections, +$WARM_REQUESTS warm-up requests, +$HTTP_FAILED HTTP viewers that never played)" "$WANT_HTTP" "$GOT_HTTP"
WARNINGS=$(grep -cE ' (WRN|ERR|CRT) ' "$WORK/edge.log" || true)
per_cohort() { # json
  local f=$1
  echo "| viewers (made / failed / dropped / churned) | $(fig .total.viewers "$f") ($(fig .total.made "$f") / $(fig .total.failed "$f") / $(fig .total.dropped "$f") / $(fig .total.churned "$f")) |"
  echo "| stalled viewers, stalls, longest gap | $(fig .total.stalled "$f"), $(fig .total.stalls "$f"), $(fig .total.longestGapMs "$f") ms |"
  echo "| playing gap per viewer p50 / p99 / max | $(fig .total.playingGapPerViewerMs.p50 "$f") / $(fig .total.playingGapPerViewerMs.p99 "$f") / $(fig .total.playingGapPerViewerMs.max "$f") ms |"
  echo "| why viewers failed or dropped | $(jq -r '.total.errors | to_entries | map("\(.value): \(.key)") | join("; ") | if . == "" then "-" else . end' "$f") |"
  echo "| first keyframe p50 / p99 | $(fig .total.firstKeyFrameMs.p50 "$f") / $(fig .total.firstKeyFrameMs.p99 "$f") ms |"
  echo "| delivered | $(fig .total.mbitPerSecond "$f") Mbit/s |"
  echo "| load tool CPU | $(fig .loadToolCpuSeconds "$f") s |"
  local t
  for t in $(jq -r '.targets | keys[]' "$f"); do
    echo "| $(jq -r ".targets[$t].url" "$f" | sed 's|^[a-z]*://[^/]*||') | $(jq -r ".targets[$t].figures | \"\(.viewers) viewers, failed \(.failed), dropped \(.dropped), stalled \(.stalled) (\(.stalls) stalls), longest gap \(.longestGapMs) ms\"" "$f") |"
  done
}

mkdir -p "$(dirname "$RESULTS")"
{
cat <<REPORT
# Soak: $MINUTES minutes, $VIEWERS viewers with churn, publisher reconnects and parent failovers

\`perf/soak.sh --minutes $MINUTES --viewers $VIEWERS --steady $STEADY --churn $CHURN --reconnect-every $RECONNECT_EVERY --failover-every $FAILOVER_EVERY --warmup $WARMUP --sample $SAMPLE\`

- When: $(date -u '+%F %H:%M UTC'); commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo " (with uncommitted changes)")
- Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); load average (1/5/15 min) at the start $LOAD_START, at the end $LOAD_END
- Chain: origin <- parent-a, parent-b <- edge (RTMP pulls; the edge lists both parents), all on loopback, default config but the per-address limits off
- Stream: \`$(basename "$MEDIA")\` (640x360 25 fps, about 0.6 Mbit/s) published by \`appliance-load --publish\` from ${PUBLISH_START} s (past RTMP's 32-bit wrap after 67 s), reconnected every $RECONNECT_EVERY s continuing its timeline
- Viewers on the edge: a steady cohort of $STEADY (RTMP, HTTP-FLV, HTTP-TS, HLS, LL-HLS, LL-DASH in turn) for the whole run; $CHURNING more (RTMP, HTTP-FLV, HTTP-TS, HLS in turn) with \`--churn $CHURN\`: after their ramp, each second $CHURN playing ones stop and $CHURN new ones start
- Failover every $FAILOVER_EVERY s: the parent the edge pulls from is killed (SIGKILL), restarted on the same ports 5 s later

## Events

\`\`\`
$(cat "$WORK/events.txt" 2>/dev/null || echo "(none)")
\`\`\`

Publishes: $PUBLISHES; failovers: $FAILOVERS, after which the edge moved to the other parent: $FAILOVERS_MOVED.

## The edge over the run (after the ${WARMUP} s warm-up; sampled every $SAMPLE s)

| figure | min / mean / max | slope (least squares) | bound | |
|---|---|---|---|---|
$SLOPES
Min / mean / max after the warm-up: viewers at the edge (\`appliance_viewers\`, HLS sessions
included) $(range 6); segments in its segment cache $(range 7), their bytes $(range 8).

Every sample (seconds into the run, RSS KiB, fds, threads, native buffers, viewers, cache segments, cache bytes):

\`\`\`
$(tail -n +2 "$WORK/samples.csv" | paste -d' ' - - - | sed 's/ /   /g')
\`\`\`

## Viewers

Steady cohort ($STEADY; stalls must be 0):

| figure | value |
|---|---|
$(per_cohort "$WORK/steady.json")

Churning cohort:

| figure | value |
|---|---|
$(per_cohort "$WORK/churn.json")

## Access lines at the edge

| proto | sessions the load tools (and the warm-up) opened and closed | access lines | |
|---|---|---|---|
$ACCOUNTED
Upstream sessions (\`pull-*\` lines): $GOT_PULLS. Edge log: $WARNINGS WRN/ERR/CRT lines$( (( WARNINGS > 0 )) && printf '; by kind:\n\n```\n%s\n```' "$(grep -E ' (WRN|ERR|CRT) ' "$WORK/edge.log" | sed -E 's/^[^ ]+ //; s/[0-9]+(\.[0-9]+)?/N/g' | sort | uniq -c | sort -rn | head -n 15)" || echo .)

## Verdict

$( (( ${#FAILS[@]} == 0 )) && echo "**PASS**" || { echo "**FAIL**:"; echo; printf -- '- %s\n' "${FAILS[@]}"; })

Load tools' exit status: steady $STEADY_RC, churning $CHURN_RC. Samples: \`perf/out/last-soak-samples.csv\`; logs: \`perf/out/last-soak-*\`.
REPORT
} > "$RESULTS"
cat "$RESULTS"
(( ${#FAILS[@]} == 0 ))
