package forecast_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/forecast"
)

// Every field is set, so that a field the codec drops fails the test.
var (
	someParams = forecast.Params{
		Batch: 32, Calendar: true, Clip: 0.5, Ensemble: 3, Epochs: 30, Fallback: forecast.FallbackSeasonalNaive,
		Features: []string{"load", "cal:hour_sin"}, Global: true, Hidden: 64, Horizon: 24, Layers: 2, Level: "80,95",
		Lookback: 48, LR: 1e-3, Method: forecast.MethodETS, MethodName: "ETS(A,N,A)", Patience: 5,
		Protocol: forecast.ProtocolHoldout, Season: 24, Seed: 1<<63 + 7, Series: 12, Target: "load",
		Transform: forecast.TransformLog, WindowNorm: forecast.NormLast, WindowsPerEpoch: 4096,
	}
	someReport = forecast.Report{
		Test: forecast.Scores{
			Selected: forecast.Metrics{MAE: 1.5, RMSE: 2, SMAPE: 3.25, MASE: 0.75, MSEScaled: 0.1, MAEScaled: 0.2},
			GRU:      forecast.Metrics{MAE: 1.6, MASE: 0.8}, Naive: forecast.Metrics{MASE: 1.2},
			SeasonalNaive: forecast.Metrics{MASE: 1}, Drift: forecast.Metrics{MASE: 1.3}, Coverage: []float64{0.81, 0.94},
		},
		MASEScale: 2.5, BestEpoch: 2, Epochs: 3, ValLoss: 0.25,
		History: []forecast.EpochRecord{{1, 0.5, 0.4}, {2, 0.3, 0.25}, {3, 0.2, 0.3}},
		Windows: map[string]int{"train": 100, "validation": 10, "test": 20}, Seconds: 1.25,
		Methods:    map[string]int{forecast.MethodGRU: 2, forecast.MethodETS: 1},
		Candidates: []forecast.Candidate{{Method: forecast.MethodETS, Name: "ETS(A,N,A)", ValRatio: 0.9}},
		Trials:     []forecast.Trial{{Norm: forecast.NormLast, Transform: forecast.TransformNone, ValMASE: 0.8}},
	}
)

func TestParamsRoundTrip(t *testing.T) {
	doc, err := someParams.Encode()
	if err != nil {
		t.Fatal(err)
	}
	got, err := forecast.ParseParams(doc)
	if err != nil {
		t.Fatal(err)
	}
	again, err := got.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if again != doc {
		t.Fatalf("params %s read back as %s", doc, again)
	}
	// Every key the document holds is stored; a key it lacks is not.
	for _, key := range []string{"window_norm", "clip", "seed", "features"} {
		if !got.Stored(key) {
			t.Errorf("Stored(%q) = false for %s", key, doc)
		}
	}
	old, err := forecast.ParseParams(`{"horizon":12}`)
	if err != nil {
		t.Fatal(err)
	}
	if old.Stored("clip") || !old.Stored("horizon") || old.Horizon != 12 {
		t.Errorf(`{"horizon":12}: Stored(clip) %v, Stored(horizon) %v, horizon %d`, old.Stored("clip"), old.Stored("horizon"), old.Horizon)
	}
}

func TestReportRoundTrip(t *testing.T) {
	doc, err := someReport.Encode()
	if err != nil {
		t.Fatal(err)
	}
	got, err := forecast.ParseReport(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, someReport) {
		t.Fatalf("report %s read back as %+v, want %+v", doc, got, someReport)
	}
	z := forecast.ZScore{Mean: 3.5, Std: 0.25, Log: true}
	if doc, err = z.Encode(); err != nil {
		t.Fatal(err)
	}
	if got, err := forecast.ParseZScore(doc); err != nil || got != z {
		t.Fatalf("scaler %s read back as %+v (%v), want %+v", doc, got, err, z)
	}
}

// TestReportWithoutNetwork: the metrics of a version without a network
// (forecast by the classical methods alone) hold no GRU scores, rather
// than zeros a view or the API would show as a perfect GRU; they read back
// as zero Metrics, which stands for none.
func TestReportWithoutNetwork(t *testing.T) {
	classical := forecast.Report{Test: forecast.Scores{Selected: forecast.Metrics{MAE: 2, MASE: 0.5}, Naive: forecast.Metrics{MASE: 1.5}}}
	doc, err := classical.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(doc, `"gru"`) {
		t.Errorf("metrics without a network %s hold GRU scores", doc)
	}
	if got, err := forecast.ParseReport(doc); err != nil || got.Test.GRU != (forecast.Metrics{}) || got.Test.Selected.MASE != 0.5 {
		t.Errorf("read back as %+v, %v", got.Test, err)
	}
	if doc, err := someReport.Encode(); err != nil || !strings.Contains(doc, `"gru":{`) {
		t.Errorf("metrics with a network %s (%v) lack the GRU's scores", doc, err)
	}
}

// TestParamsDocumentLayout checks that Params writes its keys sorted, as
// encoding/json wrote the map the params document was made of before it
// was typed, so that a document of the same settings reads as it did.
func TestParamsDocumentLayout(t *testing.T) {
	doc, err := someParams.Encode()
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	dec := json.NewDecoder(strings.NewReader(doc))
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k.(string))
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			t.Fatal(err)
		}
	}
	for i := 1; i < len(keys); i++ {
		if keys[i-1] >= keys[i] {
			t.Fatalf("params keys %q: %q before %q", keys, keys[i-1], keys[i])
		}
	}
}

// TestParseOldDocuments reads documents as earlier versions stored them:
// none at all (an imported model), and the params of schema 0001's fit,
// which lacked most settings of today.
func TestParseOldDocuments(t *testing.T) {
	if p, err := forecast.ParseParams(""); err != nil || !reflect.DeepEqual(p, forecast.Params{}) {
		t.Fatalf("no params: %+v, %v; want the zero value", p, err)
	}
	if r, err := forecast.ParseReport(""); err != nil || !reflect.DeepEqual(r, forecast.Report{}) {
		t.Fatalf("no metrics: %+v, %v; want the zero value", r, err)
	}
	if z, err := forecast.ParseZScore(""); err != nil || z != (forecast.ZScore{}) {
		t.Fatalf("no scaler: %+v, %v; want the zero value", z, err)
	}
	old := `{"batch":32,"clip":1,"epochs":30,"hidden":64,"horizon":12,"layers":2,"lookback":24,"lr":0.001,` +
		`"patience":5,"protocol":"v1","season":12,"seed":42,"target":"Passengers"}`
	p, err := forecast.ParseParams(old)
	if err != nil {
		t.Fatal(err)
	}
	want := forecast.Params{Batch: 32, Clip: 1, Epochs: 30, Hidden: 64, Horizon: 12, Layers: 2, Lookback: 24, LR: 0.001,
		Patience: 5, Protocol: forecast.ProtocolV1, Season: 12, Seed: 42, Target: "Passengers"}
	if got, _ := p.Encode(); got != mustEncode(t, want) {
		t.Fatalf("old params read as %s, want %s", got, mustEncode(t, want))
	}
	if !p.Stored("season") || p.Stored("window_norm") {
		t.Errorf("old params: Stored(season) %v, Stored(window_norm) %v; want true, false", p.Stored("season"), p.Stored("window_norm"))
	}
	if p.ScalesPerSeries() {
		t.Fatal("a model of one series stored before batch scales per series")
	}
	for _, bad := range []string{"{", `{"lookback":"24"}`, "[]"} {
		if _, err := forecast.ParseParams(bad); err == nil {
			t.Fatalf("params %q read without an error", bad)
		}
	}
	if _, err := forecast.ParseReport(`{"test":1}`); err == nil {
		t.Fatal(`metrics {"test":1} read without an error`)
	}
	// Metrics stored before methods competed score the GRU alone: no
	// selected scores are written back (the dashboard showed their
	// zeros as a test MASE of 0).
	r, err := forecast.ParseReport(`{"test":{"gru":{"mae":1,"mase":6.4755},"naive":{"mase":2.177}}}`)
	if err != nil {
		t.Fatal(err)
	}
	if doc, err := r.Encode(); err != nil || strings.Contains(doc, "selected") {
		t.Errorf("old metrics written back as %s (%v): want no selected scores", doc, err)
	}
	if mase, ok := r.TestMASE(); !ok || mase != 6.4755 {
		t.Errorf("old metrics' test MASE %v, %v; want the GRU's 6.4755", mase, ok)
	}
	// A forecast without error, of a version whose methods competed, is
	// scored 0 (its selected scores, all zero, are left out of the JSON),
	// not by the GRU's.
	r, err = forecast.ParseReport(`{"test":{"gru":{"mae":1,"mase":1.7714},"naive":{"mase":2.177}},"methods":{"smean_week":1}}`)
	if err != nil {
		t.Fatal(err)
	}
	if mase, ok := r.TestMASE(); !ok || mase != 0 {
		t.Errorf("a perfect forecast's test MASE %v, %v; want 0", mase, ok)
	}
	// Without a test part there is no test MASE.
	if _, ok := (forecast.Report{Methods: map[string]int{"comb": 1}}).TestMASE(); ok {
		t.Error("a version without a test part has a test MASE")
	}
}

func TestEncodeRefusesNonFinite(t *testing.T) {
	r := someReport
	r.Test.GRU.MASE = math.Inf(1)
	_, err := r.Encode()
	var bad *json.UnsupportedValueError
	if !errors.As(err, &bad) {
		t.Fatalf("report with an infinite MASE: err = %v, want a *json.UnsupportedValueError", err)
	}
}

func TestScalesPerSeries(t *testing.T) {
	for _, c := range []struct {
		p    forecast.Params
		want bool
	}{
		{forecast.Params{}, false},
		{forecast.Params{Series: 1}, false},
		{forecast.Params{Series: 2}, true},
		{forecast.Params{Series: 1, Global: true}, true},
	} {
		if got := c.p.ScalesPerSeries(); got != c.want {
			t.Errorf("%+v: ScalesPerSeries %v, want %v", c.p, got, c.want)
		}
	}
	if got := (forecast.Params{}).SplitProtocol(); got != forecast.ProtocolV1 {
		t.Errorf("no protocol: SplitProtocol %q, want v1", got)
	}
	if got := (forecast.Params{Protocol: forecast.ProtocolM4}).SplitProtocol(); got != forecast.ProtocolM4 {
		t.Errorf("protocol m4: SplitProtocol %q", got)
	}
}

// TestPredictorFor checks the settings and report of a real fit, and that
// PredictorFor keeps the training scale for a model of one series and
// scales by the series' own history for a global one.
func TestPredictorFor(t *testing.T) {
	s := sineSeries(300)
	res, err := forecast.Fit(context.Background(), s, small, nil)
	if err != nil {
		t.Fatal(err)
	}
	params := res.Params(s.Name, 1)
	if params.Series != 1 || params.Lookback != small.Lookback || params.Level != "80,95" || params.Method != res.Series[0].Method ||
		params.Target != "y" || params.Seed != small.Seed || params.Protocol != res.Config.Protocol {
		t.Fatalf("params of the fit: %+v", params)
	}
	rep := res.Report(1500 * time.Millisecond)
	if rep.Epochs != len(res.History) || rep.BestEpoch != res.BestEpoch || rep.Seconds != 1.5 ||
		rep.ValLoss != res.History[res.BestEpoch-1].ValLoss || rep.Methods[res.Series[0].Method] != 1 ||
		rep.Windows["test"] != res.Split.TestWindows || !reflect.DeepEqual(rep.Test, res.Test) {
		t.Fatalf("report of the fit: %+v", rep)
	}

	p := readBack(t, res)
	// New data on another scale: the training scale and its own differ.
	values := sineSeries(300).Values()
	for i := range values {
		values[i] = 10*values[i] + 50
	}
	other := withValues(sineSeries(300), values)
	q, err := forecast.PredictorFor(p, params, other)
	if err != nil || q != p {
		t.Fatalf("a model of one series: PredictorFor gave %p (%v), want the predictor %p itself", q, err, p)
	}
	params.Global = true
	if q, err = forecast.PredictorFor(p, params, other); err != nil {
		t.Fatal(err)
	}
	want, err := p.ForSeries(other, res.Config.Protocol)
	if err != nil {
		t.Fatal(err)
	}
	if q.Scaler != want.Scaler || q.Scaler == p.Scaler {
		t.Fatalf("a global model: scaler %+v, want %+v (the series' own), not the training data's %+v", q.Scaler, want.Scaler, p.Scaler)
	}
}

// mustEncode is p's params document.
func mustEncode(t *testing.T, p forecast.Params) string {
	t.Helper()
	doc, err := p.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
