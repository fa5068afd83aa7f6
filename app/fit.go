package app

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/ingest"
	"github.com/forecast-dev/forecast/store"
	"github.com/urfave/cli/v2"
)

func (a *App) fitCommand() *cli.Command {
	return &cli.Command{
		Name:      "fit",
		Usage:     "train a GRU on a CSV series, score it against baselines, forecast and store it",
		ArgsUsage: "FILE.csv",
		Description: `Reads FILE.csv ("-" for standard input), splits the target series 70/10/20 into
train, validation and test parts, trains a stacked GRU with early stopping,
prints its test metrics beside the naive and seasonal naive forecasts,
forecasts the --horizon steps after the last row and stores the model version
and its forecasts in the database, all in one transaction.`,
		Flags: append(sourceFlags(),
			&cli.IntFlag{Name: "horizon", Aliases: []string{"H"}, Usage: "steps to forecast", Value: 24},
			&cli.IntFlag{Name: "lookback", Aliases: []string{"L"}, Usage: "input window length", Value: 48},
			&cli.IntFlag{Name: "layers", Usage: "stacked GRU layers", Value: 2},
			&cli.IntFlag{Name: "hidden", Usage: "hidden units per layer", Value: 64},
			&cli.IntFlag{Name: "epochs", Usage: "maximum training epochs", Value: 30},
			&cli.IntFlag{Name: "patience", Usage: "stop after this many epochs without a better validation loss", Value: 5},
			&cli.IntFlag{Name: "batch", Usage: "minibatch size", Value: 32},
			&cli.Float64Flag{Name: "lr", Usage: "Adam learning rate", Value: 1e-3},
			&cli.Float64Flag{Name: "clip", Usage: "gradient-norm clip (0: none)", Value: 1},
			&cli.IntFlag{Name: "season", Aliases: []string{"m"}, Usage: "season length for seasonal naive and MASE", Value: 1},
			&cli.Uint64Flag{Name: "seed", Usage: "random seed of weights and minibatch order", Value: 0},
			&cli.StringFlag{Name: "name", Usage: "model name (default: the file name without extension)"},
			dbFlag,
		),
		Action: action(a.fit),
	}
}

// fitReport is what the fit command stores as the version's metrics.
type fitReport struct {
	Test      forecast.Scores `json:"test"`
	MASEScale float64         `json:"mase_scale"`
	BestEpoch int             `json:"best_epoch"`
	Epochs    int             `json:"epochs_run"`
	ValLoss   float64         `json:"best_val_mse_scaled"`
	History   []epochRecord   `json:"history"`
	Windows   map[string]int  `json:"windows"`
	Seconds   float64         `json:"train_seconds"`
}

type epochRecord struct {
	Epoch     int     `json:"epoch"`
	TrainLoss float64 `json:"train_mse"`
	ValLoss   float64 `json:"val_mse"`
}

func (a *App) fit(c *cli.Context) error {
	if c.NArg() != 1 {
		return usagef("fit needs exactly one data file, got %d arguments", c.NArg())
	}
	path := c.Args().First()
	cfg := forecast.Config{
		Lookback: c.Int("lookback"), Horizon: c.Int("horizon"), Layers: c.Int("layers"),
		Hidden: c.Int("hidden"), Epochs: c.Int("epochs"), Patience: c.Int("patience"),
		Batch: c.Int("batch"), LR: c.Float64("lr"), ClipNorm: c.Float64("clip"),
		Season: c.Int("season"), Seed: c.Uint64("seed"),
	}
	if cfg.ClipNorm == 0 {
		cfg.ClipNorm = -1 // the flag's 0 means no clipping
	}
	if err := checkFitFlags(c); err != nil {
		return err
	}
	name := c.String("name")
	if name == "" {
		name = defaultModelName(path)
	}

	series, err := a.loadSeries(c, path)
	if err != nil {
		return err
	}
	// Open the database before training, so that a bad --db fails at once.
	db, err := openDB(c)
	if err != nil {
		return err
	}
	defer db.Close()

	w := a.Stdout
	fmt.Fprintf(w, "data: %s\n", describeSeries(path, series))
	sp, err := forecast.NewSplit(len(series.Values), cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "split: train %d, validation %d, test %d values; %d, %d, %d windows\n",
		sp.Train, sp.Val, sp.Test, sp.TrainWindows, sp.ValWindows, sp.TestWindows)
	fmt.Fprintf(w, "model: GRU %d x %d, lookback %d, horizon %d, seed %d\n",
		cfg.Layers, cfg.Hidden, cfg.Lookback, cfg.Horizon, cfg.Seed)
	start := time.Now()
	var res *forecast.Result
	res, err = forecast.Fit(c.Context, series, cfg, func(st forecast.EpochStats) {
		mark := " "
		if st.Best {
			mark = "*"
		}
		fmt.Fprintf(a.Stderr, "epoch %3d/%d  train %.5f  val %.5f %s %6.1fs\n",
			st.Epoch, cfg.Epochs, st.TrainLoss, st.ValLoss, mark, st.Elapsed.Seconds())
	})
	if err != nil {
		return err
	}
	trainSeconds := time.Since(start).Seconds()
	best := res.History[res.BestEpoch-1]
	fmt.Fprintf(w, "training: %d epochs in %.1fs; best epoch %d (validation MSE %.5f), its weights kept\n\n",
		len(res.History), trainSeconds, res.BestEpoch, best.ValLoss)
	printScores(w, res)
	fmt.Fprintln(w)
	printForecast(w, c.String("target"), res)

	mv, fcs, err := modelVersion(name, path, c.String("target"), series, res, trainSeconds)
	if err != nil {
		return err
	}
	runID, err := db.SaveFit(c.Context, start, mv, fcs)
	if err != nil {
		return storageError{fmt.Errorf("store the model: %w", err)}
	}
	fmt.Fprintf(w, "\nstored model %s@%d (run %d) in %s\n", mv.Name, mv.Version, runID, c.String("db"))
	return nil
}

// checkFitFlags rejects flag values out of range with the flag's name.
func checkFitFlags(c *cli.Context) error {
	for _, f := range []string{"horizon", "lookback", "layers", "hidden", "epochs", "patience", "batch", "season"} {
		if v := c.Int(f); v < 1 {
			return usagef("--%s must be at least 1, got %d", f, v)
		}
	}
	if lr := c.Float64("lr"); !(lr > 0) {
		return usagef("--lr must be positive, got %g", lr)
	}
	if clip := c.Float64("clip"); clip < 0 {
		return usagef("--clip must be 0 (none) or positive, got %g", clip)
	}
	return nil
}

// formatTime prints a time without the parts that are zero.
func formatTime(t time.Time) string {
	switch {
	case t.IsZero():
		return ""
	case t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0:
		return t.Format("2006-01-02")
	case t.Second() == 0 && t.Nanosecond() == 0:
		return t.Format("2006-01-02 15:04")
	}
	return t.Format(time.RFC3339Nano)
}

func printScores(w io.Writer, res *forecast.Result) {
	fmt.Fprintf(w, "test metrics over %d windows x %d steps (MASE with season %d):\n",
		res.Split.TestWindows, res.Config.Horizon, res.Config.Season)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "model\tMAE\tRMSE\tsMAPE\tMASE\tMSE(z)\tMAE(z)\t")
	for _, r := range []struct {
		name string
		m    forecast.Metrics
	}{{"GRU", res.Test.GRU}, {"naive", res.Test.Naive}, {"seasonal naive", res.Test.SeasonalNaive}} {
		fmt.Fprintf(tw, "%s\t%.4f\t%.4f\t%.3f\t%.4f\t%.4f\t%.4f\t\n", r.name, r.m.MAE, r.m.RMSE, r.m.SMAPE, r.m.MASE, r.m.MSEScaled, r.m.MAEScaled)
	}
	tw.Flush()
}

func printForecast(w io.Writer, target string, res *forecast.Result) {
	if res.Origin.IsZero() {
		fmt.Fprintf(w, "forecast of %s after the last row:\n", target)
	} else {
		fmt.Fprintf(w, "forecast of %s after %s:\n", target, formatTime(res.Origin))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "step\ttime\tvalue\t")
	for _, p := range res.Forecast {
		fmt.Fprintf(tw, "%d\t%s\t%.6g\t\n", p.Step, formatTime(p.Time), p.Value)
	}
	tw.Flush()
}

// modelVersion turns a fit result into the store's records.
func modelVersion(name, path, target string, s *ingest.Series, res *forecast.Result, seconds float64) (*store.ModelVersion, []store.Forecast, error) {
	weights, err := res.Model.MarshalBinary()
	if err != nil {
		return nil, nil, err
	}
	report := fitReport{
		Test: res.Test, MASEScale: res.MASEScale, BestEpoch: res.BestEpoch,
		Epochs: len(res.History), ValLoss: res.History[res.BestEpoch-1].ValLoss,
		Windows: map[string]int{"train": res.Split.TrainWindows, "validation": res.Split.ValWindows, "test": res.Split.TestWindows},
		Seconds: seconds,
	}
	for _, h := range res.History {
		report.History = append(report.History, epochRecord{h.Epoch, h.TrainLoss, h.ValLoss})
	}
	params := map[string]any{
		"target": target, "lookback": res.Config.Lookback, "horizon": res.Config.Horizon,
		"layers": res.Config.Layers, "hidden": res.Config.Hidden, "epochs": res.Config.Epochs,
		"patience": res.Config.Patience, "batch": res.Config.Batch, "lr": res.Config.LR,
		"clip": max(res.Config.ClipNorm, 0), "season": res.Config.Season, "seed": res.Config.Seed,
		"protocol": "v1",
	}
	mv := &store.ModelVersion{Name: name, DataSource: path, DataFingerprint: forecast.Fingerprint(s), DataRows: len(s.Values), Weights: weights}
	for _, f := range []struct {
		dst *string
		v   any
	}{{&mv.Params, params}, {&mv.Scaler, res.Scaler}, {&mv.Metrics, report}, {&mv.Export, res.Export(target)}} {
		b, err := json.Marshal(f.v)
		if err != nil {
			return nil, nil, err
		}
		*f.dst = string(b)
	}
	fcs := make([]store.Forecast, len(res.Forecast))
	for i, p := range res.Forecast {
		fcs[i] = store.Forecast{Series: target, Origin: res.Origin, Time: p.Time, Step: p.Step, Value: p.Value}
	}
	return mv, fcs, nil
}
