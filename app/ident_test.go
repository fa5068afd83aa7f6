package app_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Two files whose columns are both named sales are two series, stored as
// FILE/sales; the same files read again from another folder give the same
// ids, so accuracy scores each model against its own shop's actuals.
func TestSeriesIdentityTwoFiles(t *testing.T) {
	db := filepath.Join(t.TempDir(), "f.db")
	shops := filepath.Join("testdata", "shops")
	fit := []string{"--target", "sales", "--lookback", "14", "--horizon", "7", "--season", "7",
		"--hidden", "4", "--epochs", "2", "--db", db}
	for _, shop := range []string{"shop_a", "shop_b"} {
		out := mustRun(t, 0, append([]string{"fit", filepath.Join(shops, "history", shop+".csv"), "--name", shop}, fit...)...)
		if !strings.Contains(out, "with the forecasts of "+shop+"/sales\n") {
			t.Errorf("fit of %s does not name the stored series:\n%s", shop, out)
		}
	}
	for _, shop := range []string{"shop_a", "shop_b"} {
		out := mustRun(t, 0, "actuals", filepath.Join(shops, "latest", shop+".csv"), "--target", "sales", "--db", db)
		for _, want := range []string{"stored 112 actuals of " + shop + "/sales, 0 of them replacing",
			"7 stored forecasts of " + shop + "/sales (1 model version) have actuals"} {
			if !strings.Contains(out, want) {
				t.Errorf("actuals of %s lack %q:\n%s", shop, want, out)
			}
		}
	}
	var accs []struct {
		Model     string
		Series    string
		Forecasts int
		MAE       float64
	}
	if err := json.Unmarshal([]byte(mustRun(t, 0, "accuracy", "--format", "json", "--db", db)), &accs); err != nil {
		t.Fatal(err)
	}
	// The shops' levels are 100 and 1000 (testdata/shops/README.md): a
	// forecast scored against the other shop's actuals is off by some 900.
	level := map[string]float64{"shop_a": 100, "shop_b": 1000}
	if len(accs) != 2 {
		t.Fatalf("accuracy: %+v, want a row per shop", accs)
	}
	for _, a := range accs {
		if a.Series != a.Model+"/sales" || a.Forecasts != 7 || !(a.MAE < 0.2*level[a.Model]) {
			t.Errorf("accuracy of %s: %+v, want its 7 forecasts of %s/sales scored against its own actuals", a.Model, a, a.Model)
		}
	}
	if out := mustRun(t, 0, "accuracy", "--db", db); !strings.Contains(out, "shop_a  1        shop_a/sales") {
		t.Errorf("accuracy table does not show the ids:\n%s", out)
	}

	// --series-id names the series instead.
	out := mustRun(t, 0, "predict", "--model", "shop_a", filepath.Join(shops, "latest", "shop_a.csv"), "--series-id", "store 7", "--db", db)
	if !strings.Contains(out, "stored 7 forecasts of store 7 by shop_a@1") {
		t.Errorf("predict --series-id:\n%s", out)
	}
	if out := mustRun(t, 0, "forecasts", "--series", "store 7", "--format", "csv", "--db", db); strings.Count(out, ",shop_a,1,store 7,") != 7 {
		t.Errorf("forecasts of store 7:\n%s", out)
	}

	// Bad ids are refused, and nothing is written.
	before := countRows(t, db)
	wide := writeFile(t, "wide.csv", "date,a,b\n2024-01-01,1,2\n2024-01-02,3,4\n")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"actuals", filepath.Join(shops, "latest", "shop_a.csv"), "--target", "sales", "--series-id", ""}, `--series-id "": want a name`},
		{[]string{"actuals", filepath.Join(shops, "latest", "shop_a.csv"), "--target", "sales", "--series-id", " a"}, `--series-id " a": want a name`},
		{[]string{"fit", wide, "--target", "a,b", "--series-id", "x"}, `--series-id "x" names one series, but ` + wide + " holds 2"},
	} {
		if errOut := mustRun(t, 2, append(tt.args, "--db", db)...); !strings.Contains(errOut, tt.want) || strings.Count(errOut, "\n") > 2 {
			t.Errorf("%v: %q, want one line with %q", tt.args, errOut, tt.want)
		}
	}
	if got := countRows(t, db); got != before {
		t.Fatalf("refused commands wrote: %s, before %s", got, before)
	}
}

// A batch stores each series as fit would, FILE/ID, also from a glob of
// files; series-id names a job's one series instead.
func TestBatchSeriesIDs(t *testing.T) {
	history, err := filepath.Abs(filepath.Join("testdata", "shops", "history"))
	if err != nil {
		t.Fatal(err)
	}
	settings := "[job.settings]\nlookback = 14\nhorizon = 7\nseason = 7\nhidden = 4\nepochs = 2\n"
	jobs := writeJobs(t, fmt.Sprintf(`[[job]]
name = "one"
[job.source]
path = %q
target = "sales"
series-id = "a"
%s
[[job]]
name = "all"
[job.source]
path = %q
target = "sales"
%s`, filepath.Join(history, "shop_a.csv"), settings, filepath.Join(history, "shop_*.csv"), settings))
	db := filepath.Join(t.TempDir(), "f.db")
	out := mustRun(t, 0, "batch", jobs, "--db", db)
	if !strings.Contains(out, "3 series done") && !strings.Contains(out, "2 series done, 0 failed") {
		t.Fatalf("batch:\n%s", out)
	}
	for series, n := range map[string]int{"a": 7, "shop_a/sales": 7, "shop_b/sales": 7, "sales": 0} {
		if got := queryInt(t, db, `SELECT count(*) FROM forecasts WHERE series = '`+series+`'`); got != n {
			t.Errorf("forecasts of %q: %d, want %d", series, got, n)
		}
	}

	bad := writeJobs(t, fmt.Sprintf("[[job]]\nname = \"j\"\n[job.source]\npath = %q\ntarget = \"sales\"\nseries-id = 7\n",
		filepath.Join(history, "shop_a.csv")))
	if code, _, errOut := run(t, "batch", bad, "--db", db); code != 2 || !strings.Contains(errOut, `job "j": source: series-id = 7: want a name`) {
		t.Errorf("series-id = 7: exit %d, stderr %q", code, errOut)
	}
}

// models export writes what dates and reproduces a version; models import
// stores it again as a new version whose forecasts are bit-identical to the
// exported version's, for a single network, an ensemble and a global model.
func TestModelsExportImportRoundTrip(t *testing.T) {
	shops := filepath.Join("testdata", "shops")
	for _, tt := range []struct {
		name string
		fit  []string
	}{
		// --fallback none: the network forecasts, so its weights are tested.
		{"Ensemble", []string{filepath.Join(shops, "history", "shop_a.csv"), "--fallback", "none"}},
		{"Single", []string{filepath.Join(shops, "history", "shop_a.csv"), "--fallback", "none", "--ensemble", "1", "--window-norm", "last"}},
		{"Global", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "f.db")
			fit := append([]string{"fit"}, tt.fit...)
			if tt.fit == nil {
				// Both shops as one long source.
				fit = []string{"fit", writeFile(t, "both.csv", longShops(t, shops)), "--id", "shop"}
			}
			mustRun(t, 0, append(fit, "--target", "sales", "--lookback", "14", "--horizon", "7", "--season", "7",
				"--hidden", "4", "--epochs", "2", "--name", "m", "--db", db)...)
			export := filepath.Join(t.TempDir(), "m.json")
			mustRun(t, 0, "models", "export", "m@1", "-o", export, "--db", db)
			var doc struct {
				Name      string
				Version   int
				CreatedAt string   `json:"created_at"`
				DataFreq  string   `json:"data_freq"`
				DataEnd   string   `json:"data_end"`
				Season    int      `json:"season"`
				Method    string   `json:"method"`
				SeriesIDs []string `json:"series_ids"`
				Format    string
			}
			if err := json.Unmarshal(mustRead(t, export), &doc); err != nil {
				t.Fatal(err)
			}
			if doc.Name != "m" || doc.Version != 1 || doc.CreatedAt == "" || doc.DataFreq != "daily" || doc.DataEnd != "2024-04-07T00:00:00Z" ||
				doc.Season != 7 || doc.Method == "" || len(doc.SeriesIDs) == 0 || doc.Format != "forecast-gru-json/1" {
				t.Fatalf("export: %+v", doc)
			}
			if tt.fit != nil && doc.Method != "gru" {
				t.Fatalf("export: method %q, want gru", doc.Method)
			}

			if out := mustRun(t, 0, "models", "import", export, "--db", db); !strings.Contains(out, "as m@2 (run 2)") {
				t.Fatalf("import:\n%s", out)
			}
			mustRun(t, 0, "models", "import", export, "--name", "copy", "--db", db)
			// The imported version exports as the original did, but for its
			// name, version, date and forecasts.
			again := filepath.Join(t.TempDir(), "copy.json")
			mustRun(t, 0, "models", "export", "copy@1", "-o", again, "--db", db)
			if a, b := withoutVersionFields(t, mustRead(t, export)), withoutVersionFields(t, mustRead(t, again)); a != b {
				t.Errorf("export of the import differs:\n%s\nwant\n%s", b, a)
			}

			latest := filepath.Join(shops, "latest", "shop_a.csv")
			var forecasts []string
			for _, model := range []string{"m@1", "m@2", "copy@1"} {
				mustRun(t, 0, "predict", "--model", model, latest, "--series-id", "a", "--db", db)
				out := mustRun(t, 0, "forecasts", "--run", "latest", "--format", "csv", "--db", db)
				if strings.Count(out, "\n") != 8 {
					t.Fatalf("forecasts of %s:\n%s", model, out)
				}
				forecasts = append(forecasts, valueColumns(out))
			}
			if forecasts[1] != forecasts[0] || forecasts[2] != forecasts[0] {
				t.Errorf("forecasts of the imported versions differ:\n%s\n%s\nwant\n%s", forecasts[1], forecasts[2], forecasts[0])
			}
		})
	}
}

// The import refuses a file that is no export, naming it, and writes nothing.
func TestModelsImportRefuses(t *testing.T) {
	db := filepath.Join(t.TempDir(), "f.db")
	for _, tt := range []struct {
		content, want string
		code          int
	}{
		{"not json", "not a JSON object", 3},
		{`{"name": "m", "format": "other/1"}`, `format "other/1", want "forecast-gru-json/1"`, 3},
		{`{"name": "m", "format": "forecast-gru-json/1", "layers": [], "W_out": [], "b_out": []}`, "weights", 3},
		{`{"format": "forecast-gru-json/1"}`, `the document has no "name": give one with --name`, 3},
		{`{"name": "m@2", "format": "forecast-gru-json/1"}`, `model name "m@2": a name must not hold '@'`, 3},
	} {
		path := writeFile(t, "bad.json", tt.content)
		errOut := mustRun(t, tt.code, "models", "import", path, "--db", db)
		if !strings.Contains(errOut, path+": ") || !strings.Contains(errOut, tt.want) || strings.Count(errOut, "\n") > 1 {
			t.Errorf("%s: %q, want one line naming the file and %q", tt.content, errOut, tt.want)
		}
	}
	if errOut := mustRun(t, 2, "models", "import", "x.json", "--name", "m@2", "--db", db); !strings.Contains(errOut, `--name "m@2": a name must not hold '@'`) {
		t.Errorf("--name m@2: %q", errOut)
	}
	if _, err := os.Stat(db); err == nil && countRows(t, db) != "runs=0 model_versions=0 forecasts=0 actuals=0" {
		t.Fatalf("refused imports wrote: %s", countRows(t, db))
	}
}

// An export edited so that it no longer forecasts as its params say is
// refused: without window_norm it imported as none and forecast otherwise
// than the model (season), with params lookback 5 it was shown so and
// forecast with the export's lookback, with an empty ensemble it forecast
// with one network of three.
func TestModelsImportRefusesEdits(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "f.db")
	args := append([]string{"fit", writeSeries(t, 200), "--db", db}, smallFit...)
	args[slices.Index(args, "--window-norm")+1] = "last"
	args[slices.Index(args, "--ensemble")+1] = "2"
	mustRun(t, 0, args...)
	doc := filepath.Join(dir, "m.json")
	mustRun(t, 0, "models", "export", "load", "-o", doc, "--db", db)
	into := filepath.Join(dir, "into.db")
	for _, tt := range []struct {
		edit func(m map[string]any)
		want string
	}{
		{func(m map[string]any) { delete(m, "window_norm") }, `params window_norm "last", but the export's window_norm is ""`},
		{func(m map[string]any) { m["params"].(map[string]any)["lookback"] = 5 }, "params lookback 5, but the export's lookback is 12"},
		{func(m map[string]any) { m["ensemble"] = []any{} }, "params ensemble 2, but the export holds 1 network(s)"},
		{func(m map[string]any) { m["data_rows"] = -4 }, "data_rows -4: want 0 or more"},
	} {
		var m map[string]any
		if err := json.Unmarshal(mustRead(t, doc), &m); err != nil {
			t.Fatal(err)
		}
		tt.edit(m)
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		path := writeFile(t, "edited.json", string(b))
		if errOut := mustRun(t, 3, "models", "import", path, "--name", "edited", "--db", into); !strings.Contains(errOut, tt.want) {
			t.Errorf("%q, want %q", errOut, tt.want)
		}
	}
	mustRun(t, 0, "models", "import", doc, "--name", "unedited", "--db", into)
	if n := queryInt(t, into, `SELECT count(*) FROM model_versions`); n != 1 {
		t.Errorf("%d versions imported, want the unedited one", n)
	}
}

// longShops joins the history files of the shops fixture as one long CSV,
// shop,date,sales.
func longShops(t *testing.T, shops string) string {
	var b strings.Builder
	b.WriteString("shop,date,sales\n")
	for _, shop := range []string{"shop_a", "shop_b"} {
		lines := strings.Split(strings.TrimSpace(string(mustRead(t, filepath.Join(shops, "history", shop+".csv")))), "\n")
		for _, line := range lines[1:] {
			b.WriteString(shop + "," + line + "\n")
		}
	}
	return b.String()
}

// withoutVersionFields is an export document without the fields that name
// and date its version, the ids of its series and its data source (which
// name their source) and its metrics (which hold the training's wall
// time): the model alone.
func withoutVersionFields(t *testing.T, doc []byte) string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(doc, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"name", "version", "created_at", "series", "series_ids", "data_source", "duration_seconds", "metrics"} {
		delete(m, k)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// valueColumns is the forecasts CSV out without its run and model columns,
// which differ between versions.
func valueColumns(out string) string {
	var b strings.Builder
	for _, line := range strings.Split(out, "\n") {
		if fields := strings.Split(line, ","); len(fields) > 3 {
			b.WriteString(strings.Join(fields[3:], ",") + "\n")
		}
	}
	return b.String()
}
