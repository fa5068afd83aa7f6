package app

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/forecast-dev/forecast/app/pipeline"
	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/store"
	"github.com/urfave/cli/v2"
)

func (a *App) modelsImport(c *cli.Context) (err error) {
	began := time.Now()
	if c.NArg() != 1 {
		return usagef("models import needs one file, as models export writes it")
	}
	path := c.Args().First()
	name := c.String("name")
	if name != "" {
		if err := store.CheckModelName(name); err != nil {
			return usagef("--name %q: %v", name, err)
		}
	}
	var doc []byte
	if path == "-" {
		path = "<stdin>"
		doc, err = io.ReadAll(a.Stdin)
	} else {
		doc, err = os.ReadFile(path)
	}
	if err != nil {
		return inputError(path, err)
	}
	mv, err := pipeline.ImportVersion(doc, name)
	if errors.Is(err, pipeline.ErrNoModelName) {
		err = fmt.Errorf("%w: give one with --name", err)
	}
	if err != nil {
		return fmt.Errorf("%w: %s: %w", forecast.ErrInvalid, path, err)
	}
	if mv.DataSource == "" { // an export written before it named its data
		mv.DataSource = path
	}
	db, err := openDB(c)
	if err != nil {
		return err
	}
	defer db.Close()
	run := newRun(c, "import", a.Version, began)
	defer func() { failRun(c, db, run, err) }()
	if err := db.SaveFit(c.Context, run, mv, nil); err != nil {
		return storageError{fmt.Errorf("store the model: %w", err)}
	}
	fmt.Fprintf(a.Stdout, "imported %s as %s (run %d) in %s\n", path, mv.Ref(), run.ID, c.String("db"))
	return nil
}
