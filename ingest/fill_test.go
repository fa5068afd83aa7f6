package ingest_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/ingest"
)

// TestMaxFill loads a monthly file that lacks July to December 2020 and
// April 2021: filling would invent 7 of its 17 values (41.2 %).
func TestMaxFill(t *testing.T) {
	const path = "../testdata/ingest/sparse-gaps/series.csv"
	const refused = path + `:1:2 (column "sales"): series "sales": filling would invent 7 of its 17 values (41.2 %), more than the 10 % allowed: ` +
		`7 monthly steps absent in 2 gaps, the largest 2020-07-01 to 2020-12-01 (6 steps), 2021-04-01; ` +
		`check the time column and the frequency (--freq), or allow more with --max-fill`
	tests := []struct {
		Name    string
		MaxFill float64
		Msg     string // "": loads
	}{
		{"Default", 0, refused},
		{"Below", 0.41, strings.Replace(refused, "the 10 %", "the 41 %", 1)},
		{"Above", 0.42, ""},
		{"Any", 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.Name, func(t *testing.T) {
			s, err := ingest.Load(openData(t, path), ingest.Options{Name: path, Target: "sales", MaxFill: tt.MaxFill})
			if tt.Msg != "" {
				if err == nil || err.Error() != tt.Msg {
					t.Fatalf("Load() error:\ngot  %v\nwant %s", err, tt.Msg)
				}
				var pe *ingest.ParseError
				if !errors.Is(err, ingest.ErrTooMuchFill) || !errors.As(err, &pe) {
					t.Errorf("error %v is not an ErrTooMuchFill *ParseError", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got, want := ingest.FillShare(s), 7.0/17; got != want {
				t.Errorf("FillShare = %v, want %v", got, want)
			}
		})
	}
}

// TestMaxFillMissingValues counts missing values filled in the rows layout,
// where there are no gaps: 1 of 10 is allowed, 2 of 10 are not, which
// leaves that series out of the others, or is the error of it alone.
func TestMaxFillMissingValues(t *testing.T) {
	in := "id,v1,v2,v3,v4,v5,v6,v7,v8,v9,v10\nH1,1,2,NA,4,5,6,7,8,9,10\nH2,1,2,NA,4,NA,6,7,8,9,10\n"
	want := `m4.csv:3: series "H2": filling would invent 2 of its 10 values (20 %), more than the 10 % allowed: 2 missing values; ` +
		`check the time column and the frequency (--freq), or allow more with --max-fill`
	d, err := ingest.LoadAll(strings.NewReader(in), ingest.Options{Name: "m4.csv", Layout: ingest.LayoutRows})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Series) != 1 || d.Series[0].ID != "H1" || !slices.Contains(d.Notes, want+": left out") {
		t.Errorf("LoadAll() = %d series, notes %q; want H1 alone and the note %q", len(d.Series), d.Notes, want+": left out")
	}
	_, err = ingest.LoadAll(strings.NewReader(in), ingest.Options{Name: "m4.csv", Layout: ingest.LayoutRows, Target: "H2"})
	if err == nil || err.Error() != want {
		t.Fatalf("LoadAll() error:\ngot  %v\nwant %s", err, want)
	}
}

// TestMaxFillClosedDay: a shop's daily sales without its Sundays are
// refused as any series with too many gaps, saying that every Sunday is
// absent and how to read them as days of nothing, which then loads with
// a zero on each Sunday. Gaps on other days keep the general advice.
func TestMaxFillClosedDay(t *testing.T) {
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC) // a Monday
	file := func(skip func(time.Time) bool) string {
		var b strings.Builder
		b.WriteString("date,sales\n")
		for i := range 70 {
			if d := start.AddDate(0, 0, i); !skip(d) {
				fmt.Fprintf(&b, "%s,%d\n", d.Format(time.DateOnly), 10+i%6)
			}
		}
		return b.String()
	}
	sundays := file(func(d time.Time) bool { return d.Weekday() == time.Sunday })
	_, err := ingest.Load(strings.NewReader(sundays), ingest.Options{Name: "shop.csv", Target: "sales"})
	want := `shop.csv:1:2 (column "sales"): series "sales": filling would invent 9 of its 69 values (13 %), more than the 10 % allowed: every Sunday is absent; ` +
		`if nothing happens then (a shop closed), --fill zero --max-fill 14% records those days as 0, and forecasts them so`
	if err == nil || err.Error() != want {
		t.Fatalf("Load() error:\ngot  %v\nwant %s", err, want)
	}
	s, err := ingest.Load(strings.NewReader(sundays), ingest.Options{Name: "shop.csv", Target: "sales", Fill: ingest.FillZero, MaxFill: 0.14})
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range s.Values() {
		if sunday := s.Time(i).Weekday() == time.Sunday; sunday != (v == 0) {
			t.Errorf("%s: %v", s.Time(i).Format(time.DateOnly), v)
		}
	}
	// Absent on Sundays and on a Wednesday: no weekly closing day.
	_, err = ingest.Load(strings.NewReader(file(func(d time.Time) bool { return d.Weekday() == time.Sunday || d.Day() == 17 })), ingest.Options{Name: "shop.csv", Target: "sales"})
	if err == nil || strings.Contains(err.Error(), "every") || !strings.Contains(err.Error(), "check the time column") {
		t.Errorf("absent on Sundays and one Wednesday: %v", err)
	}
}

// TestFillAcrossSeason: values missing from a quarterly series with a
// season are filled near the truth (linear interpolation of the values
// less their season, the season put back, as R's na.interp fills them),
// where a line between the values either side missed by up to 50; a
// series without a season is filled linearly as before.
func TestFillAcrossSeason(t *testing.T) {
	const n = 48
	peaks := []int{9, 25, 26, 41} // two of them in a row
	truth := make([]float64, n)
	var seasonal, flat strings.Builder
	seasonal.WriteString("quarter,gas\n")
	flat.WriteString("quarter,gas\n")
	for i := range n {
		truth[i] = 100 + 2*float64(i) + []float64{60, -10, -40, -10}[i%4] + float64(i%3)
		cell := fmt.Sprint(truth[i])
		if slices.Contains(peaks, i) {
			cell = "NA"
		}
		q := fmt.Sprintf("%dQ%d", 1990+i/4, i%4+1)
		fmt.Fprintf(&seasonal, "%s,%s\n", q, cell)
		flatCell := fmt.Sprint(100 + float64(i%3))
		if slices.Contains(peaks, i) {
			flatCell = "NA"
		}
		fmt.Fprintf(&flat, "%s,%s\n", q, flatCell)
	}
	s, err := ingest.Load(strings.NewReader(seasonal.String()), ingest.Options{Name: "gas.csv", Target: "gas", MaxFill: 0.2})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(s.FilledAt, peaks) {
		t.Fatalf("filled at %v, want %v", s.FilledAt, peaks)
	}
	for _, k := range peaks {
		if got := s.Value(k); got < truth[k]-8 || got > truth[k]+8 {
			t.Errorf("value %d filled as %.1f, want within 8 of %.1f", k, got, truth[k])
		}
	}
	// The same series as a row of a rows-layout file, its times given by
	// --start and --freq: filled across the season too.
	var row strings.Builder
	row.WriteString("id")
	for i := range n {
		fmt.Fprintf(&row, ",v%d", i+1)
	}
	row.WriteString("\ngas")
	for i := range n {
		if slices.Contains(peaks, i) {
			row.WriteString(",NA")
		} else {
			fmt.Fprintf(&row, ",%v", truth[i])
		}
	}
	row.WriteString("\n")
	d, err := ingest.LoadAll(strings.NewReader(row.String()), ingest.Options{Name: "gas_rows.csv", Layout: ingest.LayoutRows,
		MaxFill: 0.2, Start: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), Freq: ingest.Freq{Months: 3}})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range peaks {
		if got := d.Series[0].Value(k); got < truth[k]-8 || got > truth[k]+8 {
			t.Errorf("rows layout: value %d filled as %.1f, want within 8 of %.1f", k, got, truth[k])
		}
	}
	s, err = ingest.Load(strings.NewReader(flat.String()), ingest.Options{Name: "flat.csv", Target: "gas", MaxFill: 0.2})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.Value(9), (s.Value(8)+s.Value(10))/2; got != want {
		t.Errorf("a value of a series without a season filled as %v, want the line's %v", got, want)
	}
}
