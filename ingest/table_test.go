package ingest_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-gota/gota/series"

	"github.com/forecast-dev/forecast/ingest"
)

// TestSeriesTable checks that a loaded series is held as a gota DataFrame
// of Float columns, time (Unix seconds), value and the covariates, and
// that the accessors read it back.
func TestSeriesTable(t *testing.T) {
	in := "date,temp,y\n2024-01-01,5,1.5\n2024-01-02,6,2\n2024-01-04,8,4\n"
	s, err := ingest.Load(strings.NewReader(in), ingest.Options{Target: "y", Covariates: []string{"temp"}, MaxFill: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	df := s.Table()
	if got, want := df.Names(), []string{"time", "value", "temp"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("columns %v, want %v", got, want)
	}
	if got, want := df.Types(), []series.Type{series.Float, series.Float, series.Float}; !reflect.DeepEqual(got, want) {
		t.Errorf("types %v, want %v", got, want)
	}
	if got := df.Col("time").Float(); got[3] != float64(time.Date(2024, 1, 4, 0, 0, 0, 0, time.UTC).Unix()) {
		t.Errorf("time column %v, want Unix seconds", got)
	}
	// The absent 2024-01-03 is filled in the table itself.
	if got, want := df.Col("value").Float(), []float64{1.5, 2, 3, 4}; !slices.Equal(got, want) {
		t.Errorf("value column %v, want %v", got, want)
	}
	if got := s.Values(); !slices.Equal(got, df.Col("value").Float()) || s.Len() != 4 || s.Value(2) != 3 {
		t.Errorf("Values() %v, Len() %d, Value(2) %v: not the table's", got, s.Len(), s.Value(2))
	}
	if got := s.Covariates(); len(got) != 1 || got[0].Name != "temp" || !slices.Equal(got[0].Values, []float64{5, 6, 7, 8}) {
		t.Errorf("Covariates() %+v, want temp 5 6 7 8", got)
	}
	if !s.Timed() || !s.Time(2).Equal(time.Date(2024, 1, 3, 0, 0, 0, 0, time.UTC)) || !reflect.DeepEqual(s.Times()[1:3], []time.Time{s.Time(1), s.Time(2)}) {
		t.Errorf("Time(2) %v, Times() %v", s.Time(2), s.Times())
	}
	// Changing what an accessor returned leaves the series as it was.
	s.Values()[0] = 99
	if s.Value(0) != 1.5 {
		t.Errorf("the series changed through Values(): %v", s.Value(0))
	}

	h := s.Head(2)
	if h.Len() != 2 || !slices.Equal(h.Values(), []float64{1.5, 2}) || h.Time(1) != s.Time(1) || h.Covariates()[0].Values[1] != 6 || h.Freq != s.Freq || s.Len() != 4 {
		t.Errorf("Head(2): %v at %v; the series %d values", h.Values(), h.Times(), s.Len())
	}
	if got := s.Head(3).FilledAt; !slices.Equal(got, []int{2}) || s.Head(2).FilledAt != nil {
		t.Errorf("Head(3).FilledAt %v, want [2]; Head(2)'s %v, want none", got, s.Head(2).FilledAt)
	}
}

// TestSeriesTableTimes checks that times are kept exactly, before 1970 and
// long before, to the nanosecond (in a time_ns column only then), and that
// a series without times has no time column.
func TestSeriesTableTimes(t *testing.T) {
	times := []time.Time{time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1501, 1, 1, 0, 0, 0, 0, time.UTC)}
	s := ingest.NewSeries("y", times, []float64{1, 2})
	if got := s.Times(); !reflect.DeepEqual(got, times) {
		t.Errorf("times %v, want %v", got, times)
	}
	if names := ingest.NewSeries("y", times, []float64{1, 2}).Table().Names(); !reflect.DeepEqual(names, []string{"time", "value"}) {
		t.Errorf("whole seconds: columns %v, want time and value", names)
	}
	fine := []time.Time{time.Date(1969, 12, 31, 23, 59, 59, 999999999, time.UTC), time.Date(2024, 1, 1, 0, 0, 1, 123456789, time.UTC)}
	f := ingest.NewSeries("y", fine, []float64{1, 2})
	if got := f.Times(); !reflect.DeepEqual(got, fine) {
		t.Errorf("times %v, want %v", got, fine)
	}
	if names := f.Table().Names(); !reflect.DeepEqual(names, []string{"time", "time_ns", "value"}) || f.Value(1) != 2 {
		t.Errorf("fractions of a second: columns %v, value %v; want time, time_ns and value 2", names, f.Value(1))
	}
	steps := ingest.NewSeries("y", nil, []float64{1, 2, 3})
	if steps.Timed() || steps.Times() != nil || !reflect.DeepEqual(steps.Table().Names(), []string{"value"}) {
		t.Errorf("a series without times: timed %v, columns %v", steps.Timed(), steps.Table().Names())
	}
}
