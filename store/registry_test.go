package store_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/forecast-dev/forecast/store"
)

// mustSaveVersions saves n versions of air, version v with v forecasts.
func mustSaveVersions(tb testing.TB, db *store.DB, n int) {
	tb.Helper()
	for v := 1; v <= n; v++ {
		if err := db.SaveFit(context.Background(), newRun(), newModelVersion("air"), newForecasts(v)); err != nil {
			tb.Fatal(err)
		}
	}
}

func TestCheckAlias(t *testing.T) {
	for _, tt := range []struct {
		alias, err string
	}{
		{"champion", ""},
		{"v2.prod-eu_1", ""},
		{"", "an alias must not be empty"},
		{"latest", `the alias "latest" is reserved: NAME@latest is always the newest version`},
		{"2nd", `alias "2nd" must start with a letter a-z or A-Z`},
		{"été", `alias "été" must start with a letter a-z or A-Z`},
		{"a b", `alias "a b" may hold only letters a-z and A-Z, digits, '_', '-' and '.'`},
	} {
		err := store.CheckAlias(tt.alias)
		if got := fmt.Sprint(err); (err == nil) != (tt.err == "") || err != nil && got != tt.err {
			t.Errorf("CheckAlias(%q)=%v, want %q", tt.alias, err, tt.err)
		}
	}
}

func TestDB_SetAlias(t *testing.T) {
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		db := MustOpenDB(t)
		mustSaveVersions(t, db, 3)
		for _, tt := range []struct {
			ref      store.ModelRef
			alias    string
			previous int
		}{
			{store.ModelRef{Name: "air", Version: 1}, "champion", 0},
			{store.ModelRef{Name: "air", Version: 2}, "challenger", 0},
			{store.ModelRef{Name: "air", Alias: "challenger"}, "champion", 1}, // moves it to version 2
			{store.ModelRef{Name: "air"}, "newest", 0},
		} {
			if prev, err := db.SetAlias(ctx, tt.ref, tt.alias); err != nil {
				t.Fatal(err)
			} else if prev != tt.previous {
				t.Fatalf("SetAlias(%s, %s)=%d, want %d", tt.ref, tt.alias, prev, tt.previous)
			}
		}
		mvs, err := db.ListModelVersions(ctx, "air")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, mv := range mvs {
			got = append(got, fmt.Sprintf("%s%v", mv.Ref(), mv.Aliases))
		}
		if got, want := fmt.Sprint(got), "[air@1[] air@2[challenger champion] air@3[newest]]"; got != want {
			t.Fatalf("aliases %s, want %s", got, want)
		}
		if mv, err := db.FindModelVersion(ctx, store.ModelRef{Name: "air", Alias: "champion"}); err != nil {
			t.Fatal(err)
		} else if mv.Version != 2 || !reflect.DeepEqual(mv.Aliases, []string{"challenger", "champion"}) {
			t.Fatalf("air@champion is %s with %v", mv.Ref(), mv.Aliases)
		}
		if v, err := db.DeleteAlias(ctx, "air", "challenger"); err != nil || v != 2 {
			t.Fatalf("DeleteAlias=%d, %v; want 2", v, err)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		db := MustOpenDB(t)
		mustSaveVersions(t, db, 1)
		for _, ref := range []store.ModelRef{{Name: "air", Version: 2}, {Name: "sun"}, {Name: "air", Alias: "x"}} {
			if _, err := db.SetAlias(ctx, ref, "champion"); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("%s: err=%v, want ErrNotFound", ref, err)
			}
		}
		if _, err := db.DeleteAlias(ctx, "air", "champion"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("DeleteAlias: err=%v, want ErrNotFound", err)
		} else if got, want := err.Error(), `model "air" has no alias "champion"`; got != want {
			t.Fatalf("error=%q, want %q", got, want)
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		db := MustOpenDB(t)
		mustSaveVersions(t, db, 1)
		if _, err := db.SetAlias(ctx, store.ModelRef{Name: "air"}, "latest"); err == nil {
			t.Fatal("alias latest: expected error")
		}
	})
}

func TestDB_SetTags(t *testing.T) {
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		db := MustOpenDB(t)
		mustSaveVersions(t, db, 2)
		ref := store.ModelRef{Name: "air", Version: 1}
		if err := db.SetTags(ctx, ref, map[string]string{"owner": "ops", "stage": "test", "note": "x=y"}, nil); err != nil {
			t.Fatal(err)
		}
		if err := db.SetTags(ctx, ref, map[string]string{"stage": "prod"}, []string{"note"}); err != nil {
			t.Fatal(err)
		}
		if mv, err := db.FindModelVersion(ctx, ref); err != nil {
			t.Fatal(err)
		} else if got, want := mv.Tags, map[string]string{"owner": "ops", "stage": "prod"}; !reflect.DeepEqual(got, want) {
			t.Fatalf("Tags=%v, want %v", got, want)
		}
		if mv, err := db.FindModelVersion(ctx, store.ModelRef{Name: "air"}); err != nil {
			t.Fatal(err)
		} else if mv.Tags != nil {
			t.Fatalf("air@2 Tags=%v, want none", mv.Tags)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		db := MustOpenDB(t)
		mustSaveVersions(t, db, 1)
		ref := store.ModelRef{Name: "air", Version: 1}
		err := db.SetTags(ctx, ref, map[string]string{"a": "1"}, []string{"missing"})
		if !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("err=%v, want ErrNotFound", err)
		} else if got, want := err.Error(), `model air@1 has no tag "missing"`; got != want {
			t.Fatalf("error=%q, want %q", got, want)
		}
		if mv, err := db.FindModelVersion(ctx, ref); err != nil || mv.Tags != nil {
			t.Fatalf("a failed SetTags left tags %v (%v)", mv.Tags, err)
		}
		if err := db.SetTags(ctx, store.ModelRef{Name: "sun"}, map[string]string{"a": "1"}, nil); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("err=%v, want ErrNotFound", err)
		}
	})
}

func TestDB_DeleteModelVersion(t *testing.T) {
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		db := MustOpenDB(t)
		mustSaveVersions(t, db, 2)
		if err := db.SaveFit(ctx, newRun(), newModelVersion("sun"), nil); err != nil {
			t.Fatal(err)
		}
		// A version without forecasts goes without cascade; a refit loses
		// its parent, and the tags go with the version.
		child := newModelVersion("sun")
		sun1, err := db.FindModelVersion(ctx, store.ModelRef{Name: "sun"})
		if err != nil {
			t.Fatal(err)
		}
		child.ParentID = sun1.ID
		if err := db.SaveFit(ctx, newRun(), child, nil); err != nil {
			t.Fatal(err)
		}
		if mv, err := db.FindModelVersion(ctx, store.ModelRef{Name: "sun", Version: 2}); err != nil || mv.Parent != "sun@1" {
			t.Fatalf("sun@2 Parent=%q (%v), want sun@1", mv.Parent, err)
		}
		if err := db.SetTags(ctx, store.ModelRef{Name: "sun", Version: 1}, map[string]string{"a": "1"}, nil); err != nil {
			t.Fatal(err)
		}
		if n, err := db.DeleteModelVersion(ctx, store.ModelRef{Name: "sun", Version: 1}, false); err != nil || n != 0 {
			t.Fatalf("rm sun@1: %d, %v", n, err)
		}
		if mv, err := db.FindModelVersion(ctx, store.ModelRef{Name: "sun", Version: 2}); err != nil || mv.ParentID != 0 || mv.Parent != "" {
			t.Fatalf("sun@2 after rm of its parent: %+v, %v", mv, err)
		}
		// With cascade, the forecasts go too; the runs stay.
		if n, err := db.DeleteModelVersion(ctx, store.ModelRef{Name: "air", Version: 2}, true); err != nil || n != 2 {
			t.Fatalf("rm --cascade air@2: %d, %v; want 2 forecasts", n, err)
		}
		if got, want := countRows(t, db), "runs=4 model_versions=2 forecasts=1"; got != want {
			t.Fatalf("%s, want %s", got, want)
		}
		if got := queryInt(t, db.SQL(), `SELECT count(*) FROM model_tags`); got != 0 {
			t.Fatalf("%d tags left", got)
		}
		// Version numbers are never reused: air@2 was deleted, the next
		// version of air is air@3.
		mv := newModelVersion("air")
		if err := db.SaveFit(ctx, newRun(), mv, nil); err != nil || mv.Version != 3 {
			t.Fatalf("next air version %d, %v; want 3", mv.Version, err)
		}
	})

	// A batch holding a version deleted under it, the newest, while
	// another model is stored: its forecasts must not go to the other.
	t.Run("IDNeverGivenAgain", func(t *testing.T) {
		db := MustOpenDB(t)
		run, mv := mustStartBatch(t, db)
		if _, err := db.DeleteModelVersion(ctx, store.ModelRef{Name: "m", Version: 1}, true); err != nil {
			t.Fatal(err)
		}
		other := newModelVersion("other")
		if err := db.SaveFit(ctx, newRun(), other, nil); err != nil {
			t.Fatal(err)
		}
		if other.ID == mv.ID {
			t.Fatalf("other@1 has the id %d of the deleted m@1", other.ID)
		}
		s := seriesDone("a", "#10", mv.ID, 3, false)
		if err := db.SaveBatchSeries(ctx, run.ID, []*store.BatchSeries{s}); err != nil {
			t.Fatal(err)
		}
		if s.Status != "failed" || !strings.Contains(s.Error, "not found") {
			t.Fatalf("series of the deleted version: %s %q, want failed, not found", s.Status, s.Error)
		}
		if got := queryInt(t, db.SQL(), `SELECT count(*) FROM forecasts`); got != 0 {
			t.Fatalf("%d forecasts stored for the deleted version", got)
		}
		// An insert that leaves the id to SQLite would take the freed id
		// again: it is refused.
		if _, err := db.SQL().Exec(`INSERT INTO model_versions (name, version, created_at, weights, export, seed)
			SELECT 'raw', 1, created_at, weights, export, seed FROM model_versions`); err == nil || !strings.Contains(err.Error(), "model_version_ids") {
			t.Fatalf("an insert without an id: %v, want refused", err)
		}
	})

	t.Run("ErrConflict", func(t *testing.T) {
		db := MustOpenDB(t)
		mustSaveVersions(t, db, 2)
		if _, err := db.SetAlias(ctx, store.ModelRef{Name: "air", Version: 2}, "champion"); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			ref     store.ModelRef
			cascade bool
			want    string
		}{
			{store.ModelRef{Name: "air", Version: 1}, false, "model air@1 has 1 stored forecasts: delete them with it (cascade) or keep it"},
			{store.ModelRef{Name: "air", Version: 2}, true, "model air@2 is aliased as champion: move or remove the alias first"},
		} {
			_, err := db.DeleteModelVersion(ctx, tt.ref, tt.cascade)
			if !errors.Is(err, store.ErrConflict) {
				t.Fatalf("%s: err=%v, want ErrConflict", tt.ref, err)
			} else if got := err.Error(); got != tt.want {
				t.Fatalf("%s: error=%q, want %q", tt.ref, got, tt.want)
			}
		}
		if got, want := countRows(t, db), "runs=2 model_versions=2 forecasts=3"; got != want {
			t.Fatalf("%s, want %s", got, want)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		db := MustOpenDB(t)
		mustSaveVersions(t, db, 1)
		if _, err := db.DeleteModelVersion(ctx, store.ModelRef{Name: "air", Version: 2}, true); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("err=%v, want ErrNotFound", err)
		}
	})
}

func TestDB_ListModelVersions(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	mustSaveVersions(t, db, 2)
	if err := db.SaveFit(ctx, newRun(), newModelVersion("sun"), nil); err != nil {
		t.Fatal(err)
	}

	t.Run("OK", func(t *testing.T) {
		mvs, err := db.ListModelVersions(ctx, "air")
		if err != nil {
			t.Fatal(err)
		} else if len(mvs) != 2 || mvs[1].Ref() != "air@2" || mvs[1].Forecasts != 2 || mvs[1].DataSeries != "Passengers" {
			t.Fatalf("versions of air: %+v", mvs)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := db.ListModelVersions(ctx, "rain"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("err=%v, want ErrNotFound", err)
		}
	})
}

func TestDB_SaveFit_Parent(t *testing.T) {
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		db := MustOpenDB(t)
		mustSaveVersions(t, db, 1)
		parent, err := db.FindModelVersion(ctx, store.ModelRef{Name: "air"})
		if err != nil {
			t.Fatal(err)
		}
		mv := newModelVersion("air")
		mv.ParentID = parent.ID
		if err := db.SaveFit(ctx, newRun(), mv, nil); err != nil {
			t.Fatal(err)
		}
		if got, err := db.FindModelVersion(ctx, store.ModelRef{Name: "air", Version: 2}); err != nil {
			t.Fatal(err)
		} else if got.ParentID != parent.ID || got.Parent != "air@1" {
			t.Fatalf("ParentID, Parent=%d, %q, want %d, air@1", got.ParentID, got.Parent, parent.ID)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		db := MustOpenDB(t)
		mv := newModelVersion("air")
		mv.ParentID = 99
		if err := db.SaveFit(ctx, newRun(), mv, nil); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("err=%v, want ErrNotFound", err)
		} else if got, want := err.Error(), `model "air": parent version (id 99) not found`; got != want {
			t.Fatalf("error=%q, want %q", got, want)
		}
		if got, want := countRows(t, db), "runs=0 model_versions=0 forecasts=0"; got != want {
			t.Fatalf("%s, want %s", got, want)
		}
	})
}
