package app

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/forecast-dev/forecast/app/pipeline"
	"github.com/forecast-dev/forecast/ingest"
	"github.com/forecast-dev/forecast/store"
	"github.com/urfave/cli/v2"
)

func (a *App) forecastsCommand() *cli.Command {
	return &cli.Command{
		Name:  "forecasts",
		Usage: "list stored forecasts",
		Description: `Without --model or --run, lists the forecasts of the newest version of every
model; --model NAME those of NAME's newest version, NAME@VERSION or
NAME@ALIAS those of one version. --run picks one run, "latest" the newest
run among the forecasts the other flags select. --latest keeps, per model
and series, the forecasts from the newest origin only. Intervals are shown
as lower_80, upper_80, lower_95, upper_95 (their level in percent).`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "model", Usage: "only this model, NAME[@VERSION|@ALIAS] (NAME alone: its newest version)"},
			&cli.StringFlag{Name: "series", Usage: "only this series"},
			&cli.StringFlag{Name: "run", Usage: "only this run: an ID, or latest"},
			&cli.StringFlag{Name: "since", Usage: "only target times at or after this time, e.g. 2024-01-31 or 2024-01-31T12:00:00Z"},
			&cli.BoolFlag{Name: "latest", Usage: "per model and series, only the forecasts from the newest origin (the latest_origin_forecasts view)"},
			&cli.StringFlag{Name: "level", Usage: "the interval levels to show, in percent, comma-separated (default: those stored; csv and json always have 80 and 95)"},
			formatFlag("table, csv or json"),
			dbFlag,
		},
		Action: action(a.forecasts),
	}
}

// forecastRecord is one forecast in the csv and json outputs. Its
// intervals are written as lower_80, upper_80, lower_95, ... (see
// intervalColumns); a bound is null where the forecast has no interval of
// that level.
type forecastRecord struct {
	Run       int64   `json:"run"`
	Model     string  `json:"model"`
	Version   int     `json:"version"`
	Series    string  `json:"series"`
	Origin    string  `json:"origin"`
	Time      string  `json:"time"`
	Step      int     `json:"step"`
	Value     float64 `json:"value"`
	Method    string  `json:"method"`
	intervals []store.Interval
	levels    []float64 // the levels of the interval columns
}

// MarshalJSON writes the record's fields and then its interval bounds, one
// lower_L and upper_L pair per level of the output.
func (r forecastRecord) MarshalJSON() ([]byte, error) {
	type plain forecastRecord // without this method
	b, err := json.Marshal(plain(r))
	if err != nil {
		return nil, err
	}
	b = b[:len(b)-1] // the closing brace
	for _, level := range r.levels {
		lower, upper := "null", "null"
		if iv, ok := intervalAt(r.intervals, level); ok {
			lower, upper = fullFloat(&iv.Lower), fullFloat(&iv.Upper)
		}
		b = fmt.Appendf(b, `,"lower_%s":%s,"upper_%s":%s`, levelPercent(level), lower, levelPercent(level), upper)
	}
	return append(b, '}'), nil
}

func (a *App) forecasts(c *cli.Context) error {
	if c.NArg() != 0 {
		return usagef("forecasts takes no arguments (did you mean --model %s?)", c.Args().First())
	}
	format, err := checkFormat(c, "table", "csv", "json")
	if err != nil {
		return err
	}
	filter := store.ForecastFilter{Series: c.String("series"), LatestOrigin: c.Bool("latest")}
	if s := c.String("model"); s != "" {
		ref, err := modelRef(s)
		if err != nil {
			return err
		}
		filter.Model = &ref
	}
	switch run := c.String("run"); run {
	case "":
	case "latest":
		filter.LatestRun = true
	default:
		id, err := strconv.ParseInt(run, 10, 64)
		if err != nil || id < 1 {
			return usagef("--run must be a run ID or latest, got %q", run)
		}
		filter.RunID = id
	}
	if s := c.String("since"); s != "" {
		if filter.Since, err = ingest.ParseInstant(s); err != nil {
			return usagef("--since: %v", err)
		}
	}
	var levels []float64
	if c.IsSet("level") {
		if levels, err = pipeline.ParseLevels(c.String("level")); err != nil {
			return err
		}
	}
	db, err := openDBForReading(c)
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.FindForecasts(c.Context, filter)
	if err != nil {
		return storageError{err}
	}
	if len(rows) == 0 {
		fmt.Fprintln(a.Stderr, "note: no stored forecast matches", describeForecastFilter(c))
	}
	if !c.IsSet("level") {
		levels = intervalLevels(rows, format != "table")
	}
	recs := make([]forecastRecord, len(rows))
	for i, r := range rows {
		recs[i] = forecastRecord{Run: r.RunID, Model: r.Model, Version: r.Version, Series: r.Series,
			Origin: rfc3339(r.Origin), Time: rfc3339(r.Time), Step: r.Step, Value: r.Value, Method: r.Method,
			intervals: r.Intervals, levels: levels}
	}
	switch format {
	case "json":
		return writeJSON(a.Stdout, recs)
	case "csv":
		w := csv.NewWriter(a.Stdout)
		w.Write(append([]string{"run", "model", "version", "series", "origin", "time", "step", "value", "method"}, intervalColumns(levels)...))
		for _, r := range recs {
			rec := []string{strconv.FormatInt(r.Run, 10), r.Model, strconv.Itoa(r.Version), r.Series, r.Origin, r.Time,
				strconv.Itoa(r.Step), fullFloat(&r.Value), r.Method}
			for _, level := range levels {
				lower, upper := "", ""
				if iv, ok := intervalAt(r.intervals, level); ok {
					lower, upper = fullFloat(&iv.Lower), fullFloat(&iv.Upper)
				}
				rec = append(rec, lower, upper)
			}
			w.Write(rec)
		}
		w.Flush()
		return w.Error()
	}
	if len(rows) == 0 {
		return nil
	}
	tw := tabwriter.NewWriter(a.Stdout, 0, 0, 2, ' ', 0)
	header := "RUN\tMODEL\tSERIES\tORIGIN\tSTEP\tTIME\tVALUE"
	for _, col := range intervalColumns(levels) {
		header += "\t" + strings.ToUpper(col)
	}
	fmt.Fprintln(tw, header)
	for _, r := range rows {
		fmt.Fprintf(tw, "%d\t%s@%d\t%s\t%s\t%d\t%s\t%.6g", r.RunID, cell(r.Model), r.Version, cell(r.Series), formatTime(r.Origin), r.Step, formatTime(r.Time), r.Value)
		for _, level := range levels {
			if iv, ok := intervalAt(r.Intervals, level); ok {
				fmt.Fprintf(tw, "\t%.6g\t%.6g", iv.Lower, iv.Upper)
			} else {
				fmt.Fprint(tw, "\t-\t-")
			}
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

// defaultLevels are the interval levels fit computes unless told otherwise;
// the csv and json outputs of forecasts always have their columns.
var defaultLevels = []float64{0.8, 0.95}

// intervalLevels are the levels of the intervals of rows, in increasing
// order, with the default levels too if withDefaults.
func intervalLevels(rows []store.ForecastRow, withDefaults bool) []float64 {
	var levels []float64
	if withDefaults {
		levels = append(levels, defaultLevels...)
	}
	for _, r := range rows {
		for _, iv := range r.Intervals {
			if !slices.Contains(levels, iv.Level) {
				levels = append(levels, iv.Level)
			}
		}
	}
	slices.Sort(levels)
	return levels
}

// intervalColumns names the bounds of intervals of levels as every output
// and view does: lower_80, upper_80, lower_95, upper_95.
func intervalColumns(levels []float64) []string {
	var cols []string
	for _, level := range levels {
		cols = append(cols, "lower_"+levelPercent(level), "upper_"+levelPercent(level))
	}
	return cols
}

// levelPercent writes a level as the percentage in column names: 0.8 is
// "80", 0.975 "97.5".
func levelPercent(level float64) string {
	return strconv.FormatFloat(math.Round(level*1e8)/1e6, 'f', -1, 64)
}

// intervalAt returns the interval of ivs at level.
func intervalAt(ivs []store.Interval, level float64) (store.Interval, bool) {
	for _, iv := range ivs {
		if math.Abs(iv.Level-level) < 1e-9 {
			return iv, true
		}
	}
	return store.Interval{}, false
}

// describeForecastFilter says which forecasts the flags of c asked for.
func describeForecastFilter(c *cli.Context) string {
	var parts []string
	for _, name := range []string{"model", "series", "run", "since"} {
		if v := c.String(name); v != "" {
			parts = append(parts, fmt.Sprintf("--%s %s", name, v))
		}
	}
	if c.Bool("latest") {
		parts = append(parts, "--latest")
	}
	if len(parts) == 0 {
		return "(the database holds none)"
	}
	return strings.Join(parts, " ")
}

// rfc3339 formats t for machine-readable output; the zero time is "".
func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
