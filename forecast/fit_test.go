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
	"github.com/forecast-dev/forecast/ingest"
)

// sineSeries is an hourly noisy daily cycle of n values.
func sineSeries(n int) *ingest.Series {
	var times []time.Time
	var values []float64
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		times = append(times, t0.Add(time.Duration(i)*time.Hour))
		values = append(values, 10+3*math.Sin(2*math.Pi*float64(i)/24)+0.3*math.Sin(float64(i)*2.3))
	}
	s := ingest.NewSeries("y", times, values)
	s.Freq = ingest.Freq{Step: time.Hour}
	return s
}

// withValues returns s with values in place of its own.
func withValues(s *ingest.Series, values []float64) *ingest.Series {
	c := ingest.NewSeries(s.ID, s.Times(), values)
	c.Name, c.Freq = s.Name, s.Freq
	return c
}

// small is one small GRU with every choice fixed, so that tests see the
// network alone; the tests of the choices set them to auto.
var small = forecast.Config{Lookback: 24, Horizon: 6, Layers: 2, Hidden: 8, Epochs: 6, Patience: 2, Batch: 16, Season: 24, Seed: 3,
	WindowNorm: forecast.NormNone, Transform: forecast.TransformNone, Ensemble: 1, Fallback: forecast.FallbackNone}

func TestFit(t *testing.T) {
	s := sineSeries(400)
	var epochs []forecast.EpochStats
	res, err := forecast.Fit(context.Background(), s, small, func(st forecast.EpochStats) { epochs = append(epochs, st) })
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.Split, (forecast.Split{Train: 280, Val: 40, Test: 80, TrainWindows: 251, ValWindows: 35, TestWindows: 75}); got != want {
		t.Errorf("Split = %+v, want %+v", got, want)
	}
	if len(epochs) != len(res.History) || len(epochs) == 0 {
		t.Fatalf("progress called %d times for %d epochs", len(epochs), len(res.History))
	}
	// The kept weights are those of the best epoch: rescoring them on the
	// validation windows must give that epoch's loss exactly.
	best := res.History[res.BestEpoch-1]
	for _, h := range res.History {
		if h.ValLoss < best.ValLoss {
			t.Errorf("epoch %d has validation loss %v below the best epoch %d's %v", h.Epoch, h.ValLoss, res.BestEpoch, best.ValLoss)
		}
	}
	if got := valLoss(t, res, s); got != best.ValLoss {
		t.Errorf("validation loss of the kept model = %v, want the best epoch's %v", got, best.ValLoss)
	}
	if n := len(res.Forecast); n != 6 {
		t.Fatalf("%d forecast steps, want 6", n)
	}
	if want := time.Date(2024, 1, 17, 16, 0, 0, 0, time.UTC); !res.Forecast[0].Time.Equal(want) || !res.Origin.Equal(want.Add(-time.Hour)) {
		t.Errorf("first forecast at %v after %v, want %v", res.Forecast[0].Time, res.Origin, want)
	}
	// The daily cycle is exact up to small noise, so seasonal naive with m = 24
	// is nearly perfect and naive is far off.
	if res.Test.SeasonalNaive.MAE >= res.Test.Naive.MAE {
		t.Errorf("seasonal naive MAE %v not below naive %v on a daily cycle", res.Test.SeasonalNaive.MAE, res.Test.Naive.MAE)
	}
}

// valLoss recomputes the scaled validation MSE of res.Model.
func valLoss(t *testing.T, res *forecast.Result, s *ingest.Series) float64 {
	t.Helper()
	c := res.Config
	starts := ingest.Windows(s.Len(), c.Lookback, c.Horizon, res.Split.Train, res.Split.Train+res.Split.Val)
	x := make([]float64, 0, len(starts)*c.Lookback)
	var want []float64
	y := s.Values()
	for _, st := range starts {
		for _, v := range y[st : st+c.Lookback] {
			x = append(x, res.Scaler.Scale(v))
		}
		for _, v := range y[st+c.Lookback : st+c.Lookback+c.Horizon] {
			want = append(want, res.Scaler.Scale(v))
		}
	}
	pred := res.Model.Predict(nil, x, len(starts), c.Lookback)
	var sq float64
	for i := range pred {
		e := pred[i] - want[i]
		sq += e * e
	}
	return sq / float64(len(pred))
}

func TestFitDeterministic(t *testing.T) {
	s := sineSeries(300)
	a, err := forecast.Fit(context.Background(), s, small, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := forecast.Fit(context.Background(), s, small, nil)
	if err != nil {
		t.Fatal(err)
	}
	pa, pb := a.Model.Params(), b.Model.Params()
	for i := range pa {
		if math.Float64bits(pa[i]) != math.Float64bits(pb[i]) {
			t.Fatalf("parameter %d differs between two fits with the same seed: %v, %v", i, pa[i], pb[i])
		}
	}
	for k := range a.Forecast {
		if !reflect.DeepEqual(a.Forecast[k], b.Forecast[k]) {
			t.Fatalf("forecast step %d differs: %+v, %+v", k+1, a.Forecast[k], b.Forecast[k])
		}
	}
}

func TestFitErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := forecast.Fit(ctx, sineSeries(40), small, nil); !errors.Is(err, forecast.ErrInvalid) {
		t.Errorf("40 values (4 for validation, horizon 6): err = %v, want ErrInvalid", err)
	}
	// A model of several series has one frequency: a half-hourly series
	// beside an hourly one is refused, naming both.
	halfHourly := sineSeries(400)
	halfHourly.ID, halfHourly.Freq = "b", ingest.Freq{Step: 30 * time.Minute}
	if _, err := forecast.FitMany(ctx, []*ingest.Series{sineSeries(400), halfHourly}, small, nil); !errors.Is(err, forecast.ErrInvalid) ||
		!strings.Contains(err.Error(), `series "b" is 30m, series "y" hourly`) {
		t.Errorf("hourly and half-hourly series: err = %v, want ErrInvalid naming both", err)
	}
	// Month starts beside month ends are one frequency, as predict takes
	// them.
	starts, ends := sineSeries(400), sineSeries(400)
	starts.Freq, ends.ID, ends.Freq = ingest.Freq{Months: 1}, "b", ingest.Freq{Months: 1, MonthEnd: true}
	if _, err := small.Resolve([]*ingest.Series{starts, ends}); err != nil && strings.Contains(err.Error(), "share a frequency") {
		t.Errorf("month starts and month ends: %v", err)
	}
	bad := small
	bad.Hidden = -1
	if _, err := forecast.Fit(ctx, sineSeries(400), bad, nil); !errors.Is(err, forecast.ErrInvalid) {
		t.Errorf("hidden −1: err = %v, want ErrInvalid", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := forecast.Fit(cancelled, sineSeries(400), small, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err = %v, want context.Canceled", err)
	}
}

// TestProtocolBounds checks the splits of the evaluation protocols in the
// package documentation.
func TestProtocolBounds(t *testing.T) {
	for _, tt := range []struct {
		p    forecast.Protocol
		n    int
		want forecast.Split
	}{
		// L 96, H 24 on ETTh1's 17,420 rows: the test windows' inputs reach
		// back 96 rows before row 11520, so 2880 − 24 + 1 = 2857 windows.
		{forecast.ProtocolETT, 17420, forecast.Split{Train: 8640, Val: 2880, Test: 2880, TrainWindows: 8640 - 96 - 24 + 1, ValWindows: 2857, TestWindows: 2857}},
		{forecast.ProtocolV1, 1000, forecast.Split{Train: 700, Val: 100, Test: 200, TrainWindows: 700 - 96 - 24 + 1, ValWindows: 100 - 24 + 1, TestWindows: 200 - 24 + 1}},
		{forecast.ProtocolHoldout, 1000, forecast.Split{Train: 952, Val: 24, Test: 24, TrainWindows: 952 - 96 - 24 + 1, ValWindows: 1, TestWindows: 1}},
	} {
		got, err := forecast.NewSplit(tt.n, forecast.Config{Lookback: 96, Horizon: 24, Protocol: tt.p})
		if err != nil || got != tt.want {
			t.Errorf("%s, %d values: split %+v, %v; want %+v", tt.p, tt.n, got, err, tt.want)
		}
	}
	if _, err := forecast.NewSplit(14000, forecast.Config{Protocol: forecast.ProtocolETT}); !errors.Is(err, forecast.ErrInvalid) {
		t.Errorf("ett on 14000 rows: err = %v, want ErrInvalid", err)
	}
	if _, err := forecast.NewSplit(1000, forecast.Config{Protocol: "x"}); !errors.Is(err, forecast.ErrInvalid) {
		t.Errorf("unknown protocol: err = %v, want ErrInvalid", err)
	}
}

// TestFallback trains a GRU that cannot have learned anything (one epoch
// at a negligible learning rate), so seasonal naive beats it on validation,
// and checks that --fallback snaive then forecasts and scores seasonal
// naive, also through the export.
func TestFallback(t *testing.T) {
	cfg := small
	cfg.Epochs, cfg.LR, cfg.Fallback = 1, 1e-9, forecast.FallbackSeasonalNaive
	s := sineSeries(400)
	res, err := forecast.Fit(context.Background(), s, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	sr := res.Series[0]
	if !(sr.SeasonalNaiveValLoss < sr.ValLoss) || !(sr.ValRatio > 1) || sr.Method != forecast.MethodSeasonalNaive || res.ValLosers != 1 {
		t.Fatalf("validation MSE GRU %v, seasonal naive %v, ratio %v, method %s, losers %d; want seasonal naive", sr.ValLoss, sr.SeasonalNaiveValLoss, sr.ValRatio, sr.Method, res.ValLosers)
	}
	if len(sr.Candidates) != 2 || sr.Candidates[1].ValRatio != 1 {
		t.Errorf("candidates %+v, want the GRU and seasonal naive at ratio 1", sr.Candidates)
	}
	want := make([]float64, cfg.Horizon)
	forecast.SeasonalNaive(want, s.Values(), s.Len(), cfg.Season)
	for k, p := range res.Forecast {
		if p.Value != want[k] || len(p.Intervals) != 2 || !(p.Intervals[0].Lower <= p.Value && p.Value <= p.Intervals[0].Upper) {
			t.Errorf("step %d: %+v, want the seasonal naive %v inside its intervals", k+1, p, want[k])
		}
	}
	if res.Test.Selected != res.Test.SeasonalNaive || res.Test.GRU == res.Test.SeasonalNaive {
		t.Errorf("test metrics: selected %+v, GRU %+v; want seasonal naive's %+v for the first only", res.Test.Selected, res.Test.GRU, res.Test.SeasonalNaive)
	}
	weights, _ := forecast.EncodeWeights(res.Members)
	export, _ := json.Marshal(res.Export())
	p, err := forecast.NewPredictor(weights, export)
	if err != nil {
		t.Fatal(err)
	}
	pts, _, err := p.Predict(s)
	if err != nil || !reflect.DeepEqual(pts, res.Forecast) {
		t.Errorf("predictor after fallback: %v, %v; want the fit's %v", pts, err, res.Forecast)
	}

	cfg.Fallback = forecast.FallbackNone
	res, err = forecast.Fit(context.Background(), s, cfg, nil)
	if err != nil || res.Series[0].Method != forecast.MethodGRU || res.ValLosers != 1 || res.Test.Selected != res.Test.GRU {
		t.Errorf("without fallback: err %v, method %s, losers %d; want the GRU kept and the loss reported", err, res.Series[0].Method, res.ValLosers)
	}
}

// TestAutoNorm checks that NormAuto tries every normalisation and keeps the
// one whose first member has the lowest validation MASE, with the weights a
// plain fit with that normalisation gives.
func TestAutoNorm(t *testing.T) {
	cfg := small
	cfg.Epochs, cfg.WindowNorm = 2, forecast.NormAuto
	res, err := forecast.Fit(context.Background(), sineSeries(300), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Trials) != 4 {
		t.Fatalf("%d normalisations tried, want none, last, mean and season", len(res.Trials))
	}
	best := res.Trials[0]
	for _, tr := range res.Trials {
		if tr.ValMASE < best.ValMASE {
			best = tr
		}
		if tr.Transform != forecast.TransformNone || !(tr.ValMASE > 0) {
			t.Errorf("trial %+v, want transform none and a positive MASE", tr)
		}
	}
	single := cfg
	single.WindowNorm = best.Norm
	r, err := forecast.Fit(context.Background(), sineSeries(300), single, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Config.WindowNorm != best.Norm || !reflect.DeepEqual(r.Model.Weights(), res.Model.Weights()) {
		t.Errorf("kept %s, want %s with the weights of a plain fit", res.Config.WindowNorm, best.Norm)
	}
}

// TestProgressNamesTrials: the epochs of each window normalisation and
// transform tried are reported under its name, in the order of
// Result.Trials, and the other members' under none.
func TestProgressNamesTrials(t *testing.T) {
	times := make([]time.Time, 96)
	values := make([]float64, 96)
	for i := range values {
		times[i] = time.Date(2000, time.Month(1+i), 1, 0, 0, 0, 0, time.UTC)
		values[i] = 100 + float64(i) + 10*math.Sin(2*math.Pi*float64(i)/12)
	}
	s := ingest.NewSeries("y", times, values)
	s.Freq = ingest.Freq{Months: 1}
	var named []string
	others := 0
	res, err := forecast.Fit(context.Background(), s, forecast.Config{Horizon: 12, Epochs: 2, Hidden: 4, Ensemble: 2, Seed: 1}, func(st forecast.EpochStats) {
		switch {
		case st.Trial == "":
			others++
		case len(named) == 0 || named[len(named)-1] != st.Trial:
			named = append(named, st.Trial)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, tr := range res.Trials {
		want = append(want, string(tr.Norm)+"/"+string(tr.Transform))
	}
	if len(want) < 2 || !reflect.DeepEqual(named, want) {
		t.Errorf("epochs reported under %v, want the trials %v", named, want)
	}
	if others == 0 {
		t.Error("the second member's epochs were reported under a trial")
	}
}

// TestFitScoresSeasonalNaiveWeek: hourly data is scored against seasonal
// naive a week back too, the value 168 hours before, recomputed here from
// the test windows; data without a week (daily) has no such score.
func TestFitScoresSeasonalNaiveWeek(t *testing.T) {
	s := sineSeries(600)
	y := s.Values()
	for i := range y {
		if (i/24)%7 >= 5 { // weekends are lower
			y[i] -= 4
		}
	}
	s = withValues(s, y)
	res, err := forecast.Fit(context.Background(), s, small, nil)
	if err != nil {
		t.Fatal(err)
	}
	c, sp := res.Config, res.Split
	var sum float64
	var n int
	for _, st := range ingest.Windows(s.Len(), c.Lookback, c.Horizon, sp.Train+sp.Val, s.Len()) {
		for k := range c.Horizon {
			o := st + c.Lookback + k
			sum += math.Abs(y[o] - y[o-168])
			n++
		}
	}
	week := res.Test.SeasonalNaiveWeek
	if week == nil {
		t.Fatal("hourly data not scored against seasonal naive a week back")
	}
	if want := sum / float64(n); n == 0 || math.Abs(week.MAE-want) > 1e-12*want {
		t.Errorf("seasonal naive (week) MAE %v, want %v over %d values", week.MAE, want, n)
	}
	if !(week.MAE < res.Test.SeasonalNaive.MAE) {
		t.Errorf("seasonal naive a week back MAE %v, a day back %v: the weekends should favour the week", week.MAE, res.Test.SeasonalNaive.MAE)
	}

	var times []time.Time
	var values []float64
	for i := range 300 {
		times = append(times, time.Date(2024, 1, 1+i, 0, 0, 0, 0, time.UTC))
		values = append(values, 10+float64(i%7)+math.Sin(float64(i)*1.7))
	}
	daily := ingest.NewSeries("y", times, values)
	daily.Freq = ingest.Freq{Step: 24 * time.Hour}
	cfg := small
	cfg.Season = 7
	res, err = forecast.Fit(context.Background(), daily, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Test.SeasonalNaiveWeek != nil {
		t.Errorf("daily data scored against seasonal naive a week back: %+v", *res.Test.SeasonalNaiveWeek)
	}
}
