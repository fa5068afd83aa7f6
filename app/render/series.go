package render

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/forecast-dev/forecast/app/pipeline"
	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/ingest"
)

// IDList lists the stored ids of ids (see pipeline.Source.StoredIDs) in
// order, the first n of them and how many more.
func IDList(ids map[string]string, n int) string {
	stored := slices.Sorted(maps.Values(ids))
	if len(stored) > n {
		return fmt.Sprintf("%s … (%d series)", strings.Join(stored[:n], ", "), len(stored))
	}
	return strings.Join(stored, ", ")
}

// DescribeSeries is the one-line summary of a loaded series.
func DescribeSeries(path string, s *ingest.Series) string {
	n := s.Len()
	name := "target " + s.Name
	if s.ID != "" && s.ID != s.Name {
		name = fmt.Sprintf("series %s, target %s", s.ID, s.Name)
	}
	line := fmt.Sprintf("%s, %s, %s, no time column (integer steps)", path, name, Plural(n, "row"))
	switch {
	case s.Timed() && n == 1:
		line = fmt.Sprintf("%s, %s, 1 row, %s", path, name, formatTime(s.Time(0)))
	case s.Timed():
		line = fmt.Sprintf("%s, %s, %d rows, %s, %s to %s", path, name, n, s.Freq,
			formatTime(s.Time(0)), formatTime(s.Time(n-1)))
	}
	return line + qualitySummary(s.Quality)
}

// qualitySummary says what was absent, missing, filled and dropped, or "".
func qualitySummary(q ingest.Quality) string {
	var found []string
	if len(q.Gaps) > 0 {
		found = append(found, Plural(q.GapSteps, "absent step")+" in "+Plural(len(q.Gaps), "gap"))
	}
	if q.Missing > 0 {
		found = append(found, Plural(q.Missing, "missing value"))
	}
	if q.Irregular > 0 {
		found = append(found, Plural(q.Irregular, "irregular step"))
	}
	if len(found) == 0 {
		return ""
	}
	var done []string
	if q.Filled > 0 {
		done = append(done, fmt.Sprintf("%d filled", q.Filled))
	}
	if q.Dropped > 0 {
		done = append(done, fmt.Sprintf("%d dropped", q.Dropped))
	}
	if len(done) == 0 {
		done = append(done, "left as they are")
	}
	return fmt.Sprintf("; %s: %s", strings.Join(found, " and "), strings.Join(done, ", "))
}

// maxGapsListed is how many gaps inspect lists per series.
const maxGapsListed = 5

// Inspect prints what inspect finds in the dataset d read from the
// source name: a line on the source, a line per series of series with the
// statistics stats of each, and then the gaps of each series and whether
// it fills more than maxFill.
func Inspect(w io.Writer, name string, d *ingest.Dataset, series []*ingest.Series, stats []ingest.SeriesStats, maxFill float64) {
	timeCol := "no time column (integer steps)"
	switch {
	case d.TimeColumn != "":
		timeCol = fmt.Sprintf("time column %s", d.TimeColumn)
		if d.TimeFormat != "" && d.TimeFormat != "parts" {
			timeCol += fmt.Sprintf(" (%s)", d.TimeFormat)
		}
	case d.Series[0].Timed():
		timeCol = "no time column, dated from --start"
	}
	if names := d.Series[0].CovariateNames(); len(names) > 0 {
		timeCol += ", covariates " + strings.Join(names, ", ")
	}
	fmt.Fprintf(w, "%s: %s layout, %d series, %s\n", name, d.Layout, len(d.Series), timeCol)
	printInspectTable(w, series, stats)
	refused := "refuse it"
	if len(series) > 1 {
		refused = "leave it out of the others, and refuse it read alone"
	}
	for i, s := range series {
		if line := gapLine(s); line != "" {
			fmt.Fprintln(w, line)
		}
		if share := stats[i].FillShare(); share > maxFill {
			fmt.Fprintf(w, "%s: filling invents %s of its values, more than --max-fill %s: the commands that read data %s\n",
				s.ID, percent(share), percent(maxFill), refused)
		}
	}
}

// printInspectTable prints a line per series; stats are those of the
// series, in order, as ingest.Describe reads them from their frame.
func printInspectTable(w io.Writer, series []*ingest.Series, stats []ingest.SeriesStats) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SERIES\tROWS\tSTART\tEND\tFREQ\tGAPS\tMISSING\tFILLED\tMIN\tMEAN\tMAX\tSEASON")
	for i, s := range series {
		q, st := s.Quality, stats[i]
		start, end := "-", "-"
		if n := s.Len(); s.Timed() && n > 0 {
			start, end = formatTime(s.Time(0)), formatTime(s.Time(n-1))
		}
		gaps := "0"
		if len(q.Gaps) > 0 {
			gaps = fmt.Sprintf("%d (%d steps)", len(q.Gaps), q.GapSteps)
			if q.GapSteps == 1 {
				gaps = "1 (1 step)"
			}
		}
		if q.Irregular > 0 {
			gaps += fmt.Sprintf(", %d irregular", q.Irregular)
		}
		season := "none"
		if found := inspectSeason(s); found.Length > 1 {
			season = fmt.Sprintf("%d (acf %.2f)", found.Length, found.ACF)
			if found.Outliers > 0 {
				season = fmt.Sprintf("%d (acf %.2f without %s)", found.Length, found.ACF, Plural(found.Outliers, "outlier"))
			}
		}
		filled := "0"
		if st.Filled > 0 {
			filled = fmt.Sprintf("%d (%s)", st.Filled, percent(st.FillShare()))
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", cell(s.ID), q.Rows, start, end, s.Freq, gaps, q.Missing,
			filled, num(st.Min), num(st.Mean), num(st.Max), season)
	}
	tw.Flush()
}

// inspectJSON is one series in inspect --format json.
type inspectJSON struct {
	ID         string    `json:"id"`
	StoredID   string    `json:"stored_id"` // as fit and batch store its forecasts
	Target     string    `json:"target"`
	Rows       int       `json:"rows"`
	Values     int       `json:"values"`
	Start      string    `json:"start,omitempty"`
	End        string    `json:"end,omitempty"`
	Freq       string    `json:"freq"`
	Gaps       []gapJSON `json:"gaps"`
	GapSteps   int       `json:"gap_steps"`
	Missing    int       `json:"missing"`
	Filled     int       `json:"filled"`
	FillShare  float64   `json:"fill_share"` // Filled over Values
	OverFill   bool      `json:"over_max_fill"`
	Dropped    int       `json:"dropped"`
	Irregular  int       `json:"irregular"`
	Sorted     bool      `json:"sorted"`
	Min        *float64  `json:"min"`
	Mean       *float64  `json:"mean"`
	Max        *float64  `json:"max"`
	Season     int       `json:"season"`
	SeasonACF  float64   `json:"season_acf"`
	Outliers   int       `json:"season_outliers"` // left out to see the season
	Covariates []string  `json:"covariates,omitempty"`
}

type gapJSON struct {
	After string `json:"after"`
	Steps int    `json:"steps"`
}

// InspectJSON prints an object per series, with the ID it is stored
// under (storedIDs, by its name in the source, see pipeline.SeriesName);
// stats are as for printInspectTable.
func InspectJSON(w io.Writer, series []*ingest.Series, storedIDs map[string]string, stats []ingest.SeriesStats, maxFill float64) error {
	out := make([]inspectJSON, 0, len(series))
	finite := func(v float64) *float64 {
		if math.IsNaN(v) {
			return nil
		}
		return &v
	}
	for i, s := range series {
		q, st := s.Quality, stats[i]
		r := inspectJSON{ID: s.ID, StoredID: storedIDs[pipeline.SeriesName(s)], Target: s.Name, Rows: q.Rows, Values: st.Values, Freq: s.Freq.String(),
			Gaps: []gapJSON{}, GapSteps: q.GapSteps, Missing: q.Missing, Filled: st.Filled, Dropped: q.Dropped,
			Irregular: q.Irregular, Sorted: q.Sorted, Min: finite(st.Min), Mean: finite(st.Mean), Max: finite(st.Max),
			FillShare: st.FillShare(), OverFill: st.FillShare() > maxFill}
		if n := s.Len(); s.Timed() && n > 0 {
			r.Start, r.End = s.Time(0).Format(time.RFC3339Nano), s.Time(n-1).Format(time.RFC3339Nano)
		}
		for _, g := range q.Gaps {
			r.Gaps = append(r.Gaps, gapJSON{g.After.Format(time.RFC3339Nano), g.Steps})
		}
		found := inspectSeason(s)
		r.Season, r.SeasonACF, r.Outliers = found.Length, found.ACF, found.Outliers
		r.Covariates = s.CovariateNames()
		out = append(out, r)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// gapLine lists the first gaps of s and what was filled, or "".
func gapLine(s *ingest.Series) string {
	q := s.Quality
	if len(q.Gaps) == 0 && q.Missing == 0 {
		return ""
	}
	var parts []string
	if len(q.Gaps) > 0 {
		var at []string
		for _, g := range q.Gaps[:min(len(q.Gaps), maxGapsListed)] {
			first := s.Freq.Add(g.After, 1)
			if g.Steps == 1 {
				at = append(at, formatTime(first))
			} else {
				at = append(at, fmt.Sprintf("%s to %s (%d)", formatTime(first), formatTime(s.Freq.Add(g.After, g.Steps)), g.Steps))
			}
		}
		if len(q.Gaps) > maxGapsListed {
			at = append(at, fmt.Sprintf("… %d more", len(q.Gaps)-maxGapsListed))
		}
		parts = append(parts, "absent "+strings.Join(at, ", "))
	}
	if q.Missing > 0 {
		parts = append(parts, Plural(q.Missing, "missing value"))
	}
	done := "left as they are"
	switch {
	case q.Filled > 0 && q.Dropped > 0:
		done = fmt.Sprintf("%d filled, %d at the start or end dropped", q.Filled, q.Dropped)
	case q.Filled > 0:
		done = fmt.Sprintf("%d filled", q.Filled)
	case q.Dropped > 0:
		done = fmt.Sprintf("%d at the start or end dropped", q.Dropped)
	}
	return fmt.Sprintf("%s: %s; %s", s.ID, strings.Join(parts, "; "), done)
}

// inspectSeason is the season of s (forecast.FindSeason: the calendar
// season of its frequency, confirmed by the autocorrelation or the
// seasonal strength, of the values without their outliers where need be),
// with the autocorrelation at that lag. It reads every value; fit, not
// told the season, finds it on the values before its test part, which
// on a short series can differ.
func inspectSeason(s *ingest.Series) forecast.Season {
	return forecast.FindSeason(s.Values(), s.Freq)
}
