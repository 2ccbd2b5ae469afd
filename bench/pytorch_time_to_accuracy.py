#!/usr/bin/env python3
"""PyTorch on one thread, the reference of the time-to-accuracy bench (bench/time-to-accuracy.sh): a
784-256-128-10 MLP (ReLU, softmax cross-entropy, PyTorch's default initialisation), SGD with momentum 0.9,
learning rate 0.05, batch 128, shuffled epochs, on the files bench's SyntheticFiles wrote (train/test .x.f32 and
.y.i32), features standardised with the training split's mean and standard deviation as sparkmlp does by default.

Prints one line per epoch: the training seconds so far (forward, backward and updates only; not loading, not the
test evaluation) and the test accuracy after it; then a JSON line with the last epoch's figures.

    /usr/bin/python3 bench/pytorch_time_to_accuracy.py DIR [epochs=5] [seed=0]

Not run by the build; needs Debian's python3-torch and libopenblas0-pthread.
"""
import json
import sys
import time

import numpy as np
import torch


def load(directory, name):
    y = np.fromfile(f"{directory}/{name}.y.i32", dtype="<i4")
    x = np.fromfile(f"{directory}/{name}.x.f32", dtype="<f4").reshape(len(y), -1)
    return x, y


def main():
    directory = sys.argv[1]
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    torch.set_num_threads(1)
    torch.manual_seed(seed)
    x_train, y_train = load(directory, "train")
    x_test, y_test = load(directory, "test")
    mean = x_train.mean(axis=0)
    std = x_train.std(axis=0, ddof=1)
    std[std == 0] = 1
    x_train = torch.from_numpy((x_train - mean) / std).float()
    x_test = torch.from_numpy((x_test - mean) / std).float()
    y_train = torch.from_numpy(y_train).long()
    y_test = torch.from_numpy(y_test).long()
    classes = int(max(y_train.max(), y_test.max())) + 1
    model = torch.nn.Sequential(torch.nn.Linear(x_train.shape[1], 256), torch.nn.ReLU(),
                                torch.nn.Linear(256, 128), torch.nn.ReLU(), torch.nn.Linear(128, classes))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    loss_fn = torch.nn.CrossEntropyLoss()
    n = x_train.shape[0]
    seconds = 0.0
    accuracy = float("nan")
    for epoch in range(1, epochs + 1):
        order = torch.randperm(n)
        start = time.perf_counter()
        for i in range(0, n, 128):
            idx = order[i:i + 128]
            optimizer.zero_grad()
            loss = loss_fn(model(x_train[idx]), y_train[idx])
            loss.backward()
            optimizer.step()
        seconds += time.perf_counter() - start
        with torch.no_grad():
            accuracy = (model(x_test).argmax(dim=1) == y_test).float().mean().item()
        print(f"pytorch epoch {epoch}: {seconds:.2f} s, test accuracy {accuracy:.4f}", flush=True)
    print(json.dumps({"tool": "pytorch", "epochs": epochs, "train_seconds": round(seconds, 3),
                      "test_accuracy": round(accuracy, 4), "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
