#!/usr/bin/env bash
# Builds artifacts/packages/appliance-VERSION-1.ARCH.rpm from the Native AOT binaries in
# artifacts/bin with rpmbuild (Debian's `rpm` package is enough). RID (linux-x64, linux-arm64)
# picks the architecture.
set -euo pipefail
cd "$(dirname "$0")/../.."
source packaging/common.sh

case "$rid" in
  linux-x64) arch=x86_64 ;;
  linux-arm64) arch=aarch64 ;;
  *) echo "no RPM architecture for RID $rid" >&2; exit 1 ;;
esac
require_tools rpmbuild=rpm
require_binaries

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
staged=$work/staged
stage "$staged" /usr/lib/systemd/system
install -d -m 0750 "$staged/var/log/appliance"
install -D -m 0644 LICENSE "$staged/usr/share/licenses/appliance/LICENSE"

# rpmbuild writes RPMS/ARCH/NAME.rpm below _topdir; everything else stays in the temp dir.
rpmbuild -bb --quiet --target "$arch" \
  --define "_topdir $work/rpmbuild" \
  --define "appliance_version $version" \
  --define "staged $staged" \
  --define "use_source_date_epoch_as_buildtime 1" \
  --define "clamp_mtime_to_source_date_epoch 1" \
  packaging/rpm/appliance.spec >/dev/null
mkdir -p "$out"
rm -f "$out"/appliance-*.rpm  # one package per kind, so the tests cannot pick an old one
rpm=$out/appliance-$version-1.$arch.rpm
mv "$work/rpmbuild/RPMS/$arch/appliance-$version-1.$arch.rpm" "$rpm"
echo "built $rpm"
