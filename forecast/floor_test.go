package forecast_test

import (
	"context"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/ingest"
)

// shopSales is a daily count of n days, a shop selling 0 to 3 a day,
// more at the weekend, plus shift.
func shopSales(n int, shift float64) *ingest.Series {
	times, values := make([]time.Time, n), make([]float64, n)
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	state := uint32(7)
	for i := range values {
		state = state*1664525 + 1013904223
		v := float64((state >> 30) % 3) // 0, 1 or 2
		if i%7 >= 5 {
			v++
		}
		times[i], values[i] = t0.AddDate(0, 0, i), v+shift
	}
	s := ingest.NewSeries("sales", times, values)
	s.Freq = ingest.Freq{Step: 24 * time.Hour}
	return s
}

// TestFlooredAtZero fits a count series with the defaults: its forecasts
// and interval bounds are never below zero, as they are of the same
// series less a quarter, which has values below zero, and the stored model
// forecasts the same. So do a short series and backtests.
func TestFlooredAtZero(t *testing.T) {
	cfg := forecast.Config{Horizon: 14, Seed: 1}
	lowest := func(res *forecast.Result) float64 {
		low := res.Forecast[0].Value
		for _, p := range res.Forecast {
			low = min(low, p.Value)
			for _, iv := range p.Intervals {
				low = min(low, iv.Lower)
			}
		}
		return low
	}
	shifted, err := forecast.Fit(context.Background(), shopSales(210, -0.25), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if low := lowest(shifted); low >= -0.25 {
		t.Fatalf("the series less a quarter has its lowest bound %g; want one below -0.25, or the counts prove nothing", low)
	}
	s := shopSales(210, 0)
	res, err := forecast.Fit(context.Background(), s, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if low := lowest(res); low != 0 {
		t.Fatalf("counts forecast by %s: lowest value or bound %g, want 0", res.Series[0].MethodName, low)
	}
	assertStoredForecasts(t, res, []*ingest.Series{s})

	// Counts with one return in 210 days: floored all the same.
	returned := append([]float64(nil), s.Values()...)
	returned[100] = -1
	withReturn, err := forecast.Fit(context.Background(), withValues(s, returned), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if low := lowest(withReturn); low != 0 {
		t.Fatalf("counts with a return forecast by %s: lowest value or bound %g, want 0", withReturn.Series[0].MethodName, low)
	}

	// Too short for the network: the classical methods alone.
	short, err := forecast.Fit(context.Background(), shopSales(60, 0), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if low := lowest(short); low < 0 {
		t.Fatalf("60 days of counts forecast by %s: lowest value or bound %g, want 0 or more", short.Series[0].MethodName, low)
	}
	bt, err := forecast.Backtest(context.Background(), []*ingest.Series{s}, cfg, forecast.BacktestConfig{Folds: 2, Refit: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range bt.Folds {
		if low := lowest(&forecast.Result{Forecast: f.Forecast}); low < 0 {
			t.Fatalf("backtest fold at %d: lowest value or bound %g, want 0 or more", f.Origin, low)
		}
	}
}
