package app

import (
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/urfave/cli/v2"
)

func (a *App) modelsCommand() *cli.Command {
	return &cli.Command{
		Name:  "models",
		Usage: "list and export stored model versions",
		Subcommands: []*cli.Command{
			{
				Name:   "list",
				Usage:  "list every stored model version",
				Flags:  []cli.Flag{dbFlag},
				Action: action(a.modelsList),
			},
			{
				Name:      "export",
				Usage:     "write a model version as the JSON interchange document (forecast-gru-json/1)",
				ArgsUsage: "NAME[@VERSION]",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "format", Usage: "export format (json)", Value: "json"},
					&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write to this file instead of standard output"},
					dbFlag,
				},
				Action: action(a.modelsExport),
			},
		},
	}
}

func (a *App) modelsList(c *cli.Context) error {
	if c.NArg() != 0 {
		return usagef("models list takes no arguments")
	}
	db, err := openDB(c)
	if err != nil {
		return err
	}
	defer db.Close()
	mvs, err := db.ListModelVersions(c.Context)
	if err != nil {
		return storageError{err}
	}
	tw := tabwriter.NewWriter(a.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "MODEL\tVERSION\tCREATED\tROWS\tSOURCE")
	for _, mv := range mvs {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%s\n", mv.Name, mv.Version, mv.CreatedAt.Format("2006-01-02 15:04:05"), mv.DataRows, mv.DataSource)
	}
	return tw.Flush()
}

func (a *App) modelsExport(c *cli.Context) error {
	if c.NArg() != 1 {
		return usagef("models export needs one model, NAME or NAME@VERSION")
	}
	if f := c.String("format"); f != "json" {
		return usagef("--format %q is not supported: the export format is json", f)
	}
	name, version, err := parseModelRef(c.Args().First())
	if err != nil {
		return err
	}
	db, err := openDB(c)
	if err != nil {
		return err
	}
	defer db.Close()
	mv, err := db.FindModelVersion(c.Context, name, version)
	if err != nil {
		return storageError{err}
	}
	var w io.Writer = a.Stdout
	if out := c.String("output"); out != "" {
		f, err := os.Create(out)
		if err != nil {
			return usagef("--output: %v", err)
		}
		defer f.Close()
		w = f
	}
	if _, err := io.WriteString(w, mv.Export+"\n"); err != nil {
		return fmt.Errorf("write the export: %w", err)
	}
	return nil
}
