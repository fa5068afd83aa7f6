package store_test

import (
	"context"
	"database/sql"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/ingest"
	"github.com/forecast-dev/forecast/store"
)

// viewPath is a json_extract of the params or metrics column in a
// migration, e.g. json_extract(mv.metrics, '$.test.gru.mase'); anyExtract
// is any json_extract of those columns, so that one written otherwise is
// not passed over.
var (
	viewPath   = regexp.MustCompile(`json_extract\(\s*(?:\w+\.)?(params|metrics)\s*,\s*'([^']+)'\s*\)`)
	anyExtract = regexp.MustCompile(`json_extract\(\s*[\w.]*(params|metrics)\b`)
)

// TestViewPathsExistInFitDocuments checks that every JSON path the
// migrations read from model_versions.params and .metrics is present in
// the documents forecast encodes for a real fit (of a network, or of the
// classical methods alone), as the store keeps them,
// so that no view reads a renamed or dropped field as NULL.
func TestViewPathsExistInFitDocuments(t *testing.T) {
	var times []time.Time
	var values []float64
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 240 {
		times = append(times, t0.Add(time.Duration(i)*time.Hour))
		values = append(values, 10+3*math.Sin(2*math.Pi*float64(i)/24)+0.3*math.Sin(float64(i)*2.3))
	}
	s := ingest.NewSeries("load", times, values)
	s.Freq = ingest.Freq{Step: time.Hour}
	cfg := forecast.Config{Lookback: 24, Horizon: 6, Layers: 1, Hidden: 4, Epochs: 2, Patience: 2, Batch: 16, Season: 24, Seed: 3,
		WindowNorm: forecast.NormNone, Transform: forecast.TransformNone, Ensemble: 1}
	db := MustOpenDB(t)
	saveFit(t, db, s, cfg)
	// A short yearly series is forecast by the classical methods alone,
	// whose documents say so (classical_only) and hold no GRU scores.
	times, values = nil, nil
	for i := range 60 {
		times = append(times, time.Date(1950+i, 1, 1, 0, 0, 0, 0, time.UTC))
		values = append(values, 100+float64(i)+5*math.Sin(float64(i)*1.7))
	}
	short := ingest.NewSeries("flow", times, values)
	short.Freq = ingest.Freq{Months: 12}
	yearly := forecast.Config{Horizon: 6, Layers: 1, Hidden: 4, Epochs: 2, Patience: 2, Batch: 16, Season: 1, Seed: 3,
		WindowNorm: forecast.NormNone, Transform: forecast.TransformNone, Ensemble: 1, Fallback: forecast.FallbackAuto, Lookback: 6}
	if !yearly.ClassicalOnly([]*ingest.Series{short}) {
		t.Fatal("the short yearly series would train a network")
	}
	saveFit(t, db, short, yearly)
	var gru sql.NullString
	if err := db.SQL().QueryRow(`SELECT json_type(metrics, '$.test.gru') FROM model_versions WHERE name = 'flow'`).Scan(&gru); err != nil || gru.Valid {
		t.Errorf("a classical-only version's metrics hold GRU scores (%v, %v)", gru, err)
	}

	files, err := filepath.Glob(filepath.Join("migrations", "*.sql"))
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		matches := viewPath.FindAllStringSubmatch(string(text), -1)
		if n := len(anyExtract.FindAllString(string(text), -1)); n != len(matches) {
			t.Fatalf("%s: %d json_extract of params or metrics, of which the test reads %d", f, n, len(matches))
		}
		for _, m := range matches {
			column, path := m[1], m[2]
			var holding int
			if err := db.SQL().QueryRow(`SELECT count(*) FROM model_versions
				WHERE coalesce(json_type(`+column+`, ?), 'null') != 'null'`, path).Scan(&holding); err != nil {
				t.Fatalf("%s: %s %s: %v", f, column, path, err)
			}
			if holding == 0 {
				t.Errorf("%s reads %s of %s, which the documents of neither fit hold", filepath.Base(f), path, column)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no json_extract of params or metrics found in the migrations")
	}
}

// saveFit fits s under cfg and stores a version named after s with the
// params and metrics documents of the fit.
func saveFit(t *testing.T, db *store.DB, s *ingest.Series, cfg forecast.Config) {
	t.Helper()
	res, err := forecast.Fit(context.Background(), s, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	mv := newModelVersion(s.Name)
	if mv.Params, err = res.Params(s.Name, 1).Encode(); err != nil {
		t.Fatal(err)
	}
	if mv.Metrics, err = res.Report(time.Second).Encode(); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveFit(context.Background(), newRun(), mv, newForecasts(1)); err != nil {
		t.Fatal(err)
	}
}
