package app

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/forecast-dev/forecast/ingest"
	"github.com/urfave/cli/v2"
)

// maxGapsListed is how many gaps inspect lists per series.
const maxGapsListed = 5

func (a *App) inspectCommand() *cli.Command {
	return &cli.Command{
		Name:      "inspect",
		Usage:     "say what a data source holds: per series rows, span, frequency, gaps, missing values, range and season",
		ArgsUsage: "FILE.csv | --sqlite DB (--table T | --query SQL)",
		Description: `Reads the source as fit would, with the same flags, and prints one line per
series: the rows read, the first and last time, the frequency (inferred, or
--freq), the gaps (absent time steps), the missing values, the values
filling invents and their share (a series above --max-fill is listed, not
refused: the other commands refuse it), the minimum, mean and maximum of the values read, and the season length the autocorrelation
shows (after taking off a linear trend), then the gaps of each series. Without
--target every numeric column is a series. Notices (delimiter detected, rows
sorted, values filled) go to standard error. Nothing is trained or stored.
With --format csv it writes instead the values as read and filled, in the
long layout: id, step, time (if any), value and the covariates, a row per
value, numbers in full precision; fit reads it back with --id id --target value.`,
		Flags: append(sourceFlags(),
			&cli.StringFlag{Name: "format", Value: "table", Usage: "table; json: one object per series, every figure in full; csv: the values as read and filled, a row per value"}),
		Action: action(a.inspect),
	}
}

func (a *App) inspect(c *cli.Context) error {
	path, err := sourcePath(c)
	if err != nil {
		return err
	}
	format := c.String("format")
	if format != "table" && format != "json" && format != "csv" {
		return usagef("--format %q: want table, json or csv", format)
	}
	src, err := a.source(c, path)
	if err != nil {
		return err
	}
	opt, err := src.Options()
	if err != nil {
		return err
	}
	maxFill := opt.MaxFill
	src.FillAll = true // read whatever filling invents, to show how much that is
	d, err := src.Load(c.Context)
	if err != nil {
		return err
	}
	series, err := src.Select(d)
	if err != nil {
		return err
	}
	// The series as one frame; the statistics of each are read from it.
	frame := (&ingest.Dataset{Series: series}).Frame()
	w := a.Stdout
	if format == "csv" {
		return ingest.WriteFrame(w, frame.Drop("filled"))
	}
	stats, err := ingest.Describe(frame)
	if err != nil {
		return err
	}
	if len(stats) != len(series) {
		return fmt.Errorf("inspect: the frame of %d series describes %d", len(series), len(stats))
	}
	if format == "json" {
		return printInspectJSON(w, series, stats, maxFill)
	}
	timeCol := "no time column (integer steps)"
	switch {
	case d.TimeColumn != "":
		timeCol = fmt.Sprintf("time column %s", d.TimeColumn)
		if d.TimeFormat != "" && d.TimeFormat != "parts" {
			timeCol += fmt.Sprintf(" (%s)", d.TimeFormat)
		}
	case len(d.Series[0].Times) > 0:
		timeCol = "no time column, dated from --start"
	}
	if cov := d.Series[0].Covariates; len(cov) > 0 {
		names := make([]string, len(cov))
		for i, c := range cov {
			names[i] = c.Name
		}
		timeCol += ", covariates " + strings.Join(names, ", ")
	}
	name := path
	if name == "-" {
		name = "<stdin>"
	}
	fmt.Fprintf(w, "%s: %s layout, %d series, %s\n", name, d.Layout, len(d.Series), timeCol)
	printInspectTable(w, series, stats)
	for i, s := range series {
		if line := gapLine(s); line != "" {
			fmt.Fprintln(w, line)
		}
		if share := stats[i].FillShare(); share > maxFill {
			fmt.Fprintf(w, "%s: filling invents %s of its values, more than --max-fill %s: the commands that read data refuse it\n",
				s.ID, percent(share), percent(maxFill))
		}
	}
	return nil
}

// percent writes a share as a percentage to a tenth: "41.2 %", "10 %".
func percent(share float64) string {
	return strconv.FormatFloat(math.Round(1000*share)/10, 'f', -1, 64) + " %"
}

// printInspectTable prints a line per series; stats are those of the
// series, in order, as ingest.Describe reads them from their frame.
func printInspectTable(w io.Writer, series []*ingest.Series, stats []ingest.SeriesStats) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SERIES\tROWS\tSTART\tEND\tFREQ\tGAPS\tMISSING\tFILLED\tMIN\tMEAN\tMAX\tSEASON")
	for i, s := range series {
		q, st := s.Quality, stats[i]
		start, end := "-", "-"
		if n := len(s.Times); n > 0 {
			start, end = formatTime(s.Times[0]), formatTime(s.Times[n-1])
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
		if m, r := inspectSeason(s); m > 1 {
			season = fmt.Sprintf("%d (acf %.2f)", m, r)
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
	Covariates []string  `json:"covariates,omitempty"`
}

type gapJSON struct {
	After string `json:"after"`
	Steps int    `json:"steps"`
}

// printInspectJSON prints an object per series; stats are as for
// printInspectTable.
func printInspectJSON(w io.Writer, series []*ingest.Series, stats []ingest.SeriesStats, maxFill float64) error {
	out := make([]inspectJSON, 0, len(series))
	finite := func(v float64) *float64 {
		if math.IsNaN(v) {
			return nil
		}
		return &v
	}
	for i, s := range series {
		q, st := s.Quality, stats[i]
		r := inspectJSON{ID: s.ID, Target: s.Name, Rows: q.Rows, Values: st.Values, Freq: s.Freq.String(),
			Gaps: []gapJSON{}, GapSteps: q.GapSteps, Missing: q.Missing, Filled: st.Filled, Dropped: q.Dropped,
			Irregular: q.Irregular, Sorted: q.Sorted, Min: finite(st.Min), Mean: finite(st.Mean), Max: finite(st.Max),
			FillShare: st.FillShare(), OverFill: st.FillShare() > maxFill}
		if n := len(s.Times); n > 0 {
			r.Start, r.End = s.Times[0].Format(time.RFC3339Nano), s.Times[n-1].Format(time.RFC3339Nano)
		}
		for _, g := range q.Gaps {
			r.Gaps = append(r.Gaps, gapJSON{g.After.Format(time.RFC3339Nano), g.Steps})
		}
		r.Season, r.SeasonACF = inspectSeason(s)
		for _, c := range s.Covariates {
			r.Covariates = append(r.Covariates, c.Name)
		}
		out = append(out, r)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// num prints a statistic with 6 significant digits.
func num(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	return fmt.Sprintf("%.6g", v)
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
		parts = append(parts, countOf(q.Missing, "missing value"))
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

// inspectSeason is the season fit chooses for s when not told
// (ingest.AutoSeason: the calendar season of its frequency, confirmed by
// the autocorrelation), with the autocorrelation at that lag; 1 and 0 for
// none.
func inspectSeason(s *ingest.Series) (int, float64) {
	m := ingest.AutoSeason(s.Values, s.Freq)
	if m < 2 {
		return 1, 0
	}
	return m, ingest.SeasonACF(s.Values, m)
}
