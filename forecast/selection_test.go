package forecast

import (
	"reflect"
	"testing"
)

// TestSeasonalMean checks the seasonal mean against values worked by hand
// on y = 0, 1, 2, …: the mean of the values one and two seasons before
// each step, or the one season before while the history holds less than
// two.
func TestSeasonalMean(t *testing.T) {
	y := make([]float64, 30)
	for i := range y {
		y[i] = float64(i)
	}
	got := seasonalMeanModel{m: 12}.ForecastAt(y, []int{24, 13}, 14)
	for k := 0; k < 14; k++ {
		// From 24: (y[12+k%12] + y[k%12]) / 2 = 6 + k%12.
		if want := 6 + float64(k%12); got[0][k] != want {
			t.Errorf("origin 24, step %d: %v, want %v", k+1, got[0][k], want)
		}
		// From 13, one season of history: y[1+k%12].
		if want := 1 + float64(k%12); got[1][k] != want {
			t.Errorf("origin 13, step %d: %v, want %v", k+1, got[1][k], want)
		}
	}
	// Without a season, the mean of the last two values.
	if got := (seasonalMeanModel{m: 1}).ForecastAt(y, []int{5}, 3)[0]; !reflect.DeepEqual(got, []float64{3.5, 3.5, 3.5}) {
		t.Errorf("season 1 from 5: %v, want the mean of y[3] and y[4], 3.5, at every step", got)
	}
}

// TestClearlyBetter checks the rule by which a single method replaces the
// combination: on the values of the validation windows a horizon apart
// (h = 2, counted back from the last window), at least three, with the
// Diebold-Mariano statistic of the differences of their absolute errors
// below −2 (Newey-West variance, lag ⌊4·0.06^(2/9)⌋ = 2 for six values).
func TestClearlyBetter(t *testing.T) {
	// errors builds actual values of zero and forecasts whose absolute
	// errors per window are errs (each window of two steps, windows a
	// step apart as the validation part has them).
	errors := func(errs ...float64) (actual, pred []float64) {
		for _, e := range errs {
			actual = append(actual, 0, 0)
			pred = append(pred, e, -e)
		}
		return actual, pred
	}
	for _, tt := range []struct {
		name       string
		pred, comb []float64 // absolute error per window
		clear      bool
	}{
		// Five windows: those a horizon apart are 5, 3 and 1.
		{"always better", []float64{0, 9, 0, 9, 0}, []float64{1, 0, 1, 0, 1}, true},
		// One window: two values.
		{"too few values", []float64{0}, []float64{1}, false},
		// Differences −0.8, −0.8, −1.2, −1.2, −1, −1 (windows 5, 3, 1):
		// mean −1; autocovariances 0.16/6, 0.04/6, −0.08/6, so the variance
		// is 0.16/6 + 2·(2/3)·0.04/6 − 2·(1/3)·0.08/6 = 0.16/6 and
		// DM = −1 / √(0.16/36) = −15.
		{"better by a steady margin", []float64{1, 7, 0.8, 7, 1.2}, []float64{2, 0, 2, 0, 2}, true},
		// Differences −1, −1, 1, 1, −1, −1: mean −1/3; autocovariances
		// 48/54, 8/54, −32/54, variance 48/54 + (4/3)·8/54 − (2/3)·32/54 =
		// 112/162, DM = −(1/3) / √(112/972) ≈ −0.98.
		{"better on average, not clearly", []float64{1, 0, 3, 0, 1}, []float64{2, 0, 2, 0, 2}, false},
		{"worse", []float64{2, 0, 2, 0, 2}, []float64{1, 0, 1, 0, 1}, false},
	} {
		actual, pred := errors(tt.pred...)
		_, comb := errors(tt.comb...)
		if clear := clearlyBetter(actual, pred, comb, 2, 1); clear != tt.clear {
			t.Errorf("%s: clearly better %v, want %v", tt.name, clear, tt.clear)
		}
	}
	// With a season of 4, the six values of the steady margin are less
	// than two seasons.
	actual, pred := errors(1, 7, 0.8, 7, 1.2)
	_, comb := errors(2, 0, 2, 0, 2)
	if clearlyBetter(actual, pred, comb, 2, 4) {
		t.Error("six values with season 4: clearly better, want not (less than two seasons)")
	}
	if !clearlyBetter(actual, pred, comb, 2, 3) {
		t.Error("six values with season 3: not clear, want clear (two seasons)")
	}
}

// TestOverCombinationNeedsLowerRatio: a method clearly better than the
// combination on the windows a horizon apart replaces it only if its ratio
// over every validation window is lower too. Naive, a flat line that won
// Nile's last six years by chance (ratio 1.000 against the combination's
// 0.726 on all the windows), forecast the 1964 fold of a refitted backtest,
// a MASE of 2.69 where the combination of ETS and ARIMA scored 1.3.
// A baseline (naive, seasonal naive, a seasonal mean) replaces it only
// where baselines may (the network's series, not the short ones the
// classical methods alone forecast).
func TestOverCombinationNeedsLowerRatio(t *testing.T) {
	// Five windows of two steps: those a horizon apart are 5, 3 and 1, on
	// which pred is always better (see TestClearlyBetter).
	var actual, pred, comb []float64
	for _, w := range []struct{ pred, comb float64 }{{0, 1}, {9, 0}, {0, 1}, {9, 0}, {0, 1}} {
		actual = append(actual, 0, 0)
		pred = append(pred, w.pred, -w.pred)
		comb = append(comb, w.comb, -w.comb)
	}
	for _, tt := range []struct {
		method    string
		ratio     float64
		baselines bool
		want      string
	}{
		{MethodTheta, 0.5, false, MethodTheta},
		{MethodTheta, 1.2, false, MethodCombination},
		{MethodSeasonalNaive, 0.5, true, MethodSeasonalNaive},
		{MethodSeasonalNaive, 1.2, true, MethodCombination},
		{MethodSeasonalNaive, 0.5, false, MethodCombination},
		{MethodSeasonalMeanDrift, 0.5, false, MethodCombination},
		{MethodSeasonalMeanWeek, 0.5, false, MethodCombination},
	} {
		preds := map[string][]float64{tt.method: pred}
		cands := []Candidate{{Method: tt.method, ValRatio: tt.ratio}, {Method: MethodCombination, ValRatio: 0.8}}
		if got := overCombination(cands, actual, preds, comb, 2, 1, tt.baselines); got.Method != tt.want {
			t.Errorf("%s clearly better on the last windows with ratio %v against 0.8, baselines %v: %s forecasts, want %s", tt.method, tt.ratio, tt.baselines, got.Method, tt.want)
		}
	}
}

// TestRelativeErrorExactBase: where seasonal naive forecasts validation
// exactly (a rate constant over it), a method's ratio is of its errors
// plus a floor (0.1 % sMAPE, a thousandth of the train part's standard
// deviation in MAE), not +Inf for a rounding error or 1e13 for a small
// one; elsewhere it is the plain ratio of the errors.
func TestRelativeErrorExactBase(t *testing.T) {
	metric := ZScore{Std: 2} // the MAE floor is 0.002
	exact := Metrics{}
	for _, tt := range []struct {
		name     string
		sc, base Metrics
		want     float64
	}{
		{"rounding error", Metrics{SMAPE: 1e-13, MAE: 1e-15}, exact, 1},
		{"an error of one floor", Metrics{SMAPE: 0.1, MAE: 0.002}, exact, 2},
		{"exact too", exact, exact, 1},
		{"ordinary", Metrics{SMAPE: 4, MAE: 3}, Metrics{SMAPE: 8, MAE: 2}, (0.5 + 1.5) / 2},
	} {
		got := relativeError(tt.sc, tt.base, metric)
		if diff := got - tt.want; diff > 1e-9 || diff < -1e-9 {
			t.Errorf("%s: relativeError %v, want %v", tt.name, got, tt.want)
		}
	}
}
