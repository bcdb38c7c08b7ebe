#!/usr/bin/env bash
# The system packages adloop uses: ffmpeg (with libass) to render, espeak-ng for the offline
# voice, tesseract to check captions in tests, fonts, and Chromium for the gallery's browser test.
# Installs only what is missing; uses sudo when not root.
set -euo pipefail
need=()
command -v ffmpeg >/dev/null || need+=(ffmpeg)
command -v espeak-ng >/dev/null || need+=(espeak-ng)
command -v tesseract >/dev/null || need+=(tesseract-ocr)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ] || need+=(fonts-dejavu-core)
if [ "${ADLOOP_BROWSER_TESTS:-1}" = 1 ]; then
  command -v chromium >/dev/null || need+=(chromium)
fi
[ ${#need[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing system packages: ${need[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
