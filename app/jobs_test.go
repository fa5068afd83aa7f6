package app

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/app/pipeline"
	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/ingest"
	"github.com/urfave/cli/v2"
)

// readJobsText writes body as a jobs file and reads it.
func readJobsText(t *testing.T, body string) (*jobsFile, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "jobs.toml")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return readJobs(path)
}

// flagsContext parses args as a command line of flags.
func flagsContext(t *testing.T, flags []cli.Flag, args ...string) *cli.Context {
	t.Helper()
	set := flag.NewFlagSet("test", flag.ContinueOnError)
	for _, f := range flags {
		if err := f.Apply(set); err != nil {
			t.Fatal(err)
		}
	}
	if err := set.Parse(args); err != nil {
		t.Fatal(err)
	}
	return cli.NewContext(nil, set, nil)
}

// fitConfig is the configuration fit reads from the training flags args.
func fitConfig(t *testing.T, args ...string) forecast.Config {
	t.Helper()
	cfg, err := trainingConfig(flagsContext(t, trainingFlags(), args...))
	if err != nil {
		t.Fatalf("fit %s: %v", strings.Join(args, " "), err)
	}
	return cfg
}

// fitOptions are the ingest options fit reads from the source flags args
// for the data file path.
func fitOptions(t *testing.T, path string, args ...string) ingest.Options {
	t.Helper()
	opt, err := sourceOptions(flagsContext(t, sourceFlags(), args...), path)
	if err != nil {
		t.Fatalf("fit %s: %v", strings.Join(args, " "), err)
	}
	return opt
}

// A job's keys decode into the typed job with the values, defaults and
// checks of fit's flags: the job's Config and Options are those fit reads
// from the same values given as flags.
func TestReadJobsTyped(t *testing.T) {
	weekly, err := pipeline.ParsePolicy("if-older-than 7d")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, body string
		check      func(t *testing.T, j *job)
	}{
		{"Defaults", "[[job]]\nname = \"a\"\n[job.source]\npath = \"a.csv\"\n", func(t *testing.T, j *job) {
			if j.Model != "a" || j.Refit != (pipeline.Policy{}) || j.HorizonSet || j.Replace || j.TrainSeries != 0 {
				t.Errorf("job %+v: want model a, refit never, no horizon, skip, all series", j)
			}
			if j.Config.Horizon != 24 || j.Config.Lookback != 0 || j.Config.ClipNorm != 1 || !reflect.DeepEqual(j.Config.Levels, []float64{0.8, 0.95}) {
				t.Errorf("config %+v: want fit's defaults: horizon 24, lookback auto, clip 1, levels 80 and 95", j.Config)
			}
			if want := fitConfig(t); !reflect.DeepEqual(j.Config, want) {
				t.Errorf("config\n%+v, want fit's\n%+v", j.Config, want)
			}
			if want := fitOptions(t, "a.csv"); !reflect.DeepEqual(j.Source, want) {
				t.Errorf("options\n%+v, want fit's\n%+v", j.Source, want)
			}
			if j.Path != "a.csv" || j.Glob {
				t.Errorf("path %q glob %v, want a.csv, no glob", j.Path, j.Glob)
			}
		}},
		{"SettingsAsFlags", `[[job]]
name = "a"
horizon = 48
[job.source]
path = "data/*.csv"
[job.settings]
lookback = 96
season = 24
clip = 0
lr = 1
level = [90]
ensemble = 3
calendar = true
seed = 7
window-norm = "season"
`, func(t *testing.T, j *job) {
			want := fitConfig(t, "--horizon", "48", "--lookback", "96", "--season", "24", "--clip", "0", "--lr", "1",
				"--level", "90", "--ensemble", "3", "--calendar", "--seed", "7", "--window-norm", "season")
			if !reflect.DeepEqual(j.Config, want) {
				t.Errorf("config\n%+v, want fit's\n%+v", j.Config, want)
			}
			c := j.Config
			if !j.HorizonSet || c.Horizon != 48 || c.Lookback != 96 || c.Season != 24 || c.ClipNorm != -1 || c.LR != 1 ||
				!reflect.DeepEqual(c.Levels, []float64{0.9}) || c.Ensemble != 3 || !c.Calendar || c.Seed != 7 || c.WindowNorm != forecast.NormSeason {
				t.Errorf("config %+v (horizon set %v): want the job's values, clip 0 as no clipping (-1)", c, j.HorizonSet)
			}
			if !j.Glob {
				t.Error("data/*.csv is not taken as a glob")
			}
		}},
		{"SettingsHorizon", "[[job]]\nname = \"a\"\n[job.source]\npath = \"a.csv\"\n[job.settings]\nhorizon = 12\n", func(t *testing.T, j *job) {
			if !j.HorizonSet || j.Config.Horizon != 12 {
				t.Errorf("horizon %d (set %v), want 12, set", j.Config.Horizon, j.HorizonSet)
			}
		}},
		{"Source", `[[job]]
name = "a"
[job.source]
path = "a.csv"
target = ["a", "b*"]
delimiter = "tab"
max-fill = 0.05
fill = "ffill"
time = "none"
covariates = ["x", "y"]
no-header = true
`, func(t *testing.T, j *job) {
			want := fitOptions(t, "a.csv", "--target", "a,b*", "--delimiter", "tab", "--max-fill", "0.05", "--fill", "ffill",
				"--time", "none", "--covariates", "x,y", "--no-header")
			if !reflect.DeepEqual(j.Source, want) {
				t.Errorf("options\n%+v, want fit's\n%+v", j.Source, want)
			}
			o := j.Source
			if !reflect.DeepEqual(o.Targets, []string{"a", "b*"}) || o.Comma != '\t' || o.MaxFill != 0.05 || o.Fill != ingest.FillForward ||
				!o.NoTime || !reflect.DeepEqual(o.Covariates, []string{"x", "y"}) || !o.NoHeader {
				t.Errorf("options %+v: want the job's values", o)
			}
		}},
		{"JobKeys", `[[job]]
name = "a"
model = "m"
refit = "if-older-than 7d"
alias = "champion"
on-existing = "replace"
train-series = 5
[job.source]
path = "rows.csv"
layout = "rows"
series = ["H1", "H2"]
`, func(t *testing.T, j *job) {
			if j.Model != "m" || j.Alias != "champion" || !j.Replace || j.TrainSeries != 5 {
				t.Errorf("job %+v: want model m, alias champion, replace, 5 train series", j)
			}
			if j.Refit != weekly || j.Refit.Kind != pipeline.IfOlderThan || j.Refit.MaxAge != 7*24*time.Hour {
				t.Errorf("refit %+v, want if-older-than 7 days", j.Refit)
			}
			if !reflect.DeepEqual(j.SeriesIn, map[string]bool{"H1": true, "H2": true}) || j.Source.Layout != ingest.LayoutRows {
				t.Errorf("series %v, layout %q: want H1 and H2 of a rows layout", j.SeriesIn, j.Source.Layout)
			}
		}},
		{"SQLite", "[[job]]\nname = \"a\"\n[job.source]\nsqlite = \"x.db\"\ntable = \"t\"\ntarget = \"y\"\nseries-id = \"s\"\n", func(t *testing.T, j *job) {
			if j.Path != "x.db:t" || j.Source.Name != "x.db" || j.Source.Table != "t" || j.Source.Target != "y" || j.SeriesID != "s" {
				t.Errorf("path %q, options %+v, series-id %q: want x.db:t, table t, target y, s", j.Path, j.Source, j.SeriesID)
			}
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			jf, err := readJobsText(t, tt.body)
			if err != nil {
				t.Fatal(err)
			}
			if len(jf.Jobs) != 1 {
				t.Fatalf("%d jobs, want 1", len(jf.Jobs))
			}
			tt.check(t, jf.Jobs[0])
		})
	}
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
		{"JobHorizon", "[[job]]\nname = \"a\"\nhorizon = \"7\"\n[job.source]\npath = \"a.csv\"\n",
			[]string{`job "a": settings: horizon = "7": want a whole number, not text (line 3, column 12)`}},
		{"HorizonTwice", "[[job]]\nname = \"a\"\nhorizon = 7\n[job.source]\npath = \"a.csv\"\n[job.settings]\nhorizon = 8\n",
			[]string{`job "a": horizon is given twice`}},
		{"Range", "[[job]]\nname = \"a\"\n[job.source]\npath = \"a.csv\"\n[job.settings]\nclip = -1\n",
			[]string{`job "a": --clip must be 0 (none) or positive, got -1`}},
		{"SettingsNotTable", "[[job]]\nname = \"a\"\nsettings = 5\n[job.source]\npath = \"a.csv\"\n",
			[]string{`job "a": settings = 5: want a table, [job.settings]`}},
		{"SourceArray", "[[job]]\nname = \"a\"\n[[job.source]]\npath = \"a.csv\"\n",
			[]string{`job "a": source = [{…}]: want a table, [job.source]`}},
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
			if _, ok := err.(usageError); !ok {
				t.Errorf("error %T, want a usage error", err)
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
	if err := json.Unmarshal([]byte(jf.Jobs[0].config()), &got); err != nil {
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
