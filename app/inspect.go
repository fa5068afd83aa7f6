package app

import (
	"fmt"

	"github.com/forecast-dev/forecast/app/render"
	"github.com/forecast-dev/forecast/ingest"
	"github.com/urfave/cli/v2"
)

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
		return render.InspectJSON(w, series, src.StoredIDs(series), stats, maxFill)
	}
	name := path
	if name == "-" {
		name = "<stdin>"
	}
	render.Inspect(w, name, d, series, stats, maxFill)
	return nil
}
