package forecast_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/forecast/classical"
	"github.com/forecast-dev/forecast/ingest"
)

// growingSeries is n daily values that grow 0.6 % a day with a weekly
// season that scales with them, above 0, then the values of tail.
func growingSeries(n int, tail ...float64) *ingest.Series {
	var times []time.Time
	var values []float64
	t0 := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		weekend := 1.0
		if i%7 >= 5 {
			weekend = 1.6
		}
		values = append(values, 20*math.Exp(0.006*float64(i))*weekend*(1+0.05*math.Sin(float64(i)*2.3)))
	}
	values = append(values, tail...)
	for i := range values {
		times = append(times, t0.AddDate(0, 0, i))
	}
	s := ingest.NewSeries("units", times, values)
	s.Freq = ingest.Freq{Step: 24 * time.Hour}
	return s
}

// exportOf returns the weights of res's network and its export as a JSON
// object, for a test to edit.
func exportOf(t *testing.T, res *forecast.Result) (weights []byte, export map[string]any) {
	t.Helper()
	weights, err := res.Model.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := json.Marshal(res.Export())
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(doc, &export); err != nil {
		t.Fatal(err)
	}
	return weights, export
}

// etsMAM is an export's part of ETS(M,A,M), fitted on growingSeries(300).
func etsMAM(t *testing.T) map[string]any {
	t.Helper()
	ets, err := classical.FitETS(growingSeries(300).Values(), 7, classical.ETSSpec{Error: "M", Trend: "A", Season: "M"})
	if err != nil {
		t.Fatal(err)
	}
	local, err := classical.Marshal(ets)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]any{"method": "ets", "method_name": "ETS(M,A,M)", "local": json.RawMessage(local)}
}

// TestForData: a model fitted where a series stayed above 0 (a network
// of its logarithm, ETS(M,A,M)) forecasts the series after a 0, a shop's
// first day closed: ETS in a form the values allow, a combination
// without the network, the network alone by seasonal naive, and says so;
// with fallback none the 0 is an error. Predict refused them all ("ets:
// ETS(M,A,M) needs positive data").
func TestForData(t *testing.T) {
	cfg := small
	cfg.Lookback, cfg.Horizon, cfg.Season, cfg.Epochs = 14, 7, 7, 2
	cfg.Transform = forecast.TransformLog
	res, err := forecast.Fit(context.Background(), growingSeries(300), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	weights, export := exportOf(t, res)
	etsPart := etsMAM(t)
	smeanPart := map[string]any{"method": "smean_drift", "method_name": "seasonal mean with drift"}
	predictor := func(t *testing.T, fields map[string]any) *forecast.Predictor {
		t.Helper()
		e := map[string]any{}
		for k, v := range export {
			e[k] = v
		}
		for k, v := range fields {
			e[k] = v
		}
		doc, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		p, err := forecast.NewPredictor(weights, doc)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	open, closed := growingSeries(300, 50), growingSeries(300, 0)
	for _, tc := range []struct {
		name      string
		fields    map[string]any
		label     string // of the predictor for the closed day
		adapted   []string
		errClosed string // of ForData
	}{
		{"ETS", map[string]any{"method": "ets", "method_name": "ETS(M,A,M)", "local": etsPart["local"], "fallback": "auto"}, "ets(A,", []string{
			`ETS(M,A,M) needs values above 0, and "units" has the value 0: ETS(A,`, " forecasts in its place"}, ""},
		{"Combination", map[string]any{"method": "comb", "components": []any{etsPart, smeanPart}, "fallback": "auto"}, "comb(ets(A,", []string{
			`ETS(M,A,M) needs values above 0, and "units" has the value 0: ETS(A,`,
			`; the network reads the logarithm of its last 14 values, and "units" has the value 0 among them: the combination forecasts without it`}, ""},
		{"GRU", map[string]any{"method": "gru", "fallback": "snaive"}, "snaive", []string{
			`the network reads the logarithm of its last 14 values, and "units" has the value 0 among them: seasonal naive forecasts in its place`}, ""},
		{"NoFallback", map[string]any{"method": "gru", "fallback": "none"}, "", nil,
			`the network reads the logarithm of its last 14 values, and "units" has the value 0 among them, and the model's fallback is none`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := predictor(t, tc.fields)
			if _, _, err := p.Predict(closed); err == nil {
				t.Fatal("Predict took the 0")
			}
			if q, err := p.ForData(open); err != nil || q != p {
				t.Fatalf("ForData of values above 0: %v, %v; want the predictor itself", q, err)
			}
			q, err := p.ForData(closed)
			if tc.errClosed != "" {
				if !errors.Is(err, forecast.ErrInvalid) || !strings.Contains(err.Error(), tc.errClosed) {
					t.Fatalf("ForData: %v, want ErrInvalid with %q", err, tc.errClosed)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			pts, _, err := q.Predict(closed)
			if err != nil {
				t.Fatal(err)
			}
			if got := q.MethodLabel(); !strings.HasPrefix(got, tc.label) || strings.Contains(got, "gru") {
				t.Errorf("label %q, want %q...", got, tc.label)
			}
			for _, want := range tc.adapted {
				if !strings.Contains(q.Adapted(), want) {
					t.Errorf("Adapted %q lacks %q", q.Adapted(), want)
				}
			}
			if p.Adapted() != "" || p.MethodLabel() == q.MethodLabel() {
				t.Errorf("the model changed: %q, %q", p.Adapted(), p.MethodLabel())
			}
			for _, pt := range pts {
				if !(pt.Value >= 0) || pt.Value > 200 {
					t.Errorf("step %d: %g", pt.Step, pt.Value)
				}
			}
		})
	}
}

// TestForSeriesZeroWithoutNetwork: a series of a global model of the
// logarithm that its own method forecasts without the network (here the
// seasonal mean) keeps that method after a 0, without a note; one the
// network forecasts is forecast without it, and says so. The first gave
// way to seasonal naive with "the network reads the logarithm".
func TestForSeriesZeroWithoutNetwork(t *testing.T) {
	cfg := small
	cfg.Lookback, cfg.Horizon, cfg.Season, cfg.Epochs = 14, 7, 7, 1
	cfg.Transform, cfg.Fallback = forecast.TransformLog, forecast.FallbackAuto
	a, b := growingSeries(300), growingSeries(300)
	a.ID, b.ID = "a", "b"
	res, err := forecast.FitMany(context.Background(), []*ingest.Series{a, b}, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	weights, export := exportOf(t, res)
	export["series_methods"] = []any{
		map[string]any{"id": "a", "method": "smean", "method_name": "seasonal mean"},
		map[string]any{"id": "b", "method": "gru", "method_name": "GRU"},
	}
	doc, err := json.Marshal(export)
	if err != nil {
		t.Fatal(err)
	}
	p, err := forecast.NewPredictor(weights, doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ id, label, adapted string }{
		{"a", "smean", ""},
		{"b", "snaive", `the network reads the logarithm of each series, and "units" has the value 0: seasonal naive forecasts in its place`},
	} {
		s := growingSeries(300, 0)
		s.ID = tc.id
		q, err := p.ForSeries(s, forecast.ProtocolV1)
		if err != nil {
			t.Fatalf("%s: %v", tc.id, err)
		}
		if q, err = q.ForData(s); err != nil {
			t.Fatalf("%s: %v", tc.id, err)
		}
		if _, _, err := q.Predict(s); err != nil {
			t.Fatalf("%s: %v", tc.id, err)
		}
		if got := q.MethodLabel(); got != tc.label || q.Adapted() != tc.adapted {
			t.Errorf("%s: by %s, adapted %q; want by %s, %q", tc.id, got, q.Adapted(), tc.label, tc.adapted)
		}
	}

	// A series new to a model whose series the combination of ETS(M,A,M)
	// forecasts: with a 0, ETS leaves its combination, which says so.
	comb := func(id string) map[string]any {
		return map[string]any{"id": id, "method": "comb", "method_name": "mean of GRU, ETS(M,A,M), seasonal mean with drift", "components": []any{
			etsMAM(t), map[string]any{"method": "smean_drift", "method_name": "seasonal mean with drift"}}}
	}
	export["series_methods"], export["all_series"] = []any{comb("a"), comb("b")}, true
	if doc, err = json.Marshal(export); err != nil {
		t.Fatal(err)
	}
	if p, err = forecast.NewPredictor(weights, doc); err != nil {
		t.Fatal(err)
	}
	s := growingSeries(300, 0)
	s.ID = "c"
	q, err := p.ForSeries(s, forecast.ProtocolV1)
	if err != nil {
		t.Fatal(err)
	}
	if q, err = q.ForData(s); err != nil {
		t.Fatal(err)
	}
	if got, want := q.MethodLabel(), "smean_drift"; got != want || !strings.Contains(q.Adapted(), `ETS(M,A,M), which forecasts most series of the model, does not fit "units" (ets: ETS(M,A,M) needs positive data`) {
		t.Errorf("new series c: by %s, adapted %q; want by %s, ETS left out", got, q.Adapted(), want)
	}
}
