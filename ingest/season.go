package ingest

import (
	"math"
	"time"

	"gonum.org/v1/gonum/dsp/fourier"
)

// ACF returns the sample autocorrelation of values at lags 0 … maxLag
// (maxLag < len(values)), computed with an FFT. values must be finite; a
// constant series has ACF 0 at every lag but 0.
func ACF(values []float64, maxLag int) []float64 {
	n := len(values)
	maxLag = min(maxLag, n-1)
	if n == 0 || maxLag < 0 {
		return nil
	}
	var mean float64
	for _, v := range values {
		mean += v
	}
	mean /= float64(n)
	m := 1
	for m < 2*n {
		m <<= 1
	}
	x := make([]float64, m)
	for i, v := range values {
		x[i] = v - mean
	}
	fft := fourier.NewFFT(m)
	c := fft.Coefficients(nil, x)
	for i, v := range c {
		c[i] = complex(real(v)*real(v)+imag(v)*imag(v), 0)
	}
	r := fft.Sequence(nil, c)
	acf := make([]float64, maxLag+1)
	if r[0] <= 0 {
		acf[0] = 1
		return acf
	}
	for k := range acf {
		acf[k] = r[k] / r[0]
	}
	return acf
}

// Season returns the season length of values as their autocorrelation
// shows it, and the autocorrelation at that lag; 0 if there is none. f is
// the series' frequency (the zero Freq if unknown).
//
// Long seasons (a year of days) show in the autocorrelation of the values
// less a least-squares line, short ones riding on a slowly varying level
// (a day of hours) in that of the first differences. In either, a
// candidate is a lag from 2 to a third of the series where the
// autocorrelation has a maximum within a quarter of the lag either side, of
// at least 0.3, that rises at least 0.1 above its lowest value at a shorter
// lag. A lag within 2 % of a calendar period of f (a day, week or year) is
// taken as that period, so daily temperatures give 365, not 367. Of the
// candidates, the shortest whose autocorrelation is within a tenth of the
// highest is the season: a weak early bump (lag 3 at 0.35) does not hide a
// strong yearly cycle (lag 52 at 0.87), and a day (lag 24 at 0.90) is kept
// over the week that repeats it (lag 168 at 0.93).
func Season(values []float64, f Freq) (lag int, acf float64) {
	n := len(values)
	if n < 8 {
		return 0, 0
	}
	d := lessLine(values)
	diff := make([]float64, n-1)
	for i := range diff {
		diff[i] = values[i+1] - values[i]
	}
	type peak struct {
		lag int
		acf float64
	}
	var peaks []peak
	top := 0.0
	for _, r := range [][]float64{ACF(d, n/3+1), ACF(diff, n/3+1)} {
		for _, k := range prominentPeaks(r) {
			k, v := snap(k, r[k], r, f)
			peaks = append(peaks, peak{k, v})
			top = max(top, v)
		}
	}
	for _, p := range peaks {
		if p.acf >= 0.9*top && (lag == 0 || p.lag < lag) {
			lag, acf = p.lag, p.acf
		}
	}
	return lag, acf
}

// lessLine returns values less their least-squares line.
func lessLine(values []float64) []float64 {
	var sx, sy, sxx, sxy float64
	for i, v := range values {
		x := float64(i)
		sx, sy, sxx, sxy = sx+x, sy+v, sxx+x*x, sxy+x*v
	}
	fn := float64(len(values))
	slope := (fn*sxy - sx*sy) / (fn*sxx - sx*sx)
	icept := (sy - slope*sx) / fn
	d := make([]float64, len(values))
	for i, v := range values {
		d[i] = v - icept - slope*float64(i)
	}
	return d
}

// prominentPeaks returns the lags of the prominent local maxima of an ACF,
// shortest first.
func prominentPeaks(r []float64) []int {
	if len(r) < 4 {
		return nil
	}
	var lags []int
	low := r[1]
next:
	for k := 2; k < len(r)-1; k++ {
		low = math.Min(low, r[k-1])
		if r[k] < 0.3 || r[k]-low < 0.1 {
			continue
		}
		// The highest within a quarter of k either side.
		w := max(1, k/4)
		for j := max(1, k-w); j <= min(len(r)-1, k+w); j++ {
			if r[j] > r[k] {
				continue next
			}
		}
		lags = append(lags, k)
	}
	return lags
}

// CalendarSeason returns the season length that the frequency f implies:
// the steps in the calendar cycle above it. Monthly data repeat yearly
// (12), quarterly 4, half-yearly 2, weekly 52, daily weekly (7), business
// days weekly (5), hourly daily (24), and a step that divides a day into at
// most 1000 parts daily (15 minutes: 96), a finer one hourly (a minute: 60).
// It returns 1 for a year or more, or a step that fits no cycle, and 0 for
// the zero Freq, which says nothing.
func CalendarSeason(f Freq) int {
	switch {
	case f.Months > 0:
		if f.Months < 12 && 12%f.Months == 0 {
			return 12 / f.Months
		}
		return 1
	case f.BusinessDays == 1:
		return 5
	case f.Step <= 0:
		return 0
	case f.Step == 7*day:
		return 52 // a year of weeks, rounded down as the M4 data have it
	}
	for _, c := range []struct {
		cycle, finest time.Duration // the cycle, and the finest step that uses it
	}{{7 * day, day}, {day, day / 1000}, {time.Hour, 0}} {
		if f.Step < c.cycle && f.Step >= c.finest && c.cycle%f.Step == 0 {
			return int(c.cycle / f.Step)
		}
	}
	return 1
}

// AutoSeason returns the season length a model should use for values with
// frequency f when none is given: the calendar season of f, kept when the
// series spans two seasons and passes the seasonality test of Seasonal;
// where the frequency says nothing, the season the autocorrelation shows
// (see Season). 1 means no season.
func AutoSeason(values []float64, f Freq) int {
	m := CalendarSeason(f)
	if m == 0 {
		m, _ = Season(values, f)
	}
	if m < 2 || len(values) < 2*m || !Seasonal(values, m) {
		return 1
	}
	return m
}

// Seasonal reports whether values show a season of m steps: whether the
// autocorrelation at lag m of the values less their least-squares line is
// above the 90 % bound 1.645·√((1 + 2·Σ_{k<m} r_k²)/n). That is the test
// R's forecast::thetaf applies, but on the values less a line, so that a
// trend, which makes every lag correlate, does not hide a season. It needs
// at least 2m values.
func Seasonal(values []float64, m int) bool {
	n := len(values)
	if m < 2 || n < 2*m {
		return false
	}
	r := ACF(lessLine(values), m)
	var ss float64
	for _, v := range r[1:m] {
		ss += v * v
	}
	return math.Abs(r[m]) > 1.6448536269514722*math.Sqrt((1+2*ss)/float64(n))
}

// snap moves lag k to a calendar period of f within 2 %.
func snap(k int, v float64, r []float64, f Freq) (int, float64) {
	var periods []int
	switch {
	case f.Months > 0 && 12%f.Months == 0:
		periods = []int{12 / f.Months}
	case f.BusinessDays == 1:
		periods = []int{5}
	case f.Step > 0:
		for _, p := range []time.Duration{day, 7 * day, 365 * day} {
			if p%f.Step == 0 {
				periods = append(periods, int(p/f.Step))
			}
		}
	}
	for _, p := range periods {
		if p >= 2 && p < len(r) && math.Abs(float64(k-p)) <= math.Max(1, float64(p)/50) {
			return p, r[p]
		}
	}
	return k, v
}

// SeasonACF is the autocorrelation at lag m of values less their
// least-squares line, the strength of a season of m steps as Season and
// Seasonal measure it; 0 if there are not 2m values.
func SeasonACF(values []float64, m int) float64 {
	if m < 1 || len(values) < 2*m {
		return 0
	}
	return ACF(lessLine(values), m)[m]
}
