#!/bin/bash
# The learned filters the bundled model ships (issue 20), from collection to dllm.json, as run for this commit.
# Collection: train prompts 0-159 at genLength 128 and 160-199 at genLength 256 (blocks 32 and 64), each with and
# without EoTP (one reference decode for both); block 128: train prompts 0-159 at genLength 128; block 256: train
# prompts 0-59 at genLength 256. `training/filters.sh collect 128` or `training/filters.sh train 128 slot` redoes one step.
# Two collections at a time on a 2-core machine: LEARN2PD_ORT_THREADS=1 gives each one core (src/runtime/node.ts).
# Then train-filter per block length and filter name (core/filter-variants.ts) and pick-filter on validation runs.
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL=public/models/tiny-dllm
OUT=training/traj/v2
mkdir -p "$OUT"
export LEARN2PD_ORT_THREADS=${LEARN2PD_ORT_THREADS:-1}
collect() { # block
  local b=$1
  if [ "$b" -le 128 ]; then
    npm run -s collect -- --model $MODEL --split train --limit 160 --gen-length 128 --block-length "$b" \
      --out "$OUT/b$b-g128.jsonl" --eotp-out "$OUT/b$b-g128-eotp.jsonl"
    [ "$b" -le 64 ] || return 0
    npm run -s collect -- --model $MODEL --split train --offset 160 --limit 40 --gen-length 256 --block-length "$b" \
      --out "$OUT/b$b-g256.jsonl" --eotp-out "$OUT/b$b-g256-eotp.jsonl"
  else
    npm run -s collect -- --model $MODEL --split train --limit 60 --gen-length 256 --block-length "$b" \
      --out "$OUT/b$b-g256.jsonl" --eotp-out "$OUT/b$b-g256-eotp.jsonl"
  fi
}
train() { # block filter
  local b=$1 f=$2 trajs=() stem=$2 tau=0.9
  for t in g128 g256 g128-eotp g256-eotp; do [ -f "$OUT/b$b-$t.jsonl" ] && trajs+=(--traj "$OUT/b$b-$t.jsonl"); done
  if [ "$f" = paper ]; then stem=filter; tau=0.96; fi # the paper's tauFilter, its file name as before
  npm run -s train-filter -- "${trajs[@]}" --model $MODEL --filter "$f" --tau-filter $tau --report "docs/filter/${stem}_b$b.json"
}
all() {
  collect 32 & (collect 64; collect 128; collect 256) & wait
  # The paper's filter at block 32 stays the one trained before (docs/filter/filter_b32.json, tauFilter 0.96).
  for b in 32 64 128 256; do for f in slot slot-conf; do train "$b" "$f"; done; done
  for b in 64 128 256; do train "$b" paper; done
}
case "${1:-all}" in
  collect) collect "$2" ;;
  train) train "$2" "$3" ;;
  all) all ;;
  *) echo "usage: training/filters.sh [all | collect <block> | train <block> <filter>]" >&2; exit 2 ;;
esac
