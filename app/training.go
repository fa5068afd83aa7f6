package app

import (
	"github.com/forecast-dev/forecast/app/pipeline"
	"github.com/forecast-dev/forecast/forecast"
	"github.com/urfave/cli/v2"
)

// trainingFlags are the model and training flags of the commands that train
// (fit, backtest).
func trainingFlags() []cli.Flag {
	d := pipeline.DefaultTraining
	return []cli.Flag{
		&cli.StringFlag{Name: "horizon", Aliases: []string{"H"}, Usage: "steps to forecast, or auto: from the frequency as the M4 competition asked (yearly 6, quarterly 8, monthly 18, weekly 13, daily 14, hourly 48), a day of steps under an hour (at most 96); else 24; at most a third of the series", Value: string(d.Horizon)},
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
		&cli.StringFlag{Name: "fallback", Usage: "what may forecast a series instead of the GRU alone: auto (the mean of the GRU, ETS and the seasonal mean with drift, for hourly data the median of the GRU, ETS, Theta, ARIMA and the weekly seasonal means, unless the GRU, ETS, Theta, ARIMA, seasonal naive or a seasonal mean, daily or weekly, beats it clearly on validation; a series of a season under 7 steps and under 200 values gets the classical methods alone (whose mean a baseline never replaces), an intermittent one without a season (mostly zeros) Croston's method in place of the seasonal mean, and a constant one seasonal naive), snaive (the GRU or seasonal naive, whichever forecasts validation best) or none (the GRU always)", Value: string(d.Fallback)},
		&cli.StringFlag{Name: "ensemble", Usage: "train this many members (seeds --seed, --seed+1, …) and forecast their mean, or auto: 3 where the data are small, else 1", Value: string(d.Ensemble)},
	}
}

// trainingFlagValues reads the flags of trainingFlags.
func trainingFlagValues(c *cli.Context) pipeline.TrainingSettings {
	return pipeline.TrainingSettings{
		Horizon: pipeline.FlagText(c.String("horizon")), Lookback: pipeline.FlagText(c.String("lookback")),
		Layers: pipeline.FlagInt(c.Int("layers")), Hidden: pipeline.FlagInt(c.Int("hidden")),
		Epochs: pipeline.FlagInt(c.Int("epochs")), Patience: pipeline.FlagInt(c.Int("patience")),
		Batch: pipeline.FlagInt(c.Int("batch")), LR: pipeline.FlagFloat(c.Float64("lr")), Clip: pipeline.FlagFloat(c.Float64("clip")),
		Season: pipeline.FlagText(c.String("season")), Seed: pipeline.FlagSeed(c.Uint64("seed")),
		Protocol: pipeline.FlagText(c.String("protocol")), WindowNorm: pipeline.FlagText(c.String("window-norm")),
		Calendar: pipeline.FlagBool(c.Bool("calendar")), Level: pipeline.FlagText(c.String("level")),
		WindowsPerEpoch: pipeline.FlagInt(c.Int("windows-per-epoch")), Transform: pipeline.FlagText(c.String("transform")),
		Fallback: pipeline.FlagText(c.String("fallback")), Ensemble: pipeline.FlagText(c.String("ensemble")),
	}
}

// trainingConfig reads the flags of trainingFlags, rejecting values out of
// range with the flag's name.
func trainingConfig(c *cli.Context) (forecast.Config, error) {
	return trainingFlagValues(c).Config()
}
