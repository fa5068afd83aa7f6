package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/forecast-dev/forecast/app/pipeline"
	"github.com/forecast-dev/forecast/app/render"
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
		levels = append([]float64{}, levels...) // none, not those stored, for --level ""
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
		if older, err := olderVersionsMatching(c.Context, db, filter); err != nil {
			return err
		} else if len(older) > 0 {
			fmt.Fprintf(a.Stderr, "note: forecasts of older versions match (%s): give --model %s; without a version, only each model's newest is listed\n", strings.Join(older, ", "), older[len(older)-1])
		}
		if like, err := seriesLike(c.Context, db, filter.Series); err != nil {
			return err
		} else if len(like) > 0 {
			fmt.Fprintf(a.Stderr, "note: series are stored by SOURCE/ID: did you mean --series %s?\n", strings.Join(like, " or "))
		}
	} else if missing := render.LevelsNotStored(rows, levels); len(missing) > 0 {
		fmt.Fprintf(a.Stderr, "note: no forecast listed has a %s interval (--level): its columns are empty\n", strings.Join(missing, " or "))
	}
	return render.StoredForecasts(a.Stdout, format, rows, levels)
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

// olderVersionsMatching returns the model versions (NAME@VERSION) whose
// forecasts filter would select had it not taken the newest version of
// each model only; none where filter names a version, alias or run.
func olderVersionsMatching(ctx context.Context, db *store.DB, filter store.ForecastFilter) ([]string, error) {
	if filter.RunID != 0 || filter.LatestRun || filter.LatestOrigin || filter.Model != nil && (filter.Model.Version != 0 || filter.Model.Alias != "") {
		return nil, nil
	}
	filter.AllVersions = true
	versions, err := db.ForecastVersions(ctx, filter)
	if err != nil {
		return nil, storageError{err}
	}
	refs := make([]string, len(versions))
	for i, v := range versions {
		refs[i] = v.String()
	}
	return refs, nil
}

// seriesLike returns the stored series whose ids end in "/" and id, the
// series' own id without its source; none for "".
func seriesLike(ctx context.Context, db *store.DB, id string) ([]string, error) {
	if id == "" {
		return nil, nil
	}
	stored, err := db.ForecastSeries(ctx)
	if err != nil {
		return nil, storageError{err}
	}
	var like []string
	for _, s := range stored {
		if strings.HasSuffix(s, "/"+id) {
			like = append(like, s)
		}
	}
	return like, nil
}
