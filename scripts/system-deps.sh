#!/usr/bin/env bash
# Debian/Ubuntu libraries Qt, PortAudio and Xvfb need (see docs/ARCHITECTURE.md). Installs only what
# is missing; does nothing where apt-get is absent or we are not root.
set -euo pipefail
PACKAGES=(
  libglib2.0-0 libgl1 libegl1 libfontconfig1 libxkbcommon0 libdbus-1-3   # Qt offscreen
  libpulse0                                                              # QtMultimedia
  libportaudio2                                                          # sounddevice
  xvfb xauth libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4             # Qt on X / Xvfb
  libxcb-keysyms1 libxcb-shape0 fonts-dejavu-core
)
command -v apt-get >/dev/null 2>&1 || { echo "system-deps: no apt-get; install the Qt and PortAudio libraries yourself"; exit 0; }
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "system-deps: need root to install: ${missing[*]}"; exit 0; }
  SUDO="sudo"
fi
echo "system-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
