package render

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/forecast-dev/forecast/store"
)

// forecastRecord is one forecast in the csv and json outputs. Its
// intervals are written as lower_80, upper_80, lower_95, ... (see
// intervalColumns); a bound is null where the forecast has no interval of
// that level.
type forecastRecord struct {
	Run       int64    `json:"run"`
	Model     string   `json:"model"`
	Version   int      `json:"version"`
	Series    string   `json:"series"`
	Origin    jsonTime `json:"origin"`
	Time      jsonTime `json:"time"`
	Step      int      `json:"step"`
	Value     float64  `json:"value"`
	Method    string   `json:"method"`
	intervals []store.Interval
	levels    []float64 // the levels of the interval columns
}

// MarshalJSON writes the record's fields and then its interval bounds, one
// lower_L and upper_L pair per level of the output.
func (r forecastRecord) MarshalJSON() ([]byte, error) {
	type plain forecastRecord // without this method
	b, err := json.Marshal(plain(r))
	if err != nil {
		return nil, err
	}
	b = b[:len(b)-1] // the closing brace
	for _, level := range r.levels {
		lower, upper := "null", "null"
		if iv, ok := intervalAt(r.intervals, level); ok {
			lower, upper = fullFloat(&iv.Lower), fullFloat(&iv.Upper)
		}
		b = fmt.Appendf(b, `,"lower_%s":%s,"upper_%s":%s`, levelPercent(level), lower, levelPercent(level), upper)
	}
	return append(b, '}'), nil
}

// StoredForecasts writes stored forecasts as a table, or with format "csv"
// or "json" a record each, with the bounds of their intervals of levels
// (nil: the levels stored, and in csv and json the default ones too).
func StoredForecasts(out io.Writer, format string, rows []store.ForecastRow, levels []float64) error {
	if levels == nil {
		levels = intervalLevels(rows, format != "table")
	}
	recs := make([]forecastRecord, len(rows))
	for i, r := range rows {
		recs[i] = forecastRecord{Run: r.RunID, Model: r.Model, Version: r.Version, Series: r.Series,
			Origin: rfc3339(r.Origin), Time: rfc3339(r.Time), Step: r.Step, Value: r.Value, Method: r.Method,
			intervals: r.Intervals, levels: levels}
	}
	switch format {
	case "json":
		return JSON(out, recs)
	case "csv":
		w := csv.NewWriter(out)
		w.Write(append([]string{"run", "model", "version", "series", "origin", "time", "step", "value", "method"}, intervalColumns(levels)...))
		for _, r := range recs {
			rec := []string{strconv.FormatInt(r.Run, 10), r.Model, strconv.Itoa(r.Version), r.Series, string(r.Origin), string(r.Time),
				strconv.Itoa(r.Step), fullFloat(&r.Value), r.Method}
			for _, level := range levels {
				lower, upper := "", ""
				if iv, ok := intervalAt(r.intervals, level); ok {
					lower, upper = fullFloat(&iv.Lower), fullFloat(&iv.Upper)
				}
				rec = append(rec, lower, upper)
			}
			w.Write(rec)
		}
		w.Flush()
		return w.Error()
	}
	if len(rows) == 0 {
		return nil
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	header := "RUN\tMODEL\tSERIES\tORIGIN\tSTEP\tTIME\tVALUE"
	for _, col := range intervalColumns(levels) {
		header += "\t" + strings.ToUpper(col)
	}
	fmt.Fprintln(tw, header)
	for _, r := range rows {
		fmt.Fprintf(tw, "%d\t%s@%d\t%s\t%s\t%d\t%s\t%s", r.RunID, cell(r.Model), r.Version, cell(r.Series), formatTime(r.Origin), r.Step, formatTime(r.Time), value(r.Value))
		for _, level := range levels {
			if iv, ok := intervalAt(r.Intervals, level); ok {
				fmt.Fprintf(tw, "\t%s\t%s", bound(iv.Lower), bound(iv.Upper))
			} else {
				fmt.Fprint(tw, "\t-\t-")
			}
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

// defaultLevels are the interval levels fit computes unless told otherwise;
// the csv and json outputs of forecasts always have their columns.
var defaultLevels = []float64{0.8, 0.95}

// intervalLevels are the levels of the intervals of rows, in increasing
// order, with the default levels too if withDefaults.
func intervalLevels(rows []store.ForecastRow, withDefaults bool) []float64 {
	var levels []float64
	if withDefaults {
		levels = append(levels, defaultLevels...)
	}
	for _, r := range rows {
		for _, iv := range r.Intervals {
			if !slices.Contains(levels, iv.Level) {
				levels = append(levels, iv.Level)
			}
		}
	}
	slices.Sort(levels)
	return levels
}

// intervalColumns names the bounds of intervals of levels as every output
// and view does: lower_80, upper_80, lower_95, upper_95.
func intervalColumns(levels []float64) []string {
	var cols []string
	for _, level := range levels {
		cols = append(cols, "lower_"+levelPercent(level), "upper_"+levelPercent(level))
	}
	return cols
}

// levelPercent writes a level as the percentage in column names: 0.8 is
// "80", 0.975 "97.5".
func levelPercent(level float64) string {
	return strconv.FormatFloat(math.Round(level*1e8)/1e6, 'f', -1, 64)
}

// LevelsNotStored returns, in percent ("90 %"), the levels of levels that no
// forecast of rows has an interval of.
func LevelsNotStored(rows []store.ForecastRow, levels []float64) []string {
	var missing []string
	for _, l := range levels {
		if !slices.ContainsFunc(rows, func(r store.ForecastRow) bool { _, ok := intervalAt(r.Intervals, l); return ok }) {
			missing = append(missing, levelPercent(l)+" %")
		}
	}
	return missing
}

// intervalAt returns the interval of ivs at level.
func intervalAt(ivs []store.Interval, level float64) (store.Interval, bool) {
	for _, iv := range ivs {
		if math.Abs(iv.Level-level) < 1e-9 {
			return iv, true
		}
	}
	return store.Interval{}, false
}
