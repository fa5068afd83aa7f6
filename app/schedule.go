package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/forecast-dev/forecast/app/pipeline"
	"github.com/forecast-dev/forecast/app/render"
	"github.com/forecast-dev/forecast/store"
	"github.com/robfig/cron/v3"
	"github.com/urfave/cli/v2"
)

func (a *App) scheduleCommand() *cli.Command {
	return &cli.Command{
		Name:      "schedule",
		Usage:     "run the batch of a jobs file on a cron schedule, in the foreground",
		ArgsUsage: "JOBS.toml",
		Description: `Runs "forecast batch JOBS.toml" at the times --cron gives, logging each run
to standard output, until SIGINT or SIGTERM. --cron takes the five fields of
cron (minute hour day-of-month month day-of-week, e.g. "0 * * * *"), an
optional leading seconds field, or @hourly, @daily, @weekly, @monthly,
@yearly or @every DURATION (e.g. @every 10m). Times are local, and the
log writes them with their offset from UTC.

Runs never overlap: a time that comes while a run is still going is
skipped, and if a run finds the database's batch lock held by another
process, it waits up to --wait and is then skipped with a message. On
SIGINT or SIGTERM the run in progress finishes the series it holds,
records itself as interrupted and the scheduler exits with code 0.`,
		Flags: append(batchFlags(),
			&cli.StringFlag{Name: "cron", Usage: `the schedule: five cron fields ("0 * * * *"), six with seconds first, or @hourly, @daily, @every 10m, ...`, Required: true},
			dbFlag,
		),
		Action: action(a.schedule),
	}
}

// cronParser reads five-field cron, six fields with leading seconds, and
// descriptors such as @hourly and @every 1m.
var cronParser = cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

func (a *App) schedule(c *cli.Context) error {
	spec := c.String("cron")
	sched, err := cronParser.Parse(spec)
	if err != nil {
		return usagef("--cron %q: %v", spec, err)
	}
	if every, ok := strings.CutPrefix(strings.TrimSpace(spec), "@every "); ok {
		// The parser takes 0s and -1s for "every second".
		if d, err := time.ParseDuration(strings.TrimSpace(every)); err == nil && d < time.Second {
			return usagef("--cron %q: the interval must be at least 1s", spec)
		}
	}
	if sched.Next(time.Now()).IsZero() {
		return usagef("--cron %q: the schedule never fires (no such date in the next five years)", spec)
	}
	jf, opt, err := batchSetup(c)
	if err != nil {
		return err
	}
	db, err := openDB(c)
	if err != nil {
		return err
	}
	defer db.Close()

	ctx, w, clock := c.Context, a.Stdout, pipeline.SystemClock{}
	logf := func(format string, args ...any) {
		fmt.Fprintf(w, "%s %s\n", clock.Now().Format(time.RFC3339), fmt.Sprintf(format, args...))
	}
	logf("schedule: %s on %q, database %s, pid %d", jf.Path, spec, db.Path, os.Getpid())
	var finished, skipped, failed int // runs, by outcome
	s := pipeline.Scheduler{
		Clock:   clock,
		Next:    sched.Next,
		Waiting: func(next time.Time) { logf("next run at %s", next.Format(time.RFC3339)) },
		Run: func(ctx context.Context) (stop bool) {
			// Jobs files may change between runs: read it again.
			if again, err := pipeline.ReadJobs(jf.Path); err != nil {
				logf("jobs file unreadable, running the last good one: %v", err)
			} else {
				jf = again
			}
			sum, err := a.runBatch(ctx, db, jf, opt)
			switch {
			case errors.Is(err, store.ErrLocked):
				skipped++
				logf("run skipped: %v", err)
			case err != nil:
				failed++
				logf("run failed: %v", err)
			case sum.Interrupted:
				logf("run %d interrupted by signal after %d series; stopped", sum.Run.ID, sum.Done+sum.Failed+sum.Skipped)
				return true
			case sum.Failures() != "":
				// Recorded failed, as batch exits 7 for it.
				failed++
				logf("run %d failed in %.1fs: %s; %d series done, %d skipped", sum.Run.ID, sum.Elapsed.Seconds(), sum.Failures(), sum.Done, sum.Skipped)
			default:
				finished++
				logf("run %d finished in %.1fs: %d series done, %d failed, %d skipped", sum.Run.ID, sum.Elapsed.Seconds(), sum.Done, sum.Failed, sum.Skipped)
			}
			return false
		},
	}
	switch _, why := s.Loop(ctx); why {
	case pipeline.NoFurtherTime:
		logf("schedule: %q has no further time; stopping", spec)
	case pipeline.Cancelled:
		logf("stopped by signal; %s finished, %d skipped, %d failed", render.Plural(finished, "run"), skipped, failed)
	}
	return nil
}
