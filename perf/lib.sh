# Shared by the perf scenarios (run.sh, tiers.sh, srt-*.sh, ...): the test media, JSON reading, daemons
# on loopback ports, free ports, CPU time, and stopping what a scenario started. Source it; set PERF_NAME first.

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

# The media: made once, reused by every run.
ensure_media() {
  command -v ffmpeg >/dev/null || die "ffmpeg is needed (apt-get install ffmpeg)"
  mkdir -p "$OUT"
  [[ -s $MEDIA ]] && return 0
  echo "perf: encoding $MEDIA (once)"
  ffmpeg -hide_banner -loglevel error -y \
    -f lavfi -i testsrc2=size=1280x720:rate=25 -f lavfi -i sine=frequency=440:sample_rate=48000 \
    -t 60 -map 0:v -map 1:a \
    -c:v libx264 -preset veryfast -pix_fmt yuv420p -b:v 2500k -maxrate 2500k -bufsize 5000k \
    -g 50 -keyint_min 50 -sc_threshold 0 \
    -c:a aac -b:a 128k -ac 2 \
    -f flv "$MEDIA.part"
  mv "$MEDIA.part" "$MEDIA"
}

# The 600 kbit/s stream of the memory and scale goals: 360p25 (video 530k + audio 64k), made once.
MEDIA_360=$OUT/testsrc2-360p25-530k-aac-60s.flv
ensure_media_360() {
  command -v ffmpeg >/dev/null || die "ffmpeg is needed (apt-get install ffmpeg)"
  mkdir -p "$OUT"
  [[ -s $MEDIA_360 ]] && return 0
  echo "perf: encoding $MEDIA_360 (once)"
  ffmpeg -hide_banner -loglevel error -y \
    -f lavfi -i testsrc2=size=640x360:rate=25 -f lavfi -i sine=frequency=440:sample_rate=48000 \
    -t 60 -map 0:v -map 1:a \
    -c:v libx264 -preset veryfast -pix_fmt yuv420p -b:v 530k -maxrate 530k -bufsize 1060k \
    -g 50 -keyint_min 50 -sc_threshold 0 -c:a aac -b:a 64k -ac 2 -f flv "$MEDIA_360.part"
  mv "$MEDIA_360.part" "$MEDIA_360"
}

# Ends a process this scenario started: TERM, then KILL after 5 s.
stop() {
  local pid=$1
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
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

# CPU time a process has used so far (utime + stime), in clock ticks of CLK_TCK a second; 0 once it is gone.
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

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

# A scratch directory ($WORK) for a scenario whose processes go into PIDS (PIDS+=($!)): on exit
# they are stopped newest first, the daemon's log is kept as perf/out/last-daemon.log and the
# directory removed.
perf_workdir() {
  WORK=$(mktemp -d -t "$1.XXXXXX")
  PIDS=()
  trap perf_cleanup EXIT
  trap 'exit 130' INT TERM
}
perf_cleanup() {
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do stop "${PIDS[i]}"; done
  wait 2>/dev/null || true
  [[ -f $WORK/daemon.log ]] && cp "$WORK/daemon.log" "$OUT/last-daemon.log"
  rm -rf "$WORK"
}
