#!/usr/bin/env bash
# Scale scenario: how many viewers of one 600 kbit/s stream one core holds. For each protocol in turn
# (HTTP-FLV, then RTMP), a fresh daemon on the embedded default settings (only its listeners moved
# to loopback ports) pinned to one CPU, ffmpeg publishing the 360p file, and N viewers from
# appliance-load on the other CPU: ramp, hold, then made/failed/stalled, each viewer's rate, the
# daemon's CPU over the hold (user and system), CPU-s per GB, RSS per viewer and first media.
# Called by `make perf-scale` after `make build`; see perf/README.md.
#
#   perf/scale.sh [--viewers N[,N...]] [--protocols flv,rtmp] [--ramp R] [--hold T] [--load-bin DIR]
#   env: SCALE_VIEWERS (20000), SCALE_PROTOCOLS (flv,rtmp), SCALE_RAMP (1000), SCALE_HOLD (30),
#        SCALE_LOAD_BIN (appliance-load's directory, default BIN), SCALE_SOURCES (127.0.0.2-127.0.0.9),
#        SCALE_INLINE_COMPLETIONS (1), BIN (artifacts/bin); pinning as perf/run.sh: PERF_SERVER_CPU (0), PERF_LOAD_CPU (1), PERF_PIN (1)
set -euo pipefail

PERF_NAME=scale.sh
PERF_DIR=$(dirname "${BASH_SOURCE[0]}")
source "$PERF_DIR/lib.sh"
source "$PERF_DIR/peers.sh"
perf_pinning
COUNTS=${SCALE_VIEWERS:-20000}
PROTOCOLS=${SCALE_PROTOCOLS:-flv,rtmp}
RAMP=${SCALE_RAMP:-1000}
HOLD=${SCALE_HOLD:-30}
LOAD_BIN=${SCALE_LOAD_BIN:-$BIN}
SOURCES=${SCALE_SOURCES-127.0.0.2-127.0.0.9}
# 1: the load tool's socket continuations run on the epoll thread instead of the thread pool: about
# half its CPU per GB at 3,000 viewers (perf/results/2026-12-07-scale.md); its viewers only count.
INLINE=${SCALE_INLINE_COMPLETIONS:-1}
# After the ramp, this long for the join bursts to drain before the hold is measured.
SETTLE=3

usage() { sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --viewers) COUNTS=$2; shift 2 ;;
    --protocols) PROTOCOLS=$2; shift 2 ;;
    --ramp) RAMP=$2; shift 2 ;;
    --hold) HOLD=$2; shift 2 ;;
    --load-bin) LOAD_BIN=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "perf/scale.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
IFS=, read -r -a COUNT_LIST <<< "$COUNTS"
IFS=, read -r -a PROTOCOL_LIST <<< "$PROTOCOLS"
for n in "${COUNT_LIST[@]}" "$RAMP" "$HOLD"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "perf/scale.sh: '$n' is not a positive whole number" >&2; exit 2; }
done
for protocol in "${PROTOCOL_LIST[@]}"; do
  [[ $protocol == rtmp || $protocol == flv ]] || { echo "perf/scale.sh: unknown protocol '$protocol' (flv, rtmp)" >&2; exit 2; }
done
[[ -x $BIN/applianced ]] || die "$BIN/applianced is missing; run 'make build' first"
[[ -x $LOAD_BIN/appliance-load ]] || die "$LOAD_BIN/appliance-load is missing; run 'make build' first"
command -v python3 >/dev/null || die "python3 is needed to sum up the viewers"

# The daemon holds a socket per viewer, so the open-file limit bounds the viewers one run can have.
# The hard limit is the operator's (packaging/systemd/appliance.service sets LimitNOFILE=1048576);
# a shell can only raise its soft limit up to it. The load tool is split over processes instead.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
FD_LIMIT=$(ulimit -n)
MAX=0
for n in "${COUNT_LIST[@]}"; do (( n > MAX )) && MAX=$n; done
(( FD_LIMIT >= MAX + 64 )) || die "the open-file limit is $FD_LIMIT (hard $(ulimit -Hn)): too low for $MAX viewers, as the daemon holds one socket per viewer; at most $((FD_LIMIT - 64)) fit here. Raise the hard limit (LimitNOFILE in the systemd unit, 'ulimit -Hn' as root with CAP_SYS_RESOURCE, or the container's --ulimit nofile)"
PER_PROCESS=$((FD_LIMIT - 100))

ensure_media_360
# The stream's own rate, for comparing each viewer's with it.
STREAM_MBIT=$(python3 -c 'import os, sys; print(f"{os.path.getsize(sys.argv[1]) * 8 / 60 / 1e6:.3f}")' "$MEDIA_360")

perf_workdir appliance-scale

# Bytes the daemon handed to viewers' sockets and the writes it took, from /metrics (all protocols).
metric() { curl -fsS -m 5 "http://127.0.0.1:$ADMIN_PORT/metrics" 2>/dev/null | awk -v name="$1" '$1 == name || index($1, name "{") == 1 { s += $NF } END { printf "%.0f\n", s }'; }

# One run, printed as a table row; details go to $OUT/last-scale-*.txt.
measure() {
  local protocol=$1 viewers=$2
  PIDS=()
  cat > "$WORK/appliance.json" <<JSON
{
  "rtmp": { "listen": "127.0.0.1:0" },
  "http": { "listen": "127.0.0.1:0" },
  "admin": { "listen": "127.0.0.1:0" },
  "control": { "socket": "$WORK/control.sock" }
}
JSON
  run_daemon "$WORK/appliance.json" "$WORK/daemon.log"
  local daemon=$!
  PIDS+=("$daemon")
  local ports; ports=$(wait_ports "$WORK/daemon.log" "$daemon") || exit 1
  read -r RTMP_PORT HTTP_PORT <<< "$ports"
  ADMIN_PORT=$(port_of "$WORK/daemon.log" admin)
  run_publisher "$MEDIA_360" "$WORK/publisher.log" -f flv "rtmp://127.0.0.1:$RTMP_PORT/live/scale"
  PIDS+=($!)
  wait_stream "http://127.0.0.1:$ADMIN_PORT" scale "${PIDS[-1]}" "$WORK/publisher.log" "$WORK/daemon.log"
  # Two GOPs in the cache, and the daemon's memory with a live stream as the baseline.
  sleep 5
  local url
  case $protocol in
    rtmp) url="rtmp://127.0.0.1:$RTMP_PORT/live/scale" ;;
    flv) url="http://127.0.0.1:$HTTP_PORT/live/scale.flv" ;;
  esac
  local ramp_s; ramp_s=$(calc "printf \"%d\", ($viewers + $RAMP - 1) / $RAMP")
  # A margin after the hold: on a busy machine the script's own sampling takes seconds.
  local duration=$((ramp_s + SETTLE + HOLD + 30))
  # Split over processes that each stay under the open-file limit; they share the ramp.
  local processes=$(( (viewers + PER_PROCESS - 1) / PER_PROCESS ))
  local rss_before; rss_before=$(status_kb "$daemon" VmRSS)
  local start_user start_system; start_user=$(user_ticks "$daemon"); start_system=$(system_ticks "$daemon")
  local start_ns; start_ns=$(date +%s%N)
  local load_pids=() i share sources=()
  # An appliance-load from before --source-addresses (SCALE_SOURCES= for a comparison) connects from 127.0.0.1.
  [[ -n $SOURCES ]] && sources=(--source-addresses "$SOURCES")
  rm -f "$WORK"/load-*.csv "$WORK"/load-*.json
  for ((i = 0; i < processes; i++)); do
    share=$(( viewers / processes + (i < viewers % processes ? 1 : 0) ))
    DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=$INLINE "${ON_LOAD[@]}" "$LOAD_BIN/appliance-load" --url "$url" --viewers "$share" --duration "$duration" \
      --ramp "$(calc "printf \"%.3f\", $RAMP * $share / $viewers")" "${sources[@]}" \
      --json-file "$WORK/load-$i.json" --viewers-csv "$WORK/load-$i.csv" > "$WORK/load-$i.txt" 2> "$WORK/load-$i.err" &
    load_pids+=($!)
    PIDS+=($!)
  done
  sleep "$((ramp_s + SETTLE))"
  local a_user a_system a_bytes a_writes a_ns
  local load_a=0 load_user_a=0
  for pid in "${load_pids[@]}"; do load_a=$((load_a + $(cpu_ticks "$pid"))); load_user_a=$((load_user_a + $(user_ticks "$pid" 2>/dev/null || echo 0))); done
  a_user=$(user_ticks "$daemon") a_system=$(system_ticks "$daemon")
  a_bytes=$(metric appliance_viewer_written_bytes_total) a_writes=$(metric appliance_viewer_writes_total) a_ns=$(date +%s%N)
  sleep "$HOLD"
  local b_user b_system b_bytes b_writes b_ns rss_hold
  local load_b=0 load_hwm=0 hwm load_user_b=0
  for pid in "${load_pids[@]}"; do
    load_b=$((load_b + $(cpu_ticks "$pid")))
    load_user_b=$((load_user_b + $(user_ticks "$pid" 2>/dev/null || echo 0)))
    hwm=$(status_kb "$pid" VmHWM 2>/dev/null || echo 0); load_hwm=$((load_hwm + ${hwm:-0}))
  done
  b_user=$(user_ticks "$daemon") b_system=$(system_ticks "$daemon")
  b_bytes=$(metric appliance_viewer_written_bytes_total) b_writes=$(metric appliance_viewer_writes_total) b_ns=$(date +%s%N)
  rss_hold=$(status_kb "$daemon" VmRSS)
  for pid in "${load_pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || echo "perf/scale.sh: a load process ended before the hold did; its figures for the hold are wrong" >&2
  done
  local open; open=$(curl -fsS -m 5 "http://127.0.0.1:$ADMIN_PORT/api/status" 2>/dev/null | python3 -c 'import json, sys; print(json.load(sys.stdin).get("sessions", "?"))' 2>/dev/null || echo "?")
  set +e
  for pid in "${load_pids[@]}"; do wait "$pid"; done
  set -e
  local end_user end_system end_ns
  end_user=$(user_ticks "$daemon") end_system=$(system_ticks "$daemon") end_ns=$(date +%s%N)
  kill -0 "$daemon" 2>/dev/null || { tail -n 30 "$WORK/daemon.log" >&2; die "applianced died during the run"; }
  local warnings; warnings=$(grep -c -E ' (WRN|ERR|CRT) ' "$WORK/daemon.log" || true)

  # Hold: CPU over what the daemon wrote in the same window (steady state, no joins).
  local hold_s cpu user system core user_share per_gb writes_per_viewer_s bytes_per_write
  hold_s=$(calc "printf \"%.3f\", ($b_ns - $a_ns) / 1e9")
  user=$(calc "printf \"%.2f\", ($b_user - $a_user) / $CLK_TCK")
  system=$(calc "printf \"%.2f\", ($b_system - $a_system) / $CLK_TCK")
  cpu=$(calc "printf \"%.2f\", $user + $system")
  core=$(calc "printf \"%.0f\", 100 * $cpu / $hold_s")
  user_share=$(calc "if ($cpu > 0) printf \"%.0f\", 100 * $user / $cpu; else print \"-\"")
  per_gb=$(calc "if ($b_bytes > $a_bytes) printf \"%.3f\", $cpu / (($b_bytes - $a_bytes) / 1e9); else print \"n/a\"")
  writes_per_viewer_s=$(calc "printf \"%.1f\", ($b_writes - $a_writes) / $viewers / $hold_s")
  bytes_per_write=$(calc "if ($b_writes > $a_writes) printf \"%.0f\", ($b_bytes - $a_bytes) / ($b_writes - $a_writes); else print \"-\"")
  local per_viewer_kb; per_viewer_kb=$(calc "printf \"%.1f\", ($rss_hold - $rss_before) / $viewers")
  local whole_cpu; whole_cpu=$(calc "printf \"%.2f\", ($end_user + $end_system - $start_user - $start_system) / $CLK_TCK")
  local load_cpu_hold; load_cpu_hold=$(calc "printf \"%.2f\", ($load_b - $load_a) / $CLK_TCK")
  local load_user_share; load_user_share=$(calc "if ($load_b > $load_a) printf \"%.0f\", 100 * ($load_user_b - $load_user_a) / ($load_b - $load_a); else print \"-\"")
  local load_core; load_core=$(calc "printf \"%.0f\", 100 * $load_cpu_hold / $hold_s")
  local load_per_gb; load_per_gb=$(calc "if ($b_bytes > $a_bytes) printf \"%.3f\", $load_cpu_hold / (($b_bytes - $a_bytes) / 1e9); else print \"n/a\"")

  # The load tool's own cost over its whole run, from its reports (needs no /metrics, so it holds on a starved machine too).
  local load_run_cpu=0 load_run_bytes=0
  for ((i = 0; i < processes; i++)); do
    load_run_cpu=$(calc "print $load_run_cpu + $(json .loadToolCpuSeconds "$WORK/load-$i.json" 2>/dev/null || echo 0)")
    load_run_bytes=$(calc "print $load_run_bytes + $(json .total.bytes "$WORK/load-$i.json" 2>/dev/null || echo 0)")
  done
  local load_run_per_gb; load_run_per_gb=$(calc "if ($load_run_bytes > 0) printf \"%.3f\", $load_run_cpu / ($load_run_bytes / 1e9); else print \"n/a\"")
  local viewers_summary
  viewers_summary=$(python3 - "$STREAM_MBIT" "$WORK"/load-*.csv <<'PY'
import csv, math, sys
stream = float(sys.argv[1])
rows = []
for path in sys.argv[2:]:
    with open(path, newline="") as f:
        rows += list(csv.DictReader(f))
def pct(values, p):
    if not values: return float("nan")
    values = sorted(values)
    # Nearest rank; p 0 is the lowest.
    return values[min(len(values) - 1, max(0, math.ceil(p / 100 * len(values)) - 1))]
made = [r for r in rows if r["state"] in ("Finished", "Dropped", "Playing")]
failed = sum(r["state"] == "Failed" for r in rows)
dropped = sum(r["state"] == "Dropped" for r in rows)
not_started = sum(r["state"] == "NotStarted" for r in rows)
stalled = sum(r["stalled"] == "1" for r in rows)
rates = [float(r["mbit_s"]) for r in made]
fps = [int(r["video_frames"]) / float(r["connected_s"]) for r in made if float(r["connected_s"]) > 0]
first = [float(r["first_media_ms"]) for r in rows if float(r["first_media_ms"]) >= 0]
gaps = [float(r["longest_playing_gap_ms"]) for r in made]
errors = {}
for r in rows:
    if r["error"]:
        errors[r["error"]] = errors.get(r["error"], 0) + 1
top = "; ".join(f"{n} x {e}" for e, n in sorted(errors.items(), key=lambda kv: -kv[1])[:3]) or "none"
print(f"{len(rows)}|{len(made)}|{failed}|{dropped}|{not_started}|{stalled}"
      f"|{pct(rates, 0):.3f}|{pct(rates, 1):.3f}|{pct(rates, 50):.3f}|{stream:.3f}"
      f"|{pct(fps, 0):.1f}|{pct(fps, 1):.1f}|{pct(fps, 50):.1f}"
      f"|{pct(first, 50):.1f}|{pct(first, 99):.1f}|{pct(gaps, 99):.0f}|{pct(gaps, 100):.0f}|{top}")
PY
)
  local total made failed dropped not_started stalled rate_min rate_p1 rate_p50 stream fps_min fps_p1 fps_p50 first_p50 first_p99 gap_p99 gap_max errors
  IFS='|' read -r total made failed dropped not_started stalled rate_min rate_p1 rate_p50 stream fps_min fps_p1 fps_p50 first_p50 first_p99 gap_p99 gap_max errors <<< "$viewers_summary"
  local name; name=$([[ $protocol == rtmp ]] && echo RTMP || echo HTTP-FLV)
  printf '| %s | %s | %s/%s | %s | %s / %s / %s | %s / %s / %s | %s%% (%s%% user) | **%s** | %s | %s | %s / %s | %s / %s | %s | %s%% (%s) | %s |\n' \
    "$name" "$viewers" "$made" "$failed" "$stalled" "$rate_min" "$rate_p1" "$rate_p50" "$fps_min" "$fps_p1" "$fps_p50" \
    "$core" "$user_share" "$per_gb" "$writes_per_viewer_s" "$per_viewer_kb" "$first_p50" "$first_p99" "$gap_p99" "$gap_max" \
    "$open" "$load_core" "$load_per_gb; run $load_run_per_gb" "$(load_average)"
  {
    echo "$name, $viewers viewers ($processes load processes), ramp ${RAMP}/s, hold ${hold_s} s; $PINNING"
    echo "viewers: $total asked, $made made, $failed failed, $dropped dropped, $not_started not started, $stalled stalled; errors: $errors"
    echo "stream ${stream} Mbit/s (the file); per-viewer rate min/p1/median ${rate_min}/${rate_p1}/${rate_p50} Mbit/s; video frames per second min/p1/median ${fps_min}/${fps_p1}/${fps_p50}"
    echo "daemon over the hold: ${cpu} CPU-s (user ${user}, system ${system}) = ${core}% of one core; ${per_gb} CPU-s/GB written; ${writes_per_viewer_s} writes per viewer-second, ${bytes_per_write} bytes per write"
    echo "daemon over the whole run (ramp, hold, teardown): ${whole_cpu} CPU-s in $(calc "printf \"%.1f\", ($end_ns - $start_ns) / 1e9") s"
    echo "daemon RSS: $((rss_before / 1024)) MiB before, $((rss_hold / 1024)) MiB at the end of the hold: ${per_viewer_kb} KiB per viewer; $open sessions open; ${warnings} WRN/ERR lines"
    echo "first media p50/p99 ${first_p50}/${first_p99} ms; longest playing gap p99/max ${gap_p99}/${gap_max} ms"
    echo "load tool: ${load_cpu_hold} CPU-s over the hold (${load_core}% of a core, ${load_user_share}% of it user, ${load_per_gb} CPU-s per GB the daemon wrote); whole run ${load_run_cpu} CPU-s for $(calc "printf \"%.3f\", $load_run_bytes / 1e9") GB received = ${load_run_per_gb} CPU-s/GB; peak RSS $((load_hwm / 1024)) MiB in all"
    for ((i = 0; i < processes; i++)); do cat "$WORK/load-$i.txt"; [[ -s $WORK/load-$i.err ]] && cat "$WORK/load-$i.err"; done
  } > "$OUT/last-scale-$protocol-$viewers.txt"
  cat "$WORK"/load-*.csv > "$OUT/last-scale-$protocol-$viewers.csv"
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do stop "${PIDS[i]}"; done
  wait 2>/dev/null || true
  cp "$WORK/daemon.log" "$OUT/last-daemon.log"
  PIDS=()
}

echo "perf/scale.sh: one $STREAM_MBIT Mbit/s stream (360p25), embedded default settings; ramp ${RAMP}/s, ${HOLD} s hold; $PINNING"
echo "$(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(uname -r); open files $FD_LIMIT; load average $(load_average)"
echo
echo "| protocol | viewers | made/failed | stalled | Mbit/s per viewer min / p1 / median | video fps per viewer min / p1 / median | daemon CPU over the hold (user share) | CPU-s/GB | writes per viewer-s | RSS KiB per viewer | first media p50 / p99 (ms) | longest gap p99 / max (ms) | open in daemon | load tool CPU over the hold (CPU-s/GB; whole run) | load average |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for viewers in "${COUNT_LIST[@]}"; do
  for protocol in "${PROTOCOL_LIST[@]}"; do
    measure "$protocol" "$viewers"
  done
done
echo
echo "(details of each run: perf/out/last-scale-PROTOCOL-N.txt; one line per viewer: .csv)"
