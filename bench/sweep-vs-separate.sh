#!/usr/bin/env bash
# A 3-run sweep against the same 3 runs as separate train commands, alternately (A B A B ...), whole-process wall
# seconds; and one train command that stops after one step (what every process pays before training: JVM, Spark,
# data generation, split, standardisation, caching).
#
#   bench/sweep-vs-separate.sh [ROUNDS] [KEY=VALUE ...]     (default 3 rounds; extra keys go to every command)
#
# Prints each round's seconds, then the medians and the ratio of the medians.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS="${1:-3}"
shift || true
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
BASE=(data.format=synthetic synthetic.rows=2000000 synthetic.features=50 synthetic.informative=10 synthetic.classes=4
      data.partitions=2 model.hidden=64 train.optimizer=adam train.batchSize=256 train.maxSteps=300
      train.evalEvery=100 spark.master=local[2] "$@")
RATES=(0.01 0.003 0.001)
CONF="$OUT/sweep.properties"
printf '%s\n' "${BASE[@]}" > "$CONF"
echo "sweep.train.learningRate=$(IFS='|'; echo "${RATES[*]}")" >> "$CONF"

now() { date +%s.%N; }
sweep() { "$ROOT/bin/sparkmlp" sweep "$CONF" output.dir="$OUT/sweep" output.overwrite=true > "$OUT/sweep.log" 2>&1; }
separate() {
  for r in "${RATES[@]}"; do
    "$ROOT/bin/sparkmlp" train "${BASE[@]}" train.learningRate="$r" output.dir="$OUT/train-$r" output.overwrite=true \
      > "$OUT/train.log" 2>&1
  done
}
onestep() {
  "$ROOT/bin/sparkmlp" train "${BASE[@]}" train.maxSteps=1 output.dir="$OUT/one" output.overwrite=true > "$OUT/one.log" 2>&1
}
"$ROOT/bin/sparkmlp" --version > /dev/null   # builds when needed, outside the timings

declare -a A B C
for ((i = 0; i < ROUNDS; i++)); do
  t0=$(now); sweep; t1=$(now); separate; t2=$(now); onestep; t3=$(now)
  A+=("$(echo "$t1 - $t0" | bc)"); B+=("$(echo "$t2 - $t1" | bc)"); C+=("$(echo "$t3 - $t2" | bc)")
  printf 'round %d: sweep %.1f s, separate %.1f s, one-step train %.1f s (load %s)\n' "$((i + 1))" "${A[i]}" "${B[i]}" \
    "${C[i]}" "$(cut -d' ' -f1-3 /proc/loadavg)"
done
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
ma=$(median "${A[@]}"); mb=$(median "${B[@]}"); mc=$(median "${C[@]}")
printf 'median: sweep %.1f s, 3 separate train commands %.1f s (separate/sweep %.2f), one-step train %.1f s\n' \
  "$ma" "$mb" "$(echo "$mb / $ma" | bc -l)" "$mc"
