package pipeline_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/forecast-dev/forecast/app/pipeline"
)

// readJobsText writes body as a jobs file and reads it.
func readJobsText(t *testing.T, body string) (*pipeline.JobsFile, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "jobs.toml")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return pipeline.ReadJobs(path)
}

// Jobs written as an array of inline tables read as [[job]] tables do.
func TestReadJobsInlineTables(t *testing.T) {
	jf, err := readJobsText(t, `job = [
  {name = "a", source = {path = "a.csv"}, settings = {lookback = 12}},
  {name = "b", horizon = 6, source = {path = "b.csv"}},
]`)
	if err != nil {
		t.Fatal(err)
	}
	if len(jf.Jobs) != 2 || jf.Jobs[0].Config.Lookback != 12 || jf.Jobs[1].Config.Horizon != 6 || jf.Jobs[1].Path != "b.csv" {
		t.Fatalf("jobs %+v, want a with lookback 12 and b with horizon 6 on b.csv", jf.Jobs)
	}
}

// A key no job has, and a value of the wrong kind, are usage errors naming
// the file, the job and the key; a wrong value gives its line and column
// in the file (the column of the value, inside the quotes of text), that
// of the job it is in when another job has the key too.
func TestReadJobsErrors(t *testing.T) {
	const second = "[[job]]\nname = \"a\"\n[job.source]\npath = \"a.csv\"\n[job.settings]\nlookback = 12\n\n"
	for _, tt := range []struct {
		name, body string
		want       []string
	}{
		{"JobKey", "[[job]]\nname = \"a\"\nmodle = \"b\"\n[job.source]\npath = \"a.csv\"\n",
			[]string{`job "a": unknown key "modle"; the keys are name, model,`, `(did you mean "model"?)`}},
		{"SettingsKey", "[[job]]\nname = \"a\"\n[job.source]\npath = \"a.csv\"\n[job.settings]\nlokback = 12\n",
			[]string{`job "a": settings: unknown key "lokback"`, `(did you mean "lookback"?)`}},
		{"SourceKeyFar", "[[job]]\nname = \"a\"\n[job.source]\npath = \"a.csv\"\ncolour = \"red\"\n",
			[]string{`job "a": source: unknown key "colour"; the keys are target, time,`, `path, series, series-id`}},
		{"SourceTable", "[[job]]\nname = \"a\"\n[job.source]\npath = \"a.csv\"\n[job.source.extra]\nx = 1\n",
			[]string{`job "a": source: unknown key "extra"`}},
		{"KeyOfSecondJob", second + "[[job]]\nname = \"b\"\n[job.source]\npath = \"b.csv\"\n[job.settings]\nlokback = 12\n",
			[]string{`job "b": settings: unknown key "lokback"`}},
		{"Fraction", "[[job]]\nname = \"a\"\n[job.source]\npath = \"a.csv\"\n[job.settings]\nepochs = 2.5\n",
			[]string{`job "a": settings: epochs = 2.5: want a whole number, not a fraction (line 6, column 10)`}},
		{"LineOfItsJob", "[[job]]\nname = \"a\"\n[job.source]\npath = \"a.csv\"\n[job.settings]\nlookback = true\n\n" +
			"[[job]]\nname = \"b\"\n[job.source]\npath = \"b.csv\"\n[job.settings]\nlookback = 12\n",
			[]string{`job "a": settings: lookback = true: want text, a number or an array of them, not true or false (line 6, column 12)`}},
		{"Name", "[[job]]\nname = 5\n[job.source]\npath = \"a.csv\"\n",
			[]string{`job 1: name = 5: want text, not a whole number (line 2, column 8)`}},
		{"Seed", "[[job]]\nname = \"a\"\n[job.source]\npath = \"a.csv\"\n[job.settings]\nseed = -1\n",
			[]string{`job "a": settings: seed = -1: want a whole number, 0 or more (line 6`}},
		{"JobHorizon", "[[job]]\nname = \"a\"\nhorizon = \"soon\"\n[job.source]\npath = \"a.csv\"\n",
			[]string{`job "a": --horizon must be auto or a whole number from 1 up, got "soon"`}},
		{"HorizonTwice", "[[job]]\nname = \"a\"\nhorizon = 7\n[job.source]\npath = \"a.csv\"\n[job.settings]\nhorizon = 8\n",
			[]string{`job "a": horizon is given twice`}},
		{"Range", "[[job]]\nname = \"a\"\n[job.source]\npath = \"a.csv\"\n[job.settings]\nclip = -1\n",
			[]string{`job "a": --clip must be 0 (none) or a positive number, got -1`}},
		{"SettingsNotTable", "[[job]]\nname = \"a\"\nsettings = 5\n[job.source]\npath = \"a.csv\"\n",
			[]string{`job "a": settings = 5: want a table, [job.settings]`}},
		{"SourceArray", "[[job]]\nname = \"a\"\n[[job.source]]\npath = \"a.csv\"\n",
			[]string{`job "a": source = [{…}]: want a table, [job.source]`}},
		{"SourceNameSlash", "[[job]]\nname = \"a\"\n[job.source]\npath = \"a.csv\"\nsource-name = \"a/b\"\n",
			[]string{`job "a": source: source-name = "a/b": ` + pipeline.SourceNameWant}},
		{"SourceNameGlob", "[[job]]\nname = \"a\"\n[job.source]\npath = \"shops/*.csv\"\nsource-name = \"shops\"\n",
			[]string{`job "a": source: source-name "shops" with the glob "shops/*.csv" would store the series of every file under one name`}},
		{"SourceNameAndSeriesID", "[[job]]\nname = \"a\"\n[job.source]\npath = \"a.csv\"\nsource-name = \"x\"\nseries-id = \"y\"\n",
			[]string{`job "a": source: give series-id or source-name, not both`}},
		{"Date", "[[job]]\nname = \"a\"\n[job.source]\npath = \"a.csv\"\nstart = 2020-01-01\n",
			[]string{`job "a": source: start = 2020-01-01T00:00:00Z: want text, a number or an array of them, not a date or time (line 5, column 9)`}},
		{"NestedArray", "[[job]]\nname = \"a\"\n[job.source]\npath = \"a.csv\"\n[job.settings]\nlevel = [80, [95]]\n",
			[]string{`job "a": settings: level = [80, [95]]: want text, a number or an array of them, not an array (line 6, column 10)`}},
		{"JobTable", "[job]\nname = \"a\"\n", []string{`unknown key "job" (the file holds [[job]] tables)`}},
		{"NoSource", "[[job]]\nname = \"a\"\n", []string{`job "a": [job.source] is required`}},
		{"TopKey", "title = \"x\"\n[[job]]\nname = \"a\"\n[job.source]\npath = \"a.csv\"\n",
			[]string{`unknown key "title" (the file holds [[job]] tables)`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readJobsText(t, tt.body)
			if err == nil {
				t.Fatal("read, want an error")
			}
			if !errors.Is(err, pipeline.ErrUsage) {
				t.Errorf("error %T, want ErrUsage", err)
			}
			for _, want := range append(tt.want, "jobs.toml") {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q, want it to hold %q", err, want)
				}
			}
		})
	}
}

// A job's batch record keeps the job as the file wrote it.
func TestJobConfigIsTheJobAsWritten(t *testing.T) {
	jf, err := readJobsText(t, `[[job]]
name = "a"
horizon = 7
[job.source]
path = "a.csv"
series = ["x", "y"]
[job.settings]
lookback = "auto"
clip = 0
`)
	if err != nil {
		t.Fatal(err)
	}
	var got, want map[string]any
	if err := json.Unmarshal([]byte(jf.Jobs[0].JSON()), &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(`{"name": "a", "horizon": 7, "source": {"path": "a.csv", "series": ["x", "y"]},
		"settings": {"lookback": "auto", "clip": 0}}`), &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("config %v, want %v", got, want)
	}
}
