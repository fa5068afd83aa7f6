package app_test

import (
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
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

	code, out, errOut = run(t, append(args, "--format", "json")...)
	if code != 0 {
		t.Fatalf("backtest --format json exit %d: %s", code, errOut)
	}
	var res struct {
		Horizon int
		Overall struct{ GRU, Naive struct{ MAE float64 } }
		Folds   []struct {
			OriginIndex int `json:"origin_index"`
			Forecast    []float64
			Actual      []float64
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("backtest json: %v\n%s", err, out)
	}
	if res.Horizon != 6 || len(res.Folds) != 3 || res.Folds[2].OriginIndex != 294 || len(res.Folds[0].Forecast) != 6 || res.Overall.Naive.MAE == 0 {
		t.Errorf("backtest json = %+v, want 3 folds of 6 steps, the last from index 294", res)
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
		{[]string{"--folds", "-1"}, "--folds"},
	} {
		code, _, errOut := run(t, append(append([]string{"backtest", data}, smallFit...), tt.args...)...)
		if code != 2 || !strings.Contains(errOut, tt.want) {
			t.Errorf("backtest %v: exit %d, stderr %q; want 2 naming %s", tt.args, code, errOut, tt.want)
		}
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
