package render

import (
	"bytes"
	"encoding/json"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/app/pipeline"
	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/gru"
	"github.com/forecast-dev/forecast/store"
)

func TestCell(t *testing.T) {
	for in, want := range map[string]string{
		"air":         "air",
		"a\tb":        `a\tb`,
		"\x1b[2Jboom": `\x1b[2Jboom`,
		"line\nbreak": `line\nbreak`,
		"Zürich 東京":   "Zürich 東京",
	} {
		if got := cell(in); got != want {
			t.Errorf("cell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFormatTimes(t *testing.T) {
	day := time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		times []time.Time
		want  []string
	}{
		{[]time.Time{day, day.AddDate(0, 0, 1)}, []string{"2024-01-31", "2024-02-01"}},
		// One time of day sets the layout of the whole column.
		{[]time.Time{day, day.Add(90 * time.Minute)}, []string{"2024-01-31 00:00", "2024-01-31 01:30"}},
		{[]time.Time{day.Add(time.Second), {}}, []string{"2024-01-31 00:00:01", ""}},
	} {
		got := formatTimes(c.times)
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("formatTimes(%v) = %q, want %q", c.times, got, c.want)
		}
	}
}

// TestForecastLeavesOutUnboundedLevels: a level whose interval is
// unbounded at every step (too little history to calibrate it) gets no
// columns but a line saying so; one bounded at some step keeps them, "+Inf" where unbounded.
func TestForecastLeavesOutUnboundedLevels(t *testing.T) {
	inf := math.Inf(1)
	pts := []forecast.Point{
		{Step: 1, Value: 10, Intervals: []forecast.Interval{{Level: 0.8, Lower: 9, Upper: 11}, {Level: 0.95, Lower: -inf, Upper: inf}}},
		{Step: 2, Value: 12, Intervals: []forecast.Interval{{Level: 0.8, Lower: -inf, Upper: inf}, {Level: 0.95, Lower: -inf, Upper: inf}}},
	}
	var b bytes.Buffer
	Forecast(&b, "load by gru", time.Time{}, pts)
	out := b.String()
	if !strings.Contains(out, "80% low") || strings.Contains(out, "95% low") {
		t.Errorf("want the 80%% columns and not the 95%% ones:\n%s", out)
	}
	if !strings.HasSuffix(out, "\n(no 95% interval: too little history to bound it at any step; it is not stored)\n") {
		t.Errorf("want a line saying why there is no 95%% interval:\n%s", out)
	}
	if !strings.Contains(out, "+Inf") || !strings.Contains(out, "-Inf") {
		t.Errorf("an unbounded 80%% interval at step 2 should print -Inf and +Inf:\n%s", out)
	}
}

// TestStoredForecastsJSON: every record has the bounds of every level of
// the output, null where the forecast has no interval of that level.
func TestStoredForecastsJSON(t *testing.T) {
	at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	rows := []store.ForecastRow{
		{RunID: 1, Model: "air", Version: 2, Series: "s", Origin: at, Time: at.Add(time.Hour), Step: 1, Value: 1.25,
			Intervals: []store.Interval{{Lower: 1, Upper: 1.5, Level: 0.8}}, Method: "gru"},
		{RunID: 1, Model: "air", Version: 2, Series: "s", Origin: at, Time: at.Add(2 * time.Hour), Step: 2, Value: 0.1},
	}
	var b bytes.Buffer
	if err := StoredForecasts(&b, "json", rows, nil); err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("%v in\n%s", err, b.String())
	}
	if len(got) != 2 {
		t.Fatalf("%d records, want 2", len(got))
	}
	if got[0]["lower_80"] != 1.0 || got[0]["upper_80"] != 1.5 || got[0]["lower_95"] != nil || got[0]["time"] != "2024-01-01T01:00:00Z" {
		t.Errorf("first record %v: want lower_80 1, upper_80 1.5, lower_95 null, time 2024-01-01T01:00:00Z", got[0])
	}
	if _, ok := got[1]["upper_95"]; !ok || got[1]["upper_95"] != nil || got[1]["value"] != 0.1 {
		t.Errorf("second record %v: want upper_95 present and null, value 0.1", got[1])
	}

	// Forecasts of a series without times have null ones, as any value a
	// record lacks; times finer than a second keep their fraction.
	rows = []store.ForecastRow{
		{RunID: 1, Model: "m4", Version: 1, Series: "H1", Step: 1, Value: 2},
		{RunID: 2, Model: "fast", Version: 1, Series: "s", Origin: at, Time: at.Add(250 * time.Millisecond), Step: 1, Value: 3},
	}
	b.Reset()
	if err := StoredForecasts(&b, "json", rows, nil); err != nil {
		t.Fatal(err)
	}
	got = nil
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("%v in\n%s", err, b.String())
	}
	if o, ok := got[0]["origin"]; !ok || o != nil || got[0]["time"] != nil {
		t.Errorf("record without times %v: want origin and time null", got[0])
	}
	if got[1]["time"] != "2024-01-01T00:00:00.25Z" {
		t.Errorf("time of a forecast 250 ms after its origin: %v", got[1]["time"])
	}
}

// TestBatchClassicalOnly: a job fitted by the classical methods alone says
// why no network was trained and, where the fit kept a test part, its
// test scores; without one, that it has none.
func TestBatchClassicalOnly(t *testing.T) {
	cfg := forecast.Config{Horizon: 6, Season: 1}
	res := &forecast.Result{Config: cfg, Split: forecast.Split{Train: 42, Val: 6, Test: 12},
		Test:   forecast.Scores{Selected: forecast.Metrics{MASE: 0.543}, Naive: forecast.Metrics{MASE: 1.148}, SeasonalNaive: forecast.Metrics{MASE: 1.25}},
		Series: []forecast.SeriesResult{{Method: forecast.MethodCombination}}, NoNetwork: "60 values with season 1, too few for the network"}
	var out bytes.Buffer
	printBatchEvent(&out, &out, pipeline.Trained{Job: "flow", Ref: "flow@1", Series: 1, Result: res})
	want := "job flow: fitted flow@1 on 1 series with the classical methods alone, no network (60 values with season 1, too few for the network): test MASE 0.543 (naive 1.148, seasonal naive 1.250); forecast by comb 1\n"
	if out.String() != want {
		t.Errorf("printed %q, want %q", out.String(), want)
	}
	res.Test = forecast.Scores{}
	out.Reset()
	printBatchEvent(&out, &out, pipeline.Trained{Job: "flow", Ref: "flow@1", Series: 1, Result: res})
	if !strings.Contains(out.String(), "): no test part; forecast by comb 1") {
		t.Errorf("without a test part printed %q", out.String())
	}
}

// TestBatchTrainedWithoutGRUScore: a global model none of whose series had
// a test part for the network printed "GRU 0.000", a perfect score it
// never had; one epoch is "1 epoch".
func TestBatchTrainedWithoutGRUScore(t *testing.T) {
	res := &forecast.Result{Config: forecast.Config{Horizon: 6, Season: 24}, Model: &gru.Model{}, History: []forecast.EpochStats{{Epoch: 1}},
		Test:   forecast.Scores{Selected: forecast.Metrics{MASE: 0.568}, Naive: forecast.Metrics{MASE: 1.1}, SeasonalNaive: forecast.Metrics{MASE: 0.9}},
		Series: []forecast.SeriesResult{{Method: forecast.MethodCombination}}}
	var out bytes.Buffer
	printBatchEvent(&out, &out, pipeline.Trained{Job: "shops", Ref: "shops@1", Series: 4, Result: res})
	if want := "trained shops@1 on 4 series: 1 epoch, fit in 0.0s, test MASE 0.568 (naive 1.100, seasonal naive 0.900)"; !strings.Contains(out.String(), want) {
		t.Errorf("printed %q, want it to hold %q", out.String(), want)
	}
	// A lookback cut by one short series is noted.
	res.Config.Lookback = 2
	out.Reset()
	printBatchEvent(&out, &out, pipeline.Trained{Job: "shops", Ref: "shops@1", Series: 4, Result: res, CutBy: "new", CutLen: 45, Median: 28})
	if want := `job shops: lookback 2, as long as series "new" (45 values) allows; the series of median length would have 28`; !strings.Contains(out.String(), want) {
		t.Errorf("printed %q, want it to hold %q", out.String(), want)
	}
}

// TestScoreTableSmallErrors: errors of a series of values near 1e-9 show
// their digits, not 0.0000; errors of ordinary size keep four decimals.
func TestScoreTableSmallErrors(t *testing.T) {
	var b bytes.Buffer
	printScoreTable(&b, forecast.Scores{Selected: forecast.Metrics{MAE: 2.345678e-10, RMSE: 12.5}}, false)
	for _, want := range []string{"2.346e-10", "12.5000"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("score table lacks %q:\n%s", want, b.String())
		}
	}
}

// TestAccuracyNotFinite: actuals near ±1e308 give an infinite MAE, which
// JSON cannot hold: accuracy --format json failed (exit 1) with "json:
// unsupported value: +Inf". It is null there and in CSV, and shown as it
// is in the table.
func TestAccuracyNotFinite(t *testing.T) {
	mase := math.Inf(1)
	accs := []store.Accuracy{{Model: "air", Version: 1, Series: "s", Forecasts: 2, MAE: math.Inf(1), MASE: &mase}}
	var out bytes.Buffer
	if err := Accuracy(&out, "json", accs, true); err != nil || !strings.Contains(out.String(), `"mae": null`) || !strings.Contains(out.String(), `"mase": null`) {
		t.Errorf("json: %v\n%s", err, out.String())
	}
	out.Reset()
	if err := Accuracy(&out, "csv", accs, true); err != nil || !strings.Contains(out.String(), "air,1,s,2,,,0") {
		t.Errorf("csv: %v\n%s", err, out.String())
	}
	out.Reset()
	if err := Accuracy(&out, "", accs, true); err != nil || !strings.Contains(out.String(), "2          +Inf  +Inf") {
		t.Errorf("table: %v\n%s", err, out.String())
	}
}

// TestBacktestTableOWA: under the m4 protocol OWA is given against Naive2
// on the same folds, with "-" for a GRU that forecast none; where Naive2
// scores zero (a constant history) there is none, and the table says so
// rather than leave the line out.
func TestBacktestTableOWA(t *testing.T) {
	fold := forecast.Fold{Series: "s", Origin: 10, Forecast: []forecast.Point{{Step: 1, Value: 1}}}
	res := &forecast.BacktestResult{Folds: []forecast.Fold{fold}, Overall: forecast.Scores{
		Selected: forecast.Metrics{SMAPE: 5, MASE: 0.5},
		Naive:    forecast.Metrics{SMAPE: 20, MASE: 2},
		Naive2:   forecast.Metrics{SMAPE: 10, MASE: 1},
	}}
	cfg := forecast.Config{Horizon: 1, Season: 1, Protocol: forecast.ProtocolM4}
	var out bytes.Buffer
	BacktestTable(&out, res, cfg)
	if want := "OWA against Naive2 on the same folds (sMAPE 10.000, MASE 1.000): forecast 0.5000, GRU -, naive 2.0000,"; !strings.Contains(out.String(), want) {
		t.Errorf("output lacks %q:\n%s", want, out.String())
	}
	res.Overall.Naive2 = forecast.Metrics{}
	out.Reset()
	BacktestTable(&out, res, cfg)
	if want := "OWA: none, as Naive2 scores sMAPE 0.000 and MASE 0.000 on these folds"; !strings.Contains(out.String(), want) {
		t.Errorf("output lacks %q:\n%s", want, out.String())
	}
}

// TestBacktestTableManyFolds: of more folds than maxFoldRows the table
// lists the first and says how many more there are (it listed none).
func TestBacktestTableManyFolds(t *testing.T) {
	res := &forecast.BacktestResult{}
	for i := range maxFoldRows + 3 {
		res.Folds = append(res.Folds, forecast.Fold{Series: "s", Origin: 100 + i, Method: "ETS(A,N,N)"})
	}
	var out bytes.Buffer
	BacktestTable(&out, res, forecast.Config{Horizon: 1, Season: 1})
	if got := strings.Count(out.String(), "ETS(A,N,N)"); got != maxFoldRows {
		t.Errorf("%d folds listed, want %d:\n%s", got, maxFoldRows, out.String())
	}
	if want := "... and 3 more folds (--format csv lists every fold)\n"; !strings.Contains(out.String(), want) {
		t.Errorf("output lacks %q:\n%s", want, out.String())
	}
}

// TestScoreTableSeasonalNaiveWeek: seasonal naive a week back is a row
// where it was scored, even a perfect one (all zeros), and absent where
// the series has no week.
func TestScoreTableSeasonalNaiveWeek(t *testing.T) {
	var b bytes.Buffer
	printScoreTable(&b, forecast.Scores{Naive: forecast.Metrics{MAE: 2}, SeasonalNaiveWeek: &forecast.Metrics{}}, true)
	if !regexp.MustCompile(`seasonal naive \(week\) +0\.0000 +0\.0000`).MatchString(b.String()) {
		t.Errorf("a perfect week-back forecast is not shown:\n%s", b.String())
	}
	b.Reset()
	printScoreTable(&b, forecast.Scores{Naive: forecast.Metrics{MAE: 2}}, true)
	if strings.Contains(b.String(), "(week)") {
		t.Errorf("a series without a week has a week-back row:\n%s", b.String())
	}
}

// TestSelectionNote: of a short series the classical methods alone
// forecast, a baseline never replaces the combination, so "no single
// method beat it" would be untrue where naive did; the note says which
// rule kept it.
func TestSelectionNote(t *testing.T) {
	cfg := forecast.Config{Horizon: 6, Fallback: forecast.FallbackAuto}
	comb := forecast.Candidate{Method: forecast.MethodCombination, Name: "their mean"}
	network := forecast.SeriesResult{Method: forecast.MethodCombination, ValBlocks: 2,
		Candidates: []forecast.Candidate{{Method: forecast.MethodGRU}, {Method: forecast.MethodETS}, comb}}
	if got, want := selectionNote(cfg, network), " (no single method beat it clearly on the 12 validation values of windows a horizon apart)"; got != want {
		t.Errorf("network series: %q, want %q", got, want)
	}
	classical := forecast.SeriesResult{Method: forecast.MethodCombination, ValBlocks: 1,
		Candidates: []forecast.Candidate{{Method: forecast.MethodETS}, {Method: forecast.MethodSeasonalNaive}, comb}}
	if got, want := selectionNote(cfg, classical), " (no single model beat it clearly on the 6 validation values of windows a horizon apart; on a series this short a baseline never replaces it)"; got != want {
		t.Errorf("classical-only series: %q, want %q", got, want)
	}
}

// TestForecastValuesInUnits: values of a million and more are printed in
// whole units, not as 5.30921e+07, whose exponent hid the digits the
// database holds; smaller ones keep 6 significant digits.
func TestForecastValuesInUnits(t *testing.T) {
	var b strings.Builder
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	Forecast(&b, "sales", t0, []forecast.Point{
		{Step: 1, Time: t0.AddDate(0, 1, 0), Value: 53092123.4, Intervals: []forecast.Interval{{Level: 0.8, Lower: 51000000.2, Upper: 55000000.7}}},
		{Step: 2, Time: t0.AddDate(0, 2, 0), Value: 1234.56789, Intervals: []forecast.Interval{{Level: 0.8, Lower: -2.5e7, Upper: math.Inf(1)}}},
		{Step: 3, Time: t0.AddDate(0, 3, 0), Value: 999999.7, Intervals: []forecast.Interval{{Level: 0.8, Lower: 999999.4, Upper: 1e6}}},
	})
	if strings.Contains(b.String(), "e+") {
		t.Errorf("forecast table has an exponent:\n%s", b.String())
	}
	for _, want := range []string{" 53092123 ", " 51000000 ", " 55000001", " 1234.57 ", " -25000000 ", "+Inf", " 999999 ", " 1000000 "} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("forecast table lacks %q:\n%s", want, b.String())
		}
	}
}
