package pipeline

import (
	"errors"
	"fmt"
)

// ErrUsage marks a bad jobs file, job setting or flag value: the caller's
// request is wrong, not its data or its database. The command line maps it
// to exit code 2.
var ErrUsage = errors.New("usage")

// ErrStorage marks a failure to read or write the database. The command
// line maps it to exit code 5.
var ErrStorage = errors.New("storage")

// usageError is an error that is ErrUsage, with a message of its own.
type usageError struct{ msg string }

func (e usageError) Error() string        { return e.msg }
func (e usageError) Is(target error) bool { return target == ErrUsage }

// usagef is a usage error with a formatted message.
func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// storageError is an error of the database, err, that is ErrStorage.
type storageError struct{ err error }

func (e storageError) Error() string        { return e.err.Error() }
func (e storageError) Unwrap() error        { return e.err }
func (e storageError) Is(target error) bool { return target == ErrStorage }
