#!/usr/bin/env bash
# SRT against RTMP over the same long lossy path (issue 19): one daemon, one 2.6 Mbit/s 720p25
# stream published three ways at once, each through perf/impair-relay.py, and one HTTP-FLV viewer
# (appliance-load) of each at the node for the same T seconds:
#   srt        ffmpeg -> SRT (latency 1500 ms) through the UDP relay: 5% loss, 150 +- 20 ms each way
#   rtmp-loss  ffmpeg -> RTMP through the TCP relay with the same delay and TCP's loss modelled
#              (see impair-relay.py: a lost segment holds the stream one more round trip, and the
#              sender is paced at the rate TCP reaches at 5% loss and 300 ms RTT)
#   rtmp-delay ffmpeg -> RTMP through the TCP relay with the delay and jitter only, no loss
# Prints, per stream, what its viewer got (video frames of the T x 25 sent, stalls of 2 s or more,
# the longest gap), how far the node's copy is behind the publisher at the end, and the SRT
# publisher's own figures from appliancectl.
# Usage: perf/srt-impairment.sh [SECONDS]   (default 60; needs make build, ffmpeg, python3)
set -euo pipefail
PERF_NAME=srt-impairment
source "$(dirname "$0")/lib.sh"
SECONDS_RUN=${1:-${PERF_SECONDS:-60}}
for exe in applianced appliance-load appliancectl; do
  [[ -x $BIN/$exe ]] || die "$BIN/$exe is missing; run 'make build' first"
done
ensure_media

perf_workdir appliance-srt-perf

SRT_PORT=$(free_port udp)
cat > "$WORK/appliance.json" <<JSON
{
  "rtmp": { "listen": "127.0.0.1:0" },
  "http": { "listen": "127.0.0.1:0", "publicApi": true },
  "srt": { "listen": "127.0.0.1:$SRT_PORT" },
  "admin": { "listen": "" },
  "control": { "socket": "$WORK/control.sock" },
  "domains": [ { "name": "default", "apps": [ { "name": "far", "srt": { "latencyMs": 1500 } } ] } ]
}
JSON
run_daemon "$WORK/appliance.json" "$WORK/daemon.log"
PIDS+=($!)
read -r RTMP_PORT HTTP_PORT <<< "$(wait_ports "$WORK/daemon.log" "${PIDS[0]}")"

UDP_RELAY=$(free_port udp) TCP_LOSS=$(free_port) TCP_DELAY=$(free_port)
python3 "$ROOT/perf/impair-relay.py" udp "$UDP_RELAY" "$SRT_PORT" --loss 0.05 > "$WORK/relay-srt.log" 2>&1 & PIDS+=($!)
python3 "$ROOT/perf/impair-relay.py" tcp "$TCP_LOSS" "$RTMP_PORT" --loss 0.05 > "$WORK/relay-rtmp-loss.log" 2>&1 & PIDS+=($!)
python3 "$ROOT/perf/impair-relay.py" tcp "$TCP_DELAY" "$RTMP_PORT" --loss 0 > "$WORK/relay-rtmp-delay.log" 2>&1 & PIDS+=($!)
# A relay is there once it says so: on a busy machine Python takes seconds to start, and ffmpeg's
# RTMP gives up at the first refused connect (SRT's caller retries, which is why only its arm ran).
for relay in srt rtmp-loss rtmp-delay; do
  for _ in $(seq 300); do grep -q 'listening on' "$WORK/relay-$relay.log" && break; sleep 0.1; done
  grep -q 'listening on' "$WORK/relay-$relay.log" || { cat "$WORK/relay-$relay.log" >&2; die "the $relay relay did not start in 30 s"; }
done

declare -A STARTED=()
# Publishes the perf media as stream $1 (ffmpeg output options follow) and notes when it started.
publish() {
  local name=$1; shift
  STARTED[$name]=$(date +%s.%N)
  run_publisher "$MEDIA" "$WORK/publisher-$name.log" "$@"
  PIDS+=($!)
}
publish srt -f mpegts "srt://127.0.0.1:$UDP_RELAY?streamid=#!::r=far/srt,m=publish&latency=1500000"
publish rtmp-loss -f flv "rtmp://127.0.0.1:$TCP_LOSS/far/rtmp-loss"
publish rtmp-delay -f flv "rtmp://127.0.0.1:$TCP_DELAY/far/rtmp-delay"

listed() { curl -fsS "http://127.0.0.1:$HTTP_PORT/api/streams" 2>/dev/null | grep -q "\"$1\""; }
for name in srt rtmp-loss rtmp-delay; do
  for _ in $(seq 300); do listed "$name" && break; sleep 0.1; done
  listed "$name" || echo "perf/$PERF_NAME: $name is not listed after 30 s (its viewer will fail)" >&2
done
sleep 3

echo "perf/$PERF_NAME: $(date -u +%H:%M:%S) UTC, load average $(load_average), ${SECONDS_RUN} s per viewer"
LOADS=()
for name in srt rtmp-loss rtmp-delay; do
  "$BIN/appliance-load" --url "http://127.0.0.1:$HTTP_PORT/far/$name.flv" --viewers 1 --duration "$SECONDS_RUN" \
    --json-file "$WORK/$name.json" > "$WORK/$name.txt" 2>&1 &
  LOADS+=($!)
done
sleep $((SECONDS_RUN / 2))
"$BIN/appliancectl" --socket "$WORK/control.sock" sessions --protocol srt-publish > "$WORK/srt-mid.txt" 2>&1 || true
for pid in "${LOADS[@]}"; do wait "$pid" || true; done
"$BIN/appliancectl" --socket "$WORK/control.sock" sessions --protocol srt-publish > "$WORK/srt-end.txt" 2>&1 || true

curl -fsS "http://127.0.0.1:$HTTP_PORT/api/streams" > "$WORK/streams.json" 2>/dev/null || echo '{}' > "$WORK/streams.json"
ENDED=$(date +%s.%N)
for name in srt rtmp-loss rtmp-delay; do
  echo "== $name"
  grep -E '^\s*(connections|video frames|stalled|playing gaps|first keyframe)' "$WORK/$name.txt" || cat "$WORK/$name.txt"
  # How far the node's copy is behind the publisher: the publisher's time since it started (-re: its
  # media time) against the media the node has, from its frame count (the perf media has 25 video
  # and 46.875 AAC frames a second). SRT's share is its fixed latency; TCP's grows when it cannot keep up.
  frames=$(python3 -c 'import json, sys
print(next((s["framesIn"] for s in json.load(open(sys.argv[1])).get("streams", []) if s["name"] == sys.argv[2]), 0))' "$WORK/streams.json" "$name")
  awk -v now="$ENDED" -v start="${STARTED[$name]}" -v frames="$frames" \
    'BEGIN { printf "  behind publisher %.1f s at the end (%.1f s published, %.1f s of media at the node)\n", (now - start) - frames / 71.875, now - start, frames / 71.875 }'
done
echo "== SRT publisher (appliancectl sessions, halfway and at the end)"
cat "$WORK/srt-mid.txt" "$WORK/srt-end.txt"
for p in "${PIDS[@]:1:3}"; do kill -TERM "$p" 2>/dev/null || true; done
sleep 0.5
echo "== relays"; cat "$WORK"/relay-*.log
echo "perf/$PERF_NAME: done at $(date -u +%H:%M:%S) UTC, load average $(load_average)"
