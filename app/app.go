package app

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/forecast-dev/forecast/store"
	"github.com/urfave/cli/v2"
)

// App holds what the commands need from the outside world, so that tests can
// run them in-process with buffers.
type App struct {
	Stdin   io.Reader // read for the data file "-"
	Stdout  io.Writer
	Stderr  io.Writer
	Version string // program version, set at build time
}

// Run runs the command line args (without the program name) and returns the
// exit code. Errors are printed to Stderr as one line prefixed "forecast: ".
func (a *App) Run(ctx context.Context, args []string) int {
	cliApp := a.cli()
	args = flagsFirst(cliApp.Commands, args)
	err := cliApp.RunContext(ctx, append([]string{"forecast"}, args...))
	if err == nil {
		return ExitOK
	}
	fmt.Fprintf(a.Stderr, "forecast: %v\n", err)
	return exitCode(err)
}

// cli builds the urfave/cli application with every command.
func (a *App) cli() *cli.App {
	return &cli.App{
		Name:      "forecast",
		Usage:     "forecast time series with a stacked GRU and keep every model and forecast in SQLite",
		Version:   a.Version,
		Writer:    a.Stdout,
		ErrWriter: a.Stderr,
		// Errors are printed and mapped to exit codes by Run, never by os.Exit here.
		ExitErrHandler:  func(*cli.Context, error) {},
		HideHelpCommand: true,
		Commands: []*cli.Command{
			a.fitCommand(),
			a.backtestCommand(),
			a.inspectCommand(),
			a.predictCommand(),
			a.actualsCommand(),
			a.accuracyCommand(),
			a.modelsCommand(),
			a.forecastsCommand(),
			a.batchCommand(),
			a.scheduleCommand(),
			a.mergeCommand(),
			a.versionCommand(),
		},
	}
}

// dbFlag is the --db flag every command shares.
var dbFlag = &cli.StringFlag{
	Name:    "db",
	Usage:   "SQLite database file",
	EnvVars: []string{"FORECAST_DB"},
	Value:   "forecast.db",
}

// openDB opens the database named by --db.
func openDB(c *cli.Context) (*store.DB, error) {
	db, err := store.Open(c.Context, c.String("db"))
	if err != nil {
		return nil, storageError{err}
	}
	return db, nil
}

// parseModelRef splits NAME[@VERSION]; version 0 means the latest.
func parseModelRef(ref string) (name string, version int, err error) {
	name, v, found := strings.Cut(ref, "@")
	if name == "" {
		return "", 0, usagef("model %q: the name is empty (want NAME or NAME@VERSION)", ref)
	}
	if !found {
		return name, 0, nil
	}
	version, err = strconv.Atoi(v)
	if err != nil || version < 1 {
		return "", 0, usagef("model %q: the version after @ must be a number from 1 up", ref)
	}
	return name, version, nil
}

// defaultModelName names a model after its data file: "data/ETTh1.csv"
// gives "ETTh1".
func defaultModelName(path string) string {
	base := filepath.Base(path)
	if base == "-" || base == "." || base == string(filepath.Separator) {
		return "stdin"
	}
	return strings.TrimSuffix(base, filepath.Ext(base))
}
