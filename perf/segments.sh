#!/usr/bin/env bash
# Segment serving: one HLS segment of the perf stream fetched over and over by wrk on keep-alive
# connections, from the daemon (which sends it with sendfile from its in-memory file) and from
# nginx serving the same bytes from a file with sendfile, each pinned to one CPU with wrk on
# another. Prints requests/s, the server's CPU, requests per CPU-second and the ratio to nginx.
# With --tls, both serve over HTTPS (the daemon's https.listen, nginx's ssl; a throwaway test CA),
# where neither can use sendfile: each encrypts the segment for every request in user space.
# With --compare, a second build's daemon is measured too, alternately with this one, for --rounds
# rounds (before/after in the same minutes). Besides the rate and CPU, each line gives wrk's
# 99th-percentile and longest response time and its timeouts (responses over 2 s): how evenly the
# server shares itself between connections.
# Called by `make perf-segments` after `make build`; see perf/README.md.
#
#   perf/segments.sh [--connections LIST] [--seconds T] [--tls] [--compare BIN_DIR] [--rounds N]
#   env: PERF_CONNECTIONS (100,1000), PERF_SECONDS (10), PERF_PEER (nginx; none), PERF_TLS (0; 1),
#        SEGMENTS_COMPARE (a second build's bin directory), SEGMENTS_ROUNDS (1),
#        PERF_SERVER_CPU (0), PERF_LOAD_CPU (1), PERF_PIN (1), BIN (artifacts/bin)
set -euo pipefail

PERF_NAME=segments.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/peers.sh"
CONNECTIONS=${PERF_CONNECTIONS:-100,1000}
SECONDS_EACH=${PERF_SECONDS:-10}
PEER=${PERF_PEER:-nginx}
TLS=${PERF_TLS:-0}
COMPARE=${SEGMENTS_COMPARE:-}
ROUNDS=${SEGMENTS_ROUNDS:-1}

usage() { sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --connections) CONNECTIONS=$2; shift 2 ;;
    --seconds) SECONDS_EACH=$2; shift 2 ;;
    --tls) TLS=1; shift ;;
    --compare) COMPARE=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "perf/segments.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
IFS=, read -r -a CONNECTION_LIST <<< "$CONNECTIONS"
for n in "${CONNECTION_LIST[@]}" "$SECONDS_EACH" "$ROUNDS"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "perf/segments.sh: '$n' is not a positive whole number" >&2; exit 2; }
done
[[ $PEER == nginx || $PEER == none ]] || { echo "perf/segments.sh: PERF_PEER is nginx or none" >&2; exit 2; }
[[ $TLS == 0 || $TLS == 1 ]] || { echo "perf/segments.sh: PERF_TLS is 0 or 1" >&2; exit 2; }
BUILDS=("$BIN")
[[ -n $COMPARE ]] && BUILDS=("$COMPARE" "$BIN")
for dir in "${BUILDS[@]}"; do
  [[ -x $dir/applianced ]] || die "$dir/applianced is missing; run 'make build' first"
done
build_label() { if [[ $1 == "$BIN" && -n $COMPARE ]]; then echo this; elif [[ $1 == "$BIN" ]]; then echo appliance; else echo compare; fi; }
command -v curl >/dev/null || die "curl is needed"
ensure_peer_tools wrk || die "wrk is needed"
[[ $PEER == none ]] || ensure_peer_tools nginx || die "nginx is needed (or PERF_PEER=none)"
perf_pinning

MAX_CONNECTIONS=$(printf '%s\n' "${CONNECTION_LIST[@]}" | sort -n | tail -n1)
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
(( $(ulimit -n) > MAX_CONNECTIONS + 64 )) || die "open-file limit $(ulimit -n) is too low for $MAX_CONNECTIONS connections"

ensure_media

DAEMON_PID="" PUBLISHER_PID="" WRK_PID="" NGINX_PID=""
cleanup() {
  stop_each "$WRK_PID" "$NGINX_PID" "$PUBLISHER_PID" "$DAEMON_PID"
  keep daemon.log last-segments-daemon.log
}
perf_scratch appliance-perf-segments

TLS_JSON="" SCHEME=http CURL_TLS=()
if [[ $TLS == 1 ]]; then
  make_test_certificate "$WORK"
  CURL_TLS=(--cacert "$WORK/ca.pem")
  TLS_JSON='"https": { "listen": "127.0.0.1:0" }, "tls": { "certificates": [ { "names": ["perf.test"], "cert": "'$WORK/node.crt'", "key": "'$WORK/node.key'" } ] },'
  SCHEME=https
fi

# A window long enough that the segment stays listed (and pinnable) for the whole run.
cat > "$WORK/appliance.json" <<JSON
{
  "rtmp": { "listen": "127.0.0.1:0" },
  "http": { "listen": "127.0.0.1:0", "publicApi": true },
  $TLS_JSON
  "log": { "level": "info" },
  "admin": { "listen": "" },
  "control": { "socket": "$WORK/control.sock" },
  "domains": [ { "name": "default", "apps": [ { "name": "live", "hls": { "windowSegments": 100 } } ] } ]
}
JSON
mkdir -p "$WORK/html"

# Starts the daemon of build $1 with a publisher, and sets SEGMENT_URL to the stream's second listed
# segment (a whole one of its steady state), whose bytes nginx serves too (from the first daemon).
start_daemon() {
  local bin=$1
  run_daemon "$WORK/appliance.json" "$WORK/daemon.log" "$bin"
  DAEMON_PID=$!
  local ports rtmp_port http_port
  ports=$(wait_ports "$WORK/daemon.log" "$DAEMON_PID") || exit 1
  read -r rtmp_port http_port <<< "$ports"
  run_publisher "$MEDIA" "$WORK/publisher.log" -f flv "rtmp://127.0.0.1:$rtmp_port/live/perf"
  PUBLISHER_PID=$!
  # The first playlist request starts packaging.
  local playlist="http://127.0.0.1:$http_port/live/perf.m3u8" segment=""
  for _ in $(seq 150); do
    segment=$(curl -fsS -m 15 "$playlist" 2>/dev/null | grep -v '^#' | sed -n 2p || true)
    [[ -n $segment ]] && break
    kill -0 "$PUBLISHER_PID" 2>/dev/null || { cat "$WORK/publisher.log" >&2; die "ffmpeg stopped publishing"; }
    sleep 0.2
  done
  [[ -n $segment ]] || die "the playlist did not list 2 segments within 30 s"
  SEGMENT_URL="http://127.0.0.1:$http_port/live/$segment"
  curl -fsS -o "$WORK/segment.ts" "$SEGMENT_URL" || die "GET $SEGMENT_URL failed"
  [[ -s $WORK/html/segment.ts ]] || cp "$WORK/segment.ts" "$WORK/html/segment.ts"
  if [[ $TLS == 1 ]]; then
    local https_port
    https_port=$(port_of "$WORK/daemon.log" https)
    [[ -n $https_port ]] || { cat "$WORK/daemon.log" >&2; die "applianced did not report its https port"; }
    SEGMENT_URL="https://127.0.0.1:$https_port/live/$segment"
    # The same bytes over HTTPS, the certificate checked against the test CA.
    curl -fsS "${CURL_TLS[@]}" "$SEGMENT_URL" | cmp -s - "$WORK/segment.ts" || die "GET $SEGMENT_URL did not give the segment's bytes"
  fi
  SEGMENT_BYTES=$(stat -c %s "$WORK/segment.ts")
}

stop_daemon() {
  # The daemon drains for up to 30 s (the curl requests count as HLS viewers); stop kills it after 5.
  stop "$PUBLISHER_PID"; stop "$DAEMON_PID"
  wait "$DAEMON_PID" 2>/dev/null || true
  PUBLISHER_PID="" DAEMON_PID=""
}

declare -A RATE CORE PER_CPU ERRORS P99 SLOWEST TIMEOUTS LOAD_CORE
# wrk on the load CPU against $2 with $3 connections; the server's CPU (pid $4) over the same window.
#   measure LABEL URL CONNECTIONS PID ROUND
measure() {
  local label=$1 url=$2 connections=$3 pid=$4 round=$5 before after start_ns end_ns key
  key=$label,$connections,$round
  before=$(cpu_ticks "$pid") start_ns=$(date +%s%N)
  # wrk's own CPU too: at 100% of its core the load, not the server, sets the rate.
  ( TIMEFORMAT='%U %S'; time "${ON_LOAD[@]}" wrk -t1 -c"$connections" -d"${SECONDS_EACH}s" --latency "$url" > "$WORK/wrk.txt" 2>&1 ) 2> "$WORK/wrk-time.txt" &
  WRK_PID=$!
  wait "$WRK_PID" || { cat "$WORK/wrk.txt" >&2; die "wrk failed against $label"; }
  WRK_PID=""
  end_ns=$(date +%s%N)
  after=$(cpu_ticks "$pid")
  local requests cpu wall
  requests=$(awk '/ requests in / { print $1 }' "$WORK/wrk.txt")
  [[ $requests =~ ^[0-9]+$ ]] || { cat "$WORK/wrk.txt" >&2; die "no request count in wrk's output"; }
  cpu=$(awk "BEGIN { print ($after - $before) / $CLK_TCK }")
  wall=$(awk "BEGIN { print ($end_ns - $start_ns) / 1e9 }")
  RATE[$key]=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$WORK/wrk.txt")
  CORE[$key]=$(awk "BEGIN { printf \"%.0f\", 100 * $cpu / $wall }")
  PER_CPU[$key]=$(awk "BEGIN { if ($cpu > 0) printf \"%.0f\", $requests / $cpu; else print \"n/a\" }")
  LOAD_CORE[$key]=$(awk -v wall="$wall" '{ printf "%.0f", 100 * ($1 + $2) / wall }' "$WORK/wrk-time.txt")
  # wrk's own units (us, ms, s) as it prints them.
  P99[$key]=$(awk '$1 == "99%" { print $2 }' "$WORK/wrk.txt")
  SLOWEST[$key]=$(awk '$1 == "Latency" { print $4 }' "$WORK/wrk.txt")
  TIMEOUTS[$key]=$(sed -n 's/.*timeout \([0-9]*\).*/\1/p' "$WORK/wrk.txt")
  TIMEOUTS[$key]=${TIMEOUTS[$key]:-0}
  # Anything but a 200 with the whole segment, and socket errors, make a figure worthless: say so.
  ERRORS[$key]=$(grep -E 'Non-2xx|Socket errors' "$WORK/wrk.txt" | tr -s ' ' | paste -sd';' - || true)
  printf '%-10s %5s connections: %6s requests/s, %3s%% of a core (wrk %s%%), %6s requests per CPU-second, p99 %s, slowest %s, %s timeouts %s\n' \
    "$label" "$connections" "${RATE[$key]}" "${CORE[$key]}" "${LOAD_CORE[$key]}" "${PER_CPU[$key]}" "${P99[$key]}" "${SLOWEST[$key]}" "${TIMEOUTS[$key]}" "${ERRORS[$key]}"
}

echo "perf/segments.sh: one HLS segment over ${SCHEME^^}, wrk -t1 for ${SECONDS_EACH} s per run, $ROUNDS round(s), $PINNING; load average $(load_average)"
LABELS=()
for dir in "${BUILDS[@]}"; do LABELS+=("$(build_label "$dir")"); done
for ((round = 1; round <= ROUNDS; round++)); do
  for dir in "${BUILDS[@]}"; do
    label=$(build_label "$dir")
    start_daemon "$dir"
    echo "round $round, $label ($dir): a ${SEGMENT_BYTES}-byte segment; load average $(load_average)"
    for c in "${CONNECTION_LIST[@]}"; do
      measure "$label" "$SEGMENT_URL" "$c" "$DAEMON_PID" "$round"
    done
    stop_daemon
  done
if [[ $PEER == nginx ]]; then
  NGINX_PORT=$(free_port)
  {
    nginx_conf_head "$WORK"
    cat <<CONF
http {
$(nginx_http_paths "$WORK")
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000000;
  default_type video/mp2t;
  server {
    listen 127.0.0.1:$NGINX_PORT$([[ $TLS == 1 ]] && echo " ssl");
    root $WORK/html;
$([[ $TLS == 1 ]] && printf '    ssl_certificate %s;\n    ssl_certificate_key %s;\n    ssl_protocols TLSv1.2 TLSv1.3;\n' "$WORK/node.crt" "$WORK/node.key")
  }
}
CONF
  } > "$WORK/nginx.conf"
  stop "$NGINX_PID"; NGINX_PID=""
  nginx_start "$WORK" "$NGINX_PORT"
  [[ $(curl -fsS "${CURL_TLS[@]}" "$SCHEME://127.0.0.1:$NGINX_PORT/segment.ts" | cmp - "$WORK/html/segment.ts" && echo same) == same ]] \
    || die "nginx does not serve the segment's bytes"
  for c in "${CONNECTION_LIST[@]}"; do
    measure nginx "$SCHEME://127.0.0.1:$NGINX_PORT/segment.ts" "$c" "$NGINX_PID" "$round"
  done
  stop "$NGINX_PID"; NGINX_PID=""
fi
done

echo
echo "| round | connections | server | req/s | CPU | wrk CPU | req per CPU-s | ratio to nginx | p99 | slowest | timeouts (> 2 s) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for ((round = 1; round <= ROUNDS; round++)); do
  for c in "${CONNECTION_LIST[@]}"; do
    servers=("${LABELS[@]}")
    [[ $PEER == nginx ]] && servers+=(nginx)
    for label in "${servers[@]}"; do
      key=$label,$c,$round ratio="-"
      [[ $PEER == nginx && $label != nginx ]] && ratio=$(awk "BEGIN { printf \"%.2fx\", ${PER_CPU[$key]} / ${PER_CPU[nginx,$c,$round]} }")
      echo "| $round | $c | $label | ${RATE[$key]} | ${CORE[$key]}% | ${LOAD_CORE[$key]}% | ${PER_CPU[$key]} | $ratio | ${P99[$key]} | ${SLOWEST[$key]} | ${TIMEOUTS[$key]} |"
    done
  done
done
