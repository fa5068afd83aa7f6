package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/store"
)

// newestSchema is the number of the newest migration in migrations/.
const newestSchema = 14

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
	if got, want := queryInt(t, db.SQL(), `PRAGMA user_version`), newestSchema; got != want {
		t.Fatalf("user_version=%d after Open, want %d", got, want)
	}
	if db.Upgraded != 1 || db.Version != newestSchema {
		t.Fatalf("Upgraded %d, Version %d; want from 1 to %d", db.Upgraded, db.Version, newestSchema)
	}
	db.Close()
	if db = MustOpenDBPath(t, path); db.Upgraded != 0 || db.Version != newestSchema {
		t.Fatalf("opened again: Upgraded %d, Version %d; want not upgraded, version %d", db.Upgraded, db.Version, newestSchema)
	}
	if got, want := queryInt(t, db.SQL(), `SELECT count(*) FROM schema_migrations`), newestSchema; got != want {
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
	} else if len(rows) != 3 || rows[0].Series != "Passengers" || rows[0].Intervals != nil {
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
	for _, view := range []string{"latest_forecasts", "latest_origin_forecasts", "model_versions_summary", "forecast_errors", "forecast_accuracy"} {
		if n := queryInt(t, db.SQL(), `SELECT count(*) FROM `+view); n == 0 {
			t.Errorf("view %s is empty", view)
		}
	}
}

// forecastColumns reads every forecast row with the columns schema 0003 had,
// one line per row, in id order.
func forecastColumns(tb testing.TB, db *sql.DB) []string {
	tb.Helper()
	rows, err := db.Query(`
		SELECT id, run_id, model_version_id, series, quote(origin), quote(time), step, quote(value),
			quote(lower), quote(upper), quote(level)
		FROM forecasts ORDER BY id`)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id, run, mv, step int
		var series, origin, target, value, lower, upper, level string
		if err := rows.Scan(&id, &run, &mv, &series, &origin, &target, &step, &value, &lower, &upper, &level); err != nil {
			tb.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%d %d %d %s %s %s %d %s %s %s %s", id, run, mv, series, origin, target, step, value, lower, upper, level))
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// A database of schema 0003 (see testdata/schema-v3/README.md) is upgraded
// by 0004 and 0005: its forecasts keep every column and id, read back with
// no method and with their one interval, now also in forecast_intervals,
// and a run may now hold forecasts of one series by two model versions.
func TestOpen_UpgradeFromSchema3(t *testing.T) {
	ctx := context.Background()
	fixture, err := os.ReadFile("testdata/schema-v3/forecast.db")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "forecast.db")
	if err := os.WriteFile(path, fixture, 0o644); err != nil {
		t.Fatal(err)
	}
	raw := MustRawDB(t, path)
	if got, want := queryInt(t, raw, `PRAGMA user_version`), 3; got != want {
		t.Fatalf("fixture user_version=%d, want %d", got, want)
	}
	before := forecastColumns(t, raw)
	if len(before) != 6 {
		t.Fatalf("fixture forecasts: %q, want 6", before)
	}
	views := map[string]int{}
	for _, view := range []string{"latest_forecasts", "model_versions_summary", "forecast_errors", "forecast_accuracy"} {
		views[view] = queryInt(t, raw, `SELECT count(*) FROM `+view)
	}
	raw.Close()

	db := MustOpenDBPath(t, path)
	if got, want := queryInt(t, db.SQL(), `PRAGMA user_version`), newestSchema; got != want {
		t.Fatalf("user_version=%d after Open, want %d", got, want)
	}
	var check string
	if err := db.SQL().QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check=%q, %v", check, err)
	}
	if got := queryInt(t, db.SQL(), `SELECT count(*) FROM pragma_foreign_key_check`); got != 0 {
		t.Fatalf("%d foreign key violations", got)
	}
	if after := forecastColumns(t, db.SQL()); !reflect.DeepEqual(after, before) {
		t.Fatalf("forecasts after the upgrade:\n%q\nwant\n%q", after, before)
	}
	if got := queryInt(t, db.SQL(), `SELECT count(*) FROM forecasts WHERE method IS NOT NULL`); got != 0 {
		t.Fatalf("%d old forecasts have a method, want none", got)
	}
	for view, n := range views {
		if got := queryInt(t, db.SQL(), `SELECT count(*) FROM `+view); got != n {
			t.Errorf("view %s: %d rows after the upgrade, want %d as before", view, got, n)
		}
	}
	// 0009: the last version of each name is that of its versions.
	if got, want := queryInt(t, db.SQL(), `SELECT count(*) FROM model_names AS n
		WHERE n.last_version = (SELECT max(version) FROM model_versions AS m WHERE m.name = n.name)`),
		queryInt(t, db.SQL(), `SELECT count(DISTINCT name) FROM model_versions`); got != want || want == 0 {
		t.Errorf("%d model names with their last version after the upgrade, want %d (> 0)", got, want)
	}
	for _, index := range []string{"forecasts_model_version_series_time", "forecasts_series_time"} {
		if got := queryInt(t, db.SQL(), `SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = '`+index+`'`); got != 1 {
			t.Errorf("index %s missing after the upgrade", index)
		}
	}
	if got, want := queryInt(t, db.SQL(), `SELECT count(*) FROM forecast_intervals`),
		queryInt(t, db.SQL(), `SELECT count(*) FROM forecasts WHERE lower IS NOT NULL`); got != want || got == 0 {
		t.Fatalf("%d intervals in forecast_intervals, want %d (one per forecast that had one)", got, want)
	}
	if got := queryInt(t, db.SQL(), `SELECT count(*) FROM forecast_intervals AS i JOIN forecasts AS f ON f.id = i.forecast_id
		WHERE i.lower IS f.lower AND i.upper IS f.upper AND i.level IS f.level`); got != queryInt(t, db.SQL(), `SELECT count(*) FROM forecast_intervals`) {
		t.Fatalf("only %d intervals copied as they were", got)
	}
	rows, err := db.FindForecasts(ctx, store.ForecastFilter{Model: &store.ModelRef{Name: "north"}})
	if err != nil {
		t.Fatal(err)
	} else if len(rows) != 3 || rows[0].Method != "" || len(rows[0].Intervals) != 1 || rows[0].Intervals[0].Level != 0.8 {
		t.Fatalf("north@1 forecasts: %+v", rows)
	}
	if got := queryInt(t, db.SQL(), `SELECT count(*) FROM latest_forecasts WHERE lower_80 IS NOT NULL AND lower_80 = lower`); got == 0 {
		t.Fatal("latest_forecasts has no lower_80 of the old 80 % intervals")
	}

	// Run 2 (the batch of shops@1) takes forecasts of its series "sales"
	// from north@1 too: the key now holds the model version.
	fcs := []store.Forecast{{Series: "sales", Step: 1, Value: 80, Method: "snaive"}}
	if _, err := db.SQL().Exec(`INSERT INTO forecasts (run_id, model_version_id, series, step, value, method)
		VALUES (2, 1, ?, ?, ?, ?)`, fcs[0].Series, fcs[0].Step, fcs[0].Value, fcs[0].Method); err != nil {
		t.Fatalf("second model's forecast of sales in run 2: %v", err)
	}
	if _, err := db.SQL().Exec(`INSERT INTO forecasts (run_id, model_version_id, series, step, value)
		VALUES (2, 1, 'sales', 1, 81)`); err == nil {
		t.Fatal("a second forecast of one run, version, series and step was stored")
	}
	if err := db.SavePredict(ctx, &store.Run{Command: "predict"}, 1, fcs); err != nil {
		t.Fatal(err)
	}
	rows, err = db.FindForecasts(ctx, store.ForecastFilter{LatestRun: true})
	if err != nil {
		t.Fatal(err)
	} else if len(rows) != 1 || rows[0].Method != "snaive" {
		t.Fatalf("newest forecasts: %+v, want one by snaive", rows)
	}
}

// TestOpen_UpgradeKeepsDeletedVersionNumbers: a database of schema 0008
// whose runs wrote versions deleted since (air@3, gone@1) gets, from
// 0009, last numbers that count them, so the next versions are air@4 and
// gone@2, not air@3 and gone@1 again.
func TestOpen_UpgradeKeepsDeletedVersionNumbers(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "forecast.db")
	db := MustOpenDBPath(t, path)
	for range 2 {
		if err := db.SaveFit(ctx, newRun(), newModelVersion("air"), nil); err != nil {
			t.Fatal(err)
		}
	}
	MustCloseDB(t, db)
	// Back to schema 0008, with runs that wrote versions since deleted
	// (0010 and 0012 undone too, 0010's views replaced by stand-ins that it drops).
	raw := MustRawDB(t, path)
	for _, q := range []string{
		`DROP TRIGGER model_names_last_version`, `DROP TABLE model_names`,
		`DROP TRIGGER model_versions_fresh_id`, `DROP TRIGGER model_versions_last_id`, `DROP TABLE model_version_ids`,
		`DROP VIEW forecast_accuracy`, `DROP VIEW forecast_errors`, `ALTER TABLE forecasts DROP COLUMN mase_scale`,
		`CREATE VIEW forecast_errors AS SELECT 1`, `CREATE VIEW forecast_accuracy AS SELECT 1`,
		`DELETE FROM schema_migrations WHERE version >= 9`, `PRAGMA user_version = 8`,
		`INSERT INTO runs (command, started_at, status, wrote) VALUES
			('fit', '2026-01-01T00:00:00Z', 'ok', '{"model_versions":["air@3"]}'),
			('fit', '2026-01-02T00:00:00Z', 'ok', '{"model_versions":["gone@1"],"forecasts":2}'),
			('fit', '2026-01-03T00:00:00Z', 'ok', 'not JSON')`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	raw.Close()

	db = MustOpenDBPath(t, path)
	for name, want := range map[string]int{"air": 4, "gone": 2} {
		mv := newModelVersion(name)
		if err := db.SaveFit(ctx, newRun(), mv, nil); err != nil || mv.Version != want {
			t.Errorf("next %s version %d, %v; want %d", name, mv.Version, err, want)
		}
	}
}
