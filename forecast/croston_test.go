package forecast

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/ingest"
)

// TestCrostonModel checks Croston's method against R: the references are
// R forecast 8.20's croston(y, alpha = 0.1)$mean, times 1 − 0.1/2 (the
// Syntetos-Boylan correction), printed with sprintf("%.17g").
func TestCrostonModel(t *testing.T) {
	y := []float64{0, 0, 3, 0, 0, 0, 1, 0, 5, 0, 0, 2, 0, 0, 0, 0, 4, 0, 1, 0}
	short := []float64{2, 0, 0, 7}
	for _, tt := range []struct {
		y    []float64
		o    int
		want float64
	}{
		{y, len(y), 0.95 * 0.91892173358370954},
		{short, len(short), 0.95 * 2.083333333333333},
		{short, 3, 0.95 * 2},                                  // one demand: its size over its interval (the first value's, 1)
		{[]float64{0, 0, 0}, 3, 0},                            // no demand yet
		{[]float64{2, 0, -1, 7}, 4, 0.95 * 2.083333333333333}, // a return is no demand: as short
	} {
		got := crostonModel{}.ForecastAt(tt.y, []int{tt.o}, 3)[0]
		for k, v := range got {
			if math.Abs(v-tt.want) > 1e-15*tt.want {
				t.Errorf("y %v, origin %d: step %d forecasts %.17g, want %.17g", tt.y, tt.o, k+1, v, tt.want)
			}
		}
	}
}

func TestIntermittent(t *testing.T) {
	for _, tt := range []struct {
		y    []float64
		want bool
	}{
		{[]float64{0, 0, 3, 0, 1, 0}, true},
		{[]float64{0, 2, 3, 4}, true},      // 4 values per 3 demands: 1.33
		{[]float64{0, 2, 3, 4, 5}, false},  // 1.25
		{[]float64{0, 0, 0, 4, 0}, false},  // one demand
		{[]float64{0, 0, -3, 4, 5}, false}, // a negative value per two demands
		{[]float64{0, 1, 0, 2, 0, 1, 0, 3, 0, 1, 0, 2, 0, 1, 0, 1, 0, 2, 0, 1, -1, 4}, true}, // one return per eleven demands
		{[]float64{1, 2, 3}, false},
	} {
		if got := intermittent(tt.y); got != tt.want {
			t.Errorf("intermittent(%v) = %v, want %v", tt.y, got, tt.want)
		}
	}
}

// TestIntermittentEndingOnSale: a daily series that sells on one day in
// fourteen, whose last day is a sale of 12, used to be forecast by naive
// (which won validation, most of whose origins end on a zero), the 12
// repeated for two weeks. Its forecast is now near its rate of sales, and
// the stored model forecasts the same.
func TestIntermittentEndingOnSale(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	y := make([]float64, 300)
	for i := range y {
		if r.Float64() < 0.07 {
			y[i] = float64([]int{1, 2, 3, 5, 8}[r.IntN(5)])
		}
	}
	y[len(y)-1] = 12
	t.Run("Sales", func(t *testing.T) { checkIntermittentForecast(t, y) })
	// A return, one in two years of an item that sells on one day in
	// five, left the series to naive, whose validation origins mostly
	// end on a zero: a last day's sale of 3 was forecast for 28 days.
	y = make([]float64, 730)
	for i := range y {
		if r.Float64() < 0.2 {
			y[i] = 1
		}
	}
	y[400], y[len(y)-1] = -1, 3
	t.Run("Return", func(t *testing.T) { checkIntermittentForecast(t, y) })
}

// checkIntermittentForecast checks that the forecast of the daily
// intermittent series y stays near its rate of sales, and that the stored
// model forecasts the same.
func checkIntermittentForecast(t *testing.T, y []float64) {
	s := datedSeries(y, ingest.Freq{Step: 24 * time.Hour})
	res, err := Fit(context.Background(), s, Config{Ensemble: 1, Epochs: 5}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sr := res.Series[0]
	rate := 0.0
	for _, v := range y {
		rate += v / float64(len(y))
	}
	if !slices.ContainsFunc(sr.Candidates, func(c Candidate) bool { return c.Method == MethodCroston }) {
		t.Errorf("candidates %+v: want Croston's method among them", sr.Candidates)
	}
	for _, p := range res.Forecast {
		if p.Value > 3*rate {
			t.Fatalf("%s forecasts %g at step %d; the series sells %.3f a day", sr.MethodName, p.Value, p.Step, rate)
		}
	}
	pts, _, err := storedPredictor(t, res).Predict(s)
	if err != nil || !slices.EqualFunc(pts, res.Forecast, func(a, b Point) bool { return a.Value == b.Value }) {
		t.Errorf("stored model forecast %v (%v), fit %v", pts, err, res.Forecast)
	}
}

// TestCrostonExport: Croston's method, alone or as a part, is stored by
// name and read back as the method it is.
func TestCrostonExport(t *testing.T) {
	sr := SeriesResult{Method: MethodCombination, classicalOnly: true, locals: []localModel{crostonModel{}, seasonalNaiveModel{m: 1}}}
	cs, err := components(sr.seriesMethod())
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || cs[0].method != MethodCroston || cs[0].local != nil || sr.Label() != "comb(croston,snaive)" {
		t.Errorf("components %+v, label %q; want croston and snaive", cs, sr.Label())
	}
}
