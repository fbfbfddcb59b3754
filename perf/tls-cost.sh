#!/usr/bin/env bash
# TLS cost: what the daemon spends per GB delivered over HTTPS-FLV and RTMPS against HTTP-FLV and
# RTMP at the same viewer count, in one run: one daemon with all four listeners, one ffmpeg
# publisher (2.6 Mbit/s 720p25), and arms of N appliance-load viewers each, one arm at a time,
# interleaved round by round (plain, TLS, plain, TLS ...) so that a change in the machine's load
# falls on both sides alike. The certificate is a throwaway test CA's (openssl), trusted by the
# load tool through --ca. See perf/README.md.
#
#   perf/tls-cost.sh [--viewers N] [--seconds T] [--rounds R] [--arms flv,https-flv,rtmp,rtmps] [--flush-ms auto|M] [--ramp R]
#   env: PERF_VIEWERS (200), PERF_SECONDS (20), PERF_ROUNDS (2), PERF_ARMS (flv,https-flv,rtmp,rtmps),
#        PERF_FLUSH_MS (auto), PERF_RAMP (200), BIN (artifacts/bin), PERF_SERVER_CPU / PERF_LOAD_CPU / PERF_PIN as run.sh
set -euo pipefail

PERF_NAME=tls-cost.sh
PERF_DIR=$(dirname "${BASH_SOURCE[0]}")
source "$PERF_DIR/lib.sh"
source "$PERF_DIR/peers.sh"
perf_pinning
VIEWERS=${PERF_VIEWERS:-200}
DURATION=${PERF_SECONDS:-20}
ROUNDS=${PERF_ROUNDS:-2}
ARMS=${PERF_ARMS:-flv,https-flv,rtmp,rtmps}
FLUSH_MS=${PERF_FLUSH_MS:-auto}
RAMP=${PERF_RAMP:-200}

usage() { sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --viewers) VIEWERS=$2; shift 2 ;;
    --seconds) DURATION=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --arms) ARMS=$2; shift 2 ;;
    --flush-ms) FLUSH_MS=$2; shift 2 ;;
    --ramp) RAMP=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "perf/tls-cost.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
for n in "$VIEWERS" "$DURATION" "$ROUNDS" "$RAMP"; do
  [[ $n =~ ^[0-9]+$ ]] || { echo "perf/tls-cost.sh: '$n' is not a whole number" >&2; exit 2; }
done
[[ $FLUSH_MS == auto || $FLUSH_MS =~ ^[0-9]+$ ]] || { echo "perf/tls-cost.sh: --flush-ms takes auto or a whole number" >&2; exit 2; }
FLUSH_JSON=""
[[ $FLUSH_MS == auto ]] || FLUSH_JSON=", \"flushIntervalMs\": $FLUSH_MS"
IFS=, read -r -a ARM_LIST <<< "$ARMS"
declare -A ARM_NAME=([flv]=HTTP-FLV [https-flv]=HTTPS-FLV [rtmp]=RTMP [rtmps]=RTMPS)
for arm in "${ARM_LIST[@]}"; do
  [[ -n ${ARM_NAME[$arm]:-} ]] || { echo "perf/tls-cost.sh: unknown arm '$arm' (flv, https-flv, rtmp, rtmps)" >&2; exit 2; }
done
for exe in applianced appliance-load; do
  [[ -x $BIN/$exe ]] || die "$BIN/$exe is missing; run 'make build' first"
done
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
(( $(ulimit -n) > VIEWERS + 64 )) || die "open-file limit $(ulimit -n) is too low for $VIEWERS viewers"

ensure_media

DAEMON_PID="" PUBLISHER_PID="" LOAD_PID=""
cleanup() {
  stop_each "$LOAD_PID" "$PUBLISHER_PID" "$DAEMON_PID"
  keep daemon.log last-daemon.log
}
perf_scratch appliance-tls-cost

make_test_certificate "$WORK"

cat > "$WORK/appliance.json" <<JSON
{
  "rtmp": { "listen": "127.0.0.1:0" },
  "http": { "listen": "127.0.0.1:0", "publicApi": true },
  "https": { "listen": "127.0.0.1:0" },
  "rtmps": { "listen": "127.0.0.1:0" },
  "tls": { "certificates": [ { "names": ["perf.test"], "cert": "$WORK/node.crt", "key": "$WORK/node.key" } ] },
  "log": { "level": "info" },
  "admin": { "listen": "" },
  "control": { "socket": "$WORK/control.sock" },
  "domains": [ { "name": "default", "apps": [ { "name": "live"$FLUSH_JSON } ] } ]
}
JSON
run_daemon "$WORK/appliance.json" "$WORK/daemon.log"
DAEMON_PID=$!
PORTS=$(wait_ports "$WORK/daemon.log" "$DAEMON_PID") || exit 1
read -r RTMP_PORT HTTP_PORT <<< "$PORTS"
HTTPS_PORT=$(port_of "$WORK/daemon.log" https) RTMPS_PORT=$(port_of "$WORK/daemon.log" rtmps)
[[ -n $HTTPS_PORT && -n $RTMPS_PORT ]] || { cat "$WORK/daemon.log" >&2; die "applianced did not report its https and rtmps ports"; }

run_publisher "$MEDIA" "$WORK/publisher.log" -f flv "rtmp://127.0.0.1:$RTMP_PORT/live/perf"
PUBLISHER_PID=$!
wait_stream "http://127.0.0.1:$HTTP_PORT" perf "$PUBLISHER_PID" "$WORK/publisher.log"
sleep 2.5

url_of() {
  case $1 in
    flv) echo "http://127.0.0.1:$HTTP_PORT/live/perf.flv" ;;
    https-flv) echo "https://127.0.0.1:$HTTPS_PORT/live/perf.flv" ;;
    rtmp) echo "rtmp://127.0.0.1:$RTMP_PORT/live/perf" ;;
    rtmps) echo "rtmps://127.0.0.1:$RTMPS_PORT/live/perf" ;;
  esac
}

# One arm: N viewers for T seconds; writes "cpu_s bytes load_tool_cpu_s failed loadavg" to $WORK/arm.result
# (not through $(...): the load tool must stay this shell's child, for cleanup to stop it).
run_arm() {
  local arm=$1 before after status
  before=$(cpu_ticks "$DAEMON_PID")
  set +e
  "${ON_LOAD[@]}" "$BIN/appliance-load" --url "$(url_of "$arm")" --ca "$WORK/ca.pem" \
    --viewers "$VIEWERS" --duration "$DURATION" --ramp "$RAMP" --json-file "$WORK/load.json" > "$WORK/load-$arm.txt" 2>&1 &
  LOAD_PID=$!
  wait "$LOAD_PID"; status=$?
  LOAD_PID=""
  set -e
  after=$(cpu_ticks "$DAEMON_PID")
  [[ -s $WORK/load.json ]] || { cat "$WORK/load-$arm.txt" >&2; die "appliance-load wrote no report for $arm (exit $status)"; }
  echo "$(calc "printf \"%.2f\", ($after - $before) / $CLK_TCK") $(json .total.bytes "$WORK/load.json") $(json .loadToolCpuSeconds "$WORK/load.json") $(json .total.failed "$WORK/load.json") $(load_average | tr ' ' /)" > "$WORK/arm.result"
  rm -f "$WORK/load.json"
}

echo "== perf/tls-cost.sh: $VIEWERS viewers per arm, ${DURATION} s each, $ROUNDS rounds of ${ARMS}, flushIntervalMs $FLUSH_MS, $PINNING =="
echo "load average at start: $(load_average) on $(nproc) CPUs; kernel TLS: $(python3 "$PERF_DIR/ktls-probe.py" || true)"
printf '%-6s %-10s %8s %9s %10s %10s %7s  %s\n' round arm cpu-s GB CPU-s/GB load-cpu-s failed loadavg
declare -A SUM_CPU SUM_BYTES
for round in $(seq "$ROUNDS"); do
  for arm in "${ARM_LIST[@]}"; do
    run_arm "$arm"
    read -r cpu bytes load_cpu failed avg < "$WORK/arm.result"
    SUM_CPU[$arm]=$(awk "BEGIN { print ${SUM_CPU[$arm]:-0} + $cpu }")
    SUM_BYTES[$arm]=$(( ${SUM_BYTES[$arm]:-0} + bytes ))
    printf '%-6s %-10s %8s %9.3f %10.3f %10s %7s  %s\n' "$round" "$arm" "$cpu" "$(awk "BEGIN { print $bytes / 1e9 }")" \
      "$(awk "BEGIN { print ($bytes > 0 ? $cpu / ($bytes / 1e9) : 0) }")" "$load_cpu" "$failed" "$avg"
  done
done
kill -0 "$DAEMON_PID" 2>/dev/null || { tail -n 50 "$WORK/daemon.log" >&2; die "applianced died during the run"; }

per_gb() { awk "BEGIN { b = ${SUM_BYTES[$1]:-0}; if (b > 0) printf \"%.3f\", ${SUM_CPU[$1]:-0} / (b / 1e9); else print \"n/a\" }"; }
echo
echo "all rounds: CPU-s per GB delivered (daemon)"
for arm in "${ARM_LIST[@]}"; do
  echo "  ${ARM_NAME[$arm]}: $(per_gb "$arm")"
done
for pair in "https-flv flv" "rtmps rtmp"; do
  read -r tls plain <<< "$pair"
  [[ -n ${SUM_BYTES[$tls]:-} && -n ${SUM_BYTES[$plain]:-} ]] || continue
  echo "  ${ARM_NAME[$tls]} / ${ARM_NAME[$plain]}: $(awk "BEGIN { printf \"%.2f\", $(per_gb "$tls") / $(per_gb "$plain") }")x"
done
echo "daemon log: $(grep -c -E ' (WRN|ERR|CRT) ' "$WORK/daemon.log" || true) warning/error lines (perf/out/last-daemon.log); load average at end: $(load_average)"
