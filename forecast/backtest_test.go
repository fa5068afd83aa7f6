package forecast_test

import (
	"context"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/ingest"
)

// TestBacktestMatchesFit checks that a backtest without refit over every
// origin of the test part scores what Fit scores on its test windows, since
// those are the same forecasts.
func TestBacktestMatchesFit(t *testing.T) {
	s := sineSeries(400)
	ctx := context.Background()
	fit, err := forecast.Fit(ctx, s, small, nil)
	if err != nil {
		t.Fatal(err)
	}
	bt, err := forecast.Backtest(ctx, []*ingest.Series{s}, small, forecast.BacktestConfig{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(bt.Folds), fit.Split.TestWindows; got != want {
		t.Fatalf("%d folds, want one per test window, %d", got, want)
	}
	for _, c := range []struct {
		name      string
		got, want forecast.Metrics
	}{{"GRU", bt.Overall.GRU, fit.Test.GRU}, {"naive", bt.Overall.Naive, fit.Test.Naive}, {"seasonal naive", bt.Overall.SeasonalNaive, fit.Test.SeasonalNaive}} {
		for _, m := range []struct {
			name      string
			got, want float64
		}{{"MAE", c.got.MAE, c.want.MAE}, {"RMSE", c.got.RMSE, c.want.RMSE}, {"sMAPE", c.got.SMAPE, c.want.SMAPE}, {"MASE", c.got.MASE, c.want.MASE}} {
			if math.Abs(m.got-m.want) > 1e-9*math.Abs(m.want) {
				t.Errorf("%s %s: backtest %v, fit %v", c.name, m.name, m.got, m.want)
			}
		}
	}
}

func TestBacktestFolds(t *testing.T) {
	s := sineSeries(400) // test part [320, 400)
	bt, err := forecast.Backtest(context.Background(), []*ingest.Series{s}, small, forecast.BacktestConfig{Folds: 3}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var origins []int
	for _, f := range bt.Folds {
		origins = append(origins, f.Origin)
		if len(f.Forecast) != small.Horizon || len(f.Actual) != small.Horizon {
			t.Errorf("fold at %d: %d forecasts and %d actual values, want %d", f.Origin, len(f.Forecast), len(f.Actual), small.Horizon)
		}
	}
	if want := []int{382, 388, 394}; !slicesEqual(origins, want) {
		t.Errorf("origins %v, want %v (stride = horizon 6, the last leaving 6 values)", origins, want)
	}
	if _, err := forecast.Backtest(context.Background(), []*ingest.Series{s}, small, forecast.BacktestConfig{Folds: 100, Stride: 1}, nil); err != nil {
		t.Errorf("100 folds of stride 1 fit in the 75 test origins with fewer folds: %v", err)
	}
}

// A season longer than the series is not a series that repeats itself
// every season (with no value a season back, none differs): backtest
// said seasonal naive forecast it exactly.
func TestBacktestSeasonLongerThanSeries(t *testing.T) {
	s := sineSeries(60)
	cfg := small
	cfg.Season = 61
	_, err := forecast.Backtest(context.Background(), []*ingest.Series{s}, cfg, forecast.BacktestConfig{Folds: 1}, nil)
	if err == nil || strings.Contains(err.Error(), "repeats itself") {
		t.Errorf("season 61 of 60 values: %v, want an error that does not say the series repeats itself", err)
	}
}

// TestBacktestRefitSeesNoFuture changes every value from a fold's origin on
// and checks that the refitted fold's forecast stays bit-identical: the fold
// was trained and forecast from the past alone.
func TestBacktestRefitSeesNoFuture(t *testing.T) {
	cfg := small
	cfg.Epochs = 2
	a := sineSeries(400)
	bc := forecast.BacktestConfig{Folds: 2, Refit: true}
	ra, err := forecast.Backtest(context.Background(), []*ingest.Series{a}, cfg, bc, nil)
	if err != nil {
		t.Fatal(err)
	}
	first := ra.Folds[0].Origin
	changed := a.Values()
	for i := first; i < len(changed); i++ {
		changed[i] += 100
	}
	b := withValues(a, changed)
	rb, err := forecast.Backtest(context.Background(), []*ingest.Series{b}, cfg, bc, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, p := range ra.Folds[0].Forecast {
		if q := rb.Folds[0].Forecast[k]; p.Value != q.Value {
			t.Fatalf("step %d of the fold at %d changed from %v to %v when only later values changed", k+1, first, p.Value, q.Value)
		}
	}
	if ra.Folds[1].Forecast[0].Value == rb.Folds[1].Forecast[0].Value {
		t.Errorf("the second fold, whose history includes the changed values, forecast the same")
	}
}

func slicesEqual(a, b []int) bool {
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

// TestBacktestAutoNorm checks that a backtest with NormAuto scores the
// model with the normalisation it kept, as a backtest with that one does.
func TestBacktestAutoNorm(t *testing.T) {
	cfg := small
	cfg.Epochs, cfg.WindowNorm = 2, forecast.NormAuto
	s := sineSeries(400)
	auto, err := forecast.Backtest(context.Background(), []*ingest.Series{s}, cfg, forecast.BacktestConfig{Folds: 3}, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.WindowNorm = auto.Model.Config.WindowNorm
	kept, err := forecast.Backtest(context.Background(), []*ingest.Series{s}, cfg, forecast.BacktestConfig{Folds: 3}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if auto.Overall.GRU != kept.Overall.GRU {
		t.Errorf("auto (kept %s) scores %+v, a backtest with %s %+v", cfg.WindowNorm, auto.Overall.GRU, cfg.WindowNorm, kept.Overall.GRU)
	}
}

// TestBacktestRefitLookback: with a lookback given, the refits start where
// their train part holds a window of it: every fold of 60 values with
// lookback 24 and horizon 6 fits (none fails for want of a window), and
// lookback 48 with horizon 12 leaves none, which the error says.
func TestBacktestRefitLookback(t *testing.T) {
	cfg := small
	cfg.Epochs = 1
	bt, err := forecast.Backtest(context.Background(), []*ingest.Series{sineSeries(60)}, cfg, forecast.BacktestConfig{Refit: true, Folds: 50, Stride: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := bt.Folds[0].Origin, 24+2*6; got != want {
		t.Errorf("first origin %d, want %d (lookback + two horizons)", got, want)
	}
	cfg.Lookback, cfg.Horizon = 48, 12
	_, err = forecast.Backtest(context.Background(), []*ingest.Series{sineSeries(60)}, cfg, forecast.BacktestConfig{Refit: true, Folds: 3}, nil)
	if !errors.Is(err, forecast.ErrInvalid) || !strings.Contains(err.Error(), "too few to refit with lookback 48") {
		t.Errorf("lookback 48 on 60 values: %v", err)
	}
}

// TestBacktestNoTestPartHint: a series whose split keeps no test part for
// the horizon said "no forecast origin in its test part [60, 60)"; it now
// says why and what to change, and names --refit only where a refit
// finds an origin (not here: 60 values refit too few for a horizon of 20).
func TestBacktestNoTestPartHint(t *testing.T) {
	cfg := small
	cfg.Lookback, cfg.Horizon, cfg.Season, cfg.Epochs = 0, 20, 1, 1
	_, err := forecast.Backtest(context.Background(), []*ingest.Series{sineSeries(60)}, cfg, forecast.BacktestConfig{Folds: 3}, nil)
	want := "has 60 values: too few for a test part of a horizon (20) after the train and validation parts; give a shorter --horizon"
	if !errors.Is(err, forecast.ErrInvalid) || !strings.HasSuffix(err.Error(), want) {
		t.Errorf("60 values, horizon 20: %v", err)
	}
	if _, err := forecast.Backtest(context.Background(), []*ingest.Series{sineSeries(60)}, cfg, forecast.BacktestConfig{Folds: 1, Refit: true}, nil); !errors.Is(err, forecast.ErrInvalid) {
		t.Errorf("60 values, horizon 20, --refit: %v, want an error (so the hint does not name it)", err)
	}
}

// TestBacktestRefitScoresSeeNoFuture: a refitted fold's scores, the MASE's
// and the scaled metrics' scales too, depend on the values up to the end
// of its horizon alone. They were scaled by the whole series' train part,
// which reaches past an early origin.
func TestBacktestRefitScoresSeeNoFuture(t *testing.T) {
	cfg := small
	cfg.Epochs = 1
	a := sineSeries(400)
	bc := forecast.BacktestConfig{Folds: 3, Stride: 100, Refit: true}
	ra, err := forecast.Backtest(context.Background(), []*ingest.Series{a}, cfg, bc, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := ra.Folds[0]
	if f.Origin >= 280 {
		t.Fatalf("the first fold's origin %d is not before the end of the train part (280)", f.Origin)
	}
	changed := a.Values()
	for i := f.Origin + cfg.Horizon; i < len(changed); i++ {
		changed[i] = 3*changed[i] + 100
	}
	rb, err := forecast.Backtest(context.Background(), []*ingest.Series{withValues(a, changed)}, cfg, bc, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := rb.Folds[0].Scores; !reflect.DeepEqual(got, f.Scores) {
		t.Errorf("the fold at %d scored %+v, then %+v when only values after its horizon changed", f.Origin, f.Scores, got)
	}
	// Hyndman's MASE: naive's mean absolute error over the in-sample
	// seasonal naive's, both of the values before the origin.
	y := a.Values()
	var naive, scale float64
	for k := range cfg.Horizon {
		naive += math.Abs(y[f.Origin+k] - y[f.Origin-1])
	}
	for t := cfg.Season; t < f.Origin; t++ {
		scale += math.Abs(y[t] - y[t-cfg.Season])
	}
	want := naive / float64(cfg.Horizon) / (scale / float64(f.Origin-cfg.Season))
	if got := f.Scores.Naive.MASE; math.Abs(got-want) > 1e-12*want {
		t.Errorf("naive MASE %.15g, want %.15g", got, want)
	}
}
