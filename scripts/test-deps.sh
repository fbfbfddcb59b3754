#!/usr/bin/env bash
# Installs what the test suites need, or says exactly what to install: Debian packages (ffmpeg;
# libsrt for the SRT listener, either Debian build: ffmpeg's own dependency brings the GnuTLS one;
# redis-server for the stream directory tests; dpkg-dev and rpm to build the packages, lintian to
# check them; chromium, node and npm for the browser playback tests and the mp4box walk; GStreamer
# for its playback tests; mpv for the join-mode playback tests; iproute2 for the route-quality
# tests that build hosts in network namespaces) and the browser tests' npm modules. Quiet when
# everything is already there. Without root, a missing ffmpeg, libsrt, redis-server, dpkg-dev or
# rpm stops `make test`; missing lintian, browser, GStreamer and mpv prerequisites are only named,
# and those tests skip saying what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
required=()
optional=()
command -v ffmpeg >/dev/null 2>&1 || required+=(ffmpeg)
command -v ffprobe >/dev/null 2>&1 || required+=(ffmpeg)
command -v dpkg-shlibdeps >/dev/null 2>&1 || required+=(dpkg-dev)
# The daemon loads libsrt.so.1.5 (libsrt1.5-openssl, the packages' choice) or libsrt-gnutls.so.1.5.
/sbin/ldconfig -p 2>/dev/null | grep -qE 'libsrt(-gnutls)?\.so\.1\.5 ' || required+=(libsrt1.5-openssl)
command -v rpmbuild >/dev/null 2>&1 || required+=(rpm)
# The stream directory tests start their own redis-server (the package's service is not used).
command -v redis-server >/dev/null 2>&1 || required+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || required+=(redis-tools)
command -v lintian >/dev/null 2>&1 || optional+=(lintian)
# ip and tc come together; as root they are on the PATH, for anyone else they may be in sbin.
command -v tc >/dev/null 2>&1 || [ -x /usr/sbin/tc ] || [ -x /sbin/tc ] || optional+=(iproute2)
# Debian's chromium, never a downloaded one: the browser tests point playwright-core at it.
[ -x /usr/bin/chromium ] || optional+=(chromium fonts-liberation)
command -v node >/dev/null 2>&1 || optional+=(nodejs)
command -v npm >/dev/null 2>&1 || optional+=(npm)
# mpv plays streams joined in each join mode.
command -v mpv >/dev/null 2>&1 || optional+=(mpv)
# GStreamer plays fMP4 HLS in its tests: playbin3's hlsdemux2 and qtdemux (plugins-good), H.264 and
# AAC decoders (libav), checksumsink (plugins-bad).
for element in hlsdemux2 qtdemux avdec_h264 avdec_aac checksumsink; do
  if ! command -v gst-inspect-1.0 >/dev/null 2>&1 || ! gst-inspect-1.0 --exists "$element"; then
    optional+=(gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-libav)
    break
  fi
done
need=("${required[@]}" "${optional[@]}")
if [ ${#need[@]} -gt 0 ]; then
  mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)
  if [ "$(id -u)" -eq 0 ]; then
    echo "installing test prerequisites: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "missing test prerequisites; install them with: sudo apt-get install -y ${need[*]}" >&2
    [ ${#required[@]} -eq 0 ] || exit 1
  fi
fi

# The player libraries the browser test page loads and mp4box.js for the fMP4 walk, exactly as the lock file pins them; installed
# again when the lock file is newer than the install (npm ci writes node_modules/.package-lock.json).
modules=tests/browser
if [ ! -f "$modules/node_modules/.package-lock.json" ] || [ "$modules/package-lock.json" -nt "$modules/node_modules/.package-lock.json" ]; then
  if [ "$(id -u)" -eq 0 ] && command -v npm >/dev/null 2>&1; then
    echo "installing browser test modules: npm ci --prefix $modules"
    npm ci --prefix "$modules" --no-audit --no-fund --loglevel=error >/dev/null
  else
    echo "missing browser test modules; install them with: npm ci --prefix $PWD/$modules" >&2
  fi
fi
