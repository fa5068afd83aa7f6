#!/usr/bin/env python3
"""Recompute a forecast from a forecast-gru-json/1 export alone (package forecast, Export layout).

An implementation of the GRU of package gru (doc.go) in numpy that shares nothing with
the Go code, used to check that an export reproduces the GRU's forecasts
`forecast fit` stored (those of a version whose method is gru; the classical
parts of a combination are not computed here):

    forecast models export NAME -o model.json
    python3 testdata/export/recompute.py model.json DATA.csv [TIME_COLUMN]

It prints one forecast value per line, full precision. The CSV's columns named
by the export's input features are read as plain text (numpy only); calendar
features ("cal:...") are computed from TIME_COLUMN, read with
datetime.fromisoformat.
"""
import csv
import json
import math
import sys
from datetime import datetime

import numpy as np


def sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def calendar(name, t):
    cycle, fn = name[len("cal:"):].rsplit("_", 1)
    pos, period = {
        "hour": (t.hour + t.minute / 60 + t.second / 3600, 24),
        "weekday": ((t.weekday() + 1) % 7, 7),  # Sunday = 0
        "yearday": (t.timetuple().tm_yday - 1, 365.25),
        "month": (t.month - 1, 12),
    }[cycle]
    return (math.sin if fn == "sin" else math.cos)(2 * math.pi * pos / period)


def main(export_path, csv_path, time_col=None):
    with open(export_path) as f:
        e = json.load(f)
    assert e["format"] == "forecast-gru-json/1", e["format"]
    with open(csv_path, newline="", encoding="utf-8-sig") as f:
        every = list(csv.DictReader(f))
    rows = every[-e["lookback"]:]
    # A series never below zero has its forecasts floored at zero.
    floor = all(float(r[e["input_features"][0]]) >= 0 for r in every)
    mean, std = np.array(e["scaler"]["mean"]), np.array(e["scaler"]["std"])
    x = np.zeros((len(rows), len(e["input_features"])))
    for i, r in enumerate(rows):
        for j, feat in enumerate(e["input_features"]):
            if feat.startswith("cal:"):
                x[i, j] = calendar(feat, datetime.fromisoformat(r[time_col]))
            else:
                x[i, j] = float(r[feat])
    log = e["scaler"]["kind"] == "log-zscore"
    if log:
        x[:, 0] = np.log(x[:, 0])
    seq = (x - mean) / std
    # The inputs lose the window's level; each output step is relative to the
    # level, or under "season" to the value one season before.
    norm = e.get("window_norm", "none")
    level = {"none": 0.0, "last": seq[-1, 0], "mean": seq[:, 0].mean(), "season": seq[-1, 0]}[norm]
    off = np.full(e["horizon"], level)
    if norm == "season":
        m = e["season"]
        off = np.array([seq[len(seq) - m + k % m, 0] for k in range(e["horizon"])])
    seq[:, 0] -= level
    # An ensemble's output is the mean of its members' outputs.
    members = e.get("ensemble") or [e]
    pred = sum(network(m, seq) for m in members) / len(members) + off
    out = pred * std[0] + mean[0]
    for v in np.exp(out) if log else out:
        print(repr(max(float(v), 0.0) if floor else float(v)))


def network(weights, seq):
    for layer in weights["layers"]:
        W = {k: np.array(v) for k, v in layer.items()}
        h = np.zeros(len(W["b_r"]))
        out = []
        for xt in seq:
            r = sigmoid(W["W_r"] @ xt + W["U_r"] @ h + W["b_r"])
            cand = np.tanh(W["W_h"] @ xt + r * (W["U_h"] @ h) + W["b_h"])
            z = sigmoid(W["W_z"] @ xt + W["U_z"] @ h + W["b_z"])
            h = (1 - z) * h + z * cand
            out.append(h)
        seq = np.array(out)
    return np.array(weights["W_out"]) @ seq[-1] + np.array(weights["b_out"])


if __name__ == "__main__":
    main(*sys.argv[1:4])
