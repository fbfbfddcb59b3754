#!/usr/bin/env bash
# Builds artifacts/packages/appliance_VERSION_ARCH.deb from the Native AOT binaries in
# artifacts/bin, with dpkg-deb alone: the binaries are already built, so no source package,
# debhelper or build dependencies are involved. RID (linux-x64, linux-arm64) picks the
# architecture; MAINTAINER overrides the Maintainer field.
set -euo pipefail
cd "$(dirname "$0")/../.."
source packaging/common.sh

case "$rid" in
  linux-x64) arch=amd64 ;;
  linux-arm64) arch=arm64 ;;
  *) echo "no Debian architecture for RID $rid" >&2; exit 1 ;;
esac
require_tools dpkg-deb=dpkg dpkg-shlibdeps=dpkg-dev
require_binaries

maintainer=${MAINTAINER:-Appliance maintainers <maintainers@appliance.example>}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# dpkg-shlibdeps wants the debian/ layout of a source package: debian/control, debian/PACKAGE.
root=$work/debian/appliance
stage "$root" /usr/lib/systemd/system

doc=$root/usr/share/doc/appliance
install -d "$doc"
{ cat packaging/deb/copyright.in; sed -e '1,2d' -e 's/^$/./' -e 's/^/ /' LICENSE; } >"$doc/copyright"
# A native package's changelog is changelog.gz. The project's history is its git log; this
# names the version so `apt changelog` and lintian find one.
{
  printf 'appliance (%s) unstable; urgency=medium\n\n' "$version"
  printf '  * Appliance %s, built from the Native AOT binaries (%s).\n\n' "$version" "$rid"
  printf ' -- %s  %s\n' "$maintainer" "$(date -u -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n >"$doc/changelog.gz"
chmod 0644 "$doc/copyright" "$doc/changelog.gz"

install -d -m 0755 "$root/DEBIAN"
printf 'Source: appliance\n\nPackage: appliance\nArchitecture: any\n' >"$work/debian/control"
shlibs=$(cd "$work" && dpkg-shlibdeps -O "${programs[@]/#/debian/appliance/usr/bin/}")
shlibs=${shlibs#shlibs:Depends=}
[ -n "$shlibs" ] || { echo "dpkg-shlibdeps found no dependencies" >&2; exit 1; }
# control.in adds what dpkg-shlibdeps cannot see: libssl3, which .NET's crypto loads at run time
# (RTMP digest handshake, token signatures, https callbacks), libsrt (either Debian build; the daemon
# loads it at run time for its SRT listener), and adduser for postinst.

install -m 0755 packaging/deb/postinst packaging/deb/prerm packaging/deb/postrm "$root/DEBIAN/"
(cd "$root" && find etc -type f | sort | sed 's:^:/:') >"$root/DEBIAN/conffiles"
(cd "$root" && find usr -type f | sort | xargs md5sum) >"$root/DEBIAN/md5sums"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@INSTALLED_SIZE@/$size/" \
  -e "s/@SHLIBS_DEPENDS@/$shlibs/" -e "s|@MAINTAINER@|$maintainer|" \
  packaging/deb/control.in >"$root/DEBIAN/control"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/conffiles" "$root/DEBIAN/md5sums"

find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
mkdir -p "$out"
rm -f "$out"/appliance_*.deb  # one package per kind, so the tests cannot pick an old one
deb=$out/appliance_${version}_${arch}.deb
# --root-owner-group: every file root:root without fakeroot; the service account is made by postinst.
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "built $deb"
