package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/forecast-dev/forecast/store"
)

func TestDB_Merge(t *testing.T) {
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		dir := t.TempDir()
		// Shards a and b share a model version and each forecast series of
		// their own; both also forecast "x" from the same cut-off, b later.
		a := MustOpenDBPath(t, filepath.Join(dir, "a.db"))
		run, mv := mustStartBatch(t, a)
		if err := a.SaveBatchSeries(ctx, run.ID, []*store.BatchSeries{
			seriesDone("a1", "#10", mv.ID, 3, false), seriesDone("x", "#10", mv.ID, 3, false)}); err != nil {
			t.Fatal(err)
		}
		if err := a.FinishBatch(ctx, run, nil); err != nil {
			t.Fatal(err)
		}
		MustCloseDB(t, a)
		copyFile(t, filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db"))
		b := MustOpenDBPath(t, filepath.Join(dir, "b.db"))
		if _, err := b.SQL().Exec(`DELETE FROM forecasts WHERE series = 'a1'; DELETE FROM batch_series WHERE series = 'a1'`); err != nil {
			t.Fatal(err)
		}
		run2 := &store.Run{Command: "batch"}
		if err := b.StartBatch(ctx, run2); err != nil {
			t.Fatal(err)
		}
		if err := b.SaveBatchSeries(ctx, run2.ID, []*store.BatchSeries{
			seriesDone("b1", "#10", mv.ID, 3, false), seriesDone("x", "#10", mv.ID, 5, true)}); err != nil {
			t.Fatal(err)
		}
		MustCloseDB(t, b)

		all := MustOpenDB(t)
		for round := 0; round < 2; round++ {
			for _, src := range []string{"a.db", "b.db"} {
				st, err := all.Merge(ctx, filepath.Join(dir, src))
				if err != nil {
					t.Fatal(err)
				}
				if round == 1 && st != (store.MergeStats{}) {
					t.Fatalf("merging %s again: %+v, want nothing", src, st)
				}
				if round == 0 && src == "b.db" && st.Duplicates != 1 {
					t.Fatalf("merging b.db: Duplicates=%d, want 1 (x)", st.Duplicates)
				}
			}
		}
		if got, want := countRows(t, all), "runs=2 model_versions=1 forecasts=11"; got != want {
			t.Fatalf("after merging twice: %s, want %s", got, want)
		}
		// x: b's five forecasts, made later from the same cut-off.
		if got, want := queryInt(t, all.SQL(), `SELECT count(*) FROM forecasts WHERE series = 'x' AND run_id = 2`), 5; got != want {
			t.Fatalf("forecasts of x by run 2=%d, want %d", got, want)
		}
		if got, want := queryInt(t, all.SQL(), `SELECT count(*) FROM batch_series WHERE status = 'done'`), 3; got != want {
			t.Fatalf("done series=%d, want a1, b1, x", got)
		}
		mvs, err := all.ListModelVersions(ctx, "m")
		if err != nil {
			t.Fatal(err)
		} else if len(mvs) != 1 || mvs[0].Version != 1 || mvs[0].RunID != 1 {
			t.Fatalf("versions: %+v", mvs)
		}
	})

	t.Run("ErrSameFile", func(t *testing.T) {
		db := MustOpenDB(t)
		if _, err := db.Merge(ctx, db.Path); err == nil {
			t.Fatal("merged a database into itself")
		}
	})
}

// copyFile copies the file at src to dst.
func copyFile(tb testing.TB, src, dst string) {
	tb.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		tb.Fatal(err)
	}
}
