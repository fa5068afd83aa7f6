package app

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/forecast-dev/forecast/forecast"
	"github.com/urfave/cli/v2"
)

// trainingFlags are the model and training flags of the commands that train
// (fit, backtest).
func trainingFlags() []cli.Flag {
	return []cli.Flag{
		&cli.IntFlag{Name: "horizon", Aliases: []string{"H"}, Usage: "steps to forecast", Value: 24},
		&cli.StringFlag{Name: "lookback", Aliases: []string{"L"}, Usage: "input window length, or auto: three seasons or two horizons, whichever is longer, cut to what the series' train part affords", Value: "auto"},
		&cli.IntFlag{Name: "layers", Usage: "stacked GRU layers", Value: 2},
		&cli.IntFlag{Name: "hidden", Usage: "hidden units per layer", Value: 64},
		&cli.IntFlag{Name: "epochs", Usage: "maximum training epochs", Value: 30},
		&cli.IntFlag{Name: "patience", Usage: "stop after this many epochs without a better validation loss", Value: 5},
		&cli.IntFlag{Name: "batch", Usage: "minibatch size", Value: 32},
		&cli.Float64Flag{Name: "lr", Usage: "Adam learning rate", Value: 1e-3},
		&cli.Float64Flag{Name: "clip", Usage: "gradient-norm clip (0: none)", Value: 1},
		&cli.StringFlag{Name: "season", Aliases: []string{"m"}, Usage: "season length for seasonal naive, MASE and the classical models (1: none), or auto: from the frequency (monthly 12, quarterly 4, weekly 52, daily 7, hourly 24), confirmed by the autocorrelation", Value: "auto"},
		&cli.Uint64Flag{Name: "seed", Usage: "random seed of weights and minibatch order", Value: 0},
		&cli.StringFlag{Name: "protocol", Usage: "train/validation/test split: v1 (70/10/20), ett (ETT benchmark rows), holdout (the last horizon tests, the one before validates) or m4 (holdout, as the M4 competition)", Value: "v1"},
		&cli.StringFlag{Name: "window-norm", Usage: "per-window normalisation: none, last (subtract the window's last value), mean (its mean) or season (inputs less the last value, outputs relative to the seasonal naive forecast; needs --lookback ≥ --season), or auto (the ones that suit the data, keeping the best on validation)", Value: "auto"},
		&cli.BoolFlag{Name: "calendar", Usage: "add calendar features of the timestamps (hour of day, day of week, day of year, month) as inputs"},
		&cli.StringFlag{Name: "level", Usage: "prediction interval levels in percent, comma-separated (\"\" for none)", Value: "80,95"},
		&cli.IntFlag{Name: "windows-per-epoch", Usage: "train windows drawn per epoch (0: all of them up to 16384, a fresh sample each epoch)"},
		&cli.StringFlag{Name: "transform", Usage: "transform of the target before scaling: none, log (positive series whose swings grow with their level) or auto (both where the series is positive, keeping the better on validation)", Value: "auto"},
		&cli.StringFlag{Name: "fallback", Usage: "what may forecast a series instead of the GRU, chosen on validation: auto (exponential smoothing, the Theta method or seasonal naive, whichever forecasts it best), snaive (seasonal naive only) or none (the GRU always)", Value: "auto"},
		&cli.StringFlag{Name: "ensemble", Usage: "train this many members (seeds --seed, --seed+1, …) and forecast their mean, or auto: 3 where the data are small, else 1", Value: "auto"},
	}
}

// autoInt reads a flag that takes a number from 1 up or "auto" (0).
func autoInt(c *cli.Context, name string) (int, error) {
	v := strings.TrimSpace(c.String(name))
	if v == "auto" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, usagef("--%s must be auto or a whole number from 1 up, got %q", name, v)
	}
	return n, nil
}

// trainingConfig reads the flags of trainingFlags, rejecting values out of
// range with the flag's name.
func trainingConfig(c *cli.Context) (forecast.Config, error) {
	for _, f := range []string{"horizon", "layers", "hidden", "epochs", "patience", "batch"} {
		if v := c.Int(f); v < 1 {
			return forecast.Config{}, usagef("--%s must be at least 1, got %d", f, v)
		}
	}
	var autos [3]int
	for i, f := range []string{"lookback", "season", "ensemble"} {
		v, err := autoInt(c, f)
		if err != nil {
			return forecast.Config{}, err
		}
		autos[i] = v
	}
	if lr := c.Float64("lr"); !(lr > 0) {
		return forecast.Config{}, usagef("--lr must be positive, got %g", lr)
	}
	if clip := c.Float64("clip"); clip < 0 {
		return forecast.Config{}, usagef("--clip must be 0 (none) or positive, got %g", clip)
	}
	if v := c.Int("windows-per-epoch"); v < 0 {
		return forecast.Config{}, usagef("--windows-per-epoch must be 0 (all up to 16384) or positive, got %d", v)
	}
	cfg := forecast.Config{
		Lookback: autos[0], Horizon: c.Int("horizon"), Layers: c.Int("layers"),
		Hidden: c.Int("hidden"), Epochs: c.Int("epochs"), Patience: c.Int("patience"),
		Batch: c.Int("batch"), LR: c.Float64("lr"), ClipNorm: c.Float64("clip"),
		Season: autos[1], Seed: c.Uint64("seed"),
		Protocol:        forecast.Protocol(c.String("protocol")),
		WindowNorm:      forecast.WindowNorm(c.String("window-norm")),
		Calendar:        c.Bool("calendar"),
		WindowsPerEpoch: c.Int("windows-per-epoch"),
		Ensemble:        autos[2],
		Transform:       forecast.Transform(c.String("transform")),
		Fallback:        forecast.Fallback(c.String("fallback")),
	}
	if cfg.ClipNorm == 0 {
		cfg.ClipNorm = -1 // the flag's 0 means no clipping
	}
	switch cfg.Protocol {
	case forecast.ProtocolV1, forecast.ProtocolETT, forecast.ProtocolHoldout, forecast.ProtocolM4:
	default:
		return forecast.Config{}, usagef("--protocol must be v1, ett, holdout or m4, got %q", cfg.Protocol)
	}
	switch cfg.WindowNorm {
	case forecast.NormNone, forecast.NormLast, forecast.NormMean, forecast.NormAuto:
	case forecast.NormSeason:
		if cfg.Lookback > 0 && cfg.Season > 0 && cfg.Lookback < cfg.Season {
			return forecast.Config{}, usagef("--window-norm season needs --lookback (%d) of at least --season (%d)", cfg.Lookback, cfg.Season)
		}
	default:
		return forecast.Config{}, usagef("--window-norm must be none, last, mean, season or auto, got %q", cfg.WindowNorm)
	}
	if cfg.Transform != forecast.TransformNone && cfg.Transform != forecast.TransformLog && cfg.Transform != forecast.TransformAuto {
		return forecast.Config{}, usagef("--transform must be none, log or auto, got %q", cfg.Transform)
	}
	if cfg.Fallback != forecast.FallbackNone && cfg.Fallback != forecast.FallbackSeasonalNaive && cfg.Fallback != forecast.FallbackAuto {
		return forecast.Config{}, usagef("--fallback must be auto, snaive or none, got %q", cfg.Fallback)
	}
	levels, err := parseLevels(c.String("level"))
	if err != nil {
		return forecast.Config{}, err
	}
	cfg.Levels = levels
	return cfg, nil
}

// parseLevels reads "80,95" as the levels 0.8 and 0.95; "" is none.
func parseLevels(s string) ([]float64, error) {
	levels := []float64{}
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSuffix(f, "%"), 64)
		if err != nil || !(v > 0 && v < 100) {
			return nil, usagef("--level %q: each level is a percentage between 0 and 100", s)
		}
		levels = append(levels, v/100)
	}
	return levels, nil
}

// levelName prints an interval level as a percentage: 0.8 is "80%".
func levelName(a float64) string {
	return fmt.Sprintf("%g%%", a*100)
}

// formatTimes prints times for one column: each with the parts that are
// zero in all of them left out, so that a column reads evenly.
func formatTimes(times []time.Time) []string {
	layout := "2006-01-02"
	for _, t := range times {
		switch {
		case t.Nanosecond() != 0:
			layout = time.RFC3339Nano
		case t.Second() != 0 && layout != time.RFC3339Nano:
			layout = "2006-01-02 15:04:05"
		case (t.Hour() != 0 || t.Minute() != 0) && layout == "2006-01-02":
			layout = "2006-01-02 15:04"
		}
	}
	out := make([]string, len(times))
	for i, t := range times {
		if !t.IsZero() {
			out[i] = t.Format(layout)
		}
	}
	return out
}

// printCoverage prints, per interval level, the share of test values inside
// the forecast's intervals, or that the interval is unbounded at some steps
// of the forecast pts (too little history to calibrate it).
func printCoverage(w io.Writer, levels []float64, coverage []float64, pts []forecast.Point) {
	for i, a := range levels {
		if i >= len(coverage) {
			break
		}
		unbounded := 0
		for _, p := range pts {
			if i < len(p.Intervals) && (math.IsInf(p.Intervals[i].Lower, 0) || math.IsInf(p.Intervals[i].Upper, 0)) {
				unbounded++
			}
		}
		if unbounded > 0 {
			fmt.Fprintf(w, "%s interval: unbounded at %d of %d steps (too few validation windows for this level)\n", levelName(a), unbounded, len(pts))
			continue
		}
		fmt.Fprintf(w, "%s interval: %.1f%% of test values inside\n", levelName(a), 100*coverage[i])
	}
}
