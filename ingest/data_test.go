package ingest_test

import (
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/ingest"
)

// sharedData is the team's folder of real series, outside the repository.
const sharedData = "../../shared/data"

func TestLoadFiles(t *testing.T) {
	tests := []struct {
		Path        string
		Target      string
		Rows        int
		Freq        ingest.Freq
		First, Last time.Time
	}{
		{sharedData + "/ETTh1.csv", "OT", 17420, ingest.Freq{Step: time.Hour}, date(2016, 7, 1, 0, 0), date(2018, 6, 26, 19, 0)},
		{sharedData + "/airline-passengers.csv", "Passengers", 144, ingest.Freq{Months: 1}, date(1949, 1, 1, 0, 0), date(1960, 12, 1, 0, 0)},
		{sharedData + "/daily-total-female-births.csv", "Births", 365, ingest.Freq{Step: 24 * time.Hour}, date(1959, 1, 1, 0, 0), date(1959, 12, 31, 0, 0)},
		{sharedData + "/daily-min-temperatures.csv", "Temp", 3650, ingest.Freq{Step: 24 * time.Hour}, date(1981, 1, 1, 0, 0), date(1990, 12, 31, 0, 0)},
		{sharedData + "/monthly-sunspots.csv", "Sunspots", 2820, ingest.Freq{Months: 1}, date(1749, 1, 1, 0, 0), date(1983, 12, 1, 0, 0)},
		// A copy kept in the repository, so that this case always runs.
		{"../testdata/ingest/airline/series.csv", "Passengers", 144, ingest.Freq{Months: 1}, date(1949, 1, 1, 0, 0), date(1960, 12, 1, 0, 0)},
	}
	for _, tt := range tests {
		t.Run(strings.TrimPrefix(tt.Path, "../"), func(t *testing.T) {
			path := tt.Path
			f, err := os.Open(path)
			if errors.Is(err, fs.ErrNotExist) && strings.HasPrefix(path, sharedData) {
				t.Skipf("%s is absent", path)
			}
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			s, err := ingest.Load(f, ingest.Options{Name: path, Target: tt.Target})
			if err != nil {
				t.Fatalf("Load() error: %v", err)
			}
			if len(s.Values) != tt.Rows || len(s.Times) != tt.Rows {
				t.Fatalf("Load(): %d values and %d times, want %d", len(s.Values), len(s.Times), tt.Rows)
			}
			if s.Freq != tt.Freq {
				t.Errorf("Freq = %v, want %v", s.Freq, tt.Freq)
			}
			if first, last := s.Times[0], s.Times[len(s.Times)-1]; !first.Equal(tt.First) || !last.Equal(tt.Last) {
				t.Errorf("times run %v to %v, want %v to %v", first, last, tt.First, tt.Last)
			}
		})
	}
}

// TestAirlineFixture pins values of the repository's copy of the airline
// series, the one the README demo uses.
func TestAirlineFixture(t *testing.T) {
	f, err := os.Open("../testdata/ingest/airline/series.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := ingest.Load(f, ingest.Options{Name: "series.csv", Target: "Passengers"})
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "Passengers" || s.Values[0] != 112 || s.Values[143] != 432 {
		t.Errorf("got %s with values %v … %v, want Passengers 112 … 432", s.Name, s.Values[0], s.Values[143])
	}
	for i, ts := range s.Times {
		if want := s.Freq.Add(s.Times[0], i); !ts.Equal(want) {
			t.Fatalf("time %d is %v, want %v", i, ts, want)
		}
	}
}
