package app

import (
	"fmt"
	"runtime"

	"github.com/forecast-dev/forecast/gru"

	"github.com/urfave/cli/v2"
)

func (a *App) versionCommand() *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "print the program version and the compute backend",
		Action: action(func(c *cli.Context) error {
			fmt.Fprintf(a.Stdout, "forecast %s\nbackend: %s\ngo: %s %s/%s\n", a.Version, gru.Backend(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return nil
		}),
	}
}
