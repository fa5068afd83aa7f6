package store_test

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/store"
)

// mustStartBatch starts a batch run with a model version m@N and returns
// the run and the version.
func mustStartBatch(tb testing.TB, db *store.DB) (*store.Run, *store.ModelVersion) {
	tb.Helper()
	ctx := context.Background()
	run := &store.Run{Command: "batch", Args: []string{"batch", "jobs.toml"}}
	if err := db.StartBatch(ctx, run); err != nil {
		tb.Fatal(err)
	}
	mv := newModelVersion("m")
	if err := db.SaveBatchModel(ctx, run.ID, mv); err != nil {
		tb.Fatal(err)
	}
	return run, mv
}

// seriesDone is a done batch series of model m with h forecasts.
func seriesDone(name, cutoff string, mvID int64, h int, replace bool) *store.BatchSeries {
	fcs := newForecasts(h)
	for i := range fcs {
		fcs[i].Series = name
	}
	return &store.BatchSeries{Job: "j", Model: "m", Series: name, Cutoff: cutoff, Status: "done",
		ModelVersionID: mvID, Forecasts: fcs, Replace: replace}
}

func TestDB_Batch(t *testing.T) {
	ctx := context.Background()

	// A batch killed before FinishBatch: its run names what it stored.
	t.Run("Unfinished", func(t *testing.T) {
		db := MustOpenDB(t)
		run, mv := mustStartBatch(t, db)
		ss := []*store.BatchSeries{
			seriesDone("a", "#10", mv.ID, 3, false),
			{Job: "j", Model: "m", Series: "bad", Cutoff: "-", Status: "failed", Error: "bad.csv:3: no"},
		}
		if err := db.SaveBatchSeries(ctx, run.ID, ss); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveBatchSeries(ctx, run.ID, []*store.BatchSeries{seriesDone("b", "#10", mv.ID, 3, false)}); err != nil {
			t.Fatal(err)
		}
		runs, err := db.ListRuns(ctx)
		if err != nil {
			t.Fatal(err)
		}
		w := runs[0].Wrote
		if len(w.ModelVersions) != 1 || w.ModelVersions[0] != "m@1" || w.Forecasts != 6 || w.SeriesDone != 2 || w.SeriesFailed != 1 || w.SeriesSkipped != 0 {
			t.Fatalf("an unfinished batch's run wrote %+v, want m@1, 6 forecasts, 2 series done and 1 failed", w)
		}
	})

	// A version of a batch that has not finished (running, or killed)
	// is not the model's newest until the batch finishes.
	t.Run("UnfinishedVersionNotNewest", func(t *testing.T) {
		db := MustOpenDB(t)
		_, mv := mustStartBatch(t, db)
		_, err := db.FindModelVersion(ctx, store.ModelRef{Name: "m"})
		if want := "model \"m\" has only versions of batches that did not finish (m@1 of run 1, running or killed): name one as m@VERSION to use it"; !errors.Is(err, store.ErrNotFound) || err.Error() != want {
			t.Fatalf("the newest m with only an unfinished batch's version: %v, want %q", err, want)
		}
		if err := db.SaveFit(ctx, newRun(), newModelVersion("m"), newForecasts(2)); err != nil {
			t.Fatal(err)
		}
		run2 := &store.Run{Command: "batch"}
		if err := db.StartBatch(ctx, run2); err != nil {
			t.Fatal(err)
		}
		mv3 := newModelVersion("m")
		if err := db.SaveBatchModel(ctx, run2.ID, mv3); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveBatchSeries(ctx, run2.ID, []*store.BatchSeries{seriesDone("b", "#10", mv3.ID, 3, false)}); err != nil {
			t.Fatal(err)
		}
		// The forecasts of every model's newest version: m@2's.
		if fcs, err := db.FindForecasts(ctx, store.ForecastFilter{}); err != nil || len(fcs) != 2 || fcs[0].Version != 2 {
			t.Fatalf("forecasts of the newest versions while m@3's batch runs: %d, %v; want m@2's 2", len(fcs), err)
		}
		if mvs, err := db.ListModelVersions(ctx, "m"); err != nil || len(mvs) != 3 || mvs[2].Unfinished == false || mvs[1].Unfinished {
			t.Fatalf("versions: %v; want m@3 alone unfinished", err)
		}
		newest := func() int {
			t.Helper()
			got, err := db.FindModelVersion(ctx, store.ModelRef{Name: "m"})
			if err != nil {
				t.Fatal(err)
			}
			return got.Version
		}
		if v := newest(); v != 2 {
			t.Fatalf("newest m is m@%d while m@3's batch runs, want the fit's m@2", v)
		}
		if got, err := db.FindModelVersion(ctx, store.ModelRef{Name: "m", Version: mv.Version}); err != nil || got.ID != mv.ID {
			t.Fatalf("m@1 named: %v", err)
		}
		// The API's forecast of a series by the model's name (the serve
		// answered m@3's, where the CLI found none): not until it finishes,
		// unless its version is named.
		if fc, err := db.FindSeriesForecast(ctx, store.ModelRef{Name: "m"}, "b", time.Time{}); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("forecast of b by m while m@3's batch runs: %+v, %v; want none", fc, err)
		}
		if fc, err := db.FindSeriesForecast(ctx, store.ModelRef{Name: "m", Version: 3}, "b", time.Time{}); err != nil || fc.Version != 3 {
			t.Fatalf("forecast of b by m@3 named: %v", err)
		}
		if err := db.FinishBatch(ctx, run2, nil); err != nil {
			t.Fatal(err)
		}
		if v := newest(); v != 3 {
			t.Fatalf("newest m is m@%d once m@3's batch finished, want 3", v)
		}
		if fc, err := db.FindSeriesForecast(ctx, store.ModelRef{Name: "m"}, "b", time.Time{}); err != nil || fc.Version != 3 {
			t.Fatalf("forecast of b by m once m@3's batch finished: %v", err)
		}
	})

	// The version a job forecasts with, deleted while it runs: the job
	// is still closed.
	t.Run("JobOfDeletedVersion", func(t *testing.T) {
		db := MustOpenDB(t)
		run, mv := mustStartBatch(t, db)
		job := &store.BatchJob{RunID: run.ID, Job: "j", Model: "m", Config: `{}`, Refit: "never", Status: "running", ModelVersionID: mv.ID}
		if err := db.SaveBatchJob(ctx, job); err != nil {
			t.Fatal(err)
		}
		if _, err := db.DeleteModelVersion(ctx, store.ModelRef{Name: "m", Version: 1}, true); err != nil {
			t.Fatal(err)
		}
		job.Status, job.Error, job.Failed = "failed", "1 of 1 series failed", 1
		if err := db.SaveBatchJob(ctx, job); err != nil {
			t.Fatalf("closing the job of a deleted version: %v", err)
		}
		if got, want := queryString(t, db, `SELECT status || ' ' || series_failed || ' ' || coalesce(model_version_id, 'NULL') FROM batch_jobs`), "failed 1 NULL"; got != want {
			t.Fatalf("batch_jobs: %q, want %q", got, want)
		}
	})

	t.Run("OK", func(t *testing.T) {
		db := MustOpenDB(t)
		run, mv := mustStartBatch(t, db)
		runs, err := db.ListRuns(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := runs[0]; got.Status != "failed" || got.Error == "" || !got.FinishedAt.IsZero() {
			t.Fatalf("a started batch reads %+v, want failed, unfinished", *got)
		}
		job := &store.BatchJob{RunID: run.ID, Job: "j", Model: "m", Config: `{}`, Refit: "never", Status: "running"}
		if err := db.SaveBatchJob(ctx, job); err != nil {
			t.Fatal(err)
		}
		ss := []*store.BatchSeries{
			seriesDone("a", "2024-01-01T00:00:00Z", mv.ID, 3, false),
			{Job: "j", Model: "m", Series: "bad", Cutoff: "-", Status: "failed", Error: "bad.csv:3: no"},
			seriesDone("b", "#100", mv.ID, 3, false),
		}
		if err := db.SaveBatchSeries(ctx, run.ID, ss); err != nil {
			t.Fatal(err)
		}
		job.Status, job.Done, job.Failed, job.Duration = "failed", 2, 1, 1500*time.Millisecond
		if err := db.SaveBatchJob(ctx, job); err != nil {
			t.Fatal(err)
		}
		run.Wrote = store.Wrote{Forecasts: 6, SeriesDone: 2, SeriesFailed: 1}
		if err := db.FinishBatch(ctx, run, errors.New("1 of 3 series failed")); err != nil {
			t.Fatal(err)
		}

		if got, want := countRows(t, db), "runs=1 model_versions=1 forecasts=6"; got != want {
			t.Fatalf("rows: %s, want %s", got, want)
		}
		if got, want := queryString(t, db, `SELECT job || ' ' || status || ' ' || series_done || ' ' || series_failed || ' ' || seconds FROM batch_jobs`), "j failed 2 1 1.5"; got != want {
			t.Fatalf("batch_jobs: %q, want %q", got, want)
		}
		if got, want := queryString(t, db, `SELECT group_concat(series || ':' || status || ':' || cutoff || ':' || forecasts, ' ') FROM (SELECT * FROM batch_series ORDER BY series)`),
			"a:done:2024-01-01T00:00:00Z:3 b:done:#100:3 bad:failed:-:0"; got != want {
			t.Fatalf("batch_series: %q, want %q", got, want)
		}
		runs, err = db.ListRuns(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if r := runs[0]; r.Status != "failed" || r.Error != "1 of 3 series failed" || r.FinishedAt.IsZero() || r.Wrote.SeriesDone != 2 {
			t.Fatalf("finished batch: %+v", *r)
		}
		done, err := db.DoneCutoffs(ctx, "m")
		if err != nil {
			t.Fatal(err)
		} else if len(done) != 2 || done["a"] != "2024-01-01T00:00:00Z" || done["b"] != "#100" {
			t.Fatalf("DoneCutoffs=%v", done)
		}
	})

	t.Run("SkipSameCutoff", func(t *testing.T) {
		db := MustOpenDB(t)
		run, mv := mustStartBatch(t, db)
		if err := db.SaveBatchSeries(ctx, run.ID, []*store.BatchSeries{seriesDone("a", "#10", mv.ID, 3, false)}); err != nil {
			t.Fatal(err)
		}
		if err := db.FinishBatch(ctx, run, nil); err != nil {
			t.Fatal(err)
		}
		run2, _ := mustStartBatch(t, db)
		again := seriesDone("a", "#10", mv.ID, 3, false)
		later := seriesDone("a", "#11", mv.ID, 3, false)
		if err := db.SaveBatchSeries(ctx, run2.ID, []*store.BatchSeries{again, later}); err == nil {
			t.Fatal("want a conflict: one run, one series, two rows")
		}
		if err := db.SaveBatchSeries(ctx, run2.ID, []*store.BatchSeries{again}); err != nil {
			t.Fatal(err)
		}
		if again.Status != "skipped" {
			t.Fatalf("status=%q, want skipped", again.Status)
		}
		if got, want := queryInt(t, db.SQL(), `SELECT count(*) FROM forecasts`), 3; got != want {
			t.Fatalf("forecasts=%d, want %d", got, want)
		}
	})

	// A series done by a batch that was killed is done again by the
	// next, with the version the model's name now means.
	t.Run("KilledRunDoneAgain", func(t *testing.T) {
		db := MustOpenDB(t)
		run, mv := mustStartBatch(t, db)
		if err := db.SaveBatchSeries(ctx, run.ID, []*store.BatchSeries{seriesDone("a", "#10", mv.ID, 3, false)}); err != nil {
			t.Fatal(err)
		}
		if done, err := db.DoneCutoffs(ctx, "m"); err != nil || len(done) != 0 {
			t.Fatalf("DoneCutoffs after a killed run: %v, %v; want none", done, err)
		}
		run2, mv2 := mustStartBatch(t, db)
		again := seriesDone("a", "#10", mv2.ID, 3, false)
		if err := db.SaveBatchSeries(ctx, run2.ID, []*store.BatchSeries{again}); err != nil {
			t.Fatal(err)
		}
		if again.Status != "done" {
			t.Fatalf("status=%q, want done", again.Status)
		}
		if got, want := queryString(t, db, `SELECT group_concat(run_id || ':' || status, ' ') FROM (SELECT * FROM batch_series ORDER BY run_id)`), "1:replaced 2:done"; got != want {
			t.Fatalf("batch_series %q, want %q", got, want)
		}
		if got, want := queryInt(t, db.SQL(), `SELECT count(*) FROM forecasts WHERE run_id = 2`), 3; got != want {
			t.Fatalf("forecasts of run 2=%d, want %d", got, want)
		}
	})

	t.Run("ReplaceSameCutoff", func(t *testing.T) {
		db := MustOpenDB(t)
		run, mv := mustStartBatch(t, db)
		if err := db.SaveBatchSeries(ctx, run.ID, []*store.BatchSeries{seriesDone("a", "#10", mv.ID, 3, false)}); err != nil {
			t.Fatal(err)
		}
		run2, mv2 := mustStartBatch(t, db)
		again := seriesDone("a", "#10", mv2.ID, 4, true)
		if err := db.SaveBatchSeries(ctx, run2.ID, []*store.BatchSeries{again}); err != nil {
			t.Fatal(err)
		}
		if again.Status != "done" {
			t.Fatalf("status=%q, want done", again.Status)
		}
		if got, want := queryInt(t, db.SQL(), `SELECT count(*) FROM forecasts`), 4; got != want {
			t.Fatalf("forecasts=%d, want the 4 of the replacing run", got)
		}
		if got, want := queryInt(t, db.SQL(), `SELECT count(*) FROM batch_series WHERE status = 'replaced' AND run_id = 1`), 1; got != want {
			t.Fatalf("replaced rows=%d, want %d", got, want)
		}
	})

	// A replacing batch deletes the forecasts of a run that finished when
	// it finishes itself: killed on its way, it left the version the
	// model's name means without the forecasts of the series it had done.
	t.Run("ReplaceKeepsUntilFinished", func(t *testing.T) {
		db := MustOpenDB(t)
		run1, mv1 := mustStartBatch(t, db)
		if err := db.SaveBatchSeries(ctx, run1.ID, []*store.BatchSeries{seriesDone("a", "#10", mv1.ID, 3, false), seriesDone("b", "#10", mv1.ID, 3, false)}); err != nil {
			t.Fatal(err)
		}
		if err := db.FinishBatch(ctx, run1, nil); err != nil {
			t.Fatal(err)
		}
		run2, mv2 := mustStartBatch(t, db) // killed after storing a
		if err := db.SaveBatchSeries(ctx, run2.ID, []*store.BatchSeries{seriesDone("a", "#10", mv2.ID, 4, true)}); err != nil {
			t.Fatal(err)
		}
		if fcs, err := db.FindForecasts(ctx, store.ForecastFilter{Model: &store.ModelRef{Name: "m"}}); err != nil || len(fcs) != 6 || fcs[0].Version != 1 {
			t.Fatalf("forecasts of m after a replacing batch was killed: %d, %v; want m@1's 6, of a and b", len(fcs), err)
		}
		run3, mv3 := mustStartBatch(t, db)
		if err := db.SaveBatchSeries(ctx, run3.ID, []*store.BatchSeries{seriesDone("a", "#10", mv3.ID, 5, true), seriesDone("b", "#10", mv3.ID, 5, true)}); err != nil {
			t.Fatal(err)
		}
		if got, want := queryString(t, db, `SELECT group_concat(run_id || ':' || n, ' ') FROM (SELECT run_id, count(*) AS n FROM forecasts GROUP BY run_id ORDER BY run_id)`), "1:6 3:10"; got != want {
			t.Fatalf("forecasts by run while the third batch runs: %q, want %q (the killed run's gone, the finished run's kept)", got, want)
		}
		if err := db.FinishBatch(ctx, run3, nil); err != nil {
			t.Fatal(err)
		}
		if got, want := queryString(t, db, `SELECT group_concat(run_id || ':' || n, ' ') FROM (SELECT run_id, count(*) AS n FROM forecasts GROUP BY run_id ORDER BY run_id)`), "3:10"; got != want {
			t.Fatalf("forecasts by run once the third batch finished: %q, want %q", got, want)
		}
		if got, want := queryString(t, db, `SELECT group_concat(run_id || ':' || series || ':' || status, ' ') FROM (SELECT * FROM batch_series ORDER BY run_id, series)`), "1:a:replaced 1:b:replaced 2:a:replaced 3:a:done 3:b:done"; got != want {
			t.Fatalf("batch_series %q, want %q", got, want)
		}
	})

	// A replacing run of the same version (refit never) deletes the
	// earlier forecasts at once: kept to its end, the version held each
	// series twice, for good if the run was killed.
	t.Run("ReplaceSameVersionAtOnce", func(t *testing.T) {
		db := MustOpenDB(t)
		run1, mv := mustStartBatch(t, db)
		if err := db.SaveBatchSeries(ctx, run1.ID, []*store.BatchSeries{seriesDone("a", "#10", mv.ID, 3, false)}); err != nil {
			t.Fatal(err)
		}
		if err := db.FinishBatch(ctx, run1, nil); err != nil {
			t.Fatal(err)
		}
		run2 := &store.Run{Command: "batch"}
		if err := db.StartBatch(ctx, run2); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveBatchSeries(ctx, run2.ID, []*store.BatchSeries{seriesDone("a", "#10", mv.ID, 3, true)}); err != nil {
			t.Fatal(err)
		}
		if got, want := queryString(t, db, `SELECT group_concat(run_id || ':' || n, ' ') FROM (SELECT run_id, count(*) AS n FROM forecasts GROUP BY run_id ORDER BY run_id)`), "2:3"; got != want {
			t.Fatalf("forecasts by run while the reusing batch runs: %q, want %q", got, want)
		}
	})

	t.Run("FailedWriteKeepsOthers", func(t *testing.T) {
		db := MustOpenDB(t)
		run, mv := mustStartBatch(t, db)
		bad := seriesDone("bad", "#10", mv.ID+99, 3, false) // no such model version
		good := seriesDone("good", "#10", mv.ID, 3, false)
		if err := db.SaveBatchSeries(ctx, run.ID, []*store.BatchSeries{bad, good}); err != nil {
			t.Fatal(err)
		}
		if bad.Status != "failed" || bad.Error == "" || good.Status != "done" {
			t.Fatalf("bad %s %q, good %s", bad.Status, bad.Error, good.Status)
		}
		if got, want := queryInt(t, db.SQL(), `SELECT count(*) FROM forecasts WHERE series = 'good'`), 3; got != want {
			t.Fatalf("forecasts of good=%d, want %d", got, want)
		}
		if got := queryInt(t, db.SQL(), `SELECT count(*) FROM forecasts WHERE series = 'bad'`); got != 0 {
			t.Fatalf("forecasts of bad=%d, want none", got)
		}
	})
}

func TestDB_Lock(t *testing.T) {
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		db := MustOpenDB(t)
		l, err := db.Lock(ctx, "batch", "batch", 0, time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		if err := l.Unlock(ctx); err != nil {
			t.Fatal(err)
		}
		if got := queryInt(t, db.SQL(), `SELECT count(*) FROM locks`); got != 0 {
			t.Fatalf("locks=%d after Unlock", got)
		}
	})

	t.Run("ErrLocked", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "forecast.db")
		db1, db2 := MustOpenDBPath(t, path), MustOpenDBPath(t, path)
		l, err := db1.Lock(ctx, "batch", "schedule", 0, time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_, err = db2.Lock(ctx, "batch", "batch", 50*time.Millisecond, 10*time.Millisecond)
		if !errors.Is(err, store.ErrLocked) {
			t.Fatalf("err=%v, want ErrLocked", err)
		}
		if waited := time.Since(start); waited < 50*time.Millisecond {
			t.Fatalf("gave up after %v, want a 50ms wait", waited)
		}
		want := "database " + path + " is in use by forecast schedule (pid "
		if got := err.Error(); len(got) < len(want) || got[:len(want)] != want {
			t.Fatalf("error %q, want it to start %q", got, want)
		}
		if err := l.Unlock(ctx); err != nil {
			t.Fatal(err)
		}
		l2, err := db2.Lock(ctx, "batch", "batch", 0, time.Millisecond)
		if err != nil {
			t.Fatalf("after Unlock: %v", err)
		}
		l2.Unlock(ctx)
	})

	t.Run("StaleDeadProcess", func(t *testing.T) {
		db := MustOpenDB(t)
		host, _ := os.Hostname()
		// A pid above the kernel's limit belongs to no process.
		if _, err := db.SQL().Exec(`INSERT INTO locks VALUES ('batch', 'x', ?, 99999999, 'batch', '2024-03-01T12:00:00Z', '2024-03-01T12:00:00Z')`, host); err != nil {
			t.Fatal(err)
		}
		l, err := db.Lock(ctx, "batch", "batch", 0, time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Unlock(ctx)
		if l.TookStale == "" {
			t.Fatal("TookStale is empty")
		}
	})

	t.Run("StaleHeartbeat", func(t *testing.T) {
		db := MustOpenDB(t)
		// Another host's process, whose heartbeat stopped an hour ago,
		// killed while a job of its batch ran.
		if _, err := db.SQL().Exec(`INSERT INTO locks VALUES ('batch', 'x', 'elsewhere', 1, 'batch', '2024-03-01T11:00:00Z', '2024-03-01T11:00:00Z')`); err != nil {
			t.Fatal(err)
		}
		run, _ := mustStartBatch(t, db)
		if err := db.SaveBatchJob(ctx, &store.BatchJob{RunID: run.ID, Job: "j", Model: "m", Config: `{}`, Refit: "never", Status: "running"}); err != nil {
			t.Fatal(err)
		}
		l, err := db.Lock(ctx, "batch", "batch", 0, time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		l.Unlock(ctx)
		// The job can no longer be running: it reads as failed, unfinished.
		if got := queryString(t, db, `SELECT status || ': ' || error FROM batch_jobs`); got != "failed: unfinished: the batch was stopped before this job finished" {
			t.Errorf("the stopped batch's job reads %q", got)
		}
	})

	t.Run("FindBatchJobsOfAStoppedBatch", func(t *testing.T) {
		// Its job read "running" (in /v1/runs too) until the next batch
		// took the lock; with no live holder it reads as stopped, and
		// with one as running.
		for _, tt := range []struct{ beat, want string }{
			{"2024-03-01T11:00:00Z", "failed " + "unfinished: the batch was stopped before this job finished"},
			{"2024-03-01T12:00:00Z", "running "},
		} {
			db := MustOpenDB(t)
			if _, err := db.SQL().Exec(`INSERT INTO locks VALUES ('batch', 'x', 'elsewhere', 1, 'batch', ?, ?)`, tt.beat, tt.beat); err != nil {
				t.Fatal(err)
			}
			run, _ := mustStartBatch(t, db)
			if err := db.SaveBatchJob(ctx, &store.BatchJob{RunID: run.ID, Job: "j", Model: "m", Config: `{}`, Refit: "never", Status: "running"}); err != nil {
				t.Fatal(err)
			}
			jobs, err := db.FindBatchJobs(ctx, run.ID)
			if err != nil || len(jobs) != 1 || jobs[0].Status+" "+jobs[0].Error != tt.want {
				t.Errorf("heartbeat %s: %+v, %v; want %q", tt.beat, jobs, err, tt.want)
			}
		}
	})

	t.Run("LiveOtherHost", func(t *testing.T) {
		db := MustOpenDB(t)
		if _, err := db.SQL().Exec(`INSERT INTO locks VALUES ('batch', 'x', 'elsewhere', 1, 'batch', '2024-03-01T12:00:00Z', '2024-03-01T12:00:00Z')`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Lock(ctx, "batch", "batch", 0, time.Millisecond); !errors.Is(err, store.ErrLocked) {
			t.Fatalf("err=%v, want ErrLocked: a fresh heartbeat from another host", err)
		}
	})
}

// queryString runs a query that returns one text value.
func queryString(tb testing.TB, db *store.DB, query string) string {
	tb.Helper()
	var s string
	if err := db.SQL().QueryRow(query).Scan(&s); err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
	return s
}

// Two jobs of one run whose series share a name (two files with a "sales"
// column), each with its own model, both store their forecasts.
func TestDB_SaveBatchSeries_SameSeriesTwoModels(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	run, m := mustStartBatch(t, db)
	n := newModelVersion("n")
	if err := db.SaveBatchModel(ctx, run.ID, n); err != nil {
		t.Fatal(err)
	}
	fromN := seriesDone("sales", "#10", n.ID, 3, false)
	fromN.Job, fromN.Model = "k", "n"
	ss := []*store.BatchSeries{seriesDone("sales", "#10", m.ID, 3, false), fromN}
	if err := db.SaveBatchSeries(ctx, run.ID, ss); err != nil {
		t.Fatal(err)
	}
	for _, s := range ss {
		if s.Status != "done" {
			t.Fatalf("job %s: %s (%s), want done", s.Job, s.Status, s.Error)
		}
	}
	if got, want := queryInt(t, db.SQL(), `SELECT count(*) FROM forecasts WHERE series = 'sales'`), 6; got != want {
		t.Fatalf("forecasts of sales=%d, want %d (3 of each model)", got, want)
	}
}

// A series whose forecasts are not finite fails and stores nothing: ±Inf
// would break every JSON reader of the database.
func TestDB_SaveBatchSeries_Inf(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	run, mv := mustStartBatch(t, db)
	inf := seriesDone("x", "#10", mv.ID, 3, false)
	inf.Forecasts[2].Value = math.Inf(1)
	if err := db.SaveBatchSeries(ctx, run.ID, []*store.BatchSeries{inf}); err != nil {
		t.Fatal(err)
	}
	if inf.Status != "failed" || !strings.Contains(inf.Error, `forecast of series "x" for 2024-03-01T02:00:00+01:00 is +Inf, not a finite number`) {
		t.Fatalf("status %s, error %q; want failed for +Inf", inf.Status, inf.Error)
	}
	if got := queryInt(t, db.SQL(), `SELECT count(*) FROM forecasts`); got != 0 {
		t.Fatalf("forecasts=%d, want 0", got)
	}
}
