package pipeline_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/forecast-dev/forecast/app/pipeline"
	"github.com/forecast-dev/forecast/ingest"
)

// longCSV holds the series "b" (10, 20, 30) and "a" (1, 2, with 2024-01-02
// missing and filled).
const longCSV = "unit,ds,y\n" +
	"b,2024-01-01,10\nb,2024-01-02,20\nb,2024-01-03,30\n" +
	"a,2024-01-01,1\na,2024-01-02,\na,2024-01-03,3\n"

// writeSource writes text to a file shop.csv and returns its path.
func writeSource(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "shop.csv")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSourceSeries checks which series Series and AllSeries read, the IDs
// they are stored under, and the usage errors (pipeline.ErrUsage) of a
// source that does not name one series where one is wanted.
func TestSourceSeries(t *testing.T) {
	path := writeSource(t, longCSV)
	long := pipeline.SourceSettings{ID: "unit", Target: "y", Fill: "linear", MaxFill: "50%"}
	strict := pipeline.SourceSettings{ID: "unit", Target: "y", Fill: "linear", MaxFill: "10%"} // too little for "a"
	ctx := context.Background()
	tests := []struct {
		name   string
		src    pipeline.Source
		one    bool     // Series rather than AllSeries
		ids    []string // the IDs read
		stored []string // the IDs stored under
		values [][]float64
		err    string // a usage error, instead
	}{
		{name: "All", src: pipeline.Source{Path: path, Settings: long},
			ids: []string{"b", "a"}, stored: []string{"shop/b", "shop/a"}, values: [][]float64{{10, 20, 30}, {1, 2, 3}}},
		{name: "OnlyOne", src: pipeline.Source{Path: path, Settings: long, Only: "a"},
			ids: []string{"a"}, stored: []string{"shop/a"}, values: [][]float64{{1, 2, 3}}},
		{name: "OnlyOneStoredAs", src: pipeline.Source{Path: path, Settings: long, Only: "a", SeriesID: "store 7"}, one: true,
			ids: []string{"a"}, stored: []string{"store 7"}, values: [][]float64{{1, 2, 3}}},
		{name: "NoSuchSeries", src: pipeline.Source{Path: path, Settings: long, Only: "c"},
			err: `--series "c": ` + path + ` holds no such series; it holds "b", "a"`},
		{name: "SeveralForOne", src: pipeline.Source{Path: path, Settings: long, Command: "predict"}, one: true,
			err: path + ` holds 2 series ("b", "a"): predict works on one; pick it with --series ID (forecast inspect lists them)`},
		{name: "SeriesIDForSeveral", src: pipeline.Source{Path: path, Settings: long, SeriesID: "x"},
			err: `--series-id "x" names one series, but ` + path + ` holds 2: pick one with --series`},
		{name: "BadSeriesID", src: pipeline.Source{Path: path, Settings: long, Only: "a", SeriesID: " x"}, one: true,
			err: `--series-id " x": ` + pipeline.SeriesIDWant},
		// A long layout's one column of numbers is its target.
		{name: "NoTarget", src: pipeline.Source{Path: path, Settings: pipeline.SourceSettings{ID: "unit", Fill: "linear", MaxFill: "50%"}},
			ids: []string{"b", "a"}, stored: []string{"shop/b", "shop/a"}, values: [][]float64{{10, 20, 30}, {1, 2, 3}}},
		{name: "NoTargetOnlyOne", src: pipeline.Source{Path: path, Settings: pipeline.SourceSettings{ID: "unit", Fill: "linear", MaxFill: "50%"}, Only: "a"},
			ids: []string{"a"}, stored: []string{"shop/a"}, values: [][]float64{{1, 2, 3}}},
		// A series filled more than --max-fill allows is left out of the
		// others (by Load, and by pick reading another), and is an error
		// asked for alone.
		{name: "TooMuchFilled", src: pipeline.Source{Path: path, Settings: strict},
			ids: []string{"b"}, stored: []string{"shop/b"}, values: [][]float64{{10, 20, 30}}},
		{name: "TooMuchFilledOther", src: pipeline.Source{Path: path, Settings: strict, Only: "b"},
			ids: []string{"b"}, stored: []string{"shop/b"}, values: [][]float64{{10, 20, 30}}},
		{name: "TooMuchFilledAlone", src: pipeline.Source{Path: path, Settings: strict, Only: "a"},
			err: "filling would invent 1 of its 3 values"},
		// A series left out is named among those the source holds (the
		// list was empty where every other was left out).
		{name: "NoSuchSeriesBesideLeftOut", src: pipeline.Source{Path: path, Settings: strict, Only: "c"},
			err: `--series "c": ` + path + ` holds no such series; it holds "b", "a"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []*ingest.Series
			var err error
			if tt.one {
				var s *ingest.Series
				if s, err = tt.src.Series(ctx); err == nil {
					got = []*ingest.Series{s}
				}
			} else {
				got, err = tt.src.AllSeries(ctx)
			}
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var ids, stored []string
			var values [][]float64
			for _, s := range got {
				ids, stored, values = append(ids, s.ID), append(stored, tt.src.StoredID(s)), append(values, s.Values())
			}
			if !reflect.DeepEqual(ids, tt.ids) || !reflect.DeepEqual(stored, tt.stored) || !reflect.DeepEqual(values, tt.values) {
				t.Errorf("read %v stored as %v, values %v; want %v as %v, %v", ids, stored, values, tt.ids, tt.stored, tt.values)
			}
		})
	}
	// The usage errors above are ErrUsage; a file that cannot be read is
	// bad input, a ParseError naming it.
	_, err := pipeline.Source{Path: path, Settings: long, Only: "c"}.AllSeries(ctx)
	if !errors.Is(err, pipeline.ErrUsage) {
		t.Errorf("no such series: %v is not ErrUsage", err)
	}
	_, err = pipeline.Source{Path: filepath.Join(t.TempDir(), "none.csv"), Settings: long}.Load(ctx)
	var pe *ingest.ParseError
	if errors.Is(err, pipeline.ErrUsage) || !errors.As(err, &pe) {
		t.Errorf("missing file: %v, want an *ingest.ParseError", err)
	}
}

// TestSourceLoad checks that Load reads standard input for "-", tells
// Notify the notices, reads above MaxFill with FillAll, and that Select
// picks the series Only names.
func TestSourceLoad(t *testing.T) {
	var notes []string
	src := pipeline.Source{Path: "-", Stdin: strings.NewReader(longCSV), FillAll: true,
		Settings: pipeline.SourceSettings{ID: "unit", Target: "y", Fill: "linear", MaxFill: "10%"},
		Notify:   func(n string) { notes = append(notes, n) }, Only: "a"}
	d, err := src.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Series) != 2 || len(notes) == 0 || !strings.Contains(strings.Join(notes, "\n"), `series "a": 1 missing value`) {
		t.Fatalf("read %d series, notes %q; want 2 and the note of the value filled in a", len(d.Series), notes)
	}
	sel, err := src.Select(d)
	if err != nil || len(sel) != 1 || sel[0] != d.Series[1] {
		t.Errorf("Select = %v, %v; want the series a", sel, err)
	}
}
