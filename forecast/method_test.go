package forecast_test

import (
	"context"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/forecast/classical"
	"github.com/forecast-dev/forecast/ingest"
)

// trendSeries is a monthly series with a trend and a multiplicative
// season, the shape of AirPassengers.
func trendSeries(n int) *ingest.Series {
	var times []time.Time
	var values []float64
	t0 := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		times = append(times, t0.AddDate(0, i, 0))
		level := 100 + 2*float64(i)
		values = append(values, level*(1+0.2*math.Sin(2*math.Pi*float64(i)/12))+3*math.Sin(float64(i)*1.7))
	}
	s := ingest.NewSeries("sales", times, values)
	s.Freq = ingest.Freq{Months: 1}
	return s
}

// TestFallbackAuto trains a GRU that cannot have learned anything, on a
// series long enough for three validation windows a horizon apart, so a
// classical method beats the combination clearly and forecasts the series.
// Its forecast is that model's, fitted on the whole series; a predictor
// rebuilt from the export forecasts the same.
func TestFallbackAuto(t *testing.T) {
	cfg := small
	cfg.Lookback, cfg.Horizon, cfg.Season = 0, 12, 0
	cfg.Epochs, cfg.LR, cfg.Fallback = 1, 1e-9, forecast.FallbackAuto
	s := trendSeries(400)
	res, err := forecast.Fit(context.Background(), s, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Config.Season != 12 || res.Config.Lookback != 36 {
		t.Errorf("season %d, lookback %d; want 12 from the monthly frequency and 36, three seasons", res.Config.Season, res.Config.Lookback)
	}
	sr := res.Series[0]
	methods := map[string]float64{}
	for _, c := range sr.Candidates {
		methods[c.Method] = c.ValRatio
	}
	for _, m := range []string{forecast.MethodGRU, forecast.MethodETS, forecast.MethodTheta, forecast.MethodSeasonalNaive, forecast.MethodSeasonalMean, forecast.MethodCombination} {
		if _, ok := methods[m]; !ok {
			t.Errorf("candidates %+v lack %s", sr.Candidates, m)
		}
	}
	if sr.ValBlocks != 3 {
		t.Errorf("%d validation windows a horizon apart, want 3 (29 windows of 12)", sr.ValBlocks)
	}
	if sr.Method == forecast.MethodGRU || sr.Method == forecast.MethodCombination || !(methods[sr.Method] < methods[forecast.MethodCombination]) {
		t.Fatalf("method %s (%s) of %+v; want a classical method that beat the mean with the untrained GRU", sr.Method, sr.MethodName, sr.Candidates)
	}
	if res.Test.Selected == res.Test.GRU || !(res.Test.Selected.MASE < res.Test.GRU.MASE) {
		t.Errorf("test MASE selected %v, GRU %v; want the selected method scored, better than the GRU", res.Test.Selected.MASE, res.Test.GRU.MASE)
	}
	var want []float64
	switch sr.Method {
	case forecast.MethodSeasonalNaive, forecast.MethodSeasonalMean:
		want = make([]float64, 12)
		forecast.SeasonalNaive(want, s.Values(), s.Len(), 12)
		if sr.Method == forecast.MethodSeasonalMean {
			for k := range want {
				want[k] = (want[k] + s.Values()[s.Len()-24+k]) / 2
			}
		}
	default:
		m, err := classical.Fit(sr.Method, s.Values(), 12)
		if err != nil {
			t.Fatal(err)
		}
		want = m.Forecast(12)
	}
	for k, p := range res.Forecast {
		if p.Value != want[k] {
			t.Errorf("step %d: %v, want %v from %s fitted on the whole series", k+1, p.Value, want[k], sr.Method)
		}
		if len(p.Intervals) != 2 || !(p.Intervals[0].Lower < p.Value && p.Value < p.Intervals[0].Upper) ||
			!(p.Intervals[1].Lower <= p.Intervals[0].Lower && p.Intervals[0].Upper <= p.Intervals[1].Upper) {
			t.Errorf("step %d: intervals %+v, want 80 %% inside 95 %% around %v", k+1, p.Intervals, p.Value)
		}
	}
	weights, _ := forecast.EncodeWeights(res.Members)
	export, _ := json.Marshal(res.Export())
	p, err := forecast.NewPredictor(weights, export)
	if err != nil {
		t.Fatal(err)
	}
	pts, _, err := p.Predict(s)
	if err != nil || !reflect.DeepEqual(pts, res.Forecast) {
		t.Errorf("predictor: %v, %v; want the fit's %v", pts, err, res.Forecast)
	}
}

// TestShortSeries fits series of two seasons and a little more, which the
// 70/10/20 split cannot give a horizon of validation and test: they get a
// horizon each, the shortest no test part, and the fit works.
func TestShortSeries(t *testing.T) {
	cfg := forecast.Config{Horizon: 12, Season: 12, Hidden: 8, Epochs: 3, Ensemble: 1}
	for _, n := range []int{30, 40, 60} {
		res, err := forecast.Fit(context.Background(), trendSeries(n), cfg, nil)
		if err != nil {
			t.Errorf("%d values: %v", n, err)
			continue
		}
		if sp := res.Split; sp.Val < 12 || (sp.Test < 12 && n > 30) || sp.TrainWindows < 1 {
			t.Errorf("%d values: split %+v, want a horizon of validation and test (none for 30 values) and a train window", n, sp)
		}
		for _, p := range res.Forecast {
			if math.IsNaN(p.Value) || math.IsInf(p.Value, 0) {
				t.Errorf("%d values: forecast %v", n, p.Value)
			}
		}
		if sr := res.Series[0]; sr.ValBlocks != 1 {
			t.Errorf("%d values: %d validation windows a horizon apart, want 1", n, sr.ValBlocks)
		}
	}
}

// TestSplitShort checks the parts v1 gives series too short for its shares.
func TestSplitShort(t *testing.T) {
	for _, tt := range []struct {
		n    int
		want forecast.Split
	}{
		// 10 % and 20 % hold a horizon of 6: v1 as it is.
		{100, forecast.Split{Train: 70, Val: 10, Test: 20, TrainWindows: 70 - 2 - 6 + 1, ValWindows: 10 - 6 + 1, TestWindows: 20 - 6 + 1}},
		// 10 % of 50 is 5: a horizon of validation, the train part shrinks.
		{50, forecast.Split{Train: 34, Val: 6, Test: 10, TrainWindows: 34 - 2 - 6 + 1, ValWindows: 1, TestWindows: 10 - 6 + 1}},
		// 20 values leave 8 for training beside a horizon each of
		// validation and test; that is enough (a horizon and two).
		{20, forecast.Split{Train: 8, Val: 6, Test: 6, TrainWindows: 8 - 2 - 6 + 1, ValWindows: 1, TestWindows: 1}},
		// 18 would leave 6: no test part.
		{18, forecast.Split{Train: 12, Val: 6, Test: 0, TrainWindows: 12 - 2 - 6 + 1, ValWindows: 1, TestWindows: 0}},
	} {
		got, err := forecast.NewSplit(tt.n, forecast.Config{Lookback: 2, Horizon: 6})
		if err != nil || got != tt.want {
			t.Errorf("%d values: split %+v, %v; want %+v", tt.n, got, err, tt.want)
		}
	}
}

// TestClassicalOnly fits a series of two years of monthly values with a
// horizon of a year, too short for the network: the classical methods
// forecast it, and a predictor rebuilt from the export (with no weights)
// forecasts the same, bit for bit.
func TestClassicalOnly(t *testing.T) {
	s := trendSeries(24)
	res, err := forecast.Fit(context.Background(), s, forecast.Config{Horizon: 12, Season: 12}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sr := res.Series[0]
	if res.Model != nil || len(res.Members) != 0 || len(res.History) != 0 {
		t.Errorf("model %v, %d members, %d epochs; want no network", res.Model, len(res.Members), len(res.History))
	}
	if sr.Method != forecast.MethodCombination || len(res.Forecast) != 12 || res.Split.Test != 0 {
		t.Errorf("method %s, %d forecast steps, test part %d; want comb, 12, 0", sr.Method, len(res.Forecast), res.Split.Test)
	}
	for _, c := range sr.Candidates {
		if c.Method == forecast.MethodGRU {
			t.Errorf("candidates %+v include the GRU", sr.Candidates)
		}
	}
	weights, err := forecast.EncodeWeights(res.Members)
	if err != nil || len(weights) != 0 {
		t.Fatalf("weights %d bytes, %v; want none", len(weights), err)
	}
	export, _ := json.Marshal(res.Export())
	p, err := forecast.NewPredictor(weights, export)
	if err != nil {
		t.Fatal(err)
	}
	pts, _, err := p.Predict(s)
	if err != nil || !reflect.DeepEqual(pts, res.Forecast) {
		t.Errorf("predictor: %v, %v; want the fit's %v", pts, err, res.Forecast)
	}
	if p.Horizon() != 12 || p.MethodLabel() != sr.Label() || strings.Contains(p.MethodLabel(), "gru") {
		t.Errorf("predictor horizon %d, label %q; want 12 and the fit's label %q, of the classical parts alone", p.Horizon(), p.MethodLabel(), sr.Label())
	}
	if _, err := forecast.NewPredictor([]byte{1, 2, 3}, export); err == nil {
		t.Error("a classical-only export with weights: no error")
	}
}

// TestMethodLabel: a stored forecast names ETS by its form and ARIMA by its
// orders, as classical's models name themselves, and the rest by method.
func TestMethodLabel(t *testing.T) {
	for _, tt := range []struct{ method, name, want string }{
		{forecast.MethodETS, "ETS(M,Ad,M)", "ets(M,Ad,M)"},
		{forecast.MethodARIMA, "ARIMA(2,1,0)(1,1,0)[12] with drift", "arima(2,1,0)(1,1,0)[12]"},
		{forecast.MethodARIMA, "ARIMA(3,0,0) with non-zero mean", "arima(3,0,0)"},
		{forecast.MethodARIMA, "ARIMA(0,1,0)", "arima(0,1,0)"},
		{forecast.MethodTheta, "Theta", "theta"},
		{forecast.MethodSeasonalMeanDrift, "seasonal mean with drift", "smean_drift"},
	} {
		if got := forecast.MethodLabel(tt.method, tt.name); got != tt.want {
			t.Errorf("forecast.MethodLabel(%q, %q) = %q, want %q", tt.method, tt.name, got, tt.want)
		}
	}
}

// TestCandidateJSON: a candidate infinitely worse than seasonal naive (which
// forecast a validation part that stayed constant exactly) is stored with
// a null ratio and read back as +Inf; a finite ratio is kept to the bit.
// Storing such a fit used to fail: JSON numbers cannot be +Inf.
func TestCandidateJSON(t *testing.T) {
	in := []forecast.Candidate{{Method: "theta", Name: "Theta", ValRatio: math.Inf(1)}, {Method: "ets", Name: "ETS(A,N,N)", ValRatio: 0.7343758}}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if want := `[{"method":"theta","name":"Theta","val_ratio":null},{"method":"ets","name":"ETS(A,N,N)","val_ratio":0.7343758}]`; string(b) != want {
		t.Errorf("JSON %s, want %s", b, want)
	}
	var out []forecast.Candidate
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(out, in) {
		t.Errorf("read back %+v, want %+v", out, in)
	}
}
