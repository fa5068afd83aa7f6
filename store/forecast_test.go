package store_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/store"
)

// mustSaveFits fits air twice and sun once; each fit forecasts series "a"
// and "b" for two hours with values 100*fit + step (fit counts from 1).
func mustSaveFits(tb testing.TB, db *store.DB) {
	tb.Helper()
	origin := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, name := range []string{"air", "air", "sun"} {
		var fcs []store.Forecast
		for _, series := range []string{"b", "a"} {
			for step := 1; step <= 2; step++ {
				fcs = append(fcs, store.Forecast{
					Series: series, Origin: origin,
					Time: origin.Add(time.Duration(step) * time.Hour), Step: step,
					Value: float64(100*(i+1) + step),
				})
			}
		}
		if err := db.SaveFit(context.Background(), newRun(), newModelVersion(name), fcs); err != nil {
			tb.Fatal(err)
		}
	}
}

// formatRows prints forecast rows as "run model@version series step=value".
func formatRows(rows []store.ForecastRow) string {
	var s string
	for _, r := range rows {
		s += fmt.Sprintf("%d %s@%d %s %d=%g\n", r.RunID, r.Model, r.Version, r.Series, r.Step, r.Value)
	}
	return s
}

func TestDB_FindForecasts(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	mustSaveFits(t, db)

	if _, err := db.SetAlias(ctx, store.ModelRef{Name: "air", Version: 1}, "champion"); err != nil {
		t.Fatal(err)
	}
	ref := func(name string, version int, alias string) *store.ModelRef {
		return &store.ModelRef{Name: name, Version: version, Alias: alias}
	}
	air1 := "1 air@1 a 1=101\n1 air@1 a 2=102\n1 air@1 b 1=101\n1 air@1 b 2=102\n"
	air2 := "2 air@2 a 1=201\n2 air@2 a 2=202\n2 air@2 b 1=201\n2 air@2 b 2=202\n"
	sun1 := "3 sun@1 a 1=301\n3 sun@1 a 2=302\n3 sun@1 b 1=301\n3 sun@1 b 2=302\n"
	for _, tt := range []struct {
		name   string
		filter store.ForecastFilter
		want   string
	}{
		{"Latest", store.ForecastFilter{Model: ref("air", 0, "")}, air2},
		{"Version", store.ForecastFilter{Model: ref("air", 1, "")}, air1},
		{"Alias", store.ForecastFilter{Model: ref("air", 0, "champion")}, air1},
		{"AllModelsLatest", store.ForecastFilter{}, air2 + sun1},
		{"Series", store.ForecastFilter{Series: "b"}, "2 air@2 b 1=201\n2 air@2 b 2=202\n3 sun@1 b 1=301\n3 sun@1 b 2=302\n"},
		{"Run", store.ForecastFilter{RunID: 1}, air1},
		{"LatestRun", store.ForecastFilter{LatestRun: true}, sun1},
		{"LatestRunOfModel", store.ForecastFilter{Model: ref("air", 1, ""), LatestRun: true}, air1},
		{"LatestRunOfSeries", store.ForecastFilter{Series: "a", LatestRun: true}, "3 sun@1 a 1=301\n3 sun@1 a 2=302\n"},
		{"Since", store.ForecastFilter{Model: ref("air", 0, ""), Since: time.Date(2024, 1, 1, 2, 0, 0, 0, time.UTC)}, "2 air@2 a 2=202\n2 air@2 b 2=202\n"},
		{"NoneForRun", store.ForecastFilter{RunID: 7}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := db.FindForecasts(ctx, tt.filter)
			if err != nil {
				t.Fatal(err)
			} else if got := formatRows(rows); got != tt.want {
				t.Fatalf("got\n%swant\n%s", got, tt.want)
			}
		})
	}

	t.Run("ErrNotFound", func(t *testing.T) {
		for _, tt := range []struct {
			ref  *store.ModelRef
			want string
		}{
			{ref("air", 3, ""), `model "air" has no version 3`},
			{ref("air", 0, "staging"), `model "air" has no alias "staging"`},
			{ref("rain", 0, ""), `model "rain" not found`},
		} {
			if _, err := db.FindForecasts(ctx, store.ForecastFilter{Model: tt.ref}); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("%s: err=%v, want ErrNotFound", tt.ref, err)
			} else if got := err.Error(); got != tt.want {
				t.Fatalf("%s: error=%q, want %q", tt.ref, got, tt.want)
			}
		}
	})
}

func TestDB_SavePredict(t *testing.T) {
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		db := MustOpenDB(t)
		mv := newModelVersion("air")
		if err := db.SaveFit(ctx, newRun(), mv, nil); err != nil {
			t.Fatal(err)
		}
		fcs := newForecasts(3)
		fcs[1].Intervals = []store.Interval{{Lower: -1, Upper: 1.5, Level: 0.95}, {Lower: -0.5, Upper: 1, Level: 0.8}}
		run := &store.Run{Command: "predict", ProgramVersion: "v1.2.3"}
		if err := db.SavePredict(ctx, run, mv.ID, fcs); err != nil {
			t.Fatal(err)
		} else if run.ID != 2 || run.Status != "ok" || run.Wrote.Forecasts != 3 {
			t.Fatalf("run=%+v", *run)
		}
		rows, err := db.FindForecasts(ctx, store.ForecastFilter{RunID: run.ID})
		if err != nil {
			t.Fatal(err)
		} else if len(rows) != 3 || rows[0].Intervals != nil || rows[2].Intervals != nil {
			t.Fatalf("rows=%+v", rows)
		} else if got, want := rows[1].Intervals, []store.Interval{fcs[1].Intervals[1], fcs[1].Intervals[0]}; !reflect.DeepEqual(got, want) {
			t.Fatalf("Intervals=%+v, want %+v by level", got, want)
		}
		// The old columns keep the widest interval; the view has both levels.
		var lower, upper, level, lower80, upper95 float64
		if err := db.SQL().QueryRow(`SELECT f.lower, f.upper, f.level, v.lower_80, v.upper_95
			FROM forecasts AS f JOIN forecasts_80_95 AS v ON v.id = f.id WHERE f.step = 2 AND f.run_id = ?`, run.ID).
			Scan(&lower, &upper, &level, &lower80, &upper95); err != nil {
			t.Fatal(err)
		} else if lower != -1 || upper != 1.5 || level != 0.95 || lower80 != -0.5 || upper95 != 1.5 {
			t.Fatalf("lower, upper, level = %v, %v, %v; lower_80 %v, upper_95 %v", lower, upper, level, lower80, upper95)
		}
		if got, want := countRows(t, db), "runs=2 model_versions=1 forecasts=3"; got != want {
			t.Fatalf("%s, want %s", got, want)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		db := MustOpenDB(t)
		err := db.SavePredict(ctx, &store.Run{Command: "predict"}, 42, newForecasts(2))
		if !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("err=%v, want ErrNotFound", err)
		}
		if got, want := countRows(t, db), "runs=0 model_versions=0 forecasts=0"; got != want {
			t.Fatalf("%s, want %s", got, want)
		}
	})

	t.Run("ErrConflict", func(t *testing.T) {
		db := MustOpenDB(t)
		mv := newModelVersion("air")
		if err := db.SaveFit(ctx, newRun(), mv, nil); err != nil {
			t.Fatal(err)
		}
		fcs := newForecasts(2)
		fcs[1].Step = 1
		run := &store.Run{Command: "predict"}
		if err := db.SavePredict(ctx, run, mv.ID, fcs); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("err=%v, want ErrConflict", err)
		} else if run.ID != 0 {
			t.Fatalf("failed save set run ID %d", run.ID)
		}
		if got, want := countRows(t, db), "runs=1 model_versions=1 forecasts=0"; got != want {
			t.Fatalf("%s, want %s", got, want)
		}
	})
}

// The latest_forecasts view is part of the documented schema.
func TestLatestForecastsView(t *testing.T) {
	db := MustOpenDB(t)
	mustSaveFits(t, db)

	rows, err := db.SQL().Query(`SELECT model, version, series, origin, time, step, value, run_id FROM latest_forecasts`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got string
	for rows.Next() {
		var model, series, origin, target string
		var version, step, runID int
		var value float64
		if err := rows.Scan(&model, &version, &series, &origin, &target, &step, &value, &runID); err != nil {
			t.Fatal(err)
		}
		got += fmt.Sprintf("%s@%d %s %s %s %d=%g run %d\n", model, version, series, origin, target, step, value, runID)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want := "" +
		"air@2 a 2024-01-01T00:00:00Z 2024-01-01T01:00:00Z 1=201 run 2\n" +
		"air@2 a 2024-01-01T00:00:00Z 2024-01-01T02:00:00Z 2=202 run 2\n" +
		"air@2 b 2024-01-01T00:00:00Z 2024-01-01T01:00:00Z 1=201 run 2\n" +
		"air@2 b 2024-01-01T00:00:00Z 2024-01-01T02:00:00Z 2=202 run 2\n" +
		"sun@1 a 2024-01-01T00:00:00Z 2024-01-01T01:00:00Z 1=301 run 3\n" +
		"sun@1 a 2024-01-01T00:00:00Z 2024-01-01T02:00:00Z 2=302 run 3\n" +
		"sun@1 b 2024-01-01T00:00:00Z 2024-01-01T01:00:00Z 1=301 run 3\n" +
		"sun@1 b 2024-01-01T00:00:00Z 2024-01-01T02:00:00Z 2=302 run 3\n"
	if got != want {
		t.Fatalf("latest_forecasts:\n%swant\n%s", got, want)
	}
}

// LatestOrigin keeps per model and series the forecasts of the newest
// origin, even when a later run forecast again from an older one, and never
// mixes origins as latest_forecasts does.
func TestDB_FindForecasts_LatestOrigin(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	mv := newModelVersion("air")
	day := func(d int) time.Time { return time.Date(2024, 1, d, 0, 0, 0, 0, time.UTC) }
	from := func(origin, steps int, value float64) []store.Forecast {
		var fcs []store.Forecast
		for s := 1; s <= steps; s++ {
			fcs = append(fcs, store.Forecast{Series: "a", Origin: day(origin), Time: day(origin + s), Step: s, Value: value})
		}
		return fcs
	}
	if err := db.SaveFit(ctx, newRun(), mv, from(10, 3, 1)); err != nil {
		t.Fatal(err)
	}
	for _, fcs := range [][]store.Forecast{from(11, 1, 2), from(9, 3, 3)} { // runs 2 and 3
		if err := db.SavePredict(ctx, &store.Run{Command: "predict"}, mv.ID, fcs); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := db.FindForecasts(ctx, store.ForecastFilter{LatestOrigin: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].RunID != 2 || !rows[0].Origin.Equal(day(11)) || rows[0].Value != 2 {
		t.Fatalf("latest origin: %+v, want the one forecast of run 2 from day 11", rows)
	}
	// latest_forecasts takes day 12 from run 2 and day 13 from run 1.
	if got := queryInt(t, db.SQL(), `SELECT count(DISTINCT origin) FROM latest_forecasts`); got < 2 {
		t.Fatalf("latest_forecasts has %d origins; the test wants it to mix them", got)
	}
	if got := queryInt(t, db.SQL(), `SELECT count(*) FROM latest_origin_forecasts`); got != 1 {
		t.Fatalf("latest_origin_forecasts has %d rows, want 1", got)
	}
	if rows, err := db.FindForecasts(ctx, store.ForecastFilter{LatestOrigin: true, Series: "b"}); err != nil || len(rows) != 0 {
		t.Fatalf("series b: %+v, %v; want none", rows, err)
	}
}

// FindSeriesForecast reads every interval of each step, narrowest first.
func TestDB_FindSeriesForecast_Intervals(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	mv := newModelVersion("air")
	fcs := newForecasts(3)
	fcs[0].Intervals = []store.Interval{{Lower: -2, Upper: 2, Level: 0.95}, {Lower: -1, Upper: 1, Level: 0.8}}
	fcs[1].Intervals = []store.Interval{{Lower: -3, Upper: 3, Level: 0.9}}
	if err := db.SaveFit(ctx, newRun(), mv, fcs); err != nil {
		t.Fatal(err)
	}
	fc, err := db.FindSeriesForecast(ctx, store.ModelRef{}, "a", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]store.Interval{{fcs[0].Intervals[1], fcs[0].Intervals[0]}, fcs[1].Intervals, nil}
	if len(fc.Points) != 3 {
		t.Fatalf("points: %+v", fc.Points)
	}
	for i, p := range fc.Points {
		if p.Step != i+1 || p.Value != fcs[i].Value || !reflect.DeepEqual(p.Intervals, want[i]) {
			t.Errorf("step %d: %+v, want value %v and intervals %+v", i+1, p, fcs[i].Value, want[i])
		}
	}
}

// TestLatestForecastsByOrigin: latest_forecasts takes, of each target
// time, the forecast from the newest origin, not the highest run id: merge
// gives a shard's runs ids after the target's, so a forecast from an older
// origin, merged in later, hid the newer one.
func TestLatestForecastsByOrigin(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	forecastFrom := func(origin time.Time, value float64) {
		t.Helper()
		fcs := make([]store.Forecast, 3)
		for i := range fcs {
			fcs[i] = store.Forecast{Series: "s", Origin: origin, Time: origin.Add(time.Duration(i+1) * time.Hour), Step: i + 1, Value: value}
		}
		if err := db.SaveFit(ctx, newRun(), newModelVersion("m"), fcs); err != nil {
			t.Fatal(err)
		}
	}
	t0 := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	forecastFrom(t0.Add(time.Hour), 2) // run 1: the newer origin
	forecastFrom(t0, 1)                // run 2: the older, stored after
	if got := queryInt(t, db.SQL(), `SELECT count(*) FROM latest_forecasts WHERE value = 2`); got != 3 {
		t.Errorf("%d of latest_forecasts from the newer origin, want its 3", got)
	}
	if got := queryInt(t, db.SQL(), `SELECT count(*) FROM latest_forecasts WHERE value = 1`); got != 1 {
		t.Errorf("%d of latest_forecasts from the older origin, want 1 (the time only it forecast)", got)
	}
}

// TestListRunsPageByStart: runs are listed the last started first, not by
// id: merge numbers a shard's runs after the target's, whatever their start.
func TestListRunsPageByStart(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	for range 3 {
		if err := db.SaveActuals(ctx, &store.Run{Command: "actuals"}, []store.Actual{{Series: "s", Time: month(0), Value: 1}}); err != nil {
			t.Fatal(err)
		}
	}
	// Run 3 as a merged shard's run: numbered last, started first.
	if _, err := db.SQL().Exec(`UPDATE runs SET started_at = '2020-01-01T00:00:00.5Z' WHERE id = 3`); err != nil {
		t.Fatal(err)
	}
	runs, total, err := db.ListRunsPage(ctx, store.RunFilter{Page: store.Page{Limit: 10}})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, r := range runs {
		ids = append(ids, r.ID)
	}
	if total != 3 || !reflect.DeepEqual(ids, []int64{2, 1, 3}) {
		t.Errorf("runs %v of %d, want 2, 1, 3", ids, total)
	}
}

// TestDB_StoredPrediction: forecasts equal in every stored column and
// interval to a run's name that run (the newest of several); a change in
// any of them, another origin or series, fewer or more steps, or another
// version finds none.
func TestDB_StoredPrediction(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	mv, other := newModelVersion("air"), newModelVersion("air")
	if err := db.SaveFit(ctx, newRun(), mv, nil); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveFit(ctx, newRun(), other, nil); err != nil {
		t.Fatal(err)
	}
	stored := func() []store.Forecast {
		fcs := newForecasts(4)
		fcs[1].Intervals = []store.Interval{{Lower: -1, Upper: 1.5, Level: 0.95}, {Lower: -0.5, Upper: 1, Level: 0.8}}
		fcs[2].MASEScale = math.NaN()
		fcs[3].MASEScale = 2.5
		return fcs
	}
	var runs []int64
	for range 2 {
		run := &store.Run{Command: "predict"}
		if err := db.SavePredict(ctx, run, mv.ID, stored()); err != nil {
			t.Fatal(err)
		}
		runs = append(runs, run.ID)
	}
	if got, err := db.StoredPrediction(ctx, mv.ID, stored()); err != nil || got != runs[1] {
		t.Fatalf("the same forecasts: run %d (%v), want %d", got, err, runs[1])
	}
	for _, tt := range []struct {
		name   string
		change func([]store.Forecast) []store.Forecast
	}{
		{"a value", func(f []store.Forecast) []store.Forecast { f[0].Value = math.Nextafter(f[0].Value, 4); return f }},
		{"a method", func(f []store.Forecast) []store.Forecast { f[3].Method = "gru"; return f }},
		{"a time", func(f []store.Forecast) []store.Forecast { f[2].Time = f[2].Time.Add(time.Nanosecond); return f }},
		{"an interval's bound", func(f []store.Forecast) []store.Forecast { f[1].Intervals[1].Lower = -0.25; return f }},
		{"an interval less", func(f []store.Forecast) []store.Forecast { f[1].Intervals = f[1].Intervals[:1]; return f }},
		{"an interval more", func(f []store.Forecast) []store.Forecast {
			f[0].Intervals = []store.Interval{{Lower: 3, Upper: 3.5, Level: 0.5}}
			return f
		}},
		{"a MASE scale", func(f []store.Forecast) []store.Forecast { f[3].MASEScale = 2.25; return f }},
		{"an undefined MASE scale unknown", func(f []store.Forecast) []store.Forecast { f[2].MASEScale = 0; return f }},
		{"the origin", func(f []store.Forecast) []store.Forecast {
			for i := range f {
				f[i].Origin = f[i].Origin.Add(-time.Hour)
			}
			return f
		}},
		{"the series", func(f []store.Forecast) []store.Forecast {
			for i := range f {
				f[i].Series = "b"
			}
			return f
		}},
		{"a step less", func(f []store.Forecast) []store.Forecast { return f[:3] }},
		{"a step more", func(f []store.Forecast) []store.Forecast {
			return append(f, store.Forecast{Series: "a", Origin: f[0].Origin, Time: f[3].Time.Add(time.Hour), Step: 5, Value: 1})
		}},
	} {
		if got, err := db.StoredPrediction(ctx, mv.ID, tt.change(stored())); err != nil || got != 0 {
			t.Errorf("%s changed: run %d (%v), want none", tt.name, got, err)
		}
	}
	if got, err := db.StoredPrediction(ctx, other.ID, stored()); err != nil || got != 0 {
		t.Errorf("another version: run %d (%v), want none", got, err)
	}
	// Without times there is no origin to tell the data apart by.
	untimed := stored()
	for i := range untimed {
		untimed[i].Origin, untimed[i].Time = time.Time{}, time.Time{}
	}
	if err := db.SavePredict(ctx, &store.Run{Command: "predict"}, mv.ID, untimed); err != nil {
		t.Fatal(err)
	}
	if got, err := db.StoredPrediction(ctx, mv.ID, untimed); err != nil || got != 0 {
		t.Errorf("forecasts without times: run %d (%v), want none", got, err)
	}
	// Another version of the model forecast the series from the origin
	// since (an alias moved to it, then back): the first version's
	// forecasts are stored again, to be the latest.
	later := &store.Run{Command: "predict"}
	if err := db.SavePredict(ctx, later, other.ID, stored()); err != nil {
		t.Fatal(err)
	}
	if got, err := db.StoredPrediction(ctx, mv.ID, stored()); err != nil || got != 0 {
		t.Errorf("after a later run of another version: run %d (%v), want none", got, err)
	}
	if got, err := db.StoredPrediction(ctx, other.ID, stored()); err != nil || got != later.ID {
		t.Errorf("the later version's own: run %d (%v), want %d", got, err, later.ID)
	}
}

// TestLatestRunByStart: of two predict runs of one version from one origin,
// every "latest" (latest_forecasts, latest_origin_forecasts,
// forecast_errors, --run latest, FindSeriesForecast and ListOrigins) takes the one that
// started last, not the highest run id, which merge gives to a shard's
// runs whatever their start.
func TestLatestRunByStart(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	mv := newModelVersion("m")
	if err := db.SaveFit(ctx, newRun(), mv, nil); err != nil {
		t.Fatal(err)
	}
	origin := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	predict := func(value float64) int64 {
		t.Helper()
		fcs := make([]store.Forecast, 2)
		for i := range fcs {
			fcs[i] = store.Forecast{Series: "s", Origin: origin, Time: origin.Add(time.Duration(i+1) * time.Hour), Step: i + 1, Value: value}
		}
		run := &store.Run{Command: "predict"}
		if err := db.SavePredict(ctx, run, mv.ID, fcs); err != nil {
			t.Fatal(err)
		}
		return run.ID
	}
	newer := predict(2)
	older := predict(1) // a merged shard's run: numbered after, started before
	if _, err := db.SQL().Exec(`UPDATE runs SET started_at = '2020-01-01T00:00:00.5Z' WHERE id = ?`, older); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveActuals(ctx, &store.Run{Command: "actuals"}, []store.Actual{{Series: "s", Time: origin.Add(time.Hour), Value: 10}}); err != nil {
		t.Fatal(err)
	}
	for _, view := range []string{"latest_forecasts", "latest_origin_forecasts"} {
		if got := queryString(t, db, `SELECT group_concat(run_id || ':' || value, ' ') FROM `+view); got != fmt.Sprintf("%d:2.0 %d:2.0", newer, newer) {
			t.Errorf("%s: %s, want both steps of run %d", view, got, newer)
		}
	}
	if got := queryString(t, db, `SELECT group_concat(run_id || ':' || forecast, ' ') FROM forecast_errors`); got != fmt.Sprintf("%d:2.0", newer) {
		t.Errorf("forecast_errors: %s, want run %d's", got, newer)
	}
	rows, err := db.FindForecasts(ctx, store.ForecastFilter{LatestRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].RunID != newer {
		t.Errorf("--run latest gave %d rows, the first of run %d, want 2 of run %d", len(rows), rows[0].RunID, newer)
	}
	sf, err := db.FindSeriesForecast(ctx, store.ModelRef{Name: "m"}, "s", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if sf.RunID != newer {
		t.Errorf("FindSeriesForecast took run %d, want %d", sf.RunID, newer)
	}
	origins, _, err := db.ListOrigins(ctx, "m", "s", store.Page{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(origins) != 2 || origins[0].RunID != newer {
		t.Errorf("ListOrigins (newest first): %+v, want run %d first", origins, newer)
	}
}
