# Peers measured in the same run as the daemon: nginx (Debian's `nginx` with `libnginx-mod-rtmp`)
# on a prefix of its own under a temporary directory, on loopback ports, as one process pinned
# like the daemon, stopped by its PID. Sourced after lib.sh (it uses its helpers) by run.sh, scale.sh,
# segments.sh and tls-cost.sh.

NGINX_RTMP_MODULE=/usr/lib/nginx/modules/ngx_rtmp_module.so

# The server (daemon or peer) on one CPU, the load tool and the publisher on another, as the
# figures of issue 18 were taken; PERF_SERVER_CPU / PERF_LOAD_CPU choose them, PERF_PIN=0 turns
# pinning off. taskset execs the program, so $! is the program's PID. Sets ON_SERVER, ON_LOAD, PINNING.
perf_pinning() {
  local server=${PERF_SERVER_CPU:-0} load=${PERF_LOAD_CPU:-1}
  ON_SERVER=() ON_LOAD=() PINNING="not pinned"
  if [[ ${PERF_PIN:-1} == 0 ]]; then
    PINNING="not pinned (PERF_PIN=0)"
  elif ! command -v taskset >/dev/null || (( $(nproc) < 2 )) || [[ $server == "$load" ]]; then
    PINNING="not pinned (taskset missing, fewer than 2 CPUs, or one CPU named for both)"
  else
    ON_SERVER=(taskset -c "$server") ON_LOAD=(taskset -c "$load")
    PINNING="server on CPU $server, load tool and publisher on CPU $load"
  fi
}

# Installs the Debian packages a peer needs when running as root, else says what to install.
# Arguments: commands or files to have (nginx, rtmp, wrk).
ensure_peer_tools() {
  local need=() what
  for what in "$@"; do
    case $what in
      nginx) command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || need+=(nginx) ;;
      rtmp) [[ -f $NGINX_RTMP_MODULE ]] || need+=(libnginx-mod-rtmp) ;;
      wrk) command -v wrk >/dev/null || need+=(wrk) ;;
    esac
  done
  (( ${#need[@]} == 0 )) && return 0
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "perf: installing ${need[*]} (apt-get)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
      || { echo "perf: apt-get install ${need[*]} failed" >&2; return 1; }
    # Debian's package enables and starts its own nginx service on port 80; the peer runs apart from it.
  else
    echo "perf: the peer needs: sudo apt-get install -y ${need[*]}" >&2
    return 1
  fi
}

# The start of every peer nginx.conf: one process (no master, no workers to add up), its files under
# the prefix $1, connections enough for the largest runs. The caller appends the rtmp/http blocks.
nginx_conf_head() {
  local prefix=$1
  cat <<CONF
daemon off;
master_process off;
worker_processes 1;
worker_rlimit_nofile 65536;
error_log $prefix/error.log warn;
pid $prefix/nginx.pid;
events { worker_connections 60000; multi_accept on; }
CONF
}

# The http block's temp paths under the prefix (Debian's defaults are under /var/lib/nginx).
nginx_http_paths() {
  local prefix=$1
  cat <<CONF
  access_log off;
  client_body_temp_path $prefix/client_body;
  proxy_temp_path $prefix/proxy;
  fastcgi_temp_path $prefix/fastcgi;
  uwsgi_temp_path $prefix/uwsgi;
  scgi_temp_path $prefix/scgi;
CONF
}

# Starts nginx on $1/nginx.conf (prefix $1), pinned with ON_SERVER; sets NGINX_PID. Waits until
# the loopback port $2 accepts connections.
nginx_start() {
  local prefix=$1 port=$2
  local nginx_bin
  nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
  "$nginx_bin" -p "$prefix" -c "$prefix/nginx.conf" -t -q 2> "$prefix/test.log" \
    || { cat "$prefix/test.log" >&2; die "nginx refused its config ($prefix/nginx.conf)"; }
  "${ON_SERVER[@]}" "$nginx_bin" -p "$prefix" -c "$prefix/nginx.conf" > "$prefix/stdout.log" 2>&1 &
  NGINX_PID=$!
  for _ in $(seq 100); do
    (exec 3<> "/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    kill -0 "$NGINX_PID" 2>/dev/null || { cat "$prefix/stdout.log" "$prefix/error.log" >&2 2>/dev/null; die "nginx exited at start"; }
    sleep 0.1
  done
  die "nginx did not listen on 127.0.0.1:$port"
}

# nginx-rtmp under the same RTMP load as the daemon: the same media published by ffmpeg, the same
# number of appliance-load RTMP viewers, duration and ramp, pinned the same way. Prints its
# figures; writes "CPU_PER_GB CORE_PERCENT" to $5 (nothing when the peer could not run).
# Runs in a subshell with its own trap, so whatever happens nginx, ffmpeg and the load tool it
# started are stopped by PID.
#   peer_nginx_rtmp VIEWERS DURATION RAMP WORKDIR RESULT_FILE
peer_nginx_rtmp() (
  local viewers=$1 duration=$2 ramp=$3 prefix=$4/nginx-rtmp result=$5
  NGINX_PID="" PUBLISHER="" LOAD=""
  trap 'stop "$LOAD"; stop "$PUBLISHER"; stop "$NGINX_PID"; [[ -f $prefix/error.log ]] && cp "$prefix/error.log" "$OUT/last-nginx-rtmp-error.log"' EXIT
  trap 'exit 130' INT TERM
  ensure_peer_tools nginx rtmp || { echo "nginx-rtmp peer: skipped (not installed)"; exit 0; }
  mkdir -p "$prefix"
  local rtmp_port http_port
  rtmp_port=$(free_port) http_port=$(free_port)
  {
    echo "load_module $NGINX_RTMP_MODULE;"
    nginx_conf_head "$prefix"
    cat <<CONF
rtmp {
  server {
    listen 127.0.0.1:$rtmp_port;
    application live { live on; }
  }
}
http {
$(nginx_http_paths "$prefix")
  server {
    listen 127.0.0.1:$http_port;
    location /stat { rtmp_stat all; }
  }
}
CONF
  } > "$prefix/nginx.conf"
  nginx_start "$prefix" "$http_port"
  run_publisher "$MEDIA" "$prefix/publisher.log" -f flv "rtmp://127.0.0.1:$rtmp_port/live/perf"
  PUBLISHER=$!
  publishing() { curl -fsS -m 2 "http://127.0.0.1:$http_port/stat" 2>/dev/null | tr -d ' \n' | grep -q '<name>perf</name>.*<publishing/>'; }
  for _ in $(seq 150); do
    publishing && break
    kill -0 "$PUBLISHER" 2>/dev/null || { cat "$prefix/publisher.log" >&2; die "ffmpeg stopped publishing to nginx-rtmp"; }
    sleep 0.1
  done
  publishing || die "nginx-rtmp did not list the stream as publishing within 15 s"
  sleep 2.5
  local clk before after start_ns end_ns
  clk=$(getconf CLK_TCK)
  before=$(cpu_ticks "$NGINX_PID") start_ns=$(date +%s%N)
  set +e
  "${ON_LOAD[@]}" "$BIN/appliance-load" --url "rtmp://127.0.0.1:$rtmp_port/live/perf" \
    --viewers "$viewers" --duration "$duration" --ramp "$ramp" \
    --json-file "$prefix/load.json" > "$prefix/load.txt" 2> "$prefix/load.err" &
  LOAD=$!
  wait "$LOAD"; local status=$?
  LOAD=""
  set -e
  end_ns=$(date +%s%N)
  kill -0 "$NGINX_PID" 2>/dev/null || die "nginx died during the run"
  after=$(cpu_ticks "$NGINX_PID")
  [[ -s $prefix/load.json ]] || { cat "$prefix/load.err" >&2; die "appliance-load wrote no report against nginx-rtmp (exit $status)"; }
  local bytes per_gb core
  bytes=$(json .total.bytes "$prefix/load.json")
  per_gb=$(awk "BEGIN { if ($bytes > 0) printf \"%.3f\", ($after - $before) / $clk / ($bytes / 1e9); else print \"n/a\" }")
  core=$(awk "BEGIN { printf \"%.0f\", 100 * ($after - $before) / $clk / (($end_ns - $start_ns) / 1e9) }")
  cat <<REPORT

== peer: nginx-rtmp $(nginx -v 2>&1 | sed 's/.*nginx\///') with libnginx-mod-rtmp $(dpkg-query -W -f '${Version}' libnginx-mod-rtmp 2>/dev/null), one process, $viewers RTMP viewers, ${duration} s, ramp ${ramp}/s ==
nginx CPU             $(awk "BEGIN { printf \"%.2f\", ($after - $before) / $clk }") s (${core}% of one core)
CPU per GB delivered  ${per_gb} CPU-s/GB ($(awk "BEGIN { printf \"%.3f\", $bytes / 1e9 }") GB)
delivered             $(json .total.mbitPerSecond "$prefix/load.json") Mbit/s
viewers               made $(json .total.made "$prefix/load.json"), failed $(json .total.failed "$prefix/load.json"), dropped $(json .total.dropped "$prefix/load.json"), stalled $(json .total.stalled "$prefix/load.json"), $(json .total.videoFrames "$prefix/load.json") video frames; first media p50 $(json .total.firstMediaMs.p50 "$prefix/load.json") ms, p99 $(json .total.firstMediaMs.p99 "$prefix/load.json") ms (load tool exit ${status}, CPU $(json .loadToolCpuSeconds "$prefix/load.json") s)
REPORT
  echo "$per_gb $core" > "$result"
)

# Runs the named peer (nginx-rtmp, or none) under the daemon's load and prints the daemon's CPU per
# GB as a ratio to the peer's. The peer gets every viewer over RTMP (nginx-rtmp has no HTTP-FLV).
#   peer_compare PEER VIEWERS DURATION RAMP WORKDIR OUR_CPU_PER_GB DESCRIPTION
peer_compare() {
  local peer=$1 viewers=$2 duration=$3 ramp=$4 work=$5 ours=$6 description=$7
  case $peer in
    none|"") return 0 ;;
    nginx-rtmp) ;;
    *) echo "perf: unknown PERF_PEER '$peer' (nginx-rtmp, none)" >&2; return 0 ;;
  esac
  local result=$work/peer-result
  rm -f "$result"
  peer_nginx_rtmp "$viewers" "$duration" "$ramp" "$work" "$result" || { echo "nginx-rtmp peer: failed (see above)"; return 0; }
  [[ -s $result ]] || return 0
  [[ $ours =~ ^[0-9.]+$ ]] || return 0
  local theirs
  read -r theirs _ < "$result"
  [[ $theirs =~ ^[0-9.]+$ ]] || return 0
  local same="the same load"
  [[ $description == *HTTP* || $description == *HLS* ]] && same="the daemon's viewers were $description; nginx-rtmp's all RTMP"
  echo
  echo "ratio                 appliance ${ours} / nginx-rtmp ${theirs} CPU-s/GB = $(awk "BEGIN { if ($theirs > 0) printf \"%.2fx\", $ours / $theirs; else print \"n/a\" }") ($same)"
}
