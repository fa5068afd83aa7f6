package classical

import (
	"math"
	"slices"
)

// WithoutOutliers returns x with its outliers for a season of m steps
// replaced, and how many it replaced. The decomposition is a robust one:
// the trend is the running median of one season (m values, m+1 for even
// m, held flat over the half season at either end), the seasonal figure
// of each position of the season the median of the detrended values at
// it; both are of the logarithms of a series above 0, whose season grows
// with its level as often as not. An outlier is a value whose remainder
// lies more than three interquartile ranges beyond the quartiles of all
// remainders (the limits of R forecast's tsoutliers); it is replaced by
// its trend plus its seasonal figure. Medians let one wild value (a typing
// error, a day's spike) stand out instead of spreading into its
// neighbours' trend and its position's figure as decompose's means do. x
// is returned as it is where m < 2, where it holds fewer than three
// seasons, where its remainders have no spread, or where more than one
// value in twenty lies beyond the limits: outliers are rare, and so many
// say that the decomposition does not describe the series (a smooth one,
// an index of production, bends at its turns by more than its remainders
// vary elsewhere).
func WithoutOutliers(x []float64, m int) ([]float64, int) {
	n := len(x)
	if m < 2 || n < 3*m {
		return x, 0
	}
	y, logs := x, allPositive(x)
	if logs {
		y = make([]float64, n)
		for t, v := range x {
			y[t] = math.Log(v)
		}
	}
	width := m | 1 // an odd window: m, or m+1 for even m
	half := width / 2
	trend := make([]float64, n)
	window := make([]float64, width)
	for t := half; t < n-half; t++ {
		copy(window, y[t-half:t+half+1])
		trend[t] = median(window)
	}
	for t := range half {
		trend[t], trend[n-1-t] = trend[half], trend[n-1-half]
	}
	figure := make([]float64, m)
	for p := range m {
		var at []float64
		for t := p; t < n; t += m {
			at = append(at, y[t]-trend[t])
		}
		figure[p] = median(at)
	}
	remainder := make([]float64, n)
	for t := range y {
		remainder[t] = y[t] - trend[t] - figure[t%m]
	}
	sorted := slices.Clone(remainder)
	slices.Sort(sorted)
	q1, q3 := quantile7(sorted, 0.25), quantile7(sorted, 0.75)
	iqr := q3 - q1
	if !(iqr > 1e-14) {
		return x, 0
	}
	low, high := q1-3*iqr, q3+3*iqr
	var clean []float64
	replaced := 0
	for t, r := range remainder {
		if r >= low && r <= high {
			continue
		}
		if clean == nil {
			clean = slices.Clone(x)
		}
		clean[t] = trend[t] + figure[t%m]
		if logs {
			clean[t] = math.Exp(clean[t])
		}
		replaced++
	}
	if replaced == 0 || replaced > n/20 {
		return x, 0
	}
	return clean, replaced
}

// median returns the median of v, which it reorders.
func median(v []float64) float64 {
	slices.Sort(v)
	k := len(v) / 2
	if len(v)%2 == 1 {
		return v[k]
	}
	return (v[k-1] + v[k]) / 2
}

// quantile7 returns the p-quantile of sorted as R's quantile(type = 7),
// its default: linear interpolation between the order statistics at
// 1 + (n−1)·p.
func quantile7(sorted []float64, p float64) float64 {
	h := float64(len(sorted)-1) * p
	lo := math.Floor(h)
	i := int(lo)
	if i+1 >= len(sorted) {
		return sorted[i]
	}
	return sorted[i] + (h-lo)*(sorted[i+1]-sorted[i])
}
