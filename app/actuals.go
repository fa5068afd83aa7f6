package app

import (
	"fmt"
	"time"

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
stores each value as the actual of series TARGET at that time, in one
transaction under a new run. A value recorded before for the same series and
time is replaced. Forecasts of the series for those times are then scored by
forecast accuracy and the forecast_accuracy view.`,
		Flags:  append(sourceFlags(), dbFlag),
		Action: action(a.actuals),
	}
}

func (a *App) actuals(c *cli.Context) (err error) {
	began := time.Now()
	path, err := sourcePath(c) // a file, "-", or --sqlite DB with --table or --query
	if err != nil {
		return err
	}
	series, err := a.loadSeries(c, path)
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
	fmt.Fprintf(w, "data: %s\n", describeSeries(path, series))
	id := seriesName(series)
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
	fmt.Fprintf(w, "%d stored forecasts of %s (%s) have actuals: see forecast accuracy\n", n, id, plural(versions, "model version"))
	return nil
}

// plural returns "n thing" or "n things".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
