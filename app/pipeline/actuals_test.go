package pipeline_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/app/pipeline"
	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/ingest"
	"github.com/forecast-dev/forecast/store"
)

func TestRecordActuals(t *testing.T) {
	ctx := context.Background()
	db := openStore(t)
	history := hourlyLoad(200)
	fitAndStore(t, db, history, smallConfig(forecast.FallbackNone)) // forecasts of "f/load", 6 steps after the history
	last := history.Time(history.Len() - 1)
	var times []time.Time
	var values []float64
	for i := range 4 {
		times = append(times, last.Add(time.Duration(i+1)*time.Hour))
		values = append(values, float64(i))
	}
	next := ingest.NewSeries("load", times, values)
	next.Freq = history.Freq

	// Read from g.csv, the actuals are stored as g/load, which no forecast
	// is of: the forecasts of the same column from f are named.
	rec, err := pipeline.RecordActuals(ctx, db, &store.Run{Command: "actuals"}, pipeline.Source{Path: "g.csv"}, []*ingest.Series{next})
	if err != nil {
		t.Fatal(err)
	}
	if rec.ID != "g/load" || rec.Stored != 4 || rec.Replaced != 0 || rec.Scored != 0 || !slices.Equal(rec.Like, []string{"f/load"}) {
		t.Errorf("from g.csv: %+v; want id g/load, 4 stored, none replaced or scored, like [f/load]", rec)
	}
	// With the series id of the forecasts they score 4 of the 6; recorded
	// again, the same, they are left as they were.
	src := pipeline.Source{Path: "g.csv", SeriesID: "f/load"}
	for round, unchanged := range []int{0, 4} {
		rec, err = pipeline.RecordActuals(ctx, db, &store.Run{Command: "actuals"}, src, []*ingest.Series{next})
		if err != nil {
			t.Fatal(err)
		}
		if rec.ID != "f/load" || rec.Stored != 4-unchanged || rec.Replaced != 0 || rec.Unchanged != unchanged || rec.Scored != 4 || rec.Versions != 1 || rec.Like != nil {
			t.Errorf("round %d as f/load: %+v; want %d stored, %d unchanged, 4 scored by 1 version", round, rec, 4-unchanged, unchanged)
		}
	}
	// A series without times cannot be matched to forecasts.
	timeless := ingest.NewSeries("load", nil, values)
	if _, err := pipeline.RecordActuals(ctx, db, &store.Run{Command: "actuals"}, src, []*ingest.Series{timeless}); !errors.Is(err, forecast.ErrInvalid) {
		t.Errorf("actuals without times: %v, want an error wrapping forecast.ErrInvalid", err)
	}
}
