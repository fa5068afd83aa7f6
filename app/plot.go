package app

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/forecast-dev/forecast/app/plot"
	"github.com/forecast-dev/forecast/ingest"
	"github.com/urfave/cli/v2"
)

// plotFlag is the --plot flag of the commands that draw their forecasts.
var plotFlag = &cli.StringFlag{Name: "plot", Usage: "draw the history, the forecasts and their intervals to this file (.png, .svg or .pdf)"}

// checkPlotFlag rejects a --plot file of a type that cannot be drawn, or in
// a folder that does not exist, before any work is done.
func checkPlotFlag(c *cli.Context) error {
	path := c.String("plot")
	if path == "" {
		return nil
	}
	if err := plot.CheckFile(path); err != nil {
		return usagef("--plot %s: %v", path, err)
	}
	return checkNotDB(c, "--plot", path)
}

// checkNotDB refuses an output file, given by flag, that is the database
// of --db: drawing or exporting to it destroyed every model stored there.
func checkNotDB(c *cli.Context, flag, path string) error {
	db := c.String("db")
	a, aerr := os.Stat(path)
	b, berr := os.Stat(db)
	same := aerr == nil && berr == nil && os.SameFile(a, b)
	if absA, err := filepath.Abs(path); err == nil {
		if absB, err := filepath.Abs(db); err == nil && absA == absB {
			same = true
		}
	}
	if same {
		return usagef("%s %s is the database (--db): write to another file", flag, path)
	}
	return nil
}

// plottedOf says which series a plot of the first of n draws: "" for one
// series, else " (series ID, the first of N)".
func plottedOf(first *ingest.Series, n int) string {
	if n <= 1 {
		return ""
	}
	return fmt.Sprintf(" (series %s, the first of %d)", seriesName(first), n)
}
