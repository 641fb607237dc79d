#!/usr/bin/env bash
# The Debian/Ubuntu libraries Qt, PortAudio and Xvfb need (see docs/ARCHITECTURE.md), for `make run` and
# `make test`. Only installing a missing one needs root; when all are present this script
# does nothing and needs no root. Where apt-get is absent it names what to install and
# carries on.
set -euo pipefail
PACKAGES=(
  libglib2.0-0 libgl1 libegl1 libfontconfig1 libxkbcommon0 libdbus-1-3   # Qt offscreen
  libpulse0                                                              # QtMultimedia
  libportaudio2                                                          # sounddevice
  xvfb xauth libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4             # Qt on X / Xvfb
  libxcb-keysyms1 libxcb-shape0 fonts-dejavu-core
  espeak-ng sox                                                          # speech test set voices
  pulseaudio pulseaudio-utils libasound2-plugins                         # the real audio stack tests
)
if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: not a Debian/Ubuntu system; make sure Qt 6's and PortAudio's libraries" \
       "are installed (on Debian they are: ${PACKAGES[*]})."
  exit 0
fi
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system-deps: the system libraries are all installed (no root needed)."
  exit 0
fi
echo "system-deps: missing Debian packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "system-deps: installing them needs root. Run as root:" \
         "apt-get install --no-install-recommends ${missing[*]}"
    echo "system-deps: carrying on without them; the app may not start until they are installed."
    exit 0
  fi
  echo "system-deps: installing them needs root; asking sudo (this is the only step that does)."
  SUDO="sudo"
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
