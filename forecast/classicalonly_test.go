package forecast

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/ingest"
)

// yearlySeries returns n yearly values of a trend with an autoregressive
// wobble, dated from 1900.
func yearlySeries(n int) *ingest.Series {
	var times []time.Time
	var values []float64
	t := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	var wobble float64
	for i := 0; i < n; i++ {
		wobble = 0.6*wobble + 4*math.Sin(float64(i)*2.3)
		times = append(times, ingest.Freq{Months: 12}.Add(t, i))
		values = append(values, 500+3*float64(i)+wobble)
	}
	s := ingest.NewSeries("y", times, values)
	s.Freq = ingest.Freq{Months: 12}
	return s
}

// TestClassicalOnlyGate: under the defaults the network leaves out a single
// series under minNetworkValues values whose season is under
// minNetworkSeason steps, and forecasts a longer one, a monthly one of the
// same length, and a short yearly one when the fallback is not auto.
func TestClassicalOnlyGate(t *testing.T) {
	for _, tt := range []struct {
		name string
		s    *ingest.Series
		cfg  Config
		want bool
	}{
		{"Yearly100", yearlySeries(100), Config{}, true},
		{"Yearly199", yearlySeries(minNetworkValues - 1), Config{}, true},
		{"Yearly200", yearlySeries(minNetworkValues), Config{}, false},
		{"Quarterly100", seasonal(100, 4, ingest.Freq{Months: 3}), Config{Season: 4}, true},
		{"Monthly100", seasonal(100, 12, ingest.Freq{Months: 1}), Config{Season: 12}, false},
		{"Yearly100FallbackNone", yearlySeries(100), Config{Fallback: FallbackNone}, false},
		{"TwoSeries", yearlySeries(100), Config{}, false}, // a global model of two
	} {
		t.Run(tt.name, func(t *testing.T) {
			series := []*ingest.Series{tt.s}
			if tt.name == "TwoSeries" {
				series = append(series, yearlySeries(100))
			}
			cfg, err := tt.cfg.Resolve(series)
			if err != nil {
				t.Fatal(err)
			}
			if got := cfg.ClassicalOnly(series); got != tt.want {
				t.Errorf("ClassicalOnly = %v, want %v (season %d, %d values)", got, tt.want, cfg.Season, tt.s.Len())
			}
		})
	}
}

// TestClassicalOnlyTestPart fits a yearly series of 100 values with the
// defaults: no network, a v1 split with a test part whose scores are those
// of the chosen methods refitted before it, and a backtest without refit
// over that test part that scores the same forecasts.
func TestClassicalOnlyTestPart(t *testing.T) {
	s := yearlySeries(100)
	res, err := Fit(context.Background(), s, Config{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Model != nil || len(res.Members) != 0 || len(res.History) != 0 {
		t.Fatalf("a network was trained on 100 yearly values: model %v, %d members", res.Model != nil, len(res.Members))
	}
	sp := res.Split
	if want := (Split{Train: 70, Val: 10, Test: 20, ValWindows: 10 - 6 + 1, TestWindows: 20 - 6 + 1}); sp != want {
		t.Errorf("split %+v, want %+v", sp, want)
	}
	if res.Test.GRU != (Metrics{}) {
		t.Errorf("GRU test scores %+v, want none", res.Test.GRU)
	}
	sel := res.Test.Selected
	if !(sel.MASE > 0) || math.IsInf(sel.MASE, 0) || len(res.Test.Coverage) != 2 {
		t.Errorf("test scores %+v, coverage %v; want a finite MASE and two levels", sel, res.Test.Coverage)
	}
	// The naive forecast scored by hand over the 15 test origins, with the
	// MASE scale of the train part.
	var abs, scale float64
	for t := 1; t < 70; t++ {
		scale += math.Abs(s.Value(t)-s.Value(t-1)) / 69
	}
	for o := 80; o+6 <= 100; o++ {
		for k := range 6 {
			abs += math.Abs(s.Value(o+k) - s.Value(o-1))
		}
	}
	if got, want := res.Test.Naive.MASE, abs/(15*6)/scale; math.Abs(got-want) > 1e-12 {
		t.Errorf("naive test MASE %v, want %v", got, want)
	}
	bt, err := Backtest(context.Background(), []*ingest.Series{s}, Config{}, BacktestConfig{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(bt.Folds) != sp.TestWindows {
		t.Fatalf("%d folds, want one per test origin, %d", len(bt.Folds), sp.TestWindows)
	}
	if got, want := bt.Overall.Selected.MAE, res.Test.Selected.MAE; math.Abs(got-want) > 1e-9*want {
		t.Errorf("backtest MAE %v, want the fit's test MAE %v", got, want)
	}
	if bt.Overall.GRU != (Metrics{}) || bt.Folds[0].Scores.GRU != (Metrics{}) {
		t.Errorf("backtest GRU scores %+v, want none", bt.Overall.GRU)
	}
}

// TestClassicalOnlyNoTestPart: a series too short for a test part has no
// test scores, and its metrics document says nothing of a test rather than
// scores of 0, which would read as perfect.
func TestClassicalOnlyNoTestPart(t *testing.T) {
	res, err := Fit(context.Background(), yearlySeries(8), Config{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Split.TestWindows != 0 {
		t.Fatalf("split %+v, want no test windows", res.Split)
	}
	assertNoTestScores(t, res)
}

// storedPredictor is the predictor of res as its stored weights and
// export rebuild it.
func storedPredictor(t *testing.T, res *Result) *Predictor {
	t.Helper()
	var weights []byte
	if res.Model != nil {
		var err error
		if weights, err = EncodeWeights(res.Members); err != nil {
			t.Fatal(err)
		}
	}
	export, err := json.Marshal(res.Export())
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewPredictor(weights, export)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// assertNoTestScores fails t if the metrics document of res holds test
// scores.
func assertNoTestScores(t *testing.T, res *Result) {
	t.Helper()
	doc, err := res.Report(time.Second).Encode()
	if err != nil {
		t.Fatal(err)
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal([]byte(doc), &keys); err != nil {
		t.Fatal(err)
	}
	if test, ok := keys["test"]; ok {
		t.Errorf("metrics of a fit without a test part hold test scores %s", test)
	}
}

// TestClassicalParts: without a season, ETS and ARIMA make the
// combination; with one, ETS and the seasonal mean with drift.
func TestClassicalParts(t *testing.T) {
	preds := map[string][]float64{MethodETS: {1}, MethodARIMA: {2}, MethodSeasonalMeanDrift: {3}, MethodTheta: {4}}
	if got, want := classicalParts(preds, 1), []string{MethodETS, MethodARIMA}; !reflect.DeepEqual(got, want) {
		t.Errorf("season 1: %v, want %v", got, want)
	}
	if got, want := classicalParts(preds, 4), []string{MethodETS, MethodSeasonalMeanDrift}; !reflect.DeepEqual(got, want) {
		t.Errorf("season 4: %v, want %v", got, want)
	}
	delete(preds, MethodARIMA) // ARIMA did not fit
	if got, want := classicalParts(preds, 1), []string{MethodETS, MethodSeasonalMeanDrift}; !reflect.DeepEqual(got, want) {
		t.Errorf("season 1 without ARIMA: %v, want %v", got, want)
	}
}

// TestRefitErrorNamesItsMethodOnce: a stored classical model that cannot
// be refitted on the data given to predict says why, its method named once
// (it read "ets: ets: …").
func TestRefitErrorNamesItsMethodOnce(t *testing.T) {
	res, err := Fit(context.Background(), yearlySeries(100), Config{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = storedPredictor(t, res).Predict(yearlySeries(2))
	if want := "invalid input: ets: need at least 3 values, got 2"; err == nil || err.Error() != want {
		t.Errorf("predict on 2 values: %v, want %q", err, want)
	}
}

// datedSeries returns values dated every f from 2000-01-01.
func datedSeries(values []float64, f ingest.Freq) *ingest.Series {
	times := make([]time.Time, len(values))
	for i := range values {
		times[i] = f.Add(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), i)
	}
	s := ingest.NewSeries("y", times, values)
	s.Freq = f
	return s
}

func TestRepeats(t *testing.T) {
	for _, tt := range []struct {
		y    []float64
		m    int
		want bool
	}{
		{[]float64{5, 5, 5}, 1, true},
		{[]float64{5, 5, 6}, 1, false},
		{[]float64{1, 2, 1, 2, 1}, 2, true},
		{[]float64{1, 2, 1, 2, 1}, 1, false},
		{[]float64{1, 2, 1, 3}, 2, false},
		{[]float64{7}, 12, true},
		{[]float64{5, 5, 5}, 0, true}, // no season reads as 1
		// Rounding is no change: sin(kπ) is 1.2e-16, not 0.
		{[]float64{0, 1, math.Sin(2 * math.Pi / 4 * 2), -1, math.Sin(2 * math.Pi / 4 * 4), 1}, 4, true},
		// A change of 1 on a level of 1e12 is one.
		{[]float64{1e12, 1e12, 1e12 + 1}, 1, false},
	} {
		if got := Repeats(tt.y, tt.m); got != tt.want {
			t.Errorf("Repeats(%v, %d) = %v, want %v", tt.y, tt.m, got, tt.want)
		}
	}
}

// TestFitRepeating: a series that never changes, or repeats itself exactly
// every season, is forecast by seasonal naive exactly (under Fallback auto
// or snaive), with intervals of no width, nothing validated or tested, and
// no test scores in its metrics; the stored model forecasts the same.
func TestFitRepeating(t *testing.T) {
	constant := make([]float64, 60)
	for i := range constant {
		constant[i] = 5
	}
	seasonal := make([]float64, 40)
	for i := range seasonal {
		seasonal[i] = []float64{3, 8, 1, 4}[i%4]
	}
	weekly := make([]float64, 60)
	for i := range weekly {
		weekly[i] = []float64{3, 8, 5, 2, 3, 5, 13}[i%7]
	}
	for _, tt := range []struct {
		name string
		s    *ingest.Series
		cfg  Config
		next func(step int) float64
		why  string
	}{
		{"Constant", datedSeries(constant, ingest.Freq{Months: 1}), Config{}, func(int) float64 { return 5 }, "the series is constant (every value 5)"},
		{"FallbackSeasonalNaive", datedSeries(constant, ingest.Freq{Months: 1}), Config{Fallback: FallbackSeasonalNaive}, func(int) float64 { return 5 }, "the series is constant (every value 5)"},
		{"Seasonal", datedSeries(seasonal, ingest.Freq{Months: 3}), Config{Season: 4}, func(k int) float64 { return seasonal[(40+k-1)%4] }, "the series repeats itself exactly every 4 steps (its season)"},
		// Too short for a validation part: still fitted, not refused (its
		// intervals unbounded: too few origins to calibrate them).
		{"ThreeValues", datedSeries(constant[:3], ingest.Freq{Months: 1}), Config{}, func(int) float64 { return 5 }, "the series is constant (every value 5)"},
		// A season given at which the series does not repeat: it is
		// forecast, and the model stored, at the season it repeats at.
		{"OtherSeasonGiven", datedSeries(weekly, ingest.Freq{Step: 24 * time.Hour}), Config{Season: 5}, func(k int) float64 { return weekly[(60+k-1)%7] }, "the series repeats itself exactly every 7 steps (its season)"},
		{"LongSeasonGiven", datedSeries(constant[:10], ingest.Freq{Months: 1}), Config{Season: 12}, func(int) float64 { return 5 }, "the series is constant (every value 5)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Fit(context.Background(), tt.s, tt.cfg, nil)
			if err != nil {
				t.Fatal(err)
			}
			sr := res.Series[0]
			if res.Model != nil || !sr.Repeats || sr.Method != MethodSeasonalNaive || len(sr.Candidates) != 0 || res.NoNetwork != tt.why {
				t.Fatalf("model %v, repeats %v, method %s, %d candidates, why %q; want seasonal naive alone because %q",
					res.Model != nil, sr.Repeats, sr.Method, len(sr.Candidates), res.NoNetwork, tt.why)
			}
			if len(res.Forecast) != res.Config.Horizon {
				t.Fatalf("%d steps, want %d", len(res.Forecast), res.Config.Horizon)
			}
			for _, p := range res.Forecast {
				if p.Value != tt.next(p.Step) || len(p.Intervals) != 2 {
					t.Fatalf("step %d: %+v, want %v with two intervals", p.Step, p, tt.next(p.Step))
				}
				for _, iv := range p.Intervals {
					unbounded := math.IsInf(iv.Lower, -1) && math.IsInf(iv.Upper, 1)
					if (iv.Lower != p.Value || iv.Upper != p.Value) && !(unbounded && tt.s.Len() < 20) {
						t.Fatalf("step %d: interval %+v, want no width", p.Step, iv)
					}
				}
			}
			assertNoTestScores(t, res)
			pts, _, err := storedPredictor(t, res).Predict(tt.s)
			if err != nil || !reflect.DeepEqual(pts, res.Forecast) {
				t.Errorf("stored model forecast %v (%v), fit %v", pts, err, res.Forecast)
			}
		})
	}
}

// TestFitNewProduct: a series of zeros until its first sale 50 days before
// its end trains no network, which would learn nothing from its train
// part; the classical methods forecast it from its recent level, with test
// scores scaled by the values before the test part (the train part's
// changes being none) and intervals calibrated after the first sale.
func TestFitNewProduct(t *testing.T) {
	y := make([]float64, 200)
	for i := 150; i < 200; i++ {
		y[i] = 1 + 0.4*float64(i-150) + 2*math.Sin(float64(i)*1.7)
	}
	s := datedSeries(y, ingest.Freq{Step: 24 * time.Hour})
	cfg, err := Config{}.Resolve([]*ingest.Series{s})
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.ClassicalOnly([]*ingest.Series{s}) {
		t.Fatalf("a network would be trained on %d zeros", cfg.Horizon)
	}
	if why, want := cfg.WhyClassicalOnly(s), "the train part is constant (every value 0), which leaves the network nothing to learn"; why != want {
		t.Errorf("why no network: %q, want %q", why, want)
	}
	res, err := Fit(context.Background(), s, Config{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := res.Config.Protocol.bounds(len(y), res.Config.Horizon)
	scale, err := MASEScale(y[:b.Val], res.Config.Season)
	if err != nil {
		t.Fatal(err)
	}
	if res.MASEScale != scale || !(res.Test.Selected.MASE > 0) || math.IsInf(res.Test.Selected.MASE, 0) {
		t.Errorf("MASE scale %v (want %v, of the values before the test part), test MASE %v", res.MASEScale, scale, res.Test.Selected.MASE)
	}
	last := y[len(y)-1]
	first := res.Forecast[0]
	if math.Abs(first.Value-last) > 5 {
		t.Errorf("first step %v, far from the last value %v", first.Value, last)
	}
	if iv := first.Intervals[0]; !(iv.Upper-iv.Lower > 1) {
		t.Errorf("80%% interval %+v at the first step: calibrated on the zeros", iv)
	}
}

// TestBacktestNewProductAndConstant: a new product backtests over its fit's
// test part with the fit's scores; a constant series has nothing to
// backtest, and says so.
func TestBacktestNewProductAndConstant(t *testing.T) {
	y := make([]float64, 200)
	for i := 150; i < 200; i++ {
		y[i] = 1 + 0.4*float64(i-150) + 2*math.Sin(float64(i)*1.7)
	}
	s := datedSeries(y, ingest.Freq{Step: 24 * time.Hour})
	res, err := Fit(context.Background(), s, Config{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	bt, err := Backtest(context.Background(), []*ingest.Series{s}, Config{}, BacktestConfig{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := bt.Overall.Selected.MAE, res.Test.Selected.MAE; math.Abs(got-want) > 1e-9*want {
		t.Errorf("backtest MAE %v, want the fit's test MAE %v", got, want)
	}
	flat := datedSeries(make([]float64, 60), ingest.Freq{Months: 1})
	if _, err := Backtest(context.Background(), []*ingest.Series{flat}, Config{}, BacktestConfig{Refit: true}, nil); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "is constant (every value 0)") || !strings.Contains(err.Error(), "nothing to backtest") {
		t.Errorf("backtest of a constant series: %v", err)
	}
}

// TestResolveNothingToLearn: where the network must train (Fallback none),
// or may (snaive) on a series that does not repeat throughout, a train
// part that repeats every season is refused before anything is trained,
// naming the series and the fallback that forecasts it.
func TestResolveNothingToLearn(t *testing.T) {
	newProduct := make([]float64, 200)
	for i := 150; i < 200; i++ {
		newProduct[i] = float64(i - 150)
	}
	for _, tt := range []struct {
		name     string
		values   []float64
		fallback Fallback
	}{
		{"ConstantNone", make([]float64, 60), FallbackNone},
		{"NewProductNone", newProduct, FallbackNone},
		{"NewProductSeasonalNaive", newProduct, FallbackSeasonalNaive},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Config{Fallback: tt.fallback}.Resolve([]*ingest.Series{datedSeries(tt.values, ingest.Freq{Step: 24 * time.Hour})})
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), `series "y": the train part is constant (every value 0)`) || !strings.Contains(err.Error(), "--fallback auto") {
				t.Errorf("err = %v, want ErrInvalid naming the constant train part and --fallback auto", err)
			}
		})
	}
	if _, err := (Config{}).Resolve([]*ingest.Series{datedSeries(newProduct, ingest.Freq{Step: 24 * time.Hour})}); err != nil {
		t.Errorf("Fallback auto: %v", err)
	}
}

// TestClassicalOnlyBaselineNeverReplaces: of a short series the classical
// methods alone forecast, a baseline that beats the combination clearly
// on validation does not replace it, where a model that does so does. A
// yearly trend that stops where validation starts: naive forecasts the
// flat validation years best (ratio 1), Theta, which halves the trend,
// beats the mean of ETS and ARIMA (which carry all of it) too.
func TestClassicalOnlyBaselineNeverReplaces(t *testing.T) {
	var times []time.Time
	var values []float64
	level := 100.0
	for i := range 60 {
		if i < 42 {
			level += 10
		}
		times = append(times, ingest.Freq{Months: 12}.Add(time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), i))
		values = append(values, level+2*math.Sin(float64(i)*2.3))
	}
	s := ingest.NewSeries("y", times, values)
	s.Freq = ingest.Freq{Months: 12}
	res, err := Fit(context.Background(), s, Config{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sr := res.Series[0]
	ratios := map[string]float64{}
	for _, c := range sr.Candidates {
		ratios[c.Method] = c.ValRatio
	}
	if !(ratios[MethodSeasonalNaive] < ratios[MethodTheta] && ratios[MethodTheta] < ratios[MethodCombination]) {
		t.Fatalf("validation ratios %v; want naive's lowest, then Theta's, below the combination's", ratios)
	}
	if sr.Method != MethodTheta {
		t.Errorf("forecast by %s (%s), want Theta: naive, a baseline, never replaces the combination here", sr.Method, sr.MethodName)
	}
}
