package app

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/forecast-dev/forecast/app/render"
	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/store"
	"github.com/urfave/cli/v2"
)

func (a *App) actualsCommand() *cli.Command {
	return &cli.Command{
		Name:      "actuals",
		Usage:     "record observed values of a series, to score stored forecasts against",
		ArgsUsage: "FILE",
		Description: `Reads the --target column of FILE ("-" for standard input, or --sqlite) with its times and
stores each value as the actual of the series at that time, in one
transaction under a new run. The series is stored under the id
SOURCE/TARGET (the file's base name without extension, e.g. sales/units),
as fit and predict store forecasts, or --series-id. A value recorded before for the same series and
time is replaced. Forecasts of the series for those times are then scored by
forecast accuracy and the forecast_accuracy view.`,
		Flags:  append(sourceFlags(), seriesIDFlag, dbFlag),
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
	series, err := src.Series(c.Context)
	if err != nil {
		return err
	}
	if series.Times == nil {
		return fmt.Errorf("%w: %s: actuals need a time column, to match the times of forecasts", forecast.ErrInvalid, path)
	}
	db, err := openDB(c)
	if err != nil {
		return err
	}
	defer db.Close()
	run := newRun(c, "actuals", a.Version, began)
	defer func() { failRun(c, db, run, err) }()

	w := a.Stdout
	fmt.Fprintf(w, "data: %s\n", render.DescribeSeries(path, series))
	id := src.StoredID(series)
	acts := make([]store.Actual, len(series.Values))
	for i, v := range series.Values {
		acts[i] = store.Actual{Series: id, Time: series.Times[i], Value: v}
	}
	if err := db.SaveActuals(c.Context, run, acts); err != nil {
		return storageError{fmt.Errorf("store the actuals: %w", err)}
	}
	fmt.Fprintf(w, "stored %d actuals of %s, %d of them replacing earlier values (run %d) in %s\n",
		len(acts), id, run.Wrote.ActualsReplaced, run.ID, c.String("db"))
	accs, err := db.FindAccuracy(c.Context, store.ModelRef{})
	if err != nil {
		return storageError{err}
	}
	var n, versions int
	for _, acc := range accs {
		if acc.Series == id {
			n += acc.Forecasts
			versions++
		}
	}
	fmt.Fprintf(w, "%d stored forecasts of %s (%s) have actuals: see forecast accuracy\n", n, id, render.Plural(versions, "model version"))
	if versions == 0 {
		return a.suggestSeriesIDs(c, db, seriesName(series), id)
	}
	return nil
}

// suggestSeriesIDs names, on standard error, the stored series whose
// forecasts actuals of the column name, stored as id, could be meant for:
// those of that name from other sources, which --series-id can match.
func (a *App) suggestSeriesIDs(c *cli.Context, db *store.DB, name, id string) error {
	ids, err := db.ForecastSeries(c.Context)
	if err != nil {
		return storageError{err}
	}
	var like []string
	for _, other := range ids {
		if other != id && (other == name || strings.HasSuffix(other, "/"+name)) {
			like = append(like, strconv.Quote(other))
		}
	}
	if len(like) > 0 {
		fmt.Fprintf(a.Stderr, "note: forecasts of %s are stored as %s: to score them, record the actuals with --series-id\n",
			name, strings.Join(like, ", "))
	}
	return nil
}
