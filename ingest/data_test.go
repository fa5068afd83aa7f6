package ingest_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/ingest"
)

// dataDir holds the real public series (testdata/README.md names their
// origins).
const dataDir = "../testdata/data"

// openData opens a file for the duration of the test.
func openData(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestLoadFiles loads every file of dataDir with the options its layout
// needs. The expected counts are those of the data's README (and, for the
// gaps and NAs, of grep and awk over the files).
func TestLoadFiles(t *testing.T) {
	hourly, daily, monthly := ingest.Freq{Step: time.Hour}, ingest.Freq{Step: 24 * time.Hour}, ingest.Freq{Months: 1}
	tests := []struct {
		Path        string
		Opt         ingest.Options
		Series      int
		ID          string // the series checked below
		Rows        int    // rows read
		Len         int    // values after filling
		Freq        ingest.Freq
		First, Last time.Time
		Gaps        int
		Missing     int
	}{
		{Path: dataDir + "/ETTh1.csv", Opt: ingest.Options{Target: "OT"}, Series: 1, ID: "OT", Rows: 17420, Len: 17420, Freq: hourly,
			First: date(2016, 7, 1, 0, 0), Last: date(2018, 6, 26, 19, 0)},
		{Path: dataDir + "/ETTh2.csv", Series: 7, ID: "OT", Rows: 17420, Len: 17420, Freq: hourly,
			First: date(2016, 7, 1, 0, 0), Last: date(2018, 6, 26, 19, 0)},
		{Path: dataDir + "/airline-passengers.csv", Opt: ingest.Options{Target: "Passengers"}, Series: 1, ID: "Passengers", Rows: 144, Len: 144,
			Freq: monthly, First: date(1949, 1, 1, 0, 0), Last: date(1960, 12, 1, 0, 0)},
		{Path: dataDir + "/daily-total-female-births.csv", Opt: ingest.Options{Target: "Births"}, Series: 1, ID: "Births", Rows: 365, Len: 365,
			Freq: daily, First: date(1959, 1, 1, 0, 0), Last: date(1959, 12, 31, 0, 0)},
		// 1984-12-31 and 1988-12-31 are absent, and filled.
		{Path: dataDir + "/daily-min-temperatures.csv", Opt: ingest.Options{Target: "Temp"}, Series: 1, ID: "Temp", Rows: 3650, Len: 3652,
			Freq: daily, First: date(1981, 1, 1, 0, 0), Last: date(1990, 12, 31, 0, 0), Gaps: 2},
		{Path: dataDir + "/daily-min-temperatures.csv", Opt: ingest.Options{Target: "Temp", Fill: ingest.FillNone}, Series: 1, ID: "Temp", Rows: 3650, Len: 3650,
			Freq: daily, First: date(1981, 1, 1, 0, 0), Last: date(1990, 12, 31, 0, 0), Gaps: 2},
		{Path: dataDir + "/monthly-sunspots.csv", Opt: ingest.Options{Target: "Sunspots"}, Series: 1, ID: "Sunspots", Rows: 2820, Len: 2820,
			Freq: monthly, First: date(1749, 1, 1, 0, 0), Last: date(1983, 12, 1, 0, 0)},
		{Path: dataDir + "/monthly-car-sales.csv", Series: 1, ID: "Sales", Rows: 108, Len: 108,
			Freq: monthly, First: date(1960, 1, 1, 0, 0), Last: date(1968, 12, 1, 0, 0)},
		{Path: dataDir + "/monthly_champagne_sales.csv", Series: 1, ID: "Sales", Rows: 105, Len: 105,
			Freq: monthly, First: date(1964, 1, 1, 0, 0), Last: date(1972, 9, 1, 0, 0)},
		// Time in the columns year, month, day and hour; 2067 NAs in pm2.5,
		// the first 24 of them before its first value (dropped).
		{Path: dataDir + "/pollution.csv", Opt: ingest.Options{Target: "pm2.5"}, Series: 1, ID: "pm2.5", Rows: 43824, Len: 43824 - 24,
			Freq: hourly, First: date(2010, 1, 2, 0, 0), Last: date(2014, 12, 31, 23, 0), Missing: 2067},
		{Path: dataDir + "/pollution.csv", Opt: ingest.Options{Target: "pm2.5", Fill: ingest.FillZero}, Series: 1, ID: "pm2.5", Rows: 43824, Len: 43824 - 24,
			Freq: hourly, First: date(2010, 1, 2, 0, 0), Last: date(2014, 12, 31, 23, 0), Missing: 2067},
		{Path: dataDir + "/exchange_rate.csv", Opt: ingest.Options{NoHeader: true}, Series: 8, ID: "8", Rows: 7588, Len: 7588},
		{Path: dataDir + "/m4-hourly-train.csv", Opt: ingest.Options{Layout: ingest.LayoutRows}, Series: 414, ID: "H1", Rows: 700, Len: 700},
		{Path: dataDir + "/m4-hourly-train.csv", Opt: ingest.Options{Layout: ingest.LayoutRows}, Series: 414, ID: "H414", Rows: 960, Len: 960},
		{Path: dataDir + "/m4-hourly-test.csv", Opt: ingest.Options{Layout: ingest.LayoutRows}, Series: 414, ID: "H1", Rows: 48, Len: 48},
		{Path: dataDir + "/m4-hourly-naive2-forecasts.csv", Opt: ingest.Options{Layout: ingest.LayoutRows, ID: "id"}, Series: 414, ID: "H7", Rows: 48, Len: 48},
		// M4 H1 dated from its start in the M4 info file (2015-07-01 12:00).
		{Path: dataDir + "/m4-hourly-train.csv", Opt: ingest.Options{Layout: ingest.LayoutRows, Start: date(2015, 7, 1, 12, 0), Freq: hourly},
			Series: 414, ID: "H1", Rows: 700, Len: 700, Freq: hourly, First: date(2015, 7, 1, 12, 0), Last: date(2015, 7, 30, 15, 0)},
	}
	for _, tt := range tests {
		t.Run(strings.TrimPrefix(tt.Path, dataDir+"/")+"/"+tt.ID, func(t *testing.T) {
			opt := tt.Opt
			opt.Name = tt.Path
			d, err := ingest.LoadAll(openData(t, tt.Path), opt)
			if err != nil {
				t.Fatalf("LoadAll() error: %v", err)
			}
			if len(d.Series) != tt.Series {
				t.Fatalf("LoadAll(): %d series, want %d", len(d.Series), tt.Series)
			}
			s := d.Find(tt.ID)
			if s == nil {
				t.Fatalf("no series %q", tt.ID)
			}
			if s.Quality.Rows != tt.Rows || len(s.Values()) != tt.Len {
				t.Errorf("%d rows read, %d values, want %d and %d", s.Quality.Rows, len(s.Values()), tt.Rows, tt.Len)
			}
			if len(s.Quality.Gaps) != tt.Gaps || s.Quality.Missing != tt.Missing {
				t.Errorf("%d gaps, %d missing, want %d and %d", len(s.Quality.Gaps), s.Quality.Missing, tt.Gaps, tt.Missing)
			}
			if s.Freq != tt.Freq {
				t.Errorf("Freq = %v, want %v", s.Freq, tt.Freq)
			}
			if tt.First.IsZero() {
				if s.Timed() {
					t.Errorf("times %v …, want none", s.Time(0))
				}
				return
			}
			if len(s.Times()) != len(s.Values()) {
				t.Fatalf("%d times for %d values", len(s.Times()), len(s.Values()))
			}
			if first, last := s.Time(0), s.Time(s.Len()-1); !first.Equal(tt.First) || !last.Equal(tt.Last) {
				t.Errorf("times run %v to %v, want %v to %v", first, last, tt.First, tt.Last)
			}
		})
	}
}

// TestMelbourneGaps checks where the two absent days of the Melbourne
// temperatures are, and that linear filling puts the mean of the days
// either side in them.
func TestMelbourneGaps(t *testing.T) {
	path := dataDir + "/daily-min-temperatures.csv"
	s, err := ingest.Load(openData(t, path), ingest.Options{Name: path, Target: "Temp"})
	if err != nil {
		t.Fatal(err)
	}
	want := []ingest.Gap{{After: date(1984, 12, 30, 0, 0), Steps: 1}, {After: date(1988, 12, 30, 0, 0), Steps: 1}}
	if got := s.Quality.Gaps; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("Gaps = %v, want %v", got, want)
	}
	if s.Quality.GapSteps != 2 || s.Quality.Filled != 2 {
		t.Errorf("GapSteps %d, Filled %d, want 2 and 2", s.Quality.GapSteps, s.Quality.Filled)
	}
	for i, ts := range s.Times() {
		if ts.Equal(date(1984, 12, 31, 0, 0)) {
			// 1984-12-30 was 16.4 and 1985-01-01 13.3 (grep the file).
			if got, want := s.Value(i), (s.Value(i-1)+s.Value(i+1))/2; got != want {
				t.Errorf("1984-12-31 = %v, want %v", got, want)
			}
		}
		if want := s.Freq.Add(s.Time(0), i); !ts.Equal(want) {
			t.Fatalf("time %d is %v, want %v", i, ts, want)
		}
	}
}

// TestAirlineFixture pins values of the repository's copy of the airline
// series, the one the README demo uses.
func TestAirlineFixture(t *testing.T) {
	s, err := ingest.Load(openData(t, "../testdata/ingest/airline/series.csv"), ingest.Options{Name: "series.csv", Target: "Passengers"})
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "Passengers" || s.Value(0) != 112 || s.Value(143) != 432 {
		t.Errorf("got %s with values %v … %v, want Passengers 112 … 432", s.Name, s.Value(0), s.Value(143))
	}
	for i, ts := range s.Times() {
		if want := s.Freq.Add(s.Time(0), i); !ts.Equal(want) {
			t.Fatalf("time %d is %v, want %v", i, ts, want)
		}
	}
}
