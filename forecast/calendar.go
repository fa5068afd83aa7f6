package forecast

import (
	"math"
	"time"

	"github.com/forecast-dev/forecast/ingest"
)

// calendarFeature is one covariate derived from a timestamp: the sine or
// cosine of its position in a cycle (hour of day, day of week, day of year,
// month of year), so that the end of a cycle sits next to its start.
type calendarFeature struct {
	name  string
	value func(t time.Time) float64
}

// cyclic returns the sine and cosine features of a cycle of period p whose
// position in time t is pos(t).
func cyclic(name string, p float64, pos func(t time.Time) float64) []calendarFeature {
	return []calendarFeature{
		{calendarPrefix + name + "_sin", func(t time.Time) float64 { return math.Sin(2 * math.Pi * pos(t) / p) }},
		{calendarPrefix + name + "_cos", func(t time.Time) float64 { return math.Cos(2 * math.Pi * pos(t) / p) }},
	}
}

// calendarFeatures returns the cycles that vary within a series of frequency
// f: hour of day below a day, day of week below a week, day of year from a
// day up to below a month, month of year from a month up to below a year.
// A series without times, or yearly, gets none.
func calendarFeatures(f ingest.Freq) []calendarFeature {
	all := allCalendarFeatures()
	hour, weekday, yearday, month := all[0:2], all[2:4], all[4:6], all[6:8]
	var out []calendarFeature
	switch {
	case f.Months > 0 && f.Months < 12:
		out = append(out, month...)
	case f.Months == 0 && f.Step > 0:
		if f.Step < 24*time.Hour {
			out = append(out, hour...)
		}
		if f.Step < 7*24*time.Hour {
			out = append(out, weekday...)
		}
		if f.Step >= 24*time.Hour && f.Step < 28*24*time.Hour {
			out = append(out, yearday...)
		}
	}
	return out
}

// allCalendarFeatures lists every calendar feature: hour of day, day of
// week, day of year and month of year, each as sine and cosine.
func allCalendarFeatures() []calendarFeature {
	var out []calendarFeature
	out = append(out, cyclic("hour", 24, func(t time.Time) float64 {
		return float64(t.Hour()) + float64(t.Minute())/60 + float64(t.Second())/3600
	})...)
	out = append(out, cyclic("weekday", 7, func(t time.Time) float64 { return float64(t.Weekday()) })...)
	out = append(out, cyclic("yearday", 365.25, func(t time.Time) float64 { return float64(t.YearDay() - 1) })...)
	out = append(out, cyclic("month", 12, func(t time.Time) float64 { return float64(t.Month() - 1) })...)
	return out
}

// calendarFeatureNamed returns the calendar feature called name.
func calendarFeatureNamed(name string) (calendarFeature, bool) {
	for _, f := range allCalendarFeatures() {
		if f.name == name {
			return f, true
		}
	}
	return calendarFeature{}, false
}
