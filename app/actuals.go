package app

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/forecast-dev/forecast/app/pipeline"
	"github.com/forecast-dev/forecast/app/render"
	"github.com/forecast-dev/forecast/ingest"
	"github.com/forecast-dev/forecast/store"
	"github.com/urfave/cli/v2"
)

func (a *App) actualsCommand() *cli.Command {
	return &cli.Command{
		Name:      "actuals",
		Usage:     "record observed values of series, to score stored forecasts against",
		ArgsUsage: "FILE",
		Description: `Reads the --target column of FILE ("-" for standard input, or --sqlite) with its times and
stores each value as the actual of the series at that time, in one
transaction under a new run; of a file of several series (--id, or
several targets), every series. A series is stored under the id
SOURCE/ID (the file's base name without extension, e.g. sales/units),
as fit, predict and batch store forecasts, or --series-id. A value recorded before for the same series and
time is replaced. Forecasts of the series for those times are then scored by
forecast accuracy and the forecast_accuracy view. Only the values in FILE are
stored: gaps stay gaps, and a row without a value is left out (nothing is
filled, so --fill and --max-fill do not apply).`,
		Flags:  append(observedSourceFlags(), seriesIDFlag, sourceNameFlag, dbFlag),
		Action: action(a.actuals),
	}
}

func (a *App) actuals(c *cli.Context) (err error) {
	began := time.Now()
	path, err := sourcePath(c) // a file, "-", or --sqlite DB with --table or --query
	if err != nil {
		return err
	}
	src, err := a.source(c, path)
	if err != nil {
		return err
	}
	// Actuals are observations: nothing is invented, and one is enough.
	src.Settings.Fill, src.Settings.MaxFill = pipeline.FlagText(ingest.FillNone), pipeline.DefaultSource.MaxFill
	src.SingleRow, src.SkipMissing = true, true
	all, err := src.AllSeries(c.Context)
	if errors.Is(err, ingest.ErrMissingValue) {
		return fmt.Errorf("%w: actuals leaves out a row without a target value only where the file has a time column (not a covariate's, nor in the rows layout)", err)
	}
	if err != nil {
		return err
	}
	for _, s := range all {
		if err := pipeline.CheckActuals(path, s); err != nil {
			return err // before the database is opened, which may create it
		}
	}
	series := all[0]
	db, err := openDB(c)
	if err != nil {
		return err
	}
	defer db.Close()
	run := newRun(c, "actuals", a.Version, began)
	defer func() { failRun(c, db, run, err) }()

	w := a.Stdout
	render.Data(w, path, all)
	rec, err := pipeline.RecordActuals(c.Context, db, run, src, all)
	if err != nil {
		return err
	}
	of := rec.ID
	if rec.Series > 1 {
		of = fmt.Sprintf("%d series (%s, …)", rec.Series, rec.ID)
	}
	unchanged := ""
	if rec.Unchanged > 0 {
		unchanged = fmt.Sprintf("; %d recorded already, the same", rec.Unchanged)
	}
	fmt.Fprintf(w, "stored %s of %s, %d of them replacing earlier values%s (run %d) in %s\n",
		render.Plural(rec.Stored, "actual"), of, rec.Replaced, unchanged, run.ID, c.String("db"))
	switch {
	case rec.Scored == 0:
		// Forecasts of the series for times near the actuals': they are
		// dated otherwise (month ends for month starts).
		var near time.Time
		if rec.Series == 1 {
			if near, err = forecastTimeNear(c, db, rec.ID, series.Times()); err != nil {
				return storageError{err}
			}
		}
		if !near.IsZero() {
			fmt.Fprintf(w, "no stored forecast of %s is for these times, though some are for times near them (%s): an actual scores the forecasts of its very time; check the dates\n",
				of, ingest.FormatTime(near))
			break
		}
		fmt.Fprintf(w, "no stored forecast of %s is for these times yet: forecast accuracy scores them once one is\n", of)
	case rec.Series > 1:
		fmt.Fprintf(w, "%s of them have actuals: see forecast accuracy\n", render.Plural(rec.Scored, "stored forecast"))
	default:
		verb := "have"
		if rec.Scored == 1 {
			verb = "has"
		}
		fmt.Fprintf(w, "%s of %s (%s) %s actuals: see forecast accuracy\n", render.Plural(rec.Scored, "stored forecast"), rec.ID, render.Plural(rec.Versions, "model version"), verb)
	}
	if len(rec.Like) > 0 {
		like := make([]string, len(rec.Like))
		for i, id := range rec.Like {
			like[i] = strconv.Quote(id)
		}
		not := ""
		if c.IsSet("series-id") {
			not = fmt.Sprintf(" (not %s)", c.String("series-id"))
		}
		fmt.Fprintf(a.Stderr, "note: forecasts of %s are stored as %s: to score them, record the actuals with --series-id %s%s\n",
			seriesName(series), strings.Join(like, ", "), rec.Like[0], not)
	}
	if len(rec.Sources) > 0 {
		fmt.Fprintf(a.Stderr, "note: forecasts of these series are stored under %s/…: to score them, record the actuals with --source-name %s\n",
			strings.Join(rec.Sources, "/…, "), rec.Sources[0])
	}
	return nil
}

// observedSourceFlags are the source flags of a command that stores the
// values read as observed: all but --fill and --max-fill.
func observedSourceFlags() []cli.Flag {
	var out []cli.Flag
	for _, f := range sourceFlags() {
		if name := f.Names()[0]; name != "fill" && name != "max-fill" {
			out = append(out, f)
		}
	}
	return out
}

// forecastTimeNear returns a target time of a stored forecast of the
// series id, by any model version, that lies closer to one of times than
// the forecasts' own step (the least time between two of them): actuals
// dated otherwise than the forecasts (month ends for month starts). It
// returns zero if there is none, or too few forecasts to have a step.
func forecastTimeNear(c *cli.Context, db *store.DB, id string, times []time.Time) (time.Time, error) {
	fcs, err := db.FindForecasts(c.Context, store.ForecastFilter{Series: id, AllVersions: true})
	if err != nil {
		return time.Time{}, err
	}
	var at []time.Time
	for _, f := range fcs {
		if !f.Time.IsZero() {
			at = append(at, f.Time)
		}
	}
	slices.SortFunc(at, time.Time.Compare)
	at = slices.CompactFunc(at, time.Time.Equal)
	var step time.Duration
	for i := 1; i < len(at); i++ {
		if d := at[i].Sub(at[i-1]); step == 0 || d < step {
			step = d
		}
	}
	if step == 0 {
		return time.Time{}, nil
	}
	for _, t := range times {
		i, _ := slices.BinarySearchFunc(at, t, time.Time.Compare)
		for _, k := range []int{i - 1, i} {
			if k >= 0 && k < len(at) && at[k].Sub(t).Abs() < step {
				return at[k], nil
			}
		}
	}
	return time.Time{}, nil
}
