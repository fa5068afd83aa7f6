package forecast_test

import (
	"context"
	"encoding/json"
	"math"
	"reflect"
	"testing"

	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/gru"
)

// TestEnsemble checks that an ensemble's forecast is the mean of its
// members' forecasts, that its members are the single fits of seeds Seed,
// Seed+1, …, and that it survives storage as weights and export.
func TestEnsemble(t *testing.T) {
	cfg := small
	cfg.Epochs = 2
	cfg.Ensemble = 3
	s := sineSeries(300)
	res, err := forecast.Fit(context.Background(), s, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Members) != 3 || res.Members[0] != res.Model {
		t.Fatalf("%d members, first %p, model %p", len(res.Members), res.Members[0], res.Model)
	}
	var mean []float64
	for i := range res.Members {
		single := cfg
		single.Ensemble, single.Seed = 1, cfg.Seed+uint64(i)
		r, err := forecast.Fit(context.Background(), s, single, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(r.Model.Params(), res.Members[i].Params()) {
			t.Fatalf("member %d differs from the single fit of seed %d", i+1, single.Seed)
		}
		// The scaled output of each member, from the points it forecast.
		for k, p := range r.Forecast {
			if i == 0 {
				mean = append(mean, 0)
			}
			mean[k] += r.Scaler.Scale(p.Value) / 3
		}
	}
	for k, p := range res.Forecast {
		if got := res.Scaler.Scale(p.Value); math.Abs(got-mean[k]) > 1e-12 {
			t.Errorf("step %d: ensemble %v, mean of the members %v", k+1, got, mean[k])
		}
	}

	weights, err := forecast.EncodeWeights(res.Members)
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
	pts, _, err := p.Predict(s)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(pts, res.Forecast) {
		t.Errorf("the predictor rebuilt from storage forecasts %v, the fit %v", pts, res.Forecast)
	}
	for _, n := range []int{0, 4, 9, len(weights) - 1} {
		if _, err := forecast.DecodeWeights(weights[:n]); err == nil {
			t.Errorf("weights cut to %d bytes decoded without error", n)
		}
	}
	if _, err := forecast.NewPredictor(weights, mustJSON(t, res.Export(), "ensemble", nil)); err == nil {
		t.Error("an export without its ensemble was accepted for ensemble weights")
	}
	one, _ := forecast.EncodeWeights([]*gru.Model{res.Model})
	if b, _ := res.Model.MarshalBinary(); !reflect.DeepEqual(one, b) {
		t.Error("a single member is not encoded as its own MarshalBinary")
	}
}

// mustJSON encodes v with key set to value (nil deletes it).
func mustJSON(t *testing.T, v any, key string, value any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(b, &m)
	if value == nil {
		delete(m, key)
	} else {
		m[key] = value
	}
	b, _ = json.Marshal(m)
	return b
}
