package ingest_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/go-gota/gota/series"

	"github.com/forecast-dev/forecast/ingest"
)

// TestFrame checks the typed columns of a dataset's frame, and that the
// frame written by WriteFrame reads back as the same series.
func TestFrame(t *testing.T) {
	in := "unit,ds,y,temp\n" +
		"b,2020-01-01,10,1.5\n" +
		"b,2020-01-02,20,2.5\n" +
		"b,2020-01-04,40,4.5\n" + // 2020-01-03 absent: 30 and 3.5 filled
		"a,2020-01-01,0.1,7\n" +
		"a,2020-01-02,0.2,8\n"
	d, err := ingest.LoadAll(strings.NewReader(in), ingest.Options{ID: "unit", Target: "y", Covariates: []string{"temp"}, MaxFill: 1})
	if err != nil {
		t.Fatal(err)
	}
	df := d.Frame()
	if df.Err != nil {
		t.Fatal(df.Err)
	}
	if got, want := df.Names(), []string{"id", "step", "time", "value", "filled", "temp"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("columns %v, want %v", got, want)
	}
	types := []series.Type{series.String, series.Int, series.String, series.Float, series.Bool, series.Float}
	for j, name := range df.Names() {
		if got := df.Col(name).Type(); got != types[j] {
			t.Errorf("column %s is %v, want %v", name, got, types[j])
		}
	}
	if got, want := df.Col("id").Records(), []string{"b", "b", "b", "b", "a", "a"}; !reflect.DeepEqual(got, want) {
		t.Errorf("id = %v, want %v", got, want)
	}
	steps, err := df.Col("step").Int()
	if want := []int{0, 1, 2, 3, 0, 1}; err != nil || !reflect.DeepEqual(steps, want) {
		t.Errorf("step = %v (%v), want %v", steps, err, want)
	}
	if got, want := df.Col("time").Records()[2], "2020-01-03T00:00:00Z"; got != want {
		t.Errorf("time[2] = %q, want %q", got, want)
	}
	if got, want := df.Col("value").Float(), []float64{10, 20, 30, 40, 0.1, 0.2}; !reflect.DeepEqual(got, want) {
		t.Errorf("value = %v, want %v", got, want)
	}
	filled, err := df.Col("filled").Bool()
	if want := []bool{false, false, true, false, false, false}; err != nil || !reflect.DeepEqual(filled, want) {
		t.Errorf("filled = %v (%v), want %v", filled, err, want)
	}
	if got, want := df.Col("temp").Float(), []float64{1.5, 2.5, 3.5, 4.5, 7, 8}; !reflect.DeepEqual(got, want) {
		t.Errorf("temp = %v, want %v", got, want)
	}

	// Written and read back in the long layout: the same series.
	var b bytes.Buffer
	if err := ingest.WriteFrame(&b, df); err != nil {
		t.Fatal(err)
	}
	back, err := ingest.LoadAll(&b, ingest.Options{ID: "id", Target: "value", Covariates: []string{"temp"}})
	if err != nil {
		t.Fatalf("reading back %q: %v", b.String(), err)
	}
	if len(back.Series) != len(d.Series) {
		t.Fatalf("read back %d series, want %d", len(back.Series), len(d.Series))
	}
	for k, s := range back.Series {
		w := d.Series[k]
		if s.ID != w.ID || !reflect.DeepEqual(s.Values(), w.Values()) || !reflect.DeepEqual(s.Times(), w.Times()) || !reflect.DeepEqual(s.Covariates(), w.Covariates()) {
			t.Errorf("series %d read back as %s %v, want %s %v", k, s.ID, s.Values(), w.ID, w.Values())
		}
	}
}

// TestFrameCovariateNamedValue checks that a covariate named as a column
// every frame has gets a column of its own, which Describe and a read back
// tell apart from the target.
func TestFrameCovariateNamedValue(t *testing.T) {
	in := "date,value,y\n2020-01-01,5,1\n2020-01-02,6,2\n2020-01-03,7,3\n"
	d, err := ingest.LoadAll(strings.NewReader(in), ingest.Options{Target: "y", Covariates: []string{"value"}})
	if err != nil {
		t.Fatal(err)
	}
	df := d.Frame()
	if got, want := df.Names(), []string{"id", "step", "time", "value", "filled", "covariate_value"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("columns %v, want %v", got, want)
	}
	if stats, err := ingest.Describe(df); err != nil || len(stats) != 1 || stats[0].Mean != 2 {
		t.Errorf("Describe() = %+v, %v; want one series of mean 2", stats, err)
	}
	var b bytes.Buffer
	if err := ingest.WriteFrame(&b, df); err != nil {
		t.Fatal(err)
	}
	back, err := ingest.LoadAll(&b, ingest.Options{ID: "id", Target: "value", Covariates: []string{"covariate_value"}})
	if err != nil || !reflect.DeepEqual(back.Series[0].Values(), []float64{1, 2, 3}) || !reflect.DeepEqual(back.Series[0].Covariates()[0].Values, []float64{5, 6, 7}) {
		t.Errorf("read back %+v, %v; want values 1 2 3 and the covariate 5 6 7", back, err)
	}
}

// BenchmarkFrame1M builds the long-layout frame of a 1,000,000-row series,
// as inspect --format csv does.
func BenchmarkFrame1M(b *testing.B) {
	if testing.Short() {
		b.Skip("1M rows: skipped with -short")
	}
	s, err := ingest.Load(bytes.NewReader(syntheticCSV(1_000_000)), ingest.Options{Target: "OT"})
	if err != nil {
		b.Fatal(err)
	}
	d := &ingest.Dataset{Series: []*ingest.Series{s}}
	b.ReportAllocs()
	for b.Loop() {
		if df := d.Frame(); df.Nrow() != len(s.Values()) {
			b.Fatalf("%d rows", df.Nrow())
		}
	}
}
