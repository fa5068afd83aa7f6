package classical

import (
	"encoding/csv"
	"math"
	"os"
	"strconv"
	"testing"
)

// readRows reads an M4-style file: a header, then rows of an id and values
// ("" past the end of a series).
func readRows(t *testing.T, path string) map[string][]float64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]float64{}
	for _, row := range rows[1:] {
		var v []float64
		for _, cell := range row[1:] {
			if cell == "" {
				break
			}
			x, err := strconv.ParseFloat(cell, 64)
			if err != nil {
				t.Fatal(err)
			}
			v = append(v, x)
		}
		out[row[0]] = v
	}
	return out
}

// TestNaive2M4Hourly: Naive2 forecasts every one of M4 Hourly's 414 series
// as the competition's own Naive2 submission does
// (testdata/data/m4-hourly-naive2-forecasts.csv, Mcompetitions/M4-methods,
// written to 7 significant digits).
func TestNaive2M4Hourly(t *testing.T) {
	train := readRows(t, "../../testdata/data/m4-hourly-train.csv")
	want := readRows(t, "../../testdata/data/m4-hourly-naive2-forecasts.csv")
	if len(want) != 414 {
		t.Fatalf("%d series of Naive2 forecasts, want 414", len(want))
	}
	seasonal := 0
	for id, w := range want {
		y, ok := train[id]
		if !ok {
			t.Fatalf("%s: not in the train file", id)
		}
		got := make([]float64, len(w))
		Naive2(got, y, 24)
		if got[0] != got[1] {
			seasonal++
		}
		for k := range w {
			if math.Abs(got[k]-w[k]) > 1e-6*math.Abs(w[k])+1e-6 {
				t.Errorf("%s step %d: %v, want %v", id, k+1, got[k], w[k])
				break
			}
		}
	}
	// Most hourly series have a daily season; a Naive2 that never adjusts
	// would match only the others.
	if seasonal < 300 {
		t.Errorf("%d of 414 series forecast with a season, want most", seasonal)
	}
}

// TestNaive2: three seasons of a profile are forecast with it; in the cases the M4 data leave out, without a
// season (too short, m = 1, values not all positive), Naive2 is naive.
func TestNaive2(t *testing.T) {
	profile := []float64{3, 9, 1, 7, 2, 8, 5, 4, 9, 2, 6, 3}
	y := make([]float64, 36)
	for i := range y {
		y[i] = 10 + profile[i%12] + 0.1*float64(i%5)
	}
	for _, tt := range []struct {
		name string
		y    []float64
		m    int
	}{
		{"m = 1", y, 1},
		{"under three seasons", y[:35], 12},
		{"a value not positive", append([]float64{-1}, y[1:]...), 12},
	} {
		dst := make([]float64, 4)
		Naive2(dst, tt.y, tt.m)
		for k, v := range dst {
			if v != tt.y[len(tt.y)-1] {
				t.Errorf("%s: step %d is %v, want the last value %v", tt.name, k+1, v, tt.y[len(tt.y)-1])
			}
		}
	}
	dst := make([]float64, 12)
	Naive2(dst, y, 12)
	for k, v := range dst {
		if want := 10 + profile[k]; math.Abs(v-want) > 0.5 {
			t.Errorf("three seasons of a profile: step %d is %v, want about %v", k+1, v, want)
		}
	}
}
