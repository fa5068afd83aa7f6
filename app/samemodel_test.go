package app_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/forecast-dev/forecast/store"
)

// TestPredictAndBatchAgree checks that forecast predict and a batch job
// that reuses the version (refit = "never") forecast the same new data
// with one stored version bit for bit: a model fitted on one series, which
// forecasts with the scale of its training data, and a global model that
// batch trained, which scales each series by its own history.
func TestPredictAndBatchAgree(t *testing.T) {
	t.Run("one series", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "f.db")
		mustRun(t, 0, append([]string{"fit", writeSeries(t, 300), "--name", "load", "--db", db}, smallFit...)...)
		// New data, longer than the training data and with its trend
		// further on, so that its own scale is not the training data's.
		newData := writeSeries(t, 360)
		predictAndBatchAgree(t, db, newData, newData)
	})
	t.Run("global", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "f.db")
		// The model knows the series of a glob by their files' stems,
		// each with the method chosen for it; predict of one file finds
		// its series' method by the file's stem, as batch does.
		train := writeJobs(t, fmt.Sprintf("[[job]]\nname = \"load\"\nrefit = \"always\"\n\n[job.source]\npath = %q\ntarget = \"load\"\n%s",
			filepath.Join(writeSeriesDir(t, 3, 200), "*.csv"), batchSettings))
		mustRun(t, 0, "batch", train, "--db", db)
		dir := writeSeriesDir(t, 3, 260)
		predictAndBatchAgree(t, db, filepath.Join(dir, "s01.csv"), filepath.Join(dir, "*.csv"))
	})
}

// predictAndBatchAgree forecasts file with forecast predict and source
// with a batch job, both with the newest version of model "load" in db,
// and compares the stored forecasts of file's series.
func predictAndBatchAgree(t *testing.T, db, file, source string) {
	t.Helper()
	mustRun(t, 0, "predict", "--model", "load", file, "--target", "load", "--db", db)
	jobs := writeJobs(t, fmt.Sprintf("[[job]]\nname = \"again\"\nmodel = \"load\"\nrefit = \"never\"\n\n[job.source]\npath = %q\ntarget = \"load\"\n",
		source))
	mustRun(t, 0, "batch", jobs, "--db", db)

	sdb, err := store.OpenForReading(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	runs := func(latest bool, runID int64) []store.ForecastRow {
		rows, err := sdb.FindForecasts(context.Background(), store.ForecastFilter{RunID: runID, LatestRun: latest})
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	batch := runs(true, 0)
	if len(batch) == 0 {
		t.Fatal("the batch stored no forecasts")
	}
	predicted := runs(false, batch[0].RunID-1)
	if len(predicted) == 0 {
		t.Fatal("predict stored no forecasts")
	}
	var same []store.ForecastRow
	for _, r := range batch {
		if r.Series == predicted[0].Series {
			same = append(same, r)
		}
	}
	if len(same) != len(predicted) {
		t.Fatalf("batch stored %d forecasts of %s, predict %d", len(same), predicted[0].Series, len(predicted))
	}
	for i, p := range predicted {
		b := same[i]
		if p.Model != b.Model || p.Version != b.Version {
			t.Fatalf("predict used %s@%d, batch %s@%d", p.Model, p.Version, b.Model, b.Version)
		}
		if p.Step != b.Step || !p.Origin.Equal(b.Origin) || !p.Time.Equal(b.Time) || p.Method != b.Method {
			t.Fatalf("step %d: predict %+v, batch %+v", p.Step, p, b)
		}
		if p.Value != b.Value {
			t.Errorf("step %d: predict %v, batch %v (differ by %g)", p.Step, p.Value, b.Value, p.Value-b.Value)
		}
		if len(p.Intervals) != len(b.Intervals) {
			t.Fatalf("step %d: predict %d intervals, batch %d", p.Step, len(p.Intervals), len(b.Intervals))
		}
		for j := range p.Intervals {
			if p.Intervals[j] != b.Intervals[j] {
				t.Errorf("step %d: predict interval %+v, batch %+v", p.Step, p.Intervals[j], b.Intervals[j])
			}
		}
	}
}
