// Package gru implements a stacked gated recurrent unit (GRU) network with a
// dense head for direct multi-horizon forecasting, its gradient by
// backpropagation through time, and an Adam trainer, on its own float64
// compute kernels.
//
// # Equations
//
// Per layer and time step, with x_t the layer input and h_{t-1} its state
// (h_0 = 0), the GRU of Cho et al. (2014) in this package's variant:
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
// give bit-identical outputs and gradients (see Parallelism and
// determinism).
//
// # Training
//
// Gradient returns the mean squared error over all outputs of a batch and its
// gradient. Trainer.Step adds optional clipping of the gradient's global L2
// norm and the Adam update of torch.optim.Adam, reusing its buffers from
// step to step: once its buffers fit the batch shape, a step allocates
// nothing.
//
// # Kernels
//
// The matrix products run on the kernels of gru/internal/kernel: a product
// C = C0 + A·B whose micro-kernel keeps a 4 × 24 block of C (4 × 12 with
// AVX2) in vector registers and adds one rank-1 update per term with fused
// multiply-adds, over column panels of B small enough to stay in the L1
// cache. To give it unit-stride rows of B, the forward pass uses transposed
// copies of W, U and W_out, refreshed at every pass; the backward pass reads
// U and W as stored, and the weight gradients read the gate gradients
// transposed through strides. The elementwise steps are vectorised too: one
// pass per time step computes the gates' activations, the candidate and the
// new states of a chunk's sequences, and one pass per state the gate
// gradients of backpropagation.
//
// Backend reports the kernels in use: AVX-512 or AVX2 with FMA assembly on
// amd64, chosen at start-up from the CPU's features, or portable Go (on other
// architectures, on older CPUs, and under the purego build tag). The
// assembly performs exactly the operations of the Go code, in the same order
// and with the same roundings (math.FMA where it fuses), so all backends give
// bit-identical results (NaNs aside); the tests check it.
//
// # Activations
//
// σ and tanh are not math.Exp and math.Tanh but vectorisable versions of the
// same algorithms: e^x by reduction to r = x − n ln 2, |r| ≤ ln2/2, a
// degree-13 Taylor polynomial and a scaling by 2^n through the exponent bits,
// within 2 ulp of math.Exp for |x| ≤ 708 (arguments beyond are clamped to
// ±708, which saturates σ and tanh); σ(x) = 1/(1 + e^−x) within 3 ulp; tanh
// by the rational approximation of math.Tanh for |x| ≤ 0.625 and
// 1 − 2/(e^2|x| + 1) beyond, within 3 ulp of math.Tanh. (The bounds are the
// worst errors measured against math.Exp and math.Tanh, themselves within
// one ulp, over 600,000 arguments per function.)
//
// # Parallelism and determinism
//
// A batch is split into chunks of about 8 consecutive sequences (at least
// two chunks from 8 sequences on), a split that depends on the batch size
// only. The forward and backward passes of each chunk are one task; the
// weight gradients, sums over the whole batch, are computed after them by
// tasks that each own some rows of a gradient matrix and sum over all the
// batch's rows in their order; the Adam update is split into blocks of
// parameters. Tasks run on up to GOMAXPROCS goroutines, the caller's and
// the package's helpers (one fewer than the CPUs). No value is ever summed
// across tasks, so every output is computed by the same operations in the
// same order whatever the split, the number of goroutines or the kernel
// backend: results are bit-identical for any GOMAXPROCS.
//
// # Errors
//
// Programmer errors panic with a message starting "gru: ": slices of the
// wrong length, a non-positive batch or step count, CopyFrom between models
// of different configs. Conditions of data return errors: an invalid Config,
// weights of inconsistent shapes (FromWeights), or a truncated or foreign
// binary encoding (UnmarshalBinary).
package gru
