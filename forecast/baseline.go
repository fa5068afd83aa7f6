package forecast

import "github.com/forecast-dev/forecast/forecast/classical"

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

// Naive2 writes into dst the M4 competition's Naive2 forecast of the
// steps after origin with season m (see classical.Naive2): naive on the
// values seasonally adjusted where they have a season.
func Naive2(dst, y []float64, origin, m int) {
	classical.Naive2(dst, y[:origin], m)
}

// Drift writes into dst the drift forecast of the steps after origin: the
// last value plus the average change over the history y[0:origin], the line
// through the first and the last observation extended (step k, 1-based, is
// y[origin−1] + k·(y[origin−1] − y[0]) / (origin − 1)). With a single value
// of history it is the naive forecast.
func Drift(dst, y []float64, origin int) {
	last := y[origin-1]
	var slope float64
	if origin > 1 {
		slope = (last - y[0]) / float64(origin-1)
	}
	for k := range dst {
		dst[k] = last + float64(k+1)*slope
	}
}
