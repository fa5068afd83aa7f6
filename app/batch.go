package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/forecast-dev/forecast/app/pipeline"
	"github.com/forecast-dev/forecast/store"
	"github.com/urfave/cli/v2"
)

func (a *App) batchCommand() *cli.Command {
	return &cli.Command{
		Name:      "batch",
		Usage:     "run the jobs of a jobs file: refit the models that need it, forecast every series, record one run",
		ArgsUsage: "JOBS.toml",
		Description: `Runs every job of JOBS.toml (see the README for the format) as one recorded
batch run. Per job, the refit policy decides whether to train a new version
of the job's model, one global model for all the job's series, or to reuse
the stored one; then every series of the source is forecast by a pool of
--workers, streamed so that memory stays bounded, and stored whole, its
record and all its forecasts in one transaction (series that finish
together share a commit). A series that fails is recorded with its error
and the others go on; the exit code is 7 if any series or job failed. A
series already forecast by the model from the same data cut-off is skipped,
or replaced if the job says on-existing = "replace". Two batches never run
on one database at once: the second waits up to --wait, then exits with code
8 naming the holder.`,
		Flags: append(batchFlags(),
			&cli.BoolFlag{Name: "dry-run", Usage: "print what would be refit and forecast, and write nothing"},
			dbFlag,
		),
		Action: action(func(c *cli.Context) error {
			jf, opt, err := batchSetup(c)
			if err != nil {
				return err
			}
			if c.Bool("dry-run") {
				return a.dryRunDB(c, jf, opt)
			}
			if err := jf.CheckSources(); err != nil {
				return err
			}
			db, err := openDB(c)
			if err != nil {
				return err
			}
			defer db.Close()
			sum, err := a.runBatch(c.Context, db, jf, opt)
			if err != nil {
				return err
			}
			return batchError(sum)
		}),
	}
}

// batchFlags are the flags that batch and schedule share.
func batchFlags() []cli.Flag {
	return []cli.Flag{
		&cli.IntFlag{Name: "workers", Usage: "series forecast at once", Value: runtime.NumCPU()},
		&cli.StringFlag{Name: "shard", Usage: "I/N: only the series whose id hashes to shard I of N (0 <= I < N)"},
		&cli.DurationFlag{Name: "wait", Usage: "wait this long for another batch on the database to finish (0: exit at once)"},
	}
}

// batchSetup reads the jobs file and the flags of batch and schedule.
func batchSetup(c *cli.Context) (*pipeline.JobsFile, pipeline.BatchOptions, error) {
	opt := pipeline.BatchOptions{Workers: c.Int("workers"), Wait: c.Duration("wait"), Command: c.Command.Name,
		Args: commandLine(c), Clock: pipeline.SystemClock{}}
	if c.NArg() != 1 {
		return nil, opt, usagef("%s needs exactly one jobs file, got %d arguments", c.Command.Name, c.NArg())
	}
	if opt.Workers < 1 {
		return nil, opt, usagef("--workers must be at least 1, got %d", opt.Workers)
	}
	if s := c.String("shard"); s != "" {
		i, n, ok := strings.Cut(s, "/")
		var err1, err2 error
		opt.Shard, err1 = strconv.Atoi(i)
		opt.Shards, err2 = strconv.Atoi(n)
		if !ok || err1 != nil || err2 != nil || opt.Shards < 1 || opt.Shard < 0 || opt.Shard >= opt.Shards {
			return nil, opt, usagef("--shard %q: want I/N with 0 <= I < N, e.g. 0/4", s)
		}
	}
	jf, err := pipeline.ReadJobs(c.Args().First())
	return jf, opt, err
}

// runBatch runs the batch of jf with pipeline.RunBatch, printing what it
// does as it does it, and the run's outcome.
func (a *App) runBatch(ctx context.Context, db *store.DB, jf *pipeline.JobsFile, opt pipeline.BatchOptions) (*pipeline.BatchSummary, error) {
	opt.ProgramVersion, opt.Progress = a.Version, a.batchPrinter()
	sum, err := pipeline.RunBatch(ctx, db, jf, opt)
	if err != nil {
		return nil, err
	}
	status := "ok"
	if cause := sum.Cause(); cause != nil {
		status = "failed (" + cause.Error() + ")"
	}
	fmt.Fprintf(a.Stdout, "run %d %s: %d series done, %d failed, %d skipped, %d forecasts stored, in %.1fs\n",
		sum.Run.ID, status, sum.Done, sum.Failed, sum.Skipped, sum.Forecasts, sum.Elapsed.Seconds())
	return sum, nil
}

// batchError is the error a finished batch returns: nil if everything was
// forecast, an interruption, or an exit code 7 error if something failed.
func batchError(s *pipeline.BatchSummary) error {
	switch {
	case s.Interrupted:
		return errors.New("interrupted: the series forecast so far are stored")
	case s.JobsFailed > 0:
		return cli.Exit(fmt.Sprintf("run %d: %s; see: select job, error from batch_jobs where run_id = %d and status = 'failed'",
			s.Run.ID, s.Failures(), s.Run.ID), ExitFailed)
	case s.Failed > 0:
		return cli.Exit(fmt.Sprintf("run %d: %s; see: select * from batch_series where run_id = %d and status = 'failed'",
			s.Run.ID, s.Failures(), s.Run.ID), ExitFailed)
	}
	return nil
}

// batchPrinter returns a printer of what a batch run tells as it goes:
// progress to standard output, notes and training epochs to standard
// error. Of a job's failed series, the first pipeline.MaxFailures are
// printed as they are stored; batch_series holds them all.
func (a *App) batchPrinter() func(pipeline.Event) {
	shown := 0 // failed series of the job printed
	return func(e pipeline.Event) {
		switch e := e.(type) {
		case pipeline.SeriesStored:
			if s := e.Series; s.Status == "failed" {
				if shown++; shown <= pipeline.MaxFailures {
					fmt.Fprintf(a.Stdout, "job %s: series %s failed: %s\n", e.Job, s.Series, s.Error)
				}
			}
		case pipeline.JobFinished:
			if more := e.Result.Failed - pipeline.MaxFailures; more > 0 {
				fmt.Fprintf(a.Stdout, "job %s: and %d more failed series\n", e.Result.Job, more)
			}
			shown = 0
			a.printJobResult(e.Result)
		default:
			a.printBatchEvent(e)
		}
	}
}

// printBatchEvent prints an event of a batch run but those of its series
// and jobs' ends (see batchPrinter).
func (a *App) printBatchEvent(e pipeline.Event) {
	w := a.Stdout
	switch e := e.(type) {
	case pipeline.StaleLockTaken:
		fmt.Fprintf(a.Stderr, "note: took over the stale lock of %s\n", e.Holder)
	case pipeline.RunStarted:
		shard := ""
		if e.Shards > 0 {
			shard = fmt.Sprintf(", shard %d/%d", e.Shard, e.Shards)
		}
		fmt.Fprintf(w, "batch run %d: %s, %s, %d workers%s\n", e.Run.ID, e.Path, countOf(e.Jobs, "job"), e.Workers, shard)
	case pipeline.JobDecided:
		fmt.Fprintf(w, "job %s: %s\n", e.Job, e.Decision)
	case pipeline.NoFit:
		if e.ShortToo {
			fmt.Fprintf(w, "job %s: every series was forecast from its data before or is shorter than the lookback (%d): no fit\n", e.Job, e.Lookback)
		} else {
			fmt.Fprintf(w, "job %s: every series was forecast from its data before: no fit\n", e.Job)
		}
	case pipeline.Epoch:
		st := e.Stats
		fmt.Fprintf(a.Stderr, "job %s: epoch %3d/%d  train %.5f  val %.5f  %5.1fs\n",
			e.Job, st.Epoch, e.Epochs, st.TrainLoss, st.ValLoss, st.Elapsed.Seconds())
	case pipeline.Trained:
		res, skipped := e.Result, ""
		if e.Unusable > 0 {
			skipped = fmt.Sprintf(" (%d series left out: unreadable, or too short or flat to train on)", e.Unusable)
		}
		methods := map[string]int{}
		for _, sr := range res.Series {
			methods[sr.Method]++
		}
		if res.Model == nil {
			fmt.Fprintf(w, "job %s: fitted %s on %d series%s: too short for the network and for a test part; forecast by %s\n",
				e.Job, e.Ref, e.Series, skipped, methodCounts(methods))
			return
		}
		fmt.Fprintf(w, "job %s: trained %s on %d series%s: %d epochs in %.1fs, test MASE %.3f (GRU %.3f, naive %.3f, seasonal naive %.3f); forecast by %s\n",
			e.Job, e.Ref, e.Series, skipped, len(res.History), e.Took.Seconds(),
			res.Test.Selected.MASE, res.Test.GRU.MASE, res.Test.Naive.MASE, res.Test.SeasonalNaive.MASE, methodCounts(methods))
	}
}

// printJobResult prints the end of a job: its counts, and whether it
// failed as a whole.
func (a *App) printJobResult(r *pipeline.JobResult) {
	w := a.Stdout
	switch {
	case r.Forecast:
		n, rate := r.Done+r.Failed+r.Skipped, ""
		if n >= 100 && r.Took > 0 {
			rate = fmt.Sprintf(" (%.0f series/s)", float64(n)/r.Took.Seconds())
		}
		fmt.Fprintf(w, "job %s: %d series done, %d failed, %d skipped in %.1fs%s\n", r.Job,
			r.Done, r.Failed, r.Skipped, r.Took.Seconds(), rate)
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

// dryRunDB runs dryRun on the database of --db without creating it: an
// absent database is taken as an empty one, made in a temporary directory
// and removed afterwards.
func (a *App) dryRunDB(c *cli.Context, jf *pipeline.JobsFile, opt pipeline.BatchOptions) error {
	path := c.String("db")
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		dir, err := os.MkdirTemp("", "forecast-dry-run-")
		if err != nil {
			return storageError{err}
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "empty.db")
	}
	db, err := store.Open(c.Context, path)
	if err != nil {
		return storageError{err}
	}
	defer db.Close()
	return a.dryRun(c.Context, db, jf, opt)
}

// dryRun prints, per job, what the refit policy decides and which series
// would be forecast or skipped (pipeline.DryRun), and writes nothing.
func (a *App) dryRun(ctx context.Context, db *store.DB, jf *pipeline.JobsFile, opt pipeline.BatchOptions) error {
	plans, err := pipeline.DryRun(ctx, db, jf, opt)
	if err != nil {
		return err
	}
	w := a.Stdout
	fmt.Fprintf(w, "dry run of %s: %s; nothing is written\n", jf.Path, countOf(len(jf.Jobs), "job"))
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
			case pipeline.Skip:
				fmt.Fprintf(tw, "  %s\t%s\tskip: forecast from this cut-off before\n", cell(s.ID), s.Cutoff)
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
		fmt.Fprintf(w, "job %s: would %s: %d series, skip %d, %d unreadable\n", p.Job, verb, p.Forecast, p.Skip, p.Unreadable)
	}
	return nil
}
