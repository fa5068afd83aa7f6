package app

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"

	"github.com/forecast-dev/forecast/app/pipeline"
	"github.com/forecast-dev/forecast/app/render"
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
				return a.dryRun(c, jf, opt)
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
	if opt.Wait < 0 {
		return nil, opt, usagef("--wait must not be negative, got %v", opt.Wait)
	}
	if s := c.String("shard"); s != "" {
		var err error
		if opt.Shard, opt.Shards, err = pipeline.ParseShard(s); err != nil {
			return nil, opt, usagef("--shard %v", err)
		}
	}
	jf, err := pipeline.ReadJobs(c.Args().First())
	return jf, opt, err
}

// runBatch runs the batch of jf with pipeline.RunBatch, printing what it
// does as it does it, and the run's outcome.
func (a *App) runBatch(ctx context.Context, db *store.DB, jf *pipeline.JobsFile, opt pipeline.BatchOptions) (*pipeline.BatchSummary, error) {
	opt.ProgramVersion, opt.Progress = a.Version, render.BatchProgress(a.Stdout, a.Stderr)
	sum, err := pipeline.RunBatch(ctx, db, jf, opt)
	if err != nil {
		return nil, err
	}
	render.BatchSummary(a.Stdout, sum)
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

// dryRun prints, per job, what the refit policy decides and which series
// would be forecast or skipped (pipeline.DryRunAt), and writes nothing; it
// exits with ExitFailed, as the batch would, if a job or a series (one
// that cannot be read, or that the model it reuses cannot forecast)
// would fail.
func (a *App) dryRun(c *cli.Context, jf *pipeline.JobsFile, opt pipeline.BatchOptions) error {
	plans, err := pipeline.DryRunAt(c.Context, c.String("db"), jf, opt)
	if err != nil {
		return err
	}
	render.DryRun(a.Stdout, jf, plans)
	var failing, failingSeries []string
	for _, p := range plans {
		switch {
		case p.Err != nil:
			failing = append(failing, strconv.Quote(p.Job))
		case p.Unreadable+p.Unforecastable > 0:
			failingSeries = append(failingSeries, fmt.Sprintf("%d series in job %q", p.Unreadable+p.Unforecastable, p.Job))
		}
	}
	// As the batch itself would exit, so that a check in a script fails.
	switch {
	case len(failing) > 0:
		return cli.Exit(fmt.Sprintf("dry run: %d of %d jobs would fail: %s", len(failing), len(plans), strings.Join(failing, ", ")), ExitFailed)
	case len(failingSeries) > 0:
		return cli.Exit(fmt.Sprintf("dry run: series would fail: %s", strings.Join(failingSeries, ", ")), ExitFailed)
	}
	return nil
}
