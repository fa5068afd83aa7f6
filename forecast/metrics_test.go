package forecast

import (
	"errors"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

func TestScore(t *testing.T) {
	// Values worked by hand: errors are 1, 0, 2, −4 and 0 (the last pair is 0/0
	// for sMAPE, which counts as 0).
	actual := []float64{1, 2, 3, 4, 0}
	pred := []float64{2, 2, 5, 0, 0}
	got := Score(actual, pred, 2, ZScore{Mean: 0, Std: 2})
	want := Metrics{
		MAE:       7.0 / 5,
		RMSE:      math.Sqrt(21.0 / 5),
		SMAPE:     100 * (2.0/3 + 0 + 0.5 + 2 + 0) / 5,
		MASE:      7.0 / 5 / 2,
		MSEScaled: 21.0 / 5 / 4,
		MAEScaled: 7.0 / 5 / 2,
	}
	checkMetrics(t, "hand", got, want, 1e-14)
}

// TestScoreProtocol compares Score with protocol.py of the peer scripts
// (metrics() and scaled_metrics() there), run with numpy 1.24.2 on the arrays
// below; the figures are its output printed with repr().
func TestScoreProtocol(t *testing.T) {
	actual := []float64{10.5, 11.25, 9.75, 12, 13.5, 0.5, -1.25, 8}
	pred := []float64{10, 12, 9, 12.5, 14.25, -0.5, -1, 7.25}
	z := ZScore{Mean: 3, Std: 1.5}
	got := Score(actual, pred, 1.7, z)
	want := Metrics{
		MAE:       protocolMAE,
		RMSE:      protocolRMSE,
		SMAPE:     protocolSMAPE,
		MASE:      protocolMASE,
		MSEScaled: protocolMSEz,
		MAEScaled: protocolMAEz,
	}
	checkMetrics(t, "protocol.py", got, want, 1e-12)
}

func checkMetrics(t *testing.T, name string, got, want Metrics, tol float64) {
	t.Helper()
	for _, c := range []struct {
		field     string
		got, want float64
	}{
		{"MAE", got.MAE, want.MAE}, {"RMSE", got.RMSE, want.RMSE}, {"sMAPE", got.SMAPE, want.SMAPE},
		{"MASE", got.MASE, want.MASE}, {"MSEScaled", got.MSEScaled, want.MSEScaled}, {"MAEScaled", got.MAEScaled, want.MAEScaled},
	} {
		if !scalar.EqualWithinAbsOrRel(c.got, c.want, tol, tol) {
			t.Errorf("%s: %s = %v, want %v", name, c.field, c.got, c.want)
		}
	}
}

func TestMASEScale(t *testing.T) {
	// |y_t − y_{t−2}| for t = 2..5: |3−1|, |6−2|, |4−3|, |10−6| → mean 11/4.
	got, err := MASEScale([]float64{1, 2, 3, 6, 4, 10}, 2)
	if err != nil || got != 11.0/4 {
		t.Fatalf("MASEScale = %v, %v; want 2.75, nil", got, err)
	}
	if _, err := MASEScale([]float64{1, 2}, 2); !errors.Is(err, ErrInvalid) {
		t.Errorf("too short: err = %v, want ErrInvalid", err)
	}
	if _, err := MASEScale([]float64{1, 2, 1, 2, 1}, 2); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "repeats itself exactly every 2 steps") {
		t.Errorf("exactly periodic: err = %v, want ErrInvalid saying it repeats every 2 steps", err)
	}
	if _, err := MASEScale([]float64{5, 5, 5}, 1); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "constant (every value 5)") {
		t.Errorf("constant: err = %v, want ErrInvalid saying it is constant", err)
	}
}

// TestSeriesMASEScale: the scale of a series whose in-sample part never
// changes is taken over the values up to the end of validation, else over
// all of them; a series that never changes has none.
func TestSeriesMASEScale(t *testing.T) {
	y := []float64{0, 0, 0, 0, 2, 3, 7}
	for _, tt := range []struct {
		end, valEnd int
		want        float64
	}{
		{3, 5, 2.0 / 4}, // |2−0| over t = 1..4
		{3, 4, 7.0 / 6}, // none up to 4: all of y, (2+1+4)/6
		{6, 7, 3.0 / 5}, // in-sample changes: (2+1)/5
		{5, 5, 2.0 / 4}, // the in-sample part itself
	} {
		got, err := seriesMASEScale(y, tt.end, tt.valEnd, 1)
		if err != nil || math.Abs(got-tt.want) > 1e-15 {
			t.Errorf("seriesMASEScale(y, %d, %d) = %v, %v; want %v", tt.end, tt.valEnd, got, err, tt.want)
		}
	}
	if _, err := seriesMASEScale([]float64{4, 4, 4, 4}, 2, 3, 1); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "constant (every value 4)") {
		t.Errorf("constant series: err = %v, want ErrInvalid saying it is constant", err)
	}
}

func TestBaselines(t *testing.T) {
	y := []float64{1, 2, 3, 4, 5, 6, 7}
	naive := make([]float64, 3)
	Naive(naive, y, 5)
	if want := []float64{5, 5, 5}; !equal(naive, want) {
		t.Errorf("Naive = %v, want %v", naive, want)
	}
	// Season 2, origin 5: the last season is y[3], y[4] = 4, 5, repeated.
	snaive := make([]float64, 5)
	SeasonalNaive(snaive, y, 5, 2)
	if want := []float64{4, 5, 4, 5, 4}; !equal(snaive, want) {
		t.Errorf("SeasonalNaive = %v, want %v", snaive, want)
	}
}

func TestDrift(t *testing.T) {
	// History 1, 3, 5, 7: slope (7 − 1) / 3 = 2 per step.
	got := make([]float64, 3)
	Drift(got, []float64{1, 3, 5, 7, 100}, 4)
	if want := []float64{9, 11, 13}; !equal(got, want) {
		t.Errorf("Drift = %v, want %v", got, want)
	}
	Drift(got, []float64{4, 100}, 1)
	if want := []float64{4, 4, 4}; !equal(got, want) {
		t.Errorf("Drift of one value = %v, want %v", got, want)
	}
}

func TestFitZScore(t *testing.T) {
	z := FitZScore([]float64{2, 4, 4, 4, 5, 5, 7, 9})
	if z.Mean != 5 || z.Std != 2 { // the population std of this classic sample is 2
		t.Errorf("FitZScore = %+v, want mean 5 std 2", z)
	}
	if got := z.Unscale(z.Scale(3.7)); math.Abs(got-3.7) > 1e-15 {
		t.Errorf("Unscale(Scale(3.7)) = %v", got)
	}
	if c := FitZScore([]float64{3, 3, 3}); c.Std != 1 || c.Mean != 3 {
		t.Errorf("constant series: %+v, want mean 3 std 1", c)
	}
}

// Output of protocol.py for TestScoreProtocol (see there).
const (
	protocolMAE   = 0.65625
	protocolRMSE  = 0.6903350635742038
	protocolSMAPE = 32.609373442271625
	protocolMASE  = 0.3860294117647059
	protocolMSEz  = 0.21180555555555552
	protocolMAEz  = 0.4375
)
