package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// unfinished is the error a batch run carries until it finishes, so that a
// batch that was killed reads as failed.
const unfinished = "unfinished: the batch is running, or was stopped before it finished"

// BatchJob is one job of a batch run (the batch_jobs table).
type BatchJob struct {
	RunID          int64
	Job            string // the job's name
	Model          string // the model name it forecasts with
	Config         string // the job as it ran (JSON)
	Refit          string // the refit policy
	Decision       string // what the policy decided and why
	ModelVersionID int64  // the version that forecast; 0 if none
	Status         string // "running", "ok" or "failed"
	Error          string
	Done           int // series forecast
	Failed         int // series that failed
	Skipped        int // series forecast before from the same cut-off
	StartedAt      time.Time
	FinishedAt     time.Time
	FitDuration    time.Duration // the refit, if any
	Duration       time.Duration // the whole job
}

// BatchSeries is the outcome of one series of a batch job (the batch_series
// table), with the forecasts to store for it.
type BatchSeries struct {
	Job    string
	Model  string // the job's model name
	Series string
	// Cutoff is the data cut-off: the last time of the series in RFC 3339,
	// or "#" and the number of values for a series without times (see
	// Cutoff).
	Cutoff   string
	Status   string // "done", "skipped" or "failed"
	Error    string // why it failed
	Note     string // what to tell of a done series (not stored), e.g. a part of the model its values left out
	Duration time.Duration

	// ModelVersionID and Forecasts are stored for a done series.
	ModelVersionID int64
	Forecasts      []Forecast

	// Replace says that forecasts of the same model, series and cut-off
	// stored by an earlier run are replaced; else the series is skipped.
	Replace bool
}

// Cutoff returns the data cut-off of a series whose last time is last (zero
// without times) and which has n values.
func Cutoff(last time.Time, n int) string {
	if last.IsZero() {
		return fmt.Sprintf("#%d", n)
	}
	return formatTime(last)
}

// StartBatch records the start of a batch run: a runs row with status
// "failed" and the error "unfinished: ..." until FinishBatch updates it. It
// sets run.ID, StartedAt and Status.
func (db *DB) StartBatch(ctx context.Context, run *Run) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return db.formatError(err)
	}
	defer tx.Rollback()

	r := *run
	r.Status, r.Error, r.Wrote = "failed", unfinished, Wrote{}
	if err := createRun(ctx, tx, &r); err != nil {
		return db.formatError(err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE runs SET finished_at = NULL WHERE id = ?`, r.ID); err != nil {
		return db.formatError(err)
	}
	if err := tx.Commit(); err != nil {
		return db.formatError(err)
	}
	r.FinishedAt = time.Time{}
	*run = r
	return nil
}

// FinishBatch records the end of a batch run: status "ok" if cause is nil,
// else "failed" with cause's message, and what it wrote (run.Wrote), and
// deletes the earlier forecasts the run replaced, in one transaction. It runs
// even if ctx is cancelled, so that an interrupted batch is recorded too. It
// sets run.FinishedAt, Status and Error.
func (db *DB) FinishBatch(ctx context.Context, run *Run, cause error) error {
	ctx = context.WithoutCancel(ctx)
	tx, err := db.begin(ctx)
	if err != nil {
		return db.formatError(err)
	}
	defer tx.Rollback()

	r := *run
	r.Status, r.Error = "ok", ""
	if cause != nil {
		r.Status, r.Error = "failed", cause.Error()
	}
	if _, err := tx.ExecContext(ctx, `UPDATE runs SET finished_at = ?, status = ?, error = ? WHERE id = ?`,
		formatTime(tx.now), r.Status, nullString(r.Error), r.ID); err != nil {
		return db.formatError(err)
	}
	if err := updateWrote(ctx, tx, &r); err != nil {
		return db.formatError(err)
	}
	if err := deleteReplaced(ctx, tx, r.ID); err != nil {
		return db.formatError(err)
	}
	if err := tx.Commit(); err != nil {
		return db.formatError(err)
	}
	r.FinishedAt = tx.now
	*run = r
	return nil
}

// SaveBatchJob inserts job, or updates it if its run already has a job of
// that name. A zero StartedAt means now. A ModelVersionID whose version
// was deleted (models rm) while the job ran is stored as NULL, as the
// deletion would have set it.
func (db *DB) SaveBatchJob(ctx context.Context, job *BatchJob) error {
	ctx = context.WithoutCancel(ctx)
	tx, err := db.begin(ctx)
	if err != nil {
		return db.formatError(err)
	}
	defer tx.Rollback()

	if job.StartedAt.IsZero() {
		job.StartedAt = tx.now
	}
	var mvID any
	if job.ModelVersionID != 0 {
		mvID = job.ModelVersionID
	}
	var fit, total any
	if job.FitDuration > 0 {
		fit = job.FitDuration.Seconds()
	}
	if job.Duration > 0 {
		total = job.Duration.Seconds()
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO batch_jobs (run_id, job, model, config, refit, decision, model_version_id, status, error,
			series_done, series_failed, series_skipped, started_at, finished_at, fit_seconds, seconds)
		VALUES (?, ?, ?, ?, ?, ?, (SELECT id FROM model_versions WHERE id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (run_id, job) DO UPDATE SET
			model = excluded.model, config = excluded.config, refit = excluded.refit,
			decision = excluded.decision, model_version_id = excluded.model_version_id,
			status = excluded.status, error = excluded.error, series_done = excluded.series_done,
			series_failed = excluded.series_failed, series_skipped = excluded.series_skipped,
			finished_at = excluded.finished_at, fit_seconds = excluded.fit_seconds, seconds = excluded.seconds`,
		job.RunID, job.Job, job.Model, job.Config, job.Refit, nullString(job.Decision), mvID, job.Status,
		nullString(job.Error), job.Done, job.Failed, job.Skipped, formatTime(job.StartedAt), nullTime(job.FinishedAt),
		fit, total); err != nil {
		return db.formatError(err)
	}
	return db.formatError(tx.Commit())
}

// SaveBatchModel stores a model version trained by the batch run runID,
// without forecasts, and sets mv's ID, Version, CreatedAt and RunID.
func (db *DB) SaveBatchModel(ctx context.Context, runID int64, mv *ModelVersion) error {
	if mv.Name == "" || mv.Weights == nil {
		return errors.New("save model: name and weights required")
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return db.formatError(err)
	}
	defer tx.Rollback()

	id, version, err := createModelVersion(ctx, tx, mv, runID)
	if err != nil {
		return db.formatError(err)
	}
	if err := addWrote(ctx, tx, runID, func(w *Wrote) {
		w.ModelVersions = append(w.ModelVersions, fmt.Sprintf("%s@%d", mv.Name, version))
	}); err != nil {
		return db.formatError(err)
	}
	if err := tx.Commit(); err != nil {
		return db.formatError(err)
	}
	mv.ID, mv.Version, mv.CreatedAt, mv.RunID = id, version, tx.now, runID
	return nil
}

// SaveBatchSeries stores the outcomes of series of the batch run runID in one
// transaction, each series under a savepoint of its own: a series is stored
// whole (its batch_series row and all its forecasts) or, if its write fails,
// recorded as failed with the error, and the others are stored regardless.
// A done series whose model, series and cut-off an earlier run already did
// is recorded as skipped, or with Replace, or if that run never finished,
// replaces the earlier forecasts (whose row becomes "replaced"; those of a
// run that finished are deleted when this one finishes, see FinishBatch).
// It sets the Status and Error of the series
// it changes. The transaction is a group commit: one sync to disk for many
// series. It runs even if ctx is cancelled, so that the series already
// forecast are kept when a batch is stopped.
func (db *DB) SaveBatchSeries(ctx context.Context, runID int64, ss []*BatchSeries) error {
	ctx = context.WithoutCancel(ctx)
	tx, err := db.begin(ctx)
	if err != nil {
		return db.formatError(err)
	}
	defer tx.Rollback()

	for _, s := range ss {
		if _, err := tx.ExecContext(ctx, `SAVEPOINT series`); err != nil {
			return db.formatError(err)
		}
		if err := saveBatchSeries(ctx, tx, runID, s); err != nil {
			if _, rerr := tx.ExecContext(ctx, `ROLLBACK TO series`); rerr != nil {
				return db.formatError(rerr)
			}
			s.Status, s.Error, s.Forecasts = "failed", fmt.Sprintf("store the forecasts: %v", db.formatError(err)), nil
			if err := insertBatchSeries(ctx, tx, runID, s); err != nil {
				return db.formatError(err)
			}
		}
		if _, err := tx.ExecContext(ctx, `RELEASE series`); err != nil {
			return db.formatError(err)
		}
	}
	if err := addWrote(ctx, tx, runID, func(w *Wrote) {
		for _, s := range ss {
			w.Forecasts += len(s.Forecasts)
			switch s.Status {
			case "done":
				w.SeriesDone++
			case "failed":
				w.SeriesFailed++
			case "skipped":
				w.SeriesSkipped++
			}
		}
	}); err != nil {
		return db.formatError(err)
	}
	return db.formatError(tx.Commit())
}

// addWrote adds to what the batch run runID wrote (runs.wrote) by change,
// in the transaction that writes it, so that a batch killed before it
// finishes names the versions and counts the forecasts it stored.
func addWrote(ctx context.Context, tx *dbTx, runID int64, change func(*Wrote)) error {
	var doc sql.NullString
	if err := tx.QueryRowContext(ctx, `SELECT wrote FROM runs WHERE id = ?`, runID).Scan(&doc); err != nil {
		return fmt.Errorf("run %d: %w", runID, err)
	}
	var w Wrote
	if doc.Valid {
		if err := json.Unmarshal([]byte(doc.String), &w); err != nil {
			return fmt.Errorf("run %d: wrote: %w", runID, err)
		}
	}
	change(&w)
	return updateWrote(ctx, tx, &Run{ID: runID, Wrote: w})
}

// saveBatchSeries writes one series' outcome.
func saveBatchSeries(ctx context.Context, tx *dbTx, runID int64, s *BatchSeries) error {
	if s.Status != "done" {
		return insertBatchSeries(ctx, tx, runID, s)
	}
	if err := checkForecasts(s.Forecasts); err != nil {
		return err
	}
	// A series done by a batch that never finished (killed) is done again:
	// its version is not the model's newest (see findModelVersionID), so
	// its forecasts would be under a version the model's name no longer
	// means.
	var prevRun int64
	var prevKilled bool
	err := tx.QueryRowContext(ctx, `
		SELECT s.run_id, r.finished_at IS NULL AND s.run_id <> ? FROM batch_series AS s JOIN runs AS r ON r.id = s.run_id
		WHERE s.model = ? AND s.series = ? AND s.cutoff = ? AND s.status = 'done'`,
		runID, s.Model, s.Series, s.Cutoff).Scan(&prevRun, &prevKilled)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return err
	case !s.Replace && !prevKilled:
		s.Status, s.Forecasts = "skipped", nil
		return insertBatchSeries(ctx, tx, runID, s)
	default:
		// The forecasts of a killed run go now; those of a run that
		// finished stay until this one finishes (see FinishBatch), so
		// that a batch killed on its way leaves the version the model's
		// name means with every forecast it had.
		// So do those of the same version (a job that reuses it): kept,
		// the version would hold the series twice.
		var sameVersion bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM forecasts WHERE run_id = ? AND series = ? AND model_version_id = ?)`,
			prevRun, s.Series, s.ModelVersionID).Scan(&sameVersion); err != nil {
			return err
		}
		if prevKilled || sameVersion {
			if err := deleteRunForecasts(ctx, tx, prevRun, s.Model, s.Series); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `
			UPDATE batch_series SET status = 'replaced', forecasts = 0
			WHERE run_id = ? AND model = ? AND series = ? AND cutoff = ? AND status = 'done'`,
			prevRun, s.Model, s.Series, s.Cutoff); err != nil {
			return err
		}
	}
	if err := createForecasts(ctx, tx, runID, s.ModelVersionID, s.Forecasts); err != nil {
		if isForeignKeyError(err) {
			return errorf(ErrNotFound, "model version (id %d) not found", s.ModelVersionID)
		}
		return err
	}
	return insertBatchSeries(ctx, tx, runID, s)
}

// deleteRunForecasts deletes the forecasts of series that run stored with
// a version of the model called model.
func deleteRunForecasts(ctx context.Context, tx *dbTx, run int64, model, series string) error {
	_, err := tx.ExecContext(ctx, `
		DELETE FROM forecasts WHERE run_id = ? AND series = ?
			AND model_version_id IN (SELECT id FROM model_versions WHERE name = ?)`,
		run, series, model)
	return err
}

// deleteReplaced deletes the forecasts that the batch run runID replaced:
// those of the earlier runs whose series it did again from the same
// cut-off (their batch_series rows became "replaced" as it stored them).
func deleteReplaced(ctx context.Context, tx *dbTx, runID int64) error {
	_, err := tx.ExecContext(ctx, `
		DELETE FROM forecasts WHERE id IN (
			SELECT f.id FROM batch_series AS done
			JOIN batch_series AS old ON old.model = done.model AND old.series = done.series AND old.cutoff = done.cutoff
				AND old.status = 'replaced' AND old.run_id <> done.run_id
			JOIN model_versions AS v ON v.name = old.model
			JOIN forecasts AS f ON f.run_id = old.run_id AND f.model_version_id = v.id AND f.series = old.series
			WHERE done.run_id = ? AND done.status = 'done')`, runID)
	return err
}

// insertBatchSeries inserts the batch_series row of s.
func insertBatchSeries(ctx context.Context, tx *dbTx, runID int64, s *BatchSeries) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO batch_series (run_id, job, model, series, cutoff, status, error, forecasts, seconds)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		runID, s.Job, s.Model, s.Series, s.Cutoff, s.Status, nullString(s.Error), len(s.Forecasts), s.Duration.Seconds())
	return err
}

// DoneVersions returns, for each series the model called model forecast
// in a batch that finished, the id of the model version its newest done
// forecast was made with (see DoneCutoffs).
func (db *DB) DoneVersions(ctx context.Context, model string) (map[string]int64, error) {
	done := map[string]int64{}
	err := db.eachDone(ctx, model, func(series, _ string, version int64) { done[series] = version })
	return done, err
}

// DoneCutoffs returns, for each series the model called model forecast in
// a batch that finished, the cut-off of its newest done forecast. A batch
// killed before it finished did its series with a version that is not the
// model's newest: they are to be done again.
func (db *DB) DoneCutoffs(ctx context.Context, model string) (map[string]string, error) {
	done := map[string]string{}
	err := db.eachDone(ctx, model, func(series, cutoff string, _ int64) { done[series] = cutoff })
	return done, err
}

// eachDone calls f with each done batch series of the model called model
// in a batch that finished, oldest run first: its series, cut-off and
// the id of the version that forecast it (0 if not known).
func (db *DB) eachDone(ctx context.Context, model string, f func(series, cutoff string, version int64)) error {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return db.formatError(err)
	}
	defer tx.Rollback()

	rows, err := tx.QueryContext(ctx, `
		SELECT s.series, s.cutoff, coalesce(j.model_version_id, 0) FROM batch_series AS s
		JOIN runs AS r ON r.id = s.run_id
		LEFT JOIN batch_jobs AS j ON j.run_id = s.run_id AND j.job = s.job
		WHERE s.model = ? AND s.status = 'done' AND r.finished_at IS NOT NULL
		ORDER BY s.run_id`, model)
	if err != nil {
		return db.formatError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var series, cutoff string
		var version int64
		if err := rows.Scan(&series, &cutoff, &version); err != nil {
			return db.formatError(err)
		}
		f(series, cutoff, version)
	}
	if err := rows.Err(); err != nil {
		return db.formatError(err)
	}
	return db.formatError(tx.Commit())
}
