package app_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
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
