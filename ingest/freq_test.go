package ingest_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/ingest"
)

// monthly returns n times a month apart from y-m-d.
func monthly(y int, m time.Month, d, n, step int) []time.Time {
	ts := make([]time.Time, n)
	for i := range ts {
		ts[i] = time.Date(y, m+time.Month(i*step), d, 0, 0, 0, 0, time.UTC)
	}
	return ts
}

// every returns n times step apart from t.
func every(t time.Time, step time.Duration, n int) []time.Time {
	ts := make([]time.Time, n)
	for i := range ts {
		ts[i] = t.Add(time.Duration(i) * step)
	}
	return ts
}

func TestInferFreq(t *testing.T) {
	t0 := date(2016, 7, 1, 0, 0)
	tests := []struct {
		Name  string
		Times []time.Time
		Freq  ingest.Freq
		Error error
	}{
		{Name: "Monthly", Times: monthly(1949, 1, 1, 144, 1), Freq: ingest.Freq{Months: 1}},
		{Name: "MonthlyMidMonth", Times: monthly(1999, 11, 15, 5, 1), Freq: ingest.Freq{Months: 1}},
		// One date of 24 mistyped mid-month: still monthly, the odd one
		// off the grid (it made the step 31 days, which the first
		// 30-day month broke, at another line).
		{Name: "MonthlyOneMistyped", Times: slices.Concat(monthly(2019, 3, 1, 18, 1), []time.Time{date(2020, 9, 15, 0, 0)}, monthly(2020, 10, 1, 5, 1)), Freq: ingest.Freq{Months: 1}},
		{Name: "MonthlyGap", Times: []time.Time{date(2000, 1, 1, 0, 0), date(2000, 2, 1, 0, 0), date(2000, 4, 1, 0, 0), date(2000, 5, 1, 0, 0)}, Freq: ingest.Freq{Months: 1}},
		{Name: "Quarterly", Times: monthly(1990, 1, 1, 9, 3), Freq: ingest.Freq{Months: 3}},
		{Name: "Yearly", Times: monthly(1990, 1, 1, 4, 12), Freq: ingest.Freq{Months: 12}},
		{Name: "TwoTimes", Times: monthly(1990, 1, 1, 2, 1), Freq: ingest.Freq{Months: 1}},
		{Name: "Hourly", Times: every(t0, time.Hour, 100), Freq: ingest.Freq{Step: time.Hour}},
		{Name: "Daily", Times: every(t0, 24*time.Hour, 400), Freq: ingest.Freq{Step: 24 * time.Hour}},
		{Name: "DailyGap", Times: append(every(t0, 24*time.Hour, 3), every(t0.AddDate(0, 0, 5), 24*time.Hour, 3)...), Freq: ingest.Freq{Step: 24 * time.Hour}},
		{Name: "Weekly", Times: every(t0, 7*24*time.Hour, 20), Freq: ingest.Freq{Step: 7 * 24 * time.Hour}},
		{Name: "QuarterHour", Times: every(t0, 15*time.Minute, 10), Freq: ingest.Freq{Step: 15 * time.Minute}},
		// A tie goes to the smaller step.
		{Name: "Tie", Times: []time.Time{t0, t0.Add(2 * time.Hour), t0.Add(3 * time.Hour)}, Freq: ingest.Freq{Step: time.Hour}},
		{Name: "HourlyAcrossMonths", Times: every(date(2020, 1, 31, 23, 0), time.Hour, 3), Freq: ingest.Freq{Step: time.Hour}},
		{Name: "MonthEnd", Times: []time.Time{date(2019, 11, 30, 0, 0), date(2019, 12, 31, 0, 0), date(2020, 1, 31, 0, 0), date(2020, 2, 29, 0, 0)}, Freq: ingest.Freq{Months: 1, MonthEnd: true}},
		// Day 30, and February's last day: dateutil's months from 30 Jan.
		{Name: "MonthlyDay30", Times: []time.Time{date(2021, 1, 30, 0, 0), date(2021, 2, 28, 0, 0), date(2021, 3, 30, 0, 0), date(2021, 4, 30, 0, 0)}, Freq: ingest.Freq{Months: 1, Day: 30}},
		{Name: "MonthlyDay29", Times: []time.Time{date(2020, 1, 29, 0, 0), date(2020, 2, 29, 0, 0), date(2020, 3, 29, 0, 0), date(2021, 1, 29, 0, 0), date(2021, 2, 28, 0, 0), date(2021, 3, 29, 0, 0)}, Freq: ingest.Freq{Months: 1, Day: 29}},
		// On the 30th with no month too short for it: the day is kept anyway.
		{Name: "QuarterlyDay30", Times: monthly(2021, 3, 30, 4, 3), Freq: ingest.Freq{Months: 3}},
		// The last business day: 2010-01-29 is a Friday, 2010-01-31 a Sunday.
		{Name: "MonthlyBusinessEnd", Times: []time.Time{date(2010, 1, 29, 0, 0), date(2010, 2, 26, 0, 0), date(2010, 3, 31, 0, 0), date(2010, 4, 30, 0, 0),
			date(2010, 5, 31, 0, 0), date(2010, 6, 30, 0, 0), date(2010, 7, 30, 0, 0)}, Freq: ingest.Freq{Months: 1, BusinessEnd: true}},
		// 2024-03-28, before Good Friday, and a gap in April.
		{Name: "MonthlyBusinessEndHoliday", Times: []time.Time{date(2023, 12, 29, 0, 0), date(2024, 1, 31, 0, 0), date(2024, 2, 29, 0, 0), date(2024, 3, 28, 0, 0),
			date(2024, 5, 31, 0, 0), date(2024, 6, 28, 0, 0)}, Freq: ingest.Freq{Months: 1, BusinessEnd: true}},
		{Name: "QuarterlyBusinessEnd", Times: []time.Time{date(2021, 12, 31, 0, 0), date(2022, 3, 31, 0, 0), date(2022, 6, 30, 0, 0), date(2022, 9, 30, 0, 0), date(2022, 12, 30, 0, 0)},
			Freq: ingest.Freq{Months: 3, BusinessEnd: true}},
		// Month ends that happen to be weekdays stay month ends.
		{Name: "MonthEndOnWeekdays", Times: []time.Time{date(2021, 3, 31, 0, 0), date(2021, 4, 30, 0, 0), date(2021, 5, 31, 0, 0), date(2021, 6, 30, 0, 0)}, Freq: ingest.Freq{Months: 1, MonthEnd: true}},
		{Name: "QuarterEnd", Times: []time.Time{date(2019, 12, 31, 0, 0), date(2020, 3, 31, 0, 0), date(2020, 6, 30, 0, 0), date(2020, 9, 30, 0, 0)}, Freq: ingest.Freq{Months: 3, MonthEnd: true}},
		// 2024-01-05 is a Friday; the 10th is absent.
		{Name: "BusinessDays", Times: []time.Time{date(2024, 1, 4, 0, 0), date(2024, 1, 5, 0, 0), date(2024, 1, 8, 0, 0), date(2024, 1, 9, 0, 0), date(2024, 1, 11, 0, 0)}, Freq: ingest.Freq{BusinessDays: 1}},
		// Four weeks of business days and one stray Saturday: business days
		// still (it made the step daily, every weekend a gap).
		{Name: "BusinessDaysStraySaturday", Times: slices.Concat(every(date(2024, 1, 1, 0, 0), 24*time.Hour, 5), every(date(2024, 1, 8, 0, 0), 24*time.Hour, 6),
			every(date(2024, 1, 15, 0, 0), 24*time.Hour, 5), every(date(2024, 1, 22, 0, 0), 24*time.Hour, 5)), Freq: ingest.Freq{BusinessDays: 1}},
		// Monday to Friday without a weekend between: plain days.
		{Name: "WeekdaysOnly", Times: every(date(2024, 1, 8, 0, 0), 24*time.Hour, 5), Freq: ingest.Freq{Step: 24 * time.Hour}},
		{Name: "OneTime", Times: []time.Time{t0}, Error: ingest.ErrEmpty},
		{Name: "None", Error: ingest.ErrEmpty},
		{Name: "Equal", Times: []time.Time{t0, t0}, Error: ingest.ErrUnsorted},
		{Name: "Decreasing", Times: []time.Time{t0, t0.Add(time.Hour), t0}, Error: ingest.ErrUnsorted},
	}
	for _, tt := range tests {
		t.Run(tt.Name, func(t *testing.T) {
			got, err := ingest.InferFreq(tt.Times)
			if tt.Error != nil {
				if !errors.Is(err, tt.Error) {
					t.Errorf("InferFreq() error = %v, want %v", err, tt.Error)
				}
				return
			}
			if err != nil || got != tt.Freq {
				t.Errorf("InferFreq() = %+v, %v, want %+v", got, err, tt.Freq)
			}
		})
	}
}

func TestFreqAdd(t *testing.T) {
	tests := []struct {
		Freq ingest.Freq
		T    time.Time
		K    int
		Want time.Time
	}{
		{ingest.Freq{Months: 1}, date(1959, 11, 1, 0, 0), 3, date(1960, 2, 1, 0, 0)},
		{ingest.Freq{Months: 1}, date(1960, 1, 1, 0, 0), -2, date(1959, 11, 1, 0, 0)},
		{ingest.Freq{Months: 1}, date(1960, 12, 1, 0, 0), 1, date(1961, 1, 1, 0, 0)},
		{ingest.Freq{Months: 1}, date(1949, 1, 1, 0, 0), 143, date(1960, 12, 1, 0, 0)},
		{ingest.Freq{Months: 3}, date(1999, 10, 1, 6, 30), 5, date(2001, 1, 1, 6, 30)},
		{ingest.Freq{Months: 12}, date(2020, 2, 1, 0, 0), -21, date(1999, 2, 1, 0, 0)},
		// Days past the end of the new month are clamped, not carried over.
		{ingest.Freq{Months: 1}, date(2020, 1, 31, 0, 0), 1, date(2020, 2, 29, 0, 0)},
		{ingest.Freq{Months: 1}, date(2021, 1, 31, 0, 0), 1, date(2021, 2, 28, 0, 0)},
		{ingest.Freq{Months: 1}, date(2021, 3, 31, 0, 0), -1, date(2021, 2, 28, 0, 0)},
		{ingest.Freq{Months: 1}, date(2021, 3, 15, 0, 0), 1, date(2021, 4, 15, 0, 0)},
		{ingest.Freq{Step: time.Hour}, date(2018, 12, 31, 23, 0), 2, date(2019, 1, 1, 1, 0)},
		{ingest.Freq{Step: 24 * time.Hour}, date(2020, 3, 1, 0, 0), -1, date(2020, 2, 29, 0, 0)},
		{ingest.Freq{}, date(2020, 3, 1, 0, 0), 7, date(2020, 3, 1, 0, 0)},
		// Month ends stay month ends.
		{ingest.Freq{Months: 1, MonthEnd: true}, date(2021, 2, 28, 0, 0), 1, date(2021, 3, 31, 0, 0)},
		{ingest.Freq{Months: 1, MonthEnd: true}, date(2021, 3, 31, 0, 0), -1, date(2021, 2, 28, 0, 0)},
		{ingest.Freq{Months: 3, MonthEnd: true}, date(2019, 12, 31, 0, 0), 1, date(2020, 3, 31, 0, 0)},
		{ingest.Freq{Months: 12, MonthEnd: true}, date(2019, 2, 28, 0, 0), 1, date(2020, 2, 29, 0, 0)},
		// Days anchored at the 30th return to it after February.
		{ingest.Freq{Months: 1, Day: 30}, date(2021, 2, 28, 0, 0), 1, date(2021, 3, 30, 0, 0)},
		{ingest.Freq{Months: 1, Day: 30}, date(2021, 3, 30, 0, 0), -1, date(2021, 2, 28, 0, 0)},
		{ingest.Freq{Months: 1, Day: 30}, date(2019, 11, 30, 0, 0), 3, date(2020, 2, 29, 0, 0)},
		{ingest.Freq{Months: 12, Day: 29}, date(2021, 2, 28, 0, 0), -1, date(2020, 2, 29, 0, 0)},
		// Business ends are the month's last weekday, from one a holiday
		// moved too (2024-03-28, before Good Friday); 2020-02-29 is a
		// Saturday, 2022-12-31 too.
		{ingest.Freq{Months: 1, BusinessEnd: true}, date(2024, 3, 28, 0, 0), 1, date(2024, 4, 30, 0, 0)},
		{ingest.Freq{Months: 1, BusinessEnd: true}, date(2024, 3, 28, 0, 0), 2, date(2024, 5, 31, 0, 0)},
		{ingest.Freq{Months: 1, BusinessEnd: true}, date(2020, 3, 31, 0, 0), -1, date(2020, 2, 28, 0, 0)},
		{ingest.Freq{Months: 1, BusinessEnd: true}, date(2010, 1, 29, 9, 30), 6, date(2010, 7, 30, 9, 30)},
		{ingest.Freq{Months: 12, BusinessEnd: true}, date(2021, 12, 31, 0, 0), 1, date(2022, 12, 30, 0, 0)},
		// Business days skip weekends: 2024-01-05 is a Friday.
		{ingest.Freq{BusinessDays: 1}, date(2024, 1, 5, 9, 30), 1, date(2024, 1, 8, 9, 30)},
		{ingest.Freq{BusinessDays: 1}, date(2024, 1, 8, 0, 0), -1, date(2024, 1, 5, 0, 0)},
		{ingest.Freq{BusinessDays: 1}, date(2024, 1, 5, 0, 0), 11, date(2024, 1, 22, 0, 0)},
		{ingest.Freq{BusinessDays: 2}, date(2024, 1, 4, 0, 0), 1, date(2024, 1, 8, 0, 0)},
		{ingest.Freq{BusinessDays: 1}, date(2024, 1, 6, 0, 0), 1, date(2024, 1, 8, 0, 0)},
		{ingest.Freq{BusinessDays: 1}, date(2024, 1, 6, 0, 0), 5, date(2024, 1, 12, 0, 0)},
		{ingest.Freq{BusinessDays: 1}, date(2024, 1, 7, 0, 0), -5, date(2024, 1, 1, 0, 0)},
		// Steps whose sum outruns a time.Duration (292 years): 300000 hours
		// is 12500 days, and ten of them 125000 days (Python's timedelta).
		{ingest.Freq{Step: 300000 * time.Hour}, date(2024, 1, 1, 0, 0), 10, date(2366, 3, 29, 0, 0)},
		{ingest.Freq{Step: 300000 * time.Hour}, date(2366, 3, 29, 0, 0), -10, date(2024, 1, 1, 0, 0)},
	}
	for _, tt := range tests {
		if got := tt.Freq.Add(tt.T, tt.K); !got.Equal(tt.Want) {
			t.Errorf("%+v.Add(%v, %d) = %v, want %v", tt.Freq, tt.T, tt.K, got, tt.Want)
		}
	}
}

// TestFreqAddMonthStart checks that month steps from a day-1 time match
// AddDate, stay on day 1 and undo each other, across many years.
func TestFreqAddMonthStart(t *testing.T) {
	for _, months := range []int{1, 2, 3, 6, 12} {
		f := ingest.Freq{Months: months}
		for _, t0 := range monthly(1949, 1, 1, 30, 5) {
			for k := -50; k <= 50; k++ {
				got := f.Add(t0, k)
				if want := t0.AddDate(0, k*months, 0); !got.Equal(want) || got.Day() != 1 {
					t.Fatalf("%+v.Add(%v, %d) = %v, want %v", f, t0, k, got, want)
				}
				if back := f.Add(got, -k); !back.Equal(t0) {
					t.Fatalf("%+v.Add(%v, %d) = %v, want %v", f, got, -k, back, t0)
				}
			}
		}
	}
}

func TestFreqString(t *testing.T) {
	tests := []struct {
		Freq ingest.Freq
		Want string
	}{
		{ingest.Freq{}, "steps"},
		{ingest.Freq{Months: 1}, "monthly"},
		{ingest.Freq{Months: 3}, "quarterly"},
		{ingest.Freq{Months: 12}, "yearly"},
		{ingest.Freq{Months: 6}, "6mo"},
		{ingest.Freq{Months: 120}, "10Y"},
		{ingest.Freq{Months: 24, MonthEnd: true}, "2Y (end)"},
		{ingest.Freq{Step: time.Hour}, "hourly"},
		{ingest.Freq{Step: 24 * time.Hour}, "daily"},
		{ingest.Freq{Step: 7 * 24 * time.Hour}, "weekly"},
		{ingest.Freq{Step: 2 * 24 * time.Hour}, "2d"},
		{ingest.Freq{Step: 2 * time.Hour}, "2h"},
		{ingest.Freq{Step: 90 * time.Minute}, "1h30m"},
		{ingest.Freq{Step: 15 * time.Minute}, "15m"},
		{ingest.Freq{Step: 10 * time.Second}, "10s"},
		{ingest.Freq{Step: 1500 * time.Millisecond}, "1.5s"},
		{ingest.Freq{BusinessDays: 1}, "business-daily"},
		{ingest.Freq{BusinessDays: 2}, "2bd"},
		{ingest.Freq{Months: 1, MonthEnd: true}, "monthly (end)"},
		{ingest.Freq{Months: 3, MonthEnd: true}, "quarterly (end)"},
		{ingest.Freq{Months: 2, MonthEnd: true}, "2mo (end)"},
		{ingest.Freq{Months: 1, BusinessEnd: true}, "monthly (business end)"},
		{ingest.Freq{Months: 3, BusinessEnd: true}, "quarterly (business end)"},
		{ingest.Freq{Months: 1, Day: 30}, "monthly (day 30)"},
		{ingest.Freq{Months: 3, Day: 29}, "quarterly (day 29)"},
	}
	for _, tt := range tests {
		if got := tt.Freq.String(); got != tt.Want {
			t.Errorf("%+v.String() = %q, want %q", tt.Freq, got, tt.Want)
		}
		if tt.Freq == (ingest.Freq{}) {
			continue
		}
		if back, err := ingest.ParseFreq(tt.Want); err != nil || back != tt.Freq {
			t.Errorf("ParseFreq(%q) = %+v, %v, want %+v", tt.Want, back, err, tt.Freq)
		}
	}
}

func TestParseFreq(t *testing.T) {
	tests := []struct {
		In   string
		Want ingest.Freq
	}{
		{"15min", ingest.Freq{Step: 15 * time.Minute}},
		{"h", ingest.Freq{Step: time.Hour}},
		{"2H", ingest.Freq{Step: 2 * time.Hour}},
		{"D", ingest.Freq{Step: 24 * time.Hour}},
		{"B", ingest.Freq{BusinessDays: 1}},
		{"W", ingest.Freq{Step: 7 * 24 * time.Hour}},
		{"MS", ingest.Freq{Months: 1}},
		{"ME", ingest.Freq{Months: 1, MonthEnd: true}},
		{"QS", ingest.Freq{Months: 3}},
		{"QE", ingest.Freq{Months: 3, MonthEnd: true}},
		{"YS", ingest.Freq{Months: 12}},
		{"YE", ingest.Freq{Months: 12, MonthEnd: true}},
		{"BME", ingest.Freq{Months: 1, BusinessEnd: true}},
		{"BM", ingest.Freq{Months: 1, BusinessEnd: true}},
		{"2BME", ingest.Freq{Months: 2, BusinessEnd: true}},
		{"BQE", ingest.Freq{Months: 3, BusinessEnd: true}},
		{"BYE", ingest.Freq{Months: 12, BusinessEnd: true}},
		{"Daily", ingest.Freq{Step: 24 * time.Hour}},
		{"90s", ingest.Freq{Step: 90 * time.Second}},
		{"876600h", ingest.Freq{Step: 36525 * 24 * time.Hour}},
		{"100Y", ingest.Freq{Months: 1200}},
	}
	for _, tt := range tests {
		if got, err := ingest.ParseFreq(tt.In); err != nil || got != tt.Want {
			t.Errorf("ParseFreq(%q) = %+v, %v, want %+v", tt.In, got, err, tt.Want)
		}
	}
	for _, bad := range []string{"", "M", "0h", "fortnightly", "-1h", "daily (end)", "daily (day 30)", "monthly (day 31)", "monthly (day x)", "monthly (end) (day 30)",
		"daily (business end)", "monthly (end) (business end)", "monthly (business end) (end)", "monthly (day 30) (end)", "0BME",
		// Steps over 100 years, beyond what a time.Duration holds or
		// near it: 2^63−1 minutes wrapped round.
		"876601h", "101Y", "1201mo", "401QS", "9223372036854775807min", "9223372036854775807Y"} {
		if got, err := ingest.ParseFreq(bad); err == nil {
			t.Errorf("ParseFreq(%q) = %+v, want an error", bad, got)
		}
	}
}
