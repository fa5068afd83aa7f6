#!/usr/bin/env python3
"""Recompute a forecast from a forecast-gru-json/1 export alone (DESIGN.md §4).

An implementation of the GRU of DESIGN.md §1 in numpy that shares nothing with
the Go code, used to check that an export reproduces the forecasts `forecast
fit` stored:

    forecast models export NAME -o model.json
    python3 testdata/export/recompute.py model.json DATA.csv

It prints one forecast value per line, full precision. The CSV's column named
by the export's first input feature is read as plain text (numpy only).
"""
import csv
import json
import sys

import numpy as np


def sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def main(export_path, csv_path):
    with open(export_path) as f:
        e = json.load(f)
    assert e["format"] == "forecast-gru-json/1", e["format"]
    target = e["input_features"][0]
    with open(csv_path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    y = np.array([float(r[target]) for r in rows[-e["lookback"]:]])
    mean, std = e["scaler"]["mean"][0], e["scaler"]["std"][0]
    seq = ((y - mean) / std)[:, None]  # (L, 1)
    for layer in e["layers"]:
        W = {k: np.array(v) for k, v in layer.items()}
        h = np.zeros(len(W["b_r"]))
        out = []
        for x in seq:
            r = sigmoid(W["W_r"] @ x + W["U_r"] @ h + W["b_r"])
            cand = np.tanh(W["W_h"] @ x + r * (W["U_h"] @ h) + W["b_h"])
            z = sigmoid(W["W_z"] @ x + W["U_z"] @ h + W["b_z"])
            h = (1 - z) * h + z * cand
            out.append(h)
        seq = np.array(out)
    pred = np.array(e["W_out"]) @ seq[-1] + np.array(e["b_out"])
    for v in pred * std + mean:
        print(repr(float(v)))


if __name__ == "__main__":
    main(*sys.argv[1:3])
