package app

import (
	"fmt"

	"github.com/forecast-dev/forecast/app/pipeline"
	"github.com/urfave/cli/v2"
)

// sourceFlags are the flags that say how to read a data source; every
// command that reads data takes them. pipeline.Source.Series requires
// --target unless the layout is rows, where the series are the rows.
func sourceFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "target", Aliases: []string{"t"},
			Usage: "column to forecast (default: the one column of numbers, if one); also several, comma-separated, or a glob such as 'HU*', " +
				"each a series (wide layout); with --layout rows, the ids of the rows to take"},
		&cli.StringFlag{Name: "time", Usage: "time column (default: integer columns year, month[, day, hour, minute, second] or year, quarter together, else a column named date, datetime, timestamp, time, ds, month or year, " +
			"else Unix times in a column named ts, epoch, unixtime or unix_time, else the first column not the id or a target if it holds dates); several comma-separated columns are the parts year,month,day,hour,minute,second; " +
			"a second part named quarter, qtr or q is the quarter (1-4); none: no time column (integer steps)"},
		&cli.StringFlag{Name: "time-format", Usage: "format of the time column: a Go layout (02/01/2006), strftime (%d/%m/%Y; %q the quarter: %YQ%q), unix, unixms or decimal-year " +
			"(default: detect ISO dates, d/m/y or m/d/y, Jan-2-2006, 2-Jan-06, 1995M01, 1959Q1, Q1 1959, YYYYMMDD, Unix times, decimal years as R's time() writes them: 1949.25)"},
		&cli.StringFlag{Name: "id", Usage: "id column: one row per series and time (long layout); several comma-separated columns (store_id,item_id) are the id together, their values joined by / (S1/I01); with --layout rows, the column naming each row's series (default: the first)"},
		&cli.StringFlag{Name: "layout", Usage: "wide (a column per series), long (--id, a row per series and time) or rows (a series per row, as M4) (default: long with --id, else wide)"},
		&cli.StringFlag{Name: "covariates", Usage: "comma-separated columns carried beside the target"},
		&cli.StringFlag{Name: "delimiter", Usage: `CSV field delimiter, one character or "tab" (default: detect , ; tab or |)`},
		&cli.BoolFlag{Name: "no-header", Usage: "the CSV has no header: the columns are named 1, 2, … by position"},
		&cli.StringFlag{Name: "sqlite", Usage: "read an SQLite database instead of a CSV, with --table or --query"},
		&cli.StringFlag{Name: "table", Usage: "SQLite table to read (with --sqlite)"},
		&cli.StringFlag{Name: "query", Usage: "SQL query whose result to read (with --sqlite)"},
		&cli.StringFlag{Name: "freq", Usage: "frequency, overriding the inferred one: hourly, daily, business-daily, weekly, monthly, quarterly, yearly, 15min, 2h, D, B, W, MS, ME, BME, QS, QE, YS, YE"},
		&cli.StringFlag{Name: "start", Usage: "time of the first step of series without a time column (rows layout), with --freq"},
		&cli.StringFlag{Name: "fill", Value: string(pipeline.DefaultSource.Fill), Usage: "how to fill gaps and missing values: none (a missing value is an error), ffill, linear or zero; values missing at the start (and end, for linear) are dropped"},
		&cli.StringFlag{Name: "max-fill", Value: string(pipeline.DefaultSource.MaxFill), Usage: "the largest share of a series that filling may invent (absent steps and missing values), as 10% or 0.1; " +
			"a series above it is refused, naming its largest gaps (inspect shows the share)"},
		&cli.StringFlag{Name: "series", Usage: "the series to use, by id, when the source holds several (without --target, a wide file's column of that name, or with --id, a series of a long file's one column of numbers)"},
	}
}

// seriesIDFlag names the one series a command reads as the user wants it
// stored, instead of its source and column.
var seriesIDFlag = &cli.StringFlag{Name: "series-id",
	Usage: "store the series under this id instead of SOURCE/COLUMN (one series): the same id matches forecasts and actuals read from different files"}

// sourceNameFlag names the source in the stored ids of its series in place
// of its file's name.
var sourceNameFlag = &cli.StringFlag{Name: "source-name",
	Usage: "store the series as NAME/ID instead of FILE/ID: daily exports of other names then match the series a fit or batch stored"}

// sourcePath returns the data source a command reads, as pipeline.Source
// takes it and messages show it: the one positional argument, a
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

// source is the data source path (as sourcePath returns it) read as the
// flags of c say, its notices printed to standard error.
func (a *App) source(c *cli.Context, path string) (pipeline.Source, error) {
	src := pipeline.Source{Path: path, Settings: sourceFlagValues(c), Only: c.String("series"),
		SeriesID: c.String("series-id"), SourceName: c.String("source-name"), Command: c.Command.Name, Stdin: a.Stdin,
		Notify: func(n string) { fmt.Fprintf(a.Stderr, "note: %s\n", n) }}
	switch {
	case c.IsSet("series-id") && src.SeriesID == "":
		return src, usagef("--series-id %q: %s", src.SeriesID, pipeline.SeriesIDWant)
	case c.IsSet("source-name") && !pipeline.IsSourceName(src.SourceName):
		return src, usagef("--source-name %q: %s", src.SourceName, pipeline.SourceNameWant)
	case src.SeriesID != "" && src.SourceName != "":
		return src, usagef("give --series-id (one series' id) or --source-name (the name that starts each id), not both")
	}
	return src, nil
}

// inputError is the error for a data file that cannot be read: bad input
// (exit code 3), one line naming the path.
var inputError = pipeline.InputError
