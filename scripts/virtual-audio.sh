#!/usr/bin/env bash
# A real audio stack with no sound card: a private PulseAudio server with a null sink
# ("Rehearse test speakers", whose monitor records what is played) and a pipe-source
# microphone ("Rehearse test microphone", fed by writing s16le mono 16 kHz to a FIFO).
# Used by tests/desktop/test_real_audio.py; by hand:
#
#   eval "$(scripts/virtual-audio.sh start /tmp/rehearse-audio)"   # sets PULSE_SERVER, ...
#   scripts/virtual-audio.sh stop /tmp/rehearse-audio
#
# `start` prints shell assignments: PULSE_SERVER, REHEARSE_TEST_MIC_FIFO, REHEARSE_TEST_MIC,
# REHEARSE_TEST_SPEAKERS and REHEARSE_TEST_AUDIO_PID. It exits non-zero, with the reason on
# stderr, where PulseAudio is not installed or cannot start (the tests then skip, saying so).
# Debian packages: pulseaudio pulseaudio-utils (scripts/system-deps.sh installs them).
set -euo pipefail

cmd="${1:-}"
dir="${2:-}"
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi
dir="$(mkdir -p "$dir" && cd "$dir" && pwd)"
MIC=rehearse_test_mic
SPEAKERS=rehearse_test_speakers

stop() {
  if [ -f "$dir/pulse.pid" ]; then
    pid="$(cat "$dir/pulse.pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$dir/pulse.pid"
  fi
}

case "$cmd" in
  stop)
    stop
    exit 0
    ;;
  start) ;;
  *)
    echo "unknown command $cmd (start or stop)" >&2
    exit 2
    ;;
esac

for tool in pulseaudio pactl; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "virtual-audio: $tool is not installed (Debian: pulseaudio pulseaudio-utils)" >&2
    exit 1
  fi
done
stop
mkdir -p "$dir/runtime" "$dir/home" "$dir/state"
rm -f "$dir/mic.fifo" "$dir/native"
cat > "$dir/server.pa" <<EOF
load-module module-native-protocol-unix socket=$dir/native auth-anonymous=1
load-module module-null-sink sink_name=$SPEAKERS rate=22050 channels=1 sink_properties="device.description='Rehearse test speakers'"
load-module module-pipe-source source_name=$MIC file=$dir/mic.fifo format=s16le rate=16000 channels=1 source_properties="device.description='Rehearse test microphone'"
set-default-sink $SPEAKERS
set-default-source $MIC
EOF
# A private server: its own runtime, state and home folders, no autospawn, never exits
# on its own; as root it runs in user mode all the same (it warns; --system is not wanted).
HOME="$dir/home" XDG_RUNTIME_DIR="$dir/runtime" PULSE_RUNTIME_PATH="$dir/runtime" \
PULSE_STATE_PATH="$dir/state" \
  setsid pulseaudio -n -F "$dir/server.pa" --daemonize=no --exit-idle-time=-1 \
    --use-pid-file=no --disallow-exit --disable-shm=yes --log-target=file:"$dir/pulse.log" \
    </dev/null >/dev/null 2>&1 &
echo $! > "$dir/pulse.pid"
export PULSE_SERVER="unix:$dir/native"
for _ in $(seq 100); do
  if pactl info >/dev/null 2>&1; then
    break
  fi
  if ! kill -0 "$(cat "$dir/pulse.pid")" 2>/dev/null; then
    echo "virtual-audio: PulseAudio exited at start: $(tail -n 3 "$dir/pulse.log" 2>/dev/null | tr '\n' ' ')" >&2
    rm -f "$dir/pulse.pid"
    exit 1
  fi
  sleep 0.1
done
if ! pactl info >/dev/null 2>&1; then
  echo "virtual-audio: PulseAudio did not answer within 10 s: $(tail -n 3 "$dir/pulse.log" 2>/dev/null | tr '\n' ' ')" >&2
  stop
  exit 1
fi
echo "PULSE_SERVER=unix:$dir/native"
echo "REHEARSE_TEST_MIC_FIFO=$dir/mic.fifo"
echo "REHEARSE_TEST_MIC=$MIC"
echo "REHEARSE_TEST_SPEAKERS=$SPEAKERS"
echo "REHEARSE_TEST_AUDIO_PID=$(cat "$dir/pulse.pid")"
