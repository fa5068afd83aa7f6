// Package gru implements a stacked gated recurrent unit (GRU) network with a
// dense head for direct multi-horizon forecasting, its gradient by
// backpropagation through time, and an Adam trainer, on gonum's BLAS.
//
// # Equations
//
// Per layer and time step, with x_t the layer input and h_{t-1} its state
// (h_0 = 0), the GRU of Cho et al. (2014) as fixed in DESIGN.md §1:
//
//	r_t = σ(W_r x_t + U_r h_{t-1} + b_r)               reset gate
//	h̃_t = tanh(W_h x_t + r_t ⊙ (U_h h_{t-1}) + b_h)    candidate
//	z_t = σ(W_z x_t + U_z h_{t-1} + b_z)               update gate
//	h_t = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t
//
// Layer k > 0 reads the state sequence of layer k−1. The head maps the top
// layer's last state to the Outputs forecasts: y = W_out h_T + b_out.
//
// # Variant
//
// This differs from torch.nn.GRU in two ways: z_t weights the new candidate
// (PyTorch: h = (1 − z) n + z h_prev), and there is a single bias b_h outside
// the reset product (PyTorch adds b_hn inside it). The model equals
// torch.nn.GRU with the z rows of weight_ih, weight_hh and bias_ih negated
// (1 − σ(a) = σ(−a)) and bias_hh zero; the reference test uses that mapping.
//
// # Shapes and layouts
//
// With H = Hidden and in = Inputs for the bottom layer, H above it, the
// matrices W_r, W_z, W_h are H×in, U_r, U_z, U_h are H×H, the biases have H
// values, W_out is Outputs×H and b_out has Outputs values. Matrices are
// row-major.
//
// A batch of sequences is one slice, batch-major: feature f of step t of
// sequence b is x[(b*steps+t)*Inputs+f]. Outputs and targets are
// y[b*Outputs+k]. Inputs are never modified.
//
// # Parameter order
//
// Params returns every parameter in one flat slice, and gradients use the
// same layout. For each layer, bottom first: W_r, W_z, W_h (together one
// 3H×in matrix), U_r, U_z, U_h (one 3H×H matrix), b_r, b_z, b_h; then W_out,
// then b_out.
//
// # Initialization
//
// New follows PyTorch's scheme: every GRU weight and bias is drawn from
// U(−1/√H, 1/√H), and the head's W_out and b_out from U(−1/√fan_in, 1/√fan_in)
// with fan_in = H. The draws come, in parameter order, from math/rand/v2's
// PCG seeded with (seed, seed), so a config and seed fix the parameters bit
// for bit. Computations are deterministic too: the same parameters and input
// give bit-identical outputs and gradients.
//
// # Training
//
// Gradient returns the mean squared error over all outputs of a batch and its
// gradient. Trainer.Step adds optional clipping of the gradient's global L2
// norm and the Adam update of torch.optim.Adam, reusing its buffers from
// step to step.
//
// # Errors
//
// Programmer errors panic with a message starting "gru: ": slices of the
// wrong length, a non-positive batch or step count, CopyFrom between models
// of different configs. Conditions of data return errors: an invalid Config,
// weights of inconsistent shapes (FromWeights), or a truncated or foreign
// binary encoding (UnmarshalBinary).
package gru
