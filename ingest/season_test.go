package ingest_test

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/forecast-dev/forecast/ingest"
)

// acfRef is the sample autocorrelation by its definition.
func acfRef(x []float64, k int) float64 {
	var mean float64
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	var num, den float64
	for i, v := range x {
		den += (v - mean) * (v - mean)
		if i+k < len(x) {
			num += (v - mean) * (x[i+k] - mean)
		}
	}
	return num / den
}

func TestACF(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 1))
	x := make([]float64, 101)
	for i := range x {
		x[i] = rnd.NormFloat64() + math.Sin(float64(i)/3)
	}
	got := ingest.ACF(x, 60)
	if len(got) != 61 {
		t.Fatalf("len(ACF) = %d, want 61", len(got))
	}
	for k, r := range got {
		if want := acfRef(x, k); !scalar.EqualWithinAbsOrRel(r, want, 1e-12, 1e-12) {
			t.Errorf("ACF at lag %d = %v, want %v", k, r, want)
		}
	}
	if c := ingest.ACF([]float64{2, 2, 2}, 2); c[0] != 1 || c[1] != 0 || c[2] != 0 {
		t.Errorf("ACF of a constant = %v, want [1 0 0]", c)
	}
}

func TestSeason(t *testing.T) {
	rnd := rand.New(rand.NewPCG(2, 2))
	series := func(n int, f func(i int) float64) []float64 {
		x := make([]float64, n)
		for i := range x {
			x[i] = f(i)
		}
		return x
	}
	day := 24 * time.Hour
	tests := []struct {
		Name string
		X    []float64
		Freq ingest.Freq
		Want int
	}{
		{"MonthlyWithTrend", series(144, func(i int) float64 {
			return 100 + 2*float64(i) + 20*math.Sin(2*math.Pi*float64(i)/12) + rnd.NormFloat64()
		}), ingest.Freq{Months: 1}, 12},
		// A daily cycle riding on a random walk shows in the differences.
		{"HourlyOnRandomWalk", func() []float64 {
			level := 0.0
			return series(2000, func(i int) float64 {
				level += rnd.NormFloat64()
				return level + 5*math.Sin(2*math.Pi*float64(i)/24)
			})
		}(), ingest.Freq{Step: time.Hour}, 24},
		// A yearly cycle of days, noisy enough that the peak is off 365 by
		// a few lags: it is taken as 365.
		{"DailyYear", series(3650, func(i int) float64 {
			return 10 + 4*math.Sin(2*math.Pi*float64(i)/365.25) + 3*rnd.NormFloat64()
		}), ingest.Freq{Step: day}, 365},
		{"Noise", series(500, func(int) float64 { return rnd.NormFloat64() }), ingest.Freq{Step: day}, 0},
		{"RandomWalk", func() []float64 {
			level := 0.0
			return series(2000, func(int) float64 { level += rnd.NormFloat64(); return level })
		}(), ingest.Freq{Step: day}, 0},
		{"Constant", series(100, func(int) float64 { return 3 }), ingest.Freq{}, 0},
		{"Short", []float64{1, 2, 1, 2, 1}, ingest.Freq{}, 0},
	}
	for _, tt := range tests {
		if got, r := ingest.Season(tt.X, tt.Freq); got != tt.Want {
			t.Errorf("%s: Season() = %d (acf %.2f), want %d", tt.Name, got, r, tt.Want)
		}
	}
}

// TestSeasonWeakEarlyPeak is a weekly series with a yearly cycle and a
// short wiggle: the wiggle's bump at lag 3 is a peak, but far lower than the
// year's at 52, which is the season.
func TestSeasonWeakEarlyPeak(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 3))
	x := make([]float64, 260)
	for i := range x {
		x[i] = 10*math.Sin(2*math.Pi*float64(i)/52) + 0.4*math.Sin(2*math.Pi*float64(i)/3) + 0.4*rnd.NormFloat64()
	}
	diff := make([]float64, len(x)-1)
	for i := range diff {
		diff[i] = x[i+1] - x[i]
	}
	if r, d := ingest.ACF(x, 60), ingest.ACF(diff, 60); !(d[3] > 0.3 && d[3] > d[2]+0.1 && r[52] > 0.75) {
		t.Fatalf("fixture: acf of the differences at 2, 3 = %.2f, %.2f, of the values at 52 = %.2f; want a peak at 3 and above 0.75 at 52", d[2], d[3], r[52])
	}
	if got, _ := ingest.Season(x, ingest.Freq{Step: 7 * 24 * time.Hour}); got != 52 {
		t.Errorf("Season() = %d, want 52", got)
	}
}

func TestCalendarSeason(t *testing.T) {
	day := 24 * time.Hour
	for _, tt := range []struct {
		f    ingest.Freq
		want int
	}{
		{ingest.Freq{Months: 1}, 12},
		{ingest.Freq{Months: 1, MonthEnd: true}, 12},
		{ingest.Freq{Months: 3}, 4},
		{ingest.Freq{Months: 6}, 2},
		{ingest.Freq{Months: 12}, 1},
		{ingest.Freq{Step: 7 * day}, 52},
		{ingest.Freq{Step: day}, 7},
		{ingest.Freq{BusinessDays: 1}, 5},
		{ingest.Freq{Step: time.Hour}, 24},
		{ingest.Freq{Step: 30 * time.Minute}, 48},
		{ingest.Freq{Step: 15 * time.Minute}, 96},
		{ingest.Freq{Step: time.Minute}, 60},
		{ingest.Freq{Step: 2 * day}, 1},
		{ingest.Freq{}, 0},
	} {
		if got := ingest.CalendarSeason(tt.f); got != tt.want {
			t.Errorf("CalendarSeason(%v) = %d, want %d", tt.f, got, tt.want)
		}
	}
}

func TestAutoSeason(t *testing.T) {
	rnd := rand.New(rand.NewPCG(4, 4))
	gen := func(n int, f func(i int) float64) []float64 {
		x := make([]float64, n)
		for i := range x {
			x[i] = f(i)
		}
		return x
	}
	monthly := func(n int) []float64 {
		return gen(n, func(i int) float64 {
			return 100 + float64(i) + 15*math.Sin(2*math.Pi*float64(i)/12) + rnd.NormFloat64()
		})
	}
	noise := gen(200, func(int) float64 { return rnd.NormFloat64() })
	quarterly := gen(40, func(i int) float64 { return []float64{5, 9, 7, 1}[i%4] + 0.3*rnd.NormFloat64() })
	for _, tt := range []struct {
		name string
		x    []float64
		f    ingest.Freq
		want int
	}{
		{"Monthly", monthly(60), ingest.Freq{Months: 1}, 12},
		{"MonthlyUnderTwoYears", monthly(23), ingest.Freq{Months: 1}, 1},
		{"Quarterly", quarterly, ingest.Freq{Months: 3}, 4},
		{"NoiseDaily", noise, ingest.Freq{Step: 24 * time.Hour}, 1},
		{"NoTimesShowsItsSeason", monthly(96), ingest.Freq{}, 12},
		{"NoTimesNoise", noise, ingest.Freq{}, 1},
	} {
		if got := ingest.AutoSeason(tt.x, tt.f); got != tt.want {
			t.Errorf("%s: AutoSeason() = %d, want %d", tt.name, got, tt.want)
		}
	}
}
