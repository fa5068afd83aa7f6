package pipeline

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/ingest"
	"github.com/forecast-dev/forecast/store"
)

// Action is what a batch would do with a series.
type Action int

// The actions of a dry run.
const (
	Forecast       Action = iota // forecast it
	Replace                      // forecast it again, replacing the forecasts from the same cut-off
	Skip                         // skip it: forecast from this cut-off before
	Unreadable                   // record it as failed: it cannot be read
	Unforecastable               // record it as failed: the model it reuses cannot forecast it
	LeftOut                      // skip it: too short or gappy (ingest.SeriesLeftOut)
)

// SeriesPlan is what a batch would do with one series.
type SeriesPlan struct {
	ID     string // as stored
	Cutoff string // its data cut-off; "" if unreadable
	Action Action
	Err    error // why it is unreadable or cannot be forecast
}

// JobPlan is what a batch would do in one job.
type JobPlan struct {
	Job      string
	Decision string // what the refit policy decides, and why; "" if it could not decide
	Refit    bool   // a new version would be trained
	Model    string // NAME@VERSION of the version it would reuse, "" if none
	Series   []SeriesPlan
	// Forecast, Skip, Unreadable and Unforecastable count the series by
	// action, Forecast those replaced too.
	Forecast, Skip, Unreadable, Unforecastable int
	Err                                        error // why the job would fail
	// Ended are the series read that end more than Horizon steps before
	// Latest, the last time of any (see EndedEarly), as the batch notes.
	Ended   []SeriesEnd
	Latest  time.Time
	Horizon int
}

// DryRunAt is DryRun on the database at path, which it does not create:
// an absent database is taken as an empty one, made in a temporary
// directory and removed afterwards.
func DryRunAt(ctx context.Context, path string, jf *JobsFile, opt BatchOptions) ([]*JobPlan, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		dir, err := os.MkdirTemp("", "forecast-dry-run-")
		if err != nil {
			return nil, storageError{err}
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "empty.db")
	}
	db, err := store.OpenForReading(ctx, path) // it writes nothing
	if err != nil {
		return nil, storageError{err}
	}
	defer db.Close()
	return DryRun(ctx, db, jf, opt)
}

// DryRun says, per job of jf, what the refit policy decides and what
// would become of every series of the source in opt's shard, and writes
// nothing. A job that reuses a stored version forecasts each series it
// would forecast with it, to find those that would fail (a model that
// would be trained cannot be tried). The error is for a database that
// cannot be read; a job that would fail says why in its plan.
func DryRun(ctx context.Context, db *store.DB, jf *JobsFile, opt BatchOptions) ([]*JobPlan, error) {
	opt = opt.withDefaults()
	var plans []*JobPlan
	for _, j := range jf.Jobs {
		plan := &JobPlan{Job: j.Name}
		plans = append(plans, plan)
		jr := &jobRun{db: db, job: j, opt: opt}
		var err error
		if jr.done, err = db.DoneCutoffs(ctx, j.Model); err != nil {
			return nil, storageError{err}
		}
		if plan.Refit, plan.Decision, _, err = jr.decide(ctx); err != nil {
			plan.Err = err
			continue
		}
		if jr.model != nil {
			plan.Model = jr.model.Version.Ref()
		}
		var ends []SeriesEnd
		var freq ingest.Freq // of the first series read
		plan.Err = streamSeries(ctx, j, opt, func(it seriesItem) bool {
			sp := SeriesPlan{ID: it.id, Err: it.err}
			if it.err == nil {
				if e, ok := EndOf(it.s, it.id); ok {
					if ends = append(ends, e); len(ends) == 1 {
						freq = it.s.Freq
					}
				}
			}
			switch {
			case it.err != nil && ingest.SeriesLeftOut(it.err):
				sp.Action = LeftOut
				plan.Skip++
			case it.err != nil:
				sp.Action = Unreadable
				plan.Unreadable++
			case !j.Replace && jr.done[it.id] == it.cutoff():
				sp.Cutoff, sp.Action = it.cutoff(), Skip
				plan.Skip++
			default:
				sp.Cutoff, sp.Action = it.cutoff(), Forecast
				if j.Replace && jr.done[it.id] == sp.Cutoff {
					sp.Action = Replace
				}
				if jr.model != nil && !plan.Refit {
					_, err := jr.model.Predict(it.s)
					switch {
					case errors.Is(err, forecast.ErrTooShort) && jr.done[it.id] == "": // left out, as the batch leaves it out
						sp.Cutoff, sp.Action, sp.Err = "", LeftOut, err
						plan.Skip++
						plan.Series = append(plan.Series, sp)
						return true
					case err != nil:
						sp.Action, sp.Err = Unforecastable, err
						plan.Unforecastable++
						plan.Series = append(plan.Series, sp)
						return true
					}
				}
				plan.Forecast++
			}
			plan.Series = append(plan.Series, sp)
			return true
		})
		switch {
		case jr.model != nil && !plan.Refit:
			plan.Horizon = jr.model.Predictor.Horizon()
		case j.Config.Horizon > 0:
			plan.Horizon = j.Config.Horizon
		default:
			plan.Horizon = forecast.FreqHorizon(freq)
		}
		plan.Ended, plan.Latest = EndedEarly(ends, plan.Horizon)
		leftOut := map[string]bool{} // no forecast follows their last values
		for _, sp := range plan.Series {
			leftOut[sp.ID] = sp.Action == LeftOut
		}
		plan.Ended = slices.DeleteFunc(plan.Ended, func(e SeriesEnd) bool { return leftOut[e.ID] })
	}
	return plans, nil
}
