package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/forecast-dev/forecast/app"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	// Output to a closed pipe (batch ... | head -1) fails to be written
	// instead of killing the process mid-run, which left a batch's run
	// unfinished and its lock held: the work goes on to its end.
	signal.Ignore(syscall.SIGPIPE)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	a := &app.App{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Version: version}
	code := a.Run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}
