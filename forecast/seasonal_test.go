package forecast

import (
	"math"
	"testing"
)

// TestSeasonalMeanDrift: on a season plus a straight line the seasonal
// random walk with drift is exact, from either of the last two seasons, so
// their mean is too, at every step of a horizon longer than a season; the
// seasonal mean without drift falls behind by 1.5 seasons of growth.
func TestSeasonalMeanDrift(t *testing.T) {
	const m, slope = 4, 0.5
	profile := []float64{3, -1, 2, 0}
	y := make([]float64, 40)
	for i := range y {
		y[i] = profile[i%m] + slope*float64(i)
	}
	origins := []int{12, 25, 40}
	h := 6
	got := seasonalMeanModel{m: m, drift: true}.ForecastAt(y, origins, h)
	plain := seasonalMeanModel{m: m}.ForecastAt(y, origins, h)
	for i, o := range origins {
		for k := range h {
			want := profile[(o+k)%m] + slope*float64(o+k)
			if math.Abs(got[i][k]-want) > 1e-12 {
				t.Errorf("origin %d, step %d: %v, want %v", o, k+1, got[i][k], want)
			}
			if k < m {
				if lag := want - plain[i][k]; math.Abs(lag-1.5*m*slope) > 1e-12 {
					t.Errorf("origin %d, step %d: the seasonal mean lags by %v, want %v", o, k+1, lag, 1.5*m*slope)
				}
			}
		}
	}
	// Without a season (m = 1) it is the mean of the naive forecasts with
	// drift from the last two values: exact on a line too.
	line := []float64{1, 3, 5, 7, 9}
	if f := (seasonalMeanModel{m: 1, drift: true}).ForecastAt(line, []int{5}, 2)[0]; f[0] != 11 || f[1] != 13 {
		t.Errorf("m = 1 on 1, 3, …, 9: %v, want [11 13]", f)
	}
	// A history shorter than a season: seasonal naive of what there is,
	// without drift, as the seasonal mean does.
	if f := (seasonalMeanModel{m: 12, drift: true}).ForecastAt([]float64{5, 6, 7}, []int{3}, 2)[0]; f[0] != 5 || f[1] != 6 {
		t.Errorf("3 values, season 12: %v, want [5 6]", f)
	}
}
