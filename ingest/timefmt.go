package ingest

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// isoLayouts are the ISO 8601 forms of a time, down to a day.
var isoLayouts = []string{
	time.RFC3339,
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02T15:04:05-0700", // offsets without a colon, as strftime's %z writes them
	"2006-01-02 15:04:05-0700",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 -07:00",
	"2006-01-02 15:04:05-07", // PostgreSQL's timestamptz text: hours only
	"2006-01-02T15:04:05-07",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006-01-02",
}

// layouts are the Go layouts tried, in order, when no format is given.
// The bare year comes last: looksLikeTime leaves it out.
var layouts = slices.Concat(isoLayouts, []string{
	"2006/01/02 15:04:05",
	"2006/01/02 15:04",
	"2006/01/02",
	"2006.01.02",
	"2006-01",
	"2006M01", // 1995M01, as statistics offices write months
	"2006M1",  // 1995M1
	"2006m01", // 1995m01, as Stata writes months
	"2006m1",
	"2006-1",  // 1995-1
	"01/2006", // 01/1995
	"1/2006",
	"FY2006",     // FY1995, a fiscal year by its year
	"Jan-2-2006", // Jan-1-1995
	"2-Jan-2006", // 1-Jan-1995, 01-Jan-1995
	"2-Jan-06",   // 1-Jan-95; years 30 to 99 19xx (see excelYears)
	"Jan 2, 2006",
	"January 2, 2006",
	"2 Jan 2006",
	"2 January 2006",
	"Jan-06",
	"Jan-2006", // Mar-1956, as R and spreadsheets write a month
	"Jan 2006",
	"January 2006",
	"2006",
})

// instantLayouts are the ways ParseInstant reads one time: the ISO 8601
// forms, down to a month or a year.
var instantLayouts = slices.Concat(isoLayouts, []string{"2006-01", "2006"})

// ParseInstant reads one time as people give it in a flag, a query
// parameter or a setting: RFC 3339 (2024-01-31T12:00:00Z), a date with or
// without a clock time (2024-01-31, 2024-01-31 12:00), a month (2024-01)
// or a year. A time without a zone is UTC. The error wraps ErrBadTime.
func ParseInstant(s string) (time.Time, error) {
	for _, layout := range instantLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%w: %q is not a time like 2024-01-31, 2024-01-31 12:00 or 2024-01-31T12:00:00Z", ErrBadTime, s)
}

// quarterFormats are the spellings of quarters tried, in order, when no
// format is given: 1959Q1, 1959-Q1, 1959 Q1, Q1 1959, Q1-1959 (the Q in
// any case).
var quarterFormats = []string{"%YQ%q", "%Y-Q%q", "%Y Q%q", "Q%q %Y", "Q%q-%Y"}

// quarterLayouts are the quarterFormats compiled.
var quarterLayouts = func() []*quarterLayout {
	ls := make([]*quarterLayout, len(quarterFormats))
	for k, f := range quarterFormats {
		var err error
		if ls[k], err = compileQuarter(f); err != nil {
			panic(err) // a bad entry in quarterFormats
		}
	}
	return ls
}()

// Special time formats, for Options.TimeFormat.
const (
	FormatUnix   = "unix"   // seconds since 1970-01-01 UTC, maybe with a fraction
	FormatUnixMs = "unixms" // milliseconds since 1970-01-01 UTC
	// FormatDecimalYear is a year with the months gone as a fraction, as
	// R's time() writes a monthly or quarterly ts: 1949.25 is April 1949.
	FormatDecimalYear = "decimal-year"
)

// decimalYear matches a FormatDecimalYear value.
var decimalYear = regexp.MustCompile(`^\d{4}(\.\d+)?$`)

// isDecimalYears says whether the first values of vals are decimal years
// (see FormatDecimalYear), one of them at least with a fraction.
func isDecimalYears(vals []string) bool {
	fraction := false
	for i, v := range vals {
		if i == 50 {
			break
		}
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		if !decimalYear.MatchString(v) {
			return false
		}
		fraction = fraction || strings.Contains(v, ".")
	}
	return fraction
}

// parseDecimalYear reads a FormatDecimalYear value, whose fraction must be
// a whole number of months (within a hundredth of one).
func parseDecimalYear(s string) (time.Time, error) {
	if !decimalYear.MatchString(s) {
		return time.Time{}, errors.New("not a decimal year such as 1949.25")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return time.Time{}, err
	}
	year, frac := math.Modf(v)
	months := math.Round(frac * 12)
	if math.Abs(frac*12-months) > 0.01 {
		return time.Time{}, fmt.Errorf("%s is not the start of a month: its fraction of a year is %.4f, %.2f months", s, frac, frac*12)
	}
	return time.Date(int(year), time.Month(1+int(months)), 1, 0, 0, 0, 0, time.UTC), nil
}

// formatFiscalYear names the fiscal years detected: 2001-02 (or 2001/02),
// a year across two calendar years, dated 1 January of the first.
const formatFiscalYear = "fiscal-year"

// fiscalYear matches a formatFiscalYear value: the first year and the
// last two digits of the second.
var fiscalYear = regexp.MustCompile(`^(\d{4})[-/](\d{2})$`)

// parseFiscalYear reads a formatFiscalYear value.
func parseFiscalYear(s string) (time.Time, error) {
	m := fiscalYear.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return time.Time{}, errors.New("not a fiscal year such as 2001-02")
	}
	year, _ := strconv.Atoi(m[1])
	if next, _ := strconv.Atoi(m[2]); next != (year+1)%100 {
		return time.Time{}, errors.New("not a fiscal year such as 2001-02: the second year does not follow the first")
	}
	return time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), nil
}

// formatISOWeek names the ISO 8601 week dates detected: 1980-W01 (or
// 1980W01, with a weekday 1980-W01-1), the Monday (or that day) of week 1
// of 1980, the week that holds its first Thursday.
const formatISOWeek = "iso-week"

// isoWeek matches a formatISOWeek value: the year, the week and the
// weekday, if any.
var isoWeek = regexp.MustCompile(`^(\d{4})-?W(\d{2})(?:-?([1-7]))?$`)

// parseISOWeek reads a formatISOWeek value.
func parseISOWeek(s string) (time.Time, error) {
	m := isoWeek.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return time.Time{}, errors.New("not an ISO week such as 1980-W01")
	}
	year, _ := strconv.Atoi(m[1])
	week, _ := strconv.Atoi(m[2])
	day := 1
	if m[3] != "" {
		day, _ = strconv.Atoi(m[3])
	}
	// Week 1 holds 4 January; its Monday starts the ISO year.
	jan4 := time.Date(year, 1, 4, 0, 0, 0, 0, time.UTC)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
	t := monday.AddDate(0, 0, 7*(week-1)+day-1)
	if y, w := t.ISOWeek(); week < 1 || y != year || w != week {
		return time.Time{}, dateRangeError(fmt.Sprintf("year %d has no ISO week %d", year, week))
	}
	return t, nil
}

// dateRangeError is a time written in its format that names no date: a
// week past its year's last.
type dateRangeError string

func (e dateRangeError) Error() string { return string(e) }

// noSuchTime says why err, from parsing a time in a format that fits its
// shape, names no date or time ("no such date: month out of range"), or
// returns "" if err is of another kind.
func noSuchTime(err error) string {
	var rng dateRangeError
	var pe *time.ParseError
	switch {
	case errors.As(err, &rng):
		return "no such date: " + rng.Error()
	case errors.As(err, &pe) && strings.HasSuffix(pe.Message, " out of range") && sameShape(pe.Layout, pe.Value):
		what := strings.TrimPrefix(pe.Message, ": ")
		if strings.HasPrefix(what, "month ") && !strings.HasPrefix(pe.Layout, "2006") {
			return "" // 01/14/2020 under day first: the order, more likely than the date
		}
		if strings.HasPrefix(what, "hour ") || strings.HasPrefix(what, "minute ") || strings.HasPrefix(what, "second ") {
			return "no such time: " + what
		}
		return "no such date: " + what
	}
	return ""
}

// sameShape reports whether value has the shape of layout, each run of
// digits taken as one (1949-13 that of 2006-01, 31/04/2020 that of
// 2/1/2006, a Z that of Z07:00), which a value of another layout need not
// have (2020-01-03 is read as month 20 under 01/02/2006).
func sameShape(layout, value string) bool {
	if strings.HasSuffix(value, "Z") {
		layout = strings.Replace(layout, "Z07:00", "Z", 1)
	}
	return digitRuns.ReplaceAllString(layout, "0") == digitRuns.ReplaceAllString(value, "0")
}

// digitRuns matches a run of digits.
var digitRuns = regexp.MustCompile(`[0-9]+`)

// rangeReason returns noSuchTime's reason for the first layout, quarter
// format or ISO week whose shape fits s but whose values name no date or
// time (2024-02-30, 2024-13-01, 2021-W53), or "".
func rangeReason(s string) string {
	if _, err := parseISOWeek(s); noSuchTime(err) != "" {
		return noSuchTime(err)
	}
	for _, l := range layouts {
		if _, err := time.Parse(l, s); noSuchTime(err) != "" {
			return noSuchTime(err)
		}
	}
	return ""
}

// candidates returns the parsers, in order of preference, whose format
// fits s: the layouts, quarterFormats and ISO weeks.
func candidates(s string) []timeParser {
	var ps []timeParser
	if _, err := parseISOWeek(s); err == nil {
		ps = append(ps, timeParser{format: formatISOWeek})
	}
	if _, err := parseFiscalYear(s); err == nil {
		ps = append(ps, timeParser{format: formatFiscalYear})
	}
	for _, l := range layouts {
		if _, err := time.Parse(l, s); err == nil {
			ps = append(ps, timeParser{format: l})
		}
	}
	for k, q := range quarterLayouts {
		if _, err := q.parse(s); err == nil {
			ps = append(ps, timeParser{format: quarterFormats[k], quarter: q})
		}
	}
	return ps
}

// timeParser parses the values of one time column.
type timeParser struct {
	format  string         // a Go layout, FormatUnix, FormatUnixMs, or a strftime format with %q
	given   string         // the strftime format the Go layout was made from, if any
	quarter *quarterLayout // set if format holds %q
	note    string         // how the format was chosen, if worth saying
	alts    []timeParser   // other detected formats that fit the first value, tried if this one fails a later one
}

// parseAll parses vals into times, in UTC, and returns the index of the
// first value it cannot parse, or -1, and the index of the first instant
// written with an offset from UTC, or -1. Dates written with a UTC offset
// (2024-03-01T00:00:00+02:00, as pandas writes a day of a time zone) mean
// that day: where every time is a midnight of its own offset, each is
// taken as its date in UTC, not as the instant, which falls on the day
// before (and on 22:00 or 23:00 across a change of daylight saving time).
func (p timeParser) parseAll(vals []string, times []time.Time) (bad, shifted int) {
	dates, shifted := true, -1
	for i, v := range vals {
		tm, err := p.parse(v)
		if err != nil {
			if tm, err = p.parse(strings.TrimSpace(v)); err != nil {
				return i, -1
			}
		}
		times[i] = tm
		if h, m, s := tm.Clock(); h != 0 || m != 0 || s != 0 || tm.Nanosecond() != 0 {
			dates = false
		}
		if _, off := tm.Zone(); off != 0 && shifted < 0 {
			shifted = i
		}
	}
	for i, tm := range times[:len(vals)] {
		if dates {
			y, m, d := tm.Date()
			times[i] = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		} else {
			times[i] = tm.UTC()
		}
	}
	if dates {
		shifted = -1
	}
	return -1, shifted
}

func (p timeParser) parse(s string) (time.Time, error) {
	switch {
	case p.quarter != nil:
		return p.quarter.parse(s)
	case p.format == FormatDecimalYear:
		return parseDecimalYear(s)
	case p.format == formatISOWeek:
		return parseISOWeek(s)
	case p.format == formatFiscalYear:
		return parseFiscalYear(s)
	case p.format == FormatUnix, p.format == FormatUnixMs:
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
	// In the offset written, if any: parseAll decides how to take it.
	// Not time.Parse, which gives a zone abbreviation (MST) the offset it
	// has where the program runs: EST was 5 hours on under TZ=America/
	// New_York and UTC under TZ=UTC.
	t, err := time.ParseInLocation(p.format, s, time.UTC)
	if err == nil && strings.Contains(p.format, "MST") {
		t, err = withZoneOffset(t)
	}
	if err == nil && excelYears[p.format] && t.Year() >= 2000+excelPivot {
		t = t.AddDate(-100, 0, 0)
	}
	return t, err
}

// zoneOffsets are the UTC offsets, in hours, of the time zone
// abbreviations read: those that name one offset only (not CST, IST, BST
// or AST, each of which names several).
var zoneOffsets = map[string]float64{
	"UTC": 0, "UT": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 1, "CET": 1, "CEST": 2, "MET": 1, "MEST": 2, "EET": 2, "EEST": 3, "MSK": 3,
	"EST": -5, "EDT": -4, "CDT": -5, "MDT": -6, "MST": -7, "PST": -8, "PDT": -7, "AKST": -9, "AKDT": -8, "HST": -10,
	"JST": 9, "KST": 9, "HKT": 8, "SGT": 8, "AWST": 8, "ACST": 9.5, "ACDT": 10.5, "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13,
}

// zoneError is the error of a time zone abbreviation not in zoneOffsets.
type zoneError string

func (z zoneError) Error() string {
	return fmt.Sprintf("time zone %q has no single UTC offset known here (CST, IST and BST each name several zones): write the times with offsets such as +01:00, or in UTC", string(z))
}

// withZoneOffset gives t, parsed in UTC with a zone abbreviation, the
// offset zoneOffsets gives the abbreviation; an abbreviation it lacks is
// an error.
func withZoneOffset(t time.Time) (time.Time, error) {
	name, off := t.Zone()
	if off != 0 { // an offset written beside the abbreviation
		return t, nil
	}
	hours, ok := zoneOffsets[strings.ToUpper(name)]
	if !ok {
		return time.Time{}, zoneError(name)
	}
	zone := time.FixedZone(name, int(hours*3600))
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), zone), nil
}

// excelYears are the detected layouts with a year of two digits, as
// spreadsheets display dates (d-mmm-yy, mmm-yy); excelPivot is where
// Excel reads such a year in the 1900s, from 30 on: Jan-49 is January 1949
// (Go and strptime read 69 to 99 as 19xx and the rest as 20xx, which put
// AirPassengers in 2049 to 2060).
var excelYears = map[string]bool{"2-Jan-06": true, "Jan-06": true}

const excelPivot = 30

// name is the format as Dataset.TimeFormat reports it.
func (p timeParser) name() string {
	if p.given != "" {
		return p.given
	}
	return p.format
}

// describe names the format in messages.
func (p timeParser) describe() string {
	switch {
	case p.format == FormatUnix:
		return "Unix seconds"
	case p.format == FormatUnixMs:
		return "Unix milliseconds"
	case p.format == FormatDecimalYear:
		return "decimal years of whole months (R's time() of a monthly or quarterly ts; for labels such as 2020.01 give --time-format 2006.01, for others --time none)"
	case p.format == formatISOWeek:
		return "ISO weeks (1980-W01, the Monday of week 1)"
	case p.format == formatFiscalYear:
		return "fiscal years (2001-02, dated 1 January 2001)"
	case p.quarter != nil || p.given != "":
		return "the format " + p.name()
	}
	return "the layout " + p.format
}

// quarterLayout is a strftime format holding a quarter (%q, as pandas
// writes it), which Go layouts cannot express: %Y or %y, %q and literal
// text, the letters matched in any case.
type quarterLayout struct {
	re     *regexp.Regexp
	fields []byte // the directive of each group: 'Y', 'y' or 'q'
}

// compileQuarter compiles a strftime format holding %q.
func compileQuarter(format string) (*quarterLayout, error) {
	q := &quarterLayout{}
	var b strings.Builder
	b.WriteString(`(?i)^`)
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			b.WriteString(regexp.QuoteMeta(format[i : i+1]))
			continue
		}
		if i+1 >= len(format) {
			return nil, fmt.Errorf("time format %q ends in %%", format)
		}
		i++
		switch format[i] {
		case 'Y':
			b.WriteString(`(\d{4})`)
		case 'y':
			b.WriteString(`(\d{2})`)
		case 'q':
			b.WriteString(`([1-4])`)
		case '%':
			b.WriteString("%")
			continue
		default:
			return nil, fmt.Errorf("time format %q: %%%c cannot go with a quarter (%%q): want only %%Y or %%y besides", format, format[i])
		}
		q.fields = append(q.fields, format[i])
	}
	if !slices.Contains(q.fields, 'q') || !slices.ContainsFunc(q.fields, func(c byte) bool { return c == 'Y' || c == 'y' }) {
		return nil, fmt.Errorf("time format %q: a quarter (%%q) needs a year (%%Y or %%y)", format)
	}
	b.WriteString(`$`)
	q.re = regexp.MustCompile(b.String())
	return q, nil
}

// parse returns the first day of the quarter s names.
func (q *quarterLayout) parse(s string) (time.Time, error) {
	m := q.re.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, errors.New("not a quarter in this format")
	}
	year, quarter := 0, 0
	for k, f := range q.fields {
		n, _ := strconv.Atoi(m[k+1])
		switch f {
		case 'Y':
			year = n
		case 'y':
			year = 1900 + n // 69 to 99, as strptime reads %y
			if n < 69 {
				year = 2000 + n
			}
		case 'q':
			quarter = n
		}
	}
	return time.Date(year, time.Month(3*quarter-2), 1, 0, 0, 0, 0, time.UTC), nil
}

// strftime maps %-directives to Go layout elements.
var strftime = map[byte]string{
	'Y': "2006", 'y': "06", 'm': "01", 'd': "02", 'e': "_2", 'H': "15", 'I': "03",
	'M': "04", 'S': "05", 'p': "PM", 'b': "Jan", 'B': "January", 'a': "Mon",
	'A': "Monday", 'z': "-0700", 'Z': "MST", 'f': "999999999", 'j': "002", '%': "%",
}

// unpadded maps the numeric strftime directives to the Go layout elements
// that take one digit or two: %-d, and %d as Python's strptime reads it.
var unpadded = map[byte]string{'m': "1", 'd': "2", 'H': "15", 'I': "3", 'M': "4", 'S': "5"}

// goLayout turns a --time-format into a Go layout: strftime directives
// such as %d/%m/%Y are translated, anything else is a Go layout already.
// As in Python's strptime, %d, %m, %H, %I, %M and %S take one digit or
// two, except right before another directive (%Y%m%d), where only two
// digits tell the fields apart; %-d and the like (glibc's unpadded
// fields) are read alike.
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
		if i+1 < len(format) && format[i+1] == '-' {
			i++
			if i+1 >= len(format) || unpadded[format[i+1]] == "" {
				return "", fmt.Errorf("time format %q: %%- goes only before d, m, H, I, M or S", format)
			}
			i++
			b.WriteString(unpadded[format[i]])
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
		if u := unpadded[format[i]]; u != "" && (i+1 >= len(format) || format[i+1] != '%') {
			l = u
		}
		if format[i] == 'f' && b.Len() > 0 && strings.HasSuffix(b.String(), ".") {
			l = "999999999"
		}
		b.WriteString(l)
	}
	return b.String(), nil
}

// dmy matches day/month/year or month/day/year dates with /, . or -, the
// year in 4 digits or 2, optionally followed by a clock time.
var dmy = regexp.MustCompile(`^(\d{1,2})([/.-])(\d{1,2})([/.-])(\d{4}|\d{2})((?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?)$`)

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
	case FormatDecimalYear:
		return timeParser{format: FormatDecimalYear}, nil
	case formatISOWeek:
		return timeParser{format: formatISOWeek}, nil
	case formatFiscalYear:
		return timeParser{format: formatFiscalYear}, nil
	default:
		if strings.Contains(format, "%q") {
			q, err := compileQuarter(format)
			if err != nil {
				return timeParser{}, cellErr(0, mark(ErrBadTime, "%v", err))
			}
			return timeParser{format: format, quarter: q}, nil
		}
		l, err := goLayout(format)
		if err != nil {
			return timeParser{}, cellErr(0, mark(ErrBadTime, "%v", err))
		}
		p := timeParser{format: l}
		if l != format {
			p.given = format
		}
		return p, nil
	}
	v0 := strings.TrimSpace(vals[0])
	if isDecimalYears(vals) {
		example := v0
		for _, v := range vals {
			if strings.Contains(v, ".") {
				example = strings.TrimSpace(v)
				break
			}
		}
		return timeParser{format: FormatDecimalYear, note: fmt.Sprintf("read %q-style times as decimal years, as R's time() writes them (1949.25 is April 1949)", example)}, nil
	}
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
			"parse %s as a time: a %d-digit number is not a year (4 digits), YYYYMMDD (8), Unix seconds (10) or milliseconds (13): "+
				"give --time-format, or --time none for integer steps", quoteCell(v0), len(v0)))
	}
	if m := dmy.FindStringSubmatch(v0); m != nil && m[2] == m[4] {
		return chooseDMY(vals, m[2], len(m[5]), cellErr)
	}
	cands := candidates(v0)
	if len(cands) == 0 {
		if why := rangeReason(v0); why != "" {
			return timeParser{}, cellErr(0, mark(ErrBadTime, "parse %s as a time: %s", quoteCell(v0), why))
		}
		return timeParser{}, cellErr(0, mark(ErrBadTime,
			"parse %s as a time: no known format fits it (such as %s); give --time-format", quoteCell(v0), strings.Join(formatExamples, ", ")))
	}
	p := cands[0]
	p.alts = cands[1:]
	return p, nil
}

// formatExamples are some of the formats detected, for messages.
var formatExamples = []string{"2006-01-02", "2006-01-02 15:04:05", "02/01/2006", "Jan-2-2006", "2-Jan-06",
	"1995M01 (2006M01)", "1959Q1 (%YQ%q)", "Q1 1959 (Q%q %Y)", "19950101 (YYYYMMDD)"}

// chooseDMY decides between day/month/year and month/day/year from the
// values: a first number above 12 rules out month first, a second one above
// 12 rules out day first. If neither is ruled out the column is ambiguous.
func chooseDMY(vals []string, sep string, yearDigits int, cellErr func(i int, err error) error) (timeParser, error) {
	dayFirst, monthFirst := -1, -1 // the rows that rule out the other order
	clockLen := -1
	// Whether the first and the second numbers are each the same on every
	// row, and those numbers: monthly data on the 1st, 1/1/1960, 2/1/1960,
	// …, whose second number never changes over more than 12 dates (no
	// clock time), is month first (13 days in a row would have had a day
	// past 12; the rows of a long file repeat their dates).
	firstSame, secondSame, firstNum, secondNum := true, true, -1, -1
	dates := map[string]bool{} // the distinct dates, of values without a clock time
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
		if firstNum < 0 {
			firstNum, secondNum = a, b
		}
		if m[6] == "" {
			dates[m[1]+sep+m[3]+sep+m[5]] = true
		}
		firstSame, secondSame = firstSame && a == firstNum, secondSame && b == secondNum
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
	year := "2006"
	if yearDigits == 2 {
		year = "06"
	}
	dm := "2" + sep + "1" + sep + year + clk
	md := "1" + sep + "2" + sep + year + clk
	switch {
	case dayFirst >= 0 && monthFirst >= 0:
		return timeParser{}, cellErr(monthFirst, mark(ErrBadTime,
			"parse %s as a time: %s on an earlier row is day first, this one month first; give --time-format", quoteCell(vals[monthFirst]), quoteCell(vals[dayFirst])))
	case dayFirst >= 0:
		return timeParser{format: dm, note: fmt.Sprintf("read dates as day%smonth%syear (%s) because of %q", sep, sep, dm, vals[dayFirst])}, nil
	case monthFirst >= 0:
		return timeParser{format: md, note: fmt.Sprintf("read dates as month%sday%syear (%s) because of %q", sep, sep, md, vals[monthFirst])}, nil
	case len(dates) > 12 && clockLen <= 0 && secondSame && !firstSame:
		return timeParser{format: md, note: fmt.Sprintf("read dates as month%sday%syear (%s): the second number is %d on every row, the day of monthly data", sep, sep, md, secondNum)}, nil
	case len(dates) > 12 && clockLen <= 0 && firstSame && !secondSame:
		return timeParser{format: dm, note: fmt.Sprintf("read dates as day%smonth%syear (%s): the first number is %d on every row, the day of monthly data", sep, sep, dm, firstNum)}, nil
	}
	return timeParser{}, cellErr(0, mark(ErrBadTime,
		"ambiguous date %q: day%smonth%syear or month%sday%syear? no value tells; give --time-format, e.g. %s or %s",
		vals[0], sep, sep, sep, sep, "02"+sep+"01"+sep+year, "01"+sep+"02"+sep+year))
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
	return len(candidates(s)) > 0
}
