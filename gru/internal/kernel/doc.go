// Package kernel holds the numerical kernels of package gru: a small dense
// matrix product with fused multiply-adds, and the elementwise steps of a
// GRU layer forward and backward, with vectorised logistic sigmoid and
// hyperbolic tangent.
//
// Every kernel has a portable Go implementation and, on amd64, assembly
// implementations for AVX-512 and for AVX2 with FMA, chosen at start-up from
// the CPU's features (the purego build tag keeps the Go code only). The
// assembly performs exactly the operations of the Go code, in the same
// order, with the same roundings (the Go code uses math.FMA where the
// assembly fuses), so every backend gives bit-identical results (up to the
// sign and payload of NaNs); the tests check that.
package kernel
