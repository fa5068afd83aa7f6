package app

import (
	"errors"
	"fmt"

	"github.com/forecast-dev/forecast/app/pipeline"
	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/ingest"
	"github.com/forecast-dev/forecast/store"
	"github.com/urfave/cli/v2"
)

// Exit codes of the forecast command. Values are fixed and must never be
// re-ordered or renumbered; a new code takes the next number.
//
//	0  success
//	1  internal error (a bug), or a command interrupted
//	2  usage: an unknown command or flag, a flag value out of range
//	3  bad input data, or data that does not fit the model
//	4  not found: no such model, version or alias
//	5  storage: the database could not be opened, read or written
//	6  conflict: a change the registry refuses, such as deleting an aliased
//	   version or one with forecasts without --cascade
//	7  a batch ran, but some of its series or jobs failed (the run records which)
//	8  busy: another batch holds the database's lock
const (
	ExitOK       = 0
	ExitInternal = 1
	ExitUsage    = 2
	ExitData     = 3
	ExitNotFound = 4
	ExitStorage  = 5
	ExitConflict = 6
	ExitFailed   = 7
	ExitBusy     = 8
)

// usageError marks a bad flag value; it becomes exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// storageError marks a failure of the database; it becomes exit code 5.
type storageError struct{ err error }

func (e storageError) Error() string { return e.err.Error() }
func (e storageError) Unwrap() error { return e.err }

// actionError marks an error returned by a command's action, as opposed to
// one from parsing the command line, which is a usage error.
type actionError struct{ err error }

func (e actionError) Error() string { return e.err.Error() }
func (e actionError) Unwrap() error { return e.err }

// action wraps a command's action so that its errors are told apart from
// the command line parser's.
func action(f cli.ActionFunc) cli.ActionFunc {
	return func(c *cli.Context) error {
		if err := f(c); err != nil {
			return actionError{err}
		}
		return nil
	}
}

// exitCode maps an error to the documented exit code.
func exitCode(err error) int {
	var ae actionError
	if err != nil && !errors.As(err, &ae) {
		return ExitUsage
	}
	var ue usageError
	var se storageError
	var pe *ingest.ParseError
	var ec cli.ExitCoder
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ue), errors.Is(err, pipeline.ErrUsage):
		return ExitUsage
	case errors.Is(err, store.ErrNotFound):
		return ExitNotFound
	case errors.Is(err, store.ErrConflict):
		return ExitConflict
	case errors.Is(err, store.ErrLocked):
		return ExitBusy
	case errors.As(err, &se), errors.Is(err, pipeline.ErrStorage):
		return ExitStorage
	case errors.As(err, &pe), errors.Is(err, forecast.ErrInvalid), ingest.IsInputError(err):
		return ExitData
	case errors.As(err, &ec):
		return ec.ExitCode()
	}
	return ExitInternal
}
