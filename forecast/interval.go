package forecast

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
)

// Calibration holds split-conformal quantiles of the absolute validation
// errors of a model, per level and horizon step, on the scaled values: the
// interval of level a at step k is the forecast ± Quantiles[a][k] · std. With
// n validation windows the quantile is the ⌈(n+1)·a⌉-th smallest error, which
// covers a new value with probability at least a when errors are
// exchangeable. When n is too small for a level, the quantile is taken of
// the errors on the last train windows instead, scaled up by how much larger
// the mean validation error is than the mean train error at that step (a
// model errs less on what it was trained on); +Inf if those are too few too.
type Calibration struct {
	Levels    []float64   `json:"levels"`
	Quantiles [][]float64 `json:"quantiles"` // [level][step], scaled units
}

// maxTrainCalibration bounds the train windows per series whose errors
// stand in for too few validation windows.
const maxTrainCalibration = 500

// calibrate computes the Calibration of m at levels from the validation
// windows of every series.
func calibrate(m network, data []*seriesData, l layout, levels []float64) Calibration {
	errors := func(windows func(*seriesData) []int) [][]float64 {
		errs := make([][]float64, l.H)
		for _, d := range data {
			starts := windows(d)
			pred := predictWindows(m, l, d.feats, d.z, starts)
			for w, s := range starts {
				for k := 0; k < l.H; k++ {
					errs[k] = append(errs[k], math.Abs(pred[w*l.H+k]-d.z[s+l.L+k]))
				}
			}
		}
		for k := range errs {
			slices.Sort(errs[k])
		}
		return errs
	}
	val := errors(func(d *seriesData) []int { return d.val })
	var train [][]float64
	cal := Calibration{Levels: levels, Quantiles: make([][]float64, len(levels))}
	for i, a := range levels {
		cal.Quantiles[i] = make([]float64, l.H)
		for k, e := range val {
			q := conformalQuantile(e, a)
			if math.IsInf(q, 1) && len(e) > 0 {
				if train == nil {
					train = errors(func(d *seriesData) []int { return d.train[max(len(d.train)-maxTrainCalibration, 0):] })
				}
				if mt := mean(train[k]); mt > 0 {
					q = conformalQuantile(train[k], a) * max(mean(e)/mt, 1)
				}
			}
			cal.Quantiles[i][k] = q
		}
	}
	// A level whose quantile came from the train errors could get an
	// interval narrower than a lower level's, taken of the validation
	// errors.
	cal.nest()
	return cal
}

// nest widens the interval of each level of c to hold those of the levels
// below it, step by step.
func (c *Calibration) nest() {
	for i, a := range c.Levels {
		for j, b := range c.Levels {
			if a < b {
				for k := range c.Quantiles[j] {
					c.Quantiles[j][k] = max(c.Quantiles[j][k], c.Quantiles[i][k])
				}
			}
		}
	}
}

// conformalQuantile is the ⌈(n+1)·a⌉-th smallest of the n sorted errors e,
// or +Inf if n is too small for level a.
func conformalQuantile(e []float64, a float64) float64 {
	rank := int(math.Ceil(float64(len(e)+1) * a)) // 1-based
	if rank > len(e) {
		return math.Inf(1)
	}
	return e[rank-1]
}

func mean(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// intervals returns the intervals of the scaled forecast v at step k
// (0-based), on the original scale.
func (c Calibration) intervals(v float64, k int, scaler ZScore) []Interval {
	if len(c.Levels) == 0 {
		return nil
	}
	out := make([]Interval, len(c.Levels))
	for i, a := range c.Levels {
		q := c.Quantiles[i][k]
		if math.IsInf(q, 1) {
			// Unbounded on both sides: the log transform's inverse would
			// take the lower bound to 0.
			out[i] = Interval{Level: a, Lower: math.Inf(-1), Upper: math.Inf(1)}
			continue
		}
		out[i] = Interval{Level: a, Lower: scaler.Unscale(v - q), Upper: scaler.Unscale(v + q)}
	}
	return out
}

// coverage returns, per level, the share of actual values inside the
// intervals around pred (both on the original scale, window after window of
// h steps; scaler maps them to the network's scale, where the intervals are
// symmetric).
func (c Calibration) coverage(actual, pred []float64, h int, scaler ZScore) []float64 {
	if len(c.Levels) == 0 || len(actual) == 0 {
		return nil
	}
	var out []float64
	for i := range c.Levels {
		in, bounded := 0, 0
		for j, a := range actual {
			q := c.Quantiles[i][j%h]
			if math.IsInf(q, 1) {
				continue
			}
			bounded++
			if math.Abs(scaler.Scale(a)-scaler.Scale(pred[j])) <= q {
				in++
			}
		}
		if bounded == 0 {
			break
		}
		out = append(out, float64(in)/float64(bounded))
	}
	return out
}

// calibrationJSON is Calibration as JSON, where an unbounded quantile
// (+Inf, too few validation windows for its level) is null.
type calibrationJSON struct {
	Levels    []float64    `json:"levels"`
	Quantiles [][]*float64 `json:"quantiles"`
}

// MarshalJSON writes an unbounded quantile as null.
func (c Calibration) MarshalJSON() ([]byte, error) {
	out := calibrationJSON{Levels: c.Levels, Quantiles: make([][]*float64, len(c.Quantiles))}
	for i, qs := range c.Quantiles {
		out.Quantiles[i] = make([]*float64, len(qs))
		for k, q := range qs {
			if !math.IsInf(q, 1) {
				out.Quantiles[i][k] = &qs[k]
			}
		}
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads null as an unbounded quantile.
func (c *Calibration) UnmarshalJSON(b []byte) error {
	var in calibrationJSON
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	c.Levels, c.Quantiles = in.Levels, make([][]float64, len(in.Quantiles))
	for i, qs := range in.Quantiles {
		c.Quantiles[i] = make([]float64, len(qs))
		for k, q := range qs {
			if q == nil {
				c.Quantiles[i][k] = math.Inf(1)
			} else {
				c.Quantiles[i][k] = *q
			}
		}
	}
	return nil
}

// check reports a Calibration whose shape does not fit horizon h or whose
// levels or quantiles are out of range.
func (c Calibration) check(h int) error {
	if len(c.Quantiles) != len(c.Levels) {
		return fmt.Errorf("%d levels with %d quantile rows", len(c.Levels), len(c.Quantiles))
	}
	if err := c.checkLevels(); err != nil {
		return err
	}
	for i, a := range c.Levels {
		if len(c.Quantiles[i]) != h {
			return fmt.Errorf("level %g has %d quantiles for horizon %d", a, len(c.Quantiles[i]), h)
		}
		for _, q := range c.Quantiles[i] {
			if !(q >= 0) {
				return fmt.Errorf("level %g has the negative quantile %g", a, q)
			}
			if q > maxQuantile && !math.IsInf(q, 1) {
				return fmt.Errorf("level %g has the quantile %g, beyond %g scaled units (+Inf for an unbounded interval)", a, q, float64(maxQuantile))
			}
		}
	}
	return nil
}

// maxQuantile bounds a finite quantile of a Calibration, in scaled units
// (standard deviations of the series): beyond it an interval overflows.
const maxQuantile = 1e100

// checkLevels checks that every level of c lies between 0 and 1.
func (c Calibration) checkLevels() error {
	for _, a := range c.Levels {
		if !(a > 0 && a < 1) {
			return fmt.Errorf("level %g is not between 0 and 1", a)
		}
	}
	return nil
}
