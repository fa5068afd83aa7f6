package web_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/app/web"
	"github.com/forecast-dev/forecast/ingest"
	"github.com/forecast-dev/forecast/store"
)

// t0 is the origin of the first forecast of the fixture.
var t0 = time.Date(2024, 1, 10, 0, 0, 0, 0, time.UTC)

// day is the i-th day after t0.
func day(i int) time.Time { return t0.AddDate(0, 0, i) }

// Series of the fixture whose names hold SQL quotes and LIKE wildcards.
const (
	quoted   = `O'Brien"; DROP TABLE forecasts; --`
	wildcard = `100%_sure`
)

// seedDB writes the fixture: model air (versions 1 and 2, alias champion on
// 1, a tag), its fit forecast of series "air" from t0 (steps 1-3), a newer
// forecast by air@2 from day 2 (steps 1-3), actuals of "air" for days -5 to
// 4, two more series with odd names, and a batch run with a failed series.
// It returns the database's path.
func seedDB(t testing.TB) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "f.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	metrics := `{"test":{"gru":{"mase":0.8},"naive":{"mase":1.2},"seasonal_naive":{"mase":1.0}}}`
	fc := func(series string, origin time.Time, values ...float64) []store.Forecast {
		var fcs []store.Forecast
		for i, v := range values {
			fcs = append(fcs, store.Forecast{Series: series, Origin: origin, Time: origin.AddDate(0, 0, i+1), Step: i + 1,
				Value: v, Intervals: []store.Interval{{Lower: v - 1, Upper: v + 1, Level: 0.95}}, Method: "gru"})
		}
		return fcs
	}
	v1 := &store.ModelVersion{Name: "air", Params: `{"horizon":3}`, Metrics: metrics, Weights: []byte{1},
		DataSeries: "air", DataEnd: t0, DataFreq: "daily", MASEScale: 2}
	must(db.SaveFit(ctx, &store.Run{Command: "fit"}, v1, fc("air", t0, 10, 11, 12)))
	v2 := &store.ModelVersion{Name: "air", Params: `{"horizon":3}`, Metrics: metrics, Weights: []byte{2}, DataSeries: "air", MASEScale: 2}
	must(db.SaveFit(ctx, &store.Run{Command: "fit"}, v2, nil))
	must(db.SavePredict(ctx, &store.Run{Command: "predict"}, v2.ID, fc("air", day(2), 20, 21, 22)))
	must(db.SavePredict(ctx, &store.Run{Command: "predict"}, v2.ID, append(fc(quoted, t0, 5), fc(wildcard, t0, 6)...)))
	if _, err := db.SetAlias(ctx, store.ModelRef{Name: "air", Version: 1}, "champion"); err != nil {
		t.Fatal(err)
	}
	must(db.SetTags(ctx, store.ModelRef{Name: "air", Version: 1}, map[string]string{"team": "ops"}, nil))
	var acts []store.Actual
	for i := -5; i <= 4; i++ {
		acts = append(acts, store.Actual{Series: "air", Time: day(i), Value: float64(100 + i)})
	}
	// Day 1 to 3 are the targets of the fit forecast (10, 11, 12; actual
	// 101, 102, 103, so errors -91 each); day 3 and 4 of the predict
	// forecast (20 and 21 at steps 1 and 2; actual 103 and 104).
	must(db.SaveActuals(ctx, &store.Run{Command: "actuals"}, acts))

	batch := &store.Run{Command: "batch"}
	must(db.StartBatch(ctx, batch))
	must(db.SaveBatchJob(ctx, &store.BatchJob{RunID: batch.ID, Job: "hourly", Model: "air", Config: "{}", Refit: "never", Status: "ok", Done: 0, Failed: 1}))
	must(db.SaveBatchSeries(ctx, batch.ID, []*store.BatchSeries{{Job: "hourly", Model: "air", Series: "broken", Cutoff: "#3", Status: "failed", Error: "too short"}}))
	must(db.FinishBatch(ctx, batch, nil))
	return path
}

// newServer serves the database at path read-only with httptest.
func newServer(t testing.TB, path string, configure func(*web.Server)) *httptest.Server {
	t.Helper()
	db, err := store.OpenReader(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	s := &web.Server{DB: db, Version: "test"}
	if configure != nil {
		configure(s)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() { ts.Close(); db.Close() })
	return ts
}

// get fetches path and decodes its JSON into out, returning the status.
func get(t testing.TB, ts *httptest.Server, path string, out any) int {
	t.Helper()
	res, err := http.Get(ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	return decode(t, res, out)
}

func decode(t testing.TB, res *http.Response, out any) int {
	t.Helper()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("%s: Content-Type %q, want application/json; body %s", res.Request.URL, ct, body)
	}
	if err := json.Unmarshal(body, out); err != nil {
		t.Fatalf("%s: %v in %s", res.Request.URL, err, body)
	}
	return res.StatusCode
}

func TestModels(t *testing.T) {
	ts := newServer(t, seedDB(t), nil)
	var list struct {
		Total  int
		Models []struct {
			Name     string
			Versions int
			Latest   int
			Aliases  map[string]int
			Test     struct{ GRU, Naive struct{ MASE float64 } }
		}
	}
	if code := get(t, ts, "/v1/models", &list); code != 200 || list.Total != 1 || len(list.Models) != 1 {
		t.Fatalf("models: %d %+v", code, list)
	}
	m := list.Models[0]
	if m.Name != "air" || m.Versions != 2 || m.Latest != 2 || m.Aliases["champion"] != 1 || m.Test.GRU.MASE != 0.8 || m.Test.Naive.MASE != 1.2 {
		t.Errorf("models: %+v", m)
	}

	var one struct {
		Name     string
		Versions []struct {
			Version   int
			Aliases   []string
			Tags      map[string]string
			Params    map[string]int
			Forecasts int
			Data      struct{ End *string }
		}
	}
	if code := get(t, ts, "/v1/models/air", &one); code != 200 || len(one.Versions) != 2 {
		t.Fatalf("models/air: %d %+v", code, one)
	}
	v := one.Versions[0]
	if v.Version != 1 || len(v.Aliases) != 1 || v.Aliases[0] != "champion" || v.Tags["team"] != "ops" ||
		v.Params["horizon"] != 3 || v.Forecasts != 3 || v.Data.End == nil || *v.Data.End != "2024-01-10T00:00:00Z" {
		t.Errorf("models/air version 1: %+v", v)
	}
	if v2 := one.Versions[1]; v2.Forecasts != 5 || v2.Data.End != nil || len(v2.Aliases) != 0 {
		t.Errorf("models/air version 2: %+v", v2)
	}
}

// forecastResponse is the shape of GET /v1/forecasts.
type forecastResponse struct {
	Model   string
	Version int
	Run     int
	Series  string
	Origin  *string
	Method  string
	Points  []struct {
		Step      int
		Time      *string
		Value     float64
		Intervals []struct{ Level, Lower, Upper float64 }
	}
}

func TestForecasts(t *testing.T) {
	ts := newServer(t, seedDB(t), nil)
	for _, tt := range []struct {
		query   string
		version int
		origin  string
		first   float64
	}{
		{"series=air", 2, "2024-01-12T00:00:00Z", 20},                    // the newest origin
		{"series=air&origin=latest", 2, "2024-01-12T00:00:00Z", 20},      // the same
		{"series=air&model=air@champion", 1, "2024-01-10T00:00:00Z", 10}, // the alias's version
		{"series=air&model=air@1", 1, "2024-01-10T00:00:00Z", 10},        // a version
		{"series=air&origin=2024-01-10", 1, "2024-01-10T00:00:00Z", 10},  // an older origin
		{"series=air&model=air&origin=2024-01-12T00:00:00Z", 2, "2024-01-12T00:00:00Z", 20},
	} {
		var fc forecastResponse
		if code := get(t, ts, "/v1/forecasts?"+tt.query, &fc); code != 200 {
			t.Errorf("%s: status %d", tt.query, code)
			continue
		}
		if fc.Model != "air" || fc.Version != tt.version || fc.Origin == nil || *fc.Origin != tt.origin || fc.Method != "gru" || len(fc.Points) != 3 {
			t.Errorf("%s: %+v", tt.query, fc)
			continue
		}
		for i, p := range fc.Points {
			want := tt.first + float64(i)
			if p.Step != i+1 || p.Value != want || len(p.Intervals) != 1 ||
				p.Intervals[0] != (struct{ Level, Lower, Upper float64 }{0.95, want - 1, want + 1}) {
				t.Errorf("%s: point %d: %+v", tt.query, i, p)
			}
		}
	}
}

func TestSeriesSearchAndPaging(t *testing.T) {
	ts := newServer(t, seedDB(t), nil)
	type page struct {
		Total  int
		Series []struct {
			Series     string
			Forecasts  int
			Actuals    int
			LastOrigin *string `json:"last_origin"`
		}
	}
	names := func(p page) []string {
		var out []string
		for _, s := range p.Series {
			out = append(out, s.Series)
		}
		return out
	}
	// "broken" has only a batch_series row, no forecasts or actuals.
	var all page
	if get(t, ts, "/v1/series", &all); all.Total != 3 || fmt.Sprint(names(all)) != fmt.Sprint([]string{wildcard, quoted, "air"}) {
		t.Fatalf("series: %+v", all)
	}
	if s := all.Series[2]; s.Forecasts != 6 || s.Actuals != 10 || *s.LastOrigin != "2024-01-12T00:00:00Z" {
		t.Errorf("series air: %+v", s)
	}
	for _, tt := range []struct {
		query string
		want  []string
		total int
	}{
		{"q=%25", []string{wildcard}, 1},    // a literal %, not a wildcard
		{"q=_", []string{wildcard}, 1},      // a literal _
		{"q=0%25_s", []string{wildcard}, 1}, // both, in place
		{"q=" + url.QueryEscape("'"), []string{quoted}, 1},
		{"q=AIR", []string{"air"}, 1}, // LIKE ignores ASCII case
		{"limit=2&offset=1", []string{quoted, "air"}, 3},
		{"limit=2&offset=3", nil, 3}, // past the end: still the total
		{"model=air&q=ai", []string{"air"}, 1},
	} {
		var p page
		if code := get(t, ts, "/v1/series?"+tt.query, &p); code != 200 || fmt.Sprint(names(p)) != fmt.Sprint(tt.want) || p.Total != tt.total {
			t.Errorf("series?%s: %d %v total %d, want %v total %d", tt.query, code, names(p), p.Total, tt.want, tt.total)
		}
	}
	// Filtered by model, a series keeps its actuals (they read 0).
	var byModel page
	if get(t, ts, "/v1/series?model=air&q=air", &byModel); len(byModel.Series) != 1 || byModel.Series[0].Actuals != 10 || byModel.Series[0].Forecasts != 6 {
		t.Errorf("series?model=air: %+v, want air's 6 forecasts and 10 actuals", byModel.Series)
	}
}

// TestNoSQLInjection asks for series and models whose names are SQL: they
// are found as names, and the database is unchanged.
func TestNoSQLInjection(t *testing.T) {
	ts := newServer(t, seedDB(t), nil)
	var fc forecastResponse
	if code := get(t, ts, "/v1/forecasts?series="+url.QueryEscape(quoted), &fc); code != 200 || fc.Series != quoted || fc.Points[0].Value != 5 {
		t.Errorf("forecasts of %q: %d %+v", quoted, code, fc)
	}
	for _, path := range []string{
		"/v1/forecasts?series=" + url.QueryEscape(`air' OR '1'='1`),
		"/v1/forecasts?series=air&model=" + url.QueryEscape(`air' OR 1=1 --`),
		"/v1/models/" + url.PathEscape(`air' OR 1=1 --`),
		"/v1/actuals?series=" + url.QueryEscape(`air' OR 1=1 --`),
	} {
		var e errorResponse
		code := get(t, ts, path, &e)
		var acts struct{ Actuals []any }
		if code == 200 {
			get(t, ts, path, &acts)
		}
		if code != 404 && code != 400 && !(code == 200 && len(acts.Actuals) == 0) {
			t.Errorf("%s: status %d %+v", path, code, e)
		}
	}
	var all struct{ Total int }
	if get(t, ts, "/v1/series", &all); all.Total != 3 {
		t.Errorf("after the requests, %d series, want 3", all.Total)
	}
}

func TestActualsErrorsAccuracy(t *testing.T) {
	ts := newServer(t, seedDB(t), nil)
	type actuals struct {
		Total   int
		Actuals []struct {
			Time  string
			Value float64
		}
	}
	var acts, upTo actuals
	if get(t, ts, "/v1/actuals?series=air&limit=3&until=2024-01-12", &acts); len(acts.Actuals) != 3 ||
		acts.Actuals[0].Time != "2024-01-10T00:00:00Z" || acts.Actuals[2].Value != 102 {
		t.Errorf("actuals: %+v", acts)
	}
	// The total counts every actual up to until, as the list without a
	// limit holds them.
	if get(t, ts, "/v1/actuals?series=air&limit=100000&until=2024-01-12", &upTo); acts.Total != len(upTo.Actuals) || acts.Total <= 3 || upTo.Total != acts.Total {
		t.Errorf("total %d, %d; want %d, the actuals up to 2024-01-12", acts.Total, upTo.Total, len(upTo.Actuals))
	}
	// offset pages back from the newest: the 3 before those.
	var before actuals
	if get(t, ts, "/v1/actuals?series=air&limit=3&offset=3&until=2024-01-12", &before); len(before.Actuals) != 3 || before.Total != acts.Total ||
		before.Actuals[0].Time != "2024-01-07T00:00:00Z" || before.Actuals[2].Time != "2024-01-09T00:00:00Z" {
		t.Errorf("actuals offset 3: %+v, want the 3 before %+v", before, acts.Actuals)
	}

	var errs struct {
		Total  int
		Errors []struct {
			Model    string
			Version  int
			Time     string
			Step     int
			Forecast float64
			Actual   float64
			Error    float64
			Covered  *bool
		}
	}
	// Forecasts with an actual: air@1 for days 1-3, air@2 for days 3-4.
	if get(t, ts, "/v1/errors?series=air", &errs); len(errs.Errors) != 5 || errs.Total != 5 {
		t.Fatalf("errors: %+v", errs)
	}
	last := errs.Errors[4]
	if last.Time != "2024-01-14T00:00:00Z" || last.Version != 2 || last.Step != 2 || last.Forecast != 21 || last.Actual != 104 ||
		last.Error != -83 || last.Covered == nil || *last.Covered {
		t.Errorf("newest error: %+v", last)
	}
	// Pages go back in time from the newest: two after the newest are
	// the second and third newest, in time order.
	all := errs.Errors
	errs.Errors = nil
	if get(t, ts, "/v1/errors?series=air&limit=2&offset=1", &errs); errs.Total != 5 || !reflect.DeepEqual(errs.Errors, all[2:4]) {
		t.Errorf("errors limit 2 offset 1: %+v, want total 5 and %+v", errs, all[2:4])
	}

	var acc struct {
		Total    int
		Accuracy []struct {
			Model     string
			Version   int
			Forecasts int
			MAE       float64
			MASE      *float64
			Coverage  *float64
			Levels    []struct {
				Level     float64
				Intervals int
				Coverage  float64
			}
		}
	}
	// air@1: |10-101|, |11-102|, |12-103| = 91 each; MASE 91/2.
	// air@2: |20-103| = 83, |21-104| = 83; MASE 83/2. No actual is covered.
	if get(t, ts, "/v1/accuracy?series=air", &acc); acc.Total != 2 {
		t.Fatalf("accuracy: %+v", acc)
	}
	for i, want := range []struct {
		version, n int
		mae        float64
	}{{1, 3, 91}, {2, 2, 83}} {
		a := acc.Accuracy[i]
		if a.Version != want.version || a.Forecasts != want.n || a.MAE != want.mae || a.MASE == nil || *a.MASE != want.mae/2 || a.Coverage == nil || *a.Coverage != 0 {
			t.Errorf("accuracy of air@%d: %+v", want.version, a)
		}
		// Every forecast has a 95 % interval and no 80 % one.
		if len(a.Levels) != 1 || a.Levels[0].Level != 0.95 || a.Levels[0].Intervals != want.n || a.Levels[0].Coverage != 0 {
			t.Errorf("accuracy of air@%d by level: %+v, want 95 %% over %d forecasts, none covered", want.version, a.Levels, want.n)
		}
	}
	if get(t, ts, "/v1/accuracy?model=air@2", &acc); acc.Total != 1 || acc.Accuracy[0].Version != 2 {
		t.Errorf("accuracy of air@2: %+v", acc)
	}
	// With a series, an alias still names its one version (champion: 1).
	if get(t, ts, "/v1/accuracy?series=air&model=air@champion", &acc); acc.Total != 1 || acc.Accuracy[0].Version != 1 {
		t.Errorf("accuracy of air@champion on series air: %+v", acc)
	}
	var origins struct {
		Total   int
		Origins []struct {
			Origin  string
			Version int
			Steps   int
		}
	}
	if get(t, ts, "/v1/origins?series=air", &origins); origins.Total != 2 || len(origins.Origins) != 2 ||
		origins.Origins[0].Origin != "2024-01-12T00:00:00Z" || origins.Origins[1].Version != 1 || origins.Origins[1].Steps != 3 {
		t.Errorf("origins: %+v", origins)
	}
	// A page of one still gives the total.
	if get(t, ts, "/v1/origins?series=air&limit=1&offset=1", &origins); origins.Total != 2 || len(origins.Origins) != 1 || origins.Origins[0].Version != 1 {
		t.Errorf("origins, second page of one: %+v", origins)
	}
}

func TestRuns(t *testing.T) {
	ts := newServer(t, seedDB(t), nil)
	var runs struct {
		Total int
		Runs  []struct {
			ID      int
			Command string
			Status  string
		}
	}
	if get(t, ts, "/v1/runs?limit=2", &runs); runs.Total != 6 || len(runs.Runs) != 2 || runs.Runs[0].Command != "batch" || runs.Runs[0].ID != 6 {
		t.Fatalf("runs: %+v", runs)
	}
	if get(t, ts, "/v1/runs?command=predict", &runs); runs.Total != 2 {
		t.Errorf("predict runs: %+v", runs)
	}
	var run struct {
		Run  struct{ Status string }
		Jobs []struct {
			Job    string
			Failed int `json:"series_failed"`
		}
		Series struct {
			Total  int
			Series []struct{ Series, Error string }
		}
	}
	if get(t, ts, "/v1/runs/6", &run); run.Run.Status != "ok" || len(run.Jobs) != 1 || run.Jobs[0].Failed != 1 ||
		run.Series.Total != 1 || run.Series.Series[0].Series != "broken" || run.Series.Series[0].Error != "too short" {
		t.Errorf("run 6: %+v", run)
	}
}

// errorResponse is the shape of every error.
type errorResponse struct {
	Error struct{ Code, Message string }
}

func TestErrors(t *testing.T) {
	ts := newServer(t, seedDB(t), func(s *web.Server) { s.MaxBodyBytes = 100 })
	for _, tt := range []struct {
		method, path, body string
		status             int
		code, message      string
	}{
		{"GET", "/v1/forecasts", "", 400, "bad_parameter", "series: required"},
		{"GET", "/v1/forecasts?series=nothing", "", 404, "not_found", `series "nothing" has no forecasts`},
		{"GET", "/v1/forecasts?series=air&model=nothing", "", 404, "not_found", `model "nothing" not found`},
		{"GET", "/v1/forecasts?series=air&model=air@9", "", 404, "not_found", `model "air" has no version 9`},
		{"GET", "/v1/forecasts?series=air&model=air@beta", "", 404, "not_found", `model "air" has no alias "beta"`},
		{"GET", "/v1/series?q=" + strings.Repeat("a", 60000), "", 400, "bad_parameter", "q: 60000 bytes, over the limit of 1000"},
		{"GET", "/v1/series?q=%00", "", 400, "bad_parameter", "q: holds a NUL character"},
		{"GET", "/v1/series?q=a;b&limit=2", "", 400, "bad_parameter", `the query string "q=a;b&limit=2": invalid semicolon separator in query`},
		{"GET", "/v1/runs?command=a;b", "", 400, "bad_parameter", "invalid semicolon separator"},
		{"GET", "/v1/accuracy?series=air&model=air@9", "", 404, "not_found", `model "air" has no version 9`},
		{"GET", "/v1/accuracy?series=air&model=nothing", "", 404, "not_found", `model "nothing" not found`},
		{"GET", "/v1/series?model=nothing", "", 404, "not_found", `model "nothing" not found`},
		{"GET", "/v1/origins?series=air&model=nothing", "", 404, "not_found", `model "nothing" not found`},
		{"GET", "/v1/errors?series=air&model=nothing", "", 404, "not_found", `model "nothing" not found`},
		{"GET", "/v1/forecasts?series=air&model=@1", "", 400, "bad_parameter", "the name is empty"},
		{"GET", "/v1/forecasts?series=air&model=air@", "", 400, "bad_parameter", "the version after @ must be a number"},
		{"GET", "/v1/forecasts?series=air&origin=yesterday", "", 400, "bad_parameter", "origin: want an RFC 3339 time"},
		{"GET", "/v1/forecasts?series=air&origin=2023-01-01", "", 404, "not_found", "from 2023-01-01T00:00:00Z"},
		{"GET", "/v1/series?limit=1001", "", 400, "bad_parameter", "limit: want a whole number from 1 to 1000"},
		{"GET", "/v1/series?offset=-1", "", 400, "bad_parameter", "offset"},
		{"GET", "/v1/series?model=air@2", "", 400, "bad_parameter", "want a model name here"},
		{"GET", "/v1/origins?series=air&model=air@latest", "", 400, "bad_parameter", "want a model name here"},
		{"GET", "/v1/errors?series=air&model=air@champion", "", 400, "bad_parameter", "want a model name here"},
		{"GET", "/v1/actuals?series=air&limit=x", "", 400, "bad_parameter", "limit"},
		{"GET", "/v1/actuals?series=air&offset=-1", "", 400, "bad_parameter", "offset"},
		{"GET", "/v1/models/nothing", "", 404, "not_found", `model "nothing" not found`},
		{"GET", "/v1/runs/x", "", 400, "bad_parameter", "id: want a run ID"},
		{"GET", "/v1/runs/99", "", 404, "not_found", "run 99 not found"},
		{"GET", "/v1/runs/6?status=odd", "", 400, "bad_parameter", "status"},
		{"GET", "/v1/nothing", "", 404, "not_found", "no endpoint GET /v1/nothing"},
		{"DELETE", "/v1/models", "", 405, "method_not_allowed", "/v1/models takes GET or HEAD, not DELETE"},
		{"DELETE", "/v1/runs/3", "", 405, "method_not_allowed", "/v1/runs/3 takes GET or HEAD, not DELETE"},
		{"GET", "/v1/predict?model=air", "", 405, "method_not_allowed", "/v1/predict takes POST, not GET"},
		// A method no route names got the mux's text 405.
		{"TRACE", "/v1/health", "", 405, "method_not_allowed", "/v1/health takes GET or HEAD, not TRACE"},
		{"PROPFIND", "/v1/models", "", 405, "method_not_allowed", "/v1/models takes GET or HEAD, not PROPFIND"},
		{"PROPFIND", "/v1/nothing", "", 404, "not_found", "no endpoint PROPFIND /v1/nothing"},
		{"POST", "/v1/nothing", "", 404, "not_found", "no endpoint POST /v1/nothing"},
		{"GET", "/v1/runs/3/x", "", 404, "not_found", "no endpoint GET /v1/runs/3/x"},
		{"POST", "/v1/predict?model=air", "x\n1\n", 403, "predict_disabled", "--allow-predict"},
	} {
		req, err := http.NewRequest(tt.method, ts.URL+tt.path, strings.NewReader(tt.body))
		if err != nil {
			t.Fatal(err)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var e errorResponse
		status := decode(t, res, &e)
		res.Body.Close()
		if status != tt.status || e.Error.Code != tt.code || !strings.Contains(e.Error.Message, tt.message) {
			t.Errorf("%s %s: %d %+v, want %d %s %q", tt.method, tt.path, status, e, tt.status, tt.code, tt.message)
		}
		if allow := res.Header.Get("Allow"); (status == 405) != (allow != "") {
			t.Errorf("%s %s: %d with Allow %q", tt.method, tt.path, status, allow)
		}
	}
}

// TestPredictLimits checks what POST /v1/predict refuses before it
// forecasts; forecasts of a real model are tested in package app.
func TestPredictLimits(t *testing.T) {
	var loaded *ingest.Series
	ts := newServer(t, seedDB(t), func(s *web.Server) {
		s.MaxBodyBytes, s.MaxRows = 200, 3
		s.Predict = func(mv *store.ModelVersion, load func(string, []string) (*ingest.Series, error)) (*web.Prediction, error) {
			s, err := load("load", nil)
			if err != nil {
				return nil, err
			}
			loaded = s
			return &web.Prediction{Series: s.Name, Method: "echo"}, nil
		}
	})
	post := func(path, contentType, body string) (int, errorResponse) {
		res, err := http.Post(ts.URL+path, contentType, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var e errorResponse
		return decode(t, res, &e), e
	}
	for _, tt := range []struct {
		path, contentType, body string
		status                  int
		code                    string
		message                 string // if set, the error's message
	}{
		{"/v1/predict?model=air", "text/csv", strings.Repeat("1\n", 150), 413, "too_large", ""},
		{"/v1/predict?model=air", "text/csv", "load\n1\n2\n3\n4\n", 413, "too_many_rows", ""},
		{"/v1/predict?model=air", "text/csv", "load\r1\r2\r3\r4\r", 413, "too_many_rows", ""}, // lines ended by CR alone
		{"/v1/predict?model=air", "application/json", `{"values":[1,2,3,4]}`, 413, "too_many_rows", ""},
		{"/v1/predict?model=air", "application/json", `{"values":[1,2],"times":["2024-01-01"]}`, 400, "bad_json", ""},
		{"/v1/predict?model=air", "application/json", `{"values":"x"}`, 400, "bad_json", ""},
		{"/v1/predict?model=air", "application/json", `{"times":[],"values":[]}`, 400, "bad_json", `the body holds no values: want {"values": [...]}, with "times" or without`},
		{"/v1/predict?model=air", "application/json", `{"value":[1]}`, 400, "bad_json", ""},
		{"/v1/predict?model=air", "application/json", `{"values":[1]} trailing`, 400, "bad_json", ""},
		{"/v1/predict?model=air", "application/json", `{"values":[1]}{"values":[2]}`, 400, "bad_json", ""},
		{"/v1/predict?model=air", "image/png", "x", 415, "unsupported_media_type", ""},
		{"/v1/predict", "text/csv", "load\n1\n", 400, "bad_parameter", ""},
		{"/v1/predict?model=nothing", "text/csv", "load\n1\n", 404, "not_found", ""},
		{"/v1/predict?model=air", "text/csv", "other\n1\n", 422, "bad_data", ""},
		{"/v1/predict?model=air", "text/csv", "load\nx\n", 422, "bad_data", ""},
		// The errors of a JSON body name its elements, not the lines of
		// the CSV it is read as.
		{"/v1/predict?model=air", "application/json", `{"times":["2024-01-01","bad"],"values":[1,2]}`, 422, "bad_data",
			`request body: times[1]: parse "bad" as a time: want the layout 2006-01-02, as at index 0`},
		{"/v1/predict?model=air", "application/json", `{"times":["2024-01-01","2024-01-02","2024-01-02"],"values":[1,2,3]}`, 422, "bad_data",
			`request body: times[2]: duplicate time "2024-01-02", first at index 1`},
	} {
		if status, e := post(tt.path, tt.contentType, tt.body); status != tt.status || e.Error.Code != tt.code || tt.message != "" && e.Error.Message != tt.message {
			t.Errorf("POST %s %q: %d %+v, want %d %s %s", tt.path, tt.body, status, e, tt.status, tt.code, tt.message)
		}
	}
	// A JSON body is read as the CSV of its times and values.
	res, err := http.Post(ts.URL+"/v1/predict", "application/json",
		strings.NewReader(`{"model":"air@champion","times":["2024-01-01","2024-01-02","2024-01-03"],"values":[1.5,2,-3e-7]}`))
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Model   string
		Version int
		Stored  bool
		Method  string
	}
	if status := decode(t, res, &out); status != 200 || out.Version != 1 || out.Stored || out.Method != "echo" {
		t.Errorf("predict: %d %+v", status, out)
	}
	if loaded == nil || fmt.Sprint(loaded.Values()) != "[1.5 2 -3e-07]" || len(loaded.Times()) != 3 || !loaded.Time(2).Equal(time.Date(2024, 1, 3, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("predict loaded %+v", loaded)
	}
	// A null value is a missing one, filled as an empty CSV cell is, not 0.
	ts2 := newServer(t, seedDB(t), func(s *web.Server) {
		s.Predict = func(mv *store.ModelVersion, load func(string, []string) (*ingest.Series, error)) (*web.Prediction, error) {
			s, err := load("load", nil)
			loaded = s
			return &web.Prediction{Series: "load", Method: "echo"}, err
		}
	})
	days := `"2024-01-01","2024-01-02","2024-01-03","2024-01-04","2024-01-05","2024-01-06","2024-01-07","2024-01-08","2024-01-09","2024-01-10","2024-01-11","2024-01-12"`
	for _, body := range []string{`{"model":"air","values":[1,null,3,4,5,6,7,8,9,10,11,12]}`, `{"model":"air","times":[` + days + `],"values":[1,null,3,4,5,6,7,8,9,10,11,12]}`} {
		loaded = nil
		res, err = http.Post(ts2.URL+"/v1/predict", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if status := decode(t, res, &out); status != 200 || loaded == nil || fmt.Sprint(loaded.Values()) != "[1 2 3 4 5 6 7 8 9 10 11 12]" {
			t.Errorf("predict %s: %d, loaded %v", body, status, loaded)
		}
	}
}

func TestDashboardIsServed(t *testing.T) {
	ts := newServer(t, seedDB(t), nil)
	for path, want := range map[string]string{"/": `<script src="app.js">`, "/app.js": "function plot(", "/style.css": "svg.plot"} {
		res, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Errorf("%s: %d, lacks %q", path, res.StatusCode, want)
		}
	}
}

// TestReadsWhileWriting reads the API while another connection writes
// forecasts and actuals, as a batch does: no read fails.
func TestReadsWhileWriting(t *testing.T) {
	path := seedDB(t)
	ts := newServer(t, path, nil)
	writer, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	v2, err := writer.FindModelVersion(context.Background(), store.ModelRef{Name: "air", Version: 2})
	if err != nil {
		t.Fatal(err)
	}

	const writes = 40
	done := make(chan error, 1)
	go func() {
		for i := range writes {
			origin := day(10 + i)
			fcs := []store.Forecast{{Series: "air", Origin: origin, Time: origin.AddDate(0, 0, 1), Step: 1, Value: float64(i)}}
			if err := writer.SavePredict(context.Background(), &store.Run{Command: "predict"}, v2.ID, fcs); err != nil {
				done <- err
				return
			}
			if err := writer.SaveActuals(context.Background(), &store.Run{Command: "actuals"}, []store.Actual{{Series: "air", Time: origin, Value: float64(i)}}); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	reads := 0
	for finished := false; !finished; {
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("writer: %v", err)
			}
			finished = true
		default:
		}
		for _, p := range []string{"/v1/forecasts?series=air", "/v1/series", "/v1/accuracy?series=air", "/v1/runs"} {
			var v map[string]any
			if code := get(t, ts, p, &v); code != 200 {
				t.Fatalf("%s while writing: %d %v", p, code, v)
			}
			reads++
		}
	}
	// The last write is seen once it is committed.
	var fc forecastResponse
	if get(t, ts, "/v1/forecasts?series=air", &fc); *fc.Origin != day(10+writes-1).Format(time.RFC3339) || fc.Points[0].Value != writes-1 {
		t.Errorf("after the writes: %+v", fc)
	}
	t.Logf("%d reads during %d writes", reads, 2*writes)
}

// TestReadsWhileATransactionIsOpen holds a write transaction open, as a
// batch does while it stores a group of series: reads neither wait for it
// nor see its rows.
func TestReadsWhileATransactionIsOpen(t *testing.T) {
	path := seedDB(t)
	ts := newServer(t, path, nil)
	raw, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	ctx := context.Background()
	conn, err := raw.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, stmt := range []string{`BEGIN IMMEDIATE`,
		`INSERT INTO actuals (run_id, series, time, value) VALUES (1, 'air', '2030-01-01T00:00:00Z', 1)`} {
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	var acts struct{ Actuals []struct{ Time string } }
	if code := get(t, ts, "/v1/actuals?series=air&limit=1", &acts); code != 200 || len(acts.Actuals) != 1 || acts.Actuals[0].Time != "2024-01-14T00:00:00Z" {
		t.Errorf("actuals during a write transaction: %d %+v", code, acts)
	}
	// These read in a transaction of their own.
	for _, p := range []string{"/v1/models", "/v1/runs", "/v1/runs/6", "/v1/accuracy?model=air"} {
		var v map[string]any
		if code := get(t, ts, p, &v); code != 200 {
			t.Errorf("%s during a write transaction: %d %v", p, code, v)
		}
	}
	if _, err := conn.ExecContext(ctx, `ROLLBACK`); err != nil {
		t.Fatal(err)
	}
}

func TestOpenReaderNeedsAFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "none.db")
	if _, err := store.OpenReader(context.Background(), path); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("OpenReader of a missing file: %v", err)
	}
	if matches, _ := filepath.Glob(path + "*"); len(matches) != 0 {
		t.Errorf("OpenReader created %v", matches)
	}
}

// TestServeGracefulShutdown cancels Serve's context while a request is
// under way: the request completes, new connections are refused, and
// Serve returns nil.
func TestServeGracefulShutdown(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
		io.WriteString(w, "finished")
	})
	ln, err := newListener()
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- web.Serve(ctx, ln, h) }()

	body := make(chan string, 1)
	go func() {
		res, err := http.Get("http://" + addr + "/")
		if err != nil {
			body <- err.Error()
			return
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		body <- string(b)
	}()
	<-started
	cancel()
	// Serve stops accepting at once; wait until a new connection is refused.
	for {
		c, err := dial(addr)
		if err != nil {
			break
		}
		c.Close()
		select {
		case err := <-served:
			t.Fatalf("Serve returned %v before the request under way finished", err)
		default:
		}
	}
	close(release)
	if got := <-body; got != "finished" {
		t.Errorf("the request under way got %q", got)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve: %v", err)
	}
}

func newListener() (net.Listener, error) { return net.Listen("tcp", "127.0.0.1:0") }

func dial(addr string) (net.Conn, error) { return net.Dial("tcp", addr) }

// TestModelWithoutTestPart lists a version stored without a test part (a
// series too short for one): its test scores are null, not zeros.
func TestModelWithoutTestPart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "f.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	v := &store.ModelVersion{Name: "short", Params: `{"horizon":12,"classical_only":true}`, Metrics: `{"test":{"selected":{"mase":0},"gru":{"mase":0}},"epochs_run":0}`,
		Weights: []byte{}, DataSeries: "short/y", MASEScale: 1}
	if err := db.SaveFit(ctx, &store.Run{Command: "fit"}, v, nil); err != nil {
		t.Fatal(err)
	}
	db.Close()
	ts := newServer(t, path, nil)
	var list struct {
		Models []struct {
			Name string
			Test *struct{ GRU struct{ MASE float64 } }
		}
	}
	if code := get(t, ts, "/v1/models", &list); code != 200 || len(list.Models) != 1 || list.Models[0].Test != nil {
		t.Errorf("status %d, models %+v; want short with no test scores", code, list.Models)
	}
}

// A database file replaced or removed under the server: the answers
// mixed the old file and the new, or failed at random, and health said
// ok. Every API request now says what happened.
func TestDatabaseReplaced(t *testing.T) {
	path := seedDB(t)
	ts := newServer(t, path, nil)
	var health map[string]any
	if status := get(t, ts, "/v1/health", &health); status != 200 {
		t.Fatalf("health: %d", status)
	}
	other := seedDB(t)
	if err := os.Rename(other, path); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/v1/health", "/v1/models"} {
		var e errorResponse
		if status := get(t, ts, p, &e); status != 503 || e.Error.Code != "database_changed" || !strings.Contains(e.Error.Message, "was replaced after serve opened it") {
			t.Errorf("%s after the file was replaced: %d %+v", p, status, e)
		}
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	var e errorResponse
	if status := get(t, ts, "/v1/models", &e); status != 503 || !strings.Contains(e.Error.Message, "was removed after serve opened it") {
		t.Errorf("after the file was removed: %d %+v", status, e)
	}
}
