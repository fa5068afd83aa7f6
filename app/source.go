package app

import (
	"fmt"
	"io"
	"os"

	"github.com/forecast-dev/forecast/ingest"
	"github.com/urfave/cli/v2"
)

// sourceFlags are the flags that say how to read a data source; every
// command that reads data takes them.
func sourceFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "target", Aliases: []string{"t"}, Usage: "column to forecast", Required: true},
		&cli.StringFlag{Name: "time", Usage: "time column (default: a column named date, time, timestamp, datetime, month or ds, else the first column if it holds times)"},
	}
}

// loadSeries reads the series at path ("-": standard input) as the source
// flags of c say.
func (a *App) loadSeries(c *cli.Context, path string) (*ingest.Series, error) {
	r, err := a.openInput(path)
	if err != nil {
		return nil, usagef("%v", err)
	}
	defer r.Close()
	return ingest.Load(r, ingest.Options{Name: path, Time: c.String("time"), Target: c.String("target")})
}

// describeSeries is the one-line summary of a loaded series.
func describeSeries(path string, s *ingest.Series) string {
	n := len(s.Values)
	if s.Times == nil {
		return fmt.Sprintf("%s, target %s, %d rows, no time column (integer steps)", path, s.Name, n)
	}
	return fmt.Sprintf("%s, target %s, %d rows, %s, %s to %s", path, s.Name, n, s.Freq,
		formatTime(s.Times[0]), formatTime(s.Times[n-1]))
}

// openInput opens a data file, or standard input for "-".
func (a *App) openInput(path string) (io.ReadCloser, error) {
	if path == "-" {
		return io.NopCloser(a.Stdin), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read data: %w", err)
	}
	return f, nil
}
