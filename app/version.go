package app

import (
	"fmt"
	"runtime"

	"github.com/urfave/cli/v2"
)

func (a *App) versionCommand() *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "print the program version and the compute backend",
		Action: action(func(c *cli.Context) error {
			fmt.Fprintf(a.Stdout, "forecast %s\nbackend: gonum (pure Go, float64)\ngo: %s %s/%s\n", a.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return nil
		}),
	}
}
