package classical

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestWithoutOutliers: in airline passengers (R's AirPassengers), one
// month typed eight times too large is the one value replaced, by a value
// near the true one, wherever it is, the last month too; the series as
// published has no outlier, nor a smooth walk, and a series of fewer
// than three seasons is returned as it is.
func TestWithoutOutliers(t *testing.T) {
	air := loadSeries(t, "airpassengers.txt")
	if clean, n := WithoutOutliers(air, 12); n != 0 || &clean[0] != &air[0] {
		t.Errorf("AirPassengers: %d values replaced, want none and the values themselves", n)
	}
	for _, at := range []int{0, 70, len(air) - 1} {
		y := slices.Clone(air)
		y[at] *= 8
		clean, n := WithoutOutliers(y, 12)
		if n != 1 {
			t.Errorf("month %d eight times too large: %d values replaced, want 1", at+1, n)
			continue
		}
		if rel := math.Abs(clean[at]-air[at]) / air[at]; rel > 0.15 {
			t.Errorf("month %d: replaced by %.1f, the true value %v (%.0f %% off)", at+1, clean[at], air[at], 100*rel)
		}
		if y[at] != 8*air[at] {
			t.Errorf("month %d: the values given were changed", at+1)
		}
	}
	if _, n := WithoutOutliers(air[:35], 12); n != 0 {
		t.Errorf("35 values, season 12: %d replaced, want none", n)
	}
	// A walk whose steps persist (an integrated AR(1), φ = 0.9, as an
	// index of production moves) bends at its turns by more than its
	// remainders vary between them: 47 of its 300 values lie beyond the
	// limits, which is no outlier but a decomposition that does not fit.
	rng := rand.New(rand.NewPCG(2, 2))
	walk := make([]float64, 300)
	for i, step, level := 0, 0.0, 100.0; i < len(walk); i++ {
		step = 0.9*step + rng.NormFloat64()
		level += step
		walk[i] = level
	}
	if _, n := WithoutOutliers(walk, 12); n != 0 {
		t.Errorf("a walk of persistent steps: %d values replaced, want none", n)
	}
	// Without a season (m = 1) the trend is a running median of five: a
	// value of annual AirPassengers totals typed a thousand times too large
	// is the one outlier, twenty interquartile ranges out and more.
	totals := make([]float64, len(air)/12)
	for i, v := range air {
		totals[i/12] += v
	}
	totals[5] *= 1000
	if at, _, iqrs := Outliers(totals, 1); len(at) != 1 || at[0] != 5 || iqrs[0] < 20 {
		t.Errorf("yearly totals with the sixth a thousand times too large: outliers at %v, %v interquartile ranges out", at, iqrs)
	}
}

// TestQuantile7 checks quantile7 against R 4's quantile(x, c(.25, .75)):
// 2 and 4 for 1, 2, 3, 4, 10; 1.75 and 6 for 5, 1, 9, 2.
func TestQuantile7(t *testing.T) {
	for _, tt := range []struct {
		x      []float64
		q1, q3 float64
	}{
		{[]float64{1, 2, 3, 4, 10}, 2, 4},
		{[]float64{1, 2, 5, 9}, 1.75, 6},
	} {
		if q1, q3 := quantile7(tt.x, 0.25), quantile7(tt.x, 0.75); q1 != tt.q1 || q3 != tt.q3 {
			t.Errorf("%v: quartiles %v, %v, want %v, %v", tt.x, q1, q3, tt.q1, tt.q3)
		}
	}
}
