package gru

import "github.com/forecast-dev/forecast/gru/internal/kernel"

// SetKernelLevel lets the external tests compare the kernel levels.
func SetKernelLevel(l kernel.Level) kernel.Level { return kernel.SetLevel(l) }
