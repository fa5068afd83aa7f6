package ingest_test

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/forecast-dev/forecast/ingest"
)

// TestFilledAt checks which values each fill method marks as invented,
// with the values at the start or end that it drops left out.
func TestFilledAt(t *testing.T) {
	// Values at 2024-01-01 … 2024-01-07: missing on the 1st and 4th, the
	// 6th absent, missing on the 7th.
	in := "ds,y\n2024-01-01,\n2024-01-02,2\n2024-01-03,3\n2024-01-04,NA\n2024-01-05,5\n2024-01-07,\n"
	tests := []struct {
		fill   ingest.Fill
		values []float64
		at     []int
	}{
		// The 1st and 7th dropped, the 6th too (after the last value).
		{ingest.FillLinear, []float64{2, 3, 4, 5}, []int{2}},
		{ingest.FillForward, []float64{2, 3, 3, 5}, []int{2}},
		{ingest.FillZero, []float64{2, 3, 0, 5}, []int{2}},
	}
	for _, tt := range tests {
		s, err := ingest.Load(strings.NewReader(in), ingest.Options{Target: "y", Fill: tt.fill, MaxFill: 1})
		if err != nil {
			t.Fatalf("%s: %v", tt.fill, err)
		}
		if !reflect.DeepEqual(s.Values(), tt.values) || !reflect.DeepEqual(s.FilledAt, tt.at) {
			t.Errorf("%s: values %v, filled at %v; want %v, %v", tt.fill, s.Values(), s.FilledAt, tt.values, tt.at)
		}
		if len(s.FilledAt) != s.Quality.Filled {
			t.Errorf("%s: %d filled at %v, Quality.Filled %d", tt.fill, len(s.FilledAt), s.FilledAt, s.Quality.Filled)
		}
	}
	// The rows layout, and a series with nothing to fill.
	d, err := ingest.LoadAll(strings.NewReader("id,v1,v2,v3,v4\nA,1,,3,4\nB,1,2,3,4\n"), ingest.Options{Layout: ingest.LayoutRows, MaxFill: 1})
	if err != nil {
		t.Fatal(err)
	}
	if a, b := d.Series[0].FilledAt, d.Series[1].FilledAt; !reflect.DeepEqual(a, []int{1}) || b != nil {
		t.Errorf("rows layout: filled at %v and %v, want [1] and nil", a, b)
	}
}

// TestDescribe checks the statistics Describe reads from frames, against
// values worked out by hand.
func TestDescribe(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name string
		df   dataframe.DataFrame
		want []ingest.SeriesStats
	}{
		{
			// b: 10, 20, (30 filled), 40: min 10, mean 70/3, max 40;
			// a: 0.5, -1.5: mean -0.5.
			name: "Loaded",
			df: mustLoad(t, "unit,ds,y\nb,2020-01-01,10\nb,2020-01-02,20\nb,2020-01-04,40\na,2020-01-01,0.5\na,2020-01-02,-1.5\n",
				ingest.Options{ID: "unit", Target: "y", MaxFill: 1}).Frame(),
			want: []ingest.SeriesStats{
				{ID: "b", Values: 4, Filled: 1, Min: 10, Mean: 70.0 / 3, Max: 40},
				{ID: "a", Values: 2, Filled: 0, Min: -1.5, Mean: -0.5, Max: 0.5},
			},
		},
		{
			// Two series of one id, told apart by their steps; the
			// second is all filled, so has no statistics.
			name: "Built",
			df: dataframe.New(
				series.New([]string{"x", "x", "x", "x", "y"}, series.String, "id"),
				series.New([]int{0, 1, 0, 1, 0}, series.Int, "step"),
				series.New([]float64{3, 1, 7, 9, 2}, series.Float, "value"),
				series.New([]bool{false, false, true, true, false}, series.Bool, "filled"),
			),
			want: []ingest.SeriesStats{
				{ID: "x", Values: 2, Filled: 0, Min: 1, Mean: 2, Max: 3},
				{ID: "x", Values: 2, Filled: 2, Min: nan, Mean: nan, Max: nan},
				{ID: "y", Values: 1, Filled: 0, Min: 2, Mean: 2, Max: 2},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ingest.Describe(tt.df)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			for i, g := range got {
				w := tt.want[i]
				if g.ID != w.ID || g.Values != w.Values || g.Filled != w.Filled || !same(g.Min, w.Min) || !same(g.Mean, w.Mean) || !same(g.Max, w.Max) {
					t.Errorf("series %d: %+v, want %+v", i, g, w)
				}
			}
		})
	}

	// A frame without the filled column is refused, naming it.
	df := dataframe.New(series.New([]string{"x"}, series.String, "id"), series.New([]int{0}, series.Int, "step"),
		series.New([]float64{1}, series.Float, "value"))
	if _, err := ingest.Describe(df); !errors.Is(err, ingest.ErrMissingColumn) || !strings.Contains(err.Error(), "filled") {
		t.Errorf("no filled column: %v, want ErrMissingColumn naming it", err)
	}
}

// TestDescribeQuality checks, on the real data in testdata/data, that the
// statistics Describe reads from a frame are those the loader computed
// while reading (Quality), bit for bit.
func TestDescribeQuality(t *testing.T) {
	for _, name := range []string{"daily-min-temperatures.csv", "pollution.csv", "airline-passengers.csv"} {
		f, err := os.Open(filepath.Join("..", "testdata", "data", name))
		if err != nil {
			t.Fatal(err)
		}
		d, err := ingest.LoadAll(f, ingest.Options{Name: name, MaxFill: 1})
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		stats, err := ingest.Describe(d.Frame())
		if err != nil {
			t.Fatal(err)
		}
		if len(stats) != len(d.Series) {
			t.Fatalf("%s: %d stats of %d series", name, len(stats), len(d.Series))
		}
		for i, s := range d.Series {
			q, st := s.Quality, stats[i]
			if st.ID != s.ID || st.Values != len(s.Values()) || st.Filled != q.Filled || st.Min != q.Min || st.Mean != q.Mean || st.Max != q.Max {
				t.Errorf("%s: %+v, want %s, %d values, %d filled, %v %v %v", name, st, s.ID, len(s.Values()), q.Filled, q.Min, q.Mean, q.Max)
			}
		}
	}
}

// mustLoad reads every series of a CSV.
func mustLoad(t *testing.T, in string, opt ingest.Options) *ingest.Dataset {
	t.Helper()
	d, err := ingest.LoadAll(strings.NewReader(in), opt)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// same reports whether a and b are equal, or both NaN.
func same(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }
