#!/usr/bin/env bash
# SRT ingest cost (issue 19), `make perf-srt`. One daemon (no viewers), the 2.5 Mbit/s 720p25 perf
# stream published by ffmpeg (-re, -c copy: ffmpeg only remuxes):
#   0. nothing published for SECONDS: the idle daemon's CPU (timers), to tell a stream's own cost apart;
#   1. one publisher over SRT, then one over RTMP, alternately ROUNDS times (PERF_SRT_ROUNDS, default
#      2): the daemon's CPU-seconds over SECONDS of media, as CPU-seconds per media-hour;
#   2. PUBLISHERS (PERF_SRT_PUBLISHERS, default 20) SRT publishers at once for SECONDS: how many did
#      not publish (not listed, ffmpeg gone, or a stream whose ingest stopped), each stream's video
#      ingest fps (appliance_stream_ingest_frames_per_second, sampled every 5 s: mean and lowest),
#      and the daemon's CPU per media-hour of each stream.
# The machine's load average is printed with every figure: on a shared machine the CPU figures are
# what the daemon spent, not how long it took. Bounded: about (2 x ROUNDS + 2) x (SECONDS + 10) + 40 s.
# Usage: perf/srt-ingest.sh [SECONDS]   (default 30; needs make build, ffmpeg with libsrt, python3, curl)
set -euo pipefail
PERF_NAME=srt-ingest
source "$(dirname "$0")/lib.sh"
SECONDS_RUN=${1:-${PERF_SECONDS:-30}}
ROUNDS=${PERF_SRT_ROUNDS:-2}
PUBLISHERS=${PERF_SRT_PUBLISHERS:-20}
WARMUP=5
[[ -x $BIN/applianced ]] || die "$BIN/applianced is missing; run 'make build' first"
command -v curl >/dev/null || die "curl is needed"
ensure_media
ffmpeg -hide_banner -protocols 2>/dev/null | grep -qx ' *srt' || die "this ffmpeg has no SRT protocol (Debian's has)"

perf_workdir appliance-srt-ingest

SRT_PORT=$(free_port udp)
cat > "$WORK/appliance.json" <<JSON
{
  "rtmp": { "listen": "127.0.0.1:0" },
  "http": { "listen": "127.0.0.1:0", "publicApi": true },
  "srt": { "listen": "127.0.0.1:$SRT_PORT" },
  "admin": { "listen": "127.0.0.1:0" },
  "control": { "socket": "$WORK/control.sock" }
}
JSON
run_daemon "$WORK/appliance.json" "$WORK/daemon.log"
DAEMON=$!
PIDS+=("$DAEMON")
read -r RTMP_PORT HTTP_PORT <<< "$(wait_ports "$WORK/daemon.log" "$DAEMON")"
ADMIN_PORT=$(port_of "$WORK/daemon.log" admin)

# Publishes the perf media as stream $2 over $1 (srt or rtmp) until stopped; prints ffmpeg's PID.
publish() {
  local url format
  if [[ $1 == srt ]]; then
    url="srt://127.0.0.1:$SRT_PORT?streamid=#!::r=live/$2,m=publish" format=mpegts
  else
    url="rtmp://127.0.0.1:$RTMP_PORT/live/$2" format=flv
  fi
  run_publisher "$MEDIA" "$WORK/publisher-$2.log" -f "$format" "$url"
  echo $!
}
listed() { curl -fsS -m 5 "http://127.0.0.1:$HTTP_PORT/api/streams" 2>/dev/null | grep -c "\"name\": \"$1\"" || true; }
# Waits up to 30 s for stream $1 to be listed; false if it never is.
wait_listed() { for _ in $(seq 300); do (( $(listed "$1") > 0 )) && return 0; sleep 0.1; done; return 1; }
metrics() { curl -fsS -m 5 "http://127.0.0.1:$ADMIN_PORT/metrics" 2>/dev/null || true; }

echo "perf/$PERF_NAME: $(date -u +%H:%M:%S) UTC, $(nproc) CPUs, load average $(load_average); ${SECONDS_RUN} s per measurement, $ROUNDS rounds, $PUBLISHERS publishers"
# What the daemon spends with no stream at all (its timers), so that a stream's own cost can be told apart.
before=$(cpu_ticks "$DAEMON") started=$(date +%s.%N)
sleep "$SECONDS_RUN"
after=$(cpu_ticks "$DAEMON") ended=$(date +%s.%N)
echo "== idle daemon: $(calc "printf \"%.1f\", ($after - $before) / $CLK_TCK / ($ended - $started) * 3600") CPU-s per hour (load average $(load_average))"
echo "== one 2.5 Mbit/s publisher: daemon CPU-seconds per media-hour (the idle cost included)"
declare -A SUM=([srt]=0 [rtmp]=0)
for round in $(seq "$ROUNDS"); do
  for protocol in srt rtmp; do
    name=$protocol-$round
    pid=$(publish "$protocol" "$name")
    PIDS+=("$pid")
    wait_listed "$name" || { cat "$WORK/publisher-$name.log" >&2; die "$name was not listed after 30 s"; }
    sleep "$WARMUP"
    before=$(cpu_ticks "$DAEMON") started=$(date +%s.%N)
    sleep "$SECONDS_RUN"
    after=$(cpu_ticks "$DAEMON") ended=$(date +%s.%N)
    kill -0 "$pid" 2>/dev/null || { cat "$WORK/publisher-$name.log" >&2; die "the $name publisher ended early"; }
    stop "$pid"
    cost=$(calc "printf \"%.1f\", ($after - $before) / $CLK_TCK / ($ended - $started) * 3600")
    SUM[$protocol]=$(calc "print ${SUM[$protocol]} + $cost")
    printf '  round %d %-4s %6s CPU-s per media-hour   (load average %s)\n' "$round" "$protocol" "$cost" "$(load_average)"
  done
done
printf '  mean      srt %s, rtmp %s CPU-s per media-hour\n' \
  "$(calc "printf \"%.1f\", ${SUM[srt]} / $ROUNDS")" "$(calc "printf \"%.1f\", ${SUM[rtmp]} / $ROUNDS")"

echo "== $PUBLISHERS SRT publishers at once"
declare -A PUB=()
for i in $(seq -f '%02g' "$PUBLISHERS"); do
  PUB[p$i]=$(publish srt "p$i")
  PIDS+=("${PUB[p$i]}")
done
deadline=$((SECONDS + 40))
for name in "${!PUB[@]}"; do
  while (( $(listed "$name") == 0 && SECONDS < deadline )); do sleep 0.2; done
done
sleep "$WARMUP"
before=$(cpu_ticks "$DAEMON") started=$(date +%s.%N)
: > "$WORK/fps.txt"
for ((t = 0; t < SECONDS_RUN; t += 5)); do
  sleep 5
  metrics | sed -n 's/^appliance_stream_ingest_frames_per_second{stream="default\/live\/\(p[0-9]*\)"} \([0-9.]*\)$/\1 \2/p' >> "$WORK/fps.txt"
done
after=$(cpu_ticks "$DAEMON") ended=$(date +%s.%N)
failed=0
for name in $(printf '%s\n' "${!PUB[@]}" | sort); do
  samples=$(awk -v n="$name" '$1 == n { c++; s += $2; if (min == "" || $2 < min) min = $2 } END { if (c) printf "%d %.1f %.1f", c, s / c, min; else print "0 0 0" }' "$WORK/fps.txt")
  read -r count mean lowest <<< "$samples"
  state=ok
  if ! kill -0 "${PUB[$name]}" 2>/dev/null; then state="ffmpeg ended: $(tail -n1 "$WORK/publisher-$name.log")"
  elif (( count == 0 )); then state="never ingested"
  elif [[ $lowest == 0.0 ]]; then state="ingest stopped"
  fi
  [[ $state == ok ]] || failed=$((failed + 1))
  printf '  %s  ingest fps mean %5s, lowest %5s (%d samples)  %s\n' "$name" "$mean" "$lowest" "$count" "$state"
done
cost=$(calc "printf \"%.1f\", ($after - $before) / $CLK_TCK / ($ended - $started) * 3600")
echo "  failed: $failed of $PUBLISHERS"
echo "  daemon: $cost CPU-s per hour for all $PUBLISHERS, $(calc "printf \"%.1f\", $cost / $PUBLISHERS") per media-hour of each stream"
srt_lines=$(grep -c -i 'srt' "$WORK/daemon.log" || true)
# Lines are "TIME LEVEL category message"; anything above information is worth seeing.
warnings=$(awk '$2 != "INF" && $2 != "DBG"' "$WORK/daemon.log" | wc -l)
echo "  daemon log: $srt_lines lines naming srt, $warnings above information level (the first 10 below)"
awk '$2 != "INF" && $2 != "DBG"' "$WORK/daemon.log" | head -n 10 | sed 's/^/    /' || true
echo "perf/$PERF_NAME: done at $(date -u +%H:%M:%S) UTC, load average $(load_average)"
