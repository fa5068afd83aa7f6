package render

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"text/tabwriter"

	"github.com/forecast-dev/forecast/forecast"
)

// maxFoldRows is how many folds the table lists one by one; csv and json
// list them all.
const maxFoldRows = 20

// BacktestTable prints a backtest for people: the MAE of each fold (of the
// first maxFoldRows), the overall scores of the forecast, the GRU and the
// baselines, OWA under the M4 protocol, and the coverage of the intervals.
func BacktestTable(w io.Writer, res *forecast.BacktestResult, cfg forecast.Config) {
	if n := len(res.Folds); n > 0 {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "series\torigin\tforecast by\tforecast MAE\tGRU MAE\tnaive MAE\tseasonal naive MAE\tdrift MAE\t")
		for _, f := range res.Folds[:min(n, maxFoldRows)] {
			gru := "-" // no network forecast the fold
			if f.Scores.GRU != (forecast.Metrics{}) {
				gru = fmt.Sprintf("%.4f", f.Scores.GRU.MAE)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%.4f\t%s\t%.4f\t%.4f\t%.4f\t\n", cell(f.Series), foldOrigin(f), f.Method, f.Scores.Selected.MAE, gru, f.Scores.Naive.MAE, f.Scores.SeasonalNaive.MAE, f.Scores.Drift.MAE)
		}
		tw.Flush()
		if n > maxFoldRows {
			fmt.Fprintf(w, "... and %d more folds (--format csv lists every fold)\n", n-maxFoldRows)
		}
		fmt.Fprintln(w)
	}
	folds := "folds"
	if len(res.Folds) == 1 {
		folds = "fold"
	}
	fmt.Fprintf(w, "overall, %d %s of %d steps (MASE with season %d):\n", len(res.Folds), folds, cfg.Horizon, cfg.Season)
	printScoreTable(w, res.Overall, true)
	switch n2 := res.Overall.Naive2; {
	case cfg.Protocol != forecast.ProtocolM4:
	case !(n2.SMAPE > 0 && n2.MASE > 0):
		fmt.Fprintf(w, "OWA: none, as Naive2 scores sMAPE %.3f and MASE %.3f on these folds\n", n2.SMAPE, n2.MASE)
	default:
		owa := func(m forecast.Metrics) string { return fmt.Sprintf("%.4f", forecast.OWAAgainst(m, n2)) }
		gru := "-" // no network forecast every fold
		if res.Overall.GRU != (forecast.Metrics{}) {
			gru = owa(res.Overall.GRU)
		}
		fmt.Fprintf(w, "OWA against Naive2 on the same folds (sMAPE %.3f, MASE %.3f): forecast %s, GRU %s, naive %s, seasonal naive %s\n",
			n2.SMAPE, n2.MASE, owa(res.Overall.Selected), gru, owa(res.Overall.Naive), owa(res.Overall.SeasonalNaive))
	}
	last := res.Folds[len(res.Folds)-1]
	printCoverage(w, cfg.Levels, res.Overall.Coverage, last.Forecast)
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
	Origin     jsonTime             `json:"origin"`
	Index      int                  `json:"origin_index"`
	Method     string               `json:"method"`      // as stored forecasts name it
	MethodName string               `json:"method_name"` // as fit prints it
	Candidates []forecast.Candidate `json:"candidates,omitempty"`
	Scores     forecast.Scores      `json:"scores"`
	Forecast   []float64            `json:"forecast,omitempty"`
	// Intervals are the forecast's, a level each: the bounds step by
	// step, null where unbounded (too little history for the level).
	Intervals []foldInterval `json:"intervals,omitempty"`
	Actual    []float64      `json:"actual,omitempty"`
}

// foldInterval is a fold's interval of one level, as BacktestJSON writes it.
type foldInterval struct {
	Level float64    `json:"level"`
	Lower []*float64 `json:"lower"`
	Upper []*float64 `json:"upper"`
}

// BacktestJSON writes a backtest as one JSON object: the horizon, season
// and interval levels, the overall scores, and every fold with its
// forecast and actual values.
func BacktestJSON(w io.Writer, res *forecast.BacktestResult, cfg forecast.Config) error {
	out := struct {
		Horizon int              `json:"horizon"`
		Season  int              `json:"season"`
		Levels  []float64        `json:"levels"`
		Overall forecast.Scores  `json:"overall"`
		Folds   []backtestRecord `json:"folds"`
	}{cfg.Horizon, cfg.Season, res.Model.Calibration.Levels, res.Overall, nil}
	for _, f := range res.Folds {
		r := backtestRecord{Series: f.Series, Origin: rfc3339(f.Time), Index: f.Origin, Method: f.Label, MethodName: f.Method, Candidates: f.Candidates, Scores: f.Scores, Actual: f.Actual}
		for _, p := range f.Forecast {
			r.Forecast = append(r.Forecast, p.Value)
		}
		if len(f.Forecast) > 0 {
			for i, iv := range f.Forecast[0].Intervals {
				fi := foldInterval{Level: iv.Level}
				for _, p := range f.Forecast {
					fi.Lower = append(fi.Lower, boundOrNil(p.Intervals[i].Lower))
					fi.Upper = append(fi.Upper, boundOrNil(p.Intervals[i].Upper))
				}
				r.Intervals = append(r.Intervals, fi)
			}
		}
		out.Folds = append(out.Folds, r)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// BacktestCSV writes the scores of a backtest as CSV, a row per fold and
// model, then the overall scores (empty series and origin), in full
// precision; the forecast's rows name its method (of a fold: method as
// stored forecasts name it, method_name as fit prints it) and give the
// share of the actual values inside each level's intervals.
func BacktestCSV(w io.Writer, res *forecast.BacktestResult) error {
	cw := csv.NewWriter(w)
	levels := res.Model.Calibration.Levels
	head := []string{"series", "origin", "origin_index", "model", "mae", "rmse", "smape", "mase", "mse_scaled", "mae_scaled", "method", "method_name"}
	for _, l := range levels {
		head = append(head, "coverage_"+levelPercent(l))
	}
	cw.Write(head)
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	row := func(series, origin, index, model string, m forecast.Metrics, method, methodName string, coverage []float64) {
		rec := []string{series, origin, index, model, f(m.MAE), f(m.RMSE), f(m.SMAPE), f(m.MASE), f(m.MSEScaled), f(m.MAEScaled), method, methodName}
		for i := range levels {
			c := ""
			if i < len(coverage) {
				c = f(coverage[i])
			}
			rec = append(rec, c)
		}
		cw.Write(rec)
	}
	emit := func(series, origin, index, method, methodName string, s forecast.Scores) {
		row(series, origin, index, "forecast", s.Selected, method, methodName, s.Coverage)
		if s.GRU != (forecast.Metrics{}) {
			row(series, origin, index, "gru", s.GRU, "", "", nil)
		}
		row(series, origin, index, "naive", s.Naive, "", "", nil)
		row(series, origin, index, "seasonal_naive", s.SeasonalNaive, "", "", nil)
		if s.SeasonalNaiveWeek != nil {
			row(series, origin, index, "seasonal_naive_week", *s.SeasonalNaiveWeek, "", "", nil)
		}
		row(series, origin, index, "drift", s.Drift, "", "", nil)
	}
	for _, fold := range res.Folds {
		emit(fold.Series, string(rfc3339(fold.Time)), strconv.Itoa(fold.Origin), fold.Label, fold.Method, fold.Scores)
	}
	emit("", "", "", "", "", res.Overall)
	cw.Flush()
	return cw.Error()
}

// boundOrNil is v, or nil (JSON null) for an unbounded side, ±Inf.
func boundOrNil(v float64) *float64 {
	if math.IsInf(v, 0) {
		return nil
	}
	return &v
}
