package app

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"
)

func (a *App) forecastsCommand() *cli.Command {
	return &cli.Command{
		Name:  "forecasts",
		Usage: "list stored forecasts",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "model", Usage: "only this model, NAME or NAME@VERSION (default: every model; NAME alone: its latest version)"},
			&cli.StringFlag{Name: "format", Usage: "table, csv or json", Value: "table"},
			dbFlag,
		},
		Action: action(a.forecasts),
	}
}

// forecastRecord is one forecast in the csv and json outputs.
type forecastRecord struct {
	Run     int64   `json:"run"`
	Model   string  `json:"model"`
	Version int     `json:"version"`
	Series  string  `json:"series"`
	Origin  string  `json:"origin"`
	Time    string  `json:"time"`
	Step    int     `json:"step"`
	Value   float64 `json:"value"`
}

func (a *App) forecasts(c *cli.Context) error {
	if c.NArg() != 0 {
		return usagef("forecasts takes no arguments (did you mean --model %s?)", c.Args().First())
	}
	format := c.String("format")
	if format != "table" && format != "csv" && format != "json" {
		return usagef("--format must be table, csv or json, got %q", format)
	}
	var name string
	var version int
	if ref := c.String("model"); ref != "" {
		var err error
		if name, version, err = parseModelRef(ref); err != nil {
			return err
		}
	}
	db, err := openDB(c)
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.FindForecasts(c.Context, name, version)
	if err != nil {
		return storageError{err}
	}
	recs := make([]forecastRecord, len(rows))
	for i, r := range rows {
		recs[i] = forecastRecord{r.RunID, r.Model, r.Version, r.Series, rfc3339(r.Origin), rfc3339(r.Time), r.Step, r.Value}
	}
	switch format {
	case "json":
		enc := json.NewEncoder(a.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(recs)
	case "csv":
		w := csv.NewWriter(a.Stdout)
		w.Write([]string{"run", "model", "version", "series", "origin", "time", "step", "value"})
		for _, r := range recs {
			w.Write([]string{strconv.FormatInt(r.Run, 10), r.Model, strconv.Itoa(r.Version), r.Series, r.Origin, r.Time,
				strconv.Itoa(r.Step), strconv.FormatFloat(r.Value, 'g', -1, 64)})
		}
		w.Flush()
		return w.Error()
	}
	tw := tabwriter.NewWriter(a.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RUN\tMODEL\tSERIES\tORIGIN\tSTEP\tTIME\tVALUE")
	for _, r := range rows {
		fmt.Fprintf(tw, "%d\t%s@%d\t%s\t%s\t%d\t%s\t%.6g\n", r.RunID, r.Model, r.Version, r.Series, formatTime(r.Origin), r.Step, formatTime(r.Time), r.Value)
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
