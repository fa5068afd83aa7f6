package store_test

import (
	"context"
	"errors"
	"fmt"
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
		if _, err := db.SaveFit(context.Background(), time.Time{}, newModelVersion(name), fcs); err != nil {
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

	for _, tt := range []struct {
		name    string
		model   string
		version int
		want    string
	}{
		{"Latest", "air", 0, "2 air@2 a 1=201\n2 air@2 a 2=202\n2 air@2 b 1=201\n2 air@2 b 2=202\n"},
		{"Version", "air", 1, "1 air@1 a 1=101\n1 air@1 a 2=102\n1 air@1 b 1=101\n1 air@1 b 2=102\n"},
		{"AllModelsLatest", "", 0, "2 air@2 a 1=201\n2 air@2 a 2=202\n2 air@2 b 1=201\n2 air@2 b 2=202\n" +
			"3 sun@1 a 1=301\n3 sun@1 a 2=302\n3 sun@1 b 1=301\n3 sun@1 b 2=302\n"},
		{"AllModelsVersion", "", 1, "1 air@1 a 1=101\n1 air@1 a 2=102\n1 air@1 b 1=101\n1 air@1 b 2=102\n" +
			"3 sun@1 a 1=301\n3 sun@1 a 2=302\n3 sun@1 b 1=301\n3 sun@1 b 2=302\n"},
		{"NoneForVersion", "", 7, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := db.FindForecasts(ctx, tt.model, tt.version)
			if err != nil {
				t.Fatal(err)
			} else if got := formatRows(rows); got != tt.want {
				t.Fatalf("got\n%swant\n%s", got, tt.want)
			}
		})
	}

	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := db.FindForecasts(ctx, "air", 3); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("err=%v, want ErrNotFound", err)
		} else if got, want := err.Error(), `model "air" has no version 3`; got != want {
			t.Fatalf("error=%q, want %q", got, want)
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
