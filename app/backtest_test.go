package app_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/forecast"
)

func TestBacktest(t *testing.T) {
	data := writeSeries(t, 300)
	args := append([]string{"backtest", data, "--folds", "3"}, smallFit...)
	code, out, errOut := run(t, args...)
	if code != 0 {
		t.Fatalf("backtest exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"overall, 3 folds of 6 steps", "GRU", "seasonal naive", "drift", "2024-01-12 23:00", "80% interval"} {
		if !strings.Contains(out, want) {
			t.Errorf("backtest output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(errOut, "note:") {
		t.Errorf("backtest of 3 folds that fit notes: %s", errOut)
	}
	// More folds than the test part holds: those that fit, and a note.
	code, out, errOut = run(t, append([]string{"backtest", data, "--folds", "500", "--stride", "6"}, smallFit...)...)
	if code != 0 {
		t.Fatalf("backtest --folds 500 exit %d\n%s", code, errOut)
	}
	if !strings.Contains(errOut, "(--folds 500) fit in the test part, 6 steps apart") || strings.Contains(out, "overall, 500 folds") {
		t.Errorf("backtest --folds 500: stderr %q, output %q", errOut, out)
	}

	// With --refit the folds are limited by the data to refit on (each
	// refit's train part needs more than a season: the first origin is 31,
	// the last 54), and the note does not suggest the --refit given.
	code, _, errOut = run(t, append([]string{"backtest", writeSeries(t, 60), "--folds", "10", "--refit"}, smallFit...)...)
	if code != 0 {
		t.Fatalf("backtest --folds 10 --refit exit %d\n%s", code, errOut)
	}
	if !strings.Contains(errOut, "note: 4 of the 10 folds asked for (--folds 10) fit, 6 steps apart, with data enough to refit before each") || strings.Contains(errOut, "or --refit") {
		t.Errorf("backtest --folds 10 --refit of 60 values: stderr %q", errOut)
	}

	code, out, errOut = run(t, append(args, "--format", "json")...)
	if code != 0 {
		t.Fatalf("backtest --format json exit %d: %s", code, errOut)
	}
	var res struct {
		Horizon int
		Overall struct{ GRU, Naive struct{ MAE float64 } }
		Folds   []struct {
			OriginIndex int    `json:"origin_index"`
			Method      string `json:"method"`
			MethodName  string `json:"method_name"`
			Forecast    []float64
			Actual      []float64
			Scores      struct{ Coverage []float64 }
			Intervals   []struct {
				Level        float64
				Lower, Upper []*float64
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("backtest json: %v\n%s", err, out)
	}
	if res.Horizon != 6 || len(res.Folds) != 3 || res.Folds[2].OriginIndex != 294 || len(res.Folds[0].Forecast) != 6 || res.Overall.Naive.MAE == 0 {
		t.Errorf("backtest json = %+v, want 3 folds of 6 steps, the last from index 294", res)
	}
	// Each fold gives its intervals, from which its coverage is recomputed.
	for _, f := range res.Folds {

		if len(f.Intervals) != 2 || f.Intervals[0].Level != 0.8 || f.Intervals[1].Level != 0.95 || len(f.Scores.Coverage) != 2 {
			t.Fatalf("fold at %d: intervals %+v, coverage %v; want 80 and 95 %%", f.OriginIndex, f.Intervals, f.Scores.Coverage)
		}
		for i, iv := range f.Intervals {
			in := 0
			for k, a := range f.Actual {
				if lo, hi := iv.Lower[k], iv.Upper[k]; lo == nil || hi == nil || *lo > f.Forecast[k] || *hi < f.Forecast[k] {
					t.Fatalf("fold at %d, %v interval at step %d: [%v, %v] around %v", f.OriginIndex, iv.Level, k+1, lo, hi, f.Forecast[k])
				} else if *lo <= a && a <= *hi {
					in++
				}
			}
			if got := float64(in) / float64(len(f.Actual)); got != f.Scores.Coverage[i] {
				t.Errorf("fold at %d: %v of the actuals inside its %v intervals, coverage says %v", f.OriginIndex, got, iv.Level, f.Scores.Coverage[i])
			}
		}
	}

	// CSV: each fold's forecast row names its method and its coverage.
	out = mustRun(t, 0, append(args, "--format", "csv")...)
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("backtest csv: %v\n%s", err, out)
	}
	if got, want := strings.Join(recs[0][10:], ","), "method,method_name,coverage_80,coverage_95"; got != want {
		t.Fatalf("backtest csv header ends %q, want %q", got, want)
	}
	for _, r := range recs[1:] {
		if r[0] != "" && r[3] == "forecast" && (r[10] != "gru" || r[11] != "GRU" || r[12] == "" || r[13] == "") {
			t.Errorf("backtest csv: a fold's forecast row without its method or coverage: %q", r)
		}
	}
}

// TestBacktestNamesStoredMethod: a backtest fold names its method as the
// forecasts a fit of the same data stores do (the same model forecasts
// both), a combination by its parts, and as fit prints it.
func TestBacktestNamesStoredMethod(t *testing.T) {
	data := writeSeries(t, 300)
	args := append([]string{}, smallFit...)
	args[len(args)-1] = "auto" // --fallback: the methods compete
	db := filepath.Join(t.TempDir(), "f.db")
	mustRun(t, 0, append([]string{"fit", data, "--db", db}, args...)...)
	var stored []struct{ Method string }
	if err := json.Unmarshal([]byte(mustRun(t, 0, "forecasts", "--db", db, "--format", "json")), &stored); err != nil || len(stored) == 0 {
		t.Fatalf("forecasts json: %v, %d forecasts", err, len(stored))
	}
	if !strings.HasPrefix(stored[0].Method, "comb(gru,") {
		t.Fatalf("stored method %q; the test wants a combination with the network", stored[0].Method)
	}
	var res struct {
		Folds []struct {
			Method     string `json:"method"`
			MethodName string `json:"method_name"`
		}
	}
	out := mustRun(t, 0, append([]string{"backtest", data, "--folds", "2", "--format", "json"}, args...)...)
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Folds) != 2 {
		t.Fatalf("backtest json: %v, %d folds\n%s", err, len(res.Folds), out)
	}
	for _, f := range res.Folds {
		if f.Method != stored[0].Method || !strings.HasPrefix(f.MethodName, "mean of GRU, ") && !strings.HasPrefix(f.MethodName, "median of GRU, ") {
			t.Errorf("fold: method %q, method_name %q; want the stored %q and a combination's name", f.Method, f.MethodName, stored[0].Method)
		}
	}
	recs, err := csv.NewReader(strings.NewReader(mustRun(t, 0, append([]string{"backtest", data, "--folds", "2", "--format", "csv"}, args...)...))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if r := recs[1]; r[3] != "forecast" || r[10] != stored[0].Method || r[11] != res.Folds[0].MethodName {
		t.Errorf("backtest csv: a fold's forecast row %q, want method %q and %q", r, stored[0].Method, res.Folds[0].MethodName)
	}
}

func TestBacktestRejectsBadFlags(t *testing.T) {
	data := writeSeries(t, 300)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--format", "xml"}, "--format"},
		{[]string{"--protocol", "m5"}, "--protocol"},
		{[]string{"--window-norm", "median"}, "--window-norm"},
		{[]string{"--level", "80,120"}, "--level"},
		{[]string{"--level", "80,95,80%"}, `--level "80,95,80%": 80% is given twice`},
		{[]string{"--level", "0.8,0.95"}, `--level "0.8,0.95": 0.8 would be a 0.8 % interval: levels are percentages (80 for 80 %)`},
		{[]string{"--covariates", "temp,temp"}, `--covariates "temp,temp": temp is given twice`},
		{[]string{"--layout", "wide", "--id", "shop"}, `--id shop does not apply to --layout wide`},
		{[]string{"--folds", "-1"}, "--folds"},
	} {
		code, _, errOut := run(t, append(append([]string{"backtest", data}, smallFit...), tt.args...)...)
		if code != 2 || !strings.Contains(errOut, tt.want) {
			t.Errorf("backtest %v: exit %d, stderr %q; want 2 naming %s", tt.args, code, errOut, tt.want)
		}
	}
}

// TestFitCalendarNeedsTimes: --calendar of data without times was ignored
// without a word (and stored as set): it is refused, naming the flag.
func TestFitCalendarNeedsTimes(t *testing.T) {
	var b strings.Builder
	b.WriteString("load\n")
	for i := range 100 {
		fmt.Fprintf(&b, "%.3f\n", 10+math.Sin(float64(i)/3))
	}
	data := writeFile(t, "steps.csv", b.String())
	code, _, errOut := run(t, "fit", data, "--target", "load", "--calendar", "--db", filepath.Join(t.TempDir(), "f.db"))
	if want := `--calendar needs the times of the values, and series "load" has none`; code != 3 || !strings.Contains(errOut, want) {
		t.Errorf("fit --calendar of steps: exit %d, %q; want 3 and %q", code, errOut, want)
	}
}

// TestPlot checks that fit, predict and backtest draw a PNG of a sensible
// size, and that an unknown file type is a usage error written nowhere.
func TestPlot(t *testing.T) {
	data := writeSeries(t, 300)
	db := filepath.Join(t.TempDir(), "f.db")
	dir := t.TempDir()
	for _, args := range [][]string{
		append([]string{"fit", data, "--db", db, "--name", "m", "--plot", filepath.Join(dir, "fit.png")}, smallFit...),
		{"predict", "--model", "m", data, "--db", db, "--plot", filepath.Join(dir, "predict.png")},
		append([]string{"backtest", data, "--folds", "3", "--plot", filepath.Join(dir, "backtest.png")}, smallFit...),
	} {
		if code, out, errOut := run(t, args...); code != 0 {
			t.Fatalf("%s: exit %d\n%s%s", args[0], code, out, errOut)
		}
		f, err := os.Open(filepath.Join(dir, args[0]+".png"))
		if err != nil {
			t.Fatalf("%s: %v", args[0], err)
		}
		cfg, err := png.DecodeConfig(f)
		f.Close()
		if err != nil || cfg.Width < 500 || cfg.Height < 200 {
			t.Errorf("%s: plot %dx%d, %v; want a PNG at least 500x200", args[0], cfg.Width, cfg.Height, err)
		}
	}
	code, _, errOut := run(t, append([]string{"backtest", data, "--folds", "3", "--plot", filepath.Join(dir, "x.gif")}, smallFit...)...)
	if code != 2 || !strings.Contains(errOut, "--plot") {
		t.Errorf("--plot x.gif: exit %d, %q; want 2 naming --plot", code, errOut)
	}
}

// TestFitGlobalModel fits one model over every series of a long-layout
// source and checks that each series gets its forecasts, stored under its
// id (the file's name and the shop), and that --series still picks one.
func TestFitGlobalModel(t *testing.T) {
	var b strings.Builder
	b.WriteString("shop,date,sales\n")
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	// south starts 5 hours before north, east ends 7 hours after it.
	for _, shop := range []struct {
		name       string
		start, end int
	}{{"north", 0, 300}, {"south", -5, 300}, {"east", 0, 307}} {
		for i := shop.start; i < shop.end; i++ {
			v := 50 + float64(len(shop.name))*10 + 5*math.Sin(2*math.Pi*float64(i)/24) + math.Sin(float64(i)*1.3)
			fmt.Fprintf(&b, "%s,%s,%.3f\n", shop.name, t0.Add(time.Duration(i)*time.Hour).Format("2006-01-02 15:04"), v)
		}
	}
	data := writeFile(t, "shops.csv", b.String())
	db := filepath.Join(t.TempDir(), "f.db")
	args := []string{"fit", data, "--id", "shop", "--target", "sales", "--lookback", "24", "--horizon", "6", "--season", "24",
		"--hidden", "4", "--epochs", "2", "--name", "shops", "--db", db}
	code, out, errOut := run(t, args...)
	if code != 0 {
		t.Fatalf("fit exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "global model over 3 series") || !strings.Contains(out, "the mean over 3 series") {
		t.Errorf("fit output does not describe a global model:\n%s", out)
	}
	code, out, errOut = run(t, "forecasts", "--model", "shops", "--format", "csv", "--db", db)
	if code != 0 {
		t.Fatalf("forecasts exit %d: %s", code, errOut)
	}
	for _, shop := range []string{"north", "south", "east"} {
		if n := strings.Count(out, ",shops,1,shops/"+shop+","); n != 6 {
			t.Errorf("%d forecasts of %s, want 6:\n%s", n, shop, out)
		}
	}
	// The version's lineage is of every series (it was the first's), and
	// batch records the same data as fit does.
	lineage := `SELECT data_start || ' ' || data_end || ' ' || data_rows FROM model_versions WHERE name = ?`
	if got, want := queryStrings(t, db, strings.Replace(lineage, "?", "'shops'", 1)), "2023-12-31T19:00:00Z 2024-01-13T18:00:00Z 912"; len(got) != 1 || got[0] != want {
		t.Errorf("fit's lineage %q, want %q", got, want)
	}
	jobs := writeJobs(t, fmt.Sprintf("[[job]]\nname = \"batch\"\n\n[job.source]\npath = %q\nid = \"shop\"\ntarget = \"sales\"\n%s", data, batchSettings))
	mustRun(t, 0, "batch", jobs, "--db", db)
	fingerprints := queryStrings(t, db, `SELECT data_fingerprint || ' ' || data_start || ' ' || data_end || ' ' || data_rows FROM model_versions ORDER BY id`)
	if len(fingerprints) != 2 || fingerprints[0] != fingerprints[1] {
		t.Errorf("fit and batch of one file recorded data %q", fingerprints)
	}
	code, out, errOut = run(t, append(args, "--series", "south", "--name", "south")...)
	if code != 0 || strings.Contains(out, "global model") || !strings.Contains(out, "stored model south@1") {
		t.Errorf("fit --series south: exit %d\n%s%s", code, out, errOut)
	}
}

// TestBacktestLeavesOutConstant: of several series, a constant one (which
// fit forecasts exactly, with nothing to score) is left out of a backtest
// with a note; the others are backtested.
func TestBacktestLeavesOutConstant(t *testing.T) {
	var b strings.Builder
	b.WriteString("shop,date,sales\n")
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, shop := range []string{"closed", "north"} {
		for i := 0; i < 300; i++ {
			v := 0.0
			if shop == "north" {
				v = 50 + 5*math.Sin(2*math.Pi*float64(i)/24) + math.Sin(float64(i)*1.3)
			}
			fmt.Fprintf(&b, "%s,%s,%.3f\n", shop, t0.Add(time.Duration(i)*time.Hour).Format("2006-01-02 15:04"), v)
		}
	}
	data := writeFile(t, "shops.csv", b.String())
	code, out, errOut := run(t, "backtest", data, "--id", "shop", "--target", "sales", "--lookback", "24", "--horizon", "6", "--season", "24",
		"--hidden", "4", "--epochs", "2", "--folds", "2")
	if code != 0 || !strings.Contains(errOut, `left out, series "shops/closed" repeats itself exactly`) ||
		!strings.Contains(out, "shops/north") || strings.Contains(out, "shops/closed") {
		t.Errorf("backtest: exit %d, want the closed shop left out with a note and north backtested\n%s%s", code, out, errOut)
	}
	// --series backtests the one it names (it backtested every series),
	// and one the file does not hold is an error naming those it does.
	code, out, errOut = run(t, "backtest", data, "--id", "shop", "--series", "north", "--target", "sales", "--lookback", "24", "--horizon", "6",
		"--season", "24", "--hidden", "4", "--epochs", "2", "--folds", "2")
	if code != 0 || !strings.Contains(out, "shops/north") || strings.Contains(out+errOut, "closed") {
		t.Errorf("backtest --series north: exit %d, want north alone\n%s%s", code, out, errOut)
	}
	code, _, errOut = run(t, "backtest", data, "--id", "shop", "--series", "south", "--target", "sales", "--horizon", "6")
	if code != 2 || !strings.Contains(errOut, `--series "south"`) || !strings.Contains(errOut, "north") {
		t.Errorf("backtest --series south: exit %d, %q; want exit 2 naming the series it holds", code, errOut)
	}
}

// TestBacktestTestFile appends an M4-style test file to its training rows
// and checks that the m4 protocol forecasts exactly the appended values.
func TestBacktestTestFile(t *testing.T) {
	var train, test strings.Builder
	train.WriteString("id")
	for i := 1; i <= 120; i++ {
		fmt.Fprintf(&train, ",v%d", i)
	}
	train.WriteString("\n")
	test.WriteString("id,t1,t2\n")
	for _, id := range []string{"A", "B"} {
		train.WriteString(id)
		for i := 0; i < 120; i++ {
			fmt.Fprintf(&train, ",%.3f", 10+3*math.Sin(2*math.Pi*float64(i)/12)+0.3*math.Sin(float64(i)))
		}
		train.WriteString("\n")
		fmt.Fprintf(&test, "%s,1000,2000\n", id)
	}
	trainPath, testPath := writeFile(t, "train.csv", train.String()), writeFile(t, "test.csv", test.String())
	code, out, errOut := run(t, "backtest", trainPath, "--layout", "rows", "--test-file", testPath, "--protocol", "m4",
		"--horizon", "2", "--lookback", "12", "--season", "12", "--hidden", "4", "--epochs", "2", "--format", "json")
	if code != 0 {
		t.Fatalf("backtest exit %d\n%s", code, errOut)
	}
	var res struct {
		Overall struct {
			Naive2 forecast.Metrics
		}
		Folds []struct {
			Series      string
			OriginIndex int `json:"origin_index"`
			Actual      []float64
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Folds) != 2 {
		t.Fatalf("%d folds, want one per series", len(res.Folds))
	}
	for _, f := range res.Folds {
		if f.OriginIndex != 120 || len(f.Actual) != 2 || f.Actual[0] != 1000 || f.Actual[1] != 2000 {
			t.Errorf("fold of %s from %d forecasts %v, want the test file's [1000 2000] from 120", f.Series, f.OriginIndex, f.Actual)
		}
	}
	// OWA's reference is Naive2 on the same folds: both series have the
	// same 120 values, so its sMAPE is that of one forecast.
	y := make([]float64, 120)
	for i := range y {
		y[i], _ = strconv.ParseFloat(fmt.Sprintf("%.3f", 10+3*math.Sin(2*math.Pi*float64(i)/12)+0.3*math.Sin(float64(i))), 64)
	}
	naive2 := make([]float64, 2)
	forecast.Naive2(naive2, y, 120, 12)
	smape := (200*math.Abs(naive2[0]-1000)/(naive2[0]+1000) + 200*math.Abs(naive2[1]-2000)/(naive2[1]+2000)) / 2
	if got := res.Overall.Naive2.SMAPE; math.Abs(got-smape) > 1e-9 {
		t.Errorf("Naive2's sMAPE %v, want %v", got, smape)
	}
	_, text, _ := run(t, "backtest", trainPath, "--layout", "rows", "--test-file", testPath, "--protocol", "m4",
		"--horizon", "2", "--lookback", "12", "--season", "12", "--hidden", "4", "--epochs", "2")
	if want := fmt.Sprintf("OWA against Naive2 on the same folds (sMAPE %.3f, ", smape); !strings.Contains(text, want) {
		t.Errorf("text output lacks %q:\n%s", want, text)
	}
	bad := writeFile(t, "bad.csv", "id,t1,t2\nA,1,2\n")
	if code, _, errOut := run(t, "backtest", trainPath, "--layout", "rows", "--test-file", bad, "--protocol", "m4",
		"--horizon", "2", "--lookback", "12", "--season", "12"); code != 3 || !strings.Contains(errOut, `no series "B"`) {
		t.Errorf("test file without B: exit %d, %q; want 3 naming the series", code, errOut)
	}
}

// TestFitShortSeriesBesideNetwork: the lookback left to the data was
// chosen so that the shortest series had train windows: one new shop of 45
// days among shops of 200 gave all a lookback of 2. Under fallback auto
// the lookback is now that of the series of median length, and the new
// shop, too short for its windows, is forecast by the classical methods
// alone, with a note; predict forecasts it as fit did. Under fallback
// snaive, which has no classical methods to forecast it, the lookback is
// still cut, and fit says so.
func TestFitShortSeriesBesideNetwork(t *testing.T) {
	var b strings.Builder
	b.WriteString("shop,date,sales\n")
	end := time.Date(2024, 7, 18, 0, 0, 0, 0, time.UTC)
	for _, shop := range []struct {
		name string
		n    int
	}{{"a", 200}, {"b", 200}, {"c", 200}, {"new", 45}} {
		for i := range shop.n {
			day := end.AddDate(0, 0, i-shop.n+1)
			fmt.Fprintf(&b, "%s,%s,%.2f\n", shop.name, day.Format("2006-01-02"), 50+10*math.Sin(float64(i)*2*math.Pi/7)+0.1*float64(i)+float64(i%3))
		}
	}
	data := writeFile(t, "shops.csv", b.String())
	db := filepath.Join(t.TempDir(), "f.db")
	flags := []string{"--id", "shop", "--target", "sales", "--epochs", "1", "--ensemble", "1", "--hidden", "4", "--window-norm", "none", "--transform", "none"}
	code, out, errOut := run(t, append([]string{"fit", data, "--db", db}, flags...)...)
	want := `1 series too short for the windows of lookback 28, which the series of median length allows: the classical methods alone forecast "shops/new" (45 values)`
	if code != 0 || !strings.Contains(errOut, want) || !strings.Contains(out, "lookback 28,") {
		t.Fatalf("exit %d, stderr lacks %q:\n%s%s", code, want, out, errOut)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM forecasts WHERE series = 'shops/new' AND method NOT LIKE '%gru%'`); n != 14 {
		t.Errorf("%d forecasts of shops/new by the classical methods alone, want 14", n)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM json_each((SELECT export FROM model_versions), '$.series_methods') WHERE value ->> 'classical_only'`); n != 1 {
		t.Errorf("the export marks %d series classical only, want 1", n)
	}
	// The test metrics of a model of several series are the mean of each
	// one's, not those of the first series' windows and scale.
	// Its method and scaler are the first series': said so.
	out = mustRun(t, 0, "models", "show", "shops", "--db", db)
	for _, want := range []string{"test metrics, the mean over the series of each one's windows (MASE with season 7, each series' own scale):",
		"(of the first series; each is scaled by its own history)"} {
		if !strings.Contains(out, want) {
			t.Errorf("models show of a model of 4 series lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(out, "(the first series; of all:") && !strings.Contains(out, "(as fitted to the first series; each of the 4 has its own fit)") {
		t.Errorf("models show of a model of 4 series does not say its method is the first series':\n%s", out)
	}
	// predict makes the fit's forecasts of the series again, bit for bit
	// (so stores nothing), from the file and from the series alone named
	// as fit stored it.
	if out := mustRun(t, 0, append([]string{"predict", data, "--db", db, "--model", "shops", "--series", "new"}, flags[:4]...)...); !strings.Contains(out, "the same 14 forecasts of shops/new by shops@1 are stored already (run 1)") {
		t.Errorf("predict does not find fit's forecasts of shops/new:\n%s", out)
	}

	// The same values in a file of their own, named by --series-id as
	// fit stored them: forecast by the series' own method.
	var plain strings.Builder
	plain.WriteString("date,sales\n")
	for _, line := range strings.Split(b.String(), "\n") {
		if rest, ok := strings.CutPrefix(line, "new,"); ok {
			plain.WriteString(rest + "\n")
		}
	}
	if out := mustRun(t, 0, "predict", writeFile(t, "plain.csv", plain.String()), "--target", "sales", "--db", db, "--model", "shops", "--series-id", "shops/new"); !strings.Contains(out, "are stored already (run 1)") {
		t.Errorf("predict of the series alone does not find fit's forecasts of shops/new:\n%s", out)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM forecasts WHERE series = 'shops/new' AND method NOT LIKE '%gru%'`); n != 14 {
		t.Errorf("%d forecasts of shops/new by the classical methods alone, want 14", n)
	}
	// A new series too short to be scaled by its own history, as the
	// network scales each, is forecast without the network (it was
	// refused as too few to scale by); of a season or less, it is refused
	// saying so.
	lines := strings.SplitAfter(plain.String(), "\n")
	code, _, errOut = run(t, "predict", writeFile(t, "four.csv", strings.Join(lines[:5], "")), "--target", "sales", "--db", db, "--model", "shops")
	if code != 3 || !strings.Contains(errOut, "forecast needs more than a season (7) of values, the input has 4") {
		t.Fatalf("predict of 4 values: exit %d, %q", code, errOut)
	}
	code, out, errOut = run(t, "predict", writeFile(t, "nine.csv", strings.Join(lines[:10], "")), "--target", "sales", "--db", db, "--model", "shops")
	if code != 0 || !strings.Contains(errOut, `(its lookback), and "sales" has 9`) || strings.Contains(out, "gru") {
		t.Errorf("predict of 9 values: exit %d, want a forecast without the network, noted:\n%s%s", code, out, errOut)
	}

	code, out, errOut = run(t, append([]string{"fit", data, "--db", db, "--fallback", "snaive"}, flags...)...)
	want = `lookback 2, as long as series "shops/new" (45 values) allows; the series of median length would have 28`
	if code != 0 || !strings.Contains(errOut, want) || !strings.Contains(out, "lookback 2,") {
		t.Errorf("--fallback snaive: exit %d, stderr lacks %q:\n%s%s", code, want, out, errOut)
	}
}

// TestActualsOfSeveralSeries: actuals refused a file of several series
// ("actuals works on one"), so the actuals of a global model's 46 series
// took 46 commands. They are now recorded together, each under the id fit
// stored its forecasts under, and score them.
func TestActualsOfSeveralSeries(t *testing.T) {
	var fitRows, actualRows strings.Builder
	fitRows.WriteString("shop,date,sales\n")
	actualRows.WriteString("shop,date,sales\n")
	end := time.Date(2024, 7, 18, 0, 0, 0, 0, time.UTC)
	for _, shop := range []string{"a", "b", "c"} {
		for i := range 214 {
			row := fmt.Sprintf("%s,%s,%.2f\n", shop, end.AddDate(0, 0, i-199).Format("2006-01-02"), 50+10*math.Sin(float64(i)*2*math.Pi/7)+float64(i%5))
			if i < 200 {
				fitRows.WriteString(row)
			} else {
				actualRows.WriteString(row)
			}
		}
	}
	db := filepath.Join(t.TempDir(), "f.db")
	mustRun(t, 0, "fit", writeFile(t, "shops.csv", fitRows.String()), "--id", "shop", "--target", "sales", "--db", db, "--epochs", "1", "--ensemble", "1", "--hidden", "4")
	// Named as the fitted file, so that the ids match fit's.
	dir := filepath.Join(t.TempDir(), "latest")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	actuals := filepath.Join(dir, "shops.csv")
	if err := os.WriteFile(actuals, []byte(actualRows.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := mustRun(t, 0, "actuals", actuals, "--id", "shop", "--target", "sales", "--db", db)
	if !strings.Contains(out, "stored 42 actuals of 3 series (shops/a, …), 0 of them replacing earlier values") ||
		!strings.Contains(out, "42 stored forecasts of them have actuals") {
		t.Errorf("actuals of three series:\n%s", out)
	}
	if n := queryInt(t, db, `SELECT count(DISTINCT series) FROM forecast_accuracy`); n != 3 {
		t.Errorf("accuracy of %d series, want 3", n)
	}
}

// TestLevelsGivenWidestFirst: --level 95,80 on 72 months, too few for a
// bounded 95 % interval, still gives the 80 % one's coverage, and says the
// 95 % one is unbounded, in fit and backtest (it gave neither: the
// unbounded level, first, cut the coverage of those after it).
func TestLevelsGivenWidestFirst(t *testing.T) {
	lines := strings.SplitAfter(string(mustRead(t, "../testdata/data/airline-passengers.csv")), "\n")
	data := writeFile(t, "air72.csv", strings.Join(lines[:73], ""))
	flags := []string{"--target", "Passengers", "--epochs", "2", "--ensemble", "1", "--level", "95,80"}
	out := mustRun(t, 0, append([]string{"fit", data, "--db", filepath.Join(t.TempDir(), "f.db")}, flags...)...)
	_, btOut, _ := run(t, append([]string{"backtest", data, "--folds", "2"}, flags...)...)
	for name, got := range map[string]string{"fit": out, "backtest": btOut} {
		if !regexp.MustCompile(`\n80% interval: \d+\.\d% of test values inside\n95% interval: unbounded at 18 of 18 steps`).MatchString(got) {
			t.Errorf("%s:\n%s", name, got)
		}
	}
}
