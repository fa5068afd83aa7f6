package web

import (
	"encoding/json"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/store"
)

// The JSON shapes of the API. Times are RFC 3339 in UTC, null for a series
// without times; absent numbers are null. Field names are stable.

type modelJSON struct {
	Name      string           `json:"name"`
	Versions  int              `json:"versions"`
	Latest    int              `json:"latest"`
	Aliases   map[string]int   `json:"aliases"`
	UpdatedAt *string          `json:"updated_at"` // creation of the newest version
	Series    string           `json:"series"`     // the newest version's training series
	Test      *forecast.Scores `json:"test"`       // the newest version's test scores
}

type versionJSON struct {
	Version         int               `json:"version"`
	CreatedAt       *string           `json:"created_at"`
	Aliases         []string          `json:"aliases"`
	Tags            map[string]string `json:"tags"`
	RunID           int64             `json:"run"`
	Parent          string            `json:"parent"`
	ProgramVersion  string            `json:"program_version"`
	DurationSeconds float64           `json:"duration_seconds"`
	Data            dataJSON          `json:"data"`
	Params          any               `json:"params"`
	Test            *forecast.Scores  `json:"test"` // test scores of the model and the baselines, as fit stored them
	Forecasts       int               `json:"forecasts"`
}

type dataJSON struct {
	Source      string  `json:"source"`
	Series      string  `json:"series"`
	Start       *string `json:"start"`
	End         *string `json:"end"`
	Freq        string  `json:"freq"`
	Rows        int     `json:"rows"`
	Fingerprint string  `json:"fingerprint"`
}

type seriesJSON struct {
	Series     string  `json:"series"`
	Forecasts  int     `json:"forecasts"`
	Actuals    int     `json:"actuals"`
	LastOrigin *string `json:"last_origin"`
}

type actualJSON struct {
	Time  *string `json:"time"`
	Value float64 `json:"value"`
}

type intervalJSON struct {
	Level float64 `json:"level"`
	Lower float64 `json:"lower"`
	Upper float64 `json:"upper"`
}

type pointJSON struct {
	Step      int            `json:"step"`
	Time      *string        `json:"time"`
	Value     float64        `json:"value"`
	Intervals []intervalJSON `json:"intervals"`
}

type forecastJSON struct {
	Model   string      `json:"model"`
	Version int         `json:"version"`
	RunID   int64       `json:"run"`
	Series  string      `json:"series"`
	Origin  *string     `json:"origin"`
	Method  string      `json:"method"`
	Points  []pointJSON `json:"points"`
}

type originJSON struct {
	Origin  *string `json:"origin"`
	Model   string  `json:"model"`
	Version int     `json:"version"`
	RunID   int64   `json:"run"`
	Steps   int     `json:"steps"`
}

type errorJSON struct {
	Model    string        `json:"model"`
	Version  int           `json:"version"`
	RunID    int64         `json:"run"`
	Origin   *string       `json:"origin"`
	Time     *string       `json:"time"`
	Step     int           `json:"step"`
	Forecast float64       `json:"forecast"`
	Actual   float64       `json:"actual"`
	Error    *float64      `json:"error"` // forecast - actual; null where not finite
	Interval *intervalJSON `json:"interval"`
	Covered  *bool         `json:"covered"` // the actual lies in the interval; null without one
}

type accuracyJSON struct {
	Model     string   `json:"model"`
	Version   int      `json:"version"`
	Series    string   `json:"series"`
	Forecasts int      `json:"forecasts"`
	MAE       *float64 `json:"mae"` // null where not finite (errors of values near ±1e308)
	MASE      *float64 `json:"mase"`
	Intervals int      `json:"intervals"`
	Coverage  *float64 `json:"coverage"` // of the widest interval of each forecast
	// Levels is the coverage per interval level, over the forecasts that
	// have an interval of that level.
	Levels []levelCoverageJSON `json:"levels"`
	First  *string             `json:"first"`
	Last   *string             `json:"last"`
}

type levelCoverageJSON struct {
	Level     float64 `json:"level"`
	Intervals int     `json:"intervals"`
	Coverage  float64 `json:"coverage"`
}

type runJSON struct {
	ID             int64       `json:"id"`
	Command        string      `json:"command"`
	Status         string      `json:"status"`
	Error          string      `json:"error"`
	StartedAt      *string     `json:"started_at"`
	FinishedAt     *string     `json:"finished_at"` // null while a batch runs, or if it was killed
	ProgramVersion string      `json:"program_version"`
	Args           []string    `json:"args"`
	Wrote          store.Wrote `json:"wrote"`
}

type jobJSON struct {
	Job        string  `json:"job"`
	Model      string  `json:"model"`
	Refit      string  `json:"refit"`
	Decision   string  `json:"decision"`
	Status     string  `json:"status"`
	Error      string  `json:"error"`
	Done       int     `json:"series_done"`
	Failed     int     `json:"series_failed"`
	Skipped    int     `json:"series_skipped"`
	StartedAt  *string `json:"started_at"`
	FinishedAt *string `json:"finished_at"`
	Seconds    float64 `json:"seconds"`
	FitSeconds float64 `json:"fit_seconds"`
}

type batchSeriesJSON struct {
	Job     string  `json:"job"`
	Model   string  `json:"model"`
	Series  string  `json:"series"`
	Cutoff  string  `json:"cutoff"`
	Status  string  `json:"status"`
	Error   string  `json:"error"`
	Seconds float64 `json:"seconds"`
}

// timeJSON is t in RFC 3339, nil for the zero time.
func timeJSON(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339Nano)
	return &s
}

// rawJSON is the stored JSON document s, or nil if it is not JSON.
func rawJSON(s string) any {
	if !json.Valid([]byte(s)) {
		return nil
	}
	return json.RawMessage(s)
}

// testScores is the "test" member of a version's stored metrics: the test
// scores of the model and of the baselines; nil for a version stored
// without metrics or without a test part (a series too short for one).
func testScores(metrics string) *forecast.Scores {
	r, err := forecast.ParseReport(metrics)
	if _, scored := r.TestMASE(); err != nil || !scored {
		return nil // unreadable, or a version without a test part
	}
	return &r.Test
}

func intervalsJSON(ivs []store.Interval) []intervalJSON {
	out := make([]intervalJSON, 0, len(ivs))
	for _, iv := range ivs {
		out = append(out, intervalJSON{Level: iv.Level, Lower: iv.Lower, Upper: iv.Upper})
	}
	return out
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, map[string]string{"status": "ok", "version": s.Version})
}

// models answers GET /v1/models: every model name, paged.
func (s *Server) models(w http.ResponseWriter, r *http.Request) {
	page, err := pageParams(r)
	if err != nil {
		writeError(w, err)
		return
	}
	mvs, err := s.DB.ListModelVersions(r.Context(), "")
	if err != nil {
		writeError(w, err)
		return
	}
	var all []modelJSON
	for i, mv := range mvs { // ordered by name and version
		if i == 0 || mvs[i-1].Name != mv.Name {
			all = append(all, modelJSON{Name: mv.Name, Aliases: map[string]int{}})
		}
		m := &all[len(all)-1]
		m.Versions++
		if !mv.Unfinished { // the newest is none of a batch that has not finished, as NAME means
			m.Latest, m.UpdatedAt, m.Series, m.Test = mv.Version, timeJSON(mv.CreatedAt), mv.DataSeries, testScores(mv.Metrics)
		}
		for _, a := range mv.Aliases {
			m.Aliases[a] = mv.Version
		}
	}
	lo, hi := min(page.Offset, len(all)), min(page.Offset+page.Limit, len(all))
	writeJSON(w, map[string]any{"total": len(all), "limit": page.Limit, "offset": page.Offset, "models": nonNil(all[lo:hi])})
}

// model answers GET /v1/models/{name}: every version of a model.
func (s *Server) model(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	mvs, err := s.DB.ListModelVersions(r.Context(), name)
	if err != nil {
		writeError(w, err)
		return
	}
	if len(mvs) == 0 {
		writeError(w, apiErrorf(http.StatusNotFound, "not_found", "model %q not found", name))
		return
	}
	versions := make([]versionJSON, len(mvs))
	for i, mv := range mvs {
		v := versionJSON{
			Version: mv.Version, CreatedAt: timeJSON(mv.CreatedAt), Aliases: mv.Aliases, Tags: mv.Tags,
			RunID: mv.RunID, Parent: mv.Parent, ProgramVersion: mv.ProgramVersion,
			DurationSeconds: mv.Duration.Seconds(),
			Data: dataJSON{Source: mv.DataSource, Series: mv.DataSeries, Start: timeJSON(mv.DataStart),
				End: timeJSON(mv.DataEnd), Freq: mv.DataFreq, Rows: mv.DataRows, Fingerprint: mv.DataFingerprint},
			Params: rawJSON(mv.Params), Test: testScores(mv.Metrics), Forecasts: mv.Forecasts,
		}
		if v.Aliases == nil {
			v.Aliases = []string{}
		}
		if v.Tags == nil {
			v.Tags = map[string]string{}
		}
		versions[i] = v
	}
	writeJSON(w, map[string]any{"name": name, "versions": versions})
}

// maxSearchBytes bounds the search text of GET /v1/series, well below
// SQLite's limit on a LIKE pattern (50,000 bytes) and above any series id
// people type.
const maxSearchBytes = 1000

// series answers GET /v1/series?q=&model=: the series with forecasts or
// actuals, searched by name and paged.
func (s *Server) series(w http.ResponseWriter, r *http.Request) {
	page, err := pageParams(r)
	if err != nil {
		writeError(w, err)
		return
	}
	model, err := s.modelNameParam(r)
	if err != nil {
		writeError(w, err)
		return
	}
	q := r.URL.Query().Get("q")
	if len(q) > maxSearchBytes {
		writeError(w, badParam("q", "%d bytes, over the limit of %d", len(q), maxSearchBytes))
		return
	}
	// SQLite reads a text up to its first NUL: "a\x00b" would search for
	// "a", and "\x00" match every series.
	if strings.ContainsRune(q, 0) {
		writeError(w, badParam("q", "holds a NUL character"))
		return
	}
	ss, total, err := s.DB.ListSeries(r.Context(), store.SeriesFilter{Search: q, Model: model, Page: page})
	if err != nil {
		writeError(w, err)
		return
	}
	out := make([]seriesJSON, len(ss))
	for i, x := range ss {
		out[i] = seriesJSON{Series: x.Series, Forecasts: x.Forecasts, Actuals: x.Actuals, LastOrigin: timeJSON(x.LastOrigin)}
	}
	writeJSON(w, map[string]any{"total": total, "limit": page.Limit, "offset": page.Offset, "series": out})
}

// actuals answers GET /v1/actuals?series=&until=&limit=&offset=: the
// newest actuals of a series, up to a time, a page of them counted from
// the newest.
func (s *Server) actuals(w http.ResponseWriter, r *http.Request) {
	series, err := requiredParam(r, "series")
	if err != nil {
		writeError(w, err)
		return
	}
	limit, err := intParam(r, "limit", DefaultPoints, 1, MaxPointLimit)
	if err != nil {
		writeError(w, err)
		return
	}
	until, err := timeParam(r, "until")
	if err != nil {
		writeError(w, err)
		return
	}
	offset, err := intParam(r, "offset", 0, 0, 1<<31-1)
	if err != nil {
		writeError(w, err)
		return
	}
	acts, total, err := s.DB.FindActuals(r.Context(), series, until, store.Page{Limit: limit, Offset: offset})
	if err != nil {
		writeError(w, err)
		return
	}
	out := make([]actualJSON, len(acts))
	for i, a := range acts {
		out[i] = actualJSON{Time: timeJSON(a.Time), Value: a.Value}
	}
	writeJSON(w, map[string]any{"series": series, "total": total, "limit": limit, "offset": offset, "actuals": out})
}

// forecasts answers GET /v1/forecasts?series=&model=&origin=: the forecast
// of a series from one origin, the newest by default.
func (s *Server) forecasts(w http.ResponseWriter, r *http.Request) {
	series, err := requiredParam(r, "series")
	if err != nil {
		writeError(w, err)
		return
	}
	ref, err := modelParam(r)
	if err != nil {
		writeError(w, err)
		return
	}
	var origin time.Time
	if r.URL.Query().Get("origin") != "latest" {
		if origin, err = timeParam(r, "origin"); err != nil {
			writeError(w, err)
			return
		}
	}
	fc, err := s.DB.FindSeriesForecast(r.Context(), ref, series, origin)
	if err != nil {
		writeError(w, err)
		return
	}
	out := forecastJSON{Model: fc.Model, Version: fc.Version, RunID: fc.RunID, Series: fc.Series,
		Origin: timeJSON(fc.Origin), Method: fc.Method, Points: make([]pointJSON, len(fc.Points))}
	for i, p := range fc.Points {
		out.Points[i] = pointJSON{Step: p.Step, Time: timeJSON(p.Time), Value: p.Value, Intervals: intervalsJSON(p.Intervals)}
	}
	writeJSON(w, out)
}

// origins answers GET /v1/origins?series=&model=: the forecasts made of a
// series, newest origin first.
func (s *Server) origins(w http.ResponseWriter, r *http.Request) {
	series, err := requiredParam(r, "series")
	if err != nil {
		writeError(w, err)
		return
	}
	page, err := pageParams(r)
	if err != nil {
		writeError(w, err)
		return
	}
	model, err := s.modelNameParam(r)
	if err != nil {
		writeError(w, err)
		return
	}
	list, total, err := s.DB.ListOrigins(r.Context(), model, series, page)
	if err != nil {
		writeError(w, err)
		return
	}
	out := make([]originJSON, len(list))
	for i, o := range list {
		out[i] = originJSON{Origin: timeJSON(o.Origin), Model: o.Model, Version: o.Version, RunID: o.RunID, Steps: o.Steps}
	}
	writeJSON(w, map[string]any{"series": series, "total": total, "limit": page.Limit, "offset": page.Offset, "origins": out})
}

// forecastErrors answers GET /v1/errors?series=&model=: past forecasts of a
// series beside its actuals, a page of them (the newest first; each page
// in time order).
func (s *Server) forecastErrors(w http.ResponseWriter, r *http.Request) {
	series, err := requiredParam(r, "series")
	if err != nil {
		writeError(w, err)
		return
	}
	limit, err := intParam(r, "limit", DefaultPoints, 1, MaxPointLimit)
	if err != nil {
		writeError(w, err)
		return
	}
	offset, err := intParam(r, "offset", 0, 0, 1<<31-1)
	if err != nil {
		writeError(w, err)
		return
	}
	model, err := s.modelNameParam(r)
	if err != nil {
		writeError(w, err)
		return
	}
	es, total, err := s.DB.FindForecastErrors(r.Context(), model, series, store.Page{Limit: limit, Offset: offset})
	if err != nil {
		writeError(w, err)
		return
	}
	out := make([]errorJSON, len(es))
	for i, e := range es {
		x := errorJSON{Model: e.Model, Version: e.Version, RunID: e.RunID, Origin: timeJSON(e.Origin),
			Time: timeJSON(e.Time), Step: e.Step, Forecast: e.Forecast, Actual: e.Actual, Error: finiteValue(e.Forecast - e.Actual)}
		if iv := e.Interval; iv != nil {
			covered := e.IntervalCovered
			x.Interval, x.Covered = &intervalJSON{Level: iv.Level, Lower: iv.Lower, Upper: iv.Upper}, &covered
		}
		out[i] = x
	}
	writeJSON(w, map[string]any{"series": series, "total": total, "limit": limit, "offset": offset, "errors": out})
}

// accuracy answers GET /v1/accuracy?series=&model=: realised accuracy per
// model version and series.
func (s *Server) accuracy(w http.ResponseWriter, r *http.Request) {
	ref, err := modelParam(r)
	if err != nil {
		writeError(w, err)
		return
	}
	page, err := pageParams(r)
	if err != nil {
		writeError(w, err)
		return
	}
	var accs []store.Accuracy
	series := r.URL.Query().Get("series")
	if series != "" && ref.Name == "" {
		accs, err = s.DB.FindSeriesAccuracy(r.Context(), series)
	} else {
		// The model first, so that an alias names its version and an
		// unknown model is not found, with a series or without.
		accs, err = s.DB.FindAccuracy(r.Context(), ref)
		if series != "" {
			accs = slices.DeleteFunc(accs, func(a store.Accuracy) bool { return a.Series != series })
		}
	}
	if err != nil {
		writeError(w, err)
		return
	}
	lo, hi := min(page.Offset, len(accs)), min(page.Offset+page.Limit, len(accs))
	out := make([]accuracyJSON, 0, hi-lo)
	for _, a := range accs[lo:hi] {
		x := accuracyJSON{Model: a.Model, Version: a.Version, Series: a.Series, Forecasts: a.Forecasts,
			MAE: finiteValue(a.MAE), MASE: finite(a.MASE), Intervals: a.Intervals, Coverage: a.Coverage,
			Levels: []levelCoverageJSON{}, First: timeJSON(a.First), Last: timeJSON(a.Last)}
		for _, lc := range a.ByLevel {
			x.Levels = append(x.Levels, levelCoverageJSON{Level: lc.Level, Intervals: lc.Intervals, Coverage: lc.Coverage})
		}
		out = append(out, x)
	}
	writeJSON(w, map[string]any{"total": len(accs), "limit": page.Limit, "offset": page.Offset, "accuracy": out})
}

// finite is v, or nil if v is nil or not finite (a MASE over a zero scale,
// an error between values near ±1e308), which JSON cannot hold.
func finite(v *float64) *float64 {
	if v == nil || math.IsInf(*v, 0) || math.IsNaN(*v) {
		return nil
	}
	return v
}

// finiteValue is a pointer to v, or nil if v is not finite.
func finiteValue(v float64) *float64 {
	return finite(&v)
}

// runs answers GET /v1/runs?command=: runs, newest first.
func (s *Server) runs(w http.ResponseWriter, r *http.Request) {
	page, err := pageParams(r)
	if err != nil {
		writeError(w, err)
		return
	}
	runs, total, err := s.DB.ListRunsPage(r.Context(), store.RunFilter{Command: r.URL.Query().Get("command"), Page: page})
	if err != nil {
		writeError(w, err)
		return
	}
	out := make([]runJSON, len(runs))
	for i, run := range runs {
		out[i] = toRunJSON(run)
	}
	writeJSON(w, map[string]any{"total": total, "limit": page.Limit, "offset": page.Offset, "runs": out})
}

func toRunJSON(r *store.Run) runJSON {
	args := r.Args
	if args == nil {
		args = []string{}
	}
	return runJSON{ID: r.ID, Command: r.Command, Status: r.Status, Error: r.Error, StartedAt: timeJSON(r.StartedAt),
		FinishedAt: timeJSON(r.FinishedAt), ProgramVersion: r.ProgramVersion, Args: args, Wrote: r.Wrote}
}

// run answers GET /v1/runs/{id}?status=failed: a run, its batch jobs and
// its batch series of a status (failed by default; "all" for every one),
// paged.
func (s *Server) run(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		writeError(w, badParam("id", "want a run ID, a number from 1 up, got %q", r.PathValue("id")))
		return
	}
	page, err := pageParams(r)
	if err != nil {
		writeError(w, err)
		return
	}
	shown := r.URL.Query().Get("status")
	if shown == "" {
		shown = "failed"
	}
	status := shown
	switch status {
	case "all":
		status = ""
	case "done", "skipped", "failed", "replaced":
	default:
		writeError(w, badParam("status", "want done, skipped, failed, replaced or all, got %q", status))
		return
	}
	run, err := s.DB.FindRun(r.Context(), id)
	if err != nil {
		writeError(w, err)
		return
	}
	jobs, err := s.DB.FindBatchJobs(r.Context(), id)
	if err != nil {
		writeError(w, err)
		return
	}
	ss, total, err := s.DB.FindBatchSeries(r.Context(), id, status, page)
	if err != nil {
		writeError(w, err)
		return
	}
	jobsOut := make([]jobJSON, len(jobs))
	for i, j := range jobs {
		jobsOut[i] = jobJSON{Job: j.Job, Model: j.Model, Refit: j.Refit, Decision: j.Decision, Status: j.Status,
			Error: j.Error, Done: j.Done, Failed: j.Failed, Skipped: j.Skipped, StartedAt: timeJSON(j.StartedAt),
			FinishedAt: timeJSON(j.FinishedAt), Seconds: j.Duration.Seconds(), FitSeconds: j.FitDuration.Seconds()}
	}
	seriesOut := make([]batchSeriesJSON, len(ss))
	for i, x := range ss {
		seriesOut[i] = batchSeriesJSON{Job: x.Job, Model: x.Model, Series: x.Series, Cutoff: x.Cutoff,
			Status: x.Status, Error: x.Error, Seconds: x.Duration.Seconds()}
	}
	writeJSON(w, map[string]any{"run": toRunJSON(run), "jobs": jobsOut,
		"series": map[string]any{"status": shown, "total": total, "limit": page.Limit, "offset": page.Offset, "series": seriesOut}})
}

// nonNil is xs, or an empty slice for nil, so that JSON shows [].
func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
