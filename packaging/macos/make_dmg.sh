#!/usr/bin/env bash
# Wrap dist/Rehearse.app (built by pyinstaller packaging/rehearse.spec on macOS) in a
# compressed disk image with an Applications shortcut: dist/Rehearse-<version>-macos-<arch>.dmg.
# The app is signed ad hoc only; without a Developer ID and notarisation, users open it the
# first time with right-click > Open.
set -euo pipefail
cd "$(dirname "$0")/../.."
version="${1:?usage: make_dmg.sh VERSION}"
app="dist/Rehearse.app"
[ -d "$app" ] || { echo "make_dmg.sh: $app not found; build it first" >&2; exit 1; }
codesign --force --deep --sign - "$app"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
cp -R "$app" "$stage/"
ln -s /Applications "$stage/Applications"
dmg="dist/Rehearse-${version}-macos-$(uname -m).dmg"
rm -f "$dmg"
hdiutil create -volname "Rehearse" -srcfolder "$stage" -fs HFS+ -format UDZO -ov "$dmg"
echo "make_dmg.sh: $dmg ($(du -h "$dmg" | cut -f1))"
