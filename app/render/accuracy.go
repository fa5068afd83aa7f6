package render

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"text/tabwriter"

	"github.com/forecast-dev/forecast/store"
)

// accuracyRecord is one row of accuracy --format json; MASE and the
// coverages are null where undefined. Coverage is that of the widest
// interval of each forecast, Coverage80 and Coverage95 those of the 80 %
// and 95 % intervals, Levels those of every level stored, as the API's
// /v1/accuracy gives them.
type accuracyRecord struct {
	Model       string          `json:"model"`
	Version     int             `json:"version"`
	Series      string          `json:"series"`
	Forecasts   int             `json:"forecasts"`
	MAE         *float64        `json:"mae"`
	MASE        *float64        `json:"mase"`
	Intervals   int             `json:"intervals"`
	Coverage    *float64        `json:"coverage"`
	Intervals80 int             `json:"intervals_80"`
	Coverage80  *float64        `json:"coverage_80"`
	Intervals95 int             `json:"intervals_95"`
	Coverage95  *float64        `json:"coverage_95"`
	Levels      []levelCoverage `json:"levels"`
	First       jsonTime        `json:"first_time"`
	Last        jsonTime        `json:"last_time"`
}

// levelCoverage is the coverage of the intervals of one level.
type levelCoverage struct {
	Level     float64 `json:"level"`
	Intervals int     `json:"intervals"`
	Coverage  float64 `json:"coverage"`
}

// coverageAt returns the coverage of acc's intervals of level: how many
// there are and the share of actuals inside (nil if none).
func coverageAt(acc store.Accuracy, level float64) (int, *float64) {
	for _, lc := range acc.ByLevel {
		if lc.Level == level {
			return lc.Intervals, &lc.Coverage
		}
	}
	return 0, nil
}

// coverageLevels returns the levels whose coverage accuracy's table and csv
// give: 80 and 95 %, and any other that accs hold intervals of, in order.
func coverageLevels(accs []store.Accuracy) []float64 {
	levels := []float64{0.8, 0.95}
	for _, acc := range accs {
		for _, lc := range acc.ByLevel {
			if !slices.Contains(levels, lc.Level) {
				levels = append(levels, lc.Level)
			}
		}
	}
	slices.Sort(levels)
	return levels
}

// Accuracy writes the realised accuracy accs as a table, or with
// format "csv" or "json" a record per model version and series. Without
// any, the table says why: no actual is recorded, or (hasActuals) none
// is of a series and time a stored forecast is for.
func Accuracy(out io.Writer, format string, accs []store.Accuracy, hasActuals bool) error {
	recs := make([]accuracyRecord, len(accs))
	for i, acc := range accs {
		recs[i] = accuracyRecord{Model: acc.Model, Version: acc.Version, Series: acc.Series, Forecasts: acc.Forecasts,
			MAE: finiteOrNil(&acc.MAE), MASE: finiteOrNil(acc.MASE), Intervals: acc.Intervals, Coverage: acc.Coverage,
			Levels: []levelCoverage{}, First: rfc3339(acc.First), Last: rfc3339(acc.Last)}
		recs[i].Intervals80, recs[i].Coverage80 = coverageAt(acc, 0.8)
		recs[i].Intervals95, recs[i].Coverage95 = coverageAt(acc, 0.95)
		for _, lc := range acc.ByLevel {
			recs[i].Levels = append(recs[i].Levels, levelCoverage{Level: lc.Level, Intervals: lc.Intervals, Coverage: lc.Coverage})
		}
	}
	levels := coverageLevels(accs)
	switch format {
	case "json":
		return JSON(out, recs)
	case "csv":
		w := csv.NewWriter(out)
		head := []string{"model", "version", "series", "forecasts", "mae", "mase", "intervals", "coverage"}
		for _, l := range levels {
			head = append(head, "intervals_"+levelPercent(l), "coverage_"+levelPercent(l))
		}
		w.Write(append(head, "first_time", "last_time"))
		for i, r := range recs {
			rec := []string{r.Model, strconv.Itoa(r.Version), r.Series, strconv.Itoa(r.Forecasts),
				fullFloat(r.MAE), fullFloat(r.MASE), strconv.Itoa(r.Intervals), fullFloat(r.Coverage)}
			for _, l := range levels {
				n, c := coverageAt(accs[i], l)
				rec = append(rec, strconv.Itoa(n), fullFloat(c))
			}
			w.Write(append(rec, string(r.First), string(r.Last)))
		}
		w.Flush()
		return w.Error()
	}
	switch {
	case len(accs) == 0 && hasActuals:
		fmt.Fprintln(out, "no stored forecast has an actual yet: the actuals recorded are of other series or times (forecasts of the future are scored once their times are observed and recorded)")
		return nil
	case len(accs) == 0:
		fmt.Fprintln(out, "no stored forecast has an actual yet: record observed values with forecast actuals")
		return nil
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprint(tw, "MODEL\tVERSION\tSERIES\tFORECASTS\tMAE\tMASE")
	for _, l := range levels {
		fmt.Fprintf(tw, "\tCOVERAGE_%s", levelPercent(l))
	}
	fmt.Fprintln(tw, "\tFROM\tTO")
	for i, r := range recs {
		mase := "-"
		if acc := accs[i]; acc.MASE != nil {
			mase = fmt.Sprintf("%.4f", *acc.MASE)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%.4f\t%s", cell(r.Model), r.Version, cell(r.Series), r.Forecasts, accs[i].MAE, mase)
		for _, l := range levels {
			fmt.Fprintf(tw, "\t%s", coverageCell(coverageAt(accs[i], l)))
		}
		fmt.Fprintf(tw, "\t%s\t%s\n", formatTime(accs[i].First), formatTime(accs[i].Last))
	}
	return tw.Flush()
}

// finiteOrNil is v, or nil if v is nil or not finite (an error between
// values near ±1e308, a MASE over a zero scale), which JSON cannot hold:
// the table shows such a value as it is.
func finiteOrNil(v *float64) *float64 {
	if v == nil || math.IsInf(*v, 0) || math.IsNaN(*v) {
		return nil
	}
	return v
}

// coverageCell shows a coverage in the accuracy table, e.g. "80.0% of 12".
func coverageCell(n int, coverage *float64) string {
	if coverage == nil {
		return "-"
	}
	return fmt.Sprintf("%.1f%% of %d", 100**coverage, n)
}

// fullFloat formats *v with full precision, or "" for nil.
func fullFloat(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'g', -1, 64)
}
