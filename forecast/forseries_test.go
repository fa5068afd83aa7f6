package forecast_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/ingest"
)

// TestPredictorForSeries checks that a global model forecasts each series
// it was fitted on, from the same data, exactly as FitMany did, each on its
// own scale, whatever the series' names.
func TestPredictorForSeries(t *testing.T) {
	var series []*ingest.Series
	for k, scale := range []float64{1, 40, 0.01} {
		values := sineSeries(300 + 24*k).Values()
		for i := range values {
			values[i] = values[i]*scale + float64(k)*100
		}
		s := withValues(sineSeries(300+24*k), values)
		s.Name, s.ID = []string{"a", "b", "c"}[k], []string{"a", "b", "c"}[k]
		series = append(series, s)
	}
	cfg := small
	cfg.Epochs, cfg.WindowNorm = 2, forecast.NormLast
	res, err := forecast.FitMany(context.Background(), series, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	weights, err := res.Model.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	export, err := json.Marshal(res.Export())
	if err != nil {
		t.Fatal(err)
	}
	p, err := forecast.NewPredictor(weights, export)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range series {
		q, err := p.ForSeries(s, forecast.ProtocolV1)
		if err != nil {
			t.Fatal(err)
		}
		pts, origin, err := q.Predict(s)
		if err != nil {
			t.Fatal(err)
		}
		if want := res.Series[i]; !origin.Equal(want.Origin) || !reflect.DeepEqual(pts, want.Forecast) {
			t.Fatalf("series %s: ForSeries forecast %v, FitMany %v", s.Name, pts[0], want.Forecast[0])
		}
	}
	if p.Features[0] != "target" {
		t.Fatalf("ForSeries changed the predictor it copies: %q", p.Features)
	}

	// With the log transform, each series is scaled by its logarithm.
	cfg.Transform = forecast.TransformLog
	if res, err = forecast.FitMany(context.Background(), series, cfg, nil); err != nil {
		t.Fatal(err)
	}
	if weights, err = res.Model.MarshalBinary(); err != nil {
		t.Fatal(err)
	}
	if export, err = json.Marshal(res.Export()); err != nil {
		t.Fatal(err)
	}
	lp, err := forecast.NewPredictor(weights, export)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range series {
		q, err := lp.ForSeries(s, forecast.ProtocolV1)
		if err != nil {
			t.Fatal(err)
		}
		if pts, _, err := q.Predict(s); err != nil || !reflect.DeepEqual(pts, res.Series[i].Forecast) {
			t.Fatalf("series %s with the log transform: ForSeries forecast %v (%v), FitMany %v", s.Name, pts, err, res.Series[i].Forecast)
		}
	}

	// A constant series, zero (which the log transform cannot take) or
	// not, is forecast by its value, with intervals of no width, by
	// seasonal naive, as the forecasts say; with fewer values than the
	// lookback too, as the network reads none of them.
	for _, c := range []struct {
		value float64
		n     int
	}{{0, 300}, {7.5, 300}, {7.5, 60}} {
		flat := make([]float64, c.n)
		for i := range flat {
			flat[i] = c.value
		}
		s := withValues(sineSeries(c.n), flat)
		for _, model := range []*forecast.Predictor{p, lp} {
			q, err := model.ForSeries(s, forecast.ProtocolV1)
			if err != nil {
				t.Fatalf("constant %g x %d: %v", c.value, c.n, err)
			}
			pts, _, err := q.Predict(s)
			if err != nil {
				t.Fatalf("constant %g x %d: %v", c.value, c.n, err)
			}
			if got := q.MethodLabel(); got != forecast.MethodSeasonalNaive {
				t.Errorf("constant %g x %d: method %q, want %q", c.value, c.n, got, forecast.MethodSeasonalNaive)
			}
			for _, pt := range pts {
				if pt.Value != c.value {
					t.Fatalf("constant %g x %d: forecast %v", c.value, c.n, pt)
				}
				for _, iv := range pt.Intervals {
					if iv.Lower != c.value || iv.Upper != c.value {
						t.Fatalf("constant %g x %d: interval %v", c.value, c.n, iv)
					}
				}
			}
		}
	}

	short := sineSeries(3)
	if _, err := p.ForSeries(short, forecast.ProtocolHoldout); !errors.Is(err, forecast.ErrInvalid) {
		t.Fatalf("short series: err=%v, want ErrInvalid", err)
	}
}
