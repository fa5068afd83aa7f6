package classical

import "math"

// decomposeSeasonal returns the m seasonal figures of R's
// decompose(x, type): a centred moving average of order m (2×m for even m)
// as trend, x−trend (additive) or x/trend (multiplicative) averaged over
// the cycles, then normalised to sum 0 (additive) or to mean 1
// (multiplicative). Figure i belongs to positions t ≡ i (mod m), counted
// from x[0]. It needs len(x) ≥ 2m.
func decomposeSeasonal(x []float64, m int, multiplicative bool) []float64 {
	n := len(x)
	weights := trendWeights(m)
	half := len(weights) / 2
	sums := make([]float64, m)
	counts := make([]float64, m)
	for t := half; t < n-half; t++ {
		trend := 0.0
		for j, w := range weights {
			trend += w * x[t-half+j]
		}
		detrended := x[t] - trend
		if multiplicative {
			detrended = x[t] / trend
		}
		sums[t%m] += detrended
		counts[t%m]++
	}
	figure := make([]float64, m)
	mean := 0.0
	for i := range figure {
		figure[i] = sums[i] / counts[i]
		mean += figure[i]
	}
	mean /= float64(m)
	for i := range figure {
		if multiplicative {
			figure[i] /= mean
		} else {
			figure[i] -= mean
		}
	}
	return figure
}

// trendWeights returns the weights of decompose's centred moving average
// of order m: m weights 1/m for odd m, and 2×m (m+1 weights, the two
// outer ones halved) for even m.
func trendWeights(m int) []float64 {
	weights := make([]float64, 0, m+1)
	if m%2 == 0 {
		weights = append(weights, 0.5/float64(m))
		for i := 1; i < m; i++ {
			weights = append(weights, 1/float64(m))
		}
		weights = append(weights, 0.5/float64(m))
	} else {
		for i := 0; i < m; i++ {
			weights = append(weights, 1/float64(m))
		}
	}
	return weights
}

// acf returns the sample autocorrelations r_1…r_maxLag of x as R's acf:
// r_k = Σ_{t<n−k}(x_t−x̄)(x_{t+k}−x̄) / Σ(x_t−x̄)².
func acf(x []float64, maxLag int) []float64 {
	n := len(x)
	mean := 0.0
	for _, v := range x {
		mean += v
	}
	mean /= float64(n)
	c0 := 0.0
	for _, v := range x {
		c0 += (v - mean) * (v - mean)
	}
	r := make([]float64, maxLag)
	for k := 1; k <= maxLag; k++ {
		ck := 0.0
		for t := 0; t+k < n; t++ {
			ck += (x[t] - mean) * (x[t+k] - mean)
		}
		r[k-1] = ck / c0
	}
	return r
}

// lineFit returns the least-squares intercept and slope of x on the
// abscissae first, first+1, … .
func lineFit(x []float64, first float64) (intercept, slope float64) {
	n := float64(len(x))
	meanT := first + (n-1)/2
	meanX := 0.0
	for _, v := range x {
		meanX += v
	}
	meanX /= n
	sxy, sxx := 0.0, 0.0
	for i, v := range x {
		dt := first + float64(i) - meanT
		sxy += dt * (v - meanX)
		sxx += dt * dt
	}
	if sxx == 0 {
		return meanX, 0
	}
	slope = sxy / sxx
	return meanX - slope*meanT, slope
}

// isConstant reports whether all values of x are equal.
func isConstant(x []float64) bool {
	for _, v := range x {
		if v != x[0] {
			return false
		}
	}
	return true
}

// allPositive reports whether every value of x is > 0.
func allPositive(x []float64) bool {
	for _, v := range x {
		if !(v > 0) {
			return false
		}
	}
	return true
}

// allFinite reports whether every value of x is finite.
func allFinite(x []float64) bool {
	for _, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}
