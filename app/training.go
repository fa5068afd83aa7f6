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

// trainingSettings are the values of the training flags: fit reads them
// from its command line (trainingFlagValues), batch from a job's
// [job.settings] (the toml tags), and config checks them for both.
type trainingSettings struct {
	Horizon         flagInt   `toml:"horizon"`
	Lookback        flagText  `toml:"lookback"`
	Layers          flagInt   `toml:"layers"`
	Hidden          flagInt   `toml:"hidden"`
	Epochs          flagInt   `toml:"epochs"`
	Patience        flagInt   `toml:"patience"`
	Batch           flagInt   `toml:"batch"`
	LR              flagFloat `toml:"lr"`
	Clip            flagFloat `toml:"clip"`
	Season          flagText  `toml:"season"`
	Seed            flagSeed  `toml:"seed"`
	Protocol        flagText  `toml:"protocol"`
	WindowNorm      flagText  `toml:"window-norm"`
	Calendar        flagBool  `toml:"calendar"`
	Level           flagText  `toml:"level"`
	WindowsPerEpoch flagInt   `toml:"windows-per-epoch"`
	Transform       flagText  `toml:"transform"`
	Fallback        flagText  `toml:"fallback"`
	Ensemble        flagText  `toml:"ensemble"`
}

// defaultTraining holds the defaults of the training flags.
var defaultTraining = trainingSettings{
	Horizon: 24, Lookback: "auto", Layers: 2, Hidden: 64, Epochs: 30, Patience: 5, Batch: 32,
	LR: 1e-3, Clip: 1, Season: "auto", Seed: 0, Protocol: "v1", WindowNorm: "auto", Level: "80,95",
	Transform: "auto", Fallback: "auto", Ensemble: "auto",
}

// trainingFlags are the model and training flags of the commands that train
// (fit, backtest).
func trainingFlags() []cli.Flag {
	d := defaultTraining
	return []cli.Flag{
		&cli.IntFlag{Name: "horizon", Aliases: []string{"H"}, Usage: "steps to forecast", Value: int(d.Horizon)},
		&cli.StringFlag{Name: "lookback", Aliases: []string{"L"}, Usage: "input window length, or auto: three seasons or two horizons, whichever is longer, cut to what the series' train part affords", Value: string(d.Lookback)},
		&cli.IntFlag{Name: "layers", Usage: "stacked GRU layers", Value: int(d.Layers)},
		&cli.IntFlag{Name: "hidden", Usage: "hidden units per layer", Value: int(d.Hidden)},
		&cli.IntFlag{Name: "epochs", Usage: "maximum training epochs", Value: int(d.Epochs)},
		&cli.IntFlag{Name: "patience", Usage: "stop after this many epochs without a better validation loss", Value: int(d.Patience)},
		&cli.IntFlag{Name: "batch", Usage: "minibatch size", Value: int(d.Batch)},
		&cli.Float64Flag{Name: "lr", Usage: "Adam learning rate", Value: float64(d.LR)},
		&cli.Float64Flag{Name: "clip", Usage: "gradient-norm clip (0: none)", Value: float64(d.Clip)},
		&cli.StringFlag{Name: "season", Aliases: []string{"m"}, Usage: "season length for seasonal naive, MASE and the classical models (1: none), or auto: from the frequency (monthly 12, quarterly 4, weekly 52, daily 7, hourly 24), confirmed by the autocorrelation", Value: string(d.Season)},
		&cli.Uint64Flag{Name: "seed", Usage: "random seed of weights and minibatch order", Value: uint64(d.Seed)},
		&cli.StringFlag{Name: "protocol", Usage: "train/validation/test split: v1 (70/10/20), ett (ETT benchmark rows), holdout (the last horizon tests, the one before validates) or m4 (holdout, as the M4 competition)", Value: string(d.Protocol)},
		&cli.StringFlag{Name: "window-norm", Usage: "per-window normalisation: none, last (subtract the window's last value), mean (its mean) or season (inputs less the last value, outputs relative to the seasonal naive forecast; needs --lookback ≥ --season), or auto (the ones that suit the data, keeping the best on validation)", Value: string(d.WindowNorm)},
		&cli.BoolFlag{Name: "calendar", Usage: "add calendar features of the timestamps (hour of day, day of week, day of year, month) as inputs", Value: bool(d.Calendar)},
		&cli.StringFlag{Name: "level", Usage: "prediction interval levels in percent, comma-separated (\"\" for none)", Value: string(d.Level)},
		&cli.IntFlag{Name: "windows-per-epoch", Usage: "train windows drawn per epoch (0: all of them up to 16384, a fresh sample each epoch)", Value: int(d.WindowsPerEpoch)},
		&cli.StringFlag{Name: "transform", Usage: "transform of the target before scaling: none, log (positive series whose swings grow with their level) or auto (both where the series is positive, keeping the better on validation)", Value: string(d.Transform)},
		&cli.StringFlag{Name: "fallback", Usage: "what may forecast a series instead of the GRU, chosen on validation: auto (exponential smoothing, the Theta method or seasonal naive, whichever forecasts it best), snaive (seasonal naive only) or none (the GRU always)", Value: string(d.Fallback)},
		&cli.StringFlag{Name: "ensemble", Usage: "train this many members (seeds --seed, --seed+1, …) and forecast their mean, or auto: 3 where the data are small, else 1", Value: string(d.Ensemble)},
	}
}

// trainingFlagValues reads the flags of trainingFlags.
func trainingFlagValues(c *cli.Context) trainingSettings {
	return trainingSettings{
		Horizon: flagInt(c.Int("horizon")), Lookback: flagText(c.String("lookback")),
		Layers: flagInt(c.Int("layers")), Hidden: flagInt(c.Int("hidden")),
		Epochs: flagInt(c.Int("epochs")), Patience: flagInt(c.Int("patience")),
		Batch: flagInt(c.Int("batch")), LR: flagFloat(c.Float64("lr")), Clip: flagFloat(c.Float64("clip")),
		Season: flagText(c.String("season")), Seed: flagSeed(c.Uint64("seed")),
		Protocol: flagText(c.String("protocol")), WindowNorm: flagText(c.String("window-norm")),
		Calendar: flagBool(c.Bool("calendar")), Level: flagText(c.String("level")),
		WindowsPerEpoch: flagInt(c.Int("windows-per-epoch")), Transform: flagText(c.String("transform")),
		Fallback: flagText(c.String("fallback")), Ensemble: flagText(c.String("ensemble")),
	}
}

// autoInt reads the value v of the flag name, which takes a number from 1
// up or "auto" (0).
func autoInt(name string, v flagText) (int, error) {
	s := strings.TrimSpace(string(v))
	if s == "auto" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, usagef("--%s must be auto or a whole number from 1 up, got %q", name, s)
	}
	return n, nil
}

// trainingConfig reads the flags of trainingFlags, rejecting values out of
// range with the flag's name.
func trainingConfig(c *cli.Context) (forecast.Config, error) {
	return trainingFlagValues(c).config()
}

// config checks the training settings s and turns them into the
// pipeline's configuration, rejecting values out of range with the flag's
// name.
func (s trainingSettings) config() (forecast.Config, error) {
	for _, f := range []struct {
		name string
		v    flagInt
	}{{"horizon", s.Horizon}, {"layers", s.Layers}, {"hidden", s.Hidden}, {"epochs", s.Epochs}, {"patience", s.Patience}, {"batch", s.Batch}} {
		if f.v < 1 {
			return forecast.Config{}, usagef("--%s must be at least 1, got %d", f.name, f.v)
		}
	}
	var autos [3]int
	for i, f := range []struct {
		name string
		v    flagText
	}{{"lookback", s.Lookback}, {"season", s.Season}, {"ensemble", s.Ensemble}} {
		v, err := autoInt(f.name, f.v)
		if err != nil {
			return forecast.Config{}, err
		}
		autos[i] = v
	}
	if !(s.LR > 0) {
		return forecast.Config{}, usagef("--lr must be positive, got %g", s.LR)
	}
	if s.Clip < 0 {
		return forecast.Config{}, usagef("--clip must be 0 (none) or positive, got %g", s.Clip)
	}
	if s.WindowsPerEpoch < 0 {
		return forecast.Config{}, usagef("--windows-per-epoch must be 0 (all up to 16384) or positive, got %d", s.WindowsPerEpoch)
	}
	cfg := forecast.Config{
		Lookback: autos[0], Horizon: int(s.Horizon), Layers: int(s.Layers),
		Hidden: int(s.Hidden), Epochs: int(s.Epochs), Patience: int(s.Patience),
		Batch: int(s.Batch), LR: float64(s.LR), ClipNorm: float64(s.Clip),
		Season: autos[1], Seed: uint64(s.Seed),
		Protocol:        forecast.Protocol(s.Protocol),
		WindowNorm:      forecast.WindowNorm(s.WindowNorm),
		Calendar:        bool(s.Calendar),
		WindowsPerEpoch: int(s.WindowsPerEpoch),
		Ensemble:        autos[2],
		Transform:       forecast.Transform(s.Transform),
		Fallback:        forecast.Fallback(s.Fallback),
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
	levels, err := parseLevels(string(s.Level))
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
