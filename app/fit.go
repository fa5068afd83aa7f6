package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/forecast-dev/forecast/app/pipeline"
	"github.com/forecast-dev/forecast/app/plot"
	"github.com/forecast-dev/forecast/app/render"
	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/ingest"
	"github.com/forecast-dev/forecast/store"
	"github.com/urfave/cli/v2"
)

func (a *App) fitCommand() *cli.Command {
	return &cli.Command{
		Name:      "fit",
		Usage:     "train a GRU on a CSV series, score it against baselines, forecast and store it",
		ArgsUsage: "FILE.csv",
		Description: `Reads FILE.csv ("-" for standard input, or --sqlite), splits the target series
into train, validation and test parts (--protocol: 70/10/20 by default),
trains a stacked GRU with early stopping, prints its test metrics beside the
naive, seasonal naive and drift forecasts, forecasts the --horizon steps
after the last row with conformal prediction intervals and stores the model
version and its forecasts in the database, all in one transaction.`,
		Flags: append(append(sourceFlags(), trainingFlags()...), seriesIDFlag, sourceNameFlag,
			&cli.StringFlag{Name: "name", Usage: "model name (default: the file name without extension, or the --refit model's)"},
			plotFlag,
			&cli.StringFlag{Name: "refit", Usage: "refit model NAME[@VERSION|@ALIAS]: a new version of it, with its hyper-parameters unless given, recorded as its parent"},
			dbFlag,
		),
		Action: action(a.fit),
	}
}

func (a *App) fit(c *cli.Context) (err error) {
	began := time.Now()
	path, err := sourcePath(c) // a file, "-", or --sqlite DB with --table or --query
	if err != nil {
		return err
	}
	var parent *store.ModelVersion
	settings := trainingFlagValues(c)
	if ref := c.String("refit"); ref != "" {
		if parent, settings, err = refitParent(c, ref); err != nil {
			return err
		}
	}
	cfg, err := settings.Config()
	if err != nil {
		return err
	}
	if err := checkPlotFlag(c); err != nil {
		return err
	}
	name := c.String("name")
	switch {
	case name != "":
	case parent != nil:
		name = parent.Name
	default:
		name = defaultModelName(path)
	}
	if err := store.CheckModelName(name); err != nil {
		switch {
		case c.IsSet("name"):
			return usagef("--name %q: %v", name, err)
		case parent != nil:
			return usagef("the model name %q, of the version refitted: %v; give another with --name", name, err)
		}
		return usagef("the model name %q, from the file's name: %v; give one with --name", name, err)
	}

	src, err := a.source(c, path)
	if err != nil {
		return err
	}
	all, err := src.AllSeries(c.Context)
	if err != nil {
		return err
	}
	// Series too short for the split are left out of a global fit; if
	// none is long enough, Resolve says why of the shortest.
	if len(all) > 1 {
		if kept, why := forecast.LeaveOutShort(all, cfg); len(kept) > 0 {
			for _, w := range why {
				fmt.Fprintf(a.Stderr, "note: %s: left out, %s\n", path, w)
			}
			all = kept
		}
	}
	series := all[0]
	autoLookback, autoSeason := cfg.Lookback == 0, cfg.Season == 0
	if cfg, err = cfg.Resolve(all); err != nil {
		return inFile(path, err)
	}
	// The season is found in the values before the test part; inspect,
	// reading them all, may find the calendar's where fit does not.
	if cal := ingest.CalendarSeason(series.Freq); autoSeason && len(all) == 1 && cfg.Season == 1 && cal > 1 && forecast.AutoSeason(series.Values(), series.Freq) == cal {
		fmt.Fprintf(a.Stderr, "note: %s: season 1: the values before the test part do not confirm the season of %d that all of them show (as inspect reads them); give --season %d to use it\n",
			path, cal, cal)
	}
	if short, median := cfg.LookbackCut(all); autoLookback && short != nil {
		fmt.Fprintf(a.Stderr, "note: %s: lookback %d, as long as series %q (%d values) allows; the series of median length would have %d: fit it apart for a longer lookback\n",
			path, cfg.Lookback, src.StoredID(short), short.Len(), median)
	}
	if network, short := cfg.ShortSeries(all); len(network) > 0 && len(short) > 0 {
		fmt.Fprintf(a.Stderr, "note: %s: %s\n", path, render.ShortSeries(short, cfg.Lookback, src.StoredID))
	}
	if ended := render.EndedEarly(all, cfg.Horizon, src.StoredID); ended != "" {
		fmt.Fprintf(a.Stderr, "note: %s: %s\n", path, ended)
	}
	// A split without windows (a --lookback longer than the series) is
	// refused before the database is opened or anything printed.
	if err := render.Split(io.Discard, all, cfg, cfg.ClassicalOnly(all)); err != nil {
		return inFile(path, err)
	}
	// Open the database before training, so that a bad --db fails at once;
	// one that does not exist yet is created to store the fit (or record
	// its failure), so that data the fit refuses leaves no empty database.
	db, err := openDBToStore(c)
	if err != nil {
		return err
	}
	defer func() {
		if db != nil {
			db.Close()
		}
	}()
	run := newRun(c, "fit", a.Version, began)
	defer func() {
		if db == nil && recordsFailure(err) {
			// Past an interruption too; an error opening it says no more than err.
			db, _ = store.Open(context.WithoutCancel(c.Context), c.String("db"))
		}
		if db != nil {
			failRun(c, db, run, err)
		}
	}()

	w := a.Stdout
	render.Data(w, path, all)
	render.SuspectValues(a.Stderr, path, all, cfg.Season)
	classicalOnly := cfg.ClassicalOnly(all)
	if err := render.Split(w, all, cfg, classicalOnly); err != nil {
		return inFile(path, err)
	}
	render.ModelLine(w, cfg, series, classicalOnly)
	start := time.Now()
	var res *forecast.Result
	res, err = forecast.FitMany(c.Context, all, cfg, render.EpochPrinter(a.Stderr, cfg))
	if err != nil {
		return inFile(path, err)
	}
	trained := time.Since(start)
	for _, sr := range res.Series {
		if err := forecast.CheckFinite(sr.ID, sr.Forecast); err != nil {
			return err
		}
	}
	render.Training(w, res, trained)
	render.Trials(w, res)
	render.Methods(w, res)
	render.Scores(w, res)
	fmt.Fprintln(w)
	if len(all) > 1 {
		fmt.Fprintf(w, "(forecasts of all %d series are stored; the first, %s:)\n", len(all), seriesName(series))
	}
	render.Forecast(w, series.Name+" by "+res.Series[0].MethodName, res.Origin, res.Forecast)
	if out := c.String("plot"); out != "" {
		if err := plot.Future(name, series, cfg.Lookback, res.Forecast).Save(out); err != nil {
			return err
		}
		fmt.Fprintf(w, "plot: %s%s\n", out, plottedOf(series, len(all)))
	}

	if db == nil {
		if db, err = openDB(c); err != nil {
			return err
		}
	}
	ids := src.StoredIDs(all)
	mv, err := pipeline.StoreFit(c.Context, db, run, pipeline.Fit{Name: name, Source: path, Series: all, StoredIDs: ids,
		Result: res, Trained: trained, ProgramVersion: a.Version, Parent: parent})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nstored model %s@%d (run %d) in %s, with the forecasts of %s\n", mv.Name, mv.Version, run.ID, c.String("db"), render.IDList(ids, 3))
	return nil
}

// inFile prefixes err with the path of the data where they are at fault
// (forecast.ErrInvalid), as the reader's errors name their file; an
// interruption (Ctrl-C) says so, where the error only said "context
// canceled".
func inFile(path string, err error) error {
	switch {
	case errors.Is(err, forecast.ErrInvalid):
		return fmt.Errorf("%s: %w", path, err)
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("interrupted: no model or forecast is stored (%w)", err)
	}
	return err
}

// refitParent returns the model version ref names and the training
// settings of c, with every one not set on the command line taken from the
// version's params (see pipeline.TrainingSettings.Inherit), --target the
// version's column if it was fitted on one series, and --covariates its.
func refitParent(c *cli.Context, ref string) (*store.ModelVersion, pipeline.TrainingSettings, error) {
	db, parent, err := openModelVersion(c, openExistingDB, ref)
	if err != nil {
		return nil, pipeline.TrainingSettings{}, err
	}
	db.Close()
	p, err := forecast.ParseParams(parent.Params)
	if err != nil {
		return nil, pipeline.TrainingSettings{}, fmt.Errorf("model %s: %w", parent.Ref(), err)
	}
	// A version of one series names its column: --target defaults to it,
	// as in predict. Of several, the source flags that read them (--id,
	// the columns) are not recorded and must be given again.
	switch {
	case c.IsSet("target") || c.String("layout") == "rows":
	case p.Series > 1:
		return nil, pipeline.TrainingSettings{}, usagef("--refit %s: it was fitted on %d series: give the flags that read them again (--target, and --id for a long file)", parent.Ref(), p.Series)
	case p.Target != "":
		if err := c.Set("target", p.Target); err != nil {
			return nil, pipeline.TrainingSettings{}, err
		}
	}
	// So do its covariates.
	if covs := p.Covariates(); !c.IsSet("covariates") && len(covs) > 0 {
		if err := c.Set("covariates", strings.Join(covs, ",")); err != nil {
			return nil, pipeline.TrainingSettings{}, err
		}
	}
	return parent, trainingFlagValues(c).Inherit(p, c.IsSet), nil
}

// newRun starts the record of a command that writes; began is when it began.
func newRun(c *cli.Context, command, version string, began time.Time) *store.Run {
	return &store.Run{Command: command, Args: commandLine(c), ProgramVersion: version, StartedAt: began}
}

// commandLine rebuilds the command line of c as parsed: the command's
// name, the flags that were set and the arguments.
func commandLine(c *cli.Context) []string {
	args := strings.Fields(c.Command.FullName())
	for _, f := range c.Command.Flags {
		name := f.Names()[0]
		if c.IsSet(name) {
			args = append(args, fmt.Sprintf("--%s=%v", name, c.Value(name)))
		}
	}
	return append(args, c.Args().Slice()...)
}

// failRun records run as failed if err is a failure of the command's work,
// such as an interrupted training or a failed write. Rejections of the
// input (usage, bad data, no such model, a refused change) leave no run.
// A failure to record the failure is not reported: err says more.
func failRun(c *cli.Context, db *store.DB, run *store.Run, err error) {
	if recordsFailure(err) {
		db.FailRun(c.Context, run, err)
	}
}

// recordsFailure says whether err is a failure of the command's work, which
// failRun records, rather than a rejection of its input.
func recordsFailure(err error) bool {
	if err == nil {
		return false
	}
	switch exitCode(actionError{err}) {
	case ExitUsage, ExitData, ExitNotFound, ExitConflict:
		return false
	}
	return true
}
