package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/ingest"
)

func main() {
	data := flag.String("data", "testdata/data", "folder of the public datasets")
	only := flag.String("only", "", "run only the cases whose name contains this")
	verbose := flag.Bool("v", false, "print training progress")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *data, *only, *verbose); err != nil {
		fmt.Fprintln(os.Stderr, "eval:", err)
		os.Exit(1)
	}
}

// row is one line of the table.
type row struct {
	dataset, horizon, metric string
	selected, gru            float64 // the forecast the defaults give, and the GRU's alone
	naive, snaive            float64
	published                string
}

// evalCase is one dataset under one protocol.
type evalCase struct {
	name   string
	series func(dir string) ([]*ingest.Series, error)
	cfg    forecast.Config
	rows   func(forecast.Scores) []row
}

func run(ctx context.Context, w io.Writer, dir, only string, verbose bool) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "dataset\thorizon\tmetric\tforecast\tGRU\tnaive\tseasonal naive\tpublished\tseconds")
	var notes []string
	for _, c := range cases() {
		if only != "" && !contains(c.name, only) {
			continue
		}
		series, err := c.series(dir)
		if err != nil {
			return fmt.Errorf("%s: %w", c.name, err)
		}
		start := time.Now()
		var progress func(forecast.EpochStats)
		if verbose {
			progress = func(st forecast.EpochStats) {
				fmt.Fprintf(os.Stderr, "%s: epoch %d train %.5f val %.5f %.1fs\n", c.name, st.Epoch, st.TrainLoss, st.ValLoss, st.Elapsed.Seconds())
			}
		}
		res, err := forecast.FitMany(ctx, series, c.cfg, progress)
		if err != nil {
			return fmt.Errorf("%s: %w", c.name, err)
		}
		secs := time.Since(start).Seconds()
		if len(res.Series) > 1 {
			notes = append(notes, fmt.Sprintf("%s: series by method: %s", c.name, methodCounts(res.Series)))
		}
		rows := c.rows(res.Test)
		for i, a := range res.Calibration.Levels {
			if slices.ContainsFunc(res.Calibration.Quantiles[i], func(q float64) bool { return math.IsInf(q, 1) }) {
				notes = append(notes, fmt.Sprintf("%s: the %s interval is unbounded: too few validation windows for the level", c.name, levelName(a)))
				continue
			}
			if i < len(res.Test.Coverage) {
				rows = append(rows, row{rows[0].dataset, rows[0].horizon, fmt.Sprintf("%s interval coverage", levelName(a)),
					res.Test.Coverage[i], math.NaN(), math.NaN(), math.NaN(), fmt.Sprintf("%.2f (nominal)", a)})
			}
		}
		for _, r := range rows {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.0f\n", r.dataset, r.horizon, r.metric, cell(r.selected), cell(r.gru), cell(r.naive), cell(r.snaive), r.published, secs)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, n := range notes {
		fmt.Fprintln(w, n)
	}
	if only == "" || contains("classical", only) {
		fmt.Fprintf(w, "\nThe defaults against R's forecast package: MASE over %d refitted origins a horizon apart (scale: in-sample seasonal naive before each origin)\n", comparisonFolds)
		if err := compareClassical(ctx, w, dir, comparisonSeries); err != nil {
			return fmt.Errorf("classical comparison: %w", err)
		}
	}
	if only == "" || contains("heldout", only) {
		fmt.Fprintf(w, "\nThe same on %d held-out series of R's datasets and forecast packages, never used to choose a default\n", len(heldOutSeries))
		if err := compareFromR(ctx, w, heldOutSet, heldOutSeries); err != nil {
			return fmt.Errorf("held-out comparison: %w", err)
		}
	}
	if only == "" || contains("dev", only) {
		fmt.Fprintf(w, "\nThe same on the development set, %d series of R's AER, tseries, MASS and datasets packages on which the network's reach was chosen\n", len(devSeries))
		if err := compareFromR(ctx, w, devSet, devSeries); err != nil {
			return fmt.Errorf("development set comparison: %w", err)
		}
	}
	if only == "" || contains("fresh", only) {
		fmt.Fprintf(w, "\nThe same on a third set, %d series of R's datasets, AER and tseries packages in neither set above, taken after every default was chosen\n", len(freshSeries))
		if err := compareFromR(ctx, w, freshSet, freshSeries); err != nil {
			return fmt.Errorf("fresh set comparison: %w", err)
		}
	}
	return nil
}

// cell prints a figure of the table; NaN stands for none.
func cell(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	return fmt.Sprintf("%.4f", v)
}

// levelName prints an interval level as a percentage: 0.8 is "80%".
func levelName(a float64) string { return fmt.Sprintf("%g%%", a*100) }

func contains(s, sub string) bool {
	return len(sub) == 0 || (len(s) >= len(sub) && (s[:len(sub)] == sub || contains(s[1:], sub)))
}

// csvSeries loads one target column of a CSV file in dir.
func csvSeries(file, target, timeCol string) func(dir string) ([]*ingest.Series, error) {
	return func(dir string) ([]*ingest.Series, error) {
		path := filepath.Join(dir, file)
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		s, err := ingest.Load(f, ingest.Options{Name: path, Target: target, Time: timeCol})
		if err != nil {
			return nil, err
		}
		return []*ingest.Series{s}, nil
	}
}

// ettRows are the normalised MSE and MAE of the ETT protocol.
func ettRows(dataset string, h int, mse, mae string) func(forecast.Scores) []row {
	return func(s forecast.Scores) []row {
		hs := fmt.Sprint(h)
		return []row{
			{dataset, hs, "MSE (normalised)", s.Selected.MSEScaled, s.GRU.MSEScaled, s.Naive.MSEScaled, s.SeasonalNaive.MSEScaled, mse},
			{dataset, hs, "MAE (normalised)", s.Selected.MAEScaled, s.GRU.MAEScaled, s.Naive.MAEScaled, s.SeasonalNaive.MAEScaled, mae},
		}
	}
}

// cases are the evaluations, each with the defaults a user gets: only the
// protocol and the horizon are given.
func cases() []evalCase {
	ett24 := forecast.Config{Horizon: 24, Protocol: forecast.ProtocolETT}
	ett96 := forecast.Config{Horizon: 96, Protocol: forecast.ProtocolETT}
	return []evalCase{
		{"ETTh1-24", csvSeries("ETTh1.csv", "OT", "date"), ett24, ettRows("ETTh1 OT", 24, "0.098 (Informer)", "0.247 (Informer)")},
		{"ETTh1-96", csvSeries("ETTh1.csv", "OT", "date"), ett96, ettRows("ETTh1 OT", 96, "0.053 (NLinear)", "0.177 (NLinear)")},
		{"ETTh2-24", csvSeries("ETTh2.csv", "OT", "date"), ett24, ettRows("ETTh2 OT", 24, "0.093 (Informer)", "0.240 (Informer)")},
		{"M4-Hourly", m4Series, forecast.Config{Horizon: 48, Protocol: forecast.ProtocolM4},
			func(s forecast.Scores) []row {
				return []row{
					{"M4 Hourly", "48", "sMAPE", s.Selected.SMAPE, s.GRU.SMAPE, s.Naive.SMAPE, s.SeasonalNaive.SMAPE, "9.328 (ES-RNN)"},
					{"M4 Hourly", "48", "MASE", s.Selected.MASE, s.GRU.MASE, s.Naive.MASE, s.SeasonalNaive.MASE, "0.893 (ES-RNN)"},
					{"M4 Hourly", "48", "OWA", forecast.OWA(s.Selected), forecast.OWA(s.GRU), forecast.OWA(s.Naive), forecast.OWA(s.SeasonalNaive), "0.440 (ES-RNN)"},
				}
			}},
		{"AirPassengers", csvSeries("airline-passengers.csv", "Passengers", "Month"), forecast.Config{Horizon: 12, Protocol: forecast.ProtocolHoldout},
			func(s forecast.Scores) []row {
				return []row{{"AirPassengers", "12", "RMSE", s.Selected.RMSE, s.GRU.RMSE, s.Naive.RMSE, s.SeasonalNaive.RMSE, "18.59 (airline model)"}}
			}},
	}
}

// m4Series loads the 414 hourly series of M4: each training series (one per
// row) followed by its 48 test values, so that ProtocolHoldout tests on
// exactly the competition's test values.
func m4Series(dir string) ([]*ingest.Series, error) {
	load := func(file string) (*ingest.Dataset, error) {
		path := filepath.Join(dir, file)
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return ingest.LoadAll(f, ingest.Options{Name: path, Layout: ingest.LayoutRows, ID: "V1"})
	}
	train, err := load("m4-hourly-train.csv")
	if err != nil {
		return nil, err
	}
	test, err := load("m4-hourly-test.csv")
	if err != nil {
		return nil, err
	}
	for _, t := range test.Series {
		if t.Len() != 48 {
			return nil, fmt.Errorf("m4-hourly-test.csv: series %s has %d test values, not 48", t.ID, t.Len())
		}
	}
	if err := train.AppendFrom(test, "m4-hourly-test.csv"); err != nil {
		return nil, err
	}
	return train.Series, nil
}

// methodCounts lists how many series each method forecasts, e.g.
// "comb 300, gru 14, ets 100", in the order of first use.
func methodCounts(series []forecast.SeriesResult) string {
	count := map[string]int{}
	var order []string
	for _, sr := range series {
		if count[sr.Method] == 0 {
			order = append(order, sr.Method)
		}
		count[sr.Method]++
	}
	parts := make([]string, len(order))
	for i, m := range order {
		parts[i] = fmt.Sprintf("%s %d", m, count[m])
	}
	return strings.Join(parts, ", ")
}
