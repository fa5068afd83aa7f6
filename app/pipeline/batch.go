package pipeline

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/ingest"
	"github.com/forecast-dev/forecast/store"
)

// BatchOptions are the settings of a batch run.
type BatchOptions struct {
	Workers        int           // series forecast at once; less than 1 is 1
	Shard, Shards  int           // shard I of N; N = 0: all series
	Wait           time.Duration // how long to wait for another batch's lock
	Command        string        // "batch" or "schedule", for the lock
	Args           []string      // the command line, for the run's record
	ProgramVersion string        // of the run and the versions it trains
	Clock          Clock         // the time of the run's records and of refit decisions; nil: SystemClock
	// Progress, if not nil, is told what the batch does as it does it.
	Progress func(Event)
}

// ParseShard reads a shard as people write it, I/N: shard I of N, with
// 0 <= I < N.
func ParseShard(s string) (shard, shards int, err error) {
	i, n, ok := strings.Cut(s, "/")
	shard, err1 := strconv.Atoi(i)
	shards, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || shards < 1 || shard < 0 || shard >= shards {
		return 0, 0, fmt.Errorf("%q: want I/N with 0 <= I < N, e.g. 0/4", s)
	}
	return shard, shards, nil
}

// InShard reports whether the series id belongs to the shard of opt:
// FNV-1a of the id, mixed by SplitMix64's finaliser, modulo N, is I. The
// low bits of FNV-1a alone depend on the low bits of the bytes only (the
// lowest is the parity of the odd ones): six shops' ids, modulo 2, all
// fell in one shard.
func (opt BatchOptions) InShard(id string) bool {
	if opt.Shards == 0 {
		return true
	}
	h := fnv.New64a()
	io.WriteString(h, id)
	z := h.Sum64()
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	z ^= z >> 31
	return z%uint64(opt.Shards) == uint64(opt.Shard)
}

// withDefaults is opt with at least one worker and a clock.
func (opt BatchOptions) withDefaults() BatchOptions {
	opt.Workers = max(opt.Workers, 1)
	if opt.Clock == nil {
		opt.Clock = SystemClock{}
	}
	return opt
}

// tell passes e to opt.Progress, if any.
func (opt BatchOptions) tell(e Event) {
	if opt.Progress != nil {
		opt.Progress(e)
	}
}

// BatchSummary is what a batch run did.
type BatchSummary struct {
	Run                   *store.Run
	Jobs                  []*JobResult // in the order of the jobs file; an interrupted run has fewer
	Done, Failed, Skipped int          // series
	Forecasts             int          // stored
	JobsFailed            int          // jobs that failed as a whole
	Interrupted           bool
	Elapsed               time.Duration
	Versions              []string // NAME@VERSION of the versions trained
	jobCount              int      // in the jobs file
}

// Failures says what failed, as "1 of 2 jobs failed, 3 of 40 series
// failed", or "".
func (s *BatchSummary) Failures() string {
	var parts []string
	if s.JobsFailed > 0 {
		parts = append(parts, fmt.Sprintf("%d of %d jobs failed", s.JobsFailed, s.jobCount))
	}
	if s.Failed > 0 {
		parts = append(parts, fmt.Sprintf("%d of %d series failed", s.Failed, s.Done+s.Failed+s.Skipped))
	}
	return strings.Join(parts, ", ")
}

// Cause is why the run is recorded as failed: it was interrupted, or
// something failed; nil if it was not.
func (s *BatchSummary) Cause() error {
	if s.Interrupted {
		return errors.New("interrupted")
	}
	if f := s.Failures(); f != "" {
		return errors.New(f)
	}
	return nil
}

// JobResult is what one job of a batch did.
type JobResult struct {
	Job      string
	Decision string // what the refit policy decided, and why, for people
	Refit    bool   // the policy asked for a new version
	Trained  string // NAME@VERSION of the version the job trained, "" if none
	Model    string // NAME@VERSION of the version it forecast with, "" if none
	// Forecast says the job forecast its series with Model to the end (or
	// to an interruption), and Took is how long that took.
	Forecast              bool
	Took                  time.Duration
	Done, Failed, Skipped int // series
	LeftOut               int // of Skipped, those too short or gappy to read (ingest.SeriesLeftOut) or too short for the model (forecast.ErrTooShort)
	// ByOtherVersion counts, of Skipped, the series forecast from the same
	// data by another version than Model (an alias moved back since):
	// on-existing "skip" leaves them as they are.
	ByOtherVersion int
	// Ended are the series read that end more than Horizon steps before
	// Latest, the last time of any (see EndedEarly).
	Ended       []SeriesEnd
	Latest      time.Time
	Horizon     int
	Forecasts   int // stored
	Failures    []*store.BatchSeries
	Err         error // why the job as a whole failed, nil if it did not
	Interrupted bool
}

// MaxFailures is how many failed series a JobResult lists; the run's
// batch_series records hold them all.
const MaxFailures = 20

// RunBatch runs the jobs of jf as one recorded batch run, holding the
// database's batch lock (an error wrapping store.ErrLocked if another holds
// it past opt.Wait). It returns an error only if the run could not be held
// or recorded; what the jobs did, failures included, is in the summary.
func RunBatch(ctx context.Context, db *store.DB, jf *JobsFile, opt BatchOptions) (*BatchSummary, error) {
	opt = opt.withDefaults()
	began := opt.Clock.Now()
	lock, err := db.Lock(ctx, "batch", opt.Command, opt.Wait, 500*time.Millisecond)
	if err != nil {
		return nil, err
	}
	defer lock.Unlock(ctx)
	if lock.TookStale != "" {
		opt.tell(StaleLockTaken{Holder: lock.TookStale})
	}
	run := &store.Run{Command: "batch", Args: opt.Args, ProgramVersion: opt.ProgramVersion, StartedAt: began}
	if err := db.StartBatch(ctx, run); err != nil {
		return nil, storageError{err}
	}
	opt.tell(RunStarted{Run: run, Path: jf.Path, Jobs: len(jf.Jobs), Workers: opt.Workers, Shard: opt.Shard, Shards: opt.Shards})

	sum := &BatchSummary{Run: run, jobCount: len(jf.Jobs)}
	for _, j := range jf.Jobs {
		if ctx.Err() != nil {
			break
		}
		jr := &jobRun{db: db, run: run, job: j, opt: opt, res: &JobResult{Job: j.Name}}
		r := jr.res
		r.Err = jr.do(ctx)
		if errors.Is(r.Err, errInterrupted) {
			r.Interrupted = true
		} else if r.Err != nil {
			sum.JobsFailed++
		}
		r.Done, r.Failed, r.Skipped = jr.rec.Done, jr.rec.Failed, jr.rec.Skipped
		sum.Jobs = append(sum.Jobs, r)
		sum.Done += r.Done
		sum.Failed += r.Failed
		sum.Skipped += r.Skipped
		sum.Forecasts += r.Forecasts
		if r.Trained != "" {
			sum.Versions = append(sum.Versions, r.Trained)
		}
		opt.tell(JobFinished{Result: r})
	}
	// A signal that comes after the last series interrupts nothing.
	sum.Interrupted = len(sum.Jobs) < len(jf.Jobs) || len(sum.Jobs) > 0 && sum.Jobs[len(sum.Jobs)-1].Interrupted
	sum.Elapsed = opt.Clock.Now().Sub(began)
	run.Wrote = store.Wrote{ModelVersions: sum.Versions, Forecasts: sum.Forecasts,
		SeriesDone: sum.Done, SeriesFailed: sum.Failed, SeriesSkipped: sum.Skipped}
	if err := db.FinishBatch(ctx, run, sum.Cause()); err != nil {
		return nil, storageError{err}
	}
	return sum, nil
}

// jobRun runs one job of a batch.
type jobRun struct {
	db  *store.DB
	run *store.Run
	job *Job
	opt BatchOptions
	res *JobResult

	rec         store.BatchJob
	model       *StoredModel      // the version the job forecasts with
	done        map[string]string // series -> cut-off already forecast
	doneVersion map[string]int64  // series -> the model version that forecast it there
}

// do runs the job and records it; the error says why the job as a whole
// failed. The outcomes of its series are in jr.rec.
func (jr *jobRun) do(ctx context.Context) (err error) {
	j, began := jr.job, jr.opt.Clock.Now()
	jr.rec = store.BatchJob{RunID: jr.run.ID, Job: j.Name, Model: j.Model, Config: j.JSON(),
		Refit: j.Refit.String(), Status: "running"}
	if err := jr.db.SaveBatchJob(ctx, &jr.rec); err != nil {
		return storageError{err}
	}
	defer func() {
		if err != nil && ctx.Err() != nil {
			err = errInterrupted
		}
		now := jr.opt.Clock.Now()
		jr.rec.Status, jr.rec.FinishedAt, jr.rec.Duration = "ok", now, now.Sub(began)
		switch {
		case err != nil:
			jr.rec.Status, jr.rec.Error = "failed", err.Error()
		case jr.rec.Failed > 0:
			jr.rec.Status, jr.rec.Error = "failed", fmt.Sprintf("%d of %d series failed", jr.rec.Failed, jr.rec.Done+jr.rec.Failed+jr.rec.Skipped)
		}
		if serr := jr.db.SaveBatchJob(ctx, &jr.rec); serr != nil && err == nil {
			err = storageError{serr}
		}
	}()

	if jr.done, err = jr.db.DoneCutoffs(ctx, j.Model); err != nil {
		return storageError{err}
	}
	if jr.doneVersion, err = jr.db.DoneVersions(ctx, j.Model); err != nil {
		return storageError{err}
	}
	fit, reason, cur, err := jr.decide(ctx)
	if err != nil {
		return err
	}
	jr.rec.Decision, jr.res.Decision, jr.res.Refit = reason, reason, fit
	jr.opt.tell(JobDecided{Job: j.Name, Decision: reason, Refit: fit})
	if fit {
		if err := jr.fit(ctx, cur); err != nil {
			return err
		}
	}
	if jr.model == nil {
		return nil
	}
	jr.rec.ModelVersionID = jr.model.Version.ID
	jr.res.Model = jr.model.Version.Ref()
	// The job's row names its decision and version before the series
	// are forecast, so that a batch killed meanwhile says them.
	if err := jr.db.SaveBatchJob(ctx, &jr.rec); err != nil {
		return storageError{err}
	}
	start := jr.opt.Clock.Now()
	err = jr.forecastAll(ctx)
	if err == nil || errors.Is(err, errInterrupted) {
		// Its counts are told, the series stored before a signal too.
		jr.res.Forecast, jr.res.Took = true, jr.opt.Clock.Now().Sub(start)
	}
	return err
}

// decide gathers what the job's refit policy needs (the stored version,
// its horizon and, if the policy reads it, its realised accuracy) and
// applies it with Decide: fit says whether to train a new version, reason
// says why, for people, and cur is the stored version, nil if none. A
// version to reuse is loaded into jr.
func (jr *jobRun) decide(ctx context.Context) (fit bool, reason string, cur *store.ModelVersion, err error) {
	j := jr.job
	ref := store.ModelRef{Name: j.Model}
	if j.Alias != "latest" {
		ref.Alias = j.Alias
	}
	mv, err := jr.db.FindModelVersion(ctx, ref)
	if errors.Is(err, store.ErrNotFound) && ref.Alias != "" && j.Refit.Kind != Always {
		// A model with versions but not the alias: a version to reuse is
		// missing (a typo, an alias moved away), not a first fit.
		if newest, nerr := jr.db.FindModelVersion(ctx, store.ModelRef{Name: j.Model}); nerr == nil {
			return false, "", nil, fmt.Errorf("model %q has no alias %q to reuse (its newest version is %s): promote a version to it (forecast models promote %s --alias %s), or leave alias out of the job",
				j.Model, ref.Alias, newest.Ref(), newest.Ref(), ref.Alias)
		}
	}
	if errors.Is(err, store.ErrNotFound) {
		d, derr := Decide(j.Refit, nil, 0, jr.opt.Clock.Now(), Accuracy{})
		return d.Refit, fmt.Sprintf("%s: %v", d.Reason, err), nil, derr
	} else if err != nil {
		return false, "", nil, storageError{err}
	}
	m, err := NewStoredModel(mv)
	if err != nil {
		return false, "", nil, err
	}
	var acc Accuracy
	if j.Refit.NeedsAccuracy() {
		if acc.MASE, acc.Series, err = jr.realisedMASE(ctx, mv); err != nil {
			return false, "", nil, err
		}
	}
	current := &Model{Ref: mv.Ref(), CreatedAt: mv.CreatedAt, Horizon: m.Predictor.Horizon()}
	d, err := Decide(j.Refit, current, j.Config.Horizon, jr.opt.Clock.Now(), acc)
	if err != nil {
		return false, "", nil, err
	}
	if d.Refit {
		return true, d.Reason, mv, nil
	}
	jr.model = m
	return false, fmt.Sprintf("%s, trained %s", d.Reason, mv.CreatedAt.UTC().Format("2006-01-02 15:04:05 MST")), mv, nil
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

// fit trains a new version of the job's model, refitted from cur if not
// nil: one global model on the job's series (at most train-series of them)
// that have data enough for the settings (where none has, one that repeats
// itself every season, for a model of seasonal naive alone), and stores
// it. If every series was forecast from its data before (and the job does
// not replace), nothing is trained and cur is reused.
func (jr *jobRun) fit(ctx context.Context, cur *store.ModelVersion) error {
	j := jr.job
	var train, repeating []*ingest.Series
	byFreq, freqCount := map[ingest.Freq][]*ingest.Series{}, map[ingest.Freq]int{} // the series to train on, and those read, by frequency
	var freqs []ingest.Freq                                                        // of byFreq, as first read
	var common ingest.Freq
	storedIDs := map[*ingest.Series]string{} // as the forecasts are stored
	var read, unusable, fresh, pending int   // fresh: not forecast from this data before; pending: and long enough
	err := streamSeries(ctx, j, jr.opt, func(it seriesItem) bool {
		read++
		if it.err != nil {
			unusable++
			return true
		}
		storedIDs[it.s] = it.id
		if j.Replace || jr.done[it.id] != it.cutoff() {
			fresh++
			if it.s.Len() >= j.Config.Lookback {
				pending++
			}
		}
		// The series of one model share a frequency: a file of 15-minute
		// readings among hourly ones failed the whole job. Up to
		// train-series are kept of each frequency, and the one most
		// series read have is trained on; the others fail alone, as
		// predict refuses them.
		f := it.s.Freq.Unanchored()
		if freqCount[f]++; j.TrainSeries > 0 && len(byFreq[f]) >= j.TrainSeries {
			return true
		}
		if _, err := forecast.Baselines(it.s, j.Config); err != nil {
			if len(repeating) == 0 && j.Config.RepeatingAlone(it.s) {
				repeating = append(repeating, it.s)
			}
			unusable++
			return true
		}
		if len(byFreq[f]) == 0 {
			freqs = append(freqs, f)
		}
		byFreq[f] = append(byFreq[f], it.s)
		return true
	})
	for _, f := range freqs { // the first read of those most common
		if freqCount[f] > freqCount[common] || len(train) == 0 {
			common, train = f, byFreq[f]
		}
	}
	for _, f := range freqs {
		if f != common {
			unusable += len(byFreq[f])
		}
	}
	if err != nil {
		return err
	}
	if ctx.Err() != nil {
		return errInterrupted // the series read so far are not all
	}
	if len(train) > 1 {
		// Checked together, with the horizon and season the set will
		// have: a series of 5 months, checked alone, has no season, but
		// among series of years is too short for theirs.
		if kept, _ := forecast.LeaveOutShort(train, j.Config); len(kept) > 0 {
			unusable += len(train) - len(kept)
			train = kept
		}
	}
	if len(train) == 0 && len(repeating) > 0 {
		// No series has data to train on, but some repeat themselves
		// every season (flat ones too): a model of seasonal naive alone,
		// fitted on one, forecasts them exactly, as fit would each.
		train, unusable = repeating, unusable-1
	}
	if pending == 0 && fresh > 0 && cur == nil {
		return fmt.Errorf("%w: none of the %d series of %s not forecast before has the lookback's %d values: nothing to train on or forecast",
			forecast.ErrInvalid, fresh, j.Path, j.Config.Lookback)
	}
	if pending == 0 {
		// Recorded with the decision, which asked for a fit.
		switch {
		case read == 0 && jr.opt.Shards > 0:
			jr.rec.Decision += "; no fit: no series in this shard"
		case fresh > 0:
			jr.rec.Decision += "; no fit: every series was forecast from its data before or is shorter than the lookback"
		default:
			jr.rec.Decision += "; no fit: every series was forecast from its data before"
		}
		jr.res.Decision = jr.rec.Decision
		jr.opt.tell(NoFit{Job: j.Name, Lookback: j.Config.Lookback, ShortToo: fresh > 0, NoSeries: read == 0 && jr.opt.Shards > 0})
		if cur == nil {
			return nil
		}
		jr.model, err = NewStoredModel(cur)
		return err
	}
	if len(train) == 0 {
		return fmt.Errorf("%w: no series of %s has data enough to train on with lookback %s and horizon %s (each needs train, validation and test parts, and a train part that does not repeat itself exactly every season)",
			forecast.ErrInvalid, j.Path, autoText(j.Config.Lookback), autoText(j.Config.Horizon))
	}
	start := jr.opt.Clock.Now()
	res, err := forecast.FitMany(ctx, train, j.Config, func(st forecast.EpochStats) {
		jr.opt.tell(Epoch{Job: j.Name, Epochs: j.Config.Epochs, Stats: st})
	})
	if err != nil {
		return err
	}
	trained := jr.opt.Clock.Now().Sub(start)
	jr.rec.FitDuration = trained
	mv, _, err := NewVersion(j.Model, j.Path, train, res, trained, true)
	if err != nil {
		return err
	}
	if len(train) == 1 {
		mv.DataSeries = storedIDs[train[0]] // "Passengers" named no series stored
	}
	mv.ProgramVersion = jr.opt.ProgramVersion
	if cur != nil {
		mv.ParentID = cur.ID
	}
	if err := jr.db.SaveBatchModel(ctx, jr.run.ID, mv); err != nil {
		return storageError{fmt.Errorf("store the model: %w", err)}
	}
	jr.res.Trained = mv.Ref() // stored, whatever fails next
	if j.Alias != "" && j.Alias != "latest" {
		if _, err := jr.db.SetAlias(ctx, store.ModelRef{Name: mv.Name, Version: mv.Version}, j.Alias); err != nil {
			return storageError{err}
		}
	}
	event := Trained{Job: j.Name, Ref: mv.Ref(), Series: len(train), Unusable: unusable, Took: trained, Result: res}
	if short, median := res.Config.LookbackCut(train); j.Config.Lookback == 0 && short != nil {
		event.CutBy, event.CutLen, event.Median = SeriesName(short), short.Len(), median
	}
	if network, short := res.Config.ShortSeries(train); len(network) > 0 {
		event.Short = short
	}
	jr.opt.tell(event)
	jr.model, err = NewStoredModel(mv)
	return err
}

// errInterrupted is the error of a job that ctx ended before its last
// series.
var errInterrupted = errors.New("interrupted")

// forecastAll forecasts every series of the job's source with jr.model: the
// source is streamed to a pool of workers, and a writer stores the
// finished series in group commits. On cancellation the workers finish the
// series they hold and the writer stores them, and the error is
// errInterrupted, unless every series was read and forecast before.
func (jr *jobRun) forecastAll(ctx context.Context) error {
	j, workers := jr.job, jr.opt.Workers
	items := make(chan seriesItem, 2*workers)
	results := make(chan *store.BatchSeries, 4*workers)

	var readErr error
	var readAll bool        // the source was read to its end before ctx ended
	var dropped atomic.Bool // a series read was not forecast
	var ends []SeriesEnd    // of the series read, for EndedEarly
	leftOut := map[string]bool{}
	go func() {
		defer close(items)
		readErr = streamSeries(ctx, j, jr.opt, func(it seriesItem) bool {
			if it.err == nil {
				if e, ok := EndOf(it.s, it.id); ok {
					ends = append(ends, e)
				}
			}
			select {
			case items <- it:
				return true
			case <-ctx.Done():
				return false
			}
		})
		readAll = ctx.Err() == nil
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range items {
				if ctx.Err() != nil {
					dropped.Store(true)
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
				jr.res.Forecasts += len(s.Forecasts)
			case "skipped":
				jr.rec.Skipped++
				if s.Error != "" {
					jr.res.LeftOut++
					leftOut[s.Series] = true
				} else if v := jr.doneVersion[s.Series]; v != 0 && v != s.ModelVersionID {
					jr.res.ByOtherVersion++
				}
			default:
				jr.rec.Failed++
				if len(jr.res.Failures) < MaxFailures {
					jr.res.Failures = append(jr.res.Failures, s)
				}
			}
			jr.opt.tell(SeriesStored{Job: j.Name, Series: s})
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
	if writeErr != nil {
		return writeErr
	}
	// The reader is done: results closes after items, which it closes.
	jr.res.Horizon = jr.model.Predictor.Horizon()
	jr.res.Ended, jr.res.Latest = EndedEarly(ends, jr.res.Horizon)
	// A series left out (too short for the model) has no forecast that
	// follows its last value: it counts for the others' latest time alone.
	jr.res.Ended = slices.DeleteFunc(jr.res.Ended, func(e SeriesEnd) bool { return leftOut[e.ID] })
	if readErr != nil && (ctx.Err() == nil || readAll) { // not cut short by ctx
		return readErr
	}
	if ctx.Err() != nil && (!readAll || dropped.Load()) {
		return errInterrupted
	}
	return nil
}

// forecastOne forecasts one series, or says why it cannot.
func (jr *jobRun) forecastOne(it seriesItem) *store.BatchSeries {
	start := jr.opt.Clock.Now()
	j := jr.job
	bs := &store.BatchSeries{Job: j.Name, Model: j.Model, Series: it.id, Replace: j.Replace, ModelVersionID: jr.model.Version.ID}
	switch {
	case it.err != nil && ingest.SeriesLeftOut(it.err):
		// A new item of one day, or none with a value yet: left out, as
		// fit leaves it out of a file of several, not failed every day.
		bs.Status, bs.Error, bs.Cutoff, bs.Note = "skipped", it.err.Error(), "-", "left out: "+it.err.Error()
		return bs
	case it.err != nil:
		bs.Status, bs.Error, bs.Cutoff = "failed", it.err.Error(), "-"
		return bs
	}
	bs.Cutoff = it.cutoff()
	if !j.Replace && jr.done[it.id] == bs.Cutoff {
		bs.Status = "skipped"
		return bs
	}
	pred, err := jr.model.Predict(it.s)
	bs.Duration = jr.opt.Clock.Now().Sub(start)
	switch {
	case errors.Is(err, forecast.ErrTooShort) && jr.done[it.id] == "":
		// A new item of three days, under the season its method needs:
		// left out until it has the values, as one of one day is. One
		// forecast before has lost values: that fails.
		bs.Status, bs.Error, bs.Cutoff, bs.Note = "skipped", err.Error(), "-", "left out: "+err.Error()
		return bs
	case err != nil:
		bs.Status, bs.Error = "failed", err.Error()
		return bs
	}
	bs.Status, bs.Forecasts, bs.Note = "done", pred.Forecasts(it.id), pred.Adapted
	return bs
}

// autoText writes a configured lookback or horizon, 0 being auto.
func autoText(n int) string {
	if n == 0 {
		return "auto"
	}
	return strconv.Itoa(n)
}
