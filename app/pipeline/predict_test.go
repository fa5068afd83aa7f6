package pipeline_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/app/pipeline"
	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/ingest"
	"github.com/forecast-dev/forecast/store"
)

// hourlyLoad is n hourly values with a daily season and a trend.
func hourlyLoad(n int) *ingest.Series {
	var times []time.Time
	var values []float64
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		times = append(times, t0.Add(time.Duration(i)*time.Hour))
		values = append(values, 50+0.05*float64(i)+8*math.Sin(2*math.Pi*float64(i)/24)+math.Sin(float64(i)*1.7))
	}
	s := ingest.NewSeries("load", times, values)
	s.Freq = ingest.Freq{Step: time.Hour}
	return s
}

// smallConfig is a small GRU with every choice fixed but the fallback.
func smallConfig(fallback forecast.Fallback) forecast.Config {
	return forecast.Config{Lookback: 24, Horizon: 6, Layers: 2, Hidden: 6, Epochs: 3, Patience: 2, Batch: 16, Season: 24, Seed: 7,
		WindowNorm: forecast.NormNone, Transform: forecast.TransformNone, Ensemble: 1, Fallback: fallback}
}

// fitAndStore fits cfg on s and stores the version, as fit does, with the
// fit's forecasts; it returns the stored version as the database reads it
// back and the fit's result.
func fitAndStore(t *testing.T, db *store.DB, s *ingest.Series, cfg forecast.Config) (*store.ModelVersion, *forecast.Result) {
	t.Helper()
	ctx := context.Background()
	cfg, err := cfg.Resolve([]*ingest.Series{s})
	if err != nil {
		t.Fatal(err)
	}
	res, err := forecast.Fit(ctx, s, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	weights, err := forecast.EncodeWeights(res.Members)
	if err != nil {
		t.Fatal(err)
	}
	params, err := res.Params(s.Name, 1).Encode()
	if err != nil {
		t.Fatal(err)
	}
	export, err := json.Marshal(res.Export())
	if err != nil {
		t.Fatal(err)
	}
	metrics, err := res.Report(time.Second).Encode()
	if err != nil {
		t.Fatal(err)
	}
	mv := &store.ModelVersion{Name: "load", Weights: weights, Export: string(export), Params: params, Metrics: metrics,
		Seed: res.Config.Seed, MASEScale: res.MASEScale, DataSeries: s.Name, DataRows: s.Len(), DataFingerprint: forecast.Fingerprint(s),
		DataFreq: s.Freq.String(), DataStart: s.Time(0), DataEnd: s.Time(s.Len() - 1), DataSource: "f.csv", ProgramVersion: "v1.2.3",
		Duration: 1500 * time.Millisecond}
	if mv.Scaler, err = res.Scaler.Encode(); err != nil {
		t.Fatal(err)
	}
	sr := res.Series[0]
	var fcs []store.Forecast
	for _, p := range sr.Forecast {
		fcs = append(fcs, store.Forecast{Series: "f/load", Origin: sr.Origin, Time: p.Time, Step: p.Step, Value: p.Value,
			Intervals: bounded(p.Intervals), Method: forecast.MethodLabel(sr.Method, sr.MethodName)})
	}
	if err := db.SaveFit(ctx, &store.Run{Command: "fit"}, mv, fcs); err != nil {
		t.Fatal(err)
	}
	stored, err := db.FindModelVersion(ctx, store.ModelRef{Name: mv.Name, Version: mv.Version})
	if err != nil {
		t.Fatal(err)
	}
	return stored, res
}

// bounded are the intervals of ivs that have both bounds.
func bounded(ivs []forecast.Interval) []store.Interval {
	var out []store.Interval
	for _, iv := range ivs {
		if !math.IsInf(iv.Lower, 0) && !math.IsInf(iv.Upper, 0) {
			out = append(out, store.Interval{Lower: iv.Lower, Upper: iv.Upper, Level: iv.Level})
		}
	}
	return out
}

func openStore(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "f.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestPredictGivesTheFitsForecasts fits a model, stores it, forecasts the
// same data with the stored version and checks that the prediction and the
// forecasts it stores are the fit's, bit for bit: the version read back
// from the database is the model that was fitted.
func TestPredictGivesTheFitsForecasts(t *testing.T) {
	for _, fallback := range []forecast.Fallback{forecast.FallbackNone, forecast.FallbackAuto} {
		t.Run(string(fallback), func(t *testing.T) {
			ctx := context.Background()
			db := openStore(t)
			s := hourlyLoad(300)
			mv, res := fitAndStore(t, db, s, smallConfig(fallback))

			m, err := pipeline.NewStoredModel(mv)
			if err != nil {
				t.Fatal(err)
			}
			if m.Target() != "load" || len(m.Covariates()) != 0 {
				t.Errorf("target %q, covariates %q; want load and none", m.Target(), m.Covariates())
			}
			pred, err := m.Predict(s)
			if err != nil {
				t.Fatal(err)
			}
			// The fit labels a combination "comb" where a prediction names
			// its parts, "comb(gru,ets(A,A,A),smean_drift)"; other labels agree.
			sr := res.Series[0]
			if fit := forecast.MethodLabel(sr.Method, sr.MethodName); !strings.HasPrefix(pred.Method, fit) || pred.Series != "load" || !pred.Origin.Equal(res.Origin) {
				t.Errorf("prediction of %q by %q from %v; want load by %q from %v", pred.Series, pred.Method, pred.Origin, fit, res.Origin)
			}
			if len(pred.Points) != len(res.Forecast) {
				t.Fatalf("%d points, the fit forecast %d", len(pred.Points), len(res.Forecast))
			}
			for i, p := range pred.Points {
				f := res.Forecast[i]
				if math.Float64bits(p.Value) != math.Float64bits(f.Value) || p.Step != f.Step || !p.Time.Equal(f.Time) || len(p.Intervals) != len(f.Intervals) {
					t.Fatalf("step %d: predicted %+v, the fit forecast %+v", i+1, p, f)
				}
				for k, iv := range p.Intervals {
					if iv != f.Intervals[k] {
						t.Fatalf("step %d: interval %+v, the fit's %+v", i+1, iv, f.Intervals[k])
					}
				}
			}

			run := &store.Run{Command: "predict"}
			if err := m.SavePrediction(ctx, db, run, pred, "f/load"); err != nil {
				t.Fatal(err)
			}
			fitted, err := db.FindForecasts(ctx, store.ForecastFilter{RunID: mv.RunID})
			if err != nil {
				t.Fatal(err)
			}
			predicted, err := db.FindForecasts(ctx, store.ForecastFilter{RunID: run.ID})
			if err != nil {
				t.Fatal(err)
			}
			if len(predicted) != len(fitted) || len(fitted) != len(res.Forecast) {
				t.Fatalf("stored %d forecasts by predict, %d by fit; want %d", len(predicted), len(fitted), len(res.Forecast))
			}
			for i, p := range predicted {
				f := fitted[i]
				if p.Model != "load" || p.Version != mv.Version || p.Series != f.Series || p.Step != f.Step || !p.Time.Equal(f.Time) ||
					!p.Origin.Equal(f.Origin) || math.Float64bits(p.Value) != math.Float64bits(f.Value) || p.Method != pred.Method ||
					len(p.Intervals) != len(f.Intervals) {
					t.Fatalf("stored by predict %+v, by fit %+v", p, f)
				}
				for k, iv := range p.Intervals {
					if iv != f.Intervals[k] {
						t.Fatalf("step %d: stored interval %+v, the fit's %+v", p.Step, iv, f.Intervals[k])
					}
				}
			}
		})
	}
}

// TestPredictRefuses checks that data the model cannot forecast is an
// error of the input, not of the program.
func TestPredictRefuses(t *testing.T) {
	db := openStore(t)
	mv, _ := fitAndStore(t, db, hourlyLoad(300), smallConfig(forecast.FallbackNone))
	m, err := pipeline.NewStoredModel(mv)
	if err != nil {
		t.Fatal(err)
	}
	hourly := hourlyLoad(100)
	days := make([]time.Time, hourly.Len())
	for i := range days {
		days[i] = hourly.Time(0).Add(time.Duration(i) * 24 * time.Hour)
	}
	daily := ingest.NewSeries(hourly.ID, days, hourly.Values())
	daily.Freq = ingest.Freq{Step: 24 * time.Hour}
	steps := ingest.NewSeries(hourly.ID, nil, hourly.Values()) // read with --time none
	for _, tt := range []struct {
		name string
		s    *ingest.Series
		want string
	}{
		{"OtherFrequency", daily, "the data is daily, but model load@1 was trained on hourly data"},
		{"ShorterThanLookback", hourlyLoad(10), "model load@1: "},
		{"NoTimes", steps, "the data has no times (integer steps), but model load@1 was trained on hourly data"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pred, err := m.Predict(tt.s)
			if !errors.Is(err, forecast.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Predict = %v, %v; want an error wrapping forecast.ErrInvalid with %q", pred, err, tt.want)
			}
		})
	}
	// A version names its frequency as the program that stored it did
	// (decadal data was "120mo", now "10Y"): the same step is the same
	// frequency, another is not.
	for stored, ok := range map[string]bool{"60m": true, "1h0m0s": true, "2h": false} {
		mv.DataFreq = stored
		if _, err := m.Predict(hourlyLoad(100)); (err == nil) != ok {
			t.Errorf("hourly data, a model stored as %s data: %v", stored, err)
		}
	}
}

// TestForecastsKeepBoundedIntervals checks the rows of a prediction: its
// method and origin on every row, and only the intervals with both bounds.
func TestForecastsKeepBoundedIntervals(t *testing.T) {
	origin := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	pred := &pipeline.Prediction{Series: "load", Origin: origin, Method: "theta", Points: []forecast.Point{
		{Step: 1, Time: origin.Add(time.Hour), Value: 1, Intervals: []forecast.Interval{{Level: 0.8, Lower: 0, Upper: 2}, {Level: 0.95, Lower: math.Inf(-1), Upper: 3}}},
		{Step: 2, Time: origin.Add(2 * time.Hour), Value: 2},
	}}
	fcs := pred.Forecasts("f/load")
	if len(fcs) != 2 {
		t.Fatalf("%d rows, want 2", len(fcs))
	}
	for i, f := range fcs {
		p := pred.Points[i]
		if f.Series != "f/load" || !f.Origin.Equal(origin) || f.Method != "theta" || f.Step != p.Step || !f.Time.Equal(p.Time) || f.Value != p.Value {
			t.Errorf("row %d: %+v, of %+v", i, f, p)
		}
	}
	if len(fcs[0].Intervals) != 1 || fcs[0].Intervals[0] != (store.Interval{Lower: 0, Upper: 2, Level: 0.8}) || fcs[1].Intervals != nil {
		t.Errorf("intervals %v and %v; want the 80 %% one alone, then none", fcs[0].Intervals, fcs[1].Intervals)
	}
}

// TestPredictWithoutWeeks: data past the lookback but short of the weeks a
// weekly part of the combination needs is forecast without that part, with
// a note, not refused.
func TestPredictWithoutWeeks(t *testing.T) {
	db := openStore(t)
	load := hourlyLoad(1000)
	values := load.Values()
	state := uint32(11)
	for i := range values { // a week's rhythm, and noise no method foresees
		state = state*1664525 + 1013904223
		values[i] += 6*math.Sin(2*math.Pi*float64(i)/168) + 16*(float64(state>>8)/float64(1<<24)-0.5)
	}
	weekly := ingest.NewSeries("load", load.Times(), values)
	weekly.Freq = load.Freq
	mv, res := fitAndStore(t, db, weekly, smallConfig(forecast.FallbackAuto))
	if !strings.Contains(res.Series[0].MethodName, "weekly") {
		t.Fatalf("the series is forecast by %s: want a combination with a weekly part, or the test proves nothing", res.Series[0].MethodName)
	}
	m, err := pipeline.NewStoredModel(mv)
	if err != nil {
		t.Fatal(err)
	}
	pred, err := m.Predict(hourlyLoad(300))
	if err != nil {
		t.Fatalf("300 hours, a lookback of 24: %v", err)
	}
	if strings.Contains(pred.Method, "week") || !strings.Contains(pred.Adapted, "the combination forecasts without it") {
		t.Errorf("method %s, note %q: want the weekly parts left out, and said", pred.Method, pred.Adapted)
	}
}
