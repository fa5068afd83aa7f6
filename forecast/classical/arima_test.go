package classical

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// Reference fits from R 4.2.2 with forecast 8.20 and urca, made by
// testdata/reference.R (output in testdata/reference.out):
//
//	Arima(x, order, seasonal, include.constant, method = "CSS")
//
// R minimises the conditional sum of squares with optim's BFGS (relative
// tolerance 1e-8 on ½·log σ²), which stops early where the surface is
// flat: its σ² is above the least-squares minimum FitARIMAOrder finds by
// Gauss–Newton by up to 7e-8 (relative), never below, and its coefficients
// differ from ours by up to 6e-5 for the small births drift (0.046, 1.3e-3
// relative) and 3e-4 relative elsewhere. So the coefficients are asked to
// agree within 1e-3·max(1, |c|), σ² within 1e-6 and not below R's by more
// than rounding, the forecasts (R's differ by up to 2.6e-5) within 5e-5.
var arimaReferences = []struct {
	name   string
	series string
	m      int
	order  ARIMAOrder
	coef   []float64 // ar, seasonal ar, then the constant, as R prints them
	sigma2 float64
	mean   []float64
}{
	{
		"ARIMA(2,1,0)(1,1,0)[12]", "airpassengers.txt", 12,
		ARIMAOrder{P: 2, D: 1, SeasonalP: 1, SeasonalD: 1},
		[]float64{-0.3099859761911270550, -0.0094047332279923387, -0.1510042341506401820},
		132.01975571822331,
		[]float64{445.46092787870714, 420.71767800215264, 454.14061114014726, 488.29203059593465,
			501.25408172904145, 562.59331212190523, 647.93218913140458, 636.00932453618680,
			538.31132718780327, 489.95229068526089, 422.87840033041221, 465.02940468672102},
	},
	{
		"ARIMA(1,0,0)(1,1,0)[12] with drift", "airpassengers.txt", 12,
		ARIMAOrder{P: 1, SeasonalP: 1, SeasonalD: 1, Constant: true},
		[]float64{0.73760440908490510, -0.16919580101065262, 2.77974705797864852},
		126.95564814232002,
		[]float64{445.99117307986887, 421.44064227385138, 455.60242942795622, 488.85642467044482,
			502.09445599141901, 563.26168955560911, 648.42147439768087, 637.00520546788107,
			539.35498895909041, 490.84062945768756, 424.24591815820708, 466.41968553858601},
	},
	{
		"ARIMA(2,1,0) with drift", "births100.txt", 1,
		ARIMAOrder{P: 2, D: 1, Constant: true},
		[]float64{-0.639822734410092409, -0.327460556057242114, 0.046167412748478548},
		66.716245461237904,
		[]float64{36.650115317304561, 36.355177892377846, 35.766901706318151, 36.330698937103989,
			36.253430277916287, 36.209071547689490, 36.353580089525749, 36.366470353272710,
			36.401726401674331, 36.465772107111398, 36.504073623181640, 36.549419379786215},
	},
	{
		"ARIMA(3,0,0) with non-zero mean", "births100.txt", 1,
		ARIMAOrder{P: 3, Constant: true},
		[]float64{0.068974237846185629, 0.036828898556302621, 0.042640871965808090, 39.777397398362808190},
		51.8088761389686,
		[]float64{39.237656452701707, 39.451604220401755, 39.488694734923840, 39.722470723727838,
			39.749084166548940, 39.761111092541427, 39.772889196388554, 39.775279340969909,
			39.776390812573915, 39.777057730491151, 39.777246582770225, 39.777331564682918},
	},
}

func TestARIMAMatchesR(t *testing.T) {
	for _, c := range arimaReferences {
		t.Run(c.name, func(t *testing.T) {
			a, err := FitARIMAOrder(loadSeries(t, c.series), c.m, c.order)
			if err != nil {
				t.Fatal(err)
			}
			if a.Name() != c.name {
				t.Errorf("name %q, want %q", a.Name(), c.name)
			}
			coef := append(append([]float64{}, a.AR...), a.SeasonalAR...)
			if c.order.Constant {
				coef = append(coef, a.Constant)
			}
			if len(coef) != len(c.coef) {
				t.Fatalf("%d coefficients, want %d", len(coef), len(c.coef))
			}
			for i, want := range c.coef {
				if d := math.Abs(coef[i] - want); !(d <= 1e-3*math.Max(1, math.Abs(want))) {
					t.Errorf("coefficient %d = %.10g, R's %.10g", i, coef[i], want)
				}
			}
			// R's optimum is a point of the same surface: ours is the
			// minimum, so not above it, and close to it.
			if d := (a.Sigma2 - c.sigma2) / c.sigma2; d > 1e-12 || d < -1e-6 {
				t.Errorf("σ² = %.12g, R's %.12g (relative difference %.2g)", a.Sigma2, c.sigma2, d)
			}
			checkClose(t, "forecast", a.Forecast(len(c.mean)), c.mean, 5e-5)
		})
	}
}

// The KPSS statistics of urca::ur.kpss(x, type = "mu",
// use.lag = trunc(3*sqrt(n)/13)) (testdata/reference.R), lags 2, 2, 2 and
// 2: a closed formula, so agreement to rounding.
func TestKPSSMatchesR(t *testing.T) {
	air := loadSeries(t, "airpassengers.txt")
	births := loadSeries(t, "births100.txt")
	got := []float64{kpssLevel(air), kpssLevel(diffLag(air, 12)), kpssLevel(births), kpssLevel(diffLag(births, 1))}
	want := []float64{4.342286797114129904, 0.970402479505821813, 0.075306425246900663, 0.024101130431757611}
	checkClose(t, "KPSS", got, want, 1e-12)
}

// A hand computation without lags (n = 4: ⌊3·√4/13⌋ = 0):
// x = 1, 3, 2, 6 has mean 3, deviations −2, 0, −1, 3, partial sums
// −2, −2, −3, 0, so η = (4+4+9+0)/16 / ((4+0+1+9)/4) = 17/56.
func TestKPSSByHand(t *testing.T) {
	if got, want := kpssLevel([]float64{1, 3, 2, 6}), 17.0/56; math.Abs(got-want) > 1e-15 {
		t.Errorf("KPSS = %v, want 17/56 = %v", got, want)
	}
}

// R's nsdiffs(air) = 1, ndiffs(diff(air, 12)) = 1, ndiffs(births) = 0
// (testdata/reference.R). R's seasonal strength comes from STL, ours from
// a classical decomposition; both are far from 0.64 on AirPassengers.
func TestDifferencingTests(t *testing.T) {
	air := loadSeries(t, "airpassengers.txt")
	births := loadSeries(t, "births100.txt")
	if got := nsdiffs(air, 12); got != 1 {
		t.Errorf("nsdiffs(air) = %d, want 1", got)
	}
	if got := ndiffs(diffLag(air, 12)); got != 1 {
		t.Errorf("ndiffs(diff(air, 12)) = %d, want 1", got)
	}
	if got := ndiffs(births); got != 0 {
		t.Errorf("ndiffs(births) = %d, want 0", got)
	}
	// A quadratic needs two differences to become constant.
	square := make([]float64, 40)
	for i := range square {
		square[i] = float64(i * i)
	}
	if got := ndiffs(square); got != 2 {
		t.Errorf("ndiffs(t²) = %d, want 2", got)
	}
	// A trend without season has no seasonal strength.
	line := make([]float64, 48)
	for i := range line {
		line[i] = float64(i)
	}
	if got := nsdiffs(line, 12); got != 0 {
		t.Errorf("nsdiffs(line) = %d, want 0", got)
	}
}

// auto.arima(x, max.q = 0, max.Q = 0, max.P = 1, stepwise = FALSE,
// approximation = FALSE, method = "CSS") searches the same orders by the
// same criterion (testdata/reference.R).
func TestFitARIMAMatchesAutoArima(t *testing.T) {
	for _, c := range []struct {
		series string
		m      int
		name   string
		mean   []float64
	}{
		{"airpassengers.txt", 12, "ARIMA(1,1,0)(0,1,0)[12]", []float64{444.30957539310612,
			418.21373846908932, 446.24340722251588, 488.23422250651083, 499.23706586857861,
			562.23618563364880, 649.23645813272333, 633.23637377371529, 535.23639988918831,
			488.23639180448049, 417.23639430730714, 459.23639353249359}},
		{"births100.txt", 1, "ARIMA(0,0,0) with non-zero mean", []float64{39.54000000000017,
			39.54000000000017, 39.54000000000017}},
	} {
		model, err := FitARIMA(loadSeries(t, c.series), c.m)
		if err != nil {
			t.Fatal(err)
		}
		if model.Name() != c.name {
			t.Errorf("%s: chose %s, R %s", c.series, model.Name(), c.name)
			continue
		}
		checkClose(t, c.series, model.Forecast(len(c.mean)), c.mean, 1e-6)
	}
}

// An AR(2) process x_t = 0.6·x_{t−1} − 0.3·x_{t−2} + e_t simulated with a
// fixed seed: the estimates lie within 0.06 (about 3.5 standard errors,
// √((1−φ₂²)/n) ≈ 0.017) of the truth, and FitARIMA finds it stationary.
func TestARIMARecoversAR2(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 3))
	const n, burn = 3000, 100
	x := make([]float64, n+burn)
	for i := 2; i < len(x); i++ {
		x[i] = 0.6*x[i-1] - 0.3*x[i-2] + rng.NormFloat64()
	}
	x = x[burn:]
	for i := range x {
		x[i] += 10
	}
	a, err := FitARIMAOrder(x, 1, ARIMAOrder{P: 2, Constant: true})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{0.6, -0.3} {
		if math.Abs(a.AR[i]-want) > 0.06 {
			t.Errorf("φ%d = %v, want %v", i+1, a.AR[i], want)
		}
	}
	if math.Abs(a.Constant-10) > 0.2 || math.Abs(a.Sigma2-1) > 0.1 {
		t.Errorf("mean %v, σ² %v, want 10 and 1", a.Constant, a.Sigma2)
	}
	auto, err := FitARIMA(x, 1)
	if err != nil {
		t.Fatal(err)
	}
	if auto.Order.D != 0 || auto.Order.P < 2 || !auto.Order.Constant {
		t.Errorf("FitARIMA chose %s, want ARIMA(p ≥ 2,0,0) with non-zero mean", auto.Name())
	}
}

// The Jacobian of the residuals agrees with central finite differences.
func TestCSSJacobian(t *testing.T) {
	air := loadSeries(t, "airpassengers.txt")
	c := cssProblem{w: difference(air, 1, 1, 12), p: 2, seasonalP: 1, m: 12, regressor: 12}
	theta := []float64{-0.3, 0.1, -0.2, 0.05}
	rows := len(c.w) - c.conditioned()
	e := make([]float64, rows)
	jac := mat.NewDense(rows, len(theta), nil)
	c.residuals(theta, e, jac)
	plus, minus := make([]float64, rows), make([]float64, rows)
	const step = 1e-6
	for k := range theta {
		shifted := append([]float64{}, theta...)
		shifted[k] += step
		c.residuals(shifted, plus, nil)
		shifted[k] -= 2 * step
		c.residuals(shifted, minus, nil)
		for r := range rows {
			fd := (plus[r] - minus[r]) / (2 * step)
			if d := math.Abs(fd - jac.At(r, k)); d > 1e-6*(1+math.Abs(fd)) {
				t.Fatalf("∂e_%d/∂θ_%d = %v, finite difference %v", r, k, jac.At(r, k), fd)
			}
		}
	}
}

// The forecast recursion by hand: ARIMA(1,1,0) with drift 2 and φ = 0.5
// after y = 10, 13, 16 has z_t = y_t − 2t = 8, 9, 10, steps 1, 1, so the
// next steps are 0.5 and 0.25: z = 10.5, 10.75 and y = 18.5, 20.75. At
// origin 0 the forecasts are the drift line 2t.
func TestARIMAForecastByHand(t *testing.T) {
	a := &ARIMA{Order: ARIMAOrder{P: 1, D: 1, Constant: true}, Period: 1, AR: []float64{0.5},
		Constant: 2, N: 3, History: []float64{13, 16}}
	if got := a.Forecast(2); got[0] != 18.5 || got[1] != 20.75 {
		t.Errorf("Forecast = %v, want [18.5 20.75]", got)
	}
	at := a.ForecastAt([]float64{10, 13, 16}, []int{3, 0}, 2)
	if !sameBits(at[0], a.Forecast(2)) {
		t.Errorf("ForecastAt(3) = %v, Forecast = %v", at[0], a.Forecast(2))
	}
	if at[1][0] != 2 || at[1][1] != 4 {
		t.Errorf("ForecastAt(0) = %v, want the drift line [2 4]", at[1])
	}
	if a.Name() != "ARIMA(1,1,0) with drift" {
		t.Errorf("name %q", a.Name())
	}
}

func TestARIMAForecastAtEnd(t *testing.T) {
	air := loadSeries(t, "airpassengers.txt")
	for _, order := range []ARIMAOrder{{P: 2, D: 1, SeasonalP: 1, SeasonalD: 1}, {P: 1, SeasonalP: 1, SeasonalD: 1, Constant: true}} {
		a, err := FitARIMAOrder(air[:120], 12, order)
		if err != nil {
			t.Fatal(err)
		}
		at := a.ForecastAt(air, []int{144, 120, 1, 0}, 12)
		if !sameBits(at[1], a.Forecast(12)) {
			t.Errorf("%s: ForecastAt(fit data end) = %v, Forecast = %v", a.Name(), at[1], a.Forecast(12))
		}
		for _, f := range at {
			checkFinite(t, a.Name(), f)
		}
	}
}

// The roots of the AR polynomial must lie outside radius 1.01: φ = 0.98
// has its root at 1/0.98 ≈ 1.0204, φ = 0.995 at 1.005; a seasonal Φ at
// lag 12 has roots of modulus Φ^(−1/12): 1.0188 for 0.8, 1.0088 for 0.9.
func TestARIMAStationarity(t *testing.T) {
	for _, c := range []struct {
		ar, sar []float64
		want    bool
	}{
		{nil, nil, true},
		{[]float64{0.98}, nil, true},
		{[]float64{0.995}, nil, false},
		{[]float64{1}, nil, false},
		{[]float64{-1.2}, nil, false},
		{nil, []float64{0.8}, true},
		{nil, []float64{0.9}, false},
		{[]float64{0.5, 0}, []float64{-0.5}, true},
		// (1 − 1.5B + 0.56B²) = (1 − 0.7B)(1 − 0.8B): roots 1.43 and 1.25.
		{[]float64{1.5, -0.56}, nil, true},
		// (1 − 1.9B + 0.9B²) = (1 − B)(1 − 0.9B): a unit root.
		{[]float64{1.9, -0.9}, nil, false},
	} {
		a := &ARIMA{Period: 12, AR: c.ar, SeasonalAR: c.sar}
		if got := a.stationaryAR(); got != c.want {
			t.Errorf("AR %v, seasonal AR %v: stationary = %v, want %v", c.ar, c.sar, got, c.want)
		}
	}
}

func TestFitARIMASpecialSeries(t *testing.T) {
	constant, err := FitARIMA([]float64{4, 4, 4, 4, 4}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if constant.Name() != "ARIMA(0,0,0) with non-zero mean" || !sameBits(constant.Forecast(3), []float64{4, 4, 4}) {
		t.Errorf("constant series: %s forecasting %v", constant.Name(), constant.Forecast(3))
	}
	line := make([]float64, 30)
	for i := range line {
		line[i] = 5 + 3*float64(i)
	}
	trend, err := FitARIMA(line, 1)
	if err != nil {
		t.Fatal(err)
	}
	if trend.Name() != "ARIMA(0,1,0) with drift" || !sameBits(trend.Forecast(2), []float64{95, 98}) {
		t.Errorf("line: %s forecasting %v, want ARIMA(0,1,0) with drift and [95 98]", trend.Name(), trend.Forecast(2))
	}
	// Short series fit or fail with an error, never panic.
	for n := 3; n <= 8; n++ {
		y := []float64{3, 1, 4, 1, 5, 9, 2, 6}[:n]
		for _, m := range []int{1, 2, 4} {
			a, err := FitARIMA(y, m)
			if err != nil {
				if !strings.Contains(err.Error(), "too few") {
					t.Errorf("n = %d, m = %d: error %v does not say the series is too short", n, m, err)
				}
				continue
			}
			checkFinite(t, a.Name(), a.Forecast(4))
		}
	}
}

func TestFitARIMAErrors(t *testing.T) {
	air := loadSeries(t, "airpassengers.txt")
	for _, c := range []struct {
		name string
		fit  func() error
		want string
	}{
		{"two values", func() error { _, err := FitARIMA([]float64{1, 2}, 1); return err }, "at least 3 values"},
		{"NaN", func() error { _, err := FitARIMA([]float64{1, math.NaN(), 3, 4}, 1); return err }, "missing"},
		{"seasonal without period", func() error {
			_, err := FitARIMAOrder(air, 1, ARIMAOrder{SeasonalD: 1})
			return err
		}, "seasonal terms"},
		{"drift after two differences", func() error {
			_, err := FitARIMAOrder(air, 12, ARIMAOrder{D: 1, SeasonalD: 1, Constant: true})
			return err
		}, "constant"},
		{"too short for the order", func() error {
			_, err := FitARIMAOrder(air[:30], 12, ARIMAOrder{P: 2, D: 1, SeasonalP: 1, SeasonalD: 1})
			return err
		}, "needs more than"},
	} {
		if err := c.fit(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one about %q", c.name, err, c.want)
		}
	}
}
