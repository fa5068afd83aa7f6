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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	a := &app.App{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Version: version}
	code := a.Run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}
