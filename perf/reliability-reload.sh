# Sourced by perf/reliability.sh: the reload scenario. 2N viewers play while the config file is
# replaced and reloaded R times: odd reloads a valid file (variants A and B in turn, so each one
# changes the config), even ones an invalid file (five kinds in turn). Each reload goes through
# appliancectl or SIGHUP; its outcome is checked in the reply (or the log line, for SIGHUP) and in
# the config the daemon reports afterwards.

# A valid variant: A is the start config, B adds an app and changes two limits.
write_valid() { # A|B file
  case $1 in
    A) config_json "" "$FLUSH_MS" 100000 "" "" > "$2" ;;
    B) config_json "" "$FLUSH_MS" 99999 ', { "name": "spare", "maxViewerLagMs": 6000 }' "" > "$2" ;;
  esac
}
MAX_CONNECTIONS_A=100000 MAX_CONNECTIONS_B=99999

INVALID_KINDS=("bad value" "duplicate key" "unknown key" "wrong type" "truncated file")
# Writes invalid file number $1 (0-4) to $2 and prints what the refusal must name.
write_invalid() {
  case $1 in
    0) config_json "" 5000 100000 "" "" > "$2"; echo '$.domains[0].apps[0].flushIntervalMs: must be -1 (adaptive) or between 0 and 1000' ;;
    1) config_json ', "listen": "127.0.0.1:0"' "$FLUSH_MS" 100000 "" "" > "$2"; echo '$.rtmp.listen: duplicate key' ;;
    2) config_json ', "lisen": "127.0.0.1:0"' "$FLUSH_MS" 100000 "" "" > "$2"; echo '$.rtmp.lisen' ;;
    3) config_json "" "$FLUSH_MS" '"lots"' "" "" > "$2"; echo '$.limits.maxConnections' ;;
    4) write_valid A "$2.whole"; head -c "$(( $(wc -c < "$2.whole") / 2 ))" "$2.whole" > "$2"; rm -f "$2.whole"; echo 'reload refused' ;;
  esac
}

# Replaces the config file in one step (rename), so the daemon never reads half of it.
install_config() { mv -f "$1" "$WORK/appliance.json"; }

log_count() { grep -c -F "$1" "$WORK/daemon.log" || true; }

# Reloads by SIGHUP and prints "applied LINE" or "refused LINE" from the daemon's log.
reload_by_hup() {
  local applied refused line
  applied=$(log_count "INF appliance reloaded ") refused=$(log_count "WRN appliance reload refused")
  kill -HUP "$DAEMON_PID"
  for _ in $(seq 50); do
    if (( $(log_count "INF appliance reloaded ") > applied )); then
      line=$(grep -F "INF appliance reloaded " "$WORK/daemon.log" | tail -n1); echo "applied ${line#*appliance }"; return 0
    fi
    if (( $(log_count "WRN appliance reload refused") > refused )); then
      line=$(grep -F "WRN appliance reload refused" "$WORK/daemon.log" | tail -n1); echo "refused ${line#*appliance }"; return 0
    fi
    sleep 0.1
  done
  echo "nothing logged within 5 s"
}

# Reloads by appliancectl and prints "applied REPLY" (exit 0) or "refused REPLY" (exit 1).
reload_by_ctl() {
  local reply status=0
  reply=$(ctl reload 2>&1) || status=$?
  case $status in
    0) echo "applied $reply" ;;
    1) echo "refused ${reply#appliancectl: }" ;;
    *) echo "appliancectl exit $status: $reply" ;;
  esac
}

max_connections_in_effect() { ctl --json config > "$WORK/config.json" 2>/dev/null && json .config.limits.maxConnections "$WORK/config.json" || echo "?"; }
publisher_source() { ctl --json streams 2>/dev/null | sed -n 's/.*"source":"\([^"]*\)".*/\1/p' | head -n1; }

reload_scenario() {
  LOG_NAME=reload
  local total=$((RELOAD_VIEWERS * 2))
  (( total / RAMP + 5 + RELOADS * RELOAD_INTERVAL + 5 <= RELOAD_SECONDS )) \
    || bad "$RELOADS reloads every $RELOAD_INTERVAL s after a ramp of $((total / RAMP)) s do not fit in --reload-seconds $RELOAD_SECONDS with 5 s to spare"
  write_valid A "$WORK/appliance.json"
  start_daemon
  start_publisher
  local source_before; source_before=$(publisher_source)
  start_viewers "$RELOAD_VIEWERS" "$RELOAD_SECONDS" reload
  local at_daemon_before gc_before load_before; at_daemon_before=$(viewers_at_daemon) gc_before=$(gc_counters "$WORK/gc.json") load_before=$(cut -d' ' -f1 /proc/loadavg)
  local effect=$MAX_CONNECTIONS_A wrong=0 lowest=$at_daemon_before rows=() windows=
  local i variant via expected outcome in_effect verdict at_daemon at
  for i in $(seq "$RELOADS"); do
    sleep "$RELOAD_INTERVAL"
    if (( i % 2 == 1 )); then
      (( i % 4 == 1 )) && variant=B || variant=A
      write_valid "$variant" "$WORK/next.json"
      expected="applied reloaded $WORK/appliance.json"
      [[ $variant == B ]] && effect=$MAX_CONNECTIONS_B || effect=$MAX_CONNECTIONS_A
      variant="valid $variant"
    else
      local kind=$(( (i / 2 - 1) % ${#INVALID_KINDS[@]} ))
      expected="refused $(write_invalid "$kind" "$WORK/next.json")"
      variant="invalid: ${INVALID_KINDS[$kind]}"
    fi
    install_config "$WORK/next.json"
    case $RELOAD_VIA in
      both) (( (i - 1) / 2 % 2 == 0 )) && via=ctl || via=hup ;;
      *) via=$RELOAD_VIA ;;
    esac
    at=$(since_viewers)
    windows+=" $at"
    [[ $via == ctl ]] && outcome=$(reload_by_ctl) || outcome=$(reload_by_hup)
    windows+=" $(awk -v t="$(since_viewers)" 'BEGIN { printf "%.1f", t + 1 }')"
    in_effect=$(max_connections_in_effect)
    at_daemon=$(viewers_at_daemon)
    (( at_daemon < lowest )) && lowest=$at_daemon
    verdict=ok
    # A valid file: exactly the plain reply (no key waiting for a restart); an invalid one: refused, naming the problem.
    if [[ $expected == applied* && $outcome != "$expected" ]] || [[ $expected == refused* && ( $outcome != refused* || $outcome != *"${expected#refused }"* ) ]]; then
      verdict=UNEXPECTED
    fi
    [[ $in_effect == "$effect" ]] || verdict="UNEXPECTED (maxConnections in effect $in_effect, expected $effect)"
    [[ $verdict == ok ]] || wrong=$((wrong + 1))
    outcome=${outcome//$WORK\/appliance.json/FILE}
    rows+=("$(printf '%2d  t=%-5s %-4s %-22s %-6s %-8s %s  [viewers at the daemon %s, maxConnections %s]' "$i" "$at" "$via" "$variant" "$verdict" "${outcome%% *}" "${outcome#* }" "$at_daemon" "$in_effect")")
  done
  local at_daemon_after gc_after; at_daemon_after=$(viewers_at_daemon) gc_after=$(gc_counters "$WORK/gc.json")
  local source_after; source_after=$(publisher_source)
  local publisher_alive=1; kill -0 "$PUBLISHER_PID" 2>/dev/null || publisher_alive=0
  finish_viewers reload
  kill -0 "$DAEMON_PID" 2>/dev/null || die "applianced died during the reload scenario"
  local j=$WORK/reload.json

  cat <<REPORT

== reload under load: $total viewers ($RELOAD_VIEWERS RTMP + $RELOAD_VIEWERS HTTP-FLV), ${RELOAD_SECONDS} s, $RELOADS reloads every ${RELOAD_INTERVAL} s (via $RELOAD_VIA), flushIntervalMs $FLUSH_MS ==
reloads (t: seconds of the viewers' run; outcome as the reply or, for SIGHUP, the log line says, FILE being the config file; maxConnections as appliancectl config shows it after)
$(printf '  %s\n' "${rows[@]}")
reloads as expected   $((RELOADS - wrong)) of $RELOADS
viewers at the daemon $at_daemon_before before the first reload, lowest $lowest after a reload, $at_daemon_after after the last (the observer included)
publisher             $([[ $publisher_alive == 1 && $source_after == "$source_before" ]] && echo "the same session all along ($source_before)" || echo "CHANGED: before '$source_before', after '$source_after', ffmpeg alive $publisher_alive")
$(viewer_figures "$j" "$OUT/last-reliability-reload-viewers.csv")
daemon GC             from the first reload to the last: $(gc_delta "$gc_before" "$gc_after")
machine               load average $load_before when the reloads began, $(cut -d' ' -f1 /proc/loadavg) at the end ($(nproc) cores)
gaps and reloads      from each reload to 1 s after its reply: $(gaps_in_windows "$OUT/last-reliability-reload-viewers.csv" "$windows")
daemon log            $(grep -c -E ' (WRN|ERR|CRT) ' "$WORK/daemon.log" || true) WRN/ERR lines; apart from the refused reloads:
$(log_kinds 'reload refused' | head -n 10 | sed 's/^/  /')
REPORT
  must "reload: reloads not as expected" "$wrong"
  must "reload: viewers lost at the daemon during the reloads" "$((at_daemon_before - lowest))"
  must "reload: viewers lost at the daemon by the last reload" "$((at_daemon_before - at_daemon_after))"
  [[ $publisher_alive == 1 && $source_after == "$source_before" ]] || FAILURES+=("reload: the publisher's session changed")
  check_viewers "$j" reload
  echo; cat "$WORK/reload.txt"
  [[ -s $WORK/reload.err ]] && { echo; echo "viewers' progress:"; cat "$WORK/reload.err"; }
  stop_scenario
}
