# Sourced by perf/reliability.sh: the hostile scenario. 2N viewers play; once all are connected,
# appliance-load --hostile makes H hostile connections (at most C at once) against the daemon's
# RTMP and HTTP listeners. The daemon's RSS is sampled before, during and after the attack, and
# its session count must come back to what it was before.

sessions_at_daemon() {
  curl -fsS -m 5 "http://127.0.0.1:$HTTP_PORT/api/status" > "$WORK/status.json" 2>/dev/null && json .sessions "$WORK/status.json" || echo "?"
}

# The bound the end-to-end hostile-peer test holds the daemon to.
RSS_BOUND_KB=$((256 * 1024))

hostile_scenario() {
  LOG_NAME=hostile
  local total=$((HOSTILE_VIEWERS * 2))
  local deadlines="" deadline_s=10
  if [[ -n $DEADLINE_MS ]]; then
    deadlines=$'\n  "deadlines": { "handshakeMs": '"$DEADLINE_MS"', "requestHeaderMs": '"$DEADLINE_MS"' },'
    deadline_s=$(( (DEADLINE_MS + 999) / 1000 ))
  fi
  # Each hostile connection waits for the server's close well past the deadlines.
  local wait_s=$((deadline_s + 20))
  config_json "" "$FLUSH_MS" 100000 "" "$deadlines" > "$WORK/appliance.json"
  start_daemon
  start_publisher
  local viewers_start=$SECONDS
  start_viewers "$HOSTILE_VIEWERS" "$HOSTILE_SECONDS" hostile
  sleep 3 # the joins' burst settles before the figures "before"
  # No hostile connection starts after this, so the attack (and the wait for its last closes)
  # ends 10 s before the viewers do.
  local attack_cap=$((HOSTILE_SECONDS - (SECONDS - viewers_start) - wait_s - 10))
  (( attack_cap >= 5 )) || die "--hostile-seconds $HOSTILE_SECONDS leaves no time for the attack (needs about $((SECONDS - viewers_start + wait_s + 15)) s at least)"
  local sessions_before rss_before at_daemon_before
  sessions_before=$(sessions_at_daemon) rss_before=$(rss_kb) at_daemon_before=$(viewers_at_daemon)
  local gc_before load_before; gc_before=$(gc_counters "$WORK/gc.json") load_before=$(cut -d' ' -f1 /proc/loadavg)

  local attack_start=$SECONDS attack_from attack_to
  attack_from=$(since_viewers)
  "$BIN/appliance-load" --hostile "$HOSTILE" --hostile-concurrency "$HOSTILE_CONCURRENCY" --hostile-wait "$wait_s" \
    --duration "$attack_cap" --url "rtmp://127.0.0.1:$RTMP_PORT/live/perf" --url "http://127.0.0.1:$HTTP_PORT/live/perf.flv" \
    --json-file "$WORK/attack.json" --progress > "$WORK/attack.txt" 2> "$WORK/attack.err" &
  HOSTILE_PID=$!
  local rss_peak=$rss_before sessions_peak=$sessions_before rss s
  while kill -0 "$HOSTILE_PID" 2>/dev/null; do
    rss=$(rss_kb); (( rss > rss_peak )) && rss_peak=$rss
    s=$(sessions_at_daemon); [[ $s =~ ^[0-9]+$ ]] && (( s > sessions_peak )) && sessions_peak=$s
    sleep 0.5
  done
  local attack_status=0
  wait "$HOSTILE_PID" || attack_status=$?
  HOSTILE_PID=""
  local attack_seconds=$((SECONDS - attack_start))
  attack_to=$(since_viewers)
  [[ -s $WORK/attack.json ]] || { cat "$WORK/attack.err" >&2; die "appliance-load --hostile wrote no report (exit $attack_status)"; }

  # Every hostile session gone at the daemon: back to the viewers and the publisher.
  local settle_start=$SECONDS sessions_after
  for _ in $(seq 150); do
    sessions_after=$(sessions_at_daemon)
    [[ $sessions_after =~ ^[0-9]+$ ]] && (( sessions_after <= sessions_before )) && break
    sleep 0.1
  done
  local settle_seconds=$((SECONDS - settle_start)) rss_after at_daemon_after
  rss_after=$(rss_kb) at_daemon_after=$(viewers_at_daemon)
  local gc_after; gc_after=$(gc_counters "$WORK/gc.json")
  local publisher_alive=1; kill -0 "$PUBLISHER_PID" 2>/dev/null || publisher_alive=0
  finish_viewers hostile
  kill -0 "$DAEMON_PID" 2>/dev/null || die "applianced died during the hostile scenario"
  local rss_end hwm; rss_end=$(rss_kb) hwm=$(hwm_kb)
  local h=$WORK/attack.json j=$WORK/hostile.json

  cat <<REPORT

== hostile connections during playback: $total viewers ($HOSTILE_VIEWERS RTMP + $HOSTILE_VIEWERS HTTP-FLV), ${HOSTILE_SECONDS} s; $HOSTILE hostile connections, at most $HOSTILE_CONCURRENCY at once; handshakeMs and requestHeaderMs ${DEADLINE_MS:-10000 (default)} ==
hostile connections   $(json .hostile.connections "$h"): closed by the server $(json .hostile.closedByServer "$h") ($(json .hostile.reset "$h") by reset), left open $(json .hostile.leftOpen "$h") (not closed ${wait_s} s after the connect), connect failed $(json .hostile.connectFailed "$h"), not started $(json .hostile.notStarted "$h"); attack ${attack_seconds} s, load tool exit $attack_status
closed after          p50 $(json .hostile.closedAfterMs.p50 "$h") ms, p99 $(json .hostile.closedAfterMs.p99 "$h") ms, max $(json .hostile.closedAfterMs.max "$h") ms (from the connect; per kind below)
sessions at daemon    $sessions_before before the attack (viewers, observer, publisher, this request), highest $sessions_peak during it, $sessions_after after it (${settle_seconds} s after the attacker exited)
viewers at daemon     $at_daemon_before before the attack, $at_daemon_after after it (the observer included)
publisher             $([[ $publisher_alive == 1 ]] && echo "still publishing" || echo "STOPPED")
daemon RSS            before the attack $(mib "$rss_before"), highest sampled during it $(mib "$rss_peak") (+$(mib $((rss_peak - rss_before)))), after it $(mib "$rss_after"), at the end of the run $(mib "$rss_end"); VmHWM $(mib "$hwm"); bound $(mib $RSS_BOUND_KB)
$(viewer_figures "$j" "$OUT/last-reliability-hostile-viewers.csv")
daemon GC             from the attack's start to the sessions' return: $(gc_delta "$gc_before" "$gc_after")
machine               load average $load_before when the attack began, $(cut -d' ' -f1 /proc/loadavg) at the end ($(nproc) cores)
gaps and the attack   the attack ran from ${attack_from} s to ${attack_to} s of the viewers' run: $(gaps_in_windows "$OUT/last-reliability-hostile-viewers.csv" "$attack_from $attack_to")
daemon log            $(grep -c -E ' (WRN|ERR|CRT) ' "$WORK/daemon.log" || true) WRN/ERR lines, by kind (addresses and numbers blanked):
$(log_kinds '^$' | head -n 12 | sed 's/^/  /')
REPORT
  must "hostile: connections not closed by the server (left open, connect failed or not started)" "$(( $(json .hostile.connections "$h") - $(json .hostile.closedByServer "$h") ))"
  [[ $sessions_after =~ ^[0-9]+$ ]] && must "hostile: sessions left at the daemon after the attack" "$(( sessions_after > sessions_before ? sessions_after - sessions_before : 0 ))" \
    || FAILURES+=("hostile: the daemon's session count could not be read after the attack")
  must "hostile: viewers lost at the daemon" "$((at_daemon_before - at_daemon_after))"
  (( rss_peak < RSS_BOUND_KB )) || FAILURES+=("hostile: daemon RSS reached $(mib "$rss_peak"), over $(mib $RSS_BOUND_KB)")
  (( publisher_alive )) || FAILURES+=("hostile: the publisher stopped")
  check_viewers "$j" hostile
  echo; cat "$WORK/attack.txt"
  [[ -s $WORK/attack.err ]] && { echo; echo "attacker progress:"; cat "$WORK/attack.err"; }
  echo; cat "$WORK/hostile.txt"
  [[ -s $WORK/hostile.err ]] && { echo; echo "viewers' progress:"; cat "$WORK/hostile.err"; }
  stop_scenario
}
