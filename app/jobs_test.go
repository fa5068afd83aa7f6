package app

import (
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
func readJobsText(t *testing.T, body string) (*pipeline.JobsFile, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "jobs.toml")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return pipeline.ReadJobs(path)
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
	opt, err := sourceFlagValues(flagsContext(t, sourceFlags(), args...)).Options(path)
	if err != nil {
		t.Fatalf("fit %s: %v", strings.Join(args, " "), err)
	}
	return opt
}

// A job's keys decode into the typed job with the values, defaults and
// checks of fit's flags: the job's Config and Options are those fit reads
// from the same values given as flags. (The jobs file's errors are tested
// in package pipeline, which reads it.)
func TestReadJobsTyped(t *testing.T) {
	weekly, err := pipeline.ParsePolicy("if-older-than 7d")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, body string
		check      func(t *testing.T, j *pipeline.Job)
	}{
		{"Defaults", "[[job]]\nname = \"a\"\n[job.source]\npath = \"a.csv\"\n", func(t *testing.T, j *pipeline.Job) {
			if j.Model != "a" || j.Refit != (pipeline.Policy{}) || j.Config.Horizon != 0 || j.Replace || j.TrainSeries != 0 {
				t.Errorf("job %+v: want model a, refit never, no horizon, skip, all series", j)
			}
			if j.Config.Lookback != 0 || j.Config.ClipNorm != 1 || !reflect.DeepEqual(j.Config.Levels, []float64{0.8, 0.95}) {
				t.Errorf("config %+v: want fit's defaults: lookback auto, clip 1, levels 80 and 95", j.Config)
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
`, func(t *testing.T, j *pipeline.Job) {
			want := fitConfig(t, "--horizon", "48", "--lookback", "96", "--season", "24", "--clip", "0", "--lr", "1",
				"--level", "90", "--ensemble", "3", "--calendar", "--seed", "7", "--window-norm", "season")
			if !reflect.DeepEqual(j.Config, want) {
				t.Errorf("config\n%+v, want fit's\n%+v", j.Config, want)
			}
			c := j.Config
			if c.Horizon != 48 || c.Lookback != 96 || c.Season != 24 || c.ClipNorm != -1 || c.LR != 1 ||
				!reflect.DeepEqual(c.Levels, []float64{0.9}) || c.Ensemble != 3 || !c.Calendar || c.Seed != 7 || c.WindowNorm != forecast.NormSeason {
				t.Errorf("config %+v: want the job's values, clip 0 as no clipping (-1)", c)
			}
			if !j.Glob {
				t.Error("data/*.csv is not taken as a glob")
			}
		}},
		{"SettingsHorizon", "[[job]]\nname = \"a\"\n[job.source]\npath = \"a.csv\"\n[job.settings]\nhorizon = 12\n", func(t *testing.T, j *pipeline.Job) {
			if j.Config.Horizon != 12 {
				t.Errorf("horizon %d, want 12", j.Config.Horizon)
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
`, func(t *testing.T, j *pipeline.Job) {
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
`, func(t *testing.T, j *pipeline.Job) {
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
		{"SQLite", "[[job]]\nname = \"a\"\n[job.source]\nsqlite = \"x.db\"\ntable = \"t\"\ntarget = \"y\"\nseries-id = \"s\"\n", func(t *testing.T, j *pipeline.Job) {
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
