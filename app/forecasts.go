package app

import (
	"encoding/csv"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

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
run among the forecasts the other flags select.`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "model", Usage: "only this model, NAME[@VERSION|@ALIAS] (NAME alone: its newest version)"},
			&cli.StringFlag{Name: "series", Usage: "only this series"},
			&cli.StringFlag{Name: "run", Usage: "only this run: an ID, or latest"},
			&cli.StringFlag{Name: "since", Usage: "only target times at or after this time, e.g. 2024-01-31 or 2024-01-31T12:00:00Z"},
			formatFlag("table, csv or json"),
			dbFlag,
		},
		Action: action(a.forecasts),
	}
}

// forecastRecord is one forecast in the csv and json outputs; the interval
// fields are null for a point forecast.
type forecastRecord struct {
	Run     int64    `json:"run"`
	Model   string   `json:"model"`
	Version int      `json:"version"`
	Series  string   `json:"series"`
	Origin  string   `json:"origin"`
	Time    string   `json:"time"`
	Step    int      `json:"step"`
	Value   float64  `json:"value"`
	Lower   *float64 `json:"lower"`
	Upper   *float64 `json:"upper"`
	Level   *float64 `json:"level"`
}

func (a *App) forecasts(c *cli.Context) error {
	if c.NArg() != 0 {
		return usagef("forecasts takes no arguments (did you mean --model %s?)", c.Args().First())
	}
	format, err := checkFormat(c, "table", "csv", "json")
	if err != nil {
		return err
	}
	filter := store.ForecastFilter{Series: c.String("series")}
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
		if filter.Since, err = parseFlagTime(s); err != nil {
			return usagef("--since: %v", err)
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
	recs := make([]forecastRecord, len(rows))
	withIntervals := false
	for i, r := range rows {
		recs[i] = forecastRecord{Run: r.RunID, Model: r.Model, Version: r.Version, Series: r.Series,
			Origin: rfc3339(r.Origin), Time: rfc3339(r.Time), Step: r.Step, Value: r.Value}
		if iv := r.Interval; iv != nil {
			recs[i].Lower, recs[i].Upper, recs[i].Level = &iv.Lower, &iv.Upper, &iv.Level
			withIntervals = true
		}
	}
	switch format {
	case "json":
		return writeJSON(a.Stdout, recs)
	case "csv":
		w := csv.NewWriter(a.Stdout)
		w.Write([]string{"run", "model", "version", "series", "origin", "time", "step", "value", "lower", "upper", "level"})
		for _, r := range recs {
			w.Write([]string{strconv.FormatInt(r.Run, 10), r.Model, strconv.Itoa(r.Version), r.Series, r.Origin, r.Time,
				strconv.Itoa(r.Step), fullFloat(&r.Value), fullFloat(r.Lower), fullFloat(r.Upper), fullFloat(r.Level)})
		}
		w.Flush()
		return w.Error()
	}
	tw := tabwriter.NewWriter(a.Stdout, 0, 0, 2, ' ', 0)
	header := "RUN\tMODEL\tSERIES\tORIGIN\tSTEP\tTIME\tVALUE"
	if withIntervals {
		header += "\tLOWER\tUPPER"
	}
	fmt.Fprintln(tw, header)
	for _, r := range rows {
		fmt.Fprintf(tw, "%d\t%s@%d\t%s\t%s\t%d\t%s\t%.6g", r.RunID, cell(r.Model), r.Version, cell(r.Series), formatTime(r.Origin), r.Step, formatTime(r.Time), r.Value)
		switch {
		case r.Interval != nil:
			fmt.Fprintf(tw, "\t%.6g\t%.6g", r.Interval.Lower, r.Interval.Upper)
		case withIntervals:
			fmt.Fprint(tw, "\t-\t-")
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

// rfc3339 formats t for machine-readable output; the zero time is "".
func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// flagTimeLayouts are the time formats flags accept, read as UTC unless
// they carry a zone.
var flagTimeLayouts = []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02", "2006-01", "2006"}

// parseFlagTime reads a time given on the command line.
func parseFlagTime(s string) (time.Time, error) {
	for _, layout := range flagTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time like 2024-01-31, 2024-01-31 12:00 or 2024-01-31T12:00:00Z", s)
}
