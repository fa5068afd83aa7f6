package app

import (
	"fmt"
	"os"
	"strings"
	"time"
	"unicode"

	"github.com/forecast-dev/forecast/app/pipeline"
	"github.com/forecast-dev/forecast/app/render"
	"github.com/forecast-dev/forecast/store"
	"github.com/urfave/cli/v2"
)

func (a *App) modelsCommand() *cli.Command {
	return &cli.Command{
		Name:  "models",
		Usage: "list, show, export, import, alias, tag and delete stored model versions",
		Description: `A model is named NAME (its newest version), NAME@VERSION (e.g. air@3),
NAME@ALIAS (e.g. air@champion, see promote) or NAME@latest.`,
		Subcommands: []*cli.Command{
			{
				Name:      "list",
				Usage:     "list the stored model versions, of every model or of NAME",
				ArgsUsage: "[NAME]",
				Flags:     []cli.Flag{formatFlag("table or json"), dbFlag},
				Action:    action(a.modelsList),
			},
			{
				Name:      "show",
				Usage:     "show one model version: lineage, hyper-parameters, training curve, test metrics",
				ArgsUsage: "NAME[@VERSION|@ALIAS]",
				Flags:     []cli.Flag{formatFlag("text or json"), dbFlag},
				Action:    action(a.modelsShow),
			},
			{
				Name:      "export",
				Usage:     "write a model version as the JSON interchange document (forecast-gru-json/1)",
				ArgsUsage: "NAME[@VERSION|@ALIAS]",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "format", Usage: "export format (json)", Value: "json"},
					&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write to this file instead of standard output (-)"},
					dbFlag,
				},
				Action: action(a.modelsExport),
			},
			{
				Name:      "import",
				Usage:     "store a new model version from a file models export wrote",
				ArgsUsage: "FILE",
				Description: `Reads the document models export writes and stores it as the next version
of its model (or of --name): the same weights, bit for bit, so that the new
version forecasts exactly as the exported one.`,
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "name", Usage: "store it as a version of this model (default: the name in the file)"},
					dbFlag,
				},
				Action: action(a.modelsImport),
			},
			{
				Name:      "promote",
				Usage:     "point an alias (e.g. champion) at a model version, moving it from any other version",
				ArgsUsage: "NAME@VERSION",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "alias", Usage: "the alias: a letter, then letters, digits, '_', '-' or '.'", Required: true},
					&cli.BoolFlag{Name: "remove", Usage: "remove the alias from model NAME instead"},
					dbFlag,
				},
				Action: action(a.modelsPromote),
			},
			{
				Name:      "tag",
				Usage:     "set (KEY=VALUE) or delete (--delete KEY) tags of a model version",
				ArgsUsage: "NAME[@VERSION|@ALIAS] [KEY=VALUE ...]",
				Flags: []cli.Flag{
					&cli.StringSliceFlag{Name: "delete", Usage: "delete the tag KEY (may be repeated)"},
					dbFlag,
				},
				Action: action(a.modelsTag),
			},
			{
				Name:      "rm",
				Usage:     "delete a model version; refused if an alias names it, if it has forecasts unless --cascade, or while a batch runs",
				ArgsUsage: "NAME@VERSION",
				Flags: []cli.Flag{
					&cli.BoolFlag{Name: "cascade", Usage: "delete the version's forecasts too"},
					dbFlag,
				},
				Action: action(a.modelsRm),
			},
		},
	}
}

// formatFlag is a --format flag offering choices, the first the default.
func formatFlag(choices string) *cli.StringFlag {
	def, _, _ := strings.Cut(choices, " ")
	return &cli.StringFlag{Name: "format", Usage: choices, Value: strings.TrimSuffix(def, ",")}
}

// checkFormat returns a usage error unless --format is one of choices.
func checkFormat(c *cli.Context, choices ...string) (string, error) {
	f := c.String("format")
	for _, ch := range choices {
		if f == ch {
			return f, nil
		}
	}
	return "", usagef("--format must be %s or %s, got %q", strings.Join(choices[:len(choices)-1], ", "), choices[len(choices)-1], f)
}

// modelRef parses a model reference (see store.ParseModelRef).
func modelRef(s string) (store.ModelRef, error) {
	ref, err := store.ParseModelRef(s)
	if err != nil {
		return ref, usagef("model %v", err)
	}
	return ref, nil
}

// openModelVersion opens the database of --db with open (openDB, or
// openDBForReading for a command that only reads) and finds the model
// version that refText (NAME, NAME@VERSION, NAME@ALIAS) names. The caller
// closes the database.
func openModelVersion(c *cli.Context, open func(*cli.Context) (*store.DB, error), refText string) (*store.DB, *store.ModelVersion, error) {
	ref, err := modelRef(refText)
	if err != nil {
		return nil, nil, err
	}
	db, err := open(c)
	if err != nil {
		return nil, nil, err
	}
	mv, err := db.FindModelVersion(c.Context, ref)
	if err != nil {
		db.Close()
		return nil, nil, storageError{err}
	}
	return db, mv, nil
}

func (a *App) modelsList(c *cli.Context) error {
	if c.NArg() > 1 {
		return usagef("models list takes at most one model name")
	}
	format, err := checkFormat(c, "table", "json")
	if err != nil {
		return err
	}
	db, err := openDBForReading(c)
	if err != nil {
		return err
	}
	defer db.Close()
	mvs, err := db.ListModelVersions(c.Context, c.Args().First())
	if err != nil {
		return storageError{err}
	}
	return render.ModelList(a.Stdout, format, mvs)
}

func (a *App) modelsShow(c *cli.Context) error {
	if c.NArg() != 1 {
		return usagef("models show needs one model, NAME[@VERSION|@ALIAS]")
	}
	format, err := checkFormat(c, "text", "json")
	if err != nil {
		return err
	}
	db, mv, err := openModelVersion(c, openDBForReading, c.Args().First())
	if err != nil {
		return err
	}
	defer db.Close()
	if format == "json" {
		return render.ModelJSON(a.Stdout, mv)
	}
	render.Model(a.Stdout, mv)
	return nil
}

func (a *App) modelsExport(c *cli.Context) error {
	if c.NArg() != 1 {
		return usagef("models export needs one model, NAME[@VERSION|@ALIAS]")
	}
	if f := c.String("format"); f != "json" {
		return usagef("--format %q is not supported: the export format is json", f)
	}
	if out := c.String("output"); out != "" && out != "-" {
		if err := checkNotDB(c, "--output", out); err != nil {
			return err
		}
	}
	db, mv, err := openModelVersion(c, openDBForReading, c.Args().First())
	if err != nil {
		return err
	}
	defer db.Close()
	doc, err := pipeline.ExportVersion(c.Context, db, mv)
	if err != nil {
		return err
	}
	out := c.String("output")
	if out == "" || out == "-" { // as models import reads "-"
		if _, err := a.Stdout.Write(append(doc, '\n')); err != nil {
			return storageError{fmt.Errorf("write the export: %w", err)}
		}
		return nil
	}
	f, err := os.Create(out)
	if err != nil {
		return usagef("--output: %v", err)
	}
	_, err = f.Write(append(doc, '\n'))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if fi, serr := os.Stat(out); serr == nil && fi.Mode().IsRegular() {
			os.Remove(out) // no half-written export is left behind
		}
		return storageError{fmt.Errorf("write the export to %s: %w", out, err)}
	}
	return nil
}

func (a *App) modelsPromote(c *cli.Context) error {
	if c.NArg() != 1 {
		return usagef("models promote needs one model version, NAME@VERSION")
	}
	ref, err := modelRef(c.Args().First())
	if err != nil {
		return err
	}
	alias := c.String("alias")
	if err := store.CheckAlias(alias); err != nil {
		return usagef("--alias: %v", err)
	}
	db, err := openExistingDB(c)
	if err != nil {
		return err
	}
	defer db.Close()
	if c.Bool("remove") {
		version, err := db.DeleteAlias(c.Context, ref.Name, alias)
		if err != nil {
			return storageError{err}
		}
		fmt.Fprintf(a.Stdout, "removed %s@%s (it named version %d)\n", ref.Name, alias, version)
		return nil
	}
	if ref.Version == 0 && ref.Alias == "" {
		return usagef("models promote needs the version to promote, NAME@VERSION, not %q", ref.Name)
	}
	prev, err := db.SetAlias(c.Context, ref, alias)
	if err != nil {
		return storageError{err}
	}
	mv, err := db.FindModelVersion(c.Context, store.ModelRef{Name: ref.Name, Alias: alias})
	if err != nil {
		return storageError{err}
	}
	was := "new alias"
	switch {
	case prev == mv.Version:
		was = "unchanged"
	case prev != 0:
		was = fmt.Sprintf("was version %d", prev)
	}
	fmt.Fprintf(a.Stdout, "%s@%s is version %d (%s)\n", ref.Name, alias, mv.Version, was)
	return nil
}

func (a *App) modelsTag(c *cli.Context) error {
	if c.NArg() < 1 {
		return usagef("models tag needs a model, NAME[@VERSION|@ALIAS], then KEY=VALUE tags")
	}
	ref, err := modelRef(c.Args().First())
	if err != nil {
		return err
	}
	set := map[string]string{}
	for _, kv := range c.Args().Tail() {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return usagef("tag %q: want KEY=VALUE", kv)
		}
		if strings.IndexFunc(kv, unicode.IsControl) >= 0 {
			return usagef("tag %q: want a key and value without control characters", kv)
		}
		set[k] = v
	}
	del := c.StringSlice("delete")
	if len(set) == 0 && len(del) == 0 {
		return usagef("models tag needs KEY=VALUE tags to set or --delete KEY")
	}
	db, err := openExistingDB(c)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.SetTags(c.Context, ref, set, del); err != nil {
		return storageError{err}
	}
	mv, err := db.FindModelVersion(c.Context, ref)
	if err != nil {
		return storageError{err}
	}
	fmt.Fprintf(a.Stdout, "%s tags: %s\n", mv.Ref(), render.TagList(mv.Tags))
	return nil
}

func (a *App) modelsRm(c *cli.Context) error {
	if c.NArg() != 1 {
		return usagef("models rm needs one model version, NAME@VERSION")
	}
	ref, err := modelRef(c.Args().First())
	if err != nil {
		return err
	}
	if ref.Version == 0 {
		return usagef("models rm needs the version to delete, NAME@VERSION, not %q", c.Args().First())
	}
	db, err := openExistingDB(c)
	if err != nil {
		return err
	}
	defer db.Close()
	// Not while a batch or a merge runs: a batch forecasting with the
	// version failed every series after it ("model version not found").
	lock, err := db.Lock(c.Context, "batch", "models rm", 0, 500*time.Millisecond)
	if err != nil {
		return err
	}
	defer lock.Unlock(c.Context)
	n, err := db.DeleteModelVersion(c.Context, ref, c.Bool("cascade"))
	if err != nil {
		return storageError{err}
	}
	fmt.Fprintf(a.Stdout, "deleted %s and its %d forecasts\n", ref, n)
	return nil
}
