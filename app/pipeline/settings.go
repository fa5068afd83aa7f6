package pipeline

import (
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/ingest"
	"github.com/mattn/go-sqlite3"
)

// SourceSettings are the values of the source flags but --series: commands
// fill them from their command line, batch from a job's [job.source] (the
// toml tags), and Options checks them for both.
type SourceSettings struct {
	Target     FlagText `toml:"target"`
	Time       FlagText `toml:"time"`
	TimeFormat FlagText `toml:"time-format"`
	ID         FlagText `toml:"id"`
	Layout     FlagText `toml:"layout"`
	Covariates FlagText `toml:"covariates"`
	Delimiter  FlagText `toml:"delimiter"`
	NoHeader   FlagBool `toml:"no-header"`
	SQLite     FlagText `toml:"sqlite"`
	Table      FlagText `toml:"table"`
	Query      FlagText `toml:"query"`
	Freq       FlagText `toml:"freq"`
	Start      FlagText `toml:"start"`
	Fill       FlagText `toml:"fill"`
	MaxFill    FlagText `toml:"max-fill"`
}

// DefaultSource holds the defaults of the source flags.
var DefaultSource = SourceSettings{Fill: FlagText(ingest.FillLinear), MaxFill: "10%"}

// Options checks the source settings s and turns them into the ingest
// options of the source path, rejecting values with the flag's name.
func (s SourceSettings) Options(path string) (ingest.Options, error) {
	opt := ingest.Options{
		Name:       path,
		TimeFormat: string(s.TimeFormat),
		ID:         string(s.ID),
		Layout:     ingest.Layout(s.Layout),
		NoHeader:   bool(s.NoHeader),
		Covariates: splitList(string(s.Covariates)),
	}
	switch t := string(s.Time); strings.ToLower(t) {
	case "none":
		opt.NoTime = true
	default:
		opt.Time = t
	}
	switch opt.Layout {
	case "", ingest.LayoutWide, ingest.LayoutLong, ingest.LayoutRows:
	default:
		return opt, usagef("--layout %q: want wide, long or rows", opt.Layout)
	}
	if opt.Layout == ingest.LayoutRows && len(opt.Covariates) > 0 {
		return opt, usagef("--covariates do not apply to --layout rows")
	}
	for i, c := range opt.Covariates {
		if slices.Contains(opt.Covariates[:i], c) {
			return opt, usagef("--covariates %q: %s is given twice", string(s.Covariates), c)
		}
	}
	if opt.Layout == ingest.LayoutLong && opt.ID == "" {
		return opt, usagef("--layout long needs --id, the column that tells the series apart")
	}
	if opt.Layout == ingest.LayoutWide && opt.ID != "" {
		return opt, usagef("--id %s does not apply to --layout wide, a column per series: leave out one of them (--id alone reads the long layout)", opt.ID)
	}
	targets := splitList(string(s.Target))
	if len(targets) == 1 && !strings.ContainsAny(targets[0], "*?[") {
		opt.Target = targets[0]
	} else {
		opt.Targets = targets
	}
	if d := string(s.Delimiter); d != "" {
		switch strings.ToLower(d) {
		case "tab", `\t`:
			opt.Comma = '\t'
		default:
			r, size := utf8.DecodeRuneInString(d)
			if size != len(d) || r == '"' || r == '\n' || r == '\r' || r == utf8.RuneError {
				return opt, usagef("--delimiter %q: want one character other than a quote or line end, or tab", d)
			}
			opt.Comma = r
		}
	}
	if f := string(s.Freq); f != "" {
		freq, err := ingest.ParseFreq(f)
		if err != nil {
			return opt, usagef("--freq: %v", err)
		}
		opt.Freq = freq
	}
	if s := string(s.Start); s != "" {
		t, err := ingest.ParseInstant(s)
		if err != nil {
			return opt, usagef("--start %q: want a time such as 2015-01-01 or 2015-01-01T00:00:00Z", s)
		}
		if opt.Freq == (ingest.Freq{}) {
			return opt, usagef("--start needs --freq, the step between values")
		}
		if _, err := opt.Freq.Anchored(t); err != nil { // ingest anchors where the start dates the rows
			return opt, usagef("--%v", err)
		}
		opt.Start = t
	}
	if opt.Layout == ingest.LayoutRows && opt.Freq != (ingest.Freq{}) && opt.Start.IsZero() {
		return opt, usagef("--freq with --layout rows needs --start, the time of the first value: the rows have no times")
	}
	fill, err := ingest.ParseFill(string(s.Fill))
	if err != nil {
		return opt, usagef("--fill: %v", err)
	}
	opt.Fill = fill
	if opt.MaxFill, err = parseShare(string(s.MaxFill)); err != nil {
		return opt, usagef("--max-fill %q: %v", s.MaxFill, err)
	}
	if db := string(s.SQLite); db != "" {
		opt.Name, opt.Table, opt.Query = db, string(s.Table), string(s.Query)
		if (opt.Table == "") == (opt.Query == "") {
			return opt, usagef("--sqlite needs --table or --query (one of them)")
		}
	} else if string(s.Table) != "" || string(s.Query) != "" {
		return opt, usagef("--table and --query need --sqlite")
	}
	return opt, nil
}

// parseShare reads a share above 0 and at most 1, written as a
// percentage ("10%") or a fraction ("0.1").
func parseShare(s string) (float64, error) {
	t := strings.TrimSpace(s)
	pct, isPct := strings.CutSuffix(t, "%")
	v, err := strconv.ParseFloat(strings.TrimSpace(pct), 64)
	if isPct {
		v /= 100
	}
	switch {
	case err != nil || math.IsNaN(v):
		return 0, errors.New("want a share such as 10% or 0.1")
	case v <= 0:
		return 0, errors.New("want more than 0 % (to fill nothing, use --fill none)")
	case v > 1:
		return 0, errors.New("want at most 100 %")
	}
	return v, nil
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// SourceStem names a data source in stored series ids, so that columns of
// the same name in two files are two series, and the same file read from
// any folder gives the same ids: the file's base name without its
// extension ("stdin" for standard input); for SQLite the database's, a dot
// and the table, or "query".
func SourceStem(path, sqliteDB, table string) string {
	stem := func(p string) string {
		base := filepath.Base(p)
		return strings.TrimSuffix(base, filepath.Ext(base))
	}
	switch {
	case sqliteDB != "" && table != "":
		return stem(sqliteDB) + "." + table
	case sqliteDB != "":
		return stem(sqliteDB) + ".query"
	case path == "-":
		return "stdin"
	}
	return stem(path)
}

// SourceNameWant says what IsSourceName wants.
const SourceNameWant = "want a name without '/', leading or trailing spaces or control characters"

// IsSourceName reports whether name may start stored series ids in place
// of a source's stem, as --source-name or a job's source-name: a series id
// without '/', which separates it from the series' ID.
func IsSourceName(name string) bool { return IsSeriesID(name) && !strings.Contains(name, "/") }

// SeriesIDWant says what IsSeriesID wants.
const SeriesIDWant = "want a name without leading or trailing spaces or control characters"

// IsSeriesID reports whether id may name a series as --series-id or a
// job's series-id does: not empty, without leading or trailing spaces or
// control characters.
func IsSeriesID(id string) bool {
	return id != "" && strings.TrimSpace(id) == id && !strings.ContainsFunc(id, unicode.IsControl)
}

// sourceDriver is the driver of the SQLite databases sources are read
// from: its connections attach no other database. A --query of
// "ATTACH 'other.db' AS o; DELETE FROM o.forecasts; SELECT …" wrote to
// the database attached, which mode=ro does not cover.
const sourceDriver = "sqlite3-source"

func init() {
	sql.Register(sourceDriver, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		c.SetLimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
		return nil
	}})
}

// OpenSQLite opens the SQLite database of a source, read-only: opened
// so, with every write refused (query_only), and no other database
// attached to it.
func OpenSQLite(path string) (*sql.DB, error) {
	if err := CheckInput(path); err != nil {
		return nil, err
	}
	db, err := sql.Open(sourceDriver, "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro&_query_only=1")
	if err != nil {
		return nil, InputError(path, err)
	}
	return db, nil
}

// CheckInput reports a data file that is absent or a directory.
func CheckInput(path string) error {
	fi, err := os.Stat(path)
	switch {
	case err != nil:
		return InputError(path, err)
	case fi.IsDir():
		return InputError(path, errors.New("is a directory"))
	}
	return nil
}

// InputError is the error for a data file that cannot be read: bad input
// (exit code 3), one line naming the path.
func InputError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err // the path is said once
	}
	return &ingest.ParseError{File: path, Err: fmt.Errorf("cannot read data: %w", err)}
}

// TrainingSettings are the values of the training flags: fit reads them
// from its command line, batch from a job's [job.settings] (the toml tags),
// and Config checks them for both.
type TrainingSettings struct {
	Horizon         FlagText  `toml:"horizon"`
	Lookback        FlagText  `toml:"lookback"`
	Layers          FlagInt   `toml:"layers"`
	Hidden          FlagInt   `toml:"hidden"`
	Epochs          FlagInt   `toml:"epochs"`
	Patience        FlagInt   `toml:"patience"`
	Batch           FlagInt   `toml:"batch"`
	LR              FlagFloat `toml:"lr"`
	Clip            FlagFloat `toml:"clip"`
	Season          FlagText  `toml:"season"`
	Seed            FlagSeed  `toml:"seed"`
	Protocol        FlagText  `toml:"protocol"`
	WindowNorm      FlagText  `toml:"window-norm"`
	Calendar        FlagBool  `toml:"calendar"`
	Level           FlagText  `toml:"level"`
	WindowsPerEpoch FlagInt   `toml:"windows-per-epoch"`
	Transform       FlagText  `toml:"transform"`
	Fallback        FlagText  `toml:"fallback"`
	Ensemble        FlagText  `toml:"ensemble"`
}

// DefaultTraining holds the defaults of the training flags.
var DefaultTraining = TrainingSettings{
	Horizon: "auto", Lookback: "auto", Layers: 2, Hidden: 64, Epochs: 30, Patience: 5, Batch: 32,
	LR: 1e-3, Clip: 1, Season: "auto", Seed: 0, Protocol: "v1", WindowNorm: "auto", Level: "80,95",
	Transform: "auto", Fallback: "auto", Ensemble: "auto",
}

// Inherit returns s with each setting that given does not name (by its
// flag, e.g. "window-norm") taken from p, the params of the version a
// refit refits, where p holds it: a refit trains with its parent's
// settings unless told otherwise. A version without a network has no
// lookback or ensemble of its own, and one of series that repeat every
// season (constant ones: season 1) no season of the data: its refit
// chooses them, as a first fit does.
func (s TrainingSettings) Inherit(p forecast.Params, given func(flag string) bool) TrainingSettings {
	take := func(flag string) bool {
		if given(flag) || p.ClassicalOnly && (flag == "lookback" || flag == "ensemble") || p.Repeats && flag == "season" {
			return false
		}
		return p.Stored(strings.ReplaceAll(flag, "-", "_"))
	}
	for _, f := range []struct {
		flag string
		dst  *FlagInt
		v    int
	}{{"layers", &s.Layers, p.Layers}, {"hidden", &s.Hidden, p.Hidden}, {"epochs", &s.Epochs, p.Epochs},
		{"patience", &s.Patience, p.Patience}, {"batch", &s.Batch, p.Batch}, {"windows-per-epoch", &s.WindowsPerEpoch, p.WindowsPerEpoch}} {
		if take(f.flag) {
			*f.dst = FlagInt(f.v)
		}
	}
	for _, f := range []struct {
		flag string
		dst  *FlagText
		v    string
	}{{"horizon", &s.Horizon, strconv.Itoa(p.Horizon)}, {"lookback", &s.Lookback, strconv.Itoa(p.Lookback)}, {"season", &s.Season, strconv.Itoa(p.Season)},
		{"ensemble", &s.Ensemble, strconv.Itoa(p.Ensemble)}, {"level", &s.Level, p.Level}, {"protocol", &s.Protocol, string(p.Protocol)},
		{"window-norm", &s.WindowNorm, string(p.WindowNorm)}, {"transform", &s.Transform, string(p.Transform)}, {"fallback", &s.Fallback, string(p.Fallback)}} {
		if take(f.flag) {
			*f.dst = FlagText(f.v)
		}
	}
	if take("lr") {
		s.LR = FlagFloat(p.LR)
	}
	if take("clip") {
		s.Clip = FlagFloat(p.Clip)
	}
	if take("seed") {
		s.Seed = FlagSeed(p.Seed)
	}
	if take("calendar") {
		s.Calendar = FlagBool(p.Calendar)
	}
	return s
}

// The largest network and ensemble the flags accept: a GRU layer of 2048
// units holds 25 million weights (800 MB with their gradients and Adam's
// moments), and one of 100,000 units ran the machine out of memory.
const (
	maxLayers   = 16
	maxHidden   = 2048
	maxEnsemble = 100
)

// maxLR is the largest learning rate --lr takes: Adam's steps are about
// the learning rate in size, and above 1 they overshoot weights of order
// 1 at once (1e308 made forecasts of NaN, blamed on the data).
const maxLR = 1

// autoInt reads the value v of the flag name, which takes a number from 1
// up or "auto" (0).
func autoInt(name string, v FlagText) (int, error) {
	s := strings.TrimSpace(string(v))
	if s == "auto" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, usagef("--%s must be auto or a whole number from 1 up, got %q", name, s)
	}
	if n > maxSteps {
		return 0, usagef("--%s must be auto or at most %d, got %d", name, maxSteps, n)
	}
	return n, nil
}

// maxSteps bounds the numbers autoInt reads (--lookback, --season,
// --horizon, --ensemble): far beyond any series (a billion values), and
// far from the integer's limit, where a horizon of 2^63−1 overflowed the
// split's sums.
const maxSteps = 1_000_000_000

// Config checks the training settings s and turns them into the
// pipeline's configuration, rejecting values out of range with the flag's
// name.
func (s TrainingSettings) Config() (forecast.Config, error) {
	for _, f := range []struct {
		name string
		v    FlagInt
		most FlagInt // 0: no bound
	}{{"layers", s.Layers, maxLayers}, {"hidden", s.Hidden, maxHidden}, {"epochs", s.Epochs, 0}, {"patience", s.Patience, 0}, {"batch", s.Batch, 0}} {
		if f.v < 1 {
			return forecast.Config{}, usagef("--%s must be at least 1, got %d", f.name, f.v)
		}
		if f.most > 0 && f.v > f.most {
			return forecast.Config{}, usagef("--%s must be at most %d, got %d", f.name, f.most, f.v)
		}
	}
	var autos [4]int
	for i, f := range []struct {
		name string
		v    FlagText
	}{{"lookback", s.Lookback}, {"season", s.Season}, {"ensemble", s.Ensemble}, {"horizon", s.Horizon}} {
		v, err := autoInt(f.name, f.v)
		if err != nil {
			return forecast.Config{}, err
		}
		autos[i] = v
	}
	if autos[2] > maxEnsemble {
		return forecast.Config{}, usagef("--ensemble must be auto or at most %d, got %d", maxEnsemble, autos[2])
	}
	if !(s.LR > 0 && s.LR <= maxLR) {
		return forecast.Config{}, usagef("--lr must be a positive number, at most %g, got %g", float64(maxLR), s.LR)
	}
	if !(s.Clip >= 0) || math.IsInf(float64(s.Clip), 0) {
		return forecast.Config{}, usagef("--clip must be 0 (none) or a positive number, got %g", s.Clip)
	}
	if s.WindowsPerEpoch < 0 {
		return forecast.Config{}, usagef("--windows-per-epoch must be 0 (all up to 16384) or positive, got %d", s.WindowsPerEpoch)
	}
	cfg := forecast.Config{
		Lookback: autos[0], Horizon: autos[3], Layers: int(s.Layers),
		Hidden: int(s.Hidden), Epochs: int(s.Epochs), Patience: int(s.Patience),
		Batch: int(s.Batch), LR: float64(s.LR), ClipNorm: float64(s.Clip),
		Season: autos[1], Seed: uint64(s.Seed),
		Protocol:        forecast.Protocol(s.Protocol),
		WindowNorm:      forecast.WindowNorm(s.WindowNorm),
		Calendar:        bool(s.Calendar),
		WindowsPerEpoch: int(s.WindowsPerEpoch),
		Ensemble:        autos[2],
		Transform:       forecast.Transform(s.Transform),
		Fallback:        forecast.Fallback(s.Fallback),
	}
	if cfg.ClipNorm == 0 {
		cfg.ClipNorm = -1 // the flag's 0 means no clipping
	}
	switch cfg.Protocol {
	case forecast.ProtocolV1, forecast.ProtocolETT, forecast.ProtocolHoldout, forecast.ProtocolM4:
	default:
		return forecast.Config{}, usagef("--protocol must be v1, ett, holdout or m4, got %q", cfg.Protocol)
	}
	switch cfg.WindowNorm {
	case forecast.NormNone, forecast.NormLast, forecast.NormMean, forecast.NormAuto:
	case forecast.NormSeason:
		if cfg.Lookback > 0 && cfg.Season > 0 && cfg.Lookback < cfg.Season {
			return forecast.Config{}, usagef("--window-norm season needs --lookback (%d) of at least --season (%d)", cfg.Lookback, cfg.Season)
		}
	default:
		return forecast.Config{}, usagef("--window-norm must be none, last, mean, season or auto, got %q", cfg.WindowNorm)
	}
	if cfg.Transform != forecast.TransformNone && cfg.Transform != forecast.TransformLog && cfg.Transform != forecast.TransformAuto {
		return forecast.Config{}, usagef("--transform must be none, log or auto, got %q", cfg.Transform)
	}
	if cfg.Fallback != forecast.FallbackNone && cfg.Fallback != forecast.FallbackSeasonalNaive && cfg.Fallback != forecast.FallbackAuto {
		return forecast.Config{}, usagef("--fallback must be auto, snaive or none, got %q", cfg.Fallback)
	}
	levels, err := ParseLevels(string(s.Level))
	if err != nil {
		return forecast.Config{}, err
	}
	cfg.Levels = levels
	return cfg, nil
}

// ParseLevels reads "80,95" as the levels 0.8 and 0.95; "" is none. A
// level under 1 %, such as 0.8, is refused as a fraction given for a
// percentage.
func ParseLevels(s string) ([]float64, error) {
	levels := []float64{}
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSuffix(f, "%"), 64)
		if err != nil || !(v > 0 && v < 100) {
			return nil, usagef("--level %q: each level is a percentage between 0 and 100", s)
		}
		if v < 1 { // a fraction, as Darts and statsmodels take them
			return nil, usagef("--level %q: %s would be a %s %% interval: levels are percentages (%s for %s %%)", s, f, f,
				strconv.FormatFloat(100*v, 'g', -1, 64), strconv.FormatFloat(100*v, 'g', -1, 64))
		}
		if slices.Contains(levels, v/100) {
			return nil, usagef("--level %q: %s is given twice", s, f)
		}
		levels = append(levels, v/100)
	}
	return levels, nil
}

// EditDistance counts the insertions, deletions, substitutions and swaps
// of two neighbours that turn a into b (the optimal string alignment
// distance), in bytes: "hlep" is 1 from "help".
func EditDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			sub := d[i-1][j-1]
			if a[i-1] != b[j-1] {
				sub++
			}
			d[i][j] = min(sub, d[i-1][j]+1, d[i][j-1]+1)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// FormatTime prints a time without the parts that are zero.
func FormatTime(t time.Time) string {
	switch {
	case t.IsZero():
		return ""
	case t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0:
		return t.Format("2006-01-02")
	case t.Second() == 0 && t.Nanosecond() == 0:
		return t.Format("2006-01-02 15:04")
	}
	return t.Format(time.RFC3339Nano)
}
