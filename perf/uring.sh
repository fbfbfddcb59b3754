#!/usr/bin/env bash
# io_uring against epoll: the same load through perf/run.sh on both transports (transport.send),
# arms interleaved (epoll, io_uring, epoll, io_uring ...) so that a change in the machine's load
# falls on both. Scenarios: 1,000 viewers (500 RTMP + 500 HTTP-FLV) of the 2.6 Mbit/s 720p
# stream, and 10,000 HTTP-FLV viewers of a 0.6 Mbit/s 360p stream; each with adaptive batching
# (flushIntervalMs left out) and with flushIntervalMs 100. One more arm tries zero-copy sends
# (SENDMSG_ZC for gathers of 16 KiB and more, the merged writes) at 1,000 viewers, flush 100.
# Prints one table: CPU-s per GB, % of a core, io_uring_enter calls and entries per enter,
# failed and stalled viewers. See perf/README.md.
#
#   perf/uring.sh [--rounds R] [--seconds T] [--big-seconds T] [--scenarios small,big] [--no-zero-copy]
#   env: PERF_ROUNDS (1), PERF_SECONDS (30, the 1,000-viewer arms), PERF_BIG_SECONDS (60, the 10,000-viewer arms),
#        PERF_SCENARIOS (small,big), PERF_ZERO_COPY_ARM (1), BIN, PERF_SERVER_CPU / PERF_LOAD_CPU / PERF_PIN as run.sh
set -euo pipefail

PERF_NAME=uring.sh
PERF_DIR=$(dirname "${BASH_SOURCE[0]}")
source "$PERF_DIR/lib.sh"
ROUNDS=${PERF_ROUNDS:-1}
SECONDS_SMALL=${PERF_SECONDS:-30}
SECONDS_BIG=${PERF_BIG_SECONDS:-60}
SCENARIOS=${PERF_SCENARIOS:-small,big}
ZC_ARM=${PERF_ZERO_COPY_ARM:-1}

usage() { sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --rounds) ROUNDS=$2; shift 2 ;;
    --seconds) SECONDS_SMALL=$2; shift 2 ;;
    --big-seconds) SECONDS_BIG=$2; shift 2 ;;
    --scenarios) SCENARIOS=$2; shift 2 ;;
    --no-zero-copy) ZC_ARM=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "perf/uring.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
for n in "$ROUNDS" "$SECONDS_SMALL" "$SECONDS_BIG"; do
  [[ $n =~ ^[0-9]+$ ]] || { echo "perf/uring.sh: '$n' is not a whole number" >&2; exit 2; }
done

# The 0.6 Mbit/s 360p stream of the big arms (the same file perf/memory.sh makes).
mkdir -p "$OUT"
if [[ $SCENARIOS == *big* ]]; then
  ensure_media_360
fi

LOGS=$OUT/uring
mkdir -p "$LOGS"
ROWS=()
# arm NAME SEND ZERO_COPY FLUSH -- run.sh arguments...
arm() {
  local name=$1 send=$2 zc=$3 flush=$4; shift 5
  local slug=${name//[^A-Za-z0-9]/}
  local log="$LOGS/$slug-$send-zc$zc-flush$flush-r$round.log"
  echo "perf/uring.sh: $name, send $send, zero-copy $zc, flush $flush, round $round (log: $log)"
  local load
  load=$(load_average)
  if ! PERF_PEER=none bash "$PERF_DIR/run.sh" --send "$send" --zero-copy "$zc" --flush-ms "$flush" "$@" > "$log" 2>&1; then
    echo "  failed: $(tail -n 3 "$log" | tr '\n' ' ')"
    ROWS+=("| $name | $flush | $send$( ((zc > 0)) && echo " + zero-copy" || true) | failed | | | | | $load |")
    return 0
  fi
  local per_gb core transport enters per_enter failed stalled
  per_gb=$(sed -n 's/^CPU per GB delivered *\([0-9.]*\) .*/\1/p' "$log")
  core=$(sed -n 's/^daemon CPU .*(\([0-9]*\)% of one core).*/\1/p' "$log")
  transport=$(sed -n 's/^transport *\([a-z_]*\) .*/\1/p' "$log")
  enters=$(sed -n 's/^transport .*io_uring_enter \([0-9]*\),.*/\1/p' "$log")
  per_enter=$(sed -n 's/^transport .*: \([0-9.n/a]*\) per enter.*/\1/p' "$log")
  failed=$(grep -m1 -o 'failed [0-9]*' "$log" | grep -o '[0-9]*' || echo "?")
  stalled=$(grep -m1 -E '^ *stalled ' "$log" | grep -o '[0-9]* viewers' | grep -o '[0-9]*' || echo "?")
  echo "  $per_gb CPU-s/GB, ${core}% of a core, $transport, enters $enters ($per_enter entries each), failed $failed, stalled $stalled"
  ROWS+=("| $name | $flush | $transport$( ((zc > 0)) && echo " + zero-copy from $zc B" || true) | $per_gb | $core% | $enters | $per_enter | $failed / $stalled | $load |")
}

for round in $(seq "$ROUNDS"); do
  for flush in auto 100; do
    if [[ $SCENARIOS == *small* ]]; then
      for send in epoll io_uring; do
        arm "1,000 (500 RTMP + 500 HTTP-FLV), 2.6 Mbit/s" "$send" 0 "$flush" -- --viewers 500 --protocols rtmp,flv --seconds "$SECONDS_SMALL"
      done
    fi
    if [[ $SCENARIOS == *big* ]]; then
      for send in epoll io_uring; do
        arm "10,000 HTTP-FLV, 0.6 Mbit/s" "$send" 0 "$flush" -- --viewers 10000 --protocols flv --seconds "$SECONDS_BIG" --ramp 500 --media "$MEDIA_360"
      done
    fi
  done
  if (( ZC_ARM )) && [[ $SCENARIOS == *small* ]]; then
    arm "1,000 (500 RTMP + 500 HTTP-FLV), 2.6 Mbit/s" io_uring 16384 100 -- --viewers 500 --protocols rtmp,flv --seconds "$SECONDS_SMALL"
  fi
done

echo
echo "== perf/uring.sh: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) CPUs, $(uname -r) =="
echo "| viewers | flushIntervalMs | send | CPU-s/GB | % of a core | io_uring_enter | entries per enter | failed / stalled | load average at start |"
echo "|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
