package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/store"
)

// A database written by forecast with schema 0001 only (see
// testdata/schema-v1/README.md) opens, is upgraded in place, keeps its rows
// and takes new ones.
func TestOpen_UpgradeFromSchema1(t *testing.T) {
	ctx := context.Background()
	fixture, err := os.ReadFile("testdata/schema-v1/forecast.db")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "forecast.db")
	if err := os.WriteFile(path, fixture, 0o644); err != nil {
		t.Fatal(err)
	}
	raw := MustRawDB(t, path)
	if got, want := queryInt(t, raw, `PRAGMA user_version`), 1; got != want {
		t.Fatalf("fixture user_version=%d, want %d", got, want)
	}

	db := MustOpenDBPath(t, path)
	if got, want := queryInt(t, db.SQL(), `PRAGMA user_version`), 3; got != want {
		t.Fatalf("user_version=%d after Open, want %d", got, want)
	}
	if got, want := queryInt(t, db.SQL(), `SELECT count(*) FROM schema_migrations`), 3; got != want {
		t.Fatalf("schema_migrations rows=%d, want %d", got, want)
	}
	var check string
	if err := db.SQL().QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check=%q, %v", check, err)
	}

	// The old version, with the lineage 0002 fills in from its JSON.
	mv, err := db.FindModelVersion(ctx, store.ModelRef{Name: "air"})
	if err != nil {
		t.Fatal(err)
	}
	if mv.Version != 1 || mv.RunID != 1 || mv.DataSeries != "Passengers" || mv.DataRows != 60 ||
		mv.Seed != 0 || mv.MASEScale == 0 || mv.Forecasts != 3 || len(mv.Weights) == 0 || mv.Export == "" {
		t.Fatalf("upgraded air@1: %+v", *mv)
	}
	if want := time.Date(1953, 12, 1, 0, 0, 0, 0, time.UTC); !mv.DataEnd.Equal(want) {
		t.Fatalf("DataEnd=%v, want %v (the origin of its forecasts)", mv.DataEnd, want)
	}
	if !mv.DataStart.IsZero() || mv.DataFreq != "" || mv.ProgramVersion != "" {
		t.Fatalf("upgraded air@1 has lineage schema 0001 did not record: %+v", *mv)
	}
	rows, err := db.FindForecasts(ctx, store.ForecastFilter{})
	if err != nil {
		t.Fatal(err)
	} else if len(rows) != 3 || rows[0].Series != "Passengers" || rows[0].Interval != nil {
		t.Fatalf("forecasts=%+v", rows)
	}
	runs, err := db.ListRuns(ctx)
	if err != nil {
		t.Fatal(err)
	} else if len(runs) != 1 || runs[0].Command != "fit" || runs[0].Args != nil || len(runs[0].Wrote.ModelVersions) != 0 {
		t.Fatalf("runs=%+v", runs)
	}

	// New writes and the new views work on the upgraded file.
	if err := db.SaveFit(ctx, newRun(), newModelVersion("air"), nil); err != nil {
		t.Fatal(err)
	}
	acts := []store.Actual{{Series: "Passengers", Time: time.Date(1954, 1, 1, 0, 0, 0, 0, time.UTC), Value: 204}}
	if err := db.SaveActuals(ctx, &store.Run{Command: "actuals"}, acts); err != nil {
		t.Fatal(err)
	}
	if accs, err := db.FindAccuracy(ctx, store.ModelRef{Name: "air", Version: 1}); err != nil {
		t.Fatal(err)
	} else if len(accs) != 1 || accs[0].Forecasts != 1 || accs[0].MASE == nil {
		t.Fatalf("accuracy=%+v", accs)
	}
	for _, view := range []string{"latest_forecasts", "model_versions_summary", "forecast_errors", "forecast_accuracy"} {
		if n := queryInt(t, db.SQL(), `SELECT count(*) FROM `+view); n == 0 {
			t.Errorf("view %s is empty", view)
		}
	}
}
