#!/usr/bin/env bash
# A 3-run sweep against the same 3 runs as separate train commands, alternately (A B A B ...), whole-process wall
# and CPU (user + system) seconds from /usr/bin/time; and one train command that stops after one step: what every
# process pays before training (JVM, Spark, data generation, split, standardisation, caching).
#
#   bench/sweep-vs-separate.sh [ROUNDS] [KEY=VALUE ...]     (default 3 rounds; extra keys go to every command)
#
# Prints each round, then the medians and the ratios of the medians. CPU seconds move less than wall seconds when
# other jobs load the machine.
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

# timed LOG CMD...: runs CMD, its output to $OUT/LOG.log; appends "wall cpu" to $OUT/LOG.times
timed() {
  local log="$1"; shift
  /usr/bin/time -f '%e %U %S' -o "$OUT/time" "$@" > "$OUT/$log.log" 2>&1
  awk '{printf "%.2f %.2f\n", $1, $2 + $3}' "$OUT/time" >> "$OUT/$log.times"
}
sweep() { timed sweep "$ROOT/bin/sparkmlp" sweep "$CONF" output.dir="$OUT/sweep" output.overwrite=true; }
separate() {
  : > "$OUT/train.times"
  for r in "${RATES[@]}"; do
    timed train "$ROOT/bin/sparkmlp" train "${BASE[@]}" train.learningRate="$r" output.dir="$OUT/train-$r" \
      output.overwrite=true
  done
  awk '{w += $1; c += $2} END {printf "%.2f %.2f\n", w, c}' "$OUT/train.times" >> "$OUT/separate.times"
}
onestep() { timed one "$ROOT/bin/sparkmlp" train "${BASE[@]}" train.maxSteps=1 output.dir="$OUT/one" output.overwrite=true; }
"$ROOT/bin/sparkmlp" --version > /dev/null   # builds when needed, outside the timings

for ((i = 1; i <= ROUNDS; i++)); do
  sweep; separate; onestep
  printf 'round %d: wall/cpu s: sweep %s, 3 separate %s, one-step train %s (load %s)\n' "$i" \
    "$(tail -1 "$OUT/sweep.times" | tr ' ' /)" "$(tail -1 "$OUT/separate.times" | tr ' ' /)" \
    "$(tail -1 "$OUT/one.times" | tr ' ' /)" "$(cut -d' ' -f1-3 /proc/loadavg)"
done
median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
for col in 1 2; do
  what=$([[ $col == 1 ]] && echo wall || echo cpu)
  a=$(cut -d' ' -f$col "$OUT/sweep.times" | median); b=$(cut -d' ' -f$col "$OUT/separate.times" | median)
  c=$(cut -d' ' -f$col "$OUT/one.times" | median)
  printf 'median %s s: sweep %.1f, 3 separate train commands %.1f (separate/sweep %.2f), one-step train %.1f\n' \
    "$what" "$a" "$b" "$(echo "$b / $a" | bc -l)" "$c"
done
