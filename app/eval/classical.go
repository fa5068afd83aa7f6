package main

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/ingest"
)

// classicalR fits R forecast's auto.arima, ets, thetaf and snaive at given
// origins; see its header for the calling convention.
//
//go:embed classical.R
var classicalR string

// comparison is a series the defaults are compared with R's forecast
// package on: its name, file, time and target columns, season and horizon.
type comparison struct {
	name, file, time, target string
	season, horizon          int
}

// comparisonSeries are the ordinary series of testdata on which the
// defaults are compared with R's forecast package.
var comparisonSeries = []comparison{
	{"airline", "airline-passengers.csv", "Month", "Passengers", 12, 12},
	{"car-sales", "monthly-car-sales.csv", "Month", "Sales", 12, 12},
	{"champagne", "monthly_champagne_sales.csv", "Month", "Sales", 12, 12},
	{"births", "daily-total-female-births.csv", "Date", "Births", 7, 14},
	{"sunspots", "monthly-sunspots.csv", "Month", "Sunspots", 12, 24},
	{"melbourne", "daily-min-temperatures.csv", "Date", "Temp", 7, 14},
}

// comparisonFolds is the number of forecast origins per series, the last
// one horizon before the end, each one horizon apart.
const comparisonFolds = 3

// rModels are the columns R gives, in its output's names.
var rModels = []string{"arima", "ets", "theta", "snaive"}

// compareClassical backtests the defaults (time, target, horizon and season
// given, nothing else) with a refit at each of the last three origins of
// every series of list, read from dir, fits R's models at the same origins
// where R and its forecast package are installed, and prints the MASE of
// each (scaled by the in-sample seasonal naive error before the origin),
// per series and as a geometric mean over series.
func compareClassical(ctx context.Context, w io.Writer, dir string, list []comparison) error {
	rscript, rErr := findR()
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "series\tforecast\tmethods\t80/95 % inside\tseasonal naive\t")
	if rErr == nil {
		fmt.Fprint(tw, "auto.arima\tets\ttheta\t")
	}
	fmt.Fprintln(tw, "seconds\t")
	logSum := map[string]float64{}
	// The mean share of values inside the 80 and 95 % intervals, over the
	// series that have bounded ones.
	var inside, insideSeries [2]float64
	for _, cs := range list {
		s, err := loadSeries(filepath.Join(dir, cs.file), cs.time, cs.target)
		if err != nil {
			return fmt.Errorf("%s: %w", cs.name, err)
		}
		y, n, h, m := s.Values(), s.Len(), cs.horizon, cs.season
		origins := make([]int, comparisonFolds)
		for k := range origins {
			origins[k] = n - (comparisonFolds-k)*h
		}
		start := time.Now()
		res, err := forecast.Backtest(ctx, []*ingest.Series{s}, forecast.Config{Horizon: h, Season: m},
			forecast.BacktestConfig{Folds: comparisonFolds, Refit: true}, nil)
		if err != nil {
			return fmt.Errorf("%s: %w", cs.name, err)
		}
		secs := time.Since(start).Seconds()
		scores := map[string][]float64{}
		var methods []string
		var seriesInside, bounded [2]float64 // of the folds whose interval of the level is bounded
		for _, f := range res.Folds {
			for l := range min(len(seriesInside), len(f.Scores.Coverage)) {
				seriesInside[l] += f.Scores.Coverage[l]
				bounded[l]++
			}
			pred := make([]float64, len(f.Forecast))
			for k, p := range f.Forecast {
				pred[k] = p.Value
			}
			scores["forecast"] = append(scores["forecast"], comparisonMASE(y, f.Origin, pred, m))
			method := f.Label
			if strings.HasPrefix(method, forecast.MethodCombination+"(") {
				method = forecast.MethodCombination // a combination by its kind alone, not its parts
			}
			methods = append(methods, method)
		}
		insideText := make([]string, len(seriesInside))
		for l := range seriesInside {
			insideText[l] = "-"
			if bounded[l] > 0 {
				seriesInside[l] /= bounded[l]
				insideText[l] = fmt.Sprintf("%.0f", 100*seriesInside[l])
				inside[l] += seriesInside[l]
				insideSeries[l]++
			}
		}
		for _, o := range origins {
			sn := make([]float64, h)
			forecast.SeasonalNaive(sn, y, o, m)
			scores["seasonal naive"] = append(scores["seasonal naive"], comparisonMASE(y, o, sn, m))
		}
		if rErr == nil {
			fits, err := runR(ctx, rscript, y, m, h, origins)
			if err != nil {
				return fmt.Errorf("%s: R: %w", cs.name, err)
			}
			for _, model := range rModels[:3] {
				for _, o := range origins {
					scores[model] = append(scores[model], comparisonMASE(y, o, fits[model][o], m))
				}
			}
		}
		fmt.Fprintf(tw, "%s\t", cs.name)
		for _, col := range comparisonColumns(rErr == nil) {
			v := mean(scores[col])
			logSum[col] += math.Log(v) / float64(len(list))
			fmt.Fprintf(tw, "%.3f\t", v)
			if col == "forecast" {
				fmt.Fprintf(tw, "%s\t%s\t", strings.Join(methods, ", "), strings.Join(insideText, "/"))
			}
		}
		fmt.Fprintf(tw, "%.0f\t\n", secs)
	}
	fmt.Fprint(tw, "geometric mean\t")
	for _, col := range comparisonColumns(rErr == nil) {
		fmt.Fprintf(tw, "%.3f\t", math.Exp(logSum[col]))
		if col == "forecast" {
			fmt.Fprintf(tw, "\t%.0f/%.0f\t", 100*inside[0]/insideSeries[0], 100*inside[1]/insideSeries[1])
		}
	}
	fmt.Fprintln(tw, "\t")
	if err := tw.Flush(); err != nil {
		return err
	}
	if rErr != nil {
		fmt.Fprintf(w, "R's columns are left out: %v\n", rErr)
	}
	return nil
}

// comparisonColumns are the columns of the table, R's where it runs.
func comparisonColumns(withR bool) []string {
	cols := []string{"forecast", "seasonal naive"}
	if withR {
		cols = append(cols, "arima", "ets", "theta")
	}
	return cols
}

// comparisonMASE is the MAE of pred against y from origin o on, over the
// mean absolute error of the seasonal naive forecast with season m on the
// values before o.
func comparisonMASE(y []float64, o int, pred []float64, m int) float64 {
	var scale float64
	for t := m; t < o; t++ {
		scale += math.Abs(y[t] - y[t-m])
	}
	scale /= float64(o - m)
	var mae float64
	for k, p := range pred {
		mae += math.Abs(y[o+k] - p)
	}
	return mae / float64(len(pred)) / scale
}

func mean(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// loadSeries reads one target column of a CSV file.
func loadSeries(path, timeCol, target string) (*ingest.Series, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ingest.Load(f, ingest.Options{Name: path, Target: target, Time: timeCol})
}

// findR returns the path of Rscript if R and its forecast package are
// installed, or why not.
func findR() (string, error) {
	rscript, err := exec.LookPath("Rscript")
	if err != nil {
		return "", errors.New("Rscript is not installed (apt-get install -y r-cran-forecast)")
	}
	if out, err := exec.Command(rscript, "-e", "suppressMessages(library(forecast))").CombinedOutput(); err != nil {
		return "", fmt.Errorf("R's forecast package is not installed (apt-get install -y r-cran-forecast): %s", strings.TrimSpace(string(out)))
	}
	return rscript, nil
}

// runR fits R's models to y at each origin and returns their forecasts by
// model and origin.
func runR(ctx context.Context, rscript string, y []float64, m, h int, origins []int) (map[string]map[int][]float64, error) {
	dir, err := os.MkdirTemp("", "forecast-eval-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	script, values := filepath.Join(dir, "classical.R"), filepath.Join(dir, "values.txt")
	var b strings.Builder
	for _, v := range y {
		b.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
		b.WriteByte('\n')
	}
	if err := os.WriteFile(script, []byte(classicalR), 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(values, []byte(b.String()), 0o644); err != nil {
		return nil, err
	}
	list := make([]string, len(origins))
	for i, o := range origins {
		list[i] = strconv.Itoa(o)
	}
	out, err := exec.CommandContext(ctx, rscript, script, values, strconv.Itoa(m), strconv.Itoa(h), strings.Join(list, ",")).Output()
	if err != nil {
		return nil, err
	}
	fits := map[string]map[int][]float64{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, ",")
		if len(f) != 3+h {
			return nil, fmt.Errorf("unexpected line %q", line)
		}
		o, err := strconv.Atoi(f[1])
		if err != nil {
			return nil, fmt.Errorf("line %q: %w", line, err)
		}
		pred := make([]float64, h)
		for k := range pred {
			if pred[k], err = strconv.ParseFloat(f[3+k], 64); err != nil {
				pred[k] = math.NaN() // a model R could not fit
			}
		}
		if fits[f[0]] == nil {
			fits[f[0]] = map[int][]float64{}
		}
		fits[f[0]][o] = pred
	}
	return fits, nil
}
