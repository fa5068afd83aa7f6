package app

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/forecast-dev/forecast/app/plot"
	"github.com/forecast-dev/forecast/app/render"
	"github.com/forecast-dev/forecast/forecast"
	"github.com/urfave/cli/v2"
)

func (a *App) backtestCommand() *cli.Command {
	return &cli.Command{
		Name:      "backtest",
		Usage:     "evaluate the GRU and the baselines at rolling forecast origins",
		ArgsUsage: "FILE",
		Description: `Reads the series of FILE ("-" for standard input, or --sqlite), trains a GRU on
them under --protocol and forecasts --horizon steps from rolling origins in
the test part: every origin (stride 1) by default, --folds K origins --stride
S apart (S defaults to the horizon), the last leaving exactly one horizon of
data. With --refit a model is trained for every fold on the data before its
origin. Prints per-fold and overall MAE, RMSE, sMAPE, MASE and the scaled
MSE/MAE of the forecast, the GRU, naive, seasonal naive and drift, and the
empirical coverage of the forecast's prediction intervals (--format json
gives each fold's forecast with its intervals). Nothing is stored.`,
		Flags: append(append(sourceFlags(), trainingFlags()...), seriesIDFlag, sourceNameFlag,
			&cli.IntFlag{Name: "folds", Usage: "number of forecast origins per series (0: every origin the stride allows)"},
			&cli.IntFlag{Name: "stride", Usage: "steps between origins (default: 1 without --folds, the horizon with it)"},
			&cli.BoolFlag{Name: "refit", Usage: "train a model for every fold on the data before its origin"},
			&cli.StringFlag{Name: "test-file", Usage: "a file of test values, read with the same flags, appended to each series of FILE with the same id (the M4 competition ships its test values apart)"},
			&cli.StringFlag{Name: "format", Usage: "table, csv or json", Value: "table"},
			plotFlag,
		),
		Action: action(a.backtest),
	}
}

func (a *App) backtest(c *cli.Context) error {
	cfg, err := trainingConfig(c)
	if err != nil {
		return err
	}
	if err := checkPlotFlag(c); err != nil {
		return err
	}
	format := c.String("format")
	if format != "table" && format != "csv" && format != "json" {
		return usagef("--format must be table, csv or json, got %q", format)
	}
	bt := forecast.BacktestConfig{Folds: c.Int("folds"), Stride: c.Int("stride"), Refit: c.Bool("refit")}
	if bt.Folds < 0 || bt.Stride < 0 {
		return usagef("--folds and --stride must not be negative")
	}
	path, err := sourcePath(c)
	if err != nil {
		return err
	}
	src, err := a.source(c, path)
	if err != nil {
		return err
	}
	ds, err := src.Load(c.Context)
	if err != nil {
		return err
	}
	if tf := c.String("test-file"); tf != "" {
		testSrc := src
		testSrc.Path = tf
		test, err := testSrc.Load(c.Context)
		if err != nil {
			return err
		}
		if err := ds.AppendFrom(test, "--test-file "+tf); err != nil {
			return err
		}
	}
	series, err := src.Select(ds)
	if err != nil {
		return err
	}
	if err := src.CheckSeriesID(len(series)); err != nil {
		return err
	}
	for _, s := range series {
		s.ID = src.StoredID(s) // as fit would store it
	}
	// Of several series, those that repeat themselves exactly (a closed
	// shop's zeros), which seasonal naive forecasts without error, have
	// nothing to backtest; the others are backtested without them.
	if varying := slices.DeleteFunc(slices.Clone(series), cfg.Repeating); len(varying) > 0 && len(varying) < len(series) {
		for _, s := range series {
			if cfg.Repeating(s) {
				fmt.Fprintf(a.Stderr, "note: %s: left out, series %q repeats itself exactly: seasonal naive forecasts it without error, there is nothing to backtest\n", path, seriesName(s))
			}
		}
		series = varying
	}
	render.Data(a.Stderr, path, series)
	res, err := forecast.Backtest(c.Context, series, cfg, bt, render.EpochPrinter(a.Stderr, cfg))
	if err != nil {
		return inFile(path, err)
	}
	cfg = res.Model.Config // the settings chosen from the data, of the last fold's model with --refit
	if asked := bt.Folds * len(series); bt.Folds > 0 && len(res.Folds) < asked {
		stride := cmp.Or(bt.Stride, cfg.Horizon)
		if bt.Refit {
			fmt.Fprintf(a.Stderr, "note: %d of the %d folds asked for (--folds %d) fit, %d steps apart, with data enough to refit before each; a smaller --stride gives more\n",
				len(res.Folds), asked, bt.Folds, stride)
		} else {
			fmt.Fprintf(a.Stderr, "note: %d of the %d folds asked for (--folds %d) fit in the test part, %d steps apart; a smaller --stride, or --refit (which refits before each origin), gives more\n",
				len(res.Folds), asked, bt.Folds, stride)
		}
	}
	if out := c.String("plot"); out != "" {
		first := series[0]
		if err := plot.Backtest("backtest of "+seriesName(first), first, cfg.Lookback, res.Folds).Save(out); err != nil {
			return err
		}
		fmt.Fprintf(a.Stderr, "plot: %s%s\n", out, plottedOf(first, len(series)))
	}
	switch format {
	case "json":
		return render.BacktestJSON(a.Stdout, res, cfg)
	case "csv":
		return render.BacktestCSV(a.Stdout, res)
	}
	render.BacktestTable(a.Stdout, res, cfg)
	return nil
}
