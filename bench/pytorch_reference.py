"""The same models and settings as tbtrain, in a plain PyTorch script with a standard DataLoader:
the reference our trainers' throughput is compared against.

    python pytorch_reference.py cnn  --cifar DIR [--epochs N] [--threads T]
    python pytorch_reference.py lstm --mnist DIR [--hidden 128] ...
Prints one JSON line: examples per second, seconds per epoch, test accuracy.
"""
import argparse
import glob
import gzip
import json
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def load_cifar(d):
    def part(prefix):
        xs, ys = [], []
        for p in sorted(glob.glob(os.path.join(d, prefix + "*.bin*"))):
            raw = np.frombuffer(read(p), np.uint8).reshape(-1, 3073)
            ys.append(raw[:, 0].astype(np.int64))
            xs.append(raw[:, 1:].reshape(-1, 3, 32, 32))
        return np.concatenate(xs), np.concatenate(ys)
    return part("data_batch_"), part("test_batch")


def load_mnist(d):
    def part(prefix):
        img = np.frombuffer(read(glob.glob(os.path.join(d, prefix + "-images-idx3-ubyte*"))[0]), np.uint8)
        lab = np.frombuffer(read(glob.glob(os.path.join(d, prefix + "-labels-idx1-ubyte*"))[0]), np.uint8)
        return img[16:].reshape(-1, 1, 28, 28), lab[8:].astype(np.int64)
    return part("train"), part("t10k")


class LeNet5(nn.Module):
    def __init__(self, channels, size):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, 6, 5, padding=2 if size == 28 else 0)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1, self.fc2, self.fc3 = nn.Linear(400, 120), nn.Linear(120, 84), nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(torch.tanh(self.conv1(x)), 2)
        x = F.max_pool2d(torch.tanh(self.conv2(x)), 2)
        x = torch.tanh(self.fc1(x.flatten(1)))
        return self.fc3(torch.tanh(self.fc2(x)))


class Recurrent(nn.Module):
    def __init__(self, cell, hidden):
        super().__init__()
        self.rnn = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}[cell](28, hidden, batch_first=True)
        self.out = nn.Linear(hidden, 10)

    def forward(self, x):
        y, _ = self.rnn(x.squeeze(1))
        return self.out(y[:, -1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model", choices=["cnn", "lstm", "gru", "rnn"])
    ap.add_argument("--cifar")
    ap.add_argument("--mnist")
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--train-limit", type=int, default=0)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    (xtr, ytr), (xte, yte) = load_cifar(args.cifar) if args.model == "cnn" else load_mnist(args.mnist)
    if args.train_limit:
        xtr, ytr = xtr[:args.train_limit], ytr[:args.train_limit]
    xtr = torch.tensor(xtr, dtype=torch.float32) / 255
    xte = torch.tensor(xte, dtype=torch.float32) / 255
    mean, std = xtr.mean((0, 2, 3), keepdim=True), xtr.std((0, 2, 3), keepdim=True)
    xtr, xte = (xtr - mean) / std, (xte - mean) / std
    model = LeNet5(xtr.shape[1], xtr.shape[2]) if args.model == "cnn" else Recurrent(args.model, args.hidden)
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    loader = DataLoader(TensorDataset(xtr, torch.tensor(ytr)), batch_size=args.batch_size, shuffle=True)
    start = time.perf_counter()
    for _ in range(args.epochs):
        for xb, yb in loader:
            opt.zero_grad()
            loss = F.cross_entropy(model(xb), yb)
            loss.backward()
            if args.model != "cnn":
                nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
    seconds = time.perf_counter() - start
    with torch.no_grad():
        acc = (model(xte).argmax(1) == torch.tensor(yte)).float().mean().item()
    print(json.dumps({"trainer": "pytorch-python", "model": args.model, "epochs": args.epochs,
                      "examples_per_second": round(len(ytr) * args.epochs / seconds),
                      "seconds_per_epoch": round(seconds / args.epochs, 2),
                      "test_accuracy": round(acc, 4), "threads": args.threads}))


if __name__ == "__main__":
    main()
