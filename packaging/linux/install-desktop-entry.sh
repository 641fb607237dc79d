#!/usr/bin/env bash
# Add Rehearse to your desktop's application menu (for this user only; no root needed).
# Run it from the unpacked Rehearse folder:  ./install-desktop-entry.sh
# Undo:  rm ~/.local/share/applications/rehearse.desktop ~/.local/share/icons/hicolor/256x256/apps/rehearse.png
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/256x256/apps"
mkdir -p "$apps" "$icons"
cp "$here/rehearse.png" "$icons/rehearse.png"
sed "s|^Exec=.*|Exec=\"$here/Rehearse\"|" "$here/rehearse.desktop" > "$apps/rehearse.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$apps" || true
echo "Rehearse is now in your application menu ($apps/rehearse.desktop)."
