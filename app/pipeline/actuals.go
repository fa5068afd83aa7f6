package pipeline

import (
	"context"
	"fmt"
	"strings"

	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/ingest"
	"github.com/forecast-dev/forecast/store"
)

// Recorded is what RecordActuals stored and what the actuals now score.
type Recorded struct {
	ID       string // the series' stored id
	Stored   int    // actuals stored
	Replaced int    // of them, those that replaced an earlier value
	Scored   int    // stored forecasts of the series that have an actual
	Versions int    // the model versions of those forecasts
	// Like holds, when no forecast of ID has an actual, the ids of the
	// stored series of the same name read from other sources: the actuals
	// may be meant for one of them (see Source.SeriesID).
	Like []string
}

// CheckActuals returns an error wrapping forecast.ErrInvalid unless s,
// read from path, can be recorded as actuals: it needs times, to match the
// times of forecasts.
func CheckActuals(path string, s *ingest.Series) error {
	if !s.Timed() {
		return fmt.Errorf("%w: %s: actuals need a time column, to match the times of forecasts", forecast.ErrInvalid, path)
	}
	return nil
}

// RecordActuals stores the values of s, read from src, as the actuals of
// the series src stores it under, in run, and says how many stored
// forecasts they score. s must pass CheckActuals.
func RecordActuals(ctx context.Context, db *store.DB, run *store.Run, src Source, s *ingest.Series) (*Recorded, error) {
	if err := CheckActuals(src.Path, s); err != nil {
		return nil, err
	}
	r := &Recorded{ID: src.StoredID(s), Stored: s.Len()}
	acts := make([]store.Actual, s.Len())
	for i, v := range s.Values() {
		acts[i] = store.Actual{Series: r.ID, Time: s.Time(i), Value: v}
	}
	if err := db.SaveActuals(ctx, run, acts); err != nil {
		return nil, storageError{fmt.Errorf("store the actuals: %w", err)}
	}
	r.Replaced = run.Wrote.ActualsReplaced
	accs, err := db.FindAccuracy(ctx, store.ModelRef{})
	if err != nil {
		return nil, storageError{err}
	}
	for _, acc := range accs {
		if acc.Series == r.ID {
			r.Scored += acc.Forecasts
			r.Versions++
		}
	}
	if r.Versions > 0 {
		return r, nil
	}
	ids, err := db.ForecastSeries(ctx)
	if err != nil {
		return nil, storageError{err}
	}
	name := SeriesName(s)
	for _, other := range ids {
		if other != r.ID && (other == name || strings.HasSuffix(other, "/"+name)) {
			r.Like = append(r.Like, other)
		}
	}
	return r, nil
}
