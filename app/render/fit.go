package render

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/forecast-dev/forecast/app/pipeline"
	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/ingest"
)

// Data prints a line on each series read from path, of the first
// five and how many more.
func Data(w io.Writer, path string, series []*ingest.Series) {
	const shown = 5
	for i, s := range series {
		if i == shown {
			fmt.Fprintf(w, "data: … %d more series\n", len(series)-shown)
			break
		}
		fmt.Fprintf(w, "data: %s\n", DescribeSeries(path, s))
	}
}

// ModelLine prints the model fit trains under cfg, or that the
// classical methods alone forecast the series s.
func ModelLine(w io.Writer, cfg forecast.Config, s *ingest.Series, classicalOnly bool) {
	switch {
	case classicalOnly && cfg.Repeating(s):
		method := "seasonal naive"
		if cfg.Season <= 1 {
			method = "naive" // as the forecast names it
		}
		fmt.Fprintf(w, "model: none: %s; horizon %d, season %d: %s forecasts it exactly\n",
			cfg.WhyClassicalOnly(s), cfg.Horizon, cfg.Season, method)
		return
	case classicalOnly:
		fmt.Fprintf(w, "model: none: %s; horizon %d, season %d, fallback %s: the classical methods forecast it\n",
			cfg.WhyClassicalOnly(s), cfg.Horizon, cfg.Season, cfg.Fallback)
		return
	}
	fmt.Fprintf(w, "model: GRU %d x %d, lookback %d, horizon %d, season %d, window norm %s, transform %s, seed %d%s; fallback %s\n",
		cfg.Layers, cfg.Hidden, cfg.Lookback, cfg.Horizon, cfg.Season, cfg.WindowNorm, cfg.Transform, cfg.Seed, ensembleNote(cfg.Ensemble), cfg.Fallback)
}

// Training prints how the training of res went; fitted is how long the
// whole fit took, the classical methods and every setting tried included.
func Training(w io.Writer, res *forecast.Result, fitted time.Duration) {
	switch {
	case res.Model == nil:
		fmt.Fprintln(w)
	case len(res.Members) > 1:
		fmt.Fprintf(w, "training: %d members; the first ran %s, best epoch %d (validation MSE %.5f), its weights kept; fit in %.1fs\n\n",
			len(res.Members), Plural(len(res.History), "epoch"), res.BestEpoch, res.History[res.BestEpoch-1].ValLoss, fitted.Seconds())
	default:
		fmt.Fprintf(w, "training: %s, best epoch %d (validation MSE %.5f), its weights kept; fit in %.1fs\n\n",
			Plural(len(res.History), "epoch"), res.BestEpoch, res.History[res.BestEpoch-1].ValLoss, fitted.Seconds())
	}
}

// Scores prints the test scores of a fit: of the forecast, the GRU and the
// baselines, and the coverage of its intervals; or that the series left no
// test part.
func Scores(w io.Writer, res *forecast.Result) {
	repeating := 0
	for _, sr := range res.Series {
		if sr.Repeats {
			repeating++
		}
	}
	switch {
	case repeating == len(res.Series):
		fmt.Fprintf(w, "test metrics: none: %s, and MASE, which scales errors by its changes, is undefined\n", res.NoNetwork)
		return
	case res.Split.TestWindows == 0:
		fmt.Fprintln(w, "test metrics: none, the series is too short to keep a horizon apart for a test beside the validation")
		return
	}
	if n := len(res.Series); n > 1 {
		besides := ""
		if repeating > 0 {
			verb := "repeats"
			if repeating > 1 {
				verb = "repeat"
			}
			besides = fmt.Sprintf("; not the %d series that %s every season, forecast exactly", repeating, verb)
		}
		fmt.Fprintf(w, "test metrics, the mean over %d series of each one's windows x %d steps (MASE with season %d%s):\n",
			n-repeating, res.Config.Horizon, res.Config.Season, besides)
	} else {
		fmt.Fprintf(w, "test metrics over %s x %d steps (MASE with season %d):\n",
			Plural(res.Split.TestWindows, "window"), res.Config.Horizon, res.Config.Season)
	}
	printScoreTable(w, res.Test, true)
	printCoverage(w, res.Config.Levels, res.Test.Coverage, res.Forecast)
}

// Forecast prints forecast points made after origin, with their
// prediction intervals.
func Forecast(w io.Writer, target string, origin time.Time, pts []forecast.Point) {
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
				if iv := p.Intervals[i]; !math.IsInf(iv.Lower, 0) && !math.IsInf(iv.Upper, 0) {
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
		fmt.Fprintf(tw, "%d\t%s\t%s\t", p.Step, shown[i], value(p.Value))
		for _, j := range shownLevels {
			fmt.Fprintf(tw, "%s\t%s\t", bound(p.Intervals[j].Lower), bound(p.Intervals[j].Upper))
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	var left []string
	if len(pts) > 0 {
		for i, iv := range pts[0].Intervals {
			if !slices.Contains(shownLevels, i) {
				left = append(left, levelName(iv.Level))
			}
		}
	}
	if len(left) > 0 {
		fmt.Fprintf(w, "(no %s interval: too little history to bound it at any step; it is not stored)\n", strings.Join(left, " or "))
	}
}

// Trials lists the settings of window normalisation and transform
// that were tried, with their validation MASE.
func Trials(w io.Writer, res *forecast.Result) {
	if len(res.Trials) == 0 {
		return
	}
	fmt.Fprint(w, "tried (window norm/transform: validation MASE):")
	for _, t := range res.Trials {
		fmt.Fprintf(w, " %s/%s %.4f", t.Norm, t.Transform, t.ValMASE)
	}
	fmt.Fprintf(w, "; kept %s/%s\n", res.Config.WindowNorm, res.Config.Transform)
}

// Methods says which method forecasts each series and how the
// candidates did on validation.
func Methods(w io.Writer, res *forecast.Result) {
	if n := len(res.Series); n > 1 {
		count := map[string]int{}
		var names []string
		repeating := 0
		for _, sr := range res.Series {
			if sr.Repeats {
				repeating++
				continue
			}
			if count[sr.Method] == 0 {
				names = append(names, sr.Method)
			}
			count[sr.Method]++
		}
		if len(names) > 0 {
			fmt.Fprint(w, "forecast by (chosen per series on validation):")
			for _, m := range names {
				fmt.Fprintf(w, " %s %d", m, count[m])
			}
			fmt.Fprintf(w, " of %d series", n)
		}
		switch {
		case repeating == 1 && len(names) > 0:
			fmt.Fprint(w, "; 1 that repeats itself exactly by seasonal naive")
		case repeating > 1 && len(names) > 0:
			fmt.Fprintf(w, "; %d that repeat themselves exactly by seasonal naive", repeating)
		case repeating > 0:
			fmt.Fprintf(w, "forecast by: seasonal naive, which forecasts every value of all %d series exactly", n)
		}
		fmt.Fprint(w, "\n\n")
		return
	}
	sr := res.Series[0]
	if sr.Repeats {
		fmt.Fprintf(w, "forecast by: %s, which forecasts every value of the series exactly\n\n", sr.MethodName)
		return
	}
	fmt.Fprint(w, "validation, sMAPE and MAE relative to seasonal naive (lower is better):")
	for i, c := range sr.Candidates {
		sep := ","
		if i == 0 {
			sep = ""
		}
		fmt.Fprintf(w, "%s %s %.3f", sep, c.Name, c.ValRatio)
	}
	fmt.Fprintf(w, "\nforecast by: %s%s\n", sr.MethodName, selectionNote(res.Config, sr))
	for _, c := range sr.Candidates {
		prefix, _, _ := strings.Cut(c.Name, "(")
		if (c.Method == forecast.MethodETS || c.Method == forecast.MethodARIMA) && strings.Contains(sr.MethodName, prefix+"(") && !strings.Contains(sr.MethodName, c.Name) {
			fmt.Fprintf(w, "(%s chose its form again on the whole series; on the train part it chose %s)\n", prefix, c.Name)
		}
	}
	fmt.Fprintln(w)
}

// selectionNote says why sr's method forecasts it under cfg: by the rule of
// FallbackAuto, the combination unless a single method beat it clearly on
// validation windows a horizon apart (of a series the classical methods
// alone forecast, a model, not a baseline).
func selectionNote(cfg forecast.Config, sr forecast.SeriesResult) string {
	if cfg.Fallback != forecast.FallbackAuto || sr.Candidates[len(sr.Candidates)-1].Method != forecast.MethodCombination {
		return ""
	}
	values := Plural(sr.ValBlocks*cfg.Horizon, "validation value")
	if sr.Method == forecast.MethodCombination {
		if sr.Candidates[0].Method != forecast.MethodGRU { // the classical methods alone
			return fmt.Sprintf(" (no single model beat it clearly on the %s of windows a horizon apart; on a series this short a baseline never replaces it)", values)
		}
		return fmt.Sprintf(" (no single method beat it clearly on the %s of windows a horizon apart)", values)
	}
	return fmt.Sprintf(" (it beat %s clearly on the %s of windows a horizon apart)", sr.Candidates[len(sr.Candidates)-1].Name, values)
}

// Split prints the split of the first of series under cfg, or the
// parts of a series the classical methods alone forecast.
func Split(w io.Writer, series []*ingest.Series, cfg forecast.Config, classicalOnly bool) error {
	first := series[0]
	if classicalOnly && cfg.Repeating(first) {
		fmt.Fprintf(w, "split: none: %d values, nothing to validate or test\n", first.Len())
		return nil
	}
	if classicalOnly {
		sp, err := forecast.ClassicalSplit(first.Len(), cfg)
		if err != nil {
			return err
		}
		if sp.Test == 0 {
			fmt.Fprintf(w, "split: %d values; the last horizon validates the classical methods\n", first.Len())
			return nil
		}
		fmt.Fprintf(w, "split: train %d, validation %d, test %d values; %d validation and %d test origins for the classical methods\n",
			sp.Train, sp.Val, sp.Test, sp.ValWindows, sp.TestWindows)
		return nil
	}
	if network, _ := cfg.ShortSeries(series); len(network) > 0 {
		first = network[0] // the first the network trains on
	}
	sp, err := forecast.NewSplit(first.Len(), cfg)
	if err != nil {
		if len(series) > 1 {
			return fmt.Errorf("series %q: %w", pipeline.SeriesName(first), err)
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

// ShortSeries says that the series short, named by name, are too short
// for the windows of the lookback of a global model, and are forecast by
// the classical methods alone (see forecast.Config.ShortSeries).
func ShortSeries(short []*ingest.Series, lookback int, name func(*ingest.Series) string) string {
	names := make([]string, 0, 3)
	for _, s := range short[:min(len(short), 3)] {
		names = append(names, fmt.Sprintf("%q (%d values)", name(s), s.Len()))
	}
	if len(short) > 3 {
		names = append(names, "…")
	}
	return fmt.Sprintf("%s too short for the windows of lookback %d, which the series of median length allows: the classical methods alone forecast %s",
		fmt.Sprintf("%d series", len(short)), lookback, strings.Join(names, ", "))
}

// EndedEarly says which of series, named by name, end more than horizon
// steps before the last time of any of them (see pipeline.EndedEarly);
// "" if none does.
func EndedEarly(series []*ingest.Series, horizon int, name func(*ingest.Series) string) string {
	var ends []pipeline.SeriesEnd
	for _, s := range series {
		if e, ok := pipeline.EndOf(s, name(s)); ok {
			ends = append(ends, e)
		}
	}
	ended, latest := pipeline.EndedEarly(ends, horizon)
	return EndedNote(ended, latest, horizon)
}

// EndedNote says that the series ended end more than the horizon before
// latest, the last time of the others; "" if none does.
func EndedNote(ended []pipeline.SeriesEnd, latest time.Time, horizon int) string {
	n := len(ended)
	if n == 0 {
		return ""
	}
	names := make([]string, 0, 4)
	for _, e := range ended[:min(n, 3)] {
		names = append(names, fmt.Sprintf("%q (%s)", e.ID, formatTime(e.End)))
	}
	if n > 3 {
		names = append(names, "…")
	}
	verb := "series end"
	if n == 1 {
		verb = "series ends"
	}
	return fmt.Sprintf("%d %s more than the horizon (%d steps) before the last time of the others, %s: %s; their forecasts follow their own last values",
		n, verb, horizon, formatTime(latest), strings.Join(names, ", "))
}

// printCoverage prints, per interval level, the share of test values inside
// the forecast's intervals, or that the interval is unbounded at some steps
// of the forecast pts (too little history to calibrate it).
func printCoverage(w io.Writer, levels []float64, coverage []float64, pts []forecast.Point) {
	for i, a := range levels {
		unbounded := 0
		for _, p := range pts {
			if i < len(p.Intervals) && (math.IsInf(p.Intervals[i].Lower, 0) || math.IsInf(p.Intervals[i].Upper, 0)) {
				unbounded++
			}
		}
		switch {
		case unbounded > 0:
			fmt.Fprintf(w, "%s interval: unbounded at %d of %d steps (too few validation windows for this level)\n", levelName(a), unbounded, len(pts))
		case i < len(coverage):
			fmt.Fprintf(w, "%s interval: %.1f%% of test values inside\n", levelName(a), 100*coverage[i])
		}
	}
}

// EpochPrinter returns the progress callback that prints one line per epoch
// to w, naming the window normalisation and transform tried where several
// are, and the member when cfg trains an ensemble.
func EpochPrinter(w io.Writer, cfg forecast.Config) func(forecast.EpochStats) {
	return func(st forecast.EpochStats) {
		mark := " "
		if st.Best {
			mark = "*"
		}
		member := ""
		if st.Trial != "" {
			member = "trial " + st.Trial + "  "
		}
		if cfg.Ensemble > 1 {
			member += fmt.Sprintf("member %d/%d  ", st.Member+1, cfg.Ensemble)
		}
		fmt.Fprintf(w, "%sepoch %3d/%d  train %.5f  val %.5f %s %6.1fs\n",
			member, st.Epoch, cfg.Epochs, st.TrainLoss, st.ValLoss, mark, st.Elapsed.Seconds())
	}
}

// printScoreTable prints the metrics of the GRU (where a network
// forecast) and the baselines, seasonal naive a week back where the
// series has a week, drift included when withDrift is set.
func printScoreTable(w io.Writer, s forecast.Scores, withDrift bool) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "model\tMAE\tRMSE\tsMAPE\tMASE\tMSE(z)\tMAE(z)\t")
	rows := []struct {
		name string
		m    forecast.Metrics
	}{{"forecast", s.Selected}, {"GRU", s.GRU}, {"naive", s.Naive}, {"seasonal naive", s.SeasonalNaive}}
	if s.SeasonalNaiveWeek != nil {
		rows = append(rows, struct {
			name string
			m    forecast.Metrics
		}{"seasonal naive (week)", *s.SeasonalNaiveWeek})
	}
	if withDrift {
		rows = append(rows, struct {
			name string
			m    forecast.Metrics
		}{"drift", s.Drift})
	}
	for _, r := range rows {
		if r.name == "GRU" && r.m == (forecast.Metrics{}) {
			continue // no network forecast the series
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.3f\t%.4f\t%.4f\t%.4f\t\n", r.name, errorText(r.m.MAE), errorText(r.m.RMSE), r.m.SMAPE, r.m.MASE, r.m.MSEScaled, r.m.MAEScaled)
	}
	tw.Flush()
}

// errorText writes an error on the series' own scale: with four decimals,
// or, for errors under 0.001 (of a series of values near 1e-9), with four
// significant digits, which four decimals would show as 0.
func errorText(v float64) string {
	if v != 0 && math.Abs(v) < 0.001 {
		return fmt.Sprintf("%.4g", v)
	}
	return fmt.Sprintf("%.4f", v)
}

// SuspectValues notes, on w, the values of each of series that look like
// errors in the data for a season of m steps (forecast.SuspectValues), at
// most three a series and five series.
func SuspectValues(w io.Writer, path string, series []*ingest.Series, m int) {
	noted := 0
	for _, s := range series {
		suspects := forecast.SuspectValues(s, m)
		if len(suspects) == 0 {
			continue
		}
		if noted++; noted > 5 {
			fmt.Fprintf(w, "note: %s: values far from their trend and season in other series too\n", path)
			return
		}
		var list []string
		for _, o := range suspects[:min(len(suspects), 3)] {
			at := fmt.Sprintf("value %d", o.Index+1)
			if !o.Time.IsZero() {
				at = formatTime(o.Time)
			}
			list = append(list, fmt.Sprintf("%s is %s (about %s expected)", at, num(o.Value), num(o.Expected)))
		}
		if len(suspects) > 3 {
			list = append(list, fmt.Sprintf("%d more", len(suspects)-3))
		}
		which, question := "", "errors in the data?"
		if len(series) > 1 {
			which = fmt.Sprintf("series %q: ", pipeline.SeriesName(s))
		}
		if len(suspects) == 1 {
			question = "an error in the data?"
		}
		fmt.Fprintf(w, "note: %s: %s%s far from its trend and season, %s %s; every method forecasts from the data as it is\n",
			path, which, Plural(len(suspects), "value"), question, strings.Join(list, ", "))
	}
}
