package app

import (
	"github.com/forecast-dev/forecast/app/plot"
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
	return nil
}
