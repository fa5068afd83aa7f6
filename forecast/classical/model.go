package classical

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
)

// Model is a fitted classical forecasting model.
type Model interface {
	// Name says which model it is, e.g. "ETS(M,Ad,M)" or "Theta".
	Name() string
	// Forecast returns the h point forecasts after the fit data.
	Forecast(h int) []float64
	// ForecastAt returns, for each origin o ≤ len(y), the h point
	// forecasts made after y[:o] with the fitted parameters held fixed;
	// y starts with the series the model was fitted to (by Fit or Refit,
	// whose fit data may be its last values only). ForecastAt(y,
	// []int{len(y)}, h)[0] equals Forecast(h) bit for bit.
	ForecastAt(y []float64, origins []int, h int) [][]float64
}

// Method names accepted by Fit and written by Marshal.
const (
	MethodETS   = "ets"
	MethodTheta = "theta"
	MethodARIMA = "arima"
)

var (
	_ Model = (*ETS)(nil)
	_ Model = (*Theta)(nil)
	_ Model = (*ARIMA)(nil)
)

// MaxFitValues bounds the values Fit and Refit fit a model on: of a
// longer series, its last MaxFitValues (2 years of hourly data). Its
// parameters rest on them alone, and its forecasts at later origins
// (ForecastAt) start there. ETS's forms take about 3 s to fit on 20,000
// hourly values and ten times as long on 200,000, and a fit of the
// forecaster fits them three times, with nothing shown meanwhile.
const MaxFitValues = 20_000

// Fit fits a model of the named method to y, or to its last MaxFitValues,
// with season length m: "ets" is AutoETS, "theta" FitTheta, "arima"
// FitARIMA.
func Fit(method string, y []float64, m int) (Model, error) {
	switch method {
	case MethodETS:
		return fitEnd(y, func(y []float64) (*ETS, error) { return AutoETS(y, m) })
	case MethodTheta:
		return fitEnd(y, func(y []float64) (*Theta, error) { return FitTheta(y, m) })
	case MethodARIMA:
		return fitEnd(y, func(y []float64) (*ARIMA, error) { return FitARIMA(y, m) })
	}
	return nil, fmt.Errorf("classical: unknown method %q (want %q, %q or %q)", method, MethodETS, MethodTheta, MethodARIMA)
}

// Refit fits the same form as model to new data y, or to its last
// MaxFitValues: the same ETS spec and season length re-estimated, the
// Theta method with the same season length (its seasonality test runs
// again), or the same ARIMA orders and season length re-estimated.
func Refit(model Model, y []float64) (Model, error) {
	switch mod := model.(type) {
	case *ETS:
		return fitEnd(y, func(y []float64) (*ETS, error) { return FitETS(y, mod.Period, mod.Spec) })
	case *Theta:
		return fitEnd(y, func(y []float64) (*Theta, error) { return FitTheta(y, mod.Period) })
	case *ARIMA:
		return fitEnd(y, func(y []float64) (*ARIMA, error) { return FitARIMAOrder(y, mod.Period, mod.Order) })
	}
	return nil, fmt.Errorf("classical: cannot refit a %T", model)
}

// fitEnd fits a model to the last MaxFitValues of y with fit, and records
// the values it left out before them.
func fitEnd[M interface {
	Model
	setSkip(int)
}](y []float64, fit func(y []float64) (M, error)) (Model, error) {
	skip := max(len(y)-MaxFitValues, 0)
	model, err := fit(y[skip:])
	if err != nil {
		return nil, err
	}
	model.setSkip(skip)
	return model, nil
}

// fitStart is where a model's fit data began in the series it was fitted
// to: the values before, which Fit and Refit leave out (MaxFitValues).
// It is not stored: a stored model is refitted before it forecasts.
type fitStart struct {
	Skip int `json:"-"`
}

func (f *fitStart) setSkip(n int) { f.Skip = n }

// forecastAt is at, a model's ForecastAt on its fit data, at origins of
// y, whose first Skip values precede them; an origin among those gets
// NaN forecasts.
func (f fitStart) forecastAt(y []float64, origins []int, h int, at func(y []float64, origins []int, h int) [][]float64) [][]float64 {
	if f.Skip == 0 {
		return at(y, origins, h)
	}
	if len(y) < f.Skip {
		panic(fmt.Sprintf("classical: %d values, fewer than the %d before the fit data", len(y), f.Skip))
	}
	shifted := make([]int, len(origins))
	for i, o := range origins {
		if o < 0 {
			panic(fmt.Sprintf("classical: forecast origin %d outside [0, %d]", o, len(y)))
		}
		shifted[i] = max(o-f.Skip, 0)
	}
	out := at(y[f.Skip:], shifted, h)
	for i, o := range origins {
		if o < f.Skip {
			for k := range out[i] {
				out[i][k] = math.NaN()
			}
		}
	}
	return out
}

// envelope is the stored form of a model: its method and its fields.
type envelope struct {
	Method string          `json:"method"`
	Model  json.RawMessage `json:"model"`
}

// Marshal encodes a fitted model as JSON: {"method": "ets"|"theta"|"arima",
// "model": {the model's fields}}.
func Marshal(model Model) ([]byte, error) {
	var method string
	switch model.(type) {
	case *ETS:
		method = MethodETS
	case *Theta:
		method = MethodTheta
	case *ARIMA:
		method = MethodARIMA
	default:
		return nil, fmt.Errorf("classical: cannot marshal a %T", model)
	}
	body, err := json.Marshal(model)
	if err != nil {
		return nil, fmt.Errorf("classical: marshal %s: %w", model.Name(), err)
	}
	return json.Marshal(envelope{Method: method, Model: body})
}

// Unmarshal decodes a model written by Marshal and checks that it is
// usable.
func Unmarshal(data []byte) (Model, error) {
	var env envelope
	if err := json.Unmarshal(data, &env); err != nil {
		return nil, fmt.Errorf("classical: decode model: %w", err)
	}
	switch env.Method {
	case MethodETS:
		var e ETS
		if err := json.Unmarshal(env.Model, &e); err != nil {
			return nil, fmt.Errorf("classical: decode ets model: %w", err)
		}
		if err := e.check(); err != nil {
			return nil, fmt.Errorf("classical: stored ets model: %w", err)
		}
		return &e, nil
	case MethodTheta:
		var t Theta
		if err := json.Unmarshal(env.Model, &t); err != nil {
			return nil, fmt.Errorf("classical: decode theta model: %w", err)
		}
		if t.SeasonIndex != nil && len(t.SeasonIndex) != t.Period {
			return nil, fmt.Errorf("classical: stored theta model: %d seasonal indices for period %d", len(t.SeasonIndex), t.Period)
		}
		return &t, nil
	case MethodARIMA:
		var a ARIMA
		if err := json.Unmarshal(env.Model, &a); err != nil {
			return nil, fmt.Errorf("classical: decode arima model: %w", err)
		}
		if err := a.check(); err != nil {
			return nil, fmt.Errorf("classical: stored arima model: %w", err)
		}
		return &a, nil
	}
	return nil, fmt.Errorf("classical: stored model has unknown method %q", env.Method)
}

// check reports whether a decoded ETS model is consistent.
func (e *ETS) check() error {
	if err := e.Spec.validate(); err != nil {
		return err
	}
	m := 0
	if e.Spec.Season != "N" {
		m = e.Period
		if m < 2 {
			return fmt.Errorf("%v with period %d", e.Spec, e.Period)
		}
	}
	if len(e.Initial.Season) != m || len(e.Final.Season) != m {
		return fmt.Errorf("%v with period %d has %d and %d seasonal states", e.Spec, e.Period, len(e.Initial.Season), len(e.Final.Season))
	}
	if e.Alpha <= 0 {
		return errors.New("alpha is not positive")
	}
	return nil
}
