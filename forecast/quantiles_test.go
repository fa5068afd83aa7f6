package forecast

import (
	"math"
	"slices"
	"testing"
)

// TestLocalQuantilesRelative: a series that grows 8 % a step, a
// hundredfold, has naive errors a hundred times larger at its end than at
// its start. Pooled, they gave an interval at the end too narrow to hold
// the next value; taken relative to the forecasts, as of every series
// above 0, the 80 % interval holds it. A series with a value at or below
// 0 keeps absolute errors.
func TestLocalQuantilesRelative(t *testing.T) {
	y := make([]float64, 61)
	for i := range y {
		y[i] = 10 * math.Pow(1.08, float64(i)) * (1 + 0.01*float64(i%3))
	}
	naive := seasonalNaiveModel{m: 1}
	q := localQuantiles(naive, y[:60], 1, []float64{0.8}, 1)
	if !q.relative {
		t.Fatal("a series above 0: absolute errors")
	}
	pts := localPoints(naive, y, []int{60}, 1, []float64{0.8}, q)[0]
	if iv := pts[0].Intervals[0]; !(iv.Lower <= y[60] && y[60] <= iv.Upper) {
		t.Errorf("the 80 %% interval [%g, %g] does not hold the next value %g", iv.Lower, iv.Upper, y[60])
	}
	// The same errors on the original scale: the interval misses it.
	abs := errorQuantiles{q: q.q}
	for k := range abs.q[0] {
		var errs []float64
		for o := 1; o < 60; o++ {
			errs = append(errs, math.Abs(y[o]-y[o-1]))
		}
		abs.q[0][k] = conformalQuantileSorted(errs, 0.8)
	}
	if iv := localPoints(naive, y, []int{60}, 1, []float64{0.8}, abs)[0][0].Intervals[0]; iv.Upper >= y[60] {
		t.Errorf("absolute errors: [%g, %g] holds %g, so the series tests nothing", iv.Lower, iv.Upper, y[60])
	}
	y[5] = 0
	if q := localQuantiles(naive, y[:60], 1, []float64{0.8}, 1); q.relative {
		t.Error("a series with a 0: relative errors")
	}
}

// conformalQuantileSorted is conformalQuantile of unsorted errors.
func conformalQuantileSorted(e []float64, a float64) float64 {
	s := slices.Clone(e)
	slices.Sort(s)
	return conformalQuantile(s, a)
}
