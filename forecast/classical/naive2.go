package classical

// Naive2 writes into dst the M4 competition's Naive2 forecast of the
// len(dst) steps after y, the benchmark its OWA is relative to: the
// naive forecast of y seasonally adjusted, seasoned again. y is adjusted
// by the seasonal indices of a classical multiplicative decomposition
// (R's decompose) where its season of m steps passes the M4 benchmarks'
// SeasonalityTest: at least 3m values and the lag-m autocorrelation's
// 90 % test of thetaf (see FitTheta). A series not all positive has no
// multiplicative season and is forecast by naive, as is one whose
// index falls below 1e-4.
func Naive2(dst, y []float64, m int) {
	n := len(y)
	last := y[n-1]
	var index []float64
	if m > 1 && n >= 3*m && !isConstant(y) && allPositive(y) && acfSeasonal(y, m) {
		index = decomposeSeasonal(y, m, true)
		for _, v := range index {
			if !(v >= 1e-4) {
				index = nil
				break
			}
		}
	}
	if index != nil {
		last /= index[(n-1)%m]
	}
	for k := range dst {
		dst[k] = last
		if index != nil {
			dst[k] *= index[(n+k)%m]
		}
	}
}
