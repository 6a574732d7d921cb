#!/usr/bin/env python3
"""Writes the TorchScript modules the --model-file tests train and refuse, with Debian's
python3-torch (1.13, the version libtorch-dev loads).
Usage: make_script_modules.py OUTDIR"""
import os
import sys

import torch
from torch import nn


class SmallConvNet(nn.Module):
    """conv - batch norm - relu - pool, twice, then a linear layer: buffers (batch-norm running
    statistics) and dropout exercise what train()/eval() and checkpoints must carry."""

    def __init__(self, channels: int = 1, classes: int = 10):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, 8, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
        self.drop = nn.Dropout(0.1)
        self.fc = nn.Linear(16 * 7 * 7, classes)

    @torch.jit.export
    def features(self, x):
        x = torch.max_pool2d(torch.relu(self.bn1(self.conv1(x))), 2)
        x = torch.max_pool2d(torch.relu(self.conv2(x)), 2)
        return x.flatten(1)

    def forward(self, x):
        return self.fc(self.drop(self.features(x)))


class Mlp(nn.Module):
    """No conv layer and no features(): no filter grid, occlusion or PROJECTOR is expected."""

    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(28 * 28, 32)
        self.out = nn.Linear(32, 10)

    def forward(self, x):
        return self.out(torch.tanh(self.hidden(x.flatten(1))))


class TupleOutput(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(28 * 28, 10)

    def forward(self, x):
        y = self.fc(x.flatten(1))
        return y, y


class IntegerOutput(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(28 * 28, 10)

    def forward(self, x):
        return self.fc(x.flatten(1)).argmax(1, keepdim=True).expand(-1, 10)


class NoParameters(nn.Module):
    def forward(self, x):
        return x.flatten(1)[:, :10]


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    save = lambda module, name: torch.jit.script(module).save(os.path.join(out, name))
    save(SmallConvNet(), "convnet.pt")
    save(Mlp(), "mlp.pt")
    save(SmallConvNet(classes=5), "five_classes.pt")
    save(SmallConvNet(channels=3), "three_channels.pt")
    save(TupleOutput(), "tuple_output.pt")
    save(IntegerOutput(), "integer_output.pt")
    save(NoParameters(), "no_parameters.pt")
    torch.save(SmallConvNet().state_dict(), os.path.join(out, "state_dict.pt"))  # not TorchScript
    with open(os.path.join(out, "garbage.pt"), "wb") as f:
        f.write(bytes(range(256)) * 64)


if __name__ == "__main__":
    main()
