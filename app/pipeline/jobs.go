package pipeline

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/ingest"
	"github.com/forecast-dev/forecast/store"
)

// JobsFile is a decoded jobs file. A jobs file is TOML: an array of
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
type JobsFile struct {
	Path string
	Jobs []*Job
}

// Job is one job of a jobs file, checked and with its settings read.
type Job struct {
	Name        string
	Model       string
	Refit       Policy
	Alias       string
	Replace     bool // on-existing = "replace"
	TrainSeries int

	Path     string         // the source as messages show it: a file, a glob, or SQLITE:TABLE
	Glob     bool           // Path is a glob of files
	Source   ingest.Options // Name is set per file
	SeriesIn map[string]bool
	SeriesID string // the id to store the source's one series under; "" for SOURCE/ID
	// SourceName is the name the stored ids start with in place of the
	// source's stem (source-name); "" for the stem.
	SourceName string
	// Config is the job's training configuration. A job that names its
	// horizon has it in Config.Horizon (0 for auto): a reused model must
	// then forecast that many steps.
	Config forecast.Config

	raw map[string]any // the job as written, stored with its batch record
}

// jobSpec is a [[job]] table as the file writes it; readJob checks it.
type jobSpec struct {
	Name        textOnly     `toml:"name"`
	Model       textOnly     `toml:"model"`
	Refit       textOnly     `toml:"refit"`
	Alias       textOnly     `toml:"alias"`
	OnExisting  textOnly     `toml:"on-existing"`
	Horizon     *FlagText    `toml:"horizon"`
	TrainSeries FlagInt      `toml:"train-series"`
	Source      sourceSpec   `toml:"source"`
	Settings    settingsSpec `toml:"settings"`
}

// sourceSpec is a job's [job.source]: fit's source flags, a path or glob
// instead of fit's data file argument, and series-id as fit's --series-id.
type sourceSpec struct {
	SourceSettings
	Path       textOnly   `toml:"path"`
	Series     FlagText   `toml:"series"`
	SeriesID   seriesID   `toml:"series-id"`
	SourceName sourceName `toml:"source-name"`
}

// settingsSpec is a job's [job.settings]: fit's training flags, with the
// horizon apart so that the job can tell whether it was given.
type settingsSpec struct {
	Horizon *FlagText `toml:"horizon"`
	TrainingSettings
}

// newJobSpec is a jobSpec holding the defaults of fit's flags, for a
// [[job]] table to be decoded over.
func newJobSpec() jobSpec {
	return jobSpec{
		Source:   sourceSpec{SourceSettings: DefaultSource},
		Settings: settingsSpec{TrainingSettings: DefaultTraining},
	}
}

// ReadJobs reads and checks a jobs file. Every problem is a usage error
// naming the file and, but for one of TOML syntax, the job and the key.
func ReadJobs(path string) (*JobsFile, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, usagef("jobs file: %v", err)
	}
	var top map[string]any    // the file's keys, for the one it may hold
	var raws []map[string]any // the jobs as written
	if _, err := toml.Decode(string(text), &top); err != nil {
		return nil, usagef("jobs file %s: %v", path, err)
	}
	for _, k := range slices.Sorted(maps.Keys(top)) {
		jobs, ok := jobTables(top[k])
		if k != "job" || !ok {
			return nil, usagef("jobs file %s: unknown key %q (the file holds [[job]] tables)", path, k)
		}
		raws = jobs
	}
	if len(raws) == 0 {
		return nil, usagef("jobs file %s holds no [[job]]", path)
	}
	jf := &JobsFile{Path: path}
	names, models := map[string]bool{}, map[string]bool{}
	first := 0 // the index in the file of the segment's first job
	for _, seg := range jobSegments(string(text), len(raws)) {
		specs, err := decodeJobs(seg, raws[first:])
		if err != nil {
			return nil, usagef("jobs file %s: %s: %v", path, jobWhat(raws, first+err.job), err.err)
		}
		for i, spec := range specs {
			raw := raws[first+i]
			j, err := readJob(spec, raw)
			if err != nil {
				return nil, usagef("jobs file %s: %s: %v", path, jobWhat(raws, first+i), err)
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
		first += len(specs)
	}
	return jf, nil
}

// jobTables returns the tables of the decoded value of a file's key job:
// an array of [[job]] tables, or of inline tables (job = [{…}, {…}]).
func jobTables(v any) ([]map[string]any, bool) {
	switch v := v.(type) {
	case []map[string]any:
		return v, true
	case []any:
		tables := make([]map[string]any, len(v))
		for i, x := range v {
			t, ok := x.(map[string]any)
			if !ok {
				return nil, false
			}
			tables[i] = t
		}
		return tables, true
	}
	return nil, false
}

// jobWhat names the i-th job of jobs in messages: by its name if it has
// one, else by its place in the file.
func jobWhat(jobs []map[string]any, i int) string {
	if name, ok := jobs[i]["name"].(string); ok && name != "" {
		return fmt.Sprintf("job %q", name)
	}
	return fmt.Sprintf("job %d", i+1)
}

// jobHeader is the line that begins a [[job]] table.
var jobHeader = regexp.MustCompile(`(?m)^[ \t]*\[\[[ \t]*job[ \t]*\]\][ \t]*(#.*)?\r?$`)

// jobSegments cuts the text of a jobs file of n jobs into one text per
// job, each the job's lines with the lines before them left blank, so that
// decoding a segment gives the lines of the file in messages and tells the
// keys of one job from another's. A file whose jobs are not each begun by
// a [[job]] line (an array of inline tables) is one segment.
func jobSegments(text string, n int) []string {
	at := jobHeader.FindAllStringIndex(text, -1)
	if len(at) != n {
		return []string{text}
	}
	segs := make([]string, n)
	for i, loc := range at {
		end := len(text)
		if i+1 < n {
			end = at[i+1][0]
		}
		segs[i] = strings.Repeat("\n", strings.Count(text[:loc[0]], "\n")) + text[loc[0]:end]
	}
	return segs
}

// jobError is an error of the job-th job of a segment.
type jobError struct {
	job int
	err error
}

// decodeJobs decodes the [[job]] tables of the segment seg of a jobs file
// (see jobSegments), whose jobs are the first of raw as decoded untyped,
// over the defaults of fit's flags. A key that is no key of a job is an
// error naming it, and the nearest valid key if one is near.
func decodeJobs(seg string, raw []map[string]any) ([]jobSpec, *jobError) {
	var doc struct {
		Job []toml.Primitive `toml:"job"`
	}
	md, err := toml.Decode(seg, &doc)
	if err != nil {
		return nil, &jobError{0, err}
	}
	specs := make([]jobSpec, len(doc.Job))
	for i, p := range doc.Job {
		for _, k := range []string{"source", "settings"} {
			if v, ok := raw[i][k]; ok && !isTable(v) {
				return nil, &jobError{i, fmt.Errorf("%s = %s: want a table, [job.%s]", k, tomlText(v), k)}
			}
		}
		specs[i] = newJobSpec()
		if err := md.PrimitiveDecode(p, &specs[i]); err != nil {
			return nil, &jobError{i, valueError(err)}
		}
	}
	if unknown := md.Undecoded(); len(unknown) > 0 {
		k := unknown[0][1:] // the first is a table's before its keys'
		i := slices.IndexFunc(raw[:len(specs)], func(job map[string]any) bool { return holdsKey(job, k) })
		return nil, &jobError{max(i, 0), unknownKey(k)}
	}
	return specs, nil
}

// valueError rewrites an error of decoding a job as the key's place in the
// file, its section and name, and what is wrong with its value:
// "settings: epochs = 2.5: want a whole number, not a fraction (line 7,
// column 10)", the column of the value.
func valueError(err error) error {
	var pe toml.ParseError
	if !errors.As(err, &pe) || pe.LastKey == "" {
		return err
	}
	key := strings.Split(pe.LastKey, ".")[1:]
	label := strings.Join(key, ".")
	switch {
	case len(key) == 2:
		label = key[0] + ": " + key[1]
	case label == "horizon":
		label = "settings: horizon" // the job's horizon is its settings'
	}
	return fmt.Errorf("%s %s (line %d, column %d)", label, pe.Message, pe.Position.Line, pe.Position.Col)
}

// isTable reports whether the decoded TOML value v is a table.
func isTable(v any) bool {
	_, ok := v.(map[string]any)
	return ok
}

// holdsKey reports whether the decoded table t holds the key path k.
func holdsKey(t map[string]any, k []string) bool {
	v, ok := t[k[0]]
	if !ok || len(k) == 1 {
		return ok
	}
	sub, ok := v.(map[string]any)
	return ok && holdsKey(sub, k[1:])
}

// unknownKey is the error for the key path k of a job (as "source",
// "targe"), which is no key: it names the keys of its table, or the
// nearest of them.
func unknownKey(k []string) error {
	spec := newJobSpec()
	var table any = &spec
	section := ""
	switch {
	case len(k) > 1 && k[0] == "source":
		table, section = &spec.Source, "source: "
	case len(k) > 1 && k[0] == "settings":
		table, section = &spec.Settings, "settings: "
	}
	name := k[0]
	if section != "" {
		name = k[1]
	}
	keys := tomlKeys(reflect.TypeOf(table).Elem())
	msg := fmt.Sprintf("%sunknown key %q; the keys are %s", section, name, strings.Join(keys, ", "))
	if near := nearestKey(keys, name); near != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", near)
	}
	return errors.New(msg)
}

// tomlKeys lists the keys of the struct type t as its toml tags name them,
// those of embedded structs included, each once: a key of an outer struct
// shadows the same key of an embedded one.
func tomlKeys(t reflect.Type) []string {
	var keys []string
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous {
			for _, k := range tomlKeys(f.Type) {
				if !slices.Contains(keys, k) {
					keys = append(keys, k)
				}
			}
			continue
		}
		if k := f.Tag.Get("toml"); !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	return keys
}

// nearestKey returns the key of keys nearest to typed by edit distance,
// or "" if none is near, as nearestFlag does for flags.
func nearestKey(keys []string, typed string) string {
	best, bestDist := "", max(2, len(typed)/3)+1
	for _, k := range keys {
		if d := EditDistance(typed, k); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// readJob checks the decoded job spec, whose table as written is raw, and
// reads its source and settings with the checks and defaults of fit.
func readJob(spec jobSpec, raw map[string]any) (*Job, error) {
	j := &Job{Name: string(spec.Name), Model: string(spec.Model), Alias: string(spec.Alias), raw: raw}
	if j.Name == "" {
		return nil, errors.New("name is required")
	}
	if j.Model == "" {
		j.Model = j.Name
	}
	if strings.Contains(j.Model, "@") {
		return nil, fmt.Errorf("model %q: a name must not hold '@' (give the version to reuse as alias)", j.Model)
	}
	if err := store.CheckModelName(j.Model); err != nil {
		return nil, fmt.Errorf("model %q: %w", j.Model, err)
	}
	if j.Alias != "" && j.Alias != "latest" {
		if err := store.CheckAlias(j.Alias); err != nil {
			return nil, err
		}
	}
	if spec.Refit != "" {
		var err error
		if j.Refit, err = ParsePolicy(string(spec.Refit)); err != nil {
			return nil, err
		}
	}
	switch spec.OnExisting {
	case "", "skip":
	case "replace":
		j.Replace = true
	default:
		return nil, fmt.Errorf("on-existing %q: want skip or replace", spec.OnExisting)
	}
	if spec.TrainSeries < 0 {
		return nil, fmt.Errorf("train-series must be a whole number, 0 or more, got %d", spec.TrainSeries)
	}
	j.TrainSeries = int(spec.TrainSeries)
	if _, ok := raw["source"]; !ok {
		return nil, errors.New("[job.source] is required: at least path (a CSV file or glob), or sqlite with table or query")
	}

	settings := spec.Settings.TrainingSettings
	switch h := spec.Settings.Horizon; {
	case spec.Horizon != nil && h != nil:
		return nil, errors.New("horizon is given twice, in the job and in its settings")
	case spec.Horizon != nil:
		settings.Horizon = *spec.Horizon
	case h != nil:
		settings.Horizon = *h
	}
	var err error
	if j.Config, err = settings.Config(); err != nil {
		return nil, err
	}
	return j, readSource(j, spec.Source)
}

// readSource reads a job's [job.source] into j.
func readSource(j *Job, src sourceSpec) error {
	if src.Series != "" {
		j.SeriesIn = map[string]bool{}
		for _, id := range splitList(string(src.Series)) {
			j.SeriesIn[id] = true
		}
	}
	j.SeriesID, j.SourceName = string(src.SeriesID), string(src.SourceName)
	db, table, path := string(src.SQLite), string(src.Table), string(src.Path)
	switch {
	case j.SeriesID != "" && j.SourceName != "":
		return errors.New("source: give series-id or source-name, not both")
	case j.SourceName != "" && db == "" && strings.ContainsAny(path, "*?["):
		return fmt.Errorf("source: source-name %q with the glob %q would store the series of every file under one name: leave it out (each file's name starts its ids)", j.SourceName, path)
	case db != "" && path != "":
		return errors.New("source: give path or sqlite, not both")
	case db != "" && table != "":
		j.Path = db + ":" + table
	case db != "":
		j.Path = db + ":query"
	case path == "":
		return errors.New("source: path (a CSV file or a glob of them) or sqlite is required")
	default:
		j.Path, j.Glob = path, strings.ContainsAny(path, "*?[")
	}
	var err error
	j.Source, err = src.SourceSettings.Options(j.Path)
	return err
}

// FlagText is a text flag's value in a jobs file: text, or a number or an
// array as the command line writes them, the array comma-separated, so that
// lookback = 96 is --lookback 96 and level = [80, 95] is --level 80,95.
type FlagText string

// UnmarshalTOML reads t from a decoded TOML value.
func (t *FlagText) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case string:
		*t = FlagText(v)
	case int64, float64:
		*t = FlagText(fmt.Sprint(v))
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			switch x.(type) {
			case string, int64, float64:
				parts[i] = fmt.Sprint(x)
			default:
				return kindError(v, "text, a number or an array of them")
			}
		}
		*t = FlagText(strings.Join(parts, ","))
	default:
		return kindError(v, "text, a number or an array of them")
	}
	return nil
}

// textOnly is the value of a key of a jobs file that takes text only.
type textOnly string

// UnmarshalTOML reads t from a decoded TOML value.
func (t *textOnly) UnmarshalTOML(v any) error {
	s, ok := v.(string)
	if !ok {
		return kindError(v, "text")
	}
	*t = textOnly(s)
	return nil
}

// seriesID is a source's series-id in a jobs file: the id to store its
// one series under, as --series-id.
type seriesID string

// UnmarshalTOML reads id from a decoded TOML value.
func (id *seriesID) UnmarshalTOML(v any) error {
	s, ok := v.(string)
	if !ok || !IsSeriesID(s) {
		return fmt.Errorf("= %s: %s", tomlText(v), SeriesIDWant)
	}
	*id = seriesID(s)
	return nil
}

// sourceName is a job's source-name, checked as it is decoded.
type sourceName string

// UnmarshalTOML reads name from a decoded TOML value.
func (name *sourceName) UnmarshalTOML(v any) error {
	s, ok := v.(string)
	if !ok || !IsSourceName(s) {
		return fmt.Errorf("= %s: %s", tomlText(v), SourceNameWant)
	}
	*name = sourceName(s)
	return nil
}

// FlagInt is a whole-number flag's value in a jobs file: a TOML integer
// (a quoted "7" is text, not a number).
type FlagInt int

// UnmarshalTOML reads n from a decoded TOML value.
func (n *FlagInt) UnmarshalTOML(v any) error {
	i, ok := v.(int64)
	if !ok {
		return kindError(v, "a whole number")
	}
	*n = FlagInt(i)
	return nil
}

// FlagSeed is the seed flag's value in a jobs file: a TOML integer, 0 or
// more.
type FlagSeed uint64

// UnmarshalTOML reads s from a decoded TOML value.
func (s *FlagSeed) UnmarshalTOML(v any) error {
	i, ok := v.(int64)
	switch {
	case !ok:
		return kindError(v, "a whole number, 0 or more")
	case i < 0:
		return fmt.Errorf("= %d: want a whole number, 0 or more", i)
	}
	*s = FlagSeed(i)
	return nil
}

// FlagFloat is a number flag's value in a jobs file: a TOML integer or
// float.
type FlagFloat float64

// UnmarshalTOML reads f from a decoded TOML value.
func (f *FlagFloat) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case int64:
		*f = FlagFloat(v)
	case float64:
		*f = FlagFloat(v)
	default:
		return kindError(v, "a number")
	}
	return nil
}

// FlagBool is a boolean flag's value in a jobs file: true or false.
type FlagBool bool

// UnmarshalTOML reads b from a decoded TOML value.
func (b *FlagBool) UnmarshalTOML(v any) error {
	t, ok := v.(bool)
	if !ok {
		return kindError(v, "true or false")
	}
	*b = FlagBool(t)
	return nil
}

// kindError says that the TOML value v is not of the kind a key wants, as
// "= \"7\": want a whole number, not text" (valueError puts the key before
// it).
func kindError(v any, want string) error {
	return fmt.Errorf("= %s: want %s, not %s", tomlText(v), want, tomlKindOf(v))
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
	case []map[string]any:
		return "an array of tables"
	case time.Time:
		return "a date or time"
	}
	return fmt.Sprintf("%T", v)
}

// tomlText writes a decoded TOML value for messages, text quoted, arrays
// and times as TOML writes them, tables as "{…}".
func tomlText(v any) string {
	switch v := v.(type) {
	case string:
		return strconv.Quote(v)
	case []any:
		items := make([]string, len(v))
		for i, x := range v {
			items[i] = tomlText(x)
		}
		return "[" + strings.Join(items, ", ") + "]"
	case map[string]any:
		return "{…}"
	case []map[string]any:
		return "[{…}]"
	case time.Time:
		return v.Format(time.RFC3339Nano)
	}
	return fmt.Sprint(v)
}

// JSON is the job as written, for its batch record.
func (j *Job) JSON() string {
	b, err := json.Marshal(j.raw)
	if err != nil {
		return "{}"
	}
	return string(b)
}

// headLines is how many lines of a job's CSV CheckSources reads.
const headLines = 64

// CheckSources checks, before anything is opened or written, that the
// source of every job exists and holds the job's target columns: a path
// that is missing or a glob that matches no file is a usage error, a target
// the first file lacks an error wrapping ingest.ErrMissingColumn. Only the
// head of each file is read (of a glob, the first file); bad values further
// down are left to the batch, which records them per series.
func (jf *JobsFile) CheckSources() error {
	for _, j := range jf.Jobs {
		if err := j.checkSource(); err != nil {
			return fmt.Errorf("jobs file %s: job %q: %w", jf.Path, j.Name, err)
		}
	}
	return nil
}

// checkSource checks the source of j; see CheckSources.
func (j *Job) checkSource() error {
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
