#!/usr/bin/env bash
# Runs every test project, one at a time (the end-to-end suite last, against the AOT build in
# artifacts/bin), and ends with one summary line: "tests: N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
export APPLIANCED_BIN="${APPLIANCED_BIN:-$PWD/artifacts/bin/applianced}"
export APPLIANCE_LOAD_BIN="${APPLIANCE_LOAD_BIN:-$PWD/artifacts/bin/appliance-load}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
results=$(mktemp -d)
projects=(tests/Appliance.Core.Tests tests/Appliance.Architecture.Tests tests/Appliance.Transport.Tests tests/Appliance.Codecs.Tests tests/Appliance.Protocols.Tests tests/Appliance.Streaming.Tests tests/Appliance.Auth.Tests tests/Appliance.Auth.Signing.Tests tests/Appliance.Relay.Tests tests/Appliance.Node.Tests tests/Appliance.Load.Tests tests/Appliance.Fuzz.Tests tests/Appliance.EndToEnd.Tests)
status=0
# Every test project built in one build (its projects in parallel, each shared assembly once), so
# that each run below starts its tests at once instead of checking the whole graph again.
filter="$results/tests.slnf"
listed=""
for project in "${projects[@]}"; do listed+="${listed:+,}\"$project/$(basename "$project").csproj\""; done
printf '{"solution":{"path":"%s","projects":[%s]}}\n' "$PWD/appliance.sln" "$listed" > "$filter"
echo "== build"
if ! dotnet build "$filter" -c Release --nologo -v quiet -clp:ErrorsOnly; then
  echo "tests: the test projects did not build" >&2
  exit 1
fi
for project in "${projects[@]}"; do
  name=$(basename "$project")
  echo "== $name"
  if ! dotnet test "$project" -c Release --no-build --nologo --logger "trx;LogFileName=$name.trx" --results-directory "$results" ${TEST_FILTER:+--filter "$TEST_FILTER"} 2>&1 | tee "$results/$name.log" | grep -E '^\s*(Failed|Skipped) |error|Passed!|Failed!|Total tests|Test Run Aborted|\[FAIL\]|\[SKIP\]'; then
    :
  fi
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
done
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters"); e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${t:-0} - ${e:-0}))
done
count=$(ls "$results"/*.trx 2>/dev/null | wc -l)
if [ "$count" -ne "${#projects[@]}" ]; then
  echo "only $count of ${#projects[@]} test projects produced results" >&2
  status=1
fi
# The filter above keeps the run readable; a failure's message (up to its stack trace) is what CI needs to explain it.
for log in "$results"/*.log; do
  awk '/^  Failed [A-Za-z]/ { show = 1; shown = 0 } show { print; if (/Stack Trace:/ || ++shown >= 80) show = 0 }' "$log"
done
echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] || status=1
exit $status
