#!/usr/bin/env bash
# Segment serving: one HLS segment of the perf stream fetched over and over by wrk on keep-alive
# connections, from the daemon (which sends it with sendfile from its in-memory file) and from
# nginx serving the same bytes from a file with sendfile, each pinned to one CPU with wrk on
# another. Prints requests/s, the server's CPU, requests per CPU-second and the ratio to nginx.
# With --tls, both serve over HTTPS (the daemon's https.listen, nginx's ssl; a throwaway test CA),
# where neither can use sendfile: each encrypts the segment for every request in user space.
# Called by `make perf-segments` after `make build`; see perf/README.md.
#
#   perf/segments.sh [--connections LIST] [--seconds T] [--tls]
#   env: PERF_CONNECTIONS (100,1000), PERF_SECONDS (10), PERF_PEER (nginx; none), PERF_TLS (0; 1),
#        PERF_SERVER_CPU (0), PERF_LOAD_CPU (1), PERF_PIN (1), BIN (artifacts/bin)
set -euo pipefail

PERF_NAME=segments.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/peers.sh"
CONNECTIONS=${PERF_CONNECTIONS:-100,1000}
SECONDS_EACH=${PERF_SECONDS:-10}
PEER=${PERF_PEER:-nginx}
TLS=${PERF_TLS:-0}

usage() { sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --connections) CONNECTIONS=$2; shift 2 ;;
    --seconds) SECONDS_EACH=$2; shift 2 ;;
    --tls) TLS=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "perf/segments.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
IFS=, read -r -a CONNECTION_LIST <<< "$CONNECTIONS"
for n in "${CONNECTION_LIST[@]}" "$SECONDS_EACH"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "perf/segments.sh: '$n' is not a positive whole number" >&2; exit 2; }
done
[[ $PEER == nginx || $PEER == none ]] || { echo "perf/segments.sh: PERF_PEER is nginx or none" >&2; exit 2; }
[[ $TLS == 0 || $TLS == 1 ]] || { echo "perf/segments.sh: PERF_TLS is 0 or 1" >&2; exit 2; }
[[ -x $BIN/applianced ]] || die "$BIN/applianced is missing; run 'make build' first"
command -v curl >/dev/null || die "curl is needed"
ensure_peer_tools wrk || die "wrk is needed"
[[ $PEER == none ]] || ensure_peer_tools nginx || die "nginx is needed (or PERF_PEER=none)"
perf_pinning

MAX_CONNECTIONS=$(printf '%s\n' "${CONNECTION_LIST[@]}" | sort -n | tail -n1)
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
(( $(ulimit -n) > MAX_CONNECTIONS + 64 )) || die "open-file limit $(ulimit -n) is too low for $MAX_CONNECTIONS connections"

ensure_media

WORK=$(mktemp -d -t appliance-perf-segments.XXXXXX)
DAEMON_PID="" PUBLISHER_PID="" WRK_PID="" NGINX_PID=""
cleanup() {
  stop "$WRK_PID"; stop "$NGINX_PID"; stop "$PUBLISHER_PID"; stop "$DAEMON_PID"
  wait 2>/dev/null || true
  [[ -f $WORK/daemon.log ]] && cp "$WORK/daemon.log" "$OUT/last-segments-daemon.log"
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

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
"${ON_SERVER[@]}" "$BIN/applianced" --config "$WORK/appliance.json" > "$WORK/daemon.log" 2>&1 &
DAEMON_PID=$!
PORTS=$(wait_ports "$WORK/daemon.log" "$DAEMON_PID") || exit 1
read -r RTMP_PORT HTTP_PORT <<< "$PORTS"

"${ON_LOAD[@]}" ffmpeg -hide_banner -nostdin -loglevel warning -re -stream_loop -1 -i "$MEDIA" -c copy \
  -f flv "rtmp://127.0.0.1:$RTMP_PORT/live/perf" > "$WORK/publisher.log" 2>&1 &
PUBLISHER_PID=$!

# The first playlist request starts packaging; the second listed segment is a whole one of the
# stream's steady state.
PLAYLIST="http://127.0.0.1:$HTTP_PORT/live/perf.m3u8"
SEGMENT=""
for _ in $(seq 150); do
  SEGMENT=$(curl -fsS -m 15 "$PLAYLIST" 2>/dev/null | grep -v '^#' | sed -n 2p || true)
  [[ -n $SEGMENT ]] && break
  kill -0 "$PUBLISHER_PID" 2>/dev/null || { cat "$WORK/publisher.log" >&2; die "ffmpeg stopped publishing"; }
  sleep 0.2
done
[[ -n $SEGMENT ]] || die "the playlist did not list 2 segments within 30 s"
SEGMENT_URL="http://127.0.0.1:$HTTP_PORT/live/$SEGMENT"
mkdir -p "$WORK/html"
curl -fsS -o "$WORK/html/segment.ts" "$SEGMENT_URL" || die "GET $SEGMENT_URL failed"
if [[ $TLS == 1 ]]; then
  HTTPS_PORT=$(port_of "$WORK/daemon.log" https)
  [[ -n $HTTPS_PORT ]] || { cat "$WORK/daemon.log" >&2; die "applianced did not report its https port"; }
  SEGMENT_URL="https://127.0.0.1:$HTTPS_PORT/live/$SEGMENT"
  # The same bytes over HTTPS, the certificate checked against the test CA.
  curl -fsS "${CURL_TLS[@]}" "$SEGMENT_URL" | cmp -s - "$WORK/html/segment.ts" || die "GET $SEGMENT_URL did not give the segment's bytes"
fi
SEGMENT_BYTES=$(stat -c %s "$WORK/html/segment.ts")

CLK_TCK=$(getconf CLK_TCK)
declare -A RATE CORE PER_CPU ERRORS
# wrk on the load CPU against $2 with $3 connections; the server's CPU (pid $4) over the same window.
#   measure LABEL URL CONNECTIONS PID
measure() {
  local label=$1 url=$2 connections=$3 pid=$4 before after start_ns end_ns
  before=$(peer_cpu_ticks "$pid") start_ns=$(date +%s%N)
  "${ON_LOAD[@]}" wrk -t1 -c"$connections" -d"${SECONDS_EACH}s" "$url" > "$WORK/wrk.txt" 2>&1 &
  WRK_PID=$!
  wait "$WRK_PID" || { cat "$WORK/wrk.txt" >&2; die "wrk failed against $label"; }
  WRK_PID=""
  end_ns=$(date +%s%N)
  after=$(peer_cpu_ticks "$pid")
  local requests cpu wall
  requests=$(awk '/ requests in / { print $1 }' "$WORK/wrk.txt")
  [[ $requests =~ ^[0-9]+$ ]] || { cat "$WORK/wrk.txt" >&2; die "no request count in wrk's output"; }
  cpu=$(awk "BEGIN { print ($after - $before) / $CLK_TCK }")
  wall=$(awk "BEGIN { print ($end_ns - $start_ns) / 1e9 }")
  RATE[$label,$connections]=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$WORK/wrk.txt")
  CORE[$label,$connections]=$(awk "BEGIN { printf \"%.0f\", 100 * $cpu / $wall }")
  PER_CPU[$label,$connections]=$(awk "BEGIN { if ($cpu > 0) printf \"%.0f\", $requests / $cpu; else print \"n/a\" }")
  # Anything but a 200 with the whole segment, and socket errors, make a figure worthless: say so.
  ERRORS[$label,$connections]=$(grep -E 'Non-2xx|Socket errors' "$WORK/wrk.txt" | tr -s ' ' | paste -sd';' - || true)
  printf '%-10s %5s connections: %6s requests/s, %3s%% of a core, %6s requests per CPU-second %s\n' \
    "$label" "$connections" "${RATE[$label,$connections]}" "${CORE[$label,$connections]}" "${PER_CPU[$label,$connections]}" "${ERRORS[$label,$connections]}"
}

echo "perf/segments.sh: one ${SEGMENT_BYTES}-byte segment ($SEGMENT) over ${SCHEME^^}, wrk -t1 for ${SECONDS_EACH} s per run, $PINNING; load average $(load_average)"
for c in "${CONNECTION_LIST[@]}"; do
  measure appliance "$SEGMENT_URL" "$c" "$DAEMON_PID"
done
# The daemon drains for up to 30 s (the curl requests count as HLS viewers); stop kills it after 5.
stop "$PUBLISHER_PID"; stop "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null || true
PUBLISHER_PID="" DAEMON_PID=""

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
  nginx_start "$WORK" "$NGINX_PORT"
  [[ $(curl -fsS "${CURL_TLS[@]}" "$SCHEME://127.0.0.1:$NGINX_PORT/segment.ts" | cmp - "$WORK/html/segment.ts" && echo same) == same ]] \
    || die "nginx does not serve the segment's bytes"
  for c in "${CONNECTION_LIST[@]}"; do
    measure nginx "$SCHEME://127.0.0.1:$NGINX_PORT/segment.ts" "$c" "$NGINX_PID"
  done
fi

echo
echo "| connections | appliance req/s | appliance CPU | appliance req per CPU-s | nginx req/s | nginx CPU | nginx req per CPU-s | ratio (req per CPU-s) |"
echo "|---|---|---|---|---|---|---|---|"
for c in "${CONNECTION_LIST[@]}"; do
  ratio="-"
  [[ $PEER == nginx ]] && ratio=$(awk "BEGIN { printf \"%.2fx\", ${PER_CPU[appliance,$c]} / ${PER_CPU[nginx,$c]} }")
  echo "| $c | ${RATE[appliance,$c]} | ${CORE[appliance,$c]}% | ${PER_CPU[appliance,$c]} | ${RATE[nginx,$c]:--} | ${CORE[nginx,$c]:--}% | ${PER_CPU[nginx,$c]:--} | $ratio |"
done
