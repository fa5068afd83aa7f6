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
// (a day of hours) in that of the first differences. In either, a season
// is a lag from 2 to a third of the series where the autocorrelation has a
// maximum within a quarter of the lag either side, of at least
// 0.2, that rises at least 0.1 above its lowest
// value at a shorter lag. The shortest such lag is taken. A lag within 2 %
// of a calendar period of f (a day, week or year) is taken as that period,
// so daily temperatures give 365, not 367.
func Season(values []float64, f Freq) (lag int, acf float64) {
	n := len(values)
	if n < 8 {
		return 0, 0
	}
	// Less a line.
	var sx, sy, sxx, sxy float64
	for i, v := range values {
		x := float64(i)
		sx, sy, sxx, sxy = sx+x, sy+v, sxx+x*x, sxy+x*v
	}
	fn := float64(n)
	slope := (fn*sxy - sx*sy) / (fn*sxx - sx*sx)
	icept := (sy - slope*sx) / fn
	d := make([]float64, n)
	for i, v := range values {
		d[i] = v - icept - slope*float64(i)
	}
	diff := make([]float64, n-1)
	for i := range diff {
		diff[i] = values[i+1] - values[i]
	}
	best, bestACF := 0, 0.0
	for _, r := range [][]float64{ACF(d, n/3+1), ACF(diff, n/3+1)} {
		k, v := firstPeak(r)
		if k > 0 {
			k, v = snap(k, v, r, f)
		}
		if k > 0 && (best == 0 || k < best) {
			best, bestACF = k, v
		}
	}
	return best, bestACF
}

// firstPeak returns the first prominent local maximum of an ACF.
func firstPeak(r []float64) (int, float64) {
	if len(r) < 4 {
		return 0, 0
	}
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
		return k, r[k]
	}
	return 0, 0
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
