#!/usr/bin/env bash
# Puts the player page's scripts into PLAYER (default artifacts/share/appliance/player, found by
# artifacts/bin/applianced as ../share/appliance/player): hls.js, dash.js and mpegts.js exactly as
# src/player/package-lock.json pins them, fetched with `npm ci` (no install scripts run), and
# player.js from here; their licences go to PLAYER/licenses. `make build` runs it; the packages
# install the directory as /usr/share/appliance/player. npm is installed with apt-get when missing
# and running as root; otherwise the apt-get line is printed.
set -euo pipefail
cd "$(dirname "$0")/../.."
player=${PLAYER:-$PWD/artifacts/share/appliance/player}
modules=${PLAYER_NPM:-$PWD/artifacts/player-npm}

if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing npm to fetch the player libraries"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  else
    echo "make build fetches the player libraries with npm; install it with: sudo apt-get install -y nodejs npm" >&2
    exit 1
  fi
fi

# npm ci again only when the lock file changed (npm ci writes node_modules/.package-lock.json);
# --prefer-offline lets a rebuild use npm's cache instead of the registry.
if ! cmp -s src/player/package-lock.json "$modules/package-lock.json" || [ ! -f "$modules/node_modules/.package-lock.json" ]; then
  rm -rf "$modules"
  mkdir -p "$modules"
  cp src/player/package.json src/player/package-lock.json "$modules/"
  echo "fetching the player libraries: npm ci --prefix $modules"
  npm ci --prefix "$modules" --ignore-scripts --prefer-offline --no-audit --no-fund --loglevel=error >/dev/null
fi

lib=$modules/node_modules
rm -rf "$player"
install -D -m 0644 "$lib/hls.js/dist/hls.min.js" "$player/hls.min.js"
install -D -m 0644 "$lib/dashjs/dist/modern/umd/dash.all.min.js" "$player/dash.all.min.js"
install -D -m 0644 "$lib/mpegts.js/dist/mpegts.js" "$player/mpegts.js"
install -D -m 0644 src/player/player.js "$player/player.js"
# Each library's licence, and the notices of what its bundle includes (named in its first line).
install -D -m 0644 "$lib/hls.js/LICENSE" "$player/licenses/hls.js/LICENSE"
install -D -m 0644 "$lib/dashjs/LICENSE.md" "$player/licenses/dashjs/LICENSE.md"
install -D -m 0644 "$lib/dashjs/dist/modern/umd/dash.all.min.js.LICENSE.txt" "$player/licenses/dashjs/dash.all.min.js.LICENSE.txt"
install -D -m 0644 "$lib/mpegts.js/LICENSE" "$player/licenses/mpegts.js/LICENSE"
install -D -m 0644 "$lib/mpegts.js/dist/mpegts.js.LICENSE.txt" "$player/licenses/mpegts.js/mpegts.js.LICENSE.txt"
