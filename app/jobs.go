package app

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/BurntSushi/toml"
	"github.com/forecast-dev/forecast/app/pipeline"
	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/ingest"
	"github.com/forecast-dev/forecast/store"
	"github.com/urfave/cli/v2"
)

// jobsFile is a decoded jobs file. A jobs file is TOML: an array of
// [[job]] tables, each with a [job.source] and a [job.settings] table
// whose keys are the source and training flags of fit, spelt as on the
// command line:
//
//	[[job]]
//	name = "m4-hourly"              # required, unique
//	model = "m4-hourly"             # model name (default: the job's name)
//	refit = "if-older-than 7d"      # always, never, if-older-than DURATION, if-accuracy-worse-than MASE
//	alias = "champion"              # the version to reuse: NAME@ALIAS (default: the newest)
//	on-existing = "skip"            # a series already forecast from the same data: skip or replace
//	horizon = 48                    # the same as settings.horizon
//	train-series = 0                # train a refit on at most this many series (0: all)
//
//	[job.source]                    # fit's source flags
//	path = "data/m4-hourly.csv"     # a CSV file, or a glob of them ("data/*.csv")
//	layout = "rows"
//
//	[job.settings]                  # fit's training flags
//	lookback = 96
//	season = 24
//
// The source may also be sqlite = "FILE.db" with table or query, as fit's
// --sqlite, and series = ["H1", "H2"] takes only those series. Series are
// stored as SOURCE/ID (e.g. "m4-hourly/H1"), or under series-id = "NAME"
// for a source of one series. Paths are relative to the working directory.
type jobsFile struct {
	Path string
	Jobs []*job
}

// job is one job of a jobs file, checked and with its settings read.
type job struct {
	Name        string
	Model       string
	Refit       pipeline.Policy
	Alias       string
	Replace     bool // on-existing = "replace"
	TrainSeries int

	Path     string         // the source as messages show it: a file, a glob, or SQLITE:TABLE
	Glob     bool           // Path is a glob of files
	Source   ingest.Options // Name is set per file
	SeriesIn map[string]bool
	SeriesID string // the id to store the source's one series under; "" for SOURCE/ID
	Config   forecast.Config
	// HorizonSet says the job names its horizon; a reused model must then
	// forecast that many steps.
	HorizonSet bool

	raw map[string]any // the job as written, stored with its batch record
}

// jobKeys are the keys of a [[job]] table besides source and settings.
var jobKeys = []string{"name", "model", "refit", "alias", "on-existing", "horizon", "train-series", "source", "settings"}

// readJobs reads and checks a jobs file. Every problem is a usage error
// naming the file and the job.
func readJobs(path string) (*jobsFile, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, usagef("jobs file: %v", err)
	}
	var doc map[string]any
	if _, err := toml.Decode(string(text), &doc); err != nil {
		return nil, usagef("jobs file %s: %v", path, err)
	}
	var jobs []map[string]any
	for k, v := range doc {
		tables, ok := v.([]map[string]any)
		if k != "job" || !ok {
			return nil, usagef("jobs file %s: unknown key %q (the file holds [[job]] tables)", path, k)
		}
		jobs = tables
	}
	if len(jobs) == 0 {
		return nil, usagef("jobs file %s holds no [[job]]", path)
	}
	jf := &jobsFile{Path: path}
	names, models := map[string]bool{}, map[string]bool{}
	for i, raw := range jobs {
		j, err := readJob(raw)
		if err != nil {
			what := fmt.Sprintf("job %d", i+1)
			if name, ok := raw["name"].(string); ok && name != "" {
				what = fmt.Sprintf("job %q", name)
			}
			return nil, usagef("jobs file %s: %s: %v", path, what, err)
		}
		switch {
		case names[j.Name]:
			return nil, usagef("jobs file %s: two jobs are called %q", path, j.Name)
		case models[j.Model]:
			return nil, usagef("jobs file %s: two jobs use the model %q; each job needs a model of its own", path, j.Model)
		}
		names[j.Name], models[j.Model] = true, true
		jf.Jobs = append(jf.Jobs, j)
	}
	return jf, nil
}

// readJob checks one [[job]] table and reads its source and settings
// through fit's flags, so that they take the same values and defaults.
func readJob(raw map[string]any) (*job, error) {
	for k := range raw {
		if !slices.Contains(jobKeys, k) {
			return nil, fmt.Errorf("unknown key %q; a job has %s", k, strings.Join(jobKeys, ", "))
		}
	}
	j := &job{raw: raw}
	var err error
	str := func(key string) string {
		if err != nil {
			return ""
		}
		v, ok := raw[key]
		if !ok {
			return ""
		}
		s, ok := v.(string)
		if !ok {
			err = fmt.Errorf("%s must be a string, got %v", key, v)
		}
		return s
	}
	j.Name, j.Model, j.Alias = str("name"), str("model"), str("alias")
	refit, onExisting := str("refit"), str("on-existing")
	if err != nil {
		return nil, err
	}
	if j.Name == "" {
		return nil, errors.New("name is required")
	}
	if j.Model == "" {
		j.Model = j.Name
	}
	if strings.Contains(j.Model, "@") {
		return nil, fmt.Errorf("model %q: a name must not hold '@' (give the version to reuse as alias)", j.Model)
	}
	if j.Alias != "" && j.Alias != "latest" {
		if err := store.CheckAlias(j.Alias); err != nil {
			return nil, err
		}
	}
	if refit != "" {
		if j.Refit, err = pipeline.ParsePolicy(refit); err != nil {
			return nil, err
		}
	}
	switch onExisting {
	case "", "skip":
	case "replace":
		j.Replace = true
	default:
		return nil, fmt.Errorf("on-existing %q: want skip or replace", onExisting)
	}
	if v, ok := raw["train-series"]; ok {
		n, ok := v.(int64)
		if !ok || n < 0 {
			return nil, fmt.Errorf("train-series must be a whole number, 0 or more, got %v", v)
		}
		j.TrainSeries = int(n)
	}

	src, ok := raw["source"].(map[string]any)
	if !ok {
		return nil, errors.New("[job.source] is required: at least path (a CSV file or glob), or sqlite with table or query")
	}
	settings := map[string]any{}
	if v, ok := raw["settings"]; ok {
		if settings, ok = v.(map[string]any); !ok {
			return nil, errors.New("settings must be a table, [job.settings]")
		}
	}
	if h, ok := raw["horizon"]; ok {
		if _, dup := settings["horizon"]; dup {
			return nil, errors.New("horizon is given twice, in the job and in its settings")
		}
		settings["horizon"] = h
	}
	_, j.HorizonSet = settings["horizon"]

	c, err := flagContext("settings", trainingFlags(), settings)
	if err != nil {
		return nil, err
	}
	if j.Config, err = trainingConfig(c); err != nil {
		return nil, err
	}
	return j, readSource(j, src)
}

// readSource reads a job's [job.source] into j.
func readSource(j *job, src map[string]any) error {
	path, _ := src["path"].(string)
	delete(src, "path")
	if ids, ok := src["series"]; ok {
		j.SeriesIn = map[string]bool{}
		for _, id := range strings.Split(flagValue(ids), ",") {
			if id = strings.TrimSpace(id); id != "" {
				j.SeriesIn[id] = true
			}
		}
		delete(src, "series")
	}
	if id, ok := src["series-id"]; ok {
		j.SeriesID, _ = id.(string)
		if j.SeriesID == "" || strings.TrimSpace(j.SeriesID) != j.SeriesID || strings.ContainsFunc(j.SeriesID, unicode.IsControl) {
			return fmt.Errorf("source: series-id = %s: want a name without leading or trailing spaces or control characters", tomlText(id))
		}
		delete(src, "series-id")
	}
	c, err := flagContext("source", sourceFlags(), src)
	if err != nil {
		return err
	}
	db := c.String("sqlite")
	switch {
	case db != "" && path != "":
		return errors.New("source: give path or sqlite, not both")
	case db != "" && c.String("table") != "":
		j.Path = db + ":" + c.String("table")
	case db != "":
		j.Path = db + ":query"
	case path == "":
		return errors.New("source: path (a CSV file or a glob of them) or sqlite is required")
	default:
		j.Path, j.Glob = path, strings.ContainsAny(path, "*?[")
	}
	j.Source, err = sourceOptions(c, j.Path)
	return err
}

// flagContext parses values, keyed by flag name, as the flags of a command
// line, and returns the context that reads them. A key that is no flag is
// an error naming the keys there are.
func flagContext(section string, flags []cli.Flag, values map[string]any) (*cli.Context, error) {
	set := flag.NewFlagSet(section, flag.ContinueOnError)
	var names []string
	for _, f := range flags {
		if err := f.Apply(set); err != nil {
			return nil, err
		}
		names = append(names, f.Names()[0])
	}
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		i := slices.Index(names, k)
		if i < 0 {
			return nil, fmt.Errorf("%s: unknown key %q; the keys are %s", section, k, strings.Join(names, ", "))
		}
		if want := tomlKind(flags[i]); want != "" && !tomlIs(values[k], want) {
			return nil, fmt.Errorf("%s: %s = %s: want %s, not %s", section, k, tomlText(values[k]), want, tomlKindOf(values[k]))
		}
		if err := set.Set(k, flagValue(values[k])); err != nil {
			return nil, fmt.Errorf("%s: %s = %v: %v", section, k, values[k], err)
		}
	}
	return cli.NewContext(nil, set, nil), nil
}

// tomlKind is the kind of TOML value a flag takes: "a whole number", "a
// number", "true or false", or "" for a text flag, which takes text, a
// number or an array (comma-separated, as on the command line).
func tomlKind(f cli.Flag) string {
	switch f.(type) {
	case *cli.IntFlag, *cli.Uint64Flag:
		return "a whole number"
	case *cli.Float64Flag:
		return "a number"
	case *cli.BoolFlag:
		return "true or false"
	}
	return ""
}

// tomlIs reports whether the decoded TOML value v is of the kind want (see
// tomlKind). A quoted "7" is text, not a number.
func tomlIs(v any, want string) bool {
	switch v.(type) {
	case int64:
		return want == "a whole number" || want == "a number"
	case float64:
		return want == "a number"
	case bool:
		return want == "true or false"
	}
	return false
}

// tomlKindOf names the kind of a decoded TOML value for messages.
func tomlKindOf(v any) string {
	switch v.(type) {
	case string:
		return "text"
	case int64:
		return "a whole number"
	case float64:
		return "a fraction"
	case bool:
		return "true or false"
	case []any:
		return "an array"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("%T", v)
}

// tomlText writes a decoded TOML value as the file did, text quoted.
func tomlText(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	return fmt.Sprint(v)
}

// flagValue writes a TOML value as a flag value: arrays comma-separated.
func flagValue(v any) string {
	if vs, ok := v.([]any); ok {
		parts := make([]string, len(vs))
		for i, x := range vs {
			parts[i] = fmt.Sprint(x)
		}
		return strings.Join(parts, ",")
	}
	return fmt.Sprint(v)
}

// config is the job as written, as JSON for its batch record.
func (j *job) config() string {
	b, err := json.Marshal(j.raw)
	if err != nil {
		return "{}"
	}
	return string(b)
}

// headLines is how many lines of a job's CSV checkSources reads.
const headLines = 64

// checkSources checks, before anything is opened or written, that the
// source of every job exists and holds the job's target columns: a path
// that is missing or a glob that matches no file is a usage error, a target
// the first file lacks an error wrapping ingest.ErrMissingColumn. Only the
// head of each file is read (of a glob, the first file); bad values further
// down are left to the batch, which records them per series.
func (jf *jobsFile) checkSources() error {
	for _, j := range jf.Jobs {
		if err := j.checkSource(); err != nil {
			return fmt.Errorf("jobs file %s: job %q: %w", jf.Path, j.Name, err)
		}
	}
	return nil
}

// checkSource checks the source of j; see checkSources.
func (j *job) checkSource() error {
	if j.Source.Table != "" || j.Source.Query != "" {
		if _, err := os.Stat(j.Source.Name); err != nil {
			return usagef("source: sqlite %v", err)
		}
		return nil
	}
	file := j.Path
	if j.Glob {
		files, err := filepath.Glob(j.Path)
		if err != nil {
			return usagef("source path %q: %v", j.Path, err)
		}
		if len(files) == 0 {
			return usagef("source path %q matches no file", j.Path)
		}
		sort.Strings(files)
		file = files[0]
	}
	f, err := os.Open(file)
	if err != nil {
		return usagef("source: %v", err)
	}
	defer f.Close()
	if j.Source.Layout == ingest.LayoutRows {
		return nil // the target names rows, not columns
	}
	var head bytes.Buffer
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for i := 0; i < headLines && sc.Scan(); i++ {
		head.Write(sc.Bytes())
		head.WriteByte('\n')
	}
	opt := j.Source
	opt.Name = file
	if _, err := ingest.LoadAll(&head, opt); errors.Is(err, ingest.ErrMissingColumn) {
		return err
	}
	return nil
}
