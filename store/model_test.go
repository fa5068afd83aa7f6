package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/store"
)

// newModelVersion returns a model version ready for SaveFit.
func newModelVersion(name string) *store.ModelVersion {
	return &store.ModelVersion{
		Name:            name,
		Params:          `{"lookback":24,"horizon":3,"hidden":[16,16]}`,
		Scaler:          `{"kind":"zscore","mean":[10.5],"std":[2.25]}`,
		Metrics:         `{"gru":{"mae":0.5},"naive":{"mae":0.75}}`,
		DataSource:      "testdata/air.csv",
		DataFingerprint: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		DataRows:        144,
		Weights:         []byte{0, 1, 2, 0xff, 0, 0x80, 'G', 'R', 'U', 0},
		Export:          `{"format":"forecast-gru-json/1","lookback":24,"horizon":3}`,
		Seed:            1<<64 - 1,
		MASEScale:       1.25,
		DataSeries:      "Passengers",
		DataStart:       time.Date(1949, 1, 1, 0, 0, 0, 0, time.UTC),
		DataEnd:         time.Date(1960, 12, 1, 0, 0, 0, 0, time.UTC),
		DataFreq:        "monthly",
		ProgramVersion:  "v1.2.3",
		Duration:        1500 * time.Millisecond,
	}
}

// newRun returns a run of fit ready to save.
func newRun() *store.Run {
	return &store.Run{Command: "fit", Args: []string{"fit", "air.csv", "--target=y"}, ProgramVersion: "v1.2.3"}
}

// newForecasts returns h hourly forecasts of series "a" with awkward values,
// each with a method but the last ("", stored as NULL).
// (Not -0: SQLite keeps every float64 but the sign of zero.)
func newForecasts(h int) []store.Forecast {
	values := []float64{math.Pi, -0.1, 1e-300, math.MaxFloat64, math.SmallestNonzeroFloat64, -math.MaxFloat64, 0}
	methods := []string{"gru", "ets(M,Ad,M)", "theta", "snaive"}
	origin := time.Date(2024, 2, 29, 23, 0, 0, 123456789, time.FixedZone("CET", 3600))
	fcs := make([]store.Forecast, h)
	for i := range fcs {
		fcs[i] = store.Forecast{
			Series: "a",
			Origin: origin,
			Time:   origin.Add(time.Duration(i+1) * time.Hour),
			Step:   i + 1,
			Value:  values[i%len(values)],
		}
		if i < h-1 {
			fcs[i].Method = methods[i%len(methods)]
		}
	}
	return fcs
}

// countRows returns the rows of each table that SaveFit writes.
func countRows(tb testing.TB, db *store.DB) string {
	tb.Helper()
	return fmt.Sprintf("runs=%d model_versions=%d forecasts=%d",
		queryInt(tb, db.SQL(), `SELECT count(*) FROM runs`),
		queryInt(tb, db.SQL(), `SELECT count(*) FROM model_versions`),
		queryInt(tb, db.SQL(), `SELECT count(*) FROM forecasts`))
}

func TestDB_SaveFit(t *testing.T) {
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		db := MustOpenDB(t)
		mv, fcs := newModelVersion("air"), newForecasts(7)
		started := time.Date(2024, 3, 1, 11, 59, 30, 0, time.UTC)
		run := newRun()
		run.StartedAt = started
		if err := db.SaveFit(ctx, run, mv, fcs); err != nil {
			t.Fatal(err)
		}
		runID := run.ID
		if got, want := runID, int64(1); got != want {
			t.Fatalf("runID=%d, want %d", got, want)
		} else if mv.ID == 0 {
			t.Fatal("expected ID")
		} else if got, want := mv.Version, 1; got != want {
			t.Fatalf("Version=%d, want %d", got, want)
		} else if got, want := mv.CreatedAt, time.Date(2024, 3, 1, 12, 0, 1, 0, time.UTC); !got.Equal(want) {
			t.Fatalf("CreatedAt=%v, want %v", got, want)
		} else if got, want := fmt.Sprintf("%+v", run.Wrote), "{ModelVersions:[air@1] Forecasts:7 Actuals:0 ActualsReplaced:0 ActualsUnchanged:0 SeriesDone:0 SeriesFailed:0 SeriesSkipped:0}"; got != want {
			t.Fatalf("Wrote=%s, want %s", got, want)
		} else if mv.RunID != runID {
			t.Fatalf("RunID=%d, want %d", mv.RunID, runID)
		}

		got, err := db.FindModelVersion(ctx, store.ModelRef{Name: "air", Version: 1})
		if err != nil {
			t.Fatal(err)
		}
		want := newModelVersion("air")
		want.ID, want.Version, want.CreatedAt, want.RunID, want.Forecasts = mv.ID, 1, mv.CreatedAt, runID, 7
		if !bytes.Equal(got.Weights, want.Weights) {
			t.Fatalf("Weights=%x, want %x", got.Weights, want.Weights)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("model version\n got %+v\nwant %+v", *got, *want)
		}

		rows, err := db.FindForecasts(ctx, store.ForecastFilter{Model: &store.ModelRef{Name: "air", Version: 1}})
		if err != nil {
			t.Fatal(err)
		} else if got, want := len(rows), len(fcs); got != want {
			t.Fatalf("len(forecasts)=%d, want %d", got, want)
		}
		for i, r := range rows {
			f := fcs[i]
			if r.RunID != runID || r.Model != "air" || r.Version != 1 || r.Series != f.Series || r.Step != f.Step {
				t.Fatalf("forecast %d: got %+v, want run %d of air@1 for %+v", i, r, runID, f)
			} else if !r.Origin.Equal(f.Origin) || !r.Time.Equal(f.Time) {
				t.Fatalf("forecast %d: Origin, Time=%v, %v, want %v, %v", i, r.Origin, r.Time, f.Origin, f.Time)
			} else if r.Time.Location() != time.UTC {
				t.Fatalf("forecast %d: Time in %v, want UTC", i, r.Time.Location())
			} else if math.Float64bits(r.Value) != math.Float64bits(f.Value) {
				t.Fatalf("forecast %d: Value=%v, want exactly %v", i, r.Value, f.Value)
			} else if r.Method != f.Method {
				t.Fatalf("forecast %d: Method=%q, want %q", i, r.Method, f.Method)
			}
		}

		runs, err := db.ListRuns(ctx)
		if err != nil {
			t.Fatal(err)
		} else if got, want := len(runs), 1; got != want {
			t.Fatalf("len(runs)=%d, want %d", got, want)
		} else if r := runs[0]; !reflect.DeepEqual(r, run) {
			t.Fatalf("run\n got %+v\nwant %+v", *r, *run)
		} else if r.Command != "fit" || r.Status != "ok" || r.Error != "" || r.ProgramVersion != "v1.2.3" ||
			!r.StartedAt.Equal(started) || !r.FinishedAt.Equal(mv.CreatedAt) || len(r.Args) != 3 {
			t.Fatalf("run=%+v", *r)
		}

		// The model version and its forecasts point at the run.
		if got := queryInt(t, db.SQL(), `SELECT count(*) FROM model_versions WHERE run_id = 1`); got != 1 {
			t.Fatalf("model versions of run 1=%d, want 1", got)
		}
	})

	t.Run("VersionsPerName", func(t *testing.T) {
		db := MustOpenDB(t)
		for i, tt := range []struct {
			name    string
			version int
			runID   int64
		}{{"a", 1, 1}, {"b", 1, 2}, {"a", 2, 3}, {"a", 3, 4}, {"b", 2, 5}} {
			mv := newModelVersion(tt.name)
			run := newRun()
			if err := db.SaveFit(ctx, run, mv, newForecasts(2)); err != nil {
				t.Fatal(err)
			} else if run.ID != tt.runID || mv.Version != tt.version {
				t.Fatalf("fit %d of %s: run, version=%d, %d, want %d, %d", i, tt.name, run.ID, mv.Version, tt.runID, tt.version)
			}
		}
		mvs, err := db.ListModelVersions(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, mv := range mvs {
			if mv.Weights != nil || mv.Export != "" {
				t.Fatalf("%s@%d: ListModelVersions loaded the blobs", mv.Name, mv.Version)
			}
			got = append(got, fmt.Sprintf("%s@%d", mv.Name, mv.Version))
		}
		if got, want := fmt.Sprint(got), "[a@1 a@2 a@3 b@1 b@2]"; got != want {
			t.Fatalf("versions=%s, want %s", got, want)
		}
	})

	// A forecast that breaks a rule of the schema rolls the whole fit back.
	t.Run("ErrCheckRollsBack", func(t *testing.T) {
		db := MustOpenDB(t)
		fcs := newForecasts(3)
		fcs[2].Step = 0
		mv, run := newModelVersion("air"), newRun()
		if err := db.SaveFit(ctx, run, mv, fcs); err == nil {
			t.Fatal("expected error")
		} else if errors.Is(err, store.ErrConflict) {
			t.Fatalf("err=%v, want no ErrConflict", err)
		}
		if got, want := countRows(t, db), "runs=0 model_versions=0 forecasts=0"; got != want {
			t.Fatalf("after a failed fit: %s, want %s", got, want)
		} else if mv.ID != 0 || mv.Version != 0 || !mv.CreatedAt.IsZero() {
			t.Fatalf("failed fit changed mv: %+v", *mv)
		} else if !reflect.DeepEqual(run, newRun()) {
			t.Fatalf("failed fit changed run: %+v", *run)
		}
	})

	t.Run("ErrConflict", func(t *testing.T) {
		db := MustOpenDB(t)
		if err := db.SaveFit(ctx, newRun(), newModelVersion("air"), newForecasts(2)); err != nil {
			t.Fatal(err)
		}
		fcs := newForecasts(2)
		fcs[1].Step = fcs[0].Step
		err := db.SaveFit(ctx, newRun(), newModelVersion("air"), fcs)
		if !errors.Is(err, store.ErrConflict) {
			t.Fatalf("err=%v, want ErrConflict", err)
		} else if got, want := err.Error(), "database "+db.Path+": UNIQUE constraint failed: forecasts.run_id, forecasts.model_version_id, forecasts.series, forecasts.step"; got != want {
			t.Fatalf("error=%q, want %q", got, want)
		}
		if got, want := countRows(t, db), "runs=1 model_versions=1 forecasts=2"; got != want {
			t.Fatalf("after a failed fit: %s, want %s", got, want)
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		db := MustOpenDB(t)
		noWeights := newModelVersion("air")
		noWeights.Weights = nil
		nan := newForecasts(1)
		nan[0].Value = math.NaN()
		inf := newForecasts(2)
		inf[1].Value = math.Inf(1)
		infInterval := newForecasts(1)
		infInterval[0].Intervals = []store.Interval{{Lower: math.Inf(-1), Upper: 1, Level: 0.9}}
		for _, tt := range []struct {
			mv   *store.ModelVersion
			fcs  []store.Forecast
			want string
		}{
			{newModelVersion(""), nil, `save model "": a name must not be empty`},
			{newModelVersion("a@b"), nil, `save model "a@b": a name must not hold '@'`},
			{noWeights, nil, `save model "air": weights required`},
			{newModelVersion("air"), nan, `save model "air": forecast of series "a" for 2024-03-01T00:00:00+01:00 is NaN, not a finite number`},
			{newModelVersion("air"), inf, `save model "air": forecast of series "a" for 2024-03-01T01:00:00+01:00 is +Inf, not a finite number`},
			{newModelVersion("air"), infInterval, `save model "air": interval of series "a" for 2024-03-01T00:00:00+01:00 is [-Inf, 1] at level 0.9, not finite`},
		} {
			if err := db.SaveFit(ctx, newRun(), tt.mv, tt.fcs); err == nil || err.Error() != tt.want {
				t.Fatalf("err=%v, want %s", err, tt.want)
			}
		}
		if got, want := countRows(t, db), "runs=0 model_versions=0 forecasts=0"; got != want {
			t.Fatalf("after failed fits: %s, want %s", got, want)
		}
	})
}

func TestDB_FindModelVersion(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	for _, name := range []string{"air", "air", "sun"} {
		if err := db.SaveFit(ctx, newRun(), newModelVersion(name), nil); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("Latest", func(t *testing.T) {
		if mv, err := db.FindModelVersion(ctx, store.ModelRef{Name: "air"}); err != nil {
			t.Fatal(err)
		} else if mv.Name != "air" || mv.Version != 2 {
			t.Fatalf("got %s@%d, want air@2", mv.Name, mv.Version)
		}
	})

	t.Run("Version", func(t *testing.T) {
		if mv, err := db.FindModelVersion(ctx, store.ModelRef{Name: "air", Version: 1}); err != nil {
			t.Fatal(err)
		} else if mv.Name != "air" || mv.Version != 1 {
			t.Fatalf("got %s@%d, want air@1", mv.Name, mv.Version)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		for _, tt := range []struct {
			name    string
			version int
			want    string
		}{
			{"air", 3, `model "air" has no version 3`},
			{"rain", 0, `model "rain" not found`},
			{"rain", 1, `model "rain" not found`},
		} {
			_, err := db.FindModelVersion(ctx, store.ModelRef{Name: tt.name, Version: tt.version})
			if !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("%s@%d: err=%v, want ErrNotFound", tt.name, tt.version, err)
			} else if got := err.Error(); got != tt.want {
				t.Fatalf("%s@%d: error=%q, want %q", tt.name, tt.version, got, tt.want)
			}
		}
	})
}

// TestModelVersionsSummarySelected checks that the summary view scores the
// forecast a version gives (the selected method's), and the GRU's apart.
func TestModelVersionsSummarySelected(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	chosen := newModelVersion("sales")
	chosen.Params = `{"method":"ets","method_name":"ETS(M,A,M)"}`
	chosen.Metrics = `{"test":{"selected":{"mae":2,"mase":0.5},"gru":{"mae":4,"mase":1.25}}}`
	if err := db.SaveFit(ctx, newRun(), chosen, nil); err != nil {
		t.Fatal(err)
	}
	old := newModelVersion("sales")
	old.Metrics = `{"test":{"gru":{"mae":3,"mase":0.75}}}` // stored before methods competed
	if err := db.SaveFit(ctx, newRun(), old, nil); err != nil {
		t.Fatal(err)
	}
	// A version forecast by the classical methods alone, as fit stored
	// one before the GRU's scores were left out of its document.
	short := newModelVersion("sales")
	short.Params = `{"classical_only":true,"lookback":12,"layers":2,"hidden":64,"method":"ets","method_name":"ETS(A,N,N)"}`
	short.Metrics = `{"epochs_run":0,"best_epoch":0,"test":{"selected":{"mae":1,"mase":0.25},"gru":{"mae":0,"mase":0}}}`
	if err := db.SaveFit(ctx, newRun(), short, nil); err != nil {
		t.Fatal(err)
	}
	// A version whose series left no test part, as fit stored one before
	// its document left the zero scores out: no test scores, not zeros.
	untested := newModelVersion("sales")
	untested.Params = `{"classical_only":true,"method":"ets","method_name":"ETS(A,N,N)"}`
	untested.Metrics = `{"windows":{"test":0,"train":0,"validation":1},"test":{"selected":{"mae":0,"mase":0},"naive":{"mase":0},"seasonal_naive":{"mase":0}}}`
	if err := db.SaveFit(ctx, newRun(), untested, nil); err != nil {
		t.Fatal(err)
	}
	// A version whose forecast of the test part had no error: its selected
	// scores, all zero, are left out of the document; they are 0, not the
	// GRU's.
	exact := newModelVersion("sales")
	exact.Params = `{"method":"smean_week","method_name":"seasonal mean of weeks"}`
	exact.Metrics = `{"test":{"gru":{"mae":1,"mase":1.7714},"naive":{"mae":4,"mase":2.177},"seasonal_naive":{"mae":0,"mase":0}},"methods":{"smean_week":1}}`
	if err := db.SaveFit(ctx, newRun(), exact, nil); err != nil {
		t.Fatal(err)
	}
	var exactScores [3]sql.NullFloat64
	if err := db.SQL().QueryRowContext(ctx, `SELECT test_mae, test_mase, gru_mase FROM model_versions_summary WHERE version = 5`).
		Scan(&exactScores[0], &exactScores[1], &exactScores[2]); err != nil || exactScores != [3]sql.NullFloat64{{Valid: true}, {Valid: true}, {Float64: 1.7714, Valid: true}} {
		t.Errorf("exact version's test_mae, test_mase, gru_mase %v, %v; want 0, 0, 1.7714", exactScores, err)
	}
	var untestedScores [5]sql.NullFloat64
	if err := db.SQL().QueryRowContext(ctx, `SELECT test_mae, test_mase, naive_mase, seasonal_naive_mase, gru_mase FROM model_versions_summary WHERE version = 4`).
		Scan(&untestedScores[0], &untestedScores[1], &untestedScores[2], &untestedScores[3], &untestedScores[4]); err != nil || untestedScores != [5]sql.NullFloat64{} {
		t.Errorf("untested version's test_mae, test_mase, naive_mase, seasonal_naive_mase, gru_mase %v, %v; want NULL", untestedScores, err)
	}
	rows, err := db.SQL().QueryContext(ctx, `SELECT version, test_mae, test_mase, gru_mase, method FROM model_versions_summary WHERE version < 4 ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	type row struct {
		version   int
		mae, mase float64
		gruMASE   sql.NullFloat64
		method    string
	}
	var got []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.version, &r.mae, &r.mase, &r.gruMASE, &r.method); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	gru := func(v float64) sql.NullFloat64 { return sql.NullFloat64{Float64: v, Valid: true} }
	want := []row{{1, 2, 0.5, gru(1.25), "ETS(M,A,M)"}, {2, 3, 0.75, gru(0.75), "GRU"}, {3, 1, 0.25, sql.NullFloat64{}, "ETS(A,N,N)"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("summary rows %+v, want %+v", got, want)
	}
	// The network's settings show where one was trained (old keeps
	// newModelVersion's lookback 24) and are NULL where none was.
	var lookback sql.NullInt64
	if err := db.SQL().QueryRowContext(ctx, `SELECT lookback FROM model_versions_summary WHERE version = 2`).Scan(&lookback); err != nil || lookback != (sql.NullInt64{Int64: 24, Valid: true}) {
		t.Errorf("version 2 lookback %v, %v; want 24", lookback, err)
	}
	var network [5]sql.NullString
	if err := db.SQL().QueryRowContext(ctx, `SELECT lookback, layers, hidden, epochs, best_epoch FROM model_versions_summary WHERE version = 3`).
		Scan(&network[0], &network[1], &network[2], &network[3], &network[4]); err != nil || network != [5]sql.NullString{} {
		t.Errorf("classical-only lookback, layers, hidden, epochs, best_epoch %v, %v; want NULL", network, err)
	}
}

func TestParseModelRef(t *testing.T) {
	for _, c := range []struct {
		in   string
		want store.ModelRef
		err  string
	}{
		{in: "air", want: store.ModelRef{Name: "air"}},
		{in: "air@latest", want: store.ModelRef{Name: "air", Latest: true}},
		{in: "air@3", want: store.ModelRef{Name: "air", Version: 3}},
		{in: "air@champion", want: store.ModelRef{Name: "air", Alias: "champion"}},
		{in: "@3", err: "the name is empty"},
		{in: "air@", err: "the version after @ must be a number"},
		{in: "air@0", err: "the version after @ must be a number"},
		{in: "air@3x", err: "the version after @ must be a number"},
		{in: "air@_x", err: "must start with a letter"},
	} {
		got, err := store.ParseModelRef(c.in)
		switch {
		case c.err == "" && (err != nil || got != c.want):
			t.Errorf("ParseModelRef(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("ParseModelRef(%q): error %v, want one saying %q", c.in, err, c.err)
		}
	}
}

func TestCheckModelName(t *testing.T) {
	for _, name := range []string{"air", "AirPassengers 1958", "ventes-été", "m4.hourly_v2"} {
		if err := store.CheckModelName(name); err != nil {
			t.Errorf("CheckModelName(%q) = %v, want nil", name, err)
		}
	}
	for name, want := range map[string]string{
		"":       "must not be empty",
		"  ":     "must not be empty",
		" air":   "must not start or end with a space",
		"x@y":    "must not hold '@'",
		"a/b":    "must not hold '/'",
		"a\tb":   "control characters",
		"a\x00b": "control characters",
	} {
		if err := store.CheckModelName(name); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckModelName(%q) = %v, want an error saying %q", name, err, want)
		}
	}
}
