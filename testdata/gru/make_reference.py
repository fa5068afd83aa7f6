#!/usr/bin/env python3
"""Writes reference.json: outputs, loss and gradients of a small stacked GRU
computed with PyTorch, for TestReferencePyTorch in gru/.

Run from this directory with:  /usr/bin/python3 make_reference.py

The GRU of package gru (its doc.go) is torch.nn.GRU with these parameters (torch gate row
order r, z, n):

    weight_ih = [W_r; -W_z; W_h]   weight_hh = [U_r; -U_z; U_h]
    bias_ih   = [b_r; -b_z; b_h]   bias_hh   = 0

Zero bias_hh keeps b_h outside the reset gate (torch computes
n = tanh(W_in x + b_in + r*(W_hn h + b_hn))). Negating the z rows turns torch's
update gate z into 1 - z' with z' = σ(W_z x + U_z h + b_z), because
1 - σ(a) = σ(-a); torch's h = (1 - z) n + z h_prev is then ours,
h = (1 - z') h_prev + z' h̃. Gradients are mapped back the same way (the z
rows negated, the bias_hh gradients dropped since we have no such parameter).
"""

import json
import platform

import torch

INPUTS, HIDDEN, LAYERS, OUTPUTS = 3, 4, 2, 2
BATCH, STEPS = 3, 5

torch.set_default_dtype(torch.float64)
gen = torch.Generator().manual_seed(20240611)


def uniform(*shape, bound=0.5):
    return (torch.rand(*shape, generator=gen) * 2 - 1) * bound


# Our-layout weights, bottom layer first.
ours = []
for k in range(LAYERS):
    n_in = INPUTS if k == 0 else HIDDEN
    ours.append({
        "W": [uniform(HIDDEN, n_in) for _ in "rzh"],
        "U": [uniform(HIDDEN, HIDDEN) for _ in "rzh"],
        "b": [uniform(HIDDEN) for _ in "rzh"],
    })
w_out = uniform(OUTPUTS, HIDDEN)
b_out = uniform(OUTPUTS)

gru = torch.nn.GRU(INPUTS, HIDDEN, num_layers=LAYERS, batch_first=True)
head = torch.nn.Linear(HIDDEN, OUTPUTS)
with torch.no_grad():
    for k, p in enumerate(ours):
        (wr, wz, wh), (ur, uz, uh), (br, bz, bh) = p["W"], p["U"], p["b"]
        getattr(gru, f"weight_ih_l{k}").copy_(torch.cat([wr, -wz, wh]))
        getattr(gru, f"weight_hh_l{k}").copy_(torch.cat([ur, -uz, uh]))
        getattr(gru, f"bias_ih_l{k}").copy_(torch.cat([br, -bz, bh]))
        getattr(gru, f"bias_hh_l{k}").zero_()
    head.weight.copy_(w_out)
    head.bias.copy_(b_out)

x = torch.randn(BATCH, STEPS, INPUTS, generator=gen).requires_grad_()
y = torch.randn(BATCH, OUTPUTS, generator=gen)

seq, _ = gru(x)
out = head(seq[:, -1, :])
loss = torch.nn.functional.mse_loss(out, y)
loss.backward()


def rows(t):
    return t.detach().tolist()


def split(t, negate_z):
    r, z, h = t.detach().chunk(3)
    return r, (-z if negate_z else z), h


def layer_json(w_ih, w_hh, b_ih):
    wr, wz, wh = split(w_ih, True)
    ur, uz, uh = split(w_hh, True)
    br, bz, bh = split(b_ih, True)
    return {"W_r": rows(wr), "W_z": rows(wz), "W_h": rows(wh),
            "U_r": rows(ur), "U_z": rows(uz), "U_h": rows(uh),
            "b_r": rows(br), "b_z": rows(bz), "b_h": rows(bh)}


def weights_json(grad):
    get = (lambda p: p.grad) if grad else (lambda p: p)
    return {
        "layers": [layer_json(get(getattr(gru, f"weight_ih_l{k}")),
                              get(getattr(gru, f"weight_hh_l{k}")),
                              get(getattr(gru, f"bias_ih_l{k}")))
                   for k in range(LAYERS)],
        "W_out": rows(get(head.weight)),
        "b_out": rows(get(head.bias)),
    }


ref = {
    "tool": "torch.nn.GRU + torch.nn.Linear, float64, testdata/gru/make_reference.py",
    "torch_version": torch.__version__,
    "python_version": platform.python_version(),
    "batch": BATCH,
    "steps": STEPS,
    "weights": weights_json(grad=False),
    "x": x.detach().flatten().tolist(),
    "y": y.flatten().tolist(),
    "output": out.detach().flatten().tolist(),
    "loss": loss.item(),
    "grad": weights_json(grad=True),
    "dx": x.grad.flatten().tolist(),
}
with open("reference.json", "w") as f:
    json.dump(ref, f, indent=1)
    f.write("\n")
