package forecast_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/ingest"
)

// storedModel fits a small model on an hourly series and returns its
// weights and export as a registry stores them.
func storedModel(t *testing.T) (res *forecast.Result, weights, export []byte) {
	t.Helper()
	cfg := small
	cfg.Epochs = 2
	res, err := forecast.Fit(context.Background(), sineSeries(300), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if weights, err = res.Model.MarshalBinary(); err != nil {
		t.Fatal(err)
	}
	if export, err = json.Marshal(res.Export()); err != nil {
		t.Fatal(err)
	}
	return res, weights, export
}

func TestPredictor(t *testing.T) {
	res, weights, export := storedModel(t)
	p, err := forecast.NewPredictor(weights, export)
	if err != nil {
		t.Fatal(err)
	}
	if p.Lookback != 24 || p.Horizon() != 6 || p.Features[0] != "y" || p.Scaler != res.Scaler {
		t.Fatalf("predictor: lookback %d, horizon %d, features %v, scaler %+v", p.Lookback, p.Horizon(), p.Features, p.Scaler)
	}

	t.Run("SameDataSameForecast", func(t *testing.T) {
		pts, origin, err := p.Predict(sineSeries(300))
		if err != nil {
			t.Fatal(err)
		} else if !origin.Equal(res.Origin) {
			t.Fatalf("origin %v, want %v", origin, res.Origin)
		}
		for k, pt := range pts {
			if want := res.Forecast[k]; pt.Step != want.Step || !pt.Time.Equal(want.Time) || pt.Value != want.Value {
				t.Errorf("step %d: %+v, want the fit's %+v exactly", k+1, pt, want)
			}
		}
	})

	// Only the last Lookback values matter, and they are scaled with the
	// training scaler, not one fitted on the new data.
	t.Run("NewData", func(t *testing.T) {
		values := sineSeries(400).Values()
		for i := range values[:350] {
			values[i] = 1e6
		}
		s := withValues(sineSeries(400), values)
		pts, origin, err := p.Predict(s)
		if err != nil {
			t.Fatal(err)
		}
		want := time.Date(2024, 1, 17, 15, 0, 0, 0, time.UTC)
		if !origin.Equal(want) || !pts[0].Time.Equal(want.Add(time.Hour)) || len(pts) != 6 {
			t.Fatalf("origin %v, first time %v, %d steps; want %v, an hour later, 6", origin, pts[0].Time, len(pts), want)
		}
		x := make([]float64, 24)
		for i, v := range s.Values()[400-24:] {
			x[i] = res.Scaler.Scale(v)
		}
		out := res.Model.Predict(nil, x, 1, 24)
		for k, pt := range pts {
			if w := res.Scaler.Unscale(out[k]); math.Float64bits(pt.Value) != math.Float64bits(w) {
				t.Errorf("step %d: %v, want %v", k+1, pt.Value, w)
			}
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		for _, tt := range []struct {
			name string
			n    int
			want string
		}{
			{"y", 23, "the model reads the last 24 values (its lookback), but the input has only 23 rows"},
			{"load", 300, `the model reads the feature "y", but the input's target is "load"`},
		} {
			s := sineSeries(tt.n)
			s.Name = tt.name
			_, _, err := p.Predict(s)
			if !errors.Is(err, forecast.ErrInvalid) || !strings.HasSuffix(err.Error(), tt.want) {
				t.Errorf("%s of %d rows: err=%v, want ErrInvalid ending %q", tt.name, tt.n, err, tt.want)
			}
		}
	})

	t.Run("ErrMismatch", func(t *testing.T) {
		var e map[string]any
		if err := json.Unmarshal(export, &e); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			key  string
			v    any
			want string
		}{
			{"horizon", 7, "model export: lookback 24, horizon 7 and 1 input features do not fit a network of 1 inputs and 6 outputs"},
			{"format", "other/1", `model export: format "other/1", want "forecast-gru-json/1"`},
			{"input_features", []string{"y", "x"}, "model export: 2 input features with 1 scaler entries"},
			{"window_norm", "median", `model export: window_norm "median", want none, last, mean or season`},
			{"scaler", map[string]any{"kind": "zscore", "mean": []float64{1}, "std": []float64{0}}, `model export: scaler of "y": mean 1 and std 0, want a finite mean and a finite std above 0`},
		} {
			bad := map[string]any{}
			for k, v := range e {
				bad[k] = v
			}
			bad[tt.key] = tt.v
			b, _ := json.Marshal(bad)
			if _, err := forecast.NewPredictor(weights, b); err == nil || err.Error() != tt.want {
				t.Errorf("%s=%v: err=%v, want %q", tt.key, tt.v, err, tt.want)
			}
		}
		if _, err := forecast.NewPredictor(weights[:len(weights)-8], export); err == nil {
			t.Error("truncated weights: no error")
		}
	})
}

// TestPredictorFeatures stores a model with window normalisation, calendar
// features and prediction intervals and checks that the predictor rebuilt
// from its export forecasts exactly what the fit forecast.
func TestPredictorFeatures(t *testing.T) {
	cfg := small
	cfg.Epochs = 2
	cfg.WindowNorm = forecast.NormLast
	cfg.Calendar = true
	res, err := forecast.Fit(context.Background(), sineSeries(300), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"y", "cal:hour_sin", "cal:hour_cos", "cal:weekday_sin", "cal:weekday_cos"}; !slices.Equal(res.Features, want) {
		t.Fatalf("features %q, want %q", res.Features, want)
	}
	p := readBack(t, res)
	pts, _, err := p.Predict(sineSeries(300))
	if err != nil {
		t.Fatal(err)
	}
	for k, pt := range pts {
		if want := res.Forecast[k]; !reflect.DeepEqual(pt, want) {
			t.Errorf("step %d: %+v, want the fit's %+v exactly", k+1, pt, want)
		}
	}
	if len(pts[0].Intervals) != 2 || !(pts[0].Intervals[0].Lower < pts[0].Value && pts[0].Value < pts[0].Intervals[0].Upper) {
		t.Errorf("step 1 intervals %+v around %v, want two around the value", pts[0].Intervals, pts[0].Value)
	}
	noTimes := ingest.NewSeries("y", nil, sineSeries(300).Values())
	if _, _, err := p.Predict(noTimes); !errors.Is(err, forecast.ErrInvalid) {
		t.Errorf("series without times for a calendar model: err = %v, want ErrInvalid", err)
	}
}
