#!/usr/bin/env bash
# Regenerates the pictures in docs/ with the app's own --screenshot option (headless).
# Run from anywhere after `python -m pip install -e .`; settings are not read or written.
set -euo pipefail
cd "$(dirname "$0")"
export QT_QPA_PLATFORM=offscreen
shots=screenshots
mkdir -p "$shots"
softmax-lab --train-steps 0 --sample 54 --screenshot "$shots/main_0_steps.png"
softmax-lab --train-steps 500 --sample 54 --screenshot "$shots/main_500_steps.png"
softmax-lab --train-steps 500 --sample 54 --presentation --screenshot "$shots/presentation.png"
# The screens teachers have: a laptop at 150 % (1280x720) and a full-HD projector.
for size in 1280x720 1920x1080; do
  softmax-lab --train-steps 500 --sample 54 --size "$size" --screenshot "$shots/main_$size.png"
  softmax-lab --train-steps 500 --sample 54 --size "$size" --presentation \
    --screenshot "$shots/presentation_$size.png"
done
softmax-lab --dataset blobs --learning-rate 1 --train-steps 500 --screenshot "$shots/blobs.png"
softmax-lab --dataset digits --train-steps 300 --sample 3 --screenshot "$shots/digits.png"
for p in 0.2 0.5 0.9; do
  softmax-lab --train-steps 300 --sample 33 --threshold "$p" --screenshot "$shots/threshold_p$p.png"
done
