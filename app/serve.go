package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"strings"

	"github.com/forecast-dev/forecast/app/pipeline"
	"github.com/forecast-dev/forecast/app/web"
	"github.com/forecast-dev/forecast/ingest"
	"github.com/forecast-dev/forecast/store"
	"github.com/urfave/cli/v2"
)

func (a *App) serveCommand() *cli.Command {
	return &cli.Command{
		Name:  "serve",
		Usage: "serve the database over HTTP: a JSON API under /v1/ and a dashboard at /",
		Description: `Opens the database read-only (a database of an older schema is upgraded
first, with a note) and answers HTTP requests on --addr (loopback
by default) until interrupted (Ctrl-C or SIGTERM), when it finishes the
requests under way and stops. It reads while batch and the other commands
write. With --allow-predict, POST /v1/predict forecasts posted values with a
stored model; its forecasts are returned, not stored. The endpoints are
described in the README, section "Dashboard and HTTP API".`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "addr", Usage: "address to listen on, HOST:PORT", Value: "127.0.0.1:8080"},
			&cli.BoolFlag{Name: "allow-predict", Usage: "answer POST /v1/predict (forecasts are returned, never stored)"},
			dbFlag,
		},
		Action: action(a.serve),
	}
}

func (a *App) serve(c *cli.Context) error {
	if c.NArg() != 0 {
		return usagef("serve takes no arguments, got %q", c.Args().First())
	}
	path := c.String("db")
	db, err := store.OpenReader(c.Context, path)
	if errors.Is(err, fs.ErrNotExist) {
		return storageError{fmt.Errorf("database %s does not exist", path)}
	}
	if err != nil {
		return storageError{err}
	}
	defer db.Close()
	noteUpgrade(c, db)

	srv := &web.Server{DB: db, Version: a.Version}
	mode := "read-only"
	if c.Bool("allow-predict") {
		srv.Predict = func(mv *store.ModelVersion, load func(string, []string) (*ingest.Series, error)) (*web.Prediction, error) {
			return predictStored(c.Context, db, mv, load)
		}
		mode += ", predictions on"
	}
	ln, err := net.Listen("tcp", c.String("addr"))
	if err != nil {
		return usagef("--addr: %v", err)
	}
	if host, _, _ := net.SplitHostPort(ln.Addr().String()); !net.ParseIP(host).IsLoopback() {
		fmt.Fprintf(a.Stderr, "forecast: serve: listening on %s, reachable from other machines; the API has no authentication\n", ln.Addr())
	}
	fmt.Fprintf(a.Stdout, "serving %s (%s) on http://%s/\n", path, mode, ln.Addr())
	if err := web.Serve(c.Context, ln, srv.Handler()); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	fmt.Fprintln(a.Stdout, "stopped")
	return nil
}

// predictStored forecasts with the stored version mv of db on the series
// load reads, as forecast predict does, without storing anything.
func predictStored(ctx context.Context, db *store.DB, mv *store.ModelVersion, load func(target string, covariates []string) (*ingest.Series, error)) (*web.Prediction, error) {
	m, err := pipeline.NewStoredModel(mv)
	if err != nil {
		return nil, err
	}
	m.Unstored = true // posted values without times are forecast by steps
	series, err := load(m.Target(), m.Covariates())
	if err != nil {
		return nil, err
	}
	// The series as /v1/series names it (SOURCE/ID), or as fit knows it
	// (ID, which holds a / of a key of two columns). A SOURCE/ID of a
	// source none of whose series the training run stored is another
	// source's series, whatever its ID.
	var note []string
	name, fitted := series.ID, true
	if source, _, ok := strings.Cut(name, "/"); ok && m.Predictor.Global() && !m.Predictor.KnowsSeries(name) {
		stored, recorded, err := db.TrainedSource(ctx, mv, source)
		if err != nil {
			return nil, err
		}
		fitted = stored || !recorded
	}
	if !(fitted && m.MatchStored(series, name)) && m.Predictor.Global() && name != "" && name != series.Name {
		note = append(note, fmt.Sprintf("model %s was not fitted on a series %q: it is forecast as a new one", mv.Ref(), name))
	}
	pred, err := m.Predict(series)
	if err != nil {
		return nil, dataError(err)
	}
	if pred.Adapted != "" {
		note = append(note, pred.Adapted)
	}
	return &web.Prediction{Series: pred.Series, Origin: pred.Origin, Method: pred.Method, Points: pred.Points, Note: strings.Join(note, "; ")}, nil
}

// dataError marks err as the fault of the posted data if the command line
// would exit with ExitData for it.
func dataError(err error) error {
	if exitCode(actionError{err}) == ExitData {
		return web.BadInput{Err: err}
	}
	return err
}
