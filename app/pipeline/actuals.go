package pipeline

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/ingest"
	"github.com/forecast-dev/forecast/store"
)

// Recorded is what RecordActuals stored and what the actuals now score.
type Recorded struct {
	ID        string // the stored id of the series, or of the first of several
	Series    int    // how many series
	Stored    int    // actuals stored: new, or replacing an earlier value
	Replaced  int    // of them, those that replaced an earlier value
	Unchanged int    // actuals given that were recorded already, the same
	Scored    int    // stored forecasts of the series that have an actual
	Versions  int    // the model versions of those forecasts, per series
	// Like holds, for one series of which no forecast is stored, the ids
	// of the stored series of the same name read from other sources: the
	// actuals may be meant for one of them (see Source.SeriesID).
	Like []string
	// Sources holds, for several series of which no forecast is stored,
	// the names that start the stored ids of series of the same names read
	// from other sources, in order: the actuals may be meant for them (see
	// Source.SourceName).
	Sources []string
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

// RecordActuals stores the values of series, read from src, as the actuals
// of the series src stores them under, in run (one transaction), and says
// how many stored forecasts they score. Each series must pass
// CheckActuals.
func RecordActuals(ctx context.Context, db *store.DB, run *store.Run, src Source, series []*ingest.Series) (*Recorded, error) {
	r := &Recorded{ID: src.StoredID(series[0]), Series: len(series)}
	ids := map[string]bool{}
	var acts []store.Actual
	for _, s := range series {
		if err := CheckActuals(src.Path, s); err != nil {
			return nil, err
		}
		id := src.StoredID(s)
		ids[id] = true
		for i, v := range s.Values() {
			acts = append(acts, store.Actual{Series: id, Time: s.Time(i), Value: v})
		}
	}
	if err := db.SaveActuals(ctx, run, acts); err != nil {
		return nil, storageError{fmt.Errorf("store the actuals: %w", err)}
	}
	r.Stored, r.Replaced, r.Unchanged = run.Wrote.Actuals, run.Wrote.ActualsReplaced, run.Wrote.ActualsUnchanged
	accs, err := db.FindAccuracy(ctx, store.ModelRef{})
	if err != nil {
		return nil, storageError{err}
	}
	for _, acc := range accs {
		if ids[acc.Series] {
			r.Scored += acc.Forecasts
			r.Versions++
		}
	}
	if r.Versions > 0 {
		return r, nil
	}
	stored, err := db.ForecastSeries(ctx)
	if err != nil {
		return nil, storageError{err}
	}
	if slices.ContainsFunc(stored, func(id string) bool { return ids[id] }) {
		// Forecasts of these series are stored, for other times: the
		// actuals are theirs.
		return r, nil
	}
	if len(series) > 1 {
		names, sources := map[string]bool{}, map[string]bool{}
		for _, s := range series {
			names[SeriesName(s)] = true
		}
		for _, other := range stored {
			if source, name, ok := strings.Cut(other, "/"); ok && names[name] && !ids[other] {
				sources[source] = true
			}
		}
		r.Sources = slices.Sorted(maps.Keys(sources))
		return r, nil
	}
	name := SeriesName(series[0])
	for _, other := range stored {
		if other != r.ID && (other == name || strings.HasSuffix(other, "/"+name)) {
			r.Like = append(r.Like, other)
		}
	}
	return r, nil
}
