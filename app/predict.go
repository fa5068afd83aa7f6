package app

import (
	"fmt"
	"strings"
	"time"

	"github.com/forecast-dev/forecast/app/pipeline"
	"github.com/forecast-dev/forecast/app/plot"
	"github.com/forecast-dev/forecast/app/render"
	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/ingest"
	"github.com/urfave/cli/v2"
)

func (a *App) predictCommand() *cli.Command {
	return &cli.Command{
		Name:      "predict",
		Usage:     "forecast new data with a stored model and store the forecasts under a new run",
		ArgsUsage: "FILE",
		Description: `Reads FILE ("-" for standard input, or --sqlite), checks that it holds the feature the
model reads (by default --target is that column, and --covariates those
it was trained with), enough rows for the
model's lookback and the frequency the model was trained on, forecasts the
model's horizon after the last row with the scaler of its training data,
and stores the forecasts under a new run in one transaction. Forecasts the
same in every value as stored ones of the version (predict run again on
data that has not changed, or fit's own) are not stored again: it names
the run that holds them.`,
		Flags: append(optionalTarget(sourceFlags(), "column to forecast, which must be the one the model was trained on (the default)"),
			&cli.StringFlag{Name: "model", Usage: "the model, NAME[@VERSION|@ALIAS]", Required: true},
			seriesIDFlag,
			sourceNameFlag,
			plotFlag,
			dbFlag,
		),
		Action: action(a.predict),
	}
}

// optionalTarget returns flags with --target made optional with usage,
// for commands that know the column from the model.
func optionalTarget(flags []cli.Flag, usage string) []cli.Flag {
	for i, f := range flags {
		if sf, ok := f.(*cli.StringFlag); ok && sf.Name == "target" {
			opt := *sf
			opt.Required, opt.Usage = false, usage
			flags[i] = &opt
		}
	}
	return flags
}

func (a *App) predict(c *cli.Context) (err error) {
	began := time.Now()
	path, err := sourcePath(c) // a file, "-", or --sqlite DB with --table or --query
	if err != nil {
		return err
	}
	if err := checkPlotFlag(c); err != nil {
		return err
	}
	db, mv, err := openModelVersion(c, openExistingDB, c.String("model"))
	if err != nil {
		return err
	}
	defer db.Close()
	m, err := pipeline.NewStoredModel(mv)
	if err != nil {
		return err
	}
	if !c.IsSet("target") {
		// In the rows layout the target is the row: the one --series names
		// (a model of many rows reads their common feature, "target").
		target := m.Target()
		if c.String("layout") == "rows" {
			switch series := c.String("series"); {
			case series != "":
				target = series
			case m.Params.ScalesPerSeries():
				return usagef("--layout rows: name the row to forecast with --series: model %s was fitted on several", mv.Ref())
			}
		}
		if err := c.Set("target", target); err != nil {
			return err
		}
	}
	if covs := m.Covariates(); !c.IsSet("covariates") && len(covs) > 0 {
		if err := c.Set("covariates", strings.Join(covs, ",")); err != nil {
			return err
		}
	}
	src, err := a.source(c, path)
	if err != nil {
		return err
	}
	series, err := src.Series(c.Context)
	if err != nil {
		return err
	}
	id := src.StoredID(series)
	m.MatchSeries(src, series)
	run := newRun(c, "predict", a.Version, began)
	defer func() { failRun(c, db, run, err) }()

	w := a.Stdout
	fmt.Fprintf(w, "data: %s\n", render.DescribeSeries(path, series))
	p := m.Predictor
	render.SuspectValues(a.Stderr, path, []*ingest.Series{series}, p.Season)
	if p.Model == nil {
		fmt.Fprintf(w, "model: %s, classical methods only, horizon %d, trained on %s\n", mv.Ref(), p.Horizon(), render.TrainedOn(mv))
	} else {
		fmt.Fprintf(w, "model: %s, lookback %d, horizon %d, trained on %s\n", mv.Ref(), p.Lookback, p.Horizon(), render.TrainedOn(mv))
	}
	pred, err := m.Predict(series)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if pred.Adapted != "" {
		fmt.Fprintf(a.Stderr, "note: %s: model %s: %s\n", path, mv.Ref(), pred.Adapted)
	}
	// A model of one series scales the network's inputs by that series'
	// values: another series (not the same column of a newer file) of
	// another level gets forecasts at the trained one's.
	if _, trained, _ := strings.Cut(mv.DataSeries, "/"); !m.Params.ScalesPerSeries() && strings.Contains(pred.Method, forecast.MethodGRU) &&
		id != mv.DataSeries && seriesName(series) != trained {
		fmt.Fprintf(a.Stderr, "note: model %s was trained on %s alone: its network reads %s scaled by that series' values; a model fitted on several series (--id, or several --target columns) scales each by its own\n",
			mv.Ref(), mv.DataSeries, id)
	}
	fmt.Fprintln(w)
	render.Forecast(w, series.Name+" by "+pred.Method, pred.Origin, pred.Points)
	if out := c.String("plot"); out != "" {
		if err := plot.Future(mv.Ref(), series, p.Lookback, pred.Points).Save(out); err != nil {
			return err
		}
		fmt.Fprintf(w, "plot: %s\n", out)
	}

	stored, err := db.StoredPrediction(c.Context, mv.ID, pred.Forecasts(id))
	if err != nil {
		return storageError{err}
	}
	if stored > 0 {
		fmt.Fprintf(w, "\nthe same %d forecasts of %s by %s are stored already (run %d) in %s: nothing stored\n", len(pred.Points), id, mv.Ref(), stored, c.String("db"))
		return nil
	}
	if err := m.SavePrediction(c.Context, db, run, pred, id); err != nil {
		return storageError{err}
	}
	fmt.Fprintf(w, "\nstored %d forecasts of %s by %s (run %d) in %s\n", len(pred.Points), id, mv.Ref(), run.ID, c.String("db"))
	return nil
}

// seriesName is the name a series is stored under in forecasts and actuals
// (see pipeline.SeriesName).
func seriesName(s *ingest.Series) string { return pipeline.SeriesName(s) }
