package forecast

import (
	"context"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/ingest"
)

func TestCombine(t *testing.T) {
	a := []Point{{Step: 1, Value: 1, Intervals: []Interval{{0.8, 0, 2}}}, {Step: 2, Value: 2, Intervals: []Interval{{0.8, 1, 3}}}}
	b := []Point{{Step: 1, Value: 3, Intervals: []Interval{{0.8, 2, 5}}}, {Step: 2, Value: 6, Intervals: []Interval{{0.8, math.Inf(-1), 7}}}}
	got := combine([][]Point{a, b})
	want := []Point{{Step: 1, Value: 2, Intervals: []Interval{{0.8, 1, 3.5}}}, {Step: 2, Value: 4, Intervals: []Interval{{0.8, math.Inf(-1), 5}}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("combine = %+v, want %+v", got, want)
	}
	if got := combine([][]Point{a}); &got[0] != &a[0] {
		t.Errorf("combine of one part is a copy, want the part itself")
	}
}

// TestCombineMedian: of more than three parts the combination is the
// median, of the values and of each interval bound, worked out by hand: of
// five parts the middle one, of four the mean of the middle two.
func TestCombineMedian(t *testing.T) {
	point := func(v, lo, hi float64) []Point {
		return []Point{{Step: 1, Value: v, Intervals: []Interval{{0.95, lo, hi}}}}
	}
	five := [][]Point{point(10, 1, 20), point(-3, math.Inf(-1), 4), point(7, 5, 9), point(100, 90, 110), point(8, 6, math.Inf(1))}
	if got, want := combine(five), point(8, 5, 20); !reflect.DeepEqual(got, want) {
		t.Errorf("combine of five = %+v, want %+v", got, want)
	}
	if got, want := combine(five[:4]), point(8.5, 3, 14.5); !reflect.DeepEqual(got, want) {
		t.Errorf("combine of four = %+v, want %+v", got, want)
	}
	if five[0][0].Value != 10 || five[1][0].Intervals[0].Lower != math.Inf(-1) {
		t.Errorf("combine reordered its parts: %+v", five)
	}
	preds := map[string][]float64{"a": {1, 10}, "b": {2, 20}, "c": {9, 30}, "d": {4, -40}}
	if got, want := combinedForecast(preds, []string{"a", "b", "c"}), []float64{4, 20}; !reflect.DeepEqual(got, want) {
		t.Errorf("combinedForecast of three = %v, want their mean %v", got, want)
	}
	if got, want := combinedForecast(preds, []string{"a", "b", "c", "d"}), []float64{3, 15}; !reflect.DeepEqual(got, want) {
		t.Errorf("combinedForecast of four = %v, want their median %v", got, want)
	}
	if got, want := combinationName([]string{"GRU", "ETS", "Theta", "ARIMA"}), "median of GRU, ETS, Theta, ARIMA"; got != want {
		t.Errorf("name %q, want %q", got, want)
	}
}

// TestCombinationPredictor stores a series forecast by the combination of
// the GRU, ETS, Theta, ARIMA, seasonal naive and the seasonal mean, and
// checks that a predictor rebuilt from the export forecasts the median of
// the GRU's forecast and the classical models refitted on the series, as
// Fit did.
func TestCombinationPredictor(t *testing.T) {
	var times []time.Time
	var values []float64
	for i := 0; i < 120; i++ {
		times = append(times, time.Date(2000, time.Month(1+i), 1, 0, 0, 0, 0, time.UTC))
		values = append(values, (50+float64(i))*(1+0.3*math.Sin(2*math.Pi*float64(i)/12)))
	}
	s := ingest.NewSeries("y", times, values)
	s.Freq = ingest.Freq{Months: 1}
	cfg := Config{Horizon: 12, Season: 12, Hidden: 8, Epochs: 3, Ensemble: 1, WindowNorm: NormLast, Transform: TransformNone, Fallback: FallbackNone}
	res, err := Fit(context.Background(), s, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	sr := &res.Series[0]
	parts := [][]Point{sr.Forecast}
	sr.Method, sr.MethodName = MethodCombination, "median of GRU, ETS, Theta, ARIMA, seasonal naive, seasonal mean"
	for _, method := range []string{MethodETS, MethodTheta, MethodARIMA, MethodSeasonalNaive, MethodSeasonalMean} {
		m, err := localMethods[method](s.Values(), seasons{m: 12})
		if err != nil {
			t.Fatal(err)
		}
		sr.locals = append(sr.locals, m)
		q := localQuantiles(m, s.Values(), 12, res.Config.Levels, 12)
		pts, _ := localForecast(m, s.Values(), startAfter(s, s.Len()), 12, res.Config.Levels, q)
		parts = append(parts, pts)
	}
	sr.Forecast = combine(parts)
	p := storedPredictor(t, res)
	pts, _, err := p.Predict(s)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(pts, sr.Forecast) {
		t.Errorf("predictor forecast %v, want the combination %v", pts, sr.Forecast)
	}
	if got, want := p.MethodLabel(), "comb(gru,"+MethodLabel(MethodETS, sr.locals[0].Name())+",theta,"+MethodLabel(MethodARIMA, sr.locals[2].Name())+",snaive,smean)"; got != want || sr.Label() != want {
		t.Errorf("label %q, the fit's %q; want %q", got, sr.Label(), want)
	}
}
