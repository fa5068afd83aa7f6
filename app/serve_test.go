package app_test

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"io"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/app"
)

var screenshot = flag.String("screenshot", "", "TestDashboardInChromium also writes a PNG of the series page to this file (e.g. $PWD/testdata/readme/dashboard.png)")

// servedDB fits load on its first 250 hours, forecasts from hour 260 and
// records every actual, and returns the database and the data file.
func servedDB(t *testing.T) (db, data string) {
	t.Helper()
	data = writeSeries(t, 300)
	db = filepath.Join(t.TempDir(), "f.db")
	mustRun(t, 0, append([]string{"fit", writeHead(t, data, 250), "--series-id", "load", "--db", db, "--name", "load"}, smallFit...)...)
	mustRun(t, 0, "predict", "--model", "load", writeHead(t, data, 260), "--series-id", "load", "--db", db)
	mustRun(t, 0, "actuals", data, "--target", "load", "--series-id", "load", "--db", db)
	return db, data
}

// startServe runs forecast serve with args in-process on a free loopback
// port and returns its URL and a function that stops it (as SIGTERM does)
// and returns its exit code and output.
func startServe(t *testing.T, args ...string) (url string, stop func() (int, string)) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	outR, outW := io.Pipe()
	var errOut strings.Builder
	a := &app.App{Stdin: strings.NewReader(""), Stdout: outW, Stderr: &errOut, Version: "test"}
	code := make(chan int, 1)
	go func() {
		code <- a.Run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...))
		outW.Close()
	}()
	lines := bufio.NewScanner(outR)
	if !lines.Scan() {
		cancel()
		t.Fatalf("serve printed nothing; exit %d, stderr %s", <-code, errOut.String())
	}
	first := lines.Text()
	_, addr, found := strings.Cut(first, " on ")
	if !found {
		t.Fatalf("serve printed %q", first)
	}
	rest := make(chan string, 1)
	go func() {
		var b strings.Builder
		for lines.Scan() {
			b.WriteString(lines.Text() + "\n")
		}
		rest <- b.String()
	}()
	stopped := false
	stop = func() (int, string) {
		stopped = true
		cancel()
		return <-code, first + "\n" + <-rest + errOut.String()
	}
	t.Cleanup(func() {
		if !stopped {
			stop()
		}
	})
	return strings.TrimSuffix(addr, "/"), stop
}

// getJSON fetches url and decodes its JSON into out, returning the status.
func getJSON(t *testing.T, url string, out any) int {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if err := json.NewDecoder(res.Body).Decode(out); err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	return res.StatusCode
}

// postPredict posts body as contentType to url (a POST /v1/predict) and
// decodes the answer, returning its status.
func postPredict(t *testing.T, url, contentType, body string) (int, apiForecast) {
	t.Helper()
	res, err := http.Post(url, contentType, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out apiForecast
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	return res.StatusCode, out
}

// apiForecast is the shape of the forecasts in GET /v1/forecasts and
// POST /v1/predict.
type apiForecast struct {
	Model   string
	Version int
	Series  string
	Origin  string
	Stored  bool
	Note    string
	Points  []struct {
		Step      int
		Time      string
		Value     float64
		Intervals []struct{ Level, Lower, Upper float64 }
	}
	Error struct{ Code, Message string }
}

// storedForecast is the newest stored forecast, as forecasts --format
// json prints it.
func storedForecast(t *testing.T, db string) []struct {
	Time  string
	Value float64
} {
	t.Helper()
	var rows []struct {
		Time  string
		Value float64
	}
	if err := json.Unmarshal([]byte(mustRun(t, 0, "forecasts", "--run", "latest", "--format", "json", "--db", db)), &rows); err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestServeCommand(t *testing.T) {
	db, data := servedDB(t)
	stored := storedForecast(t, db)
	url, stop := startServe(t, "--db", db, "--allow-predict")

	var fc apiForecast
	if code := getJSON(t, url+"/v1/forecasts?series=load", &fc); code != 200 || fc.Model != "load" || fc.Origin != "2024-01-11T19:00:00Z" || len(fc.Points) != len(stored) {
		t.Fatalf("GET /v1/forecasts: %d %+v", code, fc)
	}
	for i, p := range fc.Points {
		if p.Time != stored[i].Time || p.Value != stored[i].Value {
			t.Errorf("step %d: API %s %v, forecasts command %s %v", p.Step, p.Time, p.Value, stored[i].Time, stored[i].Value)
		}
	}

	// The posted hours 1-260 give the forecast predict stored from them,
	// as CSV and as JSON; nothing is stored.
	head := mustRead(t, writeHead(t, data, 260))
	post := func(contentType, body string) (int, apiForecast) {
		return postPredict(t, url+"/v1/predict?model=load@1", contentType, body)
	}
	var times []string
	var values []float64
	for _, line := range strings.Split(strings.TrimSpace(string(head)), "\n")[1:] {
		tm, v, _ := strings.Cut(line, ",")
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatal(err)
		}
		times, values = append(times, tm), append(values, x)
	}
	asJSON, _ := json.Marshal(map[string]any{"times": times, "values": values})
	for name, body := range map[string][2]string{"csv": {"text/csv", string(head)}, "json": {"application/json", string(asJSON)}} {
		code, pred := post(body[0], body[1])
		if code != 200 || pred.Stored || pred.Origin != fc.Origin || len(pred.Points) != len(fc.Points) {
			t.Fatalf("POST /v1/predict (%s): %d %+v", name, code, pred)
		}
		for i, p := range pred.Points {
			if p.Value != fc.Points[i].Value || p.Time != fc.Points[i].Time {
				t.Errorf("%s: step %d: predicted %v at %s, stored %v at %s", name, p.Step, p.Value, p.Time, fc.Points[i].Value, fc.Points[i].Time)
			}
			// Every level is returned, as stored.
			if stored := fc.Points[i].Intervals; len(p.Intervals) != 2 || len(stored) != 2 || p.Intervals[0] != stored[0] || p.Intervals[1] != stored[1] {
				t.Errorf("%s: step %d: intervals %+v, stored %+v", name, p.Step, p.Intervals, fc.Points[i].Intervals)
			}
		}
	}
	daily := "date,load\n"
	for d := 1; d <= 20; d++ {
		daily += fmt.Sprintf("2024-01-%02d,%d\n", d, d)
	}
	if code, out := post("text/csv", daily); code != 422 || out.Error.Code != "bad_data" || !strings.Contains(out.Error.Message, "the data is daily, but model load@1 was trained on hourly data") {
		t.Errorf("POST daily data: %d %+v", code, out.Error)
	}
	if code, out := post("text/csv", string(mustRead(t, writeHead(t, data, 11)))); code != 422 || !strings.Contains(out.Error.Message, "the model reads the last 12 values (its lookback), but the input has only 11 rows") {
		t.Errorf("POST 11 rows: %d %+v", code, out.Error)
	}
	if got := storedForecast(t, db); fmt.Sprint(got) != fmt.Sprint(stored) {
		t.Errorf("predict stored forecasts: %v", got)
	}

	code, out := stop()
	if code != 0 || !strings.Contains(out, "(read-only, predictions on) on http://127.0.0.1:") || !strings.HasSuffix(out, "stopped\n") {
		t.Errorf("serve: exit %d, output:\n%s", code, out)
	}
}

func TestServeRefuses(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "none.db")
	if errOut := mustRun(t, 5, "serve", "--db", missing); !strings.Contains(errOut, "database "+missing+" does not exist") {
		t.Errorf("serve of a missing database: %s", errOut)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Errorf("serve created %s", missing)
	}
	db, _ := servedDB(t)
	if errOut := mustRun(t, 2, "serve", "--db", db, "--addr", "127.0.0.1:99999"); !strings.Contains(errOut, "--addr") {
		t.Errorf("serve on a bad address: %s", errOut)
	}
}

// TestDashboardInChromium loads the dashboard in headless Chromium, opens
// the series page and checks the forecast it plotted against the API.
func TestDashboardInChromium(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("skipped: the dashboard test needs Chromium (Debian: apt-get install chromium), not found in PATH")
	}
	db, _ := servedDB(t)
	url, _ := startServe(t, "--db", db)
	page := url + "/#/series?id=load"
	run := func(extra ...string) string {
		args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
			"--disable-background-networking", "--disable-component-update", "--disable-sync",
			"--user-data-dir=" + t.TempDir(), "--virtual-time-budget=5000", "--window-size=1100,820"}, extra...)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		out, err := exec.CommandContext(ctx, chromium, append(args, page)...).Output()
		if err != nil {
			t.Fatalf("chromium %v: %v", extra, err)
		}
		return string(out)
	}
	dom := run("--dump-dom")
	svg := regexp.MustCompile(`<svg [^>]*id="plot"[^>]*>`).FindString(dom)
	if svg == "" {
		t.Fatalf("the series page has no plot:\n%s", dom)
	}
	attr := func(name string) string {
		m := regexp.MustCompile(` ` + name + `="([^"]*)"`).FindStringSubmatch(svg)
		if m == nil {
			t.Fatalf("the plot lacks %s: %s", name, svg)
		}
		return html.UnescapeString(m[1])
	}
	var plotted [][2]any
	if err := json.Unmarshal([]byte(attr("data-forecast")), &plotted); err != nil {
		t.Fatal(err)
	}
	var fc apiForecast
	getJSON(t, url+"/v1/forecasts?series=load", &fc)
	if len(plotted) != len(fc.Points) || len(plotted) != 6 {
		t.Fatalf("plotted %v, the API has %d points", plotted, len(fc.Points))
	}
	for i, p := range fc.Points {
		if plotted[i][0] != p.Time || plotted[i][1] != p.Value {
			t.Errorf("point %d: plotted %v, API %s %v", i, plotted[i], p.Time, p.Value)
		}
	}
	// The history is the 48 hours up to the forecast's last time (hour
	// 266), and the past forecasts in that span are the fit's 6 (hours
	// 251-256); predict's 6 (261-266) are the forecast shown, drawn as
	// such and not again as past ones under it.
	if got := attr("data-actuals"); got != "48" {
		t.Errorf("plotted %s actuals, want 48", got)
	}
	if got := attr("data-past"); got != "6" {
		t.Errorf("plotted %s past forecasts, want 6", got)
	}
	// The time axis is marked at calendar starts (every 12 hours over
	// two days), not at fractions of its span (2024-01-10 13:45).
	for _, label := range []string{">2024-01-11 00:00<", ">2024-01-11 12:00<"} {
		if !strings.Contains(dom, label) {
			t.Errorf("the time axis lacks the tick %s", label)
		}
	}
	// Each forecast dot is placed by its value: higher values higher up.
	dots := regexp.MustCompile(`<circle [^>]*class="fc"[^>]*cy="([-0-9.]+)"[^>]*data-value="([-0-9.e+]+)"`).FindAllStringSubmatch(dom, -1)
	if len(dots) != 6 {
		t.Fatalf("%d forecast dots, want 6", len(dots))
	}
	for i := range dots {
		for j := range dots {
			yi, _ := strconv.ParseFloat(dots[i][1], 64)
			yj, _ := strconv.ParseFloat(dots[j][1], 64)
			vi, _ := strconv.ParseFloat(dots[i][2], 64)
			vj, _ := strconv.ParseFloat(dots[j][2], 64)
			if vi > vj && yi >= yj {
				t.Errorf("dot of %v at y %v is not above dot of %v at y %v", vi, yi, vj, yj)
			}
		}
	}
	if !strings.Contains(dom, `class="band95"`) || !strings.Contains(dom, "load@1") {
		t.Errorf("the page lacks the 95 %% band or the accuracy table")
	}
	// Each origin's row links to its version's forecast, so that two
	// versions forecasting from one origin can both be shown; the page of
	// such a link lists the model's origins and shows that forecast.
	origins := regexp.MustCompile(`(?s)<table id="origins">.*?</table>`).FindString(dom)
	if !strings.Contains(origins, "model=load%401&amp;origin=") {
		t.Errorf("the origins' links do not name the version:\n%s", origins)
	}
	page = url + "/#/series?id=load&model=load@1&origin=" + fc.Origin
	if dom := run("--dump-dom"); !strings.Contains(dom, "forecast by load@1") || !strings.Contains(dom, `<table id="origins">`) {
		t.Errorf("the page of load@1's forecast from %s lacks it or the origins:\n%s", fc.Origin, dom)
	}
	if *screenshot != "" {
		run("--screenshot=" + *screenshot)
		t.Logf("wrote %s", *screenshot)
	}

	// A batch run with a failed series: its page lists the series and why.
	dir := writeSeriesDir(t, 2, 200)
	if err := os.WriteFile(filepath.Join(dir, "s90.csv"), []byte("date,load\n2024-01-01 00:00,1\n2024-01-01 01:00,oops\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	jobs := writeJobs(t, fmt.Sprintf("[[job]]\nname = \"hourly\"\nrefit = \"always\"\n\n[job.source]\npath = %q\ntarget = \"load\"\n%s",
		filepath.Join(dir, "*.csv"), batchSettings))
	mustRun(t, 7, "batch", jobs, "--db", db)
	page = url + "/#/run?id=4"
	dom = run("--dump-dom")
	failed := regexp.MustCompile(`(?s)<table id="failed">.*?</table>`).FindString(dom)
	if !strings.Contains(failed, ">s90/load<") || !strings.Contains(failed, `parse "oops" as a number`) || strings.Contains(failed, ">s00/load<") {
		t.Errorf("the batch run's page lists the failed series as:\n%s", failed)
	}
	if jobs := regexp.MustCompile(`(?s)<table id="jobs">.*?</table>`).FindString(dom); !strings.Contains(jobs, ">hourly<") {
		t.Errorf("the batch run's page lists the jobs as:\n%s", jobs)
	}
}

// hourlyShops returns 300 hourly sales of three shops, north, south and
// east, in the long layout (shop,date,sales), and south's alone in the
// wide one (date,sales).
func hourlyShops() (all, south string) {
	var a, b strings.Builder
	a.WriteString("shop,date,sales\n")
	b.WriteString("date,sales\n")
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for k, shop := range []string{"north", "south", "east"} {
		for i := range 300 {
			v := 50 + float64(k)*30 + float64(5*(k+1))*math.Sin(2*math.Pi*float64(i)/24) + float64(k*k)*0.05*float64(i) + math.Sin(float64(i)*1.3)
			when := t0.Add(time.Duration(i) * time.Hour).Format("2006-01-02 15:04")
			fmt.Fprintf(&a, "%s,%s,%.3f\n", shop, when, v)
			if shop == "south" {
				fmt.Fprintf(&b, "%s,%.3f\n", when, v)
			}
		}
	}
	return a.String(), b.String()
}

// TestServePredictsSeriesOfGlobalModel posts one series of a model fitted
// on several, named as /v1/series names it (SOURCE/ID) and as fit knows it
// (ID): either way it is forecast by its own method, as fit forecast it.
func TestServePredictsSeriesOfGlobalModel(t *testing.T) {
	all, south := hourlyShops()
	data := writeFile(t, "shops.csv", all)
	db := filepath.Join(t.TempDir(), "f.db")
	if code, out, errOut := run(t, "fit", data, "--id", "shop", "--target", "sales", "--lookback", "24", "--horizon", "6", "--season", "24",
		"--hidden", "4", "--epochs", "2", "--name", "shops", "--db", db); code != 0 {
		t.Fatalf("fit exit %d\n%s\n%s", code, out, errOut)
	}
	url, stop := startServe(t, "--db", db, "--allow-predict")
	defer stop()
	var stored apiForecast
	if code := getJSON(t, url+"/v1/forecasts?series=shops/south", &stored); code != 200 || len(stored.Points) != 6 {
		t.Fatalf("GET /v1/forecasts: %d %+v", code, stored)
	}
	for _, name := range []string{"shops/south", "south"} {
		code, pred := postPredict(t, url+"/v1/predict?model=shops@1&series="+name, "text/csv", south)
		if code != 200 || len(pred.Points) != 6 {
			t.Fatalf("POST series=%s: %d %+v", name, code, pred)
		}
		for i, p := range pred.Points {
			if p.Value != stored.Points[i].Value {
				t.Errorf("series=%s: step %d: predicted %v, fit stored %v", name, p.Step, p.Value, stored.Points[i].Value)
			}
		}
	}
	// A series the model was not fitted on is forecast as a new one, and
	// the answer says so: so is another source's series of a known ID.
	for _, name := range []string{"shops/west", "elsewhere/south"} {
		code, other := postPredict(t, url+"/v1/predict?model=shops@1&series="+name, "text/csv", south)
		if code != 200 || !strings.Contains(other.Note, `model shops@1 was not fitted on a series "`+name+`": it is forecast as a new one`) {
			t.Errorf("POST series=%s: %d, note %q", name, code, other.Note)
		}
		if name == "elsewhere/south" && len(other.Points) == 6 && other.Points[0].Value == stored.Points[0].Value {
			t.Errorf("POST series=%s: forecast as shops/south, %v", name, other.Points[0].Value)
		}
	}
	// Values without times are forecast by steps: nothing is stored, so
	// nothing sits beside the dated forecasts.
	var values []float64
	for _, line := range strings.Split(strings.TrimSpace(south), "\n")[1:] {
		_, v, _ := strings.Cut(line, ",")
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatal(err)
		}
		values = append(values, x)
	}
	body, _ := json.Marshal(map[string]any{"values": values})
	if code, pred := postPredict(t, url+"/v1/predict?model=shops@1&series=south", "application/json", string(body)); code != 200 || len(pred.Points) != 6 || pred.Points[0].Time != "" {
		t.Errorf("POST values without times: %d %+v; want 6 steps without times", code, pred)
	}
}

// TestServePredictsSeriesOfBatchRefit: a batch refit (refit always) whose
// run forecast only the one series with new data trained on them all; a
// series of the same source it skipped is still one it was fitted on.
func TestServePredictsSeriesOfBatchRefit(t *testing.T) {
	all, south := hourlyShops()
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	data := writeFile(t, "shops.csv", all)
	jobs := writeJobs(t, fmt.Sprintf("[[job]]\nname = \"bl\"\nrefit = \"always\"\n[job.source]\npath = %q\nid = \"shop\"\ntarget = \"sales\"\n%s", data, batchSettings))
	db := filepath.Join(t.TempDir(), "f.db")
	mustRun(t, 0, "batch", jobs, "--db", db)
	f, err := os.OpenFile(data, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(f, "north,%s,51.5\n", t0.Add(300*time.Hour).Format("2006-01-02 15:04"))
	f.Close()
	if out := mustRun(t, 0, "batch", jobs, "--db", db); !strings.Contains(out, "trained bl@2") || !strings.Contains(out, "1 series done") {
		t.Fatalf("second batch:\n%s", out)
	}
	url, stop := startServe(t, "--db", db, "--allow-predict")
	defer stop()
	if code, pred := postPredict(t, url+"/v1/predict?model=bl@2&series=shops/south", "text/csv", south); code != 200 || strings.Contains(pred.Note, "not fitted on") {
		t.Errorf("POST series=shops/south to bl@2: %d, note %q", code, pred.Note)
	}
}

// TestServePredictsSeriesOfGlobJob: a batch of a glob's files knows each
// series by its file's stem; /v1/predict of one, named as /v1/series
// names it (STEM/COLUMN), forecasts it as the batch did, not as a new one.
func TestServePredictsSeriesOfGlobJob(t *testing.T) {
	dir := writeSeriesDir(t, 3, 200)
	jobs := writeJobs(t, fmt.Sprintf("[[job]]\nname = \"load\"\n[job.source]\npath = %q\ntarget = \"load\"\n%s", filepath.Join(dir, "*.csv"), batchSettings))
	db := filepath.Join(t.TempDir(), "f.db")
	mustRun(t, 0, "batch", jobs, "--db", db)
	body, err := os.ReadFile(filepath.Join(dir, "s01.csv"))
	if err != nil {
		t.Fatal(err)
	}
	url, stop := startServe(t, "--db", db, "--allow-predict")
	defer stop()
	var stored apiForecast
	if code := getJSON(t, url+"/v1/forecasts?series=s01/load", &stored); code != 200 || len(stored.Points) != 6 {
		t.Fatalf("GET /v1/forecasts: %d %+v", code, stored)
	}
	code, pred := postPredict(t, url+"/v1/predict?model=load@1&series=s01/load", "text/csv", string(body))
	if code != 200 || pred.Note != "" || len(pred.Points) != 6 {
		t.Fatalf("POST series=s01/load: %d, note %q", code, pred.Note)
	}
	for i, p := range pred.Points {
		if p.Value != stored.Points[i].Value {
			t.Errorf("step %d: predicted %v, the batch stored %v", p.Step, p.Value, stored.Points[i].Value)
		}
	}
}
