package render

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/forecast-dev/forecast/app/pipeline"
)

// cell escapes the control characters of s (tab, newline, escape
// sequences, ...) as Go does in quoted strings, so that a name from the
// data prints as one cell of a table and cannot move the cursor or recolour
// the terminal. Other characters are kept as they are.
func cell(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) {
			q := strconv.QuoteRune(r) // e.g. '\t', '\x1b'
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// orDash returns s, or "-" for an empty table cell.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// JSON writes v as indented JSON.
func JSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// methodCounts lists how many series each method forecasts, e.g.
// "ets 3, gru 5".
func methodCounts(counts map[string]int) string {
	names := make([]string, 0, len(counts))
	for k := range counts {
		names = append(names, k)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, k := range names {
		parts[i] = fmt.Sprintf("%s %d", k, counts[k])
	}
	return strings.Join(parts, ", ")
}

// TagList lists tags as KEY=VALUE in the order of their keys, or "-".
func TagList(tags map[string]string) string {
	var list []string
	for k, v := range tags {
		list = append(list, k+"="+v)
	}
	sort.Strings(list)
	return orDash(strings.Join(list, ", "))
}

// Plural returns "n thing" or "n things".
func Plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// formatTime prints a time without the parts that are zero; see
// pipeline.FormatTime.
var formatTime = pipeline.FormatTime

// bound prints an interval bound as value does; an unbounded one is "-Inf"
// or "+Inf".
func bound(v float64) string {
	if math.IsInf(v, 0) {
		return fmt.Sprintf("%+.0f", v)
	}
	return value(v)
}

// value prints a forecast value with 6 significant digits, and in whole
// units from a million to 10^15 (53092123, not 5.30921e+07, whose
// exponent hid the units the value is in).
func value(v float64) string {
	// From 999999.5, which 6 significant digits round to 1e+06.
	if a := math.Abs(v); a >= 999999.5 && a < 1e15 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return fmt.Sprintf("%.6g", v)
}

// ensembleNote describes an ensemble of n members in the model line.
func ensembleNote(n int) string {
	if n <= 1 {
		return ""
	}
	return fmt.Sprintf(", ensemble of %d", n)
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

// percent writes a share as a percentage to a tenth: "41.2 %", "10 %".
func percent(share float64) string {
	return strconv.FormatFloat(math.Round(1000*share)/10, 'f', -1, 64) + " %"
}

// num prints a statistic with 6 significant digits.
func num(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	return fmt.Sprintf("%.6g", v)
}

// rfc3339 formats t for machine-readable output; the zero time is "".
func rfc3339(t time.Time) jsonTime {
	if t.IsZero() {
		return ""
	}
	return jsonTime(t.UTC().Format(time.RFC3339Nano))
}

// jsonTime is a time as rfc3339 writes it, "" for none, which JSON writes
// as null, as it does the other values a record lacks.
type jsonTime string

// MarshalJSON writes t as a JSON string, or null where it is "".
func (t jsonTime) MarshalJSON() ([]byte, error) {
	if t == "" {
		return []byte("null"), nil
	}
	return json.Marshal(string(t))
}
