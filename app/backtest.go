package app

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/forecast-dev/forecast/app/plot"
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
MSE/MAE of the GRU, naive, seasonal naive and drift forecasts, and the
empirical coverage of the GRU's prediction intervals. Nothing is stored.`,
		Flags: append(append(sourceFlags(), trainingFlags()...), seriesIDFlag,
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
	if err := src.CheckSeriesID(len(ds.Series)); err != nil {
		return err
	}
	for _, s := range ds.Series {
		s.ID = src.StoredID(s) // as fit would store it
	}
	for i, s := range ds.Series {
		if i == 5 {
			fmt.Fprintf(a.Stderr, "data: … %d more series\n", len(ds.Series)-5)
			break
		}
		fmt.Fprintf(a.Stderr, "data: %s\n", describeSeries(path, s))
	}
	res, err := forecast.Backtest(c.Context, ds.Series, cfg, bt, a.epochPrinter(cfg))
	if err != nil {
		return err
	}
	cfg = res.Model.Config // the settings chosen from the data, of the last fold's model with --refit
	if out := c.String("plot"); out != "" {
		first := ds.Series[0]
		if err := plot.Backtest("backtest of "+seriesName(first), first, cfg.Lookback, res.Folds).Save(out); err != nil {
			return err
		}
		fmt.Fprintf(a.Stderr, "plot: %s\n", out)
	}
	switch format {
	case "json":
		return writeBacktestJSON(a.Stdout, res, cfg)
	case "csv":
		return writeBacktestCSV(a.Stdout, res)
	}
	writeBacktestTable(a.Stdout, res, cfg)
	return nil
}

// epochPrinter returns the progress callback that prints one line per epoch
// to standard error, naming the member when cfg trains an ensemble.
func (a *App) epochPrinter(cfg forecast.Config) func(forecast.EpochStats) {
	return func(st forecast.EpochStats) {
		mark := " "
		if st.Best {
			mark = "*"
		}
		member := ""
		if cfg.Ensemble > 1 {
			member = fmt.Sprintf("member %d/%d  ", st.Member+1, cfg.Ensemble)
		}
		fmt.Fprintf(a.Stderr, "%sepoch %3d/%d  train %.5f  val %.5f %s %6.1fs\n",
			member, st.Epoch, cfg.Epochs, st.TrainLoss, st.ValLoss, mark, st.Elapsed.Seconds())
	}
}

// maxFoldRows is how many folds the table lists one by one; csv and json
// list them all.
const maxFoldRows = 20

func writeBacktestTable(w io.Writer, res *forecast.BacktestResult, cfg forecast.Config) {
	if n := len(res.Folds); n <= maxFoldRows {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "series\torigin\tforecast by\tforecast MAE\tGRU MAE\tnaive MAE\tseasonal naive MAE\tdrift MAE\t")
		for _, f := range res.Folds {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t\n", f.Series, foldOrigin(f), f.Method, f.Scores.Selected.MAE, f.Scores.GRU.MAE, f.Scores.Naive.MAE, f.Scores.SeasonalNaive.MAE, f.Scores.Drift.MAE)
		}
		tw.Flush()
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "overall, %d folds of %d steps (MASE with season %d):\n", len(res.Folds), cfg.Horizon, cfg.Season)
	printScoreTable(w, res.Overall, true)
	if cfg.Protocol == forecast.ProtocolM4 {
		fmt.Fprintf(w, "OWA against M4 Hourly's Naive2 (sMAPE %.3f, MASE %.3f): forecast %.4f, GRU %.4f, naive %.4f, seasonal naive %.4f\n",
			forecast.M4HourlyNaive2SMAPE, forecast.M4HourlyNaive2MASE, forecast.OWA(res.Overall.Selected), forecast.OWA(res.Overall.GRU),
			forecast.OWA(res.Overall.Naive), forecast.OWA(res.Overall.SeasonalNaive))
	}
	last := res.Folds[len(res.Folds)-1]
	printCoverage(w, cfg.Levels, res.Overall.Coverage, last.Forecast)
}

// printScoreTable prints the metrics of the GRU and the baselines, drift
// included when withDrift is set.
func printScoreTable(w io.Writer, s forecast.Scores, withDrift bool) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "model\tMAE\tRMSE\tsMAPE\tMASE\tMSE(z)\tMAE(z)\t")
	rows := []struct {
		name string
		m    forecast.Metrics
	}{{"forecast", s.Selected}, {"GRU", s.GRU}, {"naive", s.Naive}, {"seasonal naive", s.SeasonalNaive}}
	if withDrift {
		rows = append(rows, struct {
			name string
			m    forecast.Metrics
		}{"drift", s.Drift})
	}
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%.4f\t%.4f\t%.3f\t%.4f\t%.4f\t%.4f\t\n", r.name, r.m.MAE, r.m.RMSE, r.m.SMAPE, r.m.MASE, r.m.MSEScaled, r.m.MAEScaled)
	}
	tw.Flush()
}

// foldOrigin names a fold's origin: the time of its last observation, or
// its index when the series has no times.
func foldOrigin(f forecast.Fold) string {
	if f.Time.IsZero() {
		return "#" + strconv.Itoa(f.Origin)
	}
	return formatTime(f.Time)
}

// backtestRecord is one fold (or the overall result) in csv and json.
type backtestRecord struct {
	Series     string               `json:"series"`
	Origin     string               `json:"origin"`
	Index      int                  `json:"origin_index"`
	Method     string               `json:"method"`
	Candidates []forecast.Candidate `json:"candidates,omitempty"`
	Scores     forecast.Scores      `json:"scores"`
	Forecast   []float64            `json:"forecast,omitempty"`
	Actual     []float64            `json:"actual,omitempty"`
}

func writeBacktestJSON(w io.Writer, res *forecast.BacktestResult, cfg forecast.Config) error {
	out := struct {
		Horizon int              `json:"horizon"`
		Season  int              `json:"season"`
		Levels  []float64        `json:"levels"`
		Overall forecast.Scores  `json:"overall"`
		Folds   []backtestRecord `json:"folds"`
	}{cfg.Horizon, cfg.Season, res.Model.Calibration.Levels, res.Overall, nil}
	for _, f := range res.Folds {
		r := backtestRecord{Series: f.Series, Origin: rfc3339(f.Time), Index: f.Origin, Method: f.Method, Candidates: f.Candidates, Scores: f.Scores, Actual: f.Actual}
		for _, p := range f.Forecast {
			r.Forecast = append(r.Forecast, p.Value)
		}
		out.Folds = append(out.Folds, r)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func writeBacktestCSV(w io.Writer, res *forecast.BacktestResult) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"series", "origin", "origin_index", "model", "mae", "rmse", "smape", "mase", "mse_scaled", "mae_scaled"})
	row := func(series, origin, index, model string, m forecast.Metrics) {
		f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
		cw.Write([]string{series, origin, index, model, f(m.MAE), f(m.RMSE), f(m.SMAPE), f(m.MASE), f(m.MSEScaled), f(m.MAEScaled)})
	}
	emit := func(series, origin, index string, s forecast.Scores) {
		row(series, origin, index, "forecast", s.Selected)
		row(series, origin, index, "gru", s.GRU)
		row(series, origin, index, "naive", s.Naive)
		row(series, origin, index, "seasonal_naive", s.SeasonalNaive)
		row(series, origin, index, "drift", s.Drift)
	}
	for _, f := range res.Folds {
		emit(f.Series, rfc3339(f.Time), strconv.Itoa(f.Origin), f.Scores)
	}
	emit("", "", "", res.Overall)
	cw.Flush()
	return cw.Error()
}
