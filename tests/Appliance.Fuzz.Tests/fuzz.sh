#!/usr/bin/env bash
# `make fuzz`: every fuzz target (or those in FUZZ_TARGETS, comma- or space-separated) for FUZZ_SECONDS
# (default 60) each, with a new seed every run.
#
# Engine (FUZZ_ENGINE): "afl" is coverage-guided AFL++ (Debian afl++, installed here when running as
# root) driving the targets through SharpFuzz, whose tool instruments a copy of the parser assemblies;
# "own" is the project's own mutational fuzzer (deterministic per seed, coarse feedback); "auto"
# (default) takes afl when it can be had and own otherwise.
#
# Whatever afl-fuzz saves as a crash or hang is replayed in-process, and what really fails there is
# minimized into tests/Appliance.Fuzz.Tests/Regressions/{target}/{hash}.bin, with the exception,
# stack and input hex printed. Inputs of bugs already checked in count as known, not new. The exit
# status is 1 when something new was found, 2 when the fuzzer could not run.
set -uo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
seconds=${FUZZ_SECONDS:-60}
engine=${FUZZ_ENGINE:-auto}
project=tests/Appliance.Fuzz.Tests
work=$PWD/artifacts/fuzz
sharpfuzz_version=2.3.0

mkdir -p "$work"
dotnet build "$project" -c Release --nologo -v quiet >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 2; }
bin=$PWD/$project/bin/Release/net10.0
harness() { dotnet "$bin/Appliance.Fuzz.Tests.dll" "$@"; }
targets=${FUZZ_TARGETS:-$(harness list | tr '\n' ' ')}
targets=${targets//,/ }

if [ "$engine" != own ]; then
  if ! command -v afl-fuzz >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing afl++ from Debian"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ >/dev/null 2>&1 || true
  fi
  if [ ! -x "$work/tools/sharpfuzz" ]; then
    dotnet tool install --tool-path "$work/tools" SharpFuzz.CommandLine --version "$sharpfuzz_version" >/dev/null 2>&1 || true
  fi
  if command -v afl-fuzz >/dev/null && [ -x "$work/tools/sharpfuzz" ]; then
    engine=afl
  elif [ "$engine" = afl ]; then
    echo "fuzz: FUZZ_ENGINE=afl but afl-fuzz or the sharpfuzz tool is missing" >&2
    exit 2
  else
    echo "fuzz: afl-fuzz or sharpfuzz unavailable; using the own mutational fuzzer"
    engine=own
  fi
fi

if [ "$engine" = own ]; then
  harness fuzz --seconds "$seconds" --targets "${targets// /,}"
  exit $?
fi

# A copy of the build with the parser assemblies instrumented (not the harness, not the framework).
instrumented=$work/afl-bin
rm -rf "$instrumented" && mkdir -p "$instrumented" && cp -r "$bin/." "$instrumented/"
for assembly in Appliance.Core Appliance.Codecs Appliance.Protocols Appliance.Streaming Appliance.Auth Appliance.Relay Appliance.Node; do
  "$work/tools/sharpfuzz" "$instrumented/$assembly.dll" >/dev/null || { echo "fuzz: sharpfuzz could not instrument $assembly" >&2; exit 2; }
done

export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_AUTORESUME=0
status=0
report=()
for target in $targets; do
  out=$work/afl/$target
  rm -rf "$out" && mkdir -p "$out"
  harness seeds "$target" "$out/in" "$out/dict.txt" >/dev/null || { status=2; continue; }
  echo "== $target: afl-fuzz ${seconds}s"
  # -t: afl's own hang limit (ms); the replay below applies the real one (200 ms, best of three).
  afl-fuzz -i "$out/in" -o "$out/out" -x "$out/dict.txt" -V "$seconds" -t 1000 -m none \
    -- dotnet "$instrumented/Appliance.Fuzz.Tests.dll" afl "$target" >"$out/afl.log" 2>&1
  stats=$out/out/default/fuzzer_stats
  if [ ! -f "$stats" ]; then
    echo "fuzz: afl-fuzz did not run for $target; see $out/afl.log" >&2
    tail -5 "$out/afl.log" >&2
    status=2
    continue
  fi
  stat() { sed -n "s/^$1 *: *//p" "$stats"; }
  line=$(printf '%-15s %10s execs %8s/s  corpus %5s  edges %7s  crashes %3s  hangs %3s' "$target" \
    "$(stat execs_done)" "$(stat execs_per_sec)" "$(stat corpus_count)" "$(stat bitmap_cvg)" "$(stat saved_crashes)" "$(stat saved_hangs)")
  echo "$line"
  report+=("$line")
  if ! harness triage "$target" "$out/out/default/crashes" "$out/out/default/hangs"; then
    status=1
  fi
done
echo "== afl-fuzz summary (work in artifacts/fuzz/afl/)"
printf '%s\n' "${report[@]}"
exit $status
