package app

import (
	"fmt"
	"io"
	"iter"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/forecast-dev/forecast/app/pipeline"
	"github.com/forecast-dev/forecast/ingest"
	"github.com/urfave/cli/v2"
)

// sourceFlags are the flags that say how to read a data source; every
// command that reads data takes them. loadSeries requires --target unless
// the layout is rows, where the series are the rows.
func sourceFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "target", Aliases: []string{"t"},
			Usage: "column to forecast (required but with --layout rows); also several, comma-separated, or a glob such as 'HU*', " +
				"each a series (wide layout); with --layout rows, the ids of the rows to take"},
		&cli.StringFlag{Name: "time", Usage: "time column (default: integer columns year, month[, day, hour, minute, second] or year, quarter together, else a column named date, datetime, timestamp, time, ds, month or year, " +
			"else the first column if it holds dates); several comma-separated columns are the parts year,month,day,hour,minute,second; " +
			"a second part named quarter, qtr or q is the quarter (1-4); none: no time column (integer steps)"},
		&cli.StringFlag{Name: "time-format", Usage: "format of the time column: a Go layout (02/01/2006), strftime (%d/%m/%Y; %q the quarter: %YQ%q), unix or unixms " +
			"(default: detect ISO dates, d/m/y or m/d/y, Jan-2-2006, 2-Jan-06, 1995M01, 1959Q1, Q1 1959, YYYYMMDD, Unix times)"},
		&cli.StringFlag{Name: "id", Usage: "id column: one row per series and time (long layout); with --layout rows, the column naming each row's series (default: the first)"},
		&cli.StringFlag{Name: "layout", Usage: "wide (a column per series), long (--id, a row per series and time) or rows (a series per row, as M4) (default: long with --id, else wide)"},
		&cli.StringFlag{Name: "covariates", Usage: "comma-separated columns carried beside the target"},
		&cli.StringFlag{Name: "delimiter", Usage: `CSV field delimiter, one character or "tab" (default: detect , ; tab or |)`},
		&cli.BoolFlag{Name: "no-header", Usage: "the CSV has no header: the columns are named 1, 2, … by position"},
		&cli.StringFlag{Name: "sqlite", Usage: "read an SQLite database instead of a CSV, with --table or --query"},
		&cli.StringFlag{Name: "table", Usage: "SQLite table to read (with --sqlite)"},
		&cli.StringFlag{Name: "query", Usage: "SQL query whose result to read (with --sqlite)"},
		&cli.StringFlag{Name: "freq", Usage: "frequency, overriding the inferred one: hourly, daily, business-daily, weekly, monthly, quarterly, yearly, 15min, 2h, D, B, W, MS, ME, QS, QE, YS, YE"},
		&cli.StringFlag{Name: "start", Usage: "time of the first step of series without a time column (rows layout), with --freq"},
		&cli.StringFlag{Name: "fill", Value: string(pipeline.DefaultSource.Fill), Usage: "how to fill gaps and missing values: none (a missing value is an error), ffill, linear or zero; values missing at the start (and end, for linear) are dropped"},
		&cli.StringFlag{Name: "max-fill", Value: string(pipeline.DefaultSource.MaxFill), Usage: "the largest share of a series that filling may invent (absent steps and missing values), as 10% or 0.1; " +
			"a series above it is refused, naming its largest gaps (inspect shows the share)"},
		&cli.StringFlag{Name: "series", Usage: "the series to use, by id, when the source holds several"},
	}
}

// seriesIDFlag names the one series a command reads as the user wants it
// stored, instead of its source and column.
var seriesIDFlag = &cli.StringFlag{Name: "series-id",
	Usage: "store the series under this id instead of SOURCE/COLUMN (one series): the same id matches forecasts and actuals read from different files"}

// storedSeriesID is the id series s of the source path is stored under in
// forecasts and actuals: --series-id if given, else its source and its id
// in the source, e.g. "shop_a/sales" (see sourceStem).
func storedSeriesID(c *cli.Context, path string, s *ingest.Series) string {
	if id := c.String("series-id"); id != "" {
		return id
	}
	return pipeline.SourceStem(path, c.String("sqlite"), c.String("table")) + "/" + seriesName(s)
}

// storedSeriesIDs maps the ids series have in the source path (as
// seriesName gives them) to the ids they are stored under.
func storedSeriesIDs(c *cli.Context, path string, series []*ingest.Series) map[string]string {
	ids := make(map[string]string, len(series))
	for _, s := range series {
		ids[seriesName(s)] = storedSeriesID(c, path, s)
	}
	return ids
}

// idList lists the stored ids of ids (see storedSeriesIDs) in order, the
// first n of them and how many more.
func idList(ids map[string]string, n int) string {
	stored := slices.Sorted(maps.Values(ids))
	if len(stored) > n {
		return fmt.Sprintf("%s … (%d series)", strings.Join(stored[:n], ", "), len(stored))
	}
	return strings.Join(stored, ", ")
}

// checkSeriesID checks --series-id, which names one series, against the n
// series a command read from path.
func checkSeriesID(c *cli.Context, path string, n int) error {
	id := c.String("series-id")
	switch {
	case !c.IsSet("series-id"):
		return nil
	case !pipeline.IsSeriesID(id):
		return usagef("--series-id %q: %s", id, pipeline.SeriesIDWant)
	case n > 1:
		return usagef("--series-id %q names one series, but %s holds %d: pick one with --series", id, path, n)
	}
	return nil
}

// sourcePath returns the data source a command reads, as loadSeries and
// loadDataset take it and messages show it: the one positional argument, a
// file or "-" for standard input, or with --sqlite the database and, after
// a colon, its table or "query".
func sourcePath(c *cli.Context) (string, error) {
	db := c.String("sqlite")
	switch {
	case db != "" && c.NArg() != 0:
		return "", usagef("%s reads either a data file or --sqlite, not both (got %q)", c.Command.Name, c.Args().First())
	case db != "" && c.String("table") != "":
		return db + ":" + c.String("table"), nil
	case db != "":
		return db + ":query", nil
	case c.NArg() != 1:
		return "", usagef("%s needs exactly one data file (or --sqlite), got %d arguments", c.Command.Name, c.NArg())
	}
	return c.Args().First(), nil
}

// sourceFlagValues reads the flags of sourceFlags but --series.
func sourceFlagValues(c *cli.Context) pipeline.SourceSettings {
	return pipeline.SourceSettings{
		Target: pipeline.FlagText(c.String("target")), Time: pipeline.FlagText(c.String("time")),
		TimeFormat: pipeline.FlagText(c.String("time-format")), ID: pipeline.FlagText(c.String("id")),
		Layout: pipeline.FlagText(c.String("layout")), Covariates: pipeline.FlagText(c.String("covariates")),
		Delimiter: pipeline.FlagText(c.String("delimiter")), NoHeader: pipeline.FlagBool(c.Bool("no-header")),
		SQLite: pipeline.FlagText(c.String("sqlite")), Table: pipeline.FlagText(c.String("table")), Query: pipeline.FlagText(c.String("query")),
		Freq: pipeline.FlagText(c.String("freq")), Start: pipeline.FlagText(c.String("start")),
		Fill: pipeline.FlagText(c.String("fill")), MaxFill: pipeline.FlagText(c.String("max-fill")),
	}
}

// sourceOptions turns the source flags into ingest options.
func sourceOptions(c *cli.Context, path string) (ingest.Options, error) {
	return sourceFlagValues(c).Options(path)
}

// loadDataset reads every series of the source the flags of c name (path
// as sourcePath returns it) and prints the notices to standard error.
func (a *App) loadDataset(c *cli.Context, path string) (*ingest.Dataset, error) {
	opt, err := sourceOptions(c, path)
	if err != nil {
		return nil, err
	}
	return a.readDataset(c, path, opt)
}

// readDataset reads every series of the source path with the options opt
// and prints the notices to standard error.
func (a *App) readDataset(c *cli.Context, path string, opt ingest.Options) (*ingest.Dataset, error) {
	var d *ingest.Dataset
	var err error
	if opt.Table != "" || opt.Query != "" {
		d, err = loadSQLite(c, opt)
	} else {
		var r io.ReadCloser
		if r, err = a.openInput(path); err != nil {
			return nil, err
		}
		defer r.Close()
		d, err = ingest.LoadAll(r, opt)
	}
	if err != nil {
		return nil, err
	}
	for _, n := range d.Notes {
		fmt.Fprintf(a.Stderr, "note: %s\n", n)
	}
	return d, nil
}

// loadSQLite reads a source from an SQLite database, opened read-only.
func loadSQLite(c *cli.Context, opt ingest.Options) (*ingest.Dataset, error) {
	db, err := pipeline.OpenSQLite(opt.Name)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return ingest.LoadSQL(c.Context, db, opt)
}

// loadSeries reads the one series a command works on from the source the
// flags of c name: the source's only series, or the one --series picks.
func (a *App) loadSeries(c *cli.Context, path string) (*ingest.Series, error) {
	if c.String("target") == "" && c.String("layout") != string(ingest.LayoutRows) {
		return nil, usagef("Required flag \"target\" not set: name the column to forecast")
	}
	if err := checkSeriesID(c, path, 1); err != nil {
		return nil, err
	}
	if id := c.String("series"); id != "" {
		return a.pickSeries(c, path, id)
	}
	d, err := a.loadDataset(c, path)
	if err != nil {
		return nil, err
	}
	if len(d.Series) > 1 {
		return nil, usagef("%s holds %d series (%s): %s works on one; pick it with --series ID (forecast inspect lists them)",
			path, len(d.Series), seriesIDs(d, 3), c.Command.Name)
	}
	return d.Series[0], nil
}

// pickSeries reads the series whose ID is id from the source the flags of
// c name, streaming it (ingest.Stream): only that series is kept, though
// every series must read, as with loadDataset.
func (a *App) pickSeries(c *cli.Context, path, id string) (*ingest.Series, error) {
	opt, err := sourceOptions(c, path)
	if err != nil {
		return nil, err
	}
	opt.Notify = func(n string) { fmt.Fprintf(a.Stderr, "note: %s\n", n) }
	var seq iter.Seq2[*ingest.Series, error]
	if opt.Table != "" || opt.Query != "" {
		db, err := pipeline.OpenSQLite(opt.Name)
		if err != nil {
			return nil, err
		}
		defer db.Close()
		seq = ingest.StreamSQL(c.Context, db, opt)
	} else {
		r, err := a.openInput(path)
		if err != nil {
			return nil, err
		}
		defer r.Close()
		seq = ingest.Stream(r, opt)
	}
	var found *ingest.Series
	seen := &ingest.Dataset{} // the first ids, for the message
	for s, err := range seq {
		if err != nil {
			return nil, err
		}
		if s.ID == id && found == nil {
			found = s
		}
		if len(seen.Series) <= 5 {
			seen.Series = append(seen.Series, &ingest.Series{ID: s.ID})
		}
	}
	if found == nil {
		return nil, usagef("--series %q: %s holds no such series; it holds %s", id, path, seriesIDs(seen, 5))
	}
	return found, nil
}

// loadAllSeries reads the series a training command works on: the one
// --series picks, or every series of the source.
func (a *App) loadAllSeries(c *cli.Context, path string) ([]*ingest.Series, error) {
	if c.String("series") != "" {
		s, err := a.loadSeries(c, path)
		if err != nil {
			return nil, err
		}
		return []*ingest.Series{s}, nil
	}
	if c.String("target") == "" && c.String("layout") != string(ingest.LayoutRows) {
		return nil, usagef("Required flag \"target\" not set: name the column to forecast")
	}
	d, err := a.loadDataset(c, path)
	if err != nil {
		return nil, err
	}
	if err := checkSeriesID(c, path, len(d.Series)); err != nil {
		return nil, err
	}
	return d.Series, nil
}

// seriesIDs lists the first n series ids of d.
func seriesIDs(d *ingest.Dataset, n int) string {
	ids := make([]string, 0, n+1)
	for _, s := range d.Series[:min(n, len(d.Series))] {
		ids = append(ids, strconv.Quote(s.ID))
	}
	if len(d.Series) > n {
		ids = append(ids, "…")
	}
	return strings.Join(ids, ", ")
}

// describeSeries is the one-line summary of a loaded series.
func describeSeries(path string, s *ingest.Series) string {
	n := len(s.Values)
	name := "target " + s.Name
	if s.ID != "" && s.ID != s.Name {
		name = fmt.Sprintf("series %s, target %s", s.ID, s.Name)
	}
	line := fmt.Sprintf("%s, %s, %d rows, no time column (integer steps)", path, name, n)
	if s.Times != nil {
		line = fmt.Sprintf("%s, %s, %d rows, %s, %s to %s", path, name, n, s.Freq,
			formatTime(s.Times[0]), formatTime(s.Times[n-1]))
	}
	return line + qualitySummary(s.Quality)
}

// qualitySummary says what was absent, missing, filled and dropped, or "".
func qualitySummary(q ingest.Quality) string {
	var found []string
	if len(q.Gaps) > 0 {
		found = append(found, countOf(q.GapSteps, "absent step")+" in "+countOf(len(q.Gaps), "gap"))
	}
	if q.Missing > 0 {
		found = append(found, countOf(q.Missing, "missing value"))
	}
	if q.Irregular > 0 {
		found = append(found, countOf(q.Irregular, "irregular step"))
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

// countOf writes n and the noun, with an s unless n is 1.
func countOf(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// openInput opens a data file, or standard input for "-".
func (a *App) openInput(path string) (io.ReadCloser, error) {
	if path == "-" {
		return io.NopCloser(a.Stdin), nil
	}
	if err := pipeline.CheckInput(path); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, inputError(path, err)
	}
	return f, nil
}

// inputError is the error for a data file that cannot be read: bad input
// (exit code 3), one line naming the path.
var inputError = pipeline.InputError
