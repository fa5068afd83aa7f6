package app

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/forecast-dev/forecast/app/pipeline"
	"github.com/forecast-dev/forecast/app/plot"
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
		Flags: append(append(sourceFlags(), trainingFlags()...), seriesIDFlag,
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

	src, err := a.source(c, path)
	if err != nil {
		return err
	}
	all, err := src.AllSeries(c.Context)
	if err != nil {
		return err
	}
	series := all[0]
	if cfg, err = cfg.Resolve(all); err != nil {
		return err
	}
	// Open the database before training, so that a bad --db fails at once.
	db, err := openDB(c)
	if err != nil {
		return err
	}
	defer db.Close()
	run := newRun(c, "fit", a.Version, began)
	defer func() { failRun(c, db, run, err) }()

	w := a.Stdout
	const shownSeries = 5
	for i, s := range all {
		if i == shownSeries {
			fmt.Fprintf(w, "data: … %d more series\n", len(all)-shownSeries)
			break
		}
		fmt.Fprintf(w, "data: %s\n", describeSeries(path, s))
	}
	classicalOnly := len(all) == 1 && cfg.TooShortForNetwork(len(series.Values))
	if err := printSplit(w, all, cfg, classicalOnly); err != nil {
		return err
	}
	if classicalOnly {
		fmt.Fprintf(w, "model: none: too short for the network (no train window before a validation part of a horizon); horizon %d, season %d, fallback %s: the classical methods forecast it\n",
			cfg.Horizon, cfg.Season, cfg.Fallback)
	} else {
		fmt.Fprintf(w, "model: GRU %d x %d, lookback %d, horizon %d, season %d, window norm %s, transform %s, seed %d%s; fallback %s\n",
			cfg.Layers, cfg.Hidden, cfg.Lookback, cfg.Horizon, cfg.Season, cfg.WindowNorm, cfg.Transform, cfg.Seed, ensembleNote(cfg.Ensemble), cfg.Fallback)
	}
	start := time.Now()
	var res *forecast.Result
	res, err = forecast.FitMany(c.Context, all, cfg, a.epochPrinter(cfg))
	if err != nil {
		return err
	}
	trained := time.Since(start)
	for _, sr := range res.Series {
		if err := forecast.CheckFinite(sr.ID, sr.Forecast); err != nil {
			return err
		}
	}
	switch {
	case res.Model == nil:
		fmt.Fprintln(w)
	case len(res.Members) > 1:
		fmt.Fprintf(w, "training: %d members in %.1fs; the first ran %d epochs, best epoch %d (validation MSE %.5f), its weights kept\n\n",
			len(res.Members), trained.Seconds(), len(res.History), res.BestEpoch, res.History[res.BestEpoch-1].ValLoss)
	default:
		fmt.Fprintf(w, "training: %d epochs in %.1fs; best epoch %d (validation MSE %.5f), its weights kept\n\n",
			len(res.History), trained.Seconds(), res.BestEpoch, res.History[res.BestEpoch-1].ValLoss)
	}
	printTrials(w, res)
	printMethods(w, res)
	printScores(w, res)
	fmt.Fprintln(w)
	if len(all) > 1 {
		fmt.Fprintf(w, "(forecasts of all %d series are stored; the first, %s:)\n", len(all), seriesName(series))
	}
	printForecast(w, series.Name+" by "+res.Series[0].MethodName, res.Origin, res.Forecast)
	if out := c.String("plot"); out != "" {
		if err := plot.Future(name, series, cfg.Lookback, res.Forecast).Save(out); err != nil {
			return err
		}
		fmt.Fprintf(w, "plot: %s\n", out)
	}

	ids := src.StoredIDs(all)
	mv, err := pipeline.StoreFit(c.Context, db, run, pipeline.Fit{Name: name, Source: path, Series: all, StoredIDs: ids,
		Result: res, Trained: trained, ProgramVersion: a.Version, Parent: parent})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nstored model %s@%d (run %d) in %s, with the forecasts of %s\n", mv.Name, mv.Version, run.ID, c.String("db"), idList(ids, 3))
	return nil
}

// refitParent returns the model version ref names and the training
// settings of c, with every one not set on the command line taken from the
// version's params (see pipeline.TrainingSettings.Inherit).
func refitParent(c *cli.Context, ref string) (*store.ModelVersion, pipeline.TrainingSettings, error) {
	db, parent, err := openModelVersion(c, openDB, ref)
	if err != nil {
		return nil, pipeline.TrainingSettings{}, err
	}
	db.Close()
	p, err := forecast.ParseParams(parent.Params)
	if err != nil {
		return nil, pipeline.TrainingSettings{}, fmt.Errorf("model %s: %w", parent.Ref(), err)
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
	if err == nil {
		return
	}
	switch exitCode(actionError{err}) {
	case ExitUsage, ExitData, ExitNotFound, ExitConflict:
		return
	}
	db.FailRun(c.Context, run, err)
}

// formatTime prints a time without the parts that are zero; see
// pipeline.FormatTime.
var formatTime = pipeline.FormatTime

func printScores(w io.Writer, res *forecast.Result) {
	if res.Split.TestWindows == 0 {
		fmt.Fprintln(w, "test metrics: none, the series is too short to keep a horizon apart for a test beside the validation")
		return
	}
	if n := len(res.Series); n > 1 {
		fmt.Fprintf(w, "test metrics, the mean over %d series of each one's windows x %d steps (MASE with season %d):\n",
			n, res.Config.Horizon, res.Config.Season)
	} else {
		fmt.Fprintf(w, "test metrics over %d windows x %d steps (MASE with season %d):\n",
			res.Split.TestWindows, res.Config.Horizon, res.Config.Season)
	}
	printScoreTable(w, res.Test, true)
	printCoverage(w, res.Config.Levels, res.Test.Coverage, res.Forecast)
}

// printForecast prints forecast points made after origin, with their
// prediction intervals.
func printForecast(w io.Writer, target string, origin time.Time, pts []forecast.Point) {
	if origin.IsZero() {
		fmt.Fprintf(w, "forecast of %s after the last row:\n", target)
	} else {
		fmt.Fprintf(w, "forecast of %s after %s:\n", target, formatTime(origin))
	}
	// Levels whose intervals are unbounded at every step are left out.
	var shownLevels []int
	if len(pts) > 0 {
		for i := range pts[0].Intervals {
			for _, p := range pts {
				if !math.IsInf(p.Intervals[i].Lower, 0) {
					shownLevels = append(shownLevels, i)
					break
				}
			}
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "step\ttime\tvalue\t")
	for _, i := range shownLevels {
		a := pts[0].Intervals[i].Level
		fmt.Fprintf(tw, "%s low\t%s high\t", levelName(a), levelName(a))
	}
	fmt.Fprintln(tw)
	times := make([]time.Time, len(pts))
	for i, p := range pts {
		times[i] = p.Time
	}
	shown := formatTimes(times)
	for i, p := range pts {
		fmt.Fprintf(tw, "%d\t%s\t%.6g\t", p.Step, shown[i], p.Value)
		for _, j := range shownLevels {
			fmt.Fprintf(tw, "%s\t%s\t", bound(p.Intervals[j].Lower), bound(p.Intervals[j].Upper))
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
}

// bound prints an interval bound; an unbounded one is "-inf" or "+inf".
func bound(v float64) string {
	if math.IsInf(v, 0) {
		return fmt.Sprintf("%+.0f", v)
	}
	return fmt.Sprintf("%.6g", v)
}

// ensembleNote describes an ensemble of n members in the model line.
func ensembleNote(n int) string {
	if n <= 1 {
		return ""
	}
	return fmt.Sprintf(", ensemble of %d", n)
}

// printTrials lists the settings of window normalisation and transform
// that were tried, with their validation MASE.
func printTrials(w io.Writer, res *forecast.Result) {
	if len(res.Trials) == 0 {
		return
	}
	fmt.Fprint(w, "tried (window norm/transform: validation MASE):")
	for _, t := range res.Trials {
		fmt.Fprintf(w, " %s/%s %.4f", t.Norm, t.Transform, t.ValMASE)
	}
	fmt.Fprintf(w, "; kept %s/%s\n", res.Config.WindowNorm, res.Config.Transform)
}

// printMethods says which method forecasts each series and how the
// candidates did on validation.
func printMethods(w io.Writer, res *forecast.Result) {
	if n := len(res.Series); n > 1 {
		count := map[string]int{}
		var names []string
		for _, sr := range res.Series {
			if count[sr.Method] == 0 {
				names = append(names, sr.Method)
			}
			count[sr.Method]++
		}
		fmt.Fprint(w, "forecast by (chosen per series on validation):")
		for _, m := range names {
			fmt.Fprintf(w, " %s %d", m, count[m])
		}
		fmt.Fprintf(w, " of %d series\n\n", n)
		return
	}
	sr := res.Series[0]
	fmt.Fprint(w, "validation, sMAPE and MAE relative to seasonal naive (lower is better):")
	for i, c := range sr.Candidates {
		sep := ","
		if i == 0 {
			sep = ""
		}
		fmt.Fprintf(w, "%s %s %.3f", sep, c.Name, c.ValRatio)
	}
	fmt.Fprintf(w, "\nforecast by: %s%s\n\n", sr.MethodName, selectionNote(res.Config, sr))
}

// selectionNote says why sr's method forecasts it under cfg: by the rule of
// FallbackAuto, the combination unless a single method beat it clearly on
// validation windows a horizon apart.
func selectionNote(cfg forecast.Config, sr forecast.SeriesResult) string {
	if cfg.Fallback != forecast.FallbackAuto || sr.Candidates[len(sr.Candidates)-1].Method != forecast.MethodCombination {
		return ""
	}
	values := plural(sr.ValBlocks*cfg.Horizon, "validation value")
	if sr.Method == forecast.MethodCombination {
		return fmt.Sprintf(" (no single method beat it clearly on the %s of windows a horizon apart)", values)
	}
	return fmt.Sprintf(" (it beat their mean clearly on the %s of windows a horizon apart)", values)
}

// printSplit prints the split of the first of series under cfg, or the
// parts of a series the classical methods alone forecast.
func printSplit(w io.Writer, series []*ingest.Series, cfg forecast.Config, classicalOnly bool) error {
	first := series[0]
	if classicalOnly {
		fmt.Fprintf(w, "split: %d values; the last horizon validates the classical methods\n", len(first.Values))
		return nil
	}
	sp, err := forecast.NewSplit(len(first.Values), cfg)
	if err != nil {
		if len(series) > 1 {
			return fmt.Errorf("series %q: %w", seriesName(first), err)
		}
		return err
	}
	if len(series) > 1 {
		fmt.Fprintf(w, "global model over %d series, each split and scaled on its own; the first: ", len(series))
	}
	fmt.Fprintf(w, "split: train %d, validation %d, test %d values; %d, %d, %d windows\n",
		sp.Train, sp.Val, sp.Test, sp.TrainWindows, sp.ValWindows, sp.TestWindows)
	return nil
}
