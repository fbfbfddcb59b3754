# Sourced by deb/build.sh and rpm/build.sh: the package's version, the binaries, the staging of
# the files both packages install. Runs from the repository root.

# The one version of the project: <Version> in Directory.Build.props.
version=$(sed -n 's:.*<Version>\([^<]*\)</Version>.*:\1:p' Directory.Build.props | head -1)
[ -n "$version" ] || { echo "no <Version> in Directory.Build.props" >&2; exit 1; }

rid=${RID:-linux-x64}
bin=${BIN:-$PWD/artifacts/bin}
out=${PACKAGES:-$PWD/artifacts/packages}
programs=(applianced appliancectl appliance-load)
# The player page's scripts and their licences (src/player/build.sh, run by `make build`).
player=${PLAYER:-$PWD/artifacts/share/appliance/player}

# Reproducible builds: file times and changelog date from the last commit.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}

# Installs each missing tool's Debian package when root, otherwise says how and stops.
# Arguments: command=package ...
require_tools() {
  local missing=() pair
  for pair in "$@"; do
    command -v "${pair%%=*}" >/dev/null 2>&1 || missing+=("${pair#*=}")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing packaging tools: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "missing packaging tools; install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
}

require_binaries() {
  local program
  for program in "${programs[@]}"; do
    [ -x "$bin/$program" ] || { echo "no $bin/$program: run \`make build\` first" >&2; exit 1; }
  done
  [ -f "$player/player.js" ] || { echo "no $player/player.js: run \`make build\` first" >&2; exit 1; }
}

# stage ROOT UNITDIR: the files of both packages under ROOT, the unit in UNITDIR. Man pages are
# gzipped without names or times (-n) so that the same sources give the same package.
stage() {
  local root=$1 unitdir=$2 program page section
  for program in "${programs[@]}"; do
    install -D -m 0755 "$bin/$program" "$root/usr/bin/$program"
  done
  install -D -m 0644 packaging/appliance.json "$root/etc/appliance/appliance.json"
  install -D -m 0644 packaging/appliance.logrotate "$root/etc/logrotate.d/appliance"
  install -D -m 0644 packaging/systemd/appliance.service "$root$unitdir/appliance.service"
  install -D -m 0644 packaging/systemd/appliance.sysusers "$root/usr/lib/sysusers.d/appliance.conf"
  install -D -m 0644 packaging/grafana/appliance-dashboard.json "$root/usr/share/appliance/grafana/appliance-dashboard.json"
  # Where applianced looks when http.playerDir is empty: share/appliance/player beside /usr/bin.
  (cd "$player" && find . -type f | LC_ALL=C sort) | while read -r file; do
    install -D -m 0644 "$player/$file" "$root/usr/share/appliance/player/${file#./}"
  done
  for page in packaging/man/*.[18]; do
    section=${page##*.}
    install -d "$root/usr/share/man/man$section"
    gzip -9n <"$page" >"$root/usr/share/man/man$section/$(basename "$page").gz"
    chmod 0644 "$root/usr/share/man/man$section/$(basename "$page").gz"
  done
}
