package ingest

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// layouts are the time formats tried, in order, when no format is given.
var layouts = []string{
	time.RFC3339,
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006/01/02 15:04:05",
	"2006/01/02 15:04",
	"2006/01/02",
	"2006-01",
	"2006",
}

// Special time formats, for Options.TimeFormat.
const (
	FormatUnix   = "unix"   // seconds since 1970-01-01 UTC, maybe with a fraction
	FormatUnixMs = "unixms" // milliseconds since 1970-01-01 UTC
)

// layoutOf returns the first of the layouts that parses s.
func layoutOf(s string, layouts []string) (string, bool) {
	for _, l := range layouts {
		if _, err := time.Parse(l, s); err == nil {
			return l, true
		}
	}
	return "", false
}

// timeParser parses the values of one time column.
type timeParser struct {
	format string // a Go layout, FormatUnix or FormatUnixMs
	note   string // how the format was chosen, if worth saying
}

func (p timeParser) parse(s string) (time.Time, error) {
	switch p.format {
	case FormatUnix, FormatUnixMs:
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1e16 {
			return time.Time{}, fmt.Errorf("not a number")
		}
		if p.format == FormatUnixMs {
			v /= 1000
		}
		sec, frac := math.Modf(v)
		return time.Unix(int64(sec), int64(math.Round(frac*1e9))).UTC(), nil
	}
	t, err := time.Parse(p.format, s)
	if err != nil {
		return time.Time{}, err
	}
	return t.UTC(), nil
}

// describe names the format in messages.
func (p timeParser) describe() string {
	switch p.format {
	case FormatUnix:
		return "Unix seconds"
	case FormatUnixMs:
		return "Unix milliseconds"
	}
	return "the layout " + p.format
}

// strftime maps %-directives to Go layout elements.
var strftime = map[byte]string{
	'Y': "2006", 'y': "06", 'm': "01", 'd': "02", 'e': "_2", 'H': "15", 'I': "03",
	'M': "04", 'S': "05", 'p': "PM", 'b': "Jan", 'B': "January", 'a': "Mon",
	'A': "Monday", 'z': "-0700", 'Z': "MST", 'f': "999999999", 'j': "002", '%': "%",
}

// goLayout turns a --time-format into a Go layout: strftime directives
// such as %d/%m/%Y are translated, anything else is a Go layout already.
func goLayout(format string) (string, error) {
	if !strings.Contains(format, "%") {
		return format, nil
	}
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			b.WriteByte(format[i])
			continue
		}
		if i+1 >= len(format) {
			return "", fmt.Errorf("time format %q ends in %%", format)
		}
		i++
		l, ok := strftime[format[i]]
		if !ok {
			return "", fmt.Errorf("time format %q: unknown directive %%%c", format, format[i])
		}
		if format[i] == 'f' && b.Len() > 0 && strings.HasSuffix(b.String(), ".") {
			l = "999999999"
		}
		b.WriteString(l)
	}
	return b.String(), nil
}

// dmy matches day/month/year or month/day/year dates with /, . or -,
// optionally followed by a clock time.
var dmy = regexp.MustCompile(`^(\d{1,2})([/.-])(\d{1,2})([/.-])(\d{4})((?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?)$`)

// clockLayouts are the clock parts that may follow a d/m/y date.
var clockLayouts = map[int]string{0: "", 5: " 15:04", 8: " 15:04:05"}

// chooseTimeParser picks the format of a time column from its values
// (at least one; the first not blank). format is Options.TimeFormat.
// row(i) locates a value in errors; the error wraps ErrBadTime.
func chooseTimeParser(vals []string, format string, cellErr func(i int, err error) error) (timeParser, error) {
	switch strings.ToLower(format) {
	case "":
	case FormatUnix, "epoch", "unix-s":
		return timeParser{format: FormatUnix}, nil
	case FormatUnixMs, "unix-ms", "epoch-ms":
		return timeParser{format: FormatUnixMs}, nil
	default:
		l, err := goLayout(format)
		if err != nil {
			return timeParser{}, cellErr(0, mark(ErrBadTime, "%v", err))
		}
		return timeParser{format: l}, nil
	}
	v0 := strings.TrimSpace(vals[0])
	if isDigits(v0) {
		switch n := len(v0); {
		case n == 4:
			return timeParser{format: "2006"}, nil
		case n == 8:
			if _, err := time.Parse("20060102", v0); err == nil {
				return timeParser{format: "20060102", note: fmt.Sprintf("read %q-style times as YYYYMMDD", v0)}, nil
			}
		case n == 9 || n == 10:
			return timeParser{format: FormatUnix, note: fmt.Sprintf("read %q-style times as Unix seconds", v0)}, nil
		case n == 12 || n == 13:
			return timeParser{format: FormatUnixMs, note: fmt.Sprintf("read %q-style times as Unix milliseconds", v0)}, nil
		}
		return timeParser{}, cellErr(0, mark(ErrBadTime,
			"parse %q as a time: a %d-digit number is not a year (4 digits), YYYYMMDD (8), Unix seconds (10) or milliseconds (13): "+
				"give --time-format, or --time none for integer steps", v0, len(v0)))
	}
	if m := dmy.FindStringSubmatch(v0); m != nil && m[2] == m[4] {
		return chooseDMY(vals, m[2], cellErr)
	}
	layout, ok := layoutOf(v0, layouts)
	if !ok {
		return timeParser{}, cellErr(0, mark(ErrBadTime,
			"parse %q as a time: want one of the layouts %s, or give --time-format", v0, strings.Join(layouts, ", ")))
	}
	return timeParser{format: layout}, nil
}

// chooseDMY decides between day/month/year and month/day/year from the
// values: a first number above 12 rules out month first, a second one above
// 12 rules out day first. If neither is ruled out the column is ambiguous.
func chooseDMY(vals []string, sep string, cellErr func(i int, err error) error) (timeParser, error) {
	dayFirst, monthFirst := -1, -1 // the rows that rule out the other order
	clockLen := -1
	for i, v := range vals {
		m := dmy.FindStringSubmatch(strings.TrimSpace(v))
		if m == nil || m[2] != sep || m[4] != sep {
			continue // reported by the parser, with its line
		}
		if clockLen < 0 {
			clockLen = len(m[6])
			if strings.Count(m[6], ":") == 2 {
				clockLen = 8
			} else if m[6] != "" {
				clockLen = 5
			}
		}
		a, _ := strconv.Atoi(m[1])
		b, _ := strconv.Atoi(m[3])
		if a > 12 && dayFirst < 0 {
			dayFirst = i
		}
		if b > 12 && monthFirst < 0 {
			monthFirst = i
		}
		if dayFirst >= 0 || monthFirst >= 0 {
			break // a value of the other order fails to parse, with its line
		}
	}
	clk := clockLayouts[max(clockLen, 0)]
	dm := "2" + sep + "1" + sep + "2006" + clk
	md := "1" + sep + "2" + sep + "2006" + clk
	switch {
	case dayFirst >= 0 && monthFirst >= 0:
		return timeParser{}, cellErr(monthFirst, mark(ErrBadTime,
			"parse %q as a time: %q on an earlier row is day first, this one month first; give --time-format", vals[monthFirst], vals[dayFirst]))
	case dayFirst >= 0:
		return timeParser{format: dm, note: fmt.Sprintf("read dates as day%smonth%syear (%s) because of %q", sep, sep, dm, vals[dayFirst])}, nil
	case monthFirst >= 0:
		return timeParser{format: md, note: fmt.Sprintf("read dates as month%sday%syear (%s) because of %q", sep, sep, md, vals[monthFirst])}, nil
	}
	return timeParser{}, cellErr(0, mark(ErrBadTime,
		"ambiguous date %q: day%smonth%syear or month%sday%syear? no value tells; give --time-format, e.g. %s or %s",
		vals[0], sep, sep, sep, sep, "02"+sep+"01"+sep+"2006", "01"+sep+"02"+sep+"2006"))
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// looksLikeTime reports whether an unnamed first column's value is a date
// or date-time (not a bare year nor a plain number).
func looksLikeTime(s string) bool {
	if isDigits(s) {
		return false
	}
	if m := dmy.FindStringSubmatch(s); m != nil && m[2] == m[4] {
		return true
	}
	_, ok := layoutOf(s, layouts[:len(layouts)-1])
	return ok
}
