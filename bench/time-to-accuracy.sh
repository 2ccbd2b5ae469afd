#!/usr/bin/env bash
# Time to accuracy against PyTorch on one thread, same machine, same run, alternating.
#
# 1. Writes a 784-feature, 10-class set of sparkmlp's generator (70,000 rows: about 60,000 train, 10,000 test) to
#    DIR with bench's SyntheticFiles, once (CSV for sparkmlp, float32/int32 for PyTorch: the same rounded values).
# 2. ROUNDS times (default 2), in turn: bench/pytorch_time_to_accuracy.py (784-256-128-10, SGD momentum 0.9,
#    lr 0.05, batch 128, 5 epochs, one thread), then `bin/sparkmlp train` with only the data and model.hidden=256,128
#    (every other key at its default; local[2] as bin/sparkmlp runs by default on this machine).
# 3. Prints each run's training seconds and test accuracy: PyTorch's after 5 epochs; sparkmlp's train_seconds,
#    seconds_to_best (the training time until the weights it keeps) and test accuracy from summary.json.
#
# A DIR that already holds the files is used as it is: bench/fashion-mnist.sh DIR writes Fashion-MNIST there (the
# issue's kind of set: 60,000 real 28×28 images, 10 classes), for a comparison on real data.
#
# Usage: bench/time-to-accuracy.sh [DIR (default bench/target/tta)] [extra sparkmlp KEY=VALUE...]
# Needs /usr/bin/python3 with torch (Debian python3-torch, libopenblas0-pthread). Not run by the build.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:-bench/target/tta}"
shift || true
rounds="${ROUNDS:-2}"
cd "$root"
synthetic=(synthetic.kind=classification synthetic.rows=70000 synthetic.features=784 synthetic.classes=10
  synthetic.informative="${INFORMATIVE:-40}" synthetic.clustersPerClass=2 synthetic.classSep="${CLASS_SEP:-2}" synthetic.seed=13
  data.testFraction=0.142857)
if [[ ! -f "$dir/test.y.i32" ]]; then
  BENCH_HEAP=6g bench/run-kernel-bench.sh --class SyntheticFiles "$dir" "${synthetic[@]}"
fi
export OPENBLAS_NUM_THREADS=1
for r in $(seq 1 "$rounds"); do
  /usr/bin/python3 bench/pytorch_time_to_accuracy.py "$dir" 5 "$r" | tee "$dir/pytorch-$r.txt"
  out="$dir/sparkmlp-$r"
  bin/sparkmlp train data.train="$dir/train.csv" data.test="$dir/test.csv" data.header=true model.hidden=256,128 \
    output.dir="$out" output.overwrite=true "$@" > "$dir/sparkmlp-$r.log" 2>&1
  /usr/bin/python3 -c 'import json, sys; s = json.load(open(sys.argv[1])); print("sparkmlp", json.dumps({k: s[k] for k in
    ("optimizer", "batch_size", "steps", "epochs", "stopped_early", "best_step", "seconds_to_best", "train_seconds",
     "test_accuracy")}))' "$out/summary.json" | tee "$dir/sparkmlp-$r.txt"
done
