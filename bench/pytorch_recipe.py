#!/usr/bin/env python3
"""PyTorch CPU reference for issue 14: one whole training run with the recipe of a `bin/sparkmlp train` run,
timed the way sparkmlp's `train_seconds` is timed, so that samples/s compare run against run.

The recipe: 784-256-128-10 MLP (ReLU, softmax cross-entropy), SGD with momentum 0.9 (PyTorch's rule, which is
sparkmlp's), learning rate 0.01, `--steps` steps of `--batch` rows over `--train-rows` synthetic rows (each epoch a
fresh permutation, the batches of an epoch taken in turn, wrapping at the epoch's end as sparkmlp's samplers do),
and `--validations` validation passes (forward, loss and accuracy over `--validation-rows` rows, no gradient)
spread evenly over the run, the last after the last step, as `train.evalEvery` spreads them.

Timed: from the first step's start to the end of the last step or validation pass, as `train_seconds` counts
from the training loop's start to its end (sparkmlp's time also holds its own start-up: the first step's stage
launch). The data is made and held in memory before the clock starts (sparkmlp's data is cached before it).

    /usr/bin/python3 bench/pytorch_recipe.py --batch 128 --steps 2109 --train-rows 53842 --validation-rows 6158 \\
        --validations 10 [--threads 1]

Prints one JSON object: train_seconds, samples_per_second, steps, batch, threads, median_step_ms, torch, blas.
Debian: apt-get install python3-torch libopenblas0-pthread. Not run by the build.
"""
import argparse
import json
import statistics
import time

import torch

from pytorch_reference import blas_name, blas_thread_setter  # same directory


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, required=True)
    ap.add_argument("--steps", type=int, required=True)
    ap.add_argument("--train-rows", type=int, default=53842)
    ap.add_argument("--validation-rows", type=int, default=6158)
    ap.add_argument("--validations", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--momentum", type=float, default=0.9)
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    setter = blas_thread_setter()
    if setter:
        setter(a.threads)
    torch.manual_seed(7)
    x = torch.randn(a.train_rows, 784)
    y = torch.randint(0, 10, (a.train_rows,))
    vx = torch.randn(a.validation_rows, 784)
    vy = torch.randint(0, 10, (a.validation_rows,))
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 128), torch.nn.ReLU(),
        torch.nn.Linear(128, 10))
    opt = torch.optim.SGD(model.parameters(), lr=a.lr, momentum=a.momentum)
    loss_fn = torch.nn.CrossEntropyLoss(reduction="mean")
    every = max(1, -(-a.steps // a.validations)) if a.validations > 0 else 0

    def validate():
        with torch.no_grad():
            out = model(vx)
            loss = loss_fn(out, vy).item()
            accuracy = (out.argmax(1) == vy).float().mean().item()
        return loss, accuracy

    perm = torch.randperm(a.train_rows)
    pos = 0
    steps_ms = []
    passes = 0
    start = time.perf_counter()
    for s in range(a.steps):
        t0 = time.perf_counter()
        if pos + a.batch > a.train_rows:
            perm = torch.randperm(a.train_rows)
            pos = 0
        idx = perm[pos:pos + a.batch]
        pos += a.batch
        xb = x.index_select(0, idx)
        yb = y.index_select(0, idx)
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
        loss.item()  # sparkmlp's step ends with the loss on the driver
        steps_ms.append((time.perf_counter() - t0) * 1000)
        if every and ((s + 1) % every == 0 or s + 1 == a.steps):
            validate()
            passes += 1
    seconds = time.perf_counter() - start
    print(json.dumps({
        "train_seconds": seconds,
        "samples_per_second": a.steps * a.batch / seconds,
        "steps": a.steps,
        "batch": a.batch,
        "threads": a.threads,
        "validation_passes": passes,
        "median_step_ms": statistics.median(steps_ms),
        "torch": torch.__version__,
        "blas": blas_name(),
    }))


if __name__ == "__main__":
    main()
