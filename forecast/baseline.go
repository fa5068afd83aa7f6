package forecast

// Naive writes into dst the naive forecast of the h steps after origin: the
// last observed value y[origin−1] repeated.
func Naive(dst, y []float64, origin int) {
	for k := range dst {
		dst[k] = y[origin-1]
	}
}

// SeasonalNaive writes into dst the seasonal naive forecast of the steps
// after origin with season m: step k (0-based) repeats y[origin − m + k mod m],
// the value one season before in the last observed season. It needs
// origin ≥ m.
func SeasonalNaive(dst, y []float64, origin, m int) {
	for k := range dst {
		dst[k] = y[origin-m+k%m]
	}
}
