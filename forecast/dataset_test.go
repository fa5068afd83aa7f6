package forecast

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/gru"
	"github.com/forecast-dev/forecast/ingest"
)

func TestLayoutFill(t *testing.T) {
	feats := []float64{1, 10, 2, 20, 3, 30, 4, 40, 5, 50, 6, 60} // 6 steps × 2 features
	z := []float64{1, 2, 3, 4, 5, 6}
	for _, tt := range []struct {
		norm  WindowNorm
		level float64
		off   []float64
	}{
		{NormNone, 0, []float64{0, 0, 0}},
		{NormLast, 3, []float64{3, 3, 3}},
		{NormMean, 2, []float64{2, 2, 2}},
		// Season 2: the outputs are relative to z[1], z[2], z[1].
		{NormSeason, 3, []float64{2, 3, 2}},
	} {
		l := layout{L: 3, H: 3, F: 2, norm: tt.norm, season: 2}
		x, tg, off := make([]float64, 6), make([]float64, 3), make([]float64, 3)
		l.fill(x, tg, off, feats, z, 0)
		// The target feature loses the level, the covariate keeps its values.
		want := []float64{1 - tt.level, 10, 2 - tt.level, 20, 3 - tt.level, 30}
		wantT := []float64{4 - tt.off[0], 5 - tt.off[1], 6 - tt.off[2]}
		if !equal(x, want) || !equal(off, tt.off) || !equal(tg, wantT) {
			t.Errorf("%s: inputs %v offsets %v targets %v, want %v, %v, %v", tt.norm, x, off, tg, want, tt.off, wantT)
		}
	}
}

// TestNormLastIsLevelFree checks that with NormLast the forecast moves with
// the level of the window: adding c to every input adds c to every output.
func TestNormLastIsLevelFree(t *testing.T) {
	m, err := gru.New(gru.Config{Inputs: 1, Hidden: 4, Layers: 2, Outputs: 3}, 1)
	if err != nil {
		t.Fatal(err)
	}
	l := layout{L: 5, H: 3, F: 1, norm: NormLast}
	z := []float64{0.3, -0.2, 0.5, 0.1, 0.4}
	up := make([]float64, len(z))
	for i, v := range z {
		up[i] = v + 0.75
	}
	a := predictWindows(m, l, z, z, []int{0})
	b := predictWindows(m, l, up, up, []int{0})
	for k := range a {
		if d := b[k] - a[k]; math.Abs(d-0.75) > 1e-12 {
			t.Errorf("step %d: raising the window by 0.75 moved the forecast by %v", k+1, d)
		}
	}
}

func TestCalibration(t *testing.T) {
	// Nine validation errors per step, 0.1 … 0.9. At level 0.8 the rank is
	// ⌈10 · 0.8⌉ = 8, so the quantile is 0.8; at 0.95 the rank 10 exceeds the
	// nine errors, so the interval is unbounded.
	m := constantModel(t, 2)
	d := &seriesData{}
	for i := 1; i <= 9; i++ {
		// Windows of lookback 1 whose target is the constant output plus an error.
		d.z = append(d.z, 0, float64(i)/10, float64(i)/10)
		d.val = append(d.val, 3*(i-1))
	}
	d.feats = d.z
	l := layout{L: 1, H: 2, F: 1, norm: NormNone}
	cal := calibrate(m, []*seriesData{d}, l, []float64{0.8, 0.95})
	for k := 0; k < 2; k++ {
		if q := cal.Quantiles[0][k]; math.Abs(q-0.8) > 1e-12 {
			t.Errorf("step %d: 80%% quantile %v, want 0.8", k+1, q)
		}
		if q := cal.Quantiles[1][k]; !math.IsInf(q, 1) {
			t.Errorf("step %d: 95%% quantile %v, want +Inf with 9 errors", k+1, q)
		}
	}
	iv := cal.intervals(1, 0, ZScore{Mean: 10, Std: 2})
	if iv[0].Lower != 10+2*(1-0.8) || iv[0].Upper != 10+2*(1+0.8) {
		t.Errorf("80%% interval %+v, want [10.4, 13.6]", iv[0])
	}
	// An unbounded level is unbounded on both sides, whatever the scale: the
	// logarithm's inverse would take its lower bound to 0.
	for _, z := range []ZScore{{Mean: 10, Std: 2}, {Mean: 1, Std: 0.5, Log: true}} {
		if iv := cal.intervals(1, 0, z)[1]; !math.IsInf(iv.Lower, -1) || !math.IsInf(iv.Upper, 1) {
			t.Errorf("95%% interval with scaler %+v: %+v, want unbounded on both sides", z, iv)
		}
	}
	// An unbounded level has no coverage: it held every value because there
	// was no interval.
	cov := cal.coverage([]float64{0, 1, 5, 5}, []float64{0.5, 0.5, 0, 0}, 2, ZScore{Std: 1})
	if !slices.Equal(cov, []float64{0.5}) {
		t.Errorf("coverage %v, want [0.5]", cov)
	}
}

// constantModel returns a network whose outputs are always 0: every weight
// and bias is zero.
func constantModel(t *testing.T, outputs int) *gru.Model {
	t.Helper()
	m, err := gru.New(gru.Config{Inputs: 1, Hidden: 2, Layers: 1, Outputs: outputs}, 1)
	if err != nil {
		t.Fatal(err)
	}
	clear(m.Params())
	return m
}

func TestCalendarFeatures(t *testing.T) {
	names := func(f ingest.Freq) (out []string) {
		for _, c := range calendarFeatures(f) {
			out = append(out, c.name)
		}
		return out
	}
	for _, tt := range []struct {
		freq ingest.Freq
		want int
	}{
		{ingest.Freq{Step: time.Hour}, 4},          // hour, weekday
		{ingest.Freq{Step: 24 * time.Hour}, 4},     // weekday, yearday
		{ingest.Freq{Step: 7 * 24 * time.Hour}, 2}, // yearday
		{ingest.Freq{Months: 1}, 2},                // month
		{ingest.Freq{Months: 12}, 0},
		{ingest.Freq{}, 0},
	} {
		if got := names(tt.freq); len(got) != tt.want {
			t.Errorf("%v: features %v, want %d", tt.freq, got, tt.want)
		}
	}
	hourly := calendarFeatures(ingest.Freq{Step: time.Hour})
	six := time.Date(2024, 1, 1, 6, 0, 0, 0, time.UTC) // a Monday, 06:00
	if v := hourly[0].value(six); math.Abs(v-1) > 1e-15 {
		t.Errorf("%s at 06:00 = %v, want sin(π/2) = 1", hourly[0].name, v)
	}
	if v := hourly[3].value(six); math.Abs(v-math.Cos(2*math.Pi/7)) > 1e-15 {
		t.Errorf("%s on a Monday = %v, want cos(2π/7)", hourly[3].name, v)
	}
}

func equal(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestNormSeasonStartsFromSeasonalNaive checks that under NormSeason a
// network that outputs zeros forecasts exactly the seasonal naive forecast.
func TestNormSeasonStartsFromSeasonalNaive(t *testing.T) {
	l := layout{L: 6, H: 5, F: 1, norm: NormSeason, season: 3}
	z := []float64{0.1, 0.5, -0.3, 0.7, 0.2, -0.9, 0.4}
	got := predictWindows(constantModel(t, 5), l, z, z, []int{1})
	want := make([]float64, 5)
	SeasonalNaive(want, z, 7, 3)
	if !equal(got, want) {
		t.Errorf("zero network under NormSeason forecasts %v, want the seasonal naive %v", got, want)
	}
}

// TestMeanScoresCoverage checks that a series without intervals (one that
// fell back to seasonal naive), or without bounded ones of a level, does
// not count as zero coverage of it.
func TestMeanScoresCoverage(t *testing.T) {
	rs := []SeriesResult{
		{Test: Scores{Coverage: []float64{0.75}}},
		{Test: Scores{}},
		{Test: Scores{Coverage: []float64{0.5, 1}}},
		{Test: Scores{Coverage: []float64{0.25, 0.9}}},
	}
	if got := meanScores(rs, false).Coverage; !equal(got, []float64{0.5, 0.95}) {
		t.Errorf("coverage %v, want [0.5 0.95], the mean over the series with intervals", got)
	}
}

// TestPointCoverageUnbounded: an unbounded interval (too little history
// for its level) is none: the share is of the bounded ones, and a level
// bounded at no step has no coverage. It counted as holding every value,
// and a fit stored 100 % for a 95 % interval it never had.
func TestPointCoverageUnbounded(t *testing.T) {
	inf := math.Inf(1)
	pts := []Point{
		{Intervals: []Interval{{Lower: 0, Upper: 2, Level: 0.8}, {Lower: -inf, Upper: inf, Level: 0.95}}},
		{Intervals: []Interval{{Lower: 0, Upper: 2, Level: 0.8}, {Lower: -inf, Upper: inf, Level: 0.95}}},
		{Intervals: []Interval{{Lower: -inf, Upper: inf, Level: 0.8}, {Lower: -inf, Upper: inf, Level: 0.95}}},
	}
	if got := pointCoverage(pts, []float64{1, 5, 1}, 2); !equal(got, []float64{0.5}) {
		t.Errorf("coverage %v, want [0.5]: one of the two bounded 80 %% intervals, no 95 %% one", got)
	}
}
