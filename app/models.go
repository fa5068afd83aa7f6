package app

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"

	"github.com/forecast-dev/forecast/app/pipeline"
	"github.com/forecast-dev/forecast/forecast"
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
					&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write to this file instead of standard output"},
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
				Usage:     "delete a model version; refused if an alias names it, or if it has forecasts unless --cascade",
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

// modelSummary is one model version in models list --format json and models
// show --format json. Params and Metrics are the stored JSON documents.
type modelSummary struct {
	Model          string            `json:"model"`
	Version        int               `json:"version"`
	Aliases        []string          `json:"aliases"`
	Tags           map[string]string `json:"tags"`
	CreatedAt      string            `json:"created_at"`
	RunID          int64             `json:"run_id"`
	ProgramVersion string            `json:"program_version"`
	DurationSec    float64           `json:"duration_seconds"`
	Parent         string            `json:"parent"`
	Source         string            `json:"data_source"`
	Series         string            `json:"data_series"`
	Start          string            `json:"data_start"`
	End            string            `json:"data_end"`
	Freq           string            `json:"data_freq"`
	Rows           int               `json:"data_rows"`
	Fingerprint    string            `json:"data_fingerprint"`
	Seed           uint64            `json:"seed"`
	MASEScale      float64           `json:"mase_scale"`
	Forecasts      int               `json:"forecasts"`
	Params         json.RawMessage   `json:"params,omitempty"`
	Scaler         json.RawMessage   `json:"scaler,omitempty"`
	Metrics        json.RawMessage   `json:"metrics,omitempty"`
}

func summarize(mv *store.ModelVersion, full bool) modelSummary {
	s := modelSummary{
		Model: mv.Name, Version: mv.Version, Aliases: mv.Aliases, Tags: mv.Tags,
		CreatedAt: rfc3339(mv.CreatedAt), RunID: mv.RunID, ProgramVersion: mv.ProgramVersion,
		DurationSec: mv.Duration.Seconds(), Parent: mv.Parent,
		Source: mv.DataSource, Series: mv.DataSeries, Start: rfc3339(mv.DataStart), End: rfc3339(mv.DataEnd),
		Freq: mv.DataFreq, Rows: mv.DataRows, Fingerprint: mv.DataFingerprint,
		Seed: mv.Seed, MASEScale: mv.MASEScale, Forecasts: mv.Forecasts,
	}
	if s.Aliases == nil {
		s.Aliases = []string{}
	}
	if s.Tags == nil {
		s.Tags = map[string]string{}
	}
	if full {
		for _, f := range []struct {
			dst *json.RawMessage
			src string
		}{{&s.Params, mv.Params}, {&s.Scaler, mv.Scaler}, {&s.Metrics, mv.Metrics}} {
			if json.Valid([]byte(f.src)) {
				*f.dst = json.RawMessage(f.src)
			}
		}
	}
	return s
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
	if format == "json" {
		out := make([]modelSummary, len(mvs))
		for i, mv := range mvs {
			out[i] = summarize(mv, false)
		}
		return writeJSON(a.Stdout, out)
	}
	tw := tabwriter.NewWriter(a.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "MODEL\tVERSION\tALIASES\tCREATED\tROWS\tTEST MASE\tFORECASTS\tSOURCE")
	for _, mv := range mvs {
		mase := "-"
		if m, err := forecast.ParseReport(mv.Metrics); err == nil {
			if v, ok := m.TestMASE(); ok {
				mase = fmt.Sprintf("%.4f", v)
			}
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%d\t%s\t%d\t%s\n", cell(mv.Name), mv.Version, orDash(strings.Join(mv.Aliases, ",")),
			mv.CreatedAt.Format("2006-01-02 15:04:05"), mv.DataRows, mase, mv.Forecasts, cell(mv.DataSource))
	}
	return tw.Flush()
}

// cell escapes the control characters of s (tab, newline, escape
// sequences, ...) as Go does in quoted strings, so that a name from the
// data prints as one cell of a table and cannot move the cursor or recolour
// the terminal. Other characters are kept as they are.
func cell(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) {
			q := strconv.QuoteRune(r) // e.g. '\t', '\x1b'
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// orDash returns s, or "-" for an empty table cell.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// writeJSON writes v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
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
		return writeJSON(a.Stdout, summarize(mv, true))
	}
	printModel(a.Stdout, mv)
	return nil
}

// printModel prints a model version for people.
func printModel(w io.Writer, mv *store.ModelVersion) {
	line := func(label, format string, args ...any) {
		fmt.Fprintf(w, "%-10s %s\n", label+":", fmt.Sprintf(format, args...))
	}
	line("model", "%s", mv.Ref())
	line("aliases", "%s", orDash(strings.Join(mv.Aliases, ", ")))
	var tags []string
	for k, v := range mv.Tags {
		tags = append(tags, k+"="+v)
	}
	sort.Strings(tags)
	line("tags", "%s", orDash(strings.Join(tags, ", ")))
	line("created", "%s by run %d, forecast %s", mv.CreatedAt.Format("2006-01-02 15:04:05 MST"), mv.RunID, orDash(mv.ProgramVersion))
	line("parent", "%s", orDash(mv.Parent))
	span := "no time column"
	if !mv.DataEnd.IsZero() {
		span = fmt.Sprintf("%s, %s to %s", orDash(mv.DataFreq), orDash(formatTime(mv.DataStart)), formatTime(mv.DataEnd))
	}
	line("data", "%s, series %s, %d rows, %s", mv.DataSource, orDash(mv.DataSeries), mv.DataRows, span)
	line("sha256", "%s", mv.DataFingerprint)

	p, err := forecast.ParseParams(mv.Params)
	switch {
	case err == nil && p.ClassicalOnly:
		line("params", "target %s, horizon %d, season %d, protocol %s; no network: the series was too short for one",
			p.Target, p.Horizon, p.Season, p.SplitProtocol())
	case err == nil && mv.Params != "":
		line("params", "target %s, lookback %d, horizon %d, layers %d, hidden %d, epochs %d, patience %d, batch %d, lr %v, clip %v, season %d, seed %d, protocol %s",
			p.Target, p.Lookback, p.Horizon, p.Layers, p.Hidden, p.Epochs, p.Patience, p.Batch, p.LR, p.Clip, p.Season, p.Seed, p.SplitProtocol())
	}
	m, err := forecast.ParseReport(mv.Metrics)
	if err != nil {
		m = forecast.Report{}
	}
	if p.MethodName != "" {
		line("forecast", "by %s, chosen on validation%s", p.MethodName, seriesMethods(m))
	}
	if z, err := forecast.ParseZScore(mv.Scaler); err == nil && mv.Scaler != "" {
		line("scaler", "z-score, mean %.6g, std %.6g", z.Mean, z.Std)
	}
	if len(m.History) == 0 {
		line("forecasts", "%d stored", mv.Forecasts)
		return
	}
	line("training", "%d epochs in %.1fs, best epoch %d (validation MSE %.5f)", m.Epochs, mv.Duration.Seconds(), m.BestEpoch, m.ValLoss)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "epoch\ttrain MSE\tval MSE\t\t")
	// The first and last three epochs and the best one; "..." for the rest.
	n := len(m.History)
	for i, h := range m.History {
		mark := ""
		switch {
		case h.Epoch == m.BestEpoch:
			mark = "*"
		case i >= 3 && i < n-3:
			if i == 3 || m.History[i-1].Epoch == m.BestEpoch {
				fmt.Fprintln(tw, "...\t\t\t\t")
			}
			continue
		}
		fmt.Fprintf(tw, "%d\t%.5f\t%.5f\t%s\t\n", h.Epoch, h.TrainLoss, h.ValLoss, mark)
	}
	tw.Flush()
	fmt.Fprintf(w, "test metrics over %d windows (MASE with season %d, scale %.6g):\n", m.Windows["test"], p.Season, mv.MASEScale)
	printScoreTable(w, m.Test, true)
	line("forecasts", "%d stored", mv.Forecasts)
}

func (a *App) modelsExport(c *cli.Context) error {
	if c.NArg() != 1 {
		return usagef("models export needs one model, NAME[@VERSION|@ALIAS]")
	}
	if f := c.String("format"); f != "json" {
		return usagef("--format %q is not supported: the export format is json", f)
	}
	db, mv, err := openModelVersion(c, openDBForReading, c.Args().First())
	if err != nil {
		return err
	}
	defer db.Close()
	var w io.Writer = a.Stdout
	if out := c.String("output"); out != "" {
		f, err := os.Create(out)
		if err != nil {
			return usagef("--output: %v", err)
		}
		defer f.Close()
		w = f
	}
	fcs, err := db.FindForecasts(c.Context, store.ForecastFilter{Model: &store.ModelRef{Name: mv.Name, Version: mv.Version}, RunID: mv.RunID})
	if err != nil {
		return storageError{err}
	}
	var ids []string
	for _, f := range fcs {
		if !slices.Contains(ids, f.Series) {
			ids = append(ids, f.Series)
		}
	}
	doc, err := pipeline.ExportDocument(mv, ids)
	if err != nil {
		return err
	}
	if _, err := w.Write(append(doc, '\n')); err != nil {
		return fmt.Errorf("write the export: %w", err)
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
	db, err := openDB(c)
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
		set[k] = v
	}
	del := c.StringSlice("delete")
	if len(set) == 0 && len(del) == 0 {
		return usagef("models tag needs KEY=VALUE tags to set or --delete KEY")
	}
	db, err := openDB(c)
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
	var tags []string
	for k, v := range mv.Tags {
		tags = append(tags, k+"="+v)
	}
	sort.Strings(tags)
	fmt.Fprintf(a.Stdout, "%s tags: %s\n", mv.Ref(), orDash(strings.Join(tags, ", ")))
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
	db, err := openDB(c)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.DeleteModelVersion(c.Context, ref, c.Bool("cascade"))
	if err != nil {
		return storageError{err}
	}
	fmt.Fprintf(a.Stdout, "deleted %s and its %d forecasts\n", ref, n)
	return nil
}

// seriesMethods says, for a model of several series, how many each method
// forecasts by its report m; "" for one series.
func seriesMethods(m forecast.Report) string {
	if len(m.Methods) < 2 {
		return ""
	}
	return " (the first series; of all: " + methodCounts(m.Methods) + ")"
}

// methodCounts lists how many series each method forecasts, e.g.
// "ets 3, gru 5".
func methodCounts(counts map[string]int) string {
	names := make([]string, 0, len(counts))
	for k := range counts {
		names = append(names, k)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, k := range names {
		parts[i] = fmt.Sprintf("%s %d", k, counts[k])
	}
	return strings.Join(parts, ", ")
}
