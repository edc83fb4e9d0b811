#!/usr/bin/env bash
# Install the Debian package, use it as a person would, validate its desktop files,
# remove it, and check the system is as it was. Run as root: `make deb-check`.
# Usage: packaging/check_deb.sh dist/photodesk_VERSION_ARCH.deb PYTHON
set -euo pipefail

deb=$1
python=${2:-python3}
here=$(cd "$(dirname "$0")" && pwd)
app_id=org.photodesk.PhotoDesk
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

if dpkg -s photodesk >/dev/null 2>&1; then
    echo "check_deb: photodesk is already installed; remove it first" >&2
    exit 1
fi

# Caches that other packages' triggers rebuild are left out of the comparison.
list_system() {
    find /opt /usr /etc -xdev \
        \( -path /usr/share/applications/mimeinfo.cache \
           -o -path /usr/share/icons/hicolor/icon-theme.cache \) -prune -o -print | sort
}

list_system > "$scratch/before"
dpkg -i "$deb"
echo "installed: $(dpkg-query -W -f='${Package} ${Version} ${Installed-Size} KiB' photodesk)"

test "$(command -v photodesk)" = /usr/bin/photodesk
desktop-file-validate "/usr/share/applications/$app_id.desktop"
grep -q '^Exec=photodesk %F$' "/usr/share/applications/$app_id.desktop"
appstreamcli validate --no-net "/usr/share/metainfo/$app_id.metainfo.xml"
test -f "/usr/share/icons/hicolor/scalable/apps/$app_id.svg"
for size in 16 24 32 48 64 128 256 512; do
    test -f "/usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png"
done
"$python" "$here/smoke.py" /usr/bin/photodesk

dpkg --purge photodesk
list_system > "$scratch/after"
if ! diff -u "$scratch/before" "$scratch/after"; then
    echo "check_deb: installing and removing the package changed the files above" >&2
    exit 1
fi
echo "ok: installed, used, validated, removed; /opt, /usr and /etc are as they were"
