package plot

import (
	"bytes"
	"errors"
	"image/png"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/ingest"
)

// hourly is a series of n hourly values from 2024-01-01.
func hourly(n int) *ingest.Series {
	var times []time.Time
	var values []float64
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		times = append(times, t0.Add(time.Duration(i)*time.Hour))
		values = append(values, 10+3*math.Sin(2*math.Pi*float64(i)/24))
	}
	s := ingest.NewSeries("load", times, values)
	s.Freq = ingest.Freq{Step: time.Hour}
	return s
}

// points are a forecast of h steps with a bounded 80 % interval and an
// unbounded 95 % one.
func points(h int) []forecast.Point {
	pts := make([]forecast.Point, h)
	for i := range pts {
		v := 10 + float64(i)
		pts[i] = forecast.Point{Step: i + 1, Value: v, Intervals: []forecast.Interval{
			{Level: 0.8, Lower: v - 1, Upper: v + 1}, {Level: 0.95, Lower: math.Inf(-1), Upper: math.Inf(1)}}}
	}
	return pts
}

func TestCheckFile(t *testing.T) {
	dir := t.TempDir()
	notFolder := filepath.Join(dir, "file")
	if err := os.WriteFile(notFolder, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, path, want string
	}{
		{"PNG", filepath.Join(dir, "a.png"), ""},
		{"UpperCaseSVG", filepath.Join(dir, "a.SVG"), ""},
		{"PDF", filepath.Join(dir, "a.pdf"), ""},
		{"GIF", filepath.Join(dir, "a.gif"), "the file must end in .png, .svg or .pdf"},
		{"NoExtension", filepath.Join(dir, "a"), "the file must end in .png, .svg or .pdf"},
		{"NoFolder", filepath.Join(dir, "gone", "a.png"), "no such file or directory"},
		{"FileAsFolder", filepath.Join(notFolder, "a.png"), notFolder + " is not a folder"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckFile(tt.path)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("CheckFile(%s) = %v, want nil", tt.path, err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("CheckFile(%s) = %v, want an error with %q", tt.path, err, tt.want)
			}
		})
	}
	if err := CheckFile(filepath.Join(dir, "gone", "a.png")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing folder: %v, want an error wrapping fs.ErrNotExist", err)
	}
}

// TestSave draws a forecast with and without a time axis in each format
// and checks what was written: a PNG of the plot's 10 × 4 inch shape, an
// SVG and a PDF by their headers.
func TestSave(t *testing.T) {
	dir := t.TempDir()
	timeless := ingest.NewSeries("load", nil, hourly(100).Values())
	for _, s := range []*ingest.Series{hourly(100), timeless} {
		for _, ext := range []string{".png", ".svg", ".pdf"} {
			path := filepath.Join(dir, "plot"+ext)
			if err := Future("load", s, 24, points(6)).Save(path); err != nil {
				t.Fatalf("times %t, %s: %v", s.Timed(), ext, err)
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			switch ext {
			case ".png":
				cfg, err := png.DecodeConfig(bytes.NewReader(b))
				if err != nil || cfg.Width < 500 || 4*cfg.Width != 10*cfg.Height {
					t.Errorf("times %t: PNG %dx%d, %v; want 10:4 and at least 500 wide", s.Timed(), cfg.Width, cfg.Height, err)
				}
			case ".svg":
				if !bytes.Contains(b, []byte("<svg")) {
					t.Errorf("times %t: the SVG has no <svg element: %.60q", s.Timed(), b)
				}
			case ".pdf":
				if !bytes.HasPrefix(b, []byte("%PDF-")) {
					t.Errorf("times %t: the PDF starts %.10q", s.Timed(), b)
				}
			}
		}
	}
}

// TestFuture checks the history a future plot shows: three lookbacks, or
// five horizons if longer, and all of a short series.
func TestFuture(t *testing.T) {
	for _, tt := range []struct {
		n, lookback, horizon, from int
	}{
		{200, 24, 6, 200 - 72},
		{200, 4, 24, 200 - 120},
		{50, 24, 6, 0},
	} {
		fp := Future("load", hourly(tt.n), tt.lookback, points(tt.horizon))
		if fp.from != tt.from || fp.to != 0 || len(fp.forecasts) != 1 || fp.forecasts[0].origin != tt.n {
			t.Errorf("%d values, lookback %d, horizon %d: from %d to %d, forecasts %v; want from %d to the end, one forecast at %d",
				tt.n, tt.lookback, tt.horizon, fp.from, fp.to, fp.forecasts, tt.from, tt.n)
		}
	}
}

// TestBacktest checks that a backtest plot draws the folds of the first
// series only, at most MaxFolds of them spread evenly with the last one
// included, over the history around them.
func TestBacktest(t *testing.T) {
	s := hourly(400)
	var folds []forecast.Fold
	for i := range 10 {
		folds = append(folds, forecast.Fold{Series: "a", Origin: 100 + 20*i, Forecast: points(6)})
	}
	folds = append(folds, forecast.Fold{Series: "b", Origin: 390, Forecast: points(6)})
	fp := Backtest("backtest", s, 24, folds)
	var origins []int
	for _, f := range fp.forecasts {
		origins = append(origins, f.origin)
	}
	// Folds 0 … 9 picked at round(i·9/5) for i = 0 … 5: 0, 2, 4, 5, 7, 9.
	if want := []int{100, 140, 180, 200, 240, 280}; !slices.Equal(origins, want) {
		t.Errorf("origins %v, want %v", origins, want)
	}
	// From two lookbacks before the first fold to half a lookback after
	// the last one's forecast.
	if fp.from != 100-48 || fp.to != 280+6+12 {
		t.Errorf("drawn [%d, %d), want [%d, %d)", fp.from, fp.to, 100-48, 280+6+12)
	}
	few := Backtest("backtest", s, 24, folds[:3])
	if len(few.forecasts) != 3 {
		t.Errorf("3 folds: %d drawn", len(few.forecasts))
	}
}

func TestWidestBounded(t *testing.T) {
	inf := math.Inf(1)
	for _, tt := range []struct {
		name string
		ivs  []forecast.Interval
		want forecast.Interval
		ok   bool
	}{
		{"None", nil, forecast.Interval{}, false},
		{"Unbounded", []forecast.Interval{{Level: 0.8, Lower: -inf, Upper: 1}}, forecast.Interval{}, false},
		{"Highest", []forecast.Interval{{Level: 0.95, Lower: 0, Upper: 4}, {Level: 0.8, Lower: 1, Upper: 3}},
			forecast.Interval{Level: 0.95, Lower: 0, Upper: 4}, true},
		{"HighestBounded", []forecast.Interval{{Level: 0.8, Lower: 1, Upper: 3}, {Level: 0.95, Lower: 0, Upper: inf}},
			forecast.Interval{Level: 0.8, Lower: 1, Upper: 3}, true},
	} {
		if got, ok := widestBounded(tt.ivs); got != tt.want || ok != tt.ok {
			t.Errorf("%s: %v, %t; want %v, %t", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

// TestCalendarTicks checks the time axis: ticks at the starts of years,
// months, days or hours, a round number apart, at most maxTimeTicks.
func TestCalendarTicks(t *testing.T) {
	at := func(y int, m time.Month, d, h int) float64 {
		return float64(time.Date(y, m, d, h, 0, 0, 0, time.UTC).Unix())
	}
	for _, tt := range []struct {
		name     string
		min, max float64
		want     []string
	}{
		// AirPassengers' plot: 1949-01 to 1959-12, with its forecast.
		{"Years", at(1949, 1, 1, 0), at(1959, 12, 1, 0), []string{"1950", "1952", "1954", "1956", "1958"}},
		{"Months", at(2024, 1, 15, 0), at(2024, 7, 1, 0), []string{"2024-02", "2024-03", "2024-04", "2024-05", "2024-06", "2024-07"}},
		{"Days", at(2024, 1, 1, 5), at(2024, 1, 6, 0), []string{"2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-06"}},
		{"Weeks", at(2018, 1, 14, 0), at(2018, 2, 23, 0), []string{"2018-01-15", "2018-01-22", "2018-01-29", "2018-02-05", "2018-02-12", "2018-02-19"}},
		{"Hours", at(2024, 1, 1, 1), at(2024, 1, 2, 0), []string{"01-01 03:00", "01-01 06:00", "01-01 09:00", "01-01 12:00", "01-01 15:00", "01-01 18:00", "01-01 21:00", "01-02 00:00"}},
		{"Minutes", at(2024, 1, 1, 10) + 5*60, at(2024, 1, 1, 10) + 55*60, []string{"10:15", "10:30", "10:45"}},
		{"Centuries", at(1700, 1, 1, 0), at(2000, 1, 1, 0), []string{"1700", "1750", "1800", "1850", "1900", "1950", "2000"}},
	} {
		var got []string
		for _, tick := range (calendarTicks{}).Ticks(tt.min, tt.max) {
			got = append(got, tick.Label)
			if tick.Value < tt.min || tick.Value > tt.max {
				t.Errorf("%s: tick %s at %v outside [%v, %v]", tt.name, tick.Label, tick.Value, tt.min, tt.max)
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: ticks %q, want %q", tt.name, got, tt.want)
		}
	}
}
