#!/usr/bin/env bash
# The whole model pipeline, from the task suite to verified ONNX files in the model folder:
#   task JSONL (npm run tasks) -> train.py -> export.py -> quantize.py -> npm run verify-onnx
# Arguments go to train.py:
#   training/run_all.sh                 # CPU default (~60-75 min on 2 idle cores)
#   training/run_all.sh --gpu           # on a CUDA machine (~5.5 min on an H200)
#   RUN=/tmp/runs/tiny MODEL=/tmp/models/tiny training/run_all.sh --tiny   # smoke test, seconds
# Existing JSONL in training/data/ is reused (the splits are deterministic); delete it to regenerate.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-/usr/bin/python3}               # Debian's python3 with python3-torch and python3-onnx
RUN=${RUN:-training/runs/main}           # checkpoint, logs, verify.json (git-ignored)
MODEL=${MODEL:-public/models/tiny-dllm}  # model folder the app loads (onnx/, config.json)

mkdir -p training/data
for split in train validation test; do
  n=2000
  [ "$split" = train ] && n=200000
  [ -s "training/data/$split.jsonl" ] || npx tsx src/cli/tasks.ts --split "$split" --n "$n" --out "training/data/$split.jsonl"
done

"$PY" training/train.py --out "$RUN" "$@"
"$PY" training/export.py --ckpt "$RUN" --out "$MODEL"
"$PY" training/quantize.py --model_dir "$MODEL" --logits   # q4 and q8, and the q4 debug graph with logits
npm run verify-onnx -- "$MODEL" "$RUN/verify.json" --json "$RUN/verify-report.json"
rm -f "$MODEL/onnx/model_logits.onnx"   # the fp32 debug graph: checked above, not shipped (12 MB)
# Fast-dLLM's KV cache (spec §7): the block-start and window graphs, fp32 and q4, and PyTorch's cached generation of
# 20 test prompts (training/verify-kv.json, which tests/runtime/kv-cache.test.ts replays); the fp32 pair is checked,
# then not shipped (2 x 12 MB): the app's q4 variant lists the q4 pair.
"$PY" training/kv.py --model_dir "$MODEL"
npm run verify-kv -- "$MODEL" training/verify-kv.json
rm -f "$MODEL/onnx/model_kv.onnx" "$MODEL/onnx/model_window.onnx"
npm run manifest -- "$MODEL"
