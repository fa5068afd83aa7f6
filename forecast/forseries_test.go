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
	p := readBack(t, res)
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
	lp := readBack(t, res)
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

// TestFitManyBesideConstant: of series fitted together, a constant one (a
// closed shop's zeros) is forecast by seasonal naive, exactly, and changes
// nothing of the others' fit, wherever it stands; the stored model
// forecasts every series as the fit did, a constant one shorter than the
// season too. Series that are all constant, or beside one too short for
// the network, make a model without a network.
func TestFitManyBesideConstant(t *testing.T) {
	named := func(s *ingest.Series, id string) *ingest.Series {
		s.Name, s.ID = id, id
		return s
	}
	flat := func(id string, n int, value float64) *ingest.Series {
		values := make([]float64, n)
		for i := range values {
			values[i] = value
		}
		return named(withValues(sineSeries(n), values), id)
	}
	a, b := named(sineSeries(300), "a"), named(sineSeries(324), "b")
	cfg := small
	cfg.Epochs, cfg.WindowNorm, cfg.Fallback = 2, forecast.NormLast, forecast.FallbackAuto
	alone, err := forecast.FitMany(context.Background(), []*ingest.Series{a, b}, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	closed := flat("closed", 200, 0)
	tiny := flat("tiny", 5, 2.5) // shorter than the season, 24, and a horizon's split
	series := []*ingest.Series{closed, a, b, tiny}
	beside, err := forecast.FitMany(context.Background(), series, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range alone.Series {
		got := beside.Series[i+1]
		if got.ID != want.ID || got.Method != want.Method || !reflect.DeepEqual(got.Forecast, want.Forecast) {
			t.Fatalf("series %s beside a constant one: %s %v, alone %s %v", want.ID, got.Method, got.Forecast[0], want.Method, want.Forecast[0])
		}
	}
	if !reflect.DeepEqual(beside.Test, alone.Test) || !reflect.DeepEqual(beside.Forecast, alone.Forecast) {
		t.Errorf("test scores %+v beside a constant series, %+v alone; want the same, of the same first series", beside.Test, alone.Test)
	}
	assertExactly(t, beside.Series[0], 0)
	// Too short to calibrate its intervals: unbounded.
	for _, p := range beside.Series[3].Forecast {
		if p.Value != 2.5 || !math.IsInf(p.Intervals[0].Lower, -1) || !math.IsInf(p.Intervals[1].Upper, 1) {
			t.Fatalf("series tiny: step %d forecast %+v, want 2.5, unbounded", p.Step, p)
		}
	}
	assertStoredForecasts(t, beside, series)

	// Beside constant series one series makes a model of one: a series it
	// was not fitted on is forecast by that series' method, not the
	// network alone.
	pair, err := forecast.FitMany(context.Background(), []*ingest.Series{closed, a}, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sm := pair.Export().SeriesMethods; len(sm) != 0 {
		t.Errorf("a model of one series beside a constant one lists the methods of %d series, want none", len(sm))
	}
	p := readBack(t, pair)
	q, err := p.ForSeries(named(sineSeries(300), "new"), cfg.Protocol)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := q.MethodLabel(), pair.Series[1].Label(); got != want {
		t.Errorf("a series the model did not fit is forecast by %s, want %s", got, want)
	}
	// A series repeating a week exactly is forecast by seasonal naive at
	// its week, but under Fallback none (the GRU always) by the model's
	// method, as fit would, where the model's season is another.
	week := make([]float64, 60)
	for i := range week {
		week[i] = []float64{3, 8, 5, 2, 3, 5, 13}[i%7]
	}
	pattern := withValues(sineSeries(60), week)
	pattern.Freq = ingest.Freq{Step: 24 * time.Hour}
	for fallback, want := range map[forecast.Fallback]string{forecast.FallbackAuto: "snaive", forecast.FallbackNone: p.MethodLabel()} {
		daily := *p
		daily.Season, daily.Fallback = 5, fallback
		q, err := daily.ForSeries(pattern, cfg.Protocol)
		if err != nil {
			t.Fatal(err)
		}
		if got := q.MethodLabel(); got != want {
			t.Errorf("fallback %s: a weekly pattern is forecast by %s, want %s", fallback, got, want)
		}
	}

	all := []*ingest.Series{closed, flat("open", 100, 7.5)}
	res, err := forecast.FitMany(context.Background(), all, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Model != nil {
		t.Error("a network trained on constant series alone")
	}
	assertExactly(t, res.Series[0], 0)
	assertExactly(t, res.Series[1], 7.5)
	assertStoredForecasts(t, res, all)

	// A yearly trend of 30 values is forecast by the classical methods
	// alone, with or without a constant series beside it.
	trend := make([]float64, 30)
	for i := range trend {
		trend[i] = 10 + float64(i) + math.Sin(float64(i)*2.3)
	}
	years := named(ingest.NewSeries("up", yearTimes(30), trend), "up")
	years.Freq = ingest.Freq{Months: 12}
	still := named(ingest.NewSeries("still", yearTimes(30), make([]float64, 30)), "still")
	still.Freq = years.Freq
	auto := forecast.Config{Fallback: forecast.FallbackAuto}
	one, err := forecast.FitMany(context.Background(), []*ingest.Series{years}, auto, nil)
	if err != nil {
		t.Fatal(err)
	}
	two, err := forecast.FitMany(context.Background(), []*ingest.Series{still, years}, auto, nil)
	if err != nil {
		t.Fatal(err)
	}
	if two.Model != nil || !reflect.DeepEqual(two.Series[1].Forecast, one.Series[0].Forecast) || two.Series[1].MethodName != one.Series[0].MethodName {
		t.Fatalf("yearly trend beside a constant series: network %v, %s %v; alone %s %v",
			two.Model != nil, two.Series[1].MethodName, two.Series[1].Forecast, one.Series[0].MethodName, one.Series[0].Forecast)
	}
	assertExactly(t, two.Series[0], 0)
	assertStoredForecasts(t, two, []*ingest.Series{still, years})
}

// yearTimes returns n times a year apart from 1990.
func yearTimes(n int) []time.Time {
	times := make([]time.Time, n)
	for i := range times {
		times[i] = time.Date(1990+i, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return times
}

// assertExactly fails t unless sr is a series forecast by seasonal naive
// as repeating, every value and interval bound value.
func assertExactly(t *testing.T, sr forecast.SeriesResult, value float64) {
	t.Helper()
	if !sr.Repeats || sr.Method != forecast.MethodSeasonalNaive || len(sr.Forecast) == 0 {
		t.Fatalf("series %s: repeats %v, method %s, %d steps; want seasonal naive", sr.ID, sr.Repeats, sr.Method, len(sr.Forecast))
	}
	for _, p := range sr.Forecast {
		if p.Value != value {
			t.Fatalf("series %s: step %d forecast %g, want %g", sr.ID, p.Step, p.Value, value)
		}
		for _, iv := range p.Intervals {
			if iv.Lower != value || iv.Upper != value {
				t.Fatalf("series %s: step %d interval %+v, want none wide at %g", sr.ID, p.Step, iv, value)
			}
		}
	}
}

// readBack is the predictor of res as its stored weights (if it has a
// network) and export rebuild it.
func readBack(t *testing.T, res *forecast.Result) *forecast.Predictor {
	t.Helper()
	var weights []byte
	if res.Model != nil {
		var err error
		if weights, err = forecast.EncodeWeights(res.Members); err != nil {
			t.Fatal(err)
		}
	}
	export, err := json.Marshal(res.Export())
	if err != nil {
		t.Fatal(err)
	}
	p, err := forecast.NewPredictor(weights, export)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// assertStoredForecasts fails t unless the model of res, stored and read
// back, forecasts each of series (fitted by res, in order) as res did.
func assertStoredForecasts(t *testing.T, res *forecast.Result, series []*ingest.Series) {
	t.Helper()
	p := readBack(t, res)
	for i, s := range series {
		q, err := p.ForSeries(s, res.Config.Protocol)
		if err != nil {
			t.Fatal(err)
		}
		pts, _, err := q.Predict(s)
		if err != nil || !reflect.DeepEqual(pts, res.Series[i].Forecast) {
			t.Fatalf("series %s: the stored model forecast %v (%v), the fit %v", s.ID, pts, err, res.Series[i].Forecast)
		}
	}
}

// TestShortSeriesBesideNetwork: of series fitted together under fallback
// auto, the lookback is that of the series of median length, and a series
// too short for its windows is forecast by the classical methods alone,
// as Fit forecasts it alone where the network cannot; predict forecasts it
// from the stored model as FitMany did, and the others by the network.
func TestShortSeriesBesideNetwork(t *testing.T) {
	var series []*ingest.Series
	for k, n := range []int{400, 400, 400, 60} {
		s := sineSeries(n)
		s.Name, s.ID = "y", []string{"a", "b", "c", "new"}[k]
		series = append(series, s)
	}
	cfg := small
	cfg.Epochs, cfg.Lookback, cfg.Horizon, cfg.Season, cfg.Fallback = 1, 0, 12, 24, forecast.FallbackAuto
	resolved, err := cfg.Resolve(series)
	if err != nil {
		t.Fatal(err)
	}
	alone, err := cfg.Resolve(series[:1])
	if err != nil {
		t.Fatal(err)
	}
	if resolved.Lookback != alone.Lookback {
		t.Fatalf("lookback %d, want %d, that of the series of median length", resolved.Lookback, alone.Lookback)
	}
	if network, short := resolved.ShortSeries(series); len(network) != 3 || len(short) != 1 || short[0] != series[3] {
		t.Fatalf("ShortSeries: %d and %d series, want the last alone short", len(network), len(short))
	}
	res, err := forecast.FitMany(context.Background(), series, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(res.Series[3].Label(), "gru") {
		t.Errorf("the short series is forecast by %s, with the network", res.Series[3].Label())
	}
	p := readBack(t, res)
	for i, s := range series {
		q, err := p.ForSeries(s, forecast.ProtocolV1)
		if err != nil {
			t.Fatal(err)
		}
		pts, _, err := q.Predict(s)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(pts, res.Series[i].Forecast) {
			t.Errorf("series %s: predicted %v, FitMany %v", s.ID, pts[0], res.Series[i].Forecast[0])
		}
		if got, want := q.MethodLabel(), res.Series[i].Label(); got != want {
			t.Errorf("series %s: predicted by %s, FitMany by %s", s.ID, got, want)
		}
	}
}

// TestPredictorNewSeries: a model of several series forecast a series it
// was not fitted on (a batch's series beyond train-series, a posted one)
// by the network alone, which on M4 Hourly scores an OWA of 0.65 against
// the combination's 0.43. It now forecasts it by the method that
// forecasts most of the model's series, its classical parts refitted on
// the new series; the series it knows keep their own methods, the
// network's too.
// An export written before every series was listed forecasts new series
// by the network, as it did.
func TestPredictorNewSeries(t *testing.T) {
	var series []*ingest.Series
	for k, n := range []int{300, 324, 348} {
		s := sineSeries(n)
		s.Name, s.ID = "target", []string{"a", "b", "c"}[k]
		series = append(series, s)
	}
	cfg := small
	cfg.Epochs, cfg.Fallback = 2, forecast.FallbackAuto
	res, err := forecast.FitMany(context.Background(), series, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := readBack(t, res)
	for i, s := range series {
		q, err := p.ForSeries(s, forecast.ProtocolV1)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := q.MethodLabel(), res.Series[i].Label(); got != want {
			t.Errorf("known series %s: %s, fit chose %s", s.ID, got, want)
		}
	}
	fresh := sineSeries(320)
	fresh.Name, fresh.ID = "target", "new"
	q, err := p.ForSeries(fresh, forecast.ProtocolV1)
	if err != nil {
		t.Fatal(err)
	}
	if got := q.MethodLabel(); !strings.HasPrefix(got, "comb(gru,ets(") || !strings.HasSuffix(got, ",smean_drift)") {
		t.Errorf("a new series is forecast by %s, want the combination of the GRU, ETS and the seasonal mean with drift", got)
	}
	if _, _, err := q.Predict(fresh); err != nil {
		t.Fatal(err)
	}
	// An export as written before: only the series of other methods than
	// the network listed, all_series absent.
	var doc map[string]any
	export, _ := json.Marshal(res.Export())
	if err := json.Unmarshal(export, &doc); err != nil {
		t.Fatal(err)
	}
	delete(doc, "all_series")
	var listed []any
	for _, sm := range doc["series_methods"].([]any) {
		if sm.(map[string]any)["method"] != forecast.MethodGRU {
			listed = append(listed, sm)
		}
	}
	doc["series_methods"] = append(listed, map[string]any{"id": "other", "method": "snaive", "method_name": "seasonal naive"})
	old, _ := json.Marshal(doc)
	weights, _ := forecast.EncodeWeights(res.Members)
	op, err := forecast.NewPredictor(weights, old)
	if err != nil {
		t.Fatal(err)
	}
	if q, err := op.ForSeries(fresh, forecast.ProtocolV1); err != nil || q.MethodLabel() != forecast.MethodGRU {
		t.Errorf("an older export forecasts a new series by %v (%v), want the GRU", q.MethodLabel(), err)
	}
}

// TestPredictorNewShortSeries: a new series shorter than the lookback of a
// model of several series (an item new this month) failed every batch
// until it had a lookback of history; the model's classical parts now
// forecast it, and say why.
func TestPredictorNewShortSeries(t *testing.T) {
	var series []*ingest.Series
	for k, n := range []int{300, 324} {
		s := sineSeries(n)
		s.Name, s.ID = "target", []string{"a", "b"}[k]
		series = append(series, s)
	}
	cfg := small
	cfg.Epochs, cfg.Fallback, cfg.Lookback = 2, forecast.FallbackAuto, 48
	res, err := forecast.FitMany(context.Background(), series, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := readBack(t, res)
	newItem := sineSeries(40)
	newItem.Name, newItem.ID = "target", "new item"
	q, err := p.ForSeries(newItem, forecast.ProtocolV1)
	if err != nil {
		t.Fatal(err)
	}
	if got := q.MethodLabel(); strings.Contains(got, "gru") || !strings.Contains(q.Adapted(), "(its lookback), and \"new item\" has 40") {
		t.Errorf("a new series shorter than the lookback is forecast by %s (%q), want the model's method without the GRU, noted", got, q.Adapted())
	}
	if pts, _, err := q.Predict(newItem); err != nil || len(pts) != p.Horizon() {
		t.Fatalf("a new series shorter than the lookback: %d points, %v", len(pts), err)
	}
	// Too short for a train part to scale by, which only the network
	// needs: 'too few to scale by' failed it.
	for _, n := range []int{2, 5} {
		tiny := sineSeries(n)
		tiny.Name, tiny.ID = "target", "tiny"
		q, err := p.ForSeries(tiny, forecast.ProtocolV1)
		if err != nil || strings.Contains(q.MethodLabel(), "gru") {
			t.Errorf("a new series of %d values: %v", n, err)
		}
	}
}

// TestExportScalerPerSeries: the export of a model of several series gives
// each its own scaler entry, the one the model scales it by, so that the
// document alone recomputes every series' forecast; Export.Scaler, the
// first series', is some 100 times off for the second.
func TestExportScalerPerSeries(t *testing.T) {
	a, b := sineSeries(300), sineSeries(300)
	a.ID, b.ID = "a", "b"
	vb := b.Values()
	for i := range vb {
		vb[i] = 1000 + 100*vb[i]
	}
	b = ingest.NewSeries("y", b.Times(), vb)
	b.ID, b.Freq = "b", a.Freq
	res, err := forecast.FitMany(context.Background(), []*ingest.Series{a, b}, small, nil)
	if err != nil {
		t.Fatal(err)
	}
	e := res.Export()
	if len(e.SeriesMethods) != 2 {
		t.Fatalf("%d series listed, want 2", len(e.SeriesMethods))
	}
	p := readBack(t, res)
	for i, s := range []*ingest.Series{a, b} {
		q, err := p.ForSeries(s, res.Config.Protocol)
		if err != nil {
			t.Fatal(err)
		}
		sc := e.SeriesMethods[i].Scaler
		if sc == nil || sc.Mean[0] != q.Scaler.Mean || sc.Std[0] != q.Scaler.Std || sc.Mean[0] != res.Series[i].Scaler.Mean {
			t.Errorf("series %s: export scaler %+v, the model scales it by %+v", s.ID, sc, q.Scaler)
		}
	}
	if e.SeriesMethods[1].Scaler.Mean[0] < 100*e.Scaler.Mean[0] {
		t.Errorf("series b's scaler mean %g, the first's %g: want b's some 100 times as large", e.SeriesMethods[1].Scaler.Mean[0], e.Scaler.Mean[0])
	}
}
