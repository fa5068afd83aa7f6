package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"iter"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/forecast-dev/forecast/app/pipeline"
	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/ingest"
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
			if opt.dryRun {
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
			sum, err := a.runBatch(c.Context, db, jf, opt, commandLine(c))
			if err != nil {
				return err
			}
			return sum.err()
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

// batchOptions are the settings of a batch run.
type batchOptions struct {
	workers       int
	shard, shards int // shard I of N; N = 0: all series
	dryRun        bool
	wait          time.Duration
	command       string         // "batch" or "schedule", for the lock
	clock         pipeline.Clock // the time of the run's records and of refit decisions
}

// batchSetup reads the jobs file and the flags of batch and schedule.
func batchSetup(c *cli.Context) (*pipeline.JobsFile, batchOptions, error) {
	opt := batchOptions{workers: c.Int("workers"), dryRun: c.Bool("dry-run"), wait: c.Duration("wait"), command: c.Command.Name,
		clock: pipeline.SystemClock{}}
	if c.NArg() != 1 {
		return nil, opt, usagef("%s needs exactly one jobs file, got %d arguments", c.Command.Name, c.NArg())
	}
	if opt.workers < 1 {
		return nil, opt, usagef("--workers must be at least 1, got %d", opt.workers)
	}
	if s := c.String("shard"); s != "" {
		i, n, ok := strings.Cut(s, "/")
		var err1, err2 error
		opt.shard, err1 = strconv.Atoi(i)
		opt.shards, err2 = strconv.Atoi(n)
		if !ok || err1 != nil || err2 != nil || opt.shards < 1 || opt.shard < 0 || opt.shard >= opt.shards {
			return nil, opt, usagef("--shard %q: want I/N with 0 <= I < N, e.g. 0/4", s)
		}
	}
	jf, err := pipeline.ReadJobs(c.Args().First())
	return jf, opt, err
}

// inShard reports whether the series id belongs to the shard of opt: FNV-1a
// of the id, modulo N, is I.
func (opt batchOptions) inShard(id string) bool {
	if opt.shards == 0 {
		return true
	}
	h := fnv.New64a()
	io.WriteString(h, id)
	return h.Sum64()%uint64(opt.shards) == uint64(opt.shard)
}

// batchSummary is what a batch run did.
type batchSummary struct {
	run                   *store.Run
	done, failed, skipped int
	forecasts             int
	jobs, jobsFailed      int
	interrupted           bool
	elapsed               time.Duration
	versions              []string
}

// err is the error a finished batch returns: nil if everything was
// forecast, an interruption, or an exit code 7 error if something failed.
func (s *batchSummary) err() error {
	switch {
	case s.interrupted:
		return errors.New("interrupted: the series forecast so far are stored")
	case s.jobsFailed > 0:
		return cli.Exit(fmt.Sprintf("run %d: %s; see: select job, error from batch_jobs where run_id = %d and status = 'failed'",
			s.run.ID, s.failures(), s.run.ID), ExitFailed)
	case s.failed > 0:
		return cli.Exit(fmt.Sprintf("run %d: %s; see: select * from batch_series where run_id = %d and status = 'failed'",
			s.run.ID, s.failures(), s.run.ID), ExitFailed)
	}
	return nil
}

// failures says what failed, or "".
func (s *batchSummary) failures() string {
	var parts []string
	if s.jobsFailed > 0 {
		parts = append(parts, fmt.Sprintf("%d of %d jobs failed", s.jobsFailed, s.jobs))
	}
	if s.failed > 0 {
		parts = append(parts, fmt.Sprintf("%d of %d series failed", s.failed, s.done+s.failed+s.skipped))
	}
	return strings.Join(parts, ", ")
}

// runBatch runs the jobs of jf as one recorded batch run, holding the
// database's batch lock. It returns an error only if the run could not be
// held or recorded; what the jobs did is in the summary.
func (a *App) runBatch(ctx context.Context, db *store.DB, jf *pipeline.JobsFile, opt batchOptions, args []string) (*batchSummary, error) {
	began := opt.clock.Now()
	lock, err := db.Lock(ctx, "batch", opt.command, opt.wait, 500*time.Millisecond)
	if err != nil {
		return nil, err
	}
	defer lock.Unlock(ctx)
	w := a.Stdout
	if lock.TookStale != "" {
		fmt.Fprintf(a.Stderr, "note: took over the stale lock of %s\n", lock.TookStale)
	}
	run := &store.Run{Command: "batch", Args: args, ProgramVersion: a.Version, StartedAt: began}
	if err := db.StartBatch(ctx, run); err != nil {
		return nil, storageError{err}
	}
	shard := ""
	if opt.shards > 0 {
		shard = fmt.Sprintf(", shard %d/%d", opt.shard, opt.shards)
	}
	fmt.Fprintf(w, "batch run %d: %s, %s, %d workers%s\n", run.ID, jf.Path, countOf(len(jf.Jobs), "job"), opt.workers, shard)

	sum := &batchSummary{run: run, jobs: len(jf.Jobs)}
	for _, j := range jf.Jobs {
		if ctx.Err() != nil {
			break
		}
		jr := &jobRun{app: a, db: db, run: run, job: j, opt: opt, w: w}
		if err := jr.do(ctx); ctx.Err() != nil {
			fmt.Fprintf(w, "job %s: interrupted\n", j.Name)
		} else if err != nil {
			sum.jobsFailed++
			fmt.Fprintf(w, "job %s: failed: %v\n", j.Name, err)
		}
		sum.done += jr.rec.Done
		sum.failed += jr.rec.Failed
		sum.skipped += jr.rec.Skipped
		sum.forecasts += jr.forecasts
		if jr.trained != "" {
			sum.versions = append(sum.versions, jr.trained)
		}
	}
	sum.interrupted = ctx.Err() != nil
	sum.elapsed = opt.clock.Now().Sub(began)
	run.Wrote = store.Wrote{ModelVersions: sum.versions, Forecasts: sum.forecasts,
		SeriesDone: sum.done, SeriesFailed: sum.failed, SeriesSkipped: sum.skipped}
	var cause error
	if sum.interrupted {
		cause = errors.New("interrupted")
	} else if f := sum.failures(); f != "" {
		cause = errors.New(f)
	}
	if err := db.FinishBatch(ctx, run, cause); err != nil {
		return nil, storageError{err}
	}
	status := "ok"
	if cause != nil {
		status = "failed (" + cause.Error() + ")"
	}
	fmt.Fprintf(w, "run %d %s: %d series done, %d failed, %d skipped, %d forecasts stored, in %.1fs\n",
		run.ID, status, sum.done, sum.failed, sum.skipped, sum.forecasts, sum.elapsed.Seconds())
	return sum, nil
}

// jobRun runs one job of a batch.
type jobRun struct {
	app *App
	db  *store.DB
	run *store.Run
	job *pipeline.Job
	opt batchOptions
	w   io.Writer

	rec       store.BatchJob
	model     *store.ModelVersion
	pred      *forecast.Predictor
	params    forecast.Params   // of model
	done      map[string]string // series -> cut-off already forecast
	forecasts int
	trained   string // NAME@VERSION of the version the job trained, if any
}

// do runs the job and records it; the error says why the job as a whole
// failed. The outcomes of its series are in jr.rec.
func (jr *jobRun) do(ctx context.Context) (err error) {
	j, began := jr.job, jr.opt.clock.Now()
	jr.rec = store.BatchJob{RunID: jr.run.ID, Job: j.Name, Model: j.Model, Config: j.JSON(),
		Refit: j.Refit.String(), Status: "running"}
	if err := jr.db.SaveBatchJob(ctx, &jr.rec); err != nil {
		return storageError{err}
	}
	defer func() {
		if err != nil && ctx.Err() != nil {
			err = errors.New("interrupted")
		}
		now := jr.opt.clock.Now()
		jr.rec.Status, jr.rec.FinishedAt, jr.rec.Duration = "ok", now, now.Sub(began)
		switch {
		case err != nil:
			jr.rec.Status, jr.rec.Error = "failed", err.Error()
		case jr.rec.Failed > 0:
			jr.rec.Status, jr.rec.Error = "failed", fmt.Sprintf("%d of %d series failed", jr.rec.Failed, jr.rec.Done+jr.rec.Failed+jr.rec.Skipped)
		}
		if ctx.Err() != nil && err == nil {
			jr.rec.Status, jr.rec.Error = "failed", "interrupted"
		}
		if serr := jr.db.SaveBatchJob(ctx, &jr.rec); serr != nil && err == nil {
			err = storageError{serr}
		}
	}()

	if jr.done, err = jr.db.DoneCutoffs(ctx, j.Model); err != nil {
		return storageError{err}
	}
	fit, reason, cur, err := jr.decide(ctx)
	if err != nil {
		return err
	}
	jr.rec.Decision = reason
	fmt.Fprintf(jr.w, "job %s: %s\n", j.Name, reason)
	if fit {
		if err := jr.fit(ctx, cur); err != nil {
			return err
		}
	}
	if jr.model == nil {
		fmt.Fprintf(jr.w, "job %s: nothing to forecast\n", j.Name)
		return nil
	}
	jr.rec.ModelVersionID = jr.model.ID
	start := jr.opt.clock.Now()
	if err := jr.forecastAll(ctx); err != nil {
		return err
	}
	took, n := jr.opt.clock.Now().Sub(start), jr.rec.Done+jr.rec.Failed+jr.rec.Skipped
	rate := ""
	if n >= 100 && took > 0 {
		rate = fmt.Sprintf(" (%.0f series/s)", float64(n)/took.Seconds())
	}
	fmt.Fprintf(jr.w, "job %s: %d series done, %d failed, %d skipped in %.1fs%s\n", j.Name,
		jr.rec.Done, jr.rec.Failed, jr.rec.Skipped, took.Seconds(), rate)
	return nil
}

// decide gathers what the job's refit policy needs (the stored version,
// its horizon and, if the policy reads it, its realised accuracy) and
// applies it with pipeline.Decide: fit says whether to train a new
// version, reason says why, for people, and cur is the stored version, nil
// if none. A version to reuse is loaded into jr.
func (jr *jobRun) decide(ctx context.Context) (fit bool, reason string, cur *store.ModelVersion, err error) {
	j := jr.job
	ref := store.ModelRef{Name: j.Model}
	if j.Alias != "latest" {
		ref.Alias = j.Alias
	}
	mv, err := jr.db.FindModelVersion(ctx, ref)
	if errors.Is(err, store.ErrNotFound) {
		d, derr := pipeline.Decide(j.Refit, nil, 0, jr.opt.clock.Now(), pipeline.Accuracy{})
		return d.Refit, fmt.Sprintf("%s: %v", d.Reason, err), nil, derr
	} else if err != nil {
		return false, "", nil, storageError{err}
	}
	p, err := forecast.NewPredictor(mv.Weights, []byte(mv.Export))
	if err != nil {
		return false, "", nil, fmt.Errorf("model %s: %w", mv.Ref(), err)
	}
	var acc pipeline.Accuracy
	if j.Refit.NeedsAccuracy() {
		if acc.MASE, acc.Series, err = jr.realisedMASE(ctx, mv); err != nil {
			return false, "", nil, err
		}
	}
	horizon := 0
	if j.HorizonSet {
		horizon = j.Config.Horizon
	}
	current := &pipeline.Model{Ref: mv.Ref(), CreatedAt: mv.CreatedAt, Horizon: p.Horizon()}
	d, err := pipeline.Decide(j.Refit, current, horizon, jr.opt.clock.Now(), acc)
	if err != nil {
		return false, "", nil, err
	}
	if d.Refit {
		return true, d.Reason, mv, nil
	}
	if err := jr.use(mv, p); err != nil {
		return false, "", nil, err
	}
	return false, fmt.Sprintf("%s, trained %s", d.Reason, formatTime(mv.CreatedAt.Round(time.Second))), mv, nil
}

// realisedMASE is the mean realised MASE of mv over the series that have
// one, and how many they are.
func (jr *jobRun) realisedMASE(ctx context.Context, mv *store.ModelVersion) (float64, int, error) {
	accs, err := jr.db.FindAccuracy(ctx, store.ModelRef{Name: mv.Name, Version: mv.Version})
	if err != nil {
		return 0, 0, storageError{err}
	}
	var sum float64
	var n int
	for _, a := range accs {
		if a.MASE != nil {
			sum += *a.MASE
			n++
		}
	}
	if n == 0 {
		return 0, 0, nil
	}
	return sum / float64(n), n, nil
}

// use makes mv, read by p, the version the job forecasts with.
func (jr *jobRun) use(mv *store.ModelVersion, p *forecast.Predictor) error {
	params, err := forecast.ParseParams(mv.Params)
	if err != nil {
		return fmt.Errorf("model %s: %w", mv.Ref(), err)
	}
	jr.model, jr.pred, jr.params = mv, p, params
	return nil
}

// fit trains a new version of the job's model, refitted from cur if not
// nil: one global model on the job's series (at most train-series of them)
// that have data enough for the settings, and stores it. If every series
// was forecast from its data before (and the job does not replace), nothing
// is trained and cur is reused.
func (jr *jobRun) fit(ctx context.Context, cur *store.ModelVersion) error {
	j := jr.job
	var train []*ingest.Series
	var unusable, fresh, pending int // fresh: not forecast from this data before; pending: and long enough
	err := jr.app.streamSeries(ctx, j, jr.opt, func(it seriesItem) bool {
		if it.err != nil {
			unusable++
			return true
		}
		if j.Replace || jr.done[it.id] != it.cutoff() {
			fresh++
			if len(it.s.Values) >= j.Config.Lookback {
				pending++
			}
		}
		if j.TrainSeries > 0 && len(train) >= j.TrainSeries {
			return true
		}
		if _, err := forecast.Baselines(it.s, j.Config); err != nil {
			unusable++
			return true
		}
		train = append(train, it.s)
		return true
	})
	if err != nil {
		return err
	}
	switch {
	case pending == 0 && fresh > 0 && cur == nil:
		return fmt.Errorf("%w: none of the %d series of %s not forecast before has the lookback's %d values: nothing to train on or forecast",
			forecast.ErrInvalid, fresh, j.Path, j.Config.Lookback)
	case pending == 0 && fresh > 0:
		fmt.Fprintf(jr.w, "job %s: every series was forecast from its data before or is shorter than the lookback (%d): no fit\n", j.Name, j.Config.Lookback)
	case pending == 0:
		fmt.Fprintf(jr.w, "job %s: every series was forecast from its data before: no fit\n", j.Name)
	}
	if pending == 0 {
		if cur == nil {
			return nil
		}
		p, err := forecast.NewPredictor(cur.Weights, []byte(cur.Export))
		if err != nil {
			return fmt.Errorf("model %s: %w", cur.Ref(), err)
		}
		return jr.use(cur, p)
	}
	if len(train) == 0 {
		return fmt.Errorf("%w: no series of %s has data enough to train on with lookback %d and horizon %d", forecast.ErrInvalid, j.Path, j.Config.Lookback, j.Config.Horizon)
	}
	start := jr.opt.clock.Now()
	res, err := forecast.FitMany(ctx, train, j.Config, func(st forecast.EpochStats) {
		fmt.Fprintf(jr.app.Stderr, "job %s: epoch %3d/%d  train %.5f  val %.5f  %5.1fs\n",
			j.Name, st.Epoch, j.Config.Epochs, st.TrainLoss, st.ValLoss, st.Elapsed.Seconds())
	})
	if err != nil {
		return err
	}
	trained := jr.opt.clock.Now().Sub(start)
	jr.rec.FitDuration = trained
	mv, err := globalVersion(j, train, res, trained)
	if err != nil {
		return err
	}
	mv.ProgramVersion = jr.app.Version
	if cur != nil {
		mv.ParentID = cur.ID
	}
	if err := jr.db.SaveBatchModel(ctx, jr.run.ID, mv); err != nil {
		return storageError{fmt.Errorf("store the model: %w", err)}
	}
	if j.Alias != "" && j.Alias != "latest" {
		if _, err := jr.db.SetAlias(ctx, store.ModelRef{Name: mv.Name, Version: mv.Version}, j.Alias); err != nil {
			return storageError{err}
		}
	}
	jr.trained = mv.Ref()
	skipped := ""
	if unusable > 0 {
		skipped = fmt.Sprintf(" (%s left out: unreadable, or too short or flat to train on)", fmt.Sprintf("%d series", unusable))
	}
	methods := map[string]int{}
	for _, sr := range res.Series {
		methods[sr.Method]++
	}
	fmt.Fprintf(jr.w, "job %s: trained %s on %s%s: %d epochs in %.1fs, test MASE %.3f (GRU %.3f, naive %.3f, seasonal naive %.3f); forecast by %s\n",
		j.Name, mv.Ref(), fmt.Sprintf("%d series", len(train)), skipped, len(res.History), trained.Seconds(),
		res.Test.Selected.MASE, res.Test.GRU.MASE, res.Test.Naive.MASE, res.Test.SeasonalNaive.MASE, methodCounts(methods))
	p, err := forecast.NewPredictor(mv.Weights, []byte(mv.Export))
	if err != nil {
		return err
	}
	return jr.use(mv, p)
}

// globalVersion is the model version record of a model trained on series.
func globalVersion(j *pipeline.Job, series []*ingest.Series, res *forecast.Result, trained time.Duration) (*store.ModelVersion, error) {
	mv, _, err := pipeline.NewVersion(j.Model, j.Path, series, res, trained, true)
	if err != nil || len(series) == 1 {
		return mv, err
	}
	h := sha256.New()
	mv.DataRows = 0
	for _, s := range series {
		fmt.Fprintf(h, "%s\x00%s\n", seriesName(s), forecast.Fingerprint(s))
		mv.DataRows += len(s.Values)
		if n := len(s.Times); n > 0 {
			if s.Times[0].Before(mv.DataStart) {
				mv.DataStart = s.Times[0]
			}
			if s.Times[n-1].After(mv.DataEnd) {
				mv.DataEnd = s.Times[n-1]
			}
		}
	}
	mv.DataFingerprint = hex.EncodeToString(h.Sum(nil))
	mv.DataSeries = fmt.Sprintf("%d series", len(series))
	return mv, nil
}

// forecastAll forecasts every series of the job's source with jr.pred: the
// source is streamed to a pool of workers, and a writer stores the
// finished series in group commits. On cancellation the workers finish the
// series they hold and the writer stores them.
func (jr *jobRun) forecastAll(ctx context.Context) error {
	j, workers := jr.job, jr.opt.workers
	items := make(chan seriesItem, 2*workers)
	results := make(chan *store.BatchSeries, 4*workers)

	var readErr error
	go func() {
		defer close(items)
		readErr = jr.app.streamSeries(ctx, j, jr.opt, func(it seriesItem) bool {
			select {
			case items <- it:
				return true
			case <-ctx.Done():
				return false
			}
		})
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range items {
				if ctx.Err() != nil {
					continue // drain: a series not begun is not begun
				}
				results <- jr.forecastOne(it)
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	const group, every = 512, 250 * time.Millisecond
	var pending []*store.BatchSeries
	var writeErr error
	shown := 0
	flush := func() {
		if len(pending) == 0 || writeErr != nil {
			pending = pending[:0]
			return
		}
		if err := jr.db.SaveBatchSeries(ctx, jr.run.ID, pending); err != nil {
			writeErr = storageError{err}
			return
		}
		for _, s := range pending {
			switch s.Status {
			case "done":
				jr.rec.Done++
				jr.forecasts += len(s.Forecasts)
			case "skipped":
				jr.rec.Skipped++
			default:
				jr.rec.Failed++
				if shown++; shown <= maxFailuresShown {
					fmt.Fprintf(jr.w, "job %s: series %s failed: %s\n", j.Name, s.Series, s.Error)
				}
			}
		}
		pending = pending[:0]
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for open := true; open; {
		select {
		case s, ok := <-results:
			if !ok {
				open = false
				break
			}
			pending = append(pending, s)
			if len(pending) >= group {
				flush()
			}
		case <-tick.C:
			flush()
		}
	}
	flush()
	if shown > maxFailuresShown {
		fmt.Fprintf(jr.w, "job %s: and %d more failed series\n", j.Name, shown-maxFailuresShown)
	}
	if writeErr != nil {
		return writeErr
	}
	if readErr != nil && ctx.Err() == nil {
		return readErr
	}
	return nil
}

// maxFailuresShown is how many failed series a job prints; batch_series
// holds them all.
const maxFailuresShown = 20

// forecastOne forecasts one series, or says why it cannot.
func (jr *jobRun) forecastOne(it seriesItem) *store.BatchSeries {
	start := jr.opt.clock.Now()
	j := jr.job
	bs := &store.BatchSeries{Job: j.Name, Model: j.Model, Series: it.id, Replace: j.Replace, ModelVersionID: jr.model.ID}
	if it.err != nil {
		bs.Status, bs.Error, bs.Cutoff = "failed", it.err.Error(), "-"
		return bs
	}
	bs.Cutoff = it.cutoff()
	if !j.Replace && jr.done[it.id] == bs.Cutoff {
		bs.Status = "skipped"
		return bs
	}
	fcs, err := jr.predict(it.s, it.id)
	bs.Duration = jr.opt.clock.Now().Sub(start)
	if err != nil {
		bs.Status, bs.Error = "failed", err.Error()
		return bs
	}
	bs.Status, bs.Forecasts = "done", fcs
	return bs
}

// predict forecasts s with the job's model, each series on its own scale,
// for storing under id.
func (jr *jobRun) predict(s *ingest.Series, id string) ([]store.Forecast, error) {
	mv := jr.model
	if s.Times != nil && mv.DataFreq != "" && s.Freq.String() != mv.DataFreq {
		return nil, fmt.Errorf("the data is %s, but model %s was trained on %s data", s.Freq, mv.Ref(), mv.DataFreq)
	}
	p, err := forecast.PredictorFor(jr.pred, jr.params, s)
	if err != nil {
		return nil, err
	}
	pts, origin, err := p.Predict(s)
	if err != nil {
		return nil, err
	}
	fcs := make([]store.Forecast, len(pts))
	for i, pt := range pts {
		fcs[i] = store.Forecast{Series: id, Origin: origin, Time: pt.Time, Step: pt.Step, Value: pt.Value, Intervals: storedIntervals(pt), Method: p.MethodLabel()}
	}
	return fcs, nil
}

// seriesItem is one series of a job's source, or the error that kept it
// from being read.
type seriesItem struct {
	s     *ingest.Series
	id    string // the series' id, as stored
	local string // its id in its source file or table
	err   error
}

// cutoff is the data cut-off of the item's series.
func (it seriesItem) cutoff() string {
	var last time.Time
	if n := len(it.s.Times); n > 0 {
		last = it.s.Times[n-1]
	}
	return store.Cutoff(last, len(it.s.Values))
}

// streamSeries reads the series of the job's source in the shard of opt
// and passes them to emit, one at a time, until emit returns false or ctx
// ends. A series that cannot be read is passed with its error. The source
// is read by ingest.Stream or ingest.StreamSQL, so memory stays bounded
// for a glob of files (one file at a time) and, within a file or
// database, in the rows and long layouts (one series at a time); a wide
// source is read whole. The error is for a source that cannot be read at
// all, or whose reading broke off.
func (a *App) streamSeries(ctx context.Context, j *pipeline.Job, opt batchOptions, emit func(seriesItem) bool) error {
	keep := func(id string) bool {
		return (j.SeriesIn == nil || j.SeriesIn[id]) && opt.inShard(id)
	}
	// Each series is stored under its source (the file, of a glob each
	// file) and its id in the source, as fit stores it, or under the job's
	// series-id. s.ID, which the model knows a series by, and the ids keep
	// matches stay as they were.
	stem := pipeline.SourceStem(j.Path, "", "")
	if j.Source.Table != "" || j.Source.Query != "" {
		stem = pipeline.SourceStem(j.Path, j.Source.Name, j.Source.Table)
	}
	emitted := 0
	emitStored := func(it seriesItem, id string) bool {
		it.id = id
		if j.SeriesID != "" {
			it.id = j.SeriesID
			if emitted++; emitted > 1 && it.err == nil {
				it.s, it.err = nil, fmt.Errorf("series-id %q names one series, but the source holds more", j.SeriesID)
			}
		}
		return emit(it)
	}
	storedUnder := func(source string) func(seriesItem) bool {
		return func(it seriesItem) bool { return emitStored(it, source+"/"+it.local) }
	}
	opt0 := j.Source
	switch {
	case opt0.Table != "" || opt0.Query != "":
		db, err := pipeline.OpenSQLite(opt0.Name)
		if err != nil {
			return err
		}
		defer db.Close()
		_, err = sendSeries(ctx, ingest.StreamSQL(ctx, db, opt0), "", keep, storedUnder(stem))
		return err
	case j.Glob:
		files, err := filepath.Glob(j.Path)
		if err != nil {
			return usagef("source path %q: %v", j.Path, err)
		}
		if len(files) == 0 {
			return usagef("source path %q matches no file", j.Path)
		}
		sort.Strings(files)
		for _, f := range files {
			prefix := strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))
			o := opt0
			o.Name = f
			more, err := streamFile(ctx, f, o, prefix, keep, storedUnder(prefix))
			if err != nil {
				if keep(prefix) && !emitStored(seriesItem{err: err}, prefix) {
					return nil
				}
				continue
			}
			if !more {
				return nil
			}
		}
		return nil
	}
	_, err := streamFile(ctx, j.Path, opt0, "", keep, storedUnder(stem))
	return err
}

// streamFile streams the series of a CSV file to emit, as sendSeries does.
func streamFile(ctx context.Context, path string, opt ingest.Options, prefix string, keep func(string) bool, emit func(seriesItem) bool) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, usagef("cannot read data: %v", err)
	}
	defer f.Close()
	return sendSeries(ctx, ingest.Stream(f, opt), prefix, keep, emit)
}

// sendSeries passes the series of seq that keep wants to emit, and those
// that cannot be read with their errors. With a prefix (the file of a
// glob) a series is called prefix, or prefix/ID if the file holds several.
// It returns whether to go on (emit did not refuse and ctx has not ended),
// and the error that ended seq early.
func sendSeries(ctx context.Context, seq iter.Seq2[*ingest.Series, error], prefix string, keep func(string) bool, emit func(seriesItem) bool) (bool, error) {
	var first *seriesItem // with a prefix: the first series, held until it is known whether a second comes
	send := func(it seriesItem, several bool) bool {
		it.local, it.id = it.s.ID, it.s.ID
		if prefix != "" {
			it.id = prefix
			if several {
				it.id = prefix + "/" + it.s.ID
			}
		}
		if it.err == nil {
			it.s.ID = it.id
		} else {
			it.s = nil
		}
		if !keep(it.id) {
			return true
		}
		return ctx.Err() == nil && emit(it)
	}
	for s, err := range seq {
		if s == nil {
			return false, err
		}
		s.ID = seriesName(s)
		it := seriesItem{s: s, err: err}
		switch {
		case prefix == "":
			if !send(it, false) {
				return false, nil
			}
		case first == nil:
			first = &it
		default:
			if first.s != nil && !send(*first, true) {
				return false, nil
			}
			first.s = nil // sent
			if !send(it, true) {
				return false, nil
			}
		}
	}
	if first != nil && first.s != nil && !send(*first, false) {
		return false, nil
	}
	return ctx.Err() == nil, nil
}

// dryRunDB runs dryRun on the database of --db without creating it: an
// absent database is taken as an empty one, made in a temporary directory
// and removed afterwards.
func (a *App) dryRunDB(c *cli.Context, jf *pipeline.JobsFile, opt batchOptions) error {
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
// would be forecast or skipped, and writes nothing.
func (a *App) dryRun(ctx context.Context, db *store.DB, jf *pipeline.JobsFile, opt batchOptions) error {
	w := a.Stdout
	fmt.Fprintf(w, "dry run of %s: %s; nothing is written\n", jf.Path, countOf(len(jf.Jobs), "job"))
	for _, j := range jf.Jobs {
		jr := &jobRun{app: a, db: db, job: j, opt: opt, w: w}
		var err error
		if jr.done, err = db.DoneCutoffs(ctx, j.Model); err != nil {
			return storageError{err}
		}
		fit, reason, _, err := jr.decide(ctx)
		if err != nil {
			fmt.Fprintf(w, "job %s: would fail: %v\n", j.Name, err)
			continue
		}
		verb := "forecast with " + j.Model
		if fit {
			verb = "fit a new version of " + j.Model + " and forecast"
		} else if jr.model != nil {
			verb = "forecast with " + jr.model.Ref()
		}
		fmt.Fprintf(w, "job %s: %s\n", j.Name, reason)
		var forecastN, skipN, badN int
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		err = a.streamSeries(ctx, j, opt, func(it seriesItem) bool {
			switch {
			case it.err != nil:
				badN++
				fmt.Fprintf(tw, "  %s\t-\tfail: %s\n", cell(it.id), cell(it.err.Error()))
			case !j.Replace && jr.done[it.id] == it.cutoff():
				skipN++
				fmt.Fprintf(tw, "  %s\t%s\tskip: forecast from this cut-off before\n", cell(it.id), it.cutoff())
			default:
				forecastN++
				what := "forecast"
				if j.Replace && jr.done[it.id] == it.cutoff() {
					what = "forecast, replacing the earlier forecast from this cut-off"
				}
				fmt.Fprintf(tw, "  %s\t%s\t%s\n", cell(it.id), it.cutoff(), what)
			}
			return true
		})
		tw.Flush()
		if err != nil {
			fmt.Fprintf(w, "job %s: would fail: %v\n", j.Name, err)
			continue
		}
		if forecastN == 0 {
			verb = "forecast nothing (and fit nothing)"
		}
		fmt.Fprintf(w, "job %s: would %s: %d series, skip %d, %d unreadable\n", j.Name, verb, forecastN, skipN, badN)
	}
	return nil
}
