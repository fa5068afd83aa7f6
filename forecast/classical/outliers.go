package classical

import (
	"math"
	"slices"
)

// WithoutOutliers returns x with its outliers for a season of m steps
// (see Outliers) replaced by the values its trend and season give there,
// and how many it replaced; x itself where there are none.
func WithoutOutliers(x []float64, m int) ([]float64, int) {
	at, expected, _ := Outliers(x, m)
	if len(at) == 0 {
		return x, 0
	}
	clean := slices.Clone(x)
	for k, t := range at {
		clean[t] = expected[k]
	}
	return clean, len(at)
}

// Outliers returns the positions of the outliers of x for a season of m
// steps (without a season for m < 2), in order, the values its trend and
// season give there, and how far each lies beyond the quartiles of the
// remainders, in interquartile ranges (3 at least). The decomposition is a robust one: the trend is the running
// median of one season (m values, m+1 for even m; 5 without a season),
// held flat over the half window at either end, the seasonal figure of
// each position of the season the median of the detrended values at it;
// both are of the logarithms of a series above 0, whose season grows with
// its level as often as not. An outlier is a value whose remainder lies
// more than three interquartile ranges beyond the quartiles of all
// remainders (the limits of R forecast's tsoutliers). Medians let one wild
// value (a typing error, a day's spike) stand out instead of spreading
// into its neighbours' trend and its position's figure as decompose's
// means do. There are none where x holds fewer than three seasons (or ten
// values), where its remainders have no spread, or where more than one
// value in twenty (one in a short series) lies beyond the limits:
// outliers are rare, and so many
// say that the decomposition does not describe the series (a smooth one,
// an index of production, bends at its turns by more than its remainders
// vary elsewhere).
func Outliers(x []float64, m int) (at []int, expected, iqrs []float64) {
	n := len(x)
	width := 5
	if m >= 2 {
		width = m | 1 // an odd window: m, or m+1 for even m
	} else {
		m = 1
	}
	if n < 3*m || n < 2*width {
		return nil, nil, nil
	}
	y, logs := x, allPositive(x)
	if logs {
		y = make([]float64, n)
		for t, v := range x {
			y[t] = math.Log(v)
		}
	}
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
		var detrended []float64
		for t := p; t < n; t += m {
			detrended = append(detrended, y[t]-trend[t])
		}
		figure[p] = median(detrended)
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
		return nil, nil, nil
	}
	low, high := q1-3*iqr, q3+3*iqr
	for t, r := range remainder {
		if r >= low && r <= high {
			continue
		}
		v := trend[t] + figure[t%m]
		if logs {
			v = math.Exp(v)
		}
		at, expected = append(at, t), append(expected, v)
		iqrs = append(iqrs, max(low-r, r-high)/iqr+3)
	}
	if len(at) > max(n/20, 1) {
		return nil, nil, nil
	}
	return at, expected, iqrs
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
