package gru

import "github.com/forecast-dev/forecast/gru/internal/kernel"

// Backend describes the compute kernels in use, such as "go+avx512
// float64": portable Go, or Go with the AVX2 or AVX-512 assembly kernels
// chosen at start-up from the CPU's features. The purego build tag keeps the
// portable kernels only. Every backend gives bit-identical results.
func Backend() string { return kernel.Backend() }
