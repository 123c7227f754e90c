#!/usr/bin/env bash
# Regenerates the pictures in docs/ with the app's own --screenshot option (headless), from the
# checkout this script is in. Usage: docs/make_screenshots.sh [FOLDER] (default docs/screenshots).
# Settings are not read or written. PYTHON picks the interpreter (default: python on PATH).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
shots="$(mkdir -p "${1:-$here/screenshots}" && cd "${1:-$here/screenshots}" && pwd)"
export QT_QPA_PLATFORM=offscreen
export PYTHONPATH="$here/..${PYTHONPATH:+:$PYTHONPATH}"
app() { "${PYTHON:-python}" -m gui "$@"; }
app --train-steps 0 --sample 54 --screenshot "$shots/main_0_steps.png"
app --train-steps 500 --sample 54 --screenshot "$shots/main_500_steps.png"
app --train-steps 500 --sample 54 --presentation --screenshot "$shots/presentation.png"
# The screens teachers have (issue 14): projectors at 1024x768, laptops at 150 % (1280x720),
# 13-inch laptops (1366x768), full HD at 125 % (1536x864) and full HD; at the desk and in
# presentation mode. tests/gui/test_screens.py checks the same sizes.
for size in 1024x768 1280x720 1366x768 1536x864 1920x1080; do
  app --train-steps 500 --sample 54 --size "$size" --screenshot "$shots/main_$size.png"
  app --train-steps 500 --sample 54 --size "$size" --presentation \
    --screenshot "$shots/presentation_$size.png"
done
# A HiDPI laptop (scale factor 2): the picture has twice the pixels; the weights stay crisp.
QT_SCALE_FACTOR=2 app --train-steps 500 --sample 54 --size 1280x720 \
  --screenshot "$shots/main_1280x720@2x.png"
app --dataset blobs --learning-rate 1 --train-steps 500 --screenshot "$shots/blobs.png"
app --dataset digits --train-steps 300 --sample 3 --screenshot "$shots/digits.png"
for p in 0.2 0.5 0.9; do
  app --train-steps 300 --sample 33 --threshold "$p" --screenshot "$shots/threshold_p$p.png"
done
# The confusion matrix in front (a tab of the loss panel), the inspector walking true 4 -> 9.
for mode in "" --presentation; do
  "${PYTHON:-python}" "$here/confusion_screenshot.py" \
    "$shots/confusion_matrix${mode:+_presentation}.png" 4,9 --train-steps 300 --sample 54 $mode
done
# The drawing panel with a 7 drawn by mouse events and used as the selected sample (issue 10).
"${PYTHON:-python}" "$here/drawing_screenshots.py" "$shots"
# Codes vs softmax (issue 12): the code model trained beside the run, at the desk (all four
# figures) and on a 1280x720 projector (its two pages).
"${PYTHON:-python}" "$here/codes_screenshots.py" "$shots"
