package render

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/forecast-dev/forecast/app/pipeline"
	"github.com/forecast-dev/forecast/forecast"
)

// BatchSummary prints the outcome of a batch run.
func BatchSummary(w io.Writer, sum *pipeline.BatchSummary) {
	status := "ok"
	if cause := sum.Cause(); cause != nil {
		status = "failed (" + cause.Error() + ")"
	}
	fmt.Fprintf(w, "run %d %s: %d series done, %d failed, %d skipped, %d forecasts stored, in %.1fs\n",
		sum.Run.ID, status, sum.Done, sum.Failed, sum.Skipped, sum.Forecasts, sum.Elapsed.Seconds())
}

// BatchProgress returns a printer of what a batch run tells as it goes:
// progress to stdout, notes and training epochs to stderr. Of a job's
// failed series, and of the notes of its done ones, the first
// pipeline.MaxFailures are printed as they are stored; batch_series holds
// every failure.
func BatchProgress(stdout, stderr io.Writer) func(pipeline.Event) {
	shown, notes := 0, 0 // failed series of the job printed, notes of its done ones
	return func(e pipeline.Event) {
		switch e := e.(type) {
		case pipeline.SeriesStored:
			if s := e.Series; s.Status == "failed" {
				if shown++; shown <= pipeline.MaxFailures {
					fmt.Fprintf(stdout, "job %s: series %s failed: %s\n", e.Job, s.Series, s.Error)
				}
			} else if s.Note != "" {
				if notes++; notes <= pipeline.MaxFailures {
					fmt.Fprintf(stderr, "note: job %s: series %s: %s\n", e.Job, s.Series, s.Note)
				}
			}
		case pipeline.JobFinished:
			if n := e.Result.ByOtherVersion; n > 0 {
				fmt.Fprintf(stderr, "note: job %s: %d series skipped, forecast from the same data by another version than %s, which the job uses: on-existing = \"replace\" forecasts them with it\n",
					e.Result.Job, n, e.Result.Model)
			}
			if more := e.Result.Failed - pipeline.MaxFailures; more > 0 {
				fmt.Fprintf(stdout, "job %s: and %d more failed series\n", e.Result.Job, more)
			}
			if ended := EndedNote(e.Result.Ended, e.Result.Latest, e.Result.Horizon); ended != "" {
				fmt.Fprintf(stderr, "note: job %s: %s\n", e.Result.Job, ended)
			}
			if more := notes - pipeline.MaxFailures; more > 0 {
				fmt.Fprintf(stderr, "note: job %s: and %d more series forecast without a part of the model (their forecasts' method says by what)\n", e.Result.Job, more)
			}
			shown, notes = 0, 0
			printJobResult(stdout, e.Result)
		default:
			printBatchEvent(stdout, stderr, e)
		}
	}
}

// printBatchEvent prints an event of a batch run but those of its series
// and jobs' ends (see BatchProgress) to w, or stderr for notes and epochs.
func printBatchEvent(w, stderr io.Writer, e pipeline.Event) {
	switch e := e.(type) {
	case pipeline.StaleLockTaken:
		fmt.Fprintf(stderr, "note: took over the stale lock of %s\n", e.Holder)
	case pipeline.RunStarted:
		shard := ""
		if e.Shards > 0 {
			shard = fmt.Sprintf(", shard %d/%d", e.Shard, e.Shards)
		}
		fmt.Fprintf(w, "batch run %d: %s, %s, %d workers%s\n", e.Run.ID, e.Path, Plural(e.Jobs, "job"), e.Workers, shard)
	case pipeline.JobDecided:
		fmt.Fprintf(w, "job %s: %s\n", e.Job, e.Decision)
	case pipeline.NoFit:
		switch {
		case e.NoSeries:
			fmt.Fprintf(w, "job %s: no series of its source in this shard: no fit\n", e.Job)
		case e.ShortToo:
			fmt.Fprintf(w, "job %s: every series was forecast from its data before or is shorter than the lookback (%d): no fit\n", e.Job, e.Lookback)
		default:
			fmt.Fprintf(w, "job %s: every series was forecast from its data before: no fit (on-existing = \"replace\" fits and forecasts again)\n", e.Job)
		}
	case pipeline.Epoch:
		st := e.Stats
		fmt.Fprintf(stderr, "job %s: epoch %3d/%d  train %.5f  val %.5f  %5.1fs\n",
			e.Job, st.Epoch, e.Epochs, st.TrainLoss, st.ValLoss, st.Elapsed.Seconds())
	case pipeline.Trained:
		res, skipped := e.Result, ""
		if e.Unusable > 0 {
			skipped = fmt.Sprintf(" (%d series left out: unreadable, too short or flat to train on, or of another frequency)", e.Unusable)
		}
		methods := map[string]int{}
		for _, sr := range res.Series {
			methods[sr.Method]++
		}
		if res.Model == nil {
			test := "no test part"
			if res.Test.Selected != (forecast.Metrics{}) {
				test = fmt.Sprintf("test MASE %.3f (naive %.3f, seasonal naive %.3f)", res.Test.Selected.MASE, res.Test.Naive.MASE, res.Test.SeasonalNaive.MASE)
			}
			fmt.Fprintf(w, "job %s: fitted %s on %d series%s with the classical methods alone, no network (%s): %s; forecast by %s\n",
				e.Job, e.Ref, e.Series, skipped, res.NoNetwork, test, methodCounts(methods))
			return
		}
		gru := "" // none where no series had a test part for the network
		if res.Test.GRU != (forecast.Metrics{}) {
			gru = fmt.Sprintf("GRU %.3f, ", res.Test.GRU.MASE)
		}
		fmt.Fprintf(w, "job %s: trained %s on %d series%s: %s, fit in %.1fs, test MASE %.3f (%snaive %.3f, seasonal naive %.3f); forecast by %s\n",
			e.Job, e.Ref, e.Series, skipped, Plural(len(res.History), "epoch"), e.Took.Seconds(),
			res.Test.Selected.MASE, gru, res.Test.Naive.MASE, res.Test.SeasonalNaive.MASE, methodCounts(methods))
		if e.CutBy != "" {
			fmt.Fprintf(w, "job %s: lookback %d, as long as series %q (%d values) allows; the series of median length would have %d: a job of its own gives the others a longer lookback\n",
				e.Job, res.Config.Lookback, e.CutBy, e.CutLen, e.Median)
		}
		if len(e.Short) > 0 {
			fmt.Fprintf(w, "job %s: %s\n", e.Job, ShortSeries(e.Short, res.Config.Lookback, pipeline.SeriesName))
		}
	}
}

// printJobResult prints the end of a job: its counts, and whether it
// failed as a whole.
func printJobResult(w io.Writer, r *pipeline.JobResult) {
	switch {
	case r.Forecast:
		n, rate := r.Done+r.Failed+r.Skipped, ""
		if n >= 100 && r.Took > 0 {
			rate = fmt.Sprintf(" (%.0f series/s)", float64(n)/r.Took.Seconds())
		}
		skipped := ""
		switch {
		case r.LeftOut == r.Skipped && r.Skipped > 0:
			skipped = " (left out: too short or gappy)"
		case r.LeftOut > 0:
			skipped = fmt.Sprintf(" (%d left out: too short or gappy; the rest forecast from this cut-off before)", r.LeftOut)
		case r.Skipped > 0:
			skipped = " (forecast from this cut-off before)"
		}
		fmt.Fprintf(w, "job %s: %d series done, %d failed, %d skipped%s in %.1fs%s\n", r.Job,
			r.Done, r.Failed, r.Skipped, skipped, r.Took.Seconds(), rate)
	case r.Err == nil && r.Model == "":
		fmt.Fprintf(w, "job %s: nothing to forecast\n", r.Job)
	}
	switch {
	case r.Interrupted:
		fmt.Fprintf(w, "job %s: interrupted\n", r.Job)
	case r.Err != nil:
		fmt.Fprintf(w, "job %s: failed: %v\n", r.Job, r.Err)
	}
}

// DryRun prints the plans of the jobs of jf, what a batch would do.
func DryRun(w io.Writer, jf *pipeline.JobsFile, plans []*pipeline.JobPlan) {
	fmt.Fprintf(w, "dry run of %s: %s; nothing is written\n", jf.Path, Plural(len(jf.Jobs), "job"))
	for i, p := range plans {
		if p.Decision == "" {
			fmt.Fprintf(w, "job %s: would fail: %v\n", p.Job, p.Err)
			continue
		}
		fmt.Fprintf(w, "job %s: %s\n", p.Job, p.Decision)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, s := range p.Series {
			switch s.Action {
			case pipeline.Unreadable:
				fmt.Fprintf(tw, "  %s\t-\tfail: %s\n", cell(s.ID), cell(s.Err.Error()))
			case pipeline.Unforecastable:
				fmt.Fprintf(tw, "  %s\t%s\tfail: %s\n", cell(s.ID), s.Cutoff, cell(s.Err.Error()))
			case pipeline.Skip:
				fmt.Fprintf(tw, "  %s\t%s\tskip: forecast from this cut-off before\n", cell(s.ID), s.Cutoff)
			case pipeline.LeftOut:
				fmt.Fprintf(tw, "  %s\t-\tskip: left out: %s\n", cell(s.ID), cell(s.Err.Error()))
			case pipeline.Replace:
				fmt.Fprintf(tw, "  %s\t%s\tforecast, replacing the earlier forecast from this cut-off\n", cell(s.ID), s.Cutoff)
			default:
				fmt.Fprintf(tw, "  %s\t%s\tforecast\n", cell(s.ID), s.Cutoff)
			}
		}
		tw.Flush()
		if p.Err != nil {
			fmt.Fprintf(w, "job %s: would fail: %v\n", p.Job, p.Err)
			continue
		}
		if ended := EndedNote(p.Ended, p.Latest, p.Horizon); ended != "" {
			fmt.Fprintf(w, "note: job %s: %s\n", p.Job, ended)
		}
		model := jf.Jobs[i].Model
		verb := "forecast with " + model
		switch {
		case p.Forecast == 0:
			verb = "forecast nothing (and fit nothing)"
		case p.Refit:
			verb = "fit a new version of " + model + " and forecast"
		case p.Model != "":
			verb = "forecast with " + p.Model
		}
		failing := ""
		if p.Unforecastable > 0 {
			failing = fmt.Sprintf(", %d it cannot forecast", p.Unforecastable)
		}
		fmt.Fprintf(w, "job %s: would %s: %d series, skip %d, %d unreadable%s\n", p.Job, verb, p.Forecast, p.Skip, p.Unreadable, failing)
	}
}
