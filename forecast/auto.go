package forecast

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/forecast-dev/forecast/forecast/classical"
	"github.com/forecast-dev/forecast/ingest"
)

// smallData is the most train windows × lookback steps, summed over the
// series, for which Fit affords the full search: every window
// normalisation, the log transform and an ensemble of three. Above it one
// model is trained per setting tried, and only the normalisations that
// suit series with a level (last, and season where there is one).
const smallData = 20_000

// Resolve returns c with the settings left to the data chosen for series,
// as Fit chooses them:
//   - Horizon 0: the M4 competition's horizon for the first series'
//     frequency (see FreqHorizon), cut to a third of the shortest series,
//     so that a short series keeps most of its values to fit on.
//   - Season: for one series that repeats itself exactly, the season it
//     repeats at (see repeatSeason) unless Fallback is none; else, if 0, the
//     season of the first series' values before its test
//     part (AutoSeason: the calendar season of its frequency, confirmed
//     by the autocorrelation or the seasonal strength) where its train
//     part holds more than a season, or, for several series, the most
//     common of theirs.
//   - Lookback 0: three seasons or two horizons, whichever is longer (at
//     least 8 steps), cut so that the shortest series' train part holds
//     at least as many windows as a window has steps; of several series
//     under Fallback auto, cut for the series of median length instead
//     where those too short for it can be forecast by the classical
//     methods alone (see typicalLookback).
//   - Ensemble 0: three members where the data are small (see smallData),
//     else one.
//
// Of several series, those that repeat themselves exactly (constant ones,
// or every season given or of their frequency) are left out of these
// choices where others are not and Fallback lets seasonal naive forecast.
// Window normalisation and transform "auto" stay so; Fit tries them. A
// single series too short for the network (see Config.ClassicalOnly) keeps
// the lookback and ensemble 0 if Fallback is auto and it holds two seasons
// and four values or more, four before its validation part: the classical
// methods alone forecast it. Else
// Resolve returns an error wrapping ErrInvalid if the series differ in
// frequency (see oneFrequency), if a series is too short for the split,
// if window normalisation season is asked for with a lookback under the
// season, or if, under a Fallback other than auto, the network would
// train on a train part that repeats every season.
func (c Config) Resolve(series []*ingest.Series) (Config, error) {
	c = c.withDefaults()
	if len(series) == 0 {
		return c, fmt.Errorf("%w: no series to fit", ErrInvalid)
	}
	if err := oneFrequency(series); err != nil {
		return c, err
	}
	if c.Calendar && !series[0].Timed() {
		return c, fmt.Errorf("%w: --calendar needs the times of the values, and series %q has none (its rows are steps)", ErrInvalid, seriesName(series[0]))
	}
	if c.Fallback != FallbackNone {
		// Series that repeat themselves are forecast by seasonal naive
		// beside the others (see FitMany), which alone choose the settings.
		if varying := slices.DeleteFunc(slices.Clone(series), func(s *ingest.Series) bool {
			_, ok := repeatSeason(s, c.Season)
			return ok
		}); len(varying) > 0 {
			series = varying
		}
	}
	shortest := series[0]
	for _, s := range series[1:] {
		if s.Len() < shortest.Len() {
			shortest = s
		}
	}
	if c.Horizon == 0 {
		c.Horizon = max(min(FreqHorizon(series[0].Freq), shortest.Len()/3), 1)
	}
	if c.Season == 0 {
		count := map[int]int{}
		for _, s := range series {
			b, err := c.Protocol.bounds(s.Len(), c.Horizon)
			if err != nil {
				return c, err
			}
			m := AutoSeason(s.Values()[:max(b.Val, 0)], s.Freq)
			if b.Train <= m {
				m = 1 // the train part holds no season and a step to scale errors by
			}
			count[m]++
		}
		for m, k := range count {
			if c.Season == 0 || k > count[c.Season] || (k == count[c.Season] && m < c.Season) {
				c.Season = m
			}
		}
	}
	if len(series) == 1 && c.Fallback != FallbackNone {
		// Seasonal naive forecasts a series that repeats itself at the
		// season it repeats at (see fitRepeating), which the model keeps.
		if m, ok := repeatSeason(series[0], c.Season); ok {
			c.Season = m
		}
	}
	b, err := c.Protocol.bounds(shortest.Len(), c.Horizon)
	if err != nil {
		return c, err
	}
	if b.Train < c.Horizon+1 {
		if c.classicalOnlyFits(series) {
			return c, nil // forecast by the classical methods alone (see fitClassical)
		}
		hint := ""
		if c.Horizon > 1 {
			hint = "; give a shorter horizon"
		}
		return c, fmt.Errorf("%w: series %q has %d values: too few for a train part of a window (a horizon of %d and more) before the validation part%s", ErrInvalid, seriesName(shortest), shortest.Len(), c.Horizon, hint)
	}
	for _, s := range series {
		if err := checkForecastTimes(s, c.Horizon); err != nil {
			return c, err
		}
	}
	if c.Lookback == 0 {
		c.Lookback = max(c.autoLookback(b.Train), c.typicalLookback(series))
	}
	if c.WindowNorm == NormSeason && c.Lookback < c.Season && !c.ClassicalOnly(series) {
		return c, fmt.Errorf("%w: window normalisation season needs a lookback (%d) of at least a season (%d)", ErrInvalid, c.Lookback, c.Season)
	}
	if c.Fallback != FallbackAuto {
		for _, s := range series {
			if c.trainRepeats(s) && !c.Repeating(s) {
				b, _ := c.Protocol.bounds(s.Len(), c.Horizon)
				return c, fmt.Errorf("%w: series %q: the train part %s, which leaves the network nothing to learn (and MASE undefined); --fallback auto forecasts such a series", ErrInvalid, seriesName(s),
					strings.TrimPrefix(repeatsText(s.Values()[:b.Train], c.Season), "the series "))
			}
		}
	}
	if c.Ensemble == 0 {
		c.Ensemble = 1
		if trainWork(series, c) <= smallData {
			c.Ensemble = 3
		}
	}
	return c, nil
}

// autoLookback is the lookback Resolve chooses for a train part of train
// values under c (season and horizon resolved): three seasons, two
// horizons or 8 steps, the longest, cut so that the train part holds as
// many windows as a window has steps (Train − L − H + 1 ≥ L).
func (c Config) autoLookback(train int) int {
	return max(min(max(3*c.Season, 2*c.Horizon, 8), (train-c.Horizon+1)/2), 1)
}

// typicalLookback is the lookback that Resolve chooses for series fitted
// together under c (horizon and season resolved) where it cuts the
// lookback for the series of median length rather than the shortest: the
// series too short for its windows are then forecast by the classical
// methods alone (see ShortSeries), so that one new shop of 45 days does
// not give a global model of shops of 300 days a lookback of 2 (seven
// daily series of 300 values beside one of 45, backtested over two folds
// of 14 days: mean MAE of the seven 3.348 with lookback 2, 3.198 with the
// 28 of their median length). It is 0 where that cannot
// be: one series, a Fallback other than auto, or a series too short for
// both the windows and the classical methods.
func (c Config) typicalLookback(series []*ingest.Series) int {
	if len(series) < 2 || c.Fallback != FallbackAuto {
		return 0
	}
	lens := make([]int, 0, len(series))
	for _, s := range series {
		lens = append(lens, s.Len())
	}
	slices.Sort(lens)
	b, err := c.Protocol.bounds(lens[len(lens)/2], c.Horizon)
	if err != nil {
		return 0
	}
	c.Lookback = c.autoLookback(b.Train)
	network, _ := c.ShortSeries(series)
	trained := 0
	for _, s := range network {
		switch {
		case c.Repeating(s):
		case !c.hasWindows(s):
			return 0
		default:
			trained++
		}
	}
	if trained == 0 {
		return 0
	}
	return c.Lookback
}

// LookbackCut says, for series fitted together under c (resolved from a
// lookback left to the data), which series cut the lookback and to what
// the series of median length would have let it be; nil if none did.
// The lookback is chosen for the shortest series, so that each has train
// windows: one new shop of 20 days gave a global model of shops of 200
// days a lookback of 3.
func (c Config) LookbackCut(series []*ingest.Series) (shortest *ingest.Series, median int) {
	if len(series) < 2 || c.ClassicalOnly(series) {
		return nil, 0
	}
	lens := make([]int, 0, len(series))
	for _, s := range series {
		lens = append(lens, s.Len())
		if shortest == nil || s.Len() < shortest.Len() {
			shortest = s
		}
	}
	slices.Sort(lens)
	b, err := c.Protocol.bounds(lens[len(lens)/2], c.Horizon)
	if err != nil {
		return nil, 0
	}
	if median = c.autoLookback(b.Train); median <= c.Lookback {
		return nil, 0
	}
	return shortest, median
}

// RepeatingAlone says whether Fit forecasts s alone under c by seasonal
// naive alone (see Repeating).
func (c Config) RepeatingAlone(s *ingest.Series) bool {
	r, err := c.Resolve([]*ingest.Series{s})
	return err == nil && r.Repeating(s)
}

// LeaveOutShort splits series, to be fitted together under c, into those
// with data enough for it and, for the others, why not: each series is
// checked alone (see Baselines), with the horizon given or, where it is
// left to the data, the frequency's cut to a third of the median length,
// so that one short series does not shrink the horizon of all the others
// and then fail the fit; with the season left to the data, again with the
// season Resolve chooses for the kept (a short series, checked alone, has
// its own). Resolve then chooses the settings of the kept.
// A series that repeats itself exactly, which FitMany forecasts by
// seasonal naive where Fallback lets it (see repeatSeason: constant, or
// repeating every season given or of its frequency), is kept, after the
// others.
func LeaveOutShort(series []*ingest.Series, c Config) (kept []*ingest.Series, why []string) {
	if c.Horizon == 0 && len(series) > 0 {
		lens := make([]int, len(series))
		for i, s := range series {
			lens[i] = s.Len()
		}
		slices.Sort(lens)
		c.Horizon = max(min(FreqHorizon(series[0].Freq), lens[len(lens)/2]/3), 1)
	}
	kept, out := leaveOutShort(series, c)
	if c.Season == 0 && len(kept) > 1 {
		// The season left to the data is the most common of the series'
		// (see Resolve); a short series, checked alone with its own (none),
		// may be too short for it (5 months among series of years).
		if r, err := c.Resolve(kept); err == nil && r.Season > 1 {
			c.Season = r.Season
			var more []leftOut
			kept, more = leaveOutShort(kept, c)
			out = append(out, more...)
		}
	}
	return kept, c.whyLeftOut(out)
}

// leftOut is a series LeaveOutShort leaves out, and the error of its
// check alone.
type leftOut struct {
	s   *ingest.Series
	err error
}

// leaveOutShort is LeaveOutShort with the horizon resolved, giving the
// series left out with their errors.
func leaveOutShort(series []*ingest.Series, c Config) (kept []*ingest.Series, out []leftOut) {
	var repeating []*ingest.Series
	for _, s := range series {
		if _, ok := repeatSeason(s, c.Season); ok && c.withDefaults().Fallback != FallbackNone {
			repeating = append(repeating, s)
			continue
		}
		if _, err := Baselines(s, c); err != nil {
			out = append(out, leftOut{s, err})
			continue
		}
		kept = append(kept, s)
	}
	return append(kept, repeating...), out
}

// whyLeftOut says why each series of out is left out of a fit under c: of
// one too short to split into parts with windows, the
// lookback (if any) and horizon it was checked with and how many values
// that takes (a series of that many is kept, forecast by the classical
// methods alone where it is shorter than the model's lookback, see
// ShortSeries); of another, the error of its check.
func (c Config) whyLeftOut(out []leftOut) []string {
	why := make([]string, 0, len(out))
	for _, o := range out {
		var nw *noWindowsError
		if errors.As(o.err, &nw) {
			alone := c
			alone.Lookback, alone.Horizon = nw.lookback, nw.horizon
			if need := alone.minLen(1 << 20); need > o.s.Len() {
				of := fmt.Sprintf("horizon %d", nw.horizon)
				if nw.lookback > 0 {
					of = fmt.Sprintf("lookback %d and horizon %d", nw.lookback, nw.horizon)
				}
				why = append(why, fmt.Sprintf("series %q has %d values, too few for windows of %s in each part of its split, which take at least %d values",
					seriesName(o.s), o.s.Len(), of, need))
				continue
			}
		}
		why = append(why, fmt.Sprintf("series %q: %v", seriesName(o.s), o.err))
	}
	return why
}

// minLen is the fewest values, at most limit, whose split under c
// (lookback and horizon resolved) has windows in every part (see
// NewSplit); 0 if none does.
func (c Config) minLen(limit int) int {
	if c.Horizon == 0 {
		return 0
	}
	for n := 1; n <= limit; n++ {
		if _, err := NewSplit(n, c); err == nil {
			return n
		}
	}
	return 0
}

// AutoSeason returns the season length a model should use for values with
// frequency f when none is given: that of ingest.AutoSeason, the calendar
// season confirmed by the autocorrelation (positive, of the differences of
// values that are not level-stationary, see seasonTestValues), or where the autocorrelation
// does not confirm it, the calendar season all the same if it is strong
// (classical.StrongSeason, auto.arima's test for a seasonal difference)
// and, of fewer than four seasons, its autocorrelation passes 0.2 (or
// white noise's 95 % bound where lower).
// The autocorrelation test is built for noisy series: a smooth season
// with little noise (a sine, three and a half years of it) correlates so
// well at the lags below the season that its bound rises above the
// season's own autocorrelation, and its season went unseen. Where neither
// test confirms the calendar season, they are applied once more to the
// values without their outliers (classical.WithoutOutliers): one wild
// value (airline passengers with one month typed eight times too large)
// so dominates the variance that both tests missed the season of all the
// others.
func AutoSeason(values []float64, f ingest.Freq) int {
	return FindSeason(values, f).Length
}

// Season is the season AutoSeason finds in a series.
type Season struct {
	Length   int     // 1 for none
	ACF      float64 // the autocorrelation at lag Length of the values (less their line, or their differences, see seasonTestValues) that confirm it; 0 for none
	Outliers int     // the outliers left out to confirm it, if any
}

// FindSeason returns the season AutoSeason finds in values, with the
// autocorrelation that confirms it and how many outliers had to be left
// out to see it.
func FindSeason(values []float64, f ingest.Freq) Season {
	test := seasonTestValues(values)
	if m := ingest.AutoSeason(test, f); m > 1 && ingest.SeasonACF(test, m) > 0 {
		return Season{Length: m, ACF: ingest.SeasonACF(test, m)}
	}
	m := ingest.CalendarSeason(f)
	// Of fewer than four seasons the centred moving average leaves few
	// values per position of the season, which the seasonal part then fits
	// whatever they are: the strength of white noise passed 0.64 in every
	// one of 1,000 draws of 24 months or 110 weeks, in 75 % of 9 quarters.
	// There the autocorrelation at the season must also pass 0.2, or white
	// noise's 95 % bound 2/√n where lower. Of 1,000 draws, white noise
	// then gets a season in 8 % of 26-30 months, 0.2 % of 110 weeks, 17 %
	// of 9 quarters; a sine of amplitude 10 in noise of sd 6 keeps it in
	// 74-93 % of 26-42 months, 84 % of 110 weeks, 67-83 % of 9-14
	// quarters; short real seasons keep theirs (UKgas' 9 quarters 0.56,
	// JohnsonJohnson's 0.41, UKDriverDeaths' 26 months 0.36).
	strong := func(v []float64) bool {
		return classical.StrongSeason(v, m) && (len(v) >= 4*m || ingest.SeasonACF(v, m) > min(0.2, 2/math.Sqrt(float64(len(v)))))
	}
	if strong(values) {
		return Season{Length: m, ACF: ingest.SeasonACF(values, m)}
	}
	if clean, n := classical.WithoutOutliers(values, m); n > 0 {
		if test := seasonTestValues(clean); ingest.Seasonal(test, m) && ingest.SeasonACF(test, m) > 0 {
			return Season{Length: m, ACF: ingest.SeasonACF(test, m), Outliers: n}
		}
		if strong(clean) {
			return Season{Length: m, ACF: ingest.SeasonACF(clean, m), Outliers: n}
		}
	}
	return Season{Length: 1}
}

// seasonTestValues returns the values in which FindSeason looks for a
// season by the autocorrelation: values, or their first differences where
// they are not level-stationary (classical.LevelStationary). A random
// walk's autocorrelation decays so slowly that it passed the test at the
// calendar season: 46 of 50 walks of 240 months got season 12, 50 of 50
// of 120 quarters season 4 (stock prices, interest rates, seasonally
// adjusted GDP too), and their forecasts repeated a season that was not
// there; of their differences 4 and 3 do. A walk with a season keeps it.
func seasonTestValues(values []float64) []float64 {
	if len(values) < 3 || classical.LevelStationary(values) {
		return values
	}
	d := make([]float64, len(values)-1)
	for i := range d {
		d[i] = values[i+1] - values[i]
	}
	return d
}

// FreqHorizon is the horizon the M4 competition asked of series of
// frequency f: 6 years, 8 quarters, 18 months, 13 weeks, 14 days (business
// days too) or 48 hours; a day ahead of steps under an hour that divide a
// day, as meters are forecast (96 quarter hours, 48 half hours), at most
// 96 steps; 24 steps for any other frequency, or none.
func FreqHorizon(f ingest.Freq) int {
	const day = 24 * time.Hour
	switch {
	case f.Months == 0 && f.BusinessDays == 0 && f.Step > 0 && f.Step < time.Hour && day%f.Step == 0:
		return min(int(day/f.Step), 96)
	case f.Months == 12:
		return 6
	case f.Months == 3:
		return 8
	case f.Months == 1:
		return 18
	case f.BusinessDays == 1, f.Months == 0 && f.Step == 24*time.Hour:
		return 14
	case f.Months == 0 && f.Step == 7*24*time.Hour:
		return 13
	case f.Months == 0 && f.Step == time.Hour:
		return 48
	}
	return 24
}

// trainWork is the number of train windows × lookback steps of series
// under c.
func trainWork(series []*ingest.Series, c Config) int {
	var work int
	for _, s := range series {
		b, err := c.Protocol.bounds(s.Len(), c.Horizon)
		if err != nil {
			continue
		}
		work += max(b.Train-c.Lookback-c.Horizon+1, 0) * c.Lookback
	}
	return work
}

// Trial is one setting of the window normalisation and the transform that
// Fit tried, with the validation MASE its first ensemble member reached
// (the mean over series).
type Trial struct {
	Norm      WindowNorm `json:"window_norm"`
	Transform Transform  `json:"transform"`
	ValMASE   float64    `json:"val_mase"`
}

// allIntermittent says whether the train part of every one of series
// under c (resolved) is intermittent (see intermittent).
func (c Config) allIntermittent(series []*ingest.Series) bool {
	for _, s := range series {
		b, err := c.Protocol.bounds(s.Len(), c.Horizon)
		if err != nil || !intermittent(s.Values()[:max(b.Train, 0)]) {
			return false
		}
	}
	return true
}

// trials returns the settings of window normalisation and transform that
// Fit tries for series under c (resolved): the given ones, or for "auto"
// the candidates that suit the data. Series that are all intermittent
// without a season (see intermittent) are not tried relative to their
// last value, which is no level for them: a window ending on a sale
// carried it into the whole forecast (7.9 a day for a series selling
// 0.2), yet won validation, most of whose windows end on a zero.
func (c Config) trials(series []*ingest.Series) []Trial {
	norms := []WindowNorm{c.WindowNorm}
	small := trainWork(series, c) <= smallData
	if c.WindowNorm == NormAuto {
		norms = []WindowNorm{NormLast}
		if small {
			norms = []WindowNorm{NormNone, NormLast, NormMean}
		}
		if c.Season > 1 && c.Lookback >= c.Season {
			norms = append(norms, NormSeason)
		}
		if c.Season <= 1 && c.allIntermittent(series) {
			norms = []WindowNorm{NormMean}
			if small {
				norms = []WindowNorm{NormNone, NormMean}
			}
		}
	}
	if c.WindowNorm == NormAuto && c.beyondTrainRange(series) {
		norms = slices.DeleteFunc(norms, func(n WindowNorm) bool { return n == NormNone })
	}
	transforms := []Transform{c.Transform}
	if c.Transform == TransformAuto {
		transforms = []Transform{TransformNone}
		if small && !slices.ContainsFunc(series, func(s *ingest.Series) bool { return slices.Min(s.Values()) <= 0 }) {
			transforms = append(transforms, TransformLog)
		}
	}
	var out []Trial
	for _, tr := range transforms {
		for _, n := range norms {
			out = append(out, Trial{Norm: n, Transform: tr})
		}
	}
	return out
}

// trainRangeMargin is how far, as a share of the range of a series' train
// part, its last window may go beyond that range before window
// normalisation none is not tried (see beyondTrainRange).
const trainRangeMargin = 0.1

// beyondTrainRange says whether the last Lookback values of a series of
// series lie beyond the range of its train part by more than
// trainRangeMargin of it. Without normalisation the network reads levels
// as they are, and maps levels it never saw to those it did: the monthly
// Dow Jones of 1980 to 2012, whose train part ends in 2003 below 11,400,
// was forecast at 10,263 after a last value of 13,104, and a series whose
// level rose by a third in its last year went on at its old level. The
// evaluation's scores are unchanged by it (make eval's six, the held-out,
// development and third sets, and 23 other public series: where it holds,
// the network without normalisation won validation on none of them);
// without the margin, weekly US gasoline, whose last window stands just
// above its train part, lost it (MASE 0.394 to 0.503).
func (c Config) beyondTrainRange(series []*ingest.Series) bool {
	for _, s := range series {
		y := s.Values()
		b, err := c.Protocol.bounds(len(y), c.Horizon)
		if err != nil || b.Train < 2 {
			continue
		}
		lo, hi := slices.Min(y[:b.Train]), slices.Max(y[:b.Train])
		lo, hi = lo-trainRangeMargin*(hi-lo), hi+trainRangeMargin*(hi-lo)
		for _, v := range y[max(0, len(y)-c.Lookback):] {
			if v < lo || v > hi {
				return true
			}
		}
	}
	return false
}

// Outlier is a value of a series far from what its trend and season give.
type Outlier struct {
	Index    int
	Time     time.Time // zero without times
	Value    float64
	Expected float64 // what the series' trend and season give there
}

// SuspectValues returns the values of s that look like errors in the data
// (a value typed a thousand times too large) for a season of m steps: the
// outliers of classical.Outliers that lie twenty interquartile ranges or
// more beyond the quartiles of the remainders, where outliers lie three.
// Hot days in a record of temperatures, a bad month of sales, are
// outliers within 15 ranges (those of the bundled and evaluation series,
// but five hours of M4 Hourly's H59 and H66, which are noted); a month of
// airline passengers typed eight times too large lies 36 out. Every
// method forecasts from them as they are; fit and predict note them.
func SuspectValues(s *ingest.Series, m int) []Outlier {
	values := s.Values()
	at, expected, iqrs := classical.Outliers(values, m)
	var out []Outlier
	for k, t := range at {
		if iqrs[k] < 20 {
			continue
		}
		o := Outlier{Index: t, Value: values[t], Expected: expected[k]}
		if s.Timed() {
			o.Time = s.Time(t)
		}
		out = append(out, o)
	}
	return out
}

// checkForecastTimes refuses a series whose forecast of h steps would be
// dated after 9999-12-31: such a time is not stored as the text of
// RFC 3339 (the database's dates, ordered as text), nor read back.
func checkForecastTimes(s *ingest.Series, h int) error {
	n := s.Len()
	if !s.Timed() || n == 0 || h < 1 {
		return nil
	}
	if last := s.Freq.Add(s.Time(n-1), h); last.Year() > 9999 {
		return fmt.Errorf("%w: series %q ends %s: its forecast of %d steps would reach %s, past the last date the database holds (9999-12-31)",
			ErrInvalid, seriesName(s), s.Time(n-1).Format(time.DateOnly), h, last.Format("2006-01-02"))
	}
	return nil
}
