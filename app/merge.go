package app

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/forecast-dev/forecast/app/render"
	"github.com/forecast-dev/forecast/store"
	"github.com/urfave/cli/v2"
)

func (a *App) mergeCommand() *cli.Command {
	return &cli.Command{
		Name:      "merge",
		Usage:     "combine forecast databases, such as those of batch shards, into one without duplicates",
		ArgsUsage: "A.db B.db ...",
		Description: `Copies the runs, model versions, aliases, tags, forecasts, actuals and batch
records of each database into --into (created if need be), each database in
one transaction. The inputs are only read: each is checked before anything is
written (a forecast database, not the target nor a link to it), and an input
of an older schema is upgraded in a temporary copy. Rows are matched by content, not id, so merging a database
twice or merging copies of one model version copies them once; a model
version new to the target becomes the next version of its name. Holds the
target's batch lock while it writes.`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "into", Usage: "the database to merge into", Required: true},
			&cli.DurationFlag{Name: "wait", Usage: "wait this long for a batch on the target to finish (0: exit at once)"},
		},
		Action: action(a.merge),
	}
}

func (a *App) merge(c *cli.Context) error {
	if c.NArg() == 0 {
		return usagef("merge needs the databases to merge, e.g. forecast merge shard-*.db --into all.db")
	}
	if c.Duration("wait") < 0 {
		return usagef("--wait must not be negative, got %v", c.Duration("wait"))
	}
	// Every input is checked, read-only, before the target is opened.
	for _, src := range c.Args().Slice() {
		if err := store.CheckMergeSource(c.Context, c.String("into"), src); errors.Is(err, os.ErrPermission) {
			return storageError{err}
		} else if errors.Is(err, store.ErrLocked) {
			return err // a shard still written: exit 8, and no target created
		} else if errors.Is(err, store.ErrSameDatabase) {
			return usagef("%v", err)
		} else if errors.Is(err, fs.ErrNotExist) {
			return storageError{fmt.Errorf("database %s does not exist (check the files to merge)", src)}
		} else if err != nil {
			return storageError{err} // not a database, as --db of one is
		}
	}
	if err := checkDBFile("--into", c.String("into")); err != nil {
		return err
	}
	db, err := store.Open(c.Context, c.String("into"))
	if err != nil {
		return storageError{err}
	}
	defer db.Close()
	lock, err := db.Lock(c.Context, "batch", "merge", c.Duration("wait"), 500*time.Millisecond)
	if err != nil {
		return err
	}
	defer lock.Unlock(c.Context)
	for _, src := range c.Args().Slice() {
		st, err := db.Merge(c.Context, src)
		if err != nil {
			return storageError{err}
		}
		fmt.Fprintf(a.Stdout, "%s: copied %s, %s, %s, %s, %d batch series; %d series forecast by two runs from one cut-off, the newer kept\n",
			src, render.Plural(st.Runs, "run"), render.Plural(st.ModelVersions, "model version"), render.Plural(st.Forecasts, "forecast"),
			render.Plural(st.Actuals, "actual"), st.BatchSeries, st.Duplicates)
		if len(st.Renumbered) > 0 {
			fmt.Fprintf(a.Stdout, "%s: model versions renumbered after the target's: %s\n", src, strings.Join(st.Renumbered, ", "))
		}
		if len(st.KeptTags) > 0 {
			fmt.Fprintf(a.Stderr, "note: %s: tags of the same versions with other values there keep the values here: %s\n", src, strings.Join(st.KeptTags, ", "))
		}
		if len(st.MovedAliases) > 0 {
			fmt.Fprintf(a.Stderr, "note: %s: aliases set there later now name its versions: %s\n", src, strings.Join(st.MovedAliases, ", "))
		}
		for _, id := range st.Unfinished {
			fmt.Fprintf(a.Stderr, "note: %s: batch run %d never finished (killed?): the series it stored are merged; run the batch on %s to forecast the others\n",
				src, id, c.String("into"))
		}
	}
	fmt.Fprintf(a.Stdout, "merged %s into %s\n", render.Plural(c.NArg(), "database"), c.String("into"))
	return nil
}
