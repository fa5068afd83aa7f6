package store_test

import (
	"context"
	"errors"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/store"
)

// month returns the first of the month m months after January 2024.
func month(m int) time.Time { return time.Date(2024, time.Month(1+m), 1, 0, 0, 0, 0, time.UTC) }

func TestDB_SaveActuals(t *testing.T) {
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		db := MustOpenDB(t)
		run := &store.Run{Command: "actuals"}
		acts := []store.Actual{{"s", month(0), 1}, {"s", month(1), 2}, {"t", month(0), 3}}
		if err := db.SaveActuals(ctx, run, acts); err != nil {
			t.Fatal(err)
		} else if run.ID != 1 || run.Wrote.Actuals != 3 || run.Wrote.ActualsReplaced != 0 {
			t.Fatalf("run=%+v", *run)
		}
		// Recording a value again replaces it and moves it to the new run.
		run = &store.Run{Command: "actuals"}
		if err := db.SaveActuals(ctx, run, []store.Actual{{"s", month(1), 2.5}, {"s", month(2), 4}}); err != nil {
			t.Fatal(err)
		} else if run.Wrote.Actuals != 2 || run.Wrote.ActualsReplaced != 1 {
			t.Fatalf("Wrote=%+v", run.Wrote)
		}
		var value float64
		var runID int
		if err := db.SQL().QueryRow(`SELECT value, run_id FROM actuals WHERE series = 's' AND time = '2024-02-01T00:00:00Z'`).Scan(&value, &runID); err != nil {
			t.Fatal(err)
		} else if value != 2.5 || runID != 2 {
			t.Fatalf("replaced actual=%v of run %d, want 2.5 of run 2", value, runID)
		}
		if got := queryInt(t, db.SQL(), `SELECT count(*) FROM actuals`); got != 4 {
			t.Fatalf("%d actuals, want 4", got)
		}
		// Recording the same values again replaces nothing: they keep the
		// run that recorded them (it counted them all replaced, and moved
		// them to the new run).
		run = &store.Run{Command: "actuals"}
		if err := db.SaveActuals(ctx, run, []store.Actual{{"s", month(0), 1}, {"s", month(1), 2.5}, {"t", month(0), 3.5}}); err != nil {
			t.Fatal(err)
		} else if run.Wrote.Actuals != 1 || run.Wrote.ActualsReplaced != 1 || run.Wrote.ActualsUnchanged != 2 {
			t.Fatalf("the same values again, one changed: Wrote=%+v, want 1 actual stored, replacing, and 2 unchanged", run.Wrote)
		}
		if got := queryString(t, db, `SELECT group_concat(series || substr(time, 6, 2) || ':' || run_id, ' ') FROM (SELECT * FROM actuals ORDER BY series, time)`); got != "s01:1 s02:2 s03:2 t01:3" {
			t.Fatalf("actuals by run %q, want s01:1 s02:2 s03:2 t01:3", got)
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		db := MustOpenDB(t)
		for _, tt := range []struct {
			act  store.Actual
			want string
		}{
			{store.Actual{"", month(0), 1}, "save actuals: series required"},
			{store.Actual{"s", time.Time{}, 1}, `save actuals of "s": every actual needs a time`},
			{store.Actual{"s", month(0), math.NaN()}, `save actuals of "s": the value for 2024-01-01T00:00:00Z is NaN, not a finite number`},
			{store.Actual{"s", month(1), math.Inf(-1)}, `save actuals of "s": the value for 2024-02-01T00:00:00Z is -Inf, not a finite number`},
		} {
			acts := []store.Actual{{"s", month(5), 1}, tt.act}
			if err := db.SaveActuals(ctx, &store.Run{Command: "actuals"}, acts); err == nil || err.Error() != tt.want {
				t.Fatalf("err=%v, want %q", err, tt.want)
			}
		}
		if got := queryInt(t, db.SQL(), `SELECT count(*) FROM actuals`) + queryInt(t, db.SQL(), `SELECT count(*) FROM runs`); got != 0 {
			t.Fatalf("failed saves wrote %d rows", got)
		}
	})
}

func TestDB_FindAccuracy(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	// air@1 forecasts s for four months, two of them with an interval.
	fcs := []store.Forecast{
		{Series: "s", Origin: month(-1), Time: month(0), Step: 1, Value: 10, Intervals: []store.Interval{{Lower: 9, Upper: 11, Level: 0.8}, {Lower: 8, Upper: 12, Level: 0.95}}},
		{Series: "s", Origin: month(-1), Time: month(1), Step: 2, Value: 20, Intervals: []store.Interval{{Lower: 0, Upper: 1, Level: 0.8}, {Lower: 0, Upper: 21, Level: 0.95}}},
		{Series: "s", Origin: month(-1), Time: month(2), Step: 3, Value: 30},
		{Series: "s", Origin: month(-1), Time: month(3), Step: 4, Value: 40},
	}
	air := newModelVersion("air") // MASEScale 1.25
	if err := db.SaveFit(ctx, newRun(), air, fcs); err != nil {
		t.Fatal(err)
	}
	sun := newModelVersion("sun")
	sun.MASEScale = 0 // unknown: no MASE
	if err := db.SaveFit(ctx, newRun(), sun, fcs[2:3]); err != nil {
		t.Fatal(err)
	}
	mustSaveVersions(t, db, 1) // air@2, forecasts of series "a" only
	acts := []store.Actual{{"s", month(0), 10.5}, {"s", month(1), 21}, {"s", month(2), 27}, {"other", month(3), 0}}
	if err := db.SaveActuals(ctx, &store.Run{Command: "actuals"}, acts); err != nil {
		t.Fatal(err)
	}

	t.Run("OK", func(t *testing.T) {
		accs, err := db.FindAccuracy(ctx, store.ModelRef{})
		if err != nil {
			t.Fatal(err)
		} else if len(accs) != 2 {
			t.Fatalf("%d rows, want air@1 and sun@1: %+v", len(accs), accs)
		}
		// |10−10.5|, |20−21|, |30−27| = 0.5, 1, 3: MAE 1.5, MASE 1.5/1.25;
		// 10.5 is inside [9, 11], 21 outside [0, 1]: 80 % coverage 1/2;
		// inside [8, 12] and [0, 21]: 95 % coverage (and widest) 2/2.
		a := accs[0]
		if a.Model != "air" || a.Version != 1 || a.Series != "s" || a.Forecasts != 3 || a.MAE != 1.5 ||
			a.MASE == nil || *a.MASE != 1.2 || a.Intervals != 2 || a.Coverage == nil || *a.Coverage != 1 ||
			!a.First.Equal(month(0)) || !a.Last.Equal(month(2)) {
			t.Fatalf("air@1: %+v", a)
		}
		if want := []store.LevelCoverage{{Level: 0.8, Intervals: 2, Coverage: 0.5}, {Level: 0.95, Intervals: 2, Coverage: 1}}; !reflect.DeepEqual(a.ByLevel, want) {
			t.Fatalf("air@1 coverage by level: %+v, want %+v", a.ByLevel, want)
		}
		s := accs[1]
		if s.Model != "sun" || s.Forecasts != 1 || s.MAE != 3 || s.MASE != nil || s.Intervals != 0 || s.Coverage != nil {
			t.Fatalf("sun@1: %+v", s)
		}
	})

	t.Run("Model", func(t *testing.T) {
		for _, tt := range []struct {
			ref  store.ModelRef
			want int
		}{
			{store.ModelRef{Name: "air"}, 1},               // every version of air; air@2 has no actuals
			{store.ModelRef{Name: "air", Version: 2}, 0},   // exists, nothing scored
			{store.ModelRef{Name: "air", Latest: true}, 0}, // air@latest is air@2
			{store.ModelRef{Name: "sun", Version: 1}, 1},
		} {
			if accs, err := db.FindAccuracy(ctx, tt.ref); err != nil {
				t.Fatal(err)
			} else if len(accs) != tt.want {
				t.Fatalf("%s: %d rows, want %d", tt.ref, len(accs), tt.want)
			}
		}
		// The forecast of s by air is air@1's; by air@latest, air@2's,
		// which has none of s.
		if fc, err := db.FindSeriesForecast(ctx, store.ModelRef{Name: "air"}, "s", time.Time{}); err != nil || fc.Version != 1 {
			t.Fatalf("forecast of s by air: %+v, %v; want air@1's", fc, err)
		}
		latest, err := store.ParseModelRef("air@latest")
		if err != nil {
			t.Fatal(err)
		}
		if fc, err := db.FindSeriesForecast(ctx, latest, "s", time.Time{}); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("forecast of s by air@latest: %+v, %v; want none (air@2 has none of s)", fc, err)
		}
	})

	t.Run("OwnScales", func(t *testing.T) {
		// A global model's forecasts of two series, each with the scale of
		// its own history, and of a third whose scale is undefined (a
		// constant history): it has no MASE, and never the version's
		// (1.25, of another series). Stored twice by two runs from one
		// origin, each forecast counts once, here and in the errors.
		db := MustOpenDB(t)
		mv := newModelVersion("shops")
		fcs := []store.Forecast{
			{Series: "big", Origin: month(-1), Time: month(0), Step: 1, Value: 1000, MASEScale: 100},
			{Series: "small", Origin: month(-1), Time: month(0), Step: 1, Value: 10, MASEScale: 0.5},
			{Series: "closed", Origin: month(-1), Time: month(0), Step: 1, Value: 0, MASEScale: math.NaN()},
		}
		if err := db.SaveFit(ctx, newRun(), mv, fcs); err != nil {
			t.Fatal(err)
		}
		if err := db.SavePredict(ctx, newRun(), mv.ID, fcs); err != nil {
			t.Fatal(err)
		}
		acts := []store.Actual{{"big", month(0), 1050}, {"small", month(0), 11}, {"closed", month(0), 5}}
		if err := db.SaveActuals(ctx, &store.Run{Command: "actuals"}, acts); err != nil {
			t.Fatal(err)
		}
		accs, err := db.FindAccuracy(ctx, store.ModelRef{Name: "shops"})
		if err != nil || len(accs) != 3 {
			t.Fatalf("%+v, %v", accs, err)
		}
		want := map[string]float64{"big": 0.5, "small": 2}
		for _, a := range accs {
			w, scaled := want[a.Series]
			switch {
			case a.Forecasts != 1:
				t.Errorf("%s: %d forecasts, want 1", a.Series, a.Forecasts)
			case !scaled && a.MASE != nil:
				t.Errorf("%s: MASE %v, want none", a.Series, *a.MASE)
			case scaled && (a.MASE == nil || *a.MASE != w):
				t.Errorf("%s: MASE %v, want %v", a.Series, a.MASE, w)
			}
		}
		if errs, total, err := db.FindForecastErrors(ctx, "", "big", store.Page{Limit: 10}); err != nil || total != 1 || len(errs) != 1 {
			t.Errorf("errors of big: %d of %d, %v; want the one forecast once", len(errs), total, err)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		for _, ref := range []store.ModelRef{{Name: "rain"}, {Name: "air", Version: 9}, {Name: "air", Alias: "champion"}} {
			if _, err := db.FindAccuracy(ctx, ref); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("%s: err=%v, want ErrNotFound", ref, err)
			}
		}
	})
}

func TestDB_FailRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // an interrupted command is recorded too
	db := MustOpenDB(t)
	run := newRun()
	if err := db.FailRun(ctx, run, errors.New("training diverged")); err != nil {
		t.Fatal(err)
	}
	runs, err := db.ListRuns(context.Background())
	if err != nil {
		t.Fatal(err)
	} else if len(runs) != 1 || runs[0].ID != run.ID || runs[0].Status != "failed" || runs[0].Error != "training diverged" ||
		runs[0].Command != "fit" || len(runs[0].Args) != 3 || runs[0].FinishedAt.IsZero() {
		t.Fatalf("runs=%+v", runs)
	}
	if got, want := countRows(t, db), "runs=1 model_versions=0 forecasts=0"; got != want {
		t.Fatalf("%s, want %s", got, want)
	}
}
