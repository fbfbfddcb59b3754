# Shared by the perf scenarios (run.sh, tiers.sh, srt-*.sh, ...): the test media, JSON reading, starting
# daemons and publishers on loopback ports, free ports, sampling a process (CPU time, memory), and a
# scratch directory that stops what a scenario started. Source it; set PERF_NAME first.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${BIN:-$ROOT/artifacts/bin}
OUT=$ROOT/perf/out
MEDIA=$OUT/testsrc2-720p25-2500k-aac-60s.flv

die() { echo "perf/$PERF_NAME: $*" >&2; exit 1; }

if command -v jq >/dev/null; then
  json() { jq -r "$1" "$2"; }
elif command -v python3 >/dev/null; then
  json() { python3 -c 'import json,sys
v=json.load(open(sys.argv[2]))
for k in sys.argv[1].lstrip(".").split("."): v=v.get(k) if isinstance(v, dict) else None
print("null" if v is None else v)' "$1" "$2"; }
else
  die "jq or python3 is needed to read the load report"
fi

# The test media, made once and reused by every run: FILE, testsrc2 at SIZE and FPS (25 unless
# given; a keyframe every 2 s), H.264 at VIDEO kbit/s (buffer twice that), AAC stereo at AUDIO kbit/s, 60 s.
#   encode_media FILE SIZE VIDEO AUDIO [FPS]
encode_media() {
  local file=$1 size=$2 video=$3 audio=$4 fps=${5:-25}
  command -v ffmpeg >/dev/null || die "ffmpeg is needed (apt-get install ffmpeg)"
  mkdir -p "$OUT"
  [[ -s $file ]] && return 0
  echo "perf: encoding $file (once)"
  ffmpeg -hide_banner -loglevel error -y \
    -f lavfi -i "testsrc2=size=$size:rate=$fps" -f lavfi -i sine=frequency=440:sample_rate=48000 \
    -t 60 -map 0:v -map 1:a \
    -c:v libx264 -preset veryfast -pix_fmt yuv420p -b:v "${video}k" -maxrate "${video}k" -bufsize "$((2 * video))k" \
    -g $((2 * fps)) -keyint_min $((2 * fps)) -sc_threshold 0 -c:a aac -b:a "${audio}k" -ac 2 -f flv "$file.part"
  mv "$file.part" "$file"
}

# The 2.6 Mbit/s stream: 720p25 (video 2500k + audio 128k).
ensure_media() { encode_media "$MEDIA" 1280x720 2500 128; }

# The 600 kbit/s stream of the memory and scale goals: 360p25 (video 530k + audio 64k).
MEDIA_360=$OUT/testsrc2-360p25-530k-aac-60s.flv
ensure_media_360() { encode_media "$MEDIA_360" 640x360 530 64; }

# What runs the daemon (ON_SERVER) and its load and publisher (ON_LOAD): nothing unless the scenario
# pins them (perf_pinning in peers.sh, or its own taskset).
ON_SERVER=() ON_LOAD=()

# Starts applianced on config $1, its output to log $2 ($3: the directory of another build), behind
# ON_SERVER; $! is its PID, and wait_ports reads its ports.
run_daemon() {
  : > "$2"
  "${ON_SERVER[@]}" "${3:-$BIN}/applianced" --config "$1" > "$2" 2>&1 &
}

# ffmpeg publishing the file $1 in real time, looped, stream-copied, behind ON_LOAD, its output to
# log $2; the rest says where to (-f flv rtmp://...). $! is its PID.
run_publisher() {
  local media=$1 log=$2
  shift 2
  "${ON_LOAD[@]}" ffmpeg -hide_banner -nostdin -loglevel warning -re -stream_loop -1 -i "$media" -c copy "$@" > "$log" 2>&1 &
}

# The config of the node NAME of a multi-node scenario: RTMP and HTTP on loopback ports the kernel
# picks, no admin listener, its control socket at $WORK/NAME.sock; APP is the JSON of its app "live"
# beyond the name, ROOT more top-level JSON.
#   node_config NAME APP [ROOT]
node_config() {
  local name=$1 app=$2 root=${3:-}
  cat <<JSON
{
  "node": { "id": "$name" },
  "rtmp": { "listen": "127.0.0.1:0" },
  "http": { "listen": "127.0.0.1:0" },
  "log": { "level": "info" },
  "admin": { "listen": "" },
  "control": { "socket": "$WORK/$name.sock" },${root:+
  $root,}
  "domains": [ { "name": "default", "apps": [ { "name": "live"${app:+, $app} } ] } ]
}
JSON
}

# Starts the node NAME of a multi-node scenario on $WORK/NAME.json (the scenario wrote it), its
# output to $WORK/NAME.log; sets PID[NAME], RTMP[NAME] and HTTP[NAME] (associative arrays the
# scenario declares).
run_node() {
  local name=$1 ports
  run_daemon "$WORK/$name.json" "$WORK/$name.log"
  PID[$name]=$!
  ports=$(wait_ports "$WORK/$name.log" "${PID[$name]}") || exit 1
  read -r "RTMP[$name]" "HTTP[$name]" <<< "$ports"
}

# Stops the nodes in PID, each resumed first (a scenario may have paused one with SIGSTOP), keeps
# each one's log as perf/out/PREFIX-NAME.log when PREFIX is given, and forgets them.
stop_nodes() {
  local prefix=${1:-} name
  for name in "${!PID[@]}"; do kill -CONT "${PID[$name]}" 2>/dev/null || true; done
  stop_each "${PID[@]}"
  for name in "${!PID[@]}"; do
    [[ -n $prefix ]] && keep "$name.log" "$prefix-$name.log"
    unset "PID[$name]"
  done
}

# Waits up to 15 s for /api/streams of the node at $1 (http://HOST:PORT) to list the stream $2 while
# its publisher, PID $3, runs; else prints the logs named after them and ends the scenario.
#   wait_stream API_BASE NAME PUBLISHER_PID [LOG...]
wait_stream() {
  local api=$1 name=$2 publisher=$3
  shift 3
  for _ in $(seq 150); do
    curl -fsS -m 5 "$api/api/streams" 2>/dev/null | grep -q "\"$name\"" && return 0
    kill -0 "$publisher" 2>/dev/null || { cat "$@" >&2 2>/dev/null; die "ffmpeg stopped publishing"; }
    sleep 0.1
  done
  cat "$@" >&2 2>/dev/null
  die "the stream '$name' did not appear in /api/streams within 15 s"
}

# Ends a process this scenario started: TERM, then KILL after 5 s.
stop() {
  local pid=$1
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

# Stops each process named, in order (empty names are skipped), then reaps them (only them: a
# scenario may stop some of its processes and keep others running).
stop_each() {
  local pid
  for pid in "$@"; do stop "$pid"; done
  for pid in "$@"; do [[ -n $pid ]] && { wait "$pid" 2>/dev/null || true; }; done
  return 0
}

# The port a daemon bound for rtmp or http, from its log (port 0 lets the kernel pick).
port_of() { sed -n "s/.*listening for $2 on [0-9.]*:\([0-9]*\).*/\1/p" "$1" | head -n1; }

# Waits until the daemon whose log is $1 (pid $2) reports both ports; prints "RTMP HTTP".
wait_ports() {
  local log=$1 pid=$2 rtmp="" http=""
  for _ in $(seq 100); do
    rtmp=$(port_of "$log" rtmp) http=$(port_of "$log" http)
    [[ -n $rtmp && -n $http ]] && { echo "$rtmp $http"; return 0; }
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; die "applianced exited at start"; }
    sleep 0.1
  done
  cat "$log" >&2; die "applianced did not report its ports"
}

# A loopback port nobody uses now (the kernel's pick, then released); $1 = udp for a UDP one, else TCP.
free_port() {
  python3 -c 'import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM if sys.argv[1] == "udp" else socket.SOCK_STREAM)
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' "${1:-tcp}"
}

# CPU time a process has used so far (utime + stime; or each alone), in clock ticks of CLK_TCK a
# second; 0 once it is gone.
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
user_ticks() { awk '{ sub(/^.*\) /, ""); print $12 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
system_ticks() { awk '{ sub(/^.*\) /, ""); print $13 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

# A line of a process's /proc status in kB: status_kb PID VmRSS (VmHWM, ...).
status_kb() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; }

# One sample of a load in progress: the daemon's RSS (pid $1) and the load tool's peak RSS (pid $2);
# the highest so far stay in PEAK_RSS and LOAD_HWM (kB; start them at 0).
sample_peaks() {
  local rss hwm
  rss=$(status_kb "$1" VmRSS 2>/dev/null || echo 0)
  (( ${rss:-0} > PEAK_RSS )) && PEAK_RSS=$rss
  hwm=$(status_kb "$2" VmHWM 2>/dev/null || echo 0)
  (( ${hwm:-0} > LOAD_HWM )) && LOAD_HWM=$hwm
  return 0
}

# Arithmetic with decimals: calc 'printf "%.2f", 1 / 3'.
calc() { awk "BEGIN { $1 }"; }

# The machine's load average (1, 5, 15 minutes), for the line every result carries.
load_average() { cut -d' ' -f1-3 /proc/loadavg; }

# A throwaway test CA ($1/ca.pem) and a P-256 certificate for perf.test and 127.0.0.1 signed by it
# ($1/node.crt, $1/node.key), as the node's own tests make them. Needs openssl.
make_test_certificate() {
  local dir=$1
  command -v openssl >/dev/null || die "openssl is needed to make the test certificate"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=Perf Test CA" \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=perf.test" -keyout "$dir/node.key" -out "$dir/node.csr" 2>/dev/null
  printf 'subjectAltName=DNS:perf.test,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > "$dir/node.ext"
  openssl x509 -req -in "$dir/node.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days 2 -extfile "$dir/node.ext" -out "$dir/node.crt" 2>/dev/null
}

# A scratch directory ($WORK, named after $1). On exit, INT or TERM the scenario's own `cleanup`
# runs (it stops what it started, by PID, and keeps what it wants of $WORK), then the directory goes.
perf_scratch() {
  WORK=$(mktemp -d -t "$1.XXXXXX")
  trap perf_scratch_exit EXIT
  trap 'exit 130' INT TERM
}
perf_scratch_exit() {
  cleanup
  rm -rf "$WORK"
}

# Keeps $WORK/$1 as perf/out/$2 (a log of the run, after the scratch directory is gone), if it is there.
keep() { [[ -f $WORK/$1 ]] && cp "$WORK/$1" "$OUT/$2" || true; }

# The scratch directory of a scenario whose processes go into PIDS (PIDS+=($!)): on exit they are
# stopped newest first and the daemon's log is kept as perf/out/last-daemon.log.
perf_workdir() {
  PIDS=()
  cleanup() {
    local i
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do stop "${PIDS[i]}"; done
    wait 2>/dev/null || true
    keep daemon.log last-daemon.log
  }
  perf_scratch "$1"
}
