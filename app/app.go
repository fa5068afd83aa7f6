package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"

	"github.com/forecast-dev/forecast/app/pipeline"
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
	if len(args) > 0 && args[0] == "help" { // forecast help [COMMAND…]
		args = append(slices.Clone(args[1:]), "--help")
	}
	if err := unknownCommand("", cliApp.Commands, args); err != nil {
		fmt.Fprintf(a.Stderr, "forecast: %v\n", err)
		return ExitUsage
	}
	args = flagsFirst(cliApp.Commands, args)
	err := cliApp.RunContext(ctx, append([]string{"forecast"}, args...))
	if err == nil || errors.Is(err, syscall.EPIPE) {
		// EPIPE: the reader of the output went away (forecasts | head);
		// what was asked has been done or read, so end quietly, as cat does.
		return ExitOK
	}
	fmt.Fprintf(a.Stderr, "forecast: %v\n", err)
	return exitCode(err)
}

// unknownCommand returns an error naming the first word of args if it is
// not a command of commands (under the command path parent) or, for a
// command with subcommands, the same for its next word; urfave/cli says
// "No help topic for 'X'". A first word that is a flag, or none, is left
// to urfave/cli.
func unknownCommand(parent string, commands []*cli.Command, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return nil
	}
	var names []string
	for _, cmd := range commands {
		if cmd.HasName(args[0]) {
			if len(cmd.Subcommands) == 0 {
				return nil
			}
			return unknownCommand(strings.TrimSpace(parent+" "+cmd.Name), cmd.Subcommands, args[1:])
		}
		names = append(names, cmd.Name)
	}
	if parent == "" {
		return usagef("unknown command %q; the commands are %s (see forecast --help)", args[0], strings.Join(names, ", "))
	}
	return usagef("unknown command %q; the commands of %s are %s (see forecast %s --help)", parent+" "+args[0], parent, strings.Join(names, ", "), parent)
}

// cli builds the urfave/cli application with every command.
func (a *App) cli() *cli.App {
	app := a.commands()
	app.OnUsageError = onUsageError("", func() []cli.Flag { return app.Flags })
	setUsageErrors("", app.Commands)
	return app
}

// setUsageErrors makes every command report a command line error as one
// line (urfave/cli prints the whole help), in the tree of commands under
// the command path parent.
func setUsageErrors(parent string, commands []*cli.Command) {
	for _, cmd := range commands {
		path := strings.TrimSpace(parent + " " + cmd.Name)
		cmd.OnUsageError = onUsageError(path, func() []cli.Flag { return cmd.Flags })
		setUsageErrors(path, cmd.Subcommands)
	}
}

// onUsageError returns the usage error handler of the command path (""
// for the program itself), whose flags (those urfave/cli adds, such as
// --help, included) flags returns: the parser's complaint after the
// command, and for an unknown flag the nearest flag name:
//
//	fit: unknown flag --horizn (did you mean --horizon?)
//
// The parser names every flag with one dash (-horizn), whichever the
// user typed; it is named as the help writes it, two dashes for a word.
func onUsageError(path string, flags func() []cli.Flag) cli.OnUsageErrorFunc {
	return func(_ *cli.Context, err error, _ bool) error {
		msg := err.Error()
		if typed, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
			dashes := "--"
			if len(typed) == 1 {
				dashes = "-"
			}
			msg = "unknown flag " + dashes + typed
			if name := nearestFlag(flags(), typed); name != "" {
				msg += fmt.Sprintf(" (did you mean --%s?)", name)
			}
		}
		// invalid value "5x" for flag -wait: parse error
		if m := invalidValue.FindStringSubmatch(msg); m != nil {
			msg = fmt.Sprintf("--%s %s: %s", m[2], m[1], flagValueHint(flags(), m[2], m[3]))
		}
		if path != "" {
			msg = path + ": " + msg
		}
		return usagef("%s", msg)
	}
}

// invalidValue matches the parser's complaint of a flag value it cannot
// read: the value (quoted), the flag's name and the parser's reason.
var invalidValue = regexp.MustCompile(`^invalid value (".*") for flag -([\w-]+): (.*)$`)

// flagValueHint says what the flag called name takes, by its kind, or
// the parser's reason for a kind it does not know.
func flagValueHint(flags []cli.Flag, name, reason string) string {
	for _, f := range flags {
		if !slices.Contains(f.Names(), name) {
			continue
		}
		switch f.(type) {
		case *cli.DurationFlag:
			return "want a duration such as 30s, 5m or 1h30m"
		case *cli.IntFlag, *cli.Int64Flag:
			return "want a whole number"
		case *cli.UintFlag, *cli.Uint64Flag:
			return "want a whole number, 0 or more"
		case *cli.Float64Flag:
			return "want a number"
		case *cli.BoolFlag:
			return "want true or false"
		}
	}
	return "not a value this flag takes (" + reason + ")"
}

// nearestFlag returns the name of the flag nearest to typed by edit
// distance, if it is near enough to be a slip: at most 2 edits, or a third
// of typed's length; "" if none is.
func nearestFlag(flags []cli.Flag, typed string) string {
	typed = strings.TrimLeft(typed, "-")
	// Fewer edits than letters typed: -t is no slip for --db.
	best, bestDist := "", min(max(2, len(typed)/3)+1, len(typed))
	for _, f := range flags {
		for _, name := range f.Names() {
			if d := pipeline.EditDistance(typed, name); d < bestDist {
				best, bestDist = f.Names()[0], d
			}
		}
	}
	return best
}

// commands is the urfave/cli application with every command.
func (a *App) commands() *cli.App {
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
			a.serveCommand(),
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

// openDB opens the database named by --db, to write to: a --db that names
// no file, or a database file this user cannot write, is refused before
// any work is done.
func openDB(c *cli.Context) (*store.DB, error) {
	path := c.String("db")
	if err := checkDBFile("--db", path); err != nil {
		return nil, err
	}
	db, err := store.Open(c.Context, path)
	if err != nil {
		return nil, storageError{err}
	}
	noteUpgrade(c, db)
	return db, nil
}

// openDBToStore opens the database named by --db, as openDB does, where
// the file exists; where it does not, it only checks that it can be
// created and returns nil: a command whose input may yet be refused (a fit
// the data fails) creates it when it has something to store, and leaves
// no empty database behind otherwise.
func openDBToStore(c *cli.Context) (*store.DB, error) {
	path := c.String("db")
	if err := checkDBFile("--db", path); err != nil {
		return nil, err
	}
	if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
		if err := store.CheckCreatable(path); err != nil {
			return nil, storageError{err}
		}
		return nil, nil
	}
	return openDB(c)
}

// noteUpgrade tells of a database that opening it upgraded: a forecast
// older than this one, which may share it (a cron batch), refuses it now.
func noteUpgrade(c *cli.Context, db *store.DB) {
	if db.Upgraded > 0 {
		fmt.Fprintf(c.App.ErrWriter, "note: %s: upgraded the database from schema version %d to %d; a forecast older than this one refuses it now\n",
			db.Path, db.Upgraded, db.Version)
	}
}

// checkDBFile refuses a database, given by flag, that names no file
// (empty, as FORECAST_DB= gives it, or SQLite's :memory:), whose writes
// would be dropped at exit after they were reported stored, and a
// database file that exists but cannot be written (which SQLite opens, to
// fail at the first write).
func checkDBFile(flag, path string) error {
	if strings.TrimSpace(path) == "" || path == ":memory:" || strings.HasPrefix(path, "file:") {
		return usagef("%s %q names no database file: give one, such as %s forecast.db", flag, path, flag)
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		if errors.Is(err, fs.ErrPermission) {
			return storageError{fmt.Errorf("database %s is read-only", path)}
		}
		if err == nil {
			f.Close()
		}
	}
	return nil
}

// openExistingDB opens the database named by --db for a command that
// writes to what is stored there (a model to predict with, promote, tag,
// delete or refit): one that does not exist is an error, not a new empty
// database left behind by a mistyped path.
func openExistingDB(c *cli.Context) (*store.DB, error) {
	if err := checkDBExists(c.String("db")); err != nil {
		return nil, err
	}
	return openDB(c)
}

// checkDBExists returns a storage error if there is no database at path.
func checkDBExists(path string) error {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return storageError{fmt.Errorf("database %s does not exist: nothing has been stored there (check --db)", path)}
	}
	return nil
}

// openDBForReading opens the database of --db for a command that only
// reads it: read-only if the file or its folder is (see store.OpenForReading).
// A database that does not exist is an error, not a new empty one: the path
// is mistyped, or nothing has been stored yet.
func openDBForReading(c *cli.Context) (*store.DB, error) {
	path := c.String("db")
	if err := checkDBExists(path); err != nil {
		return nil, err
	}
	db, err := store.OpenForReading(c.Context, path)
	if err != nil {
		return nil, storageError{err}
	}
	noteUpgrade(c, db)
	return db, nil
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
