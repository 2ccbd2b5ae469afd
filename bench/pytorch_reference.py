#!/usr/bin/env python3
"""PyTorch CPU reference for the transport benchmark (issue 7): training steps of the same
784-256-128-10 MLP (ReLU, softmax cross-entropy, plain SGD) on the same amount of synthetic data,
in one process, at global batch 128, 1024 and 8192, with 1 thread and with all cores (torch's
intra-op threads and, when it is OpenBLAS, the BLAS threads).

A step is what sparkmlp's step is: forward, loss, backward, SGD update of the 235,146 parameters,
on the next `batch` rows of a shuffled epoch. Prints a Markdown table (median step ms, samples/s).

    /usr/bin/python3 bench/pytorch_reference.py [rows]
    # Debian: apt-get install python3-torch libopenblas0-pthread (without an optimised BLAS,
    # Debian's torch runs its matmuls on the reference BLAS, about 20x slower)

Not run by the build or CI; PyTorch is only needed to reproduce the reference figures.
"""
import ctypes
import os
import statistics
import sys
import time

import torch


def blas_thread_setter():
    """openblas_set_num_threads of the BLAS this process loaded (torch's matmuls), or None."""
    with open("/proc/self/maps") as maps:
        libs = {line.split()[-1] for line in maps if "openblas" in line}
    for lib in sorted(libs):
        try:
            return ctypes.CDLL(lib).openblas_set_num_threads
        except (OSError, AttributeError):
            pass
    return None


def blas_name():
    with open("/proc/self/maps") as maps:
        libs = sorted({line.split()[-1] for line in maps if "blas" in line.split()[-1]})
    return ", ".join(os.path.basename(lib) for lib in libs) or "none found"


def steps_for(batch):
    return 400 if batch <= 128 else 120 if batch <= 1024 else 30


def run(threads, batch, x, y, set_blas_threads):
    torch.set_num_threads(threads)
    if set_blas_threads:
        set_blas_threads(threads)
    torch.manual_seed(1)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 128), torch.nn.ReLU(),
        torch.nn.Linear(128, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = torch.nn.CrossEntropyLoss(reduction="mean")
    rows = x.shape[0]
    steps = steps_for(batch)
    warm = max(5, steps // 4)
    perm = torch.randperm(rows)
    pos = 0
    times = []
    for s in range(warm + steps):
        if pos + batch > rows:
            perm = torch.randperm(rows)
            pos = 0
        idx = perm[pos:pos + batch]
        pos += batch
        t0 = time.perf_counter()
        xb = x.index_select(0, idx)
        yb = y.index_select(0, idx)
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
        if s >= warm:
            times.append((time.perf_counter() - t0) * 1000)
    return times


def main():
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 24_000
    torch.manual_seed(7)
    x = torch.randn(rows, 784)
    y = torch.randint(0, 10, (rows,))
    cores = os.cpu_count()
    with open("/proc/loadavg") as f:
        load = f.read().strip()
    setter = blas_thread_setter()
    print(f"PyTorch {torch.__version__}, BLAS {blas_name()}, 784-256-128-10 (235,146 parameters), {rows:,} rows, "
          f"{cores} cpus, load {load}")
    print("| batch | threads | median step ms | p90 step ms | samples/s |")
    print("|---:|---:|---:|---:|---:|")
    for batch in (128, 1024, 8192):
        for threads in sorted({1, cores}):
            t = run(threads, batch, x, y, setter)
            median = statistics.median(t)
            p90 = sorted(t)[min(len(t) - 1, round(0.9 * (len(t) - 1)))]
            print(f"| {batch} | {threads} | {median:.2f} | {p90:.2f} | {batch / median * 1000:,.0f} |", flush=True)


if __name__ == "__main__":
    main()
