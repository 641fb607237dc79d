#!/usr/bin/env bash
# Build the Linux app: dist/Rehearse/ (one folder) and dist/Rehearse-<version>-linux-x86_64.tar.xz.
# Needs .venv (make install or make test); installs PyInstaller (the `package` extra) into it.
# Usage: packaging/build.sh      (or: make package)
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PY:-.venv/bin/python}"
[ -x "$PY" ] || { echo "build.sh: $PY not found; run 'make install' first" >&2; exit 1; }
export PIP_DISABLE_PIP_VERSION_CHECK=1

# PyInstaller needs binutils on Linux (objcopy, readelf, strip); a fresh Debian lacks them.
if ! command -v objcopy >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq binutils
    else
        echo "build.sh: install binutils (objcopy, readelf, strip) first" >&2; exit 1
    fi
fi

if ! command -v xz >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq xz-utils
    else
        echo "build.sh: install xz (xz-utils) first" >&2; exit 1
    fi
fi

"$PY" -c 'import PyInstaller' 2>/dev/null || "$PY" -m pip install -q -e ".[package]"
version="$("$PY" -c 'import backend; print(backend.__version__)')"
arch="$(uname -m)"
archive="dist/Rehearse-${version}-linux-${arch}.tar.xz"

start=$(date +%s)
rm -rf dist/Rehearse "$archive" dist/Rehearse-*-linux-*.tar.gz
"$PY" -m PyInstaller --noconfirm --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/rehearse.spec
# Debug symbols only (strip -S), only on files where it pays: ctranslate2's extension
# drops from 68 MB to 1.7 MB, libpython from 23 to 6.5 MB. Never auditwheel's vendored
# *.libs folders: their patched ELF headers break when stripped ("not page-aligned").
if command -v strip >/dev/null 2>&1; then
    find dist/Rehearse -type f \( -name '*.so' -o -name '*.so.*' \) -size +1M \
        -not -path '*.libs/*' -print0 | xargs -0 -r strip -S
fi
# The desktop entry, its icon and the script that installs them sit beside the executable.
cp packaging/rehearse.desktop packaging/linux/install-desktop-entry.sh dist/Rehearse/
cp assets/icons/rehearse-256.png dist/Rehearse/rehearse.png
cp LICENSE dist/Rehearse/ 2>/dev/null || true
built=$(date +%s)

# xz: 321 MB against gzip -9's 370 MB for the same folder (measured here), which keeps the
# download under 350 MB with the models; about 3 minutes on 2 cores.
tar -C dist -cf - Rehearse | xz -T0 -6 > "$archive"
done_at=$(date +%s)

folder_mb=$(du -sm dist/Rehearse | cut -f1)
archive_bytes=$(stat -c %s "$archive")
echo "build.sh: dist/Rehearse/ ${folder_mb} MB, built in $((built - start)) s"
echo "build.sh: ${archive} $((archive_bytes / 1024 / 1024)) MB (${archive_bytes} bytes), compressed in $((done_at - built)) s"
