package classical

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
)

// A stored model forecasts exactly as the fitted one.
func TestMarshalRoundTrip(t *testing.T) {
	air := loadSeries(t, "airpassengers.txt")
	births := loadSeries(t, "births100.txt")
	for _, c := range []struct {
		method string
		y      []float64
		m      int
	}{
		{MethodETS, air, 12}, {MethodTheta, air, 12}, {MethodETS, births, 1}, {MethodTheta, births, 1},
		{MethodARIMA, air, 12}, {MethodARIMA, births, 1}, {MethodARIMA, births[:40], 4},
	} {
		model, err := Fit(c.method, c.y, c.m)
		if err != nil {
			t.Fatal(err)
		}
		data, err := Marshal(model)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Unmarshal(data)
		if err != nil {
			t.Fatalf("%s: %v\n%s", model.Name(), err, data)
		}
		if back.Name() != model.Name() || !sameBits(back.Forecast(30), model.Forecast(30)) {
			t.Errorf("%s: the decoded model forecasts %v, want %v", model.Name(), back.Forecast(3), model.Forecast(3))
		}
		var env struct{ Method string }
		if err := json.Unmarshal(data, &env); err != nil || env.Method != c.method {
			t.Errorf("%s: method field %q, want %q", model.Name(), env.Method, c.method)
		}
	}
}

func TestUnmarshalErrors(t *testing.T) {
	for _, c := range []struct{ name, data, want string }{
		{"not JSON", `{`, "decode model"},
		{"unknown method", `{"method":"garch","model":{}}`, "unknown method"},
		{"bad spec", `{"method":"ets","model":{"spec":{"error":"X","trend":"N","season":"N"},"alpha":0.5}}`, "error component"},
		{"season states", `{"method":"ets","model":{"spec":{"error":"A","trend":"N","season":"A"},"period":4,"alpha":0.5,"initial":{"level":1,"season":[0,0]},"final":{"level":1,"season":[0,0,0,0]}}}`, "seasonal states"},
		{"theta indices", `{"method":"theta","model":{"period":4,"seasonIndex":[1,1],"alpha":0.5}}`, "seasonal indices"},
		{"arima coefficients", `{"method":"arima","model":{"order":{"p":2},"period":1,"ar":[0.5],"n":5,"history":[1,2]}}`, "AR"},
		{"arima history", `{"method":"arima","model":{"order":{"p":1,"d":1},"period":1,"ar":[0.5],"n":5,"history":[1]}}`, "past values"},
		{"arima season", `{"method":"arima","model":{"order":{"seasonalD":1},"period":1,"n":5,"history":[1]}}`, "seasonal terms"},
	} {
		_, err := Unmarshal([]byte(c.data))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one about %q", c.name, err, c.want)
		}
	}
}

func TestFitAndRefit(t *testing.T) {
	air := loadSeries(t, "airpassengers.txt")
	if _, err := Fit("garch", air, 12); err == nil || !strings.Contains(err.Error(), "unknown method") {
		t.Errorf("Fit(garch): %v", err)
	}
	for _, method := range []string{MethodETS, MethodTheta, MethodARIMA} {
		model, err := Fit(method, air[:100], 12)
		if err != nil {
			t.Fatal(err)
		}
		again, err := Refit(model, air)
		if err != nil {
			t.Fatal(err)
		}
		if again.Name() != model.Name() {
			t.Errorf("refit of %s is %s", model.Name(), again.Name())
		}
		direct := map[string]func() (Model, error){
			MethodETS: func() (Model, error) {
				e := model.(*ETS)
				return FitETS(air, e.Period, e.Spec)
			},
			MethodTheta: func() (Model, error) { return FitTheta(air, 12) },
			MethodARIMA: func() (Model, error) {
				a := model.(*ARIMA)
				return FitARIMAOrder(air, a.Period, a.Order)
			},
		}[method]
		want, err := direct()
		if err != nil {
			t.Fatal(err)
		}
		if !sameBits(again.Forecast(12), want.Forecast(12)) {
			t.Errorf("%s: Refit differs from fitting the same form", model.Name())
		}
	}
}

// A series longer than MaxFitValues is fitted on its last MaxFitValues:
// the model is the one fitted to them, it forecasts the series' later
// origins as it forecasts theirs, an origin before them gets NaN, and
// the values left out are not stored (a stored model is refitted).
func TestFitLongSeriesOnItsEnd(t *testing.T) {
	y := hourlySeries(MaxFitValues + 300)
	skip := len(y) - MaxFitValues
	fits := map[string]func(y []float64) (Model, error){
		MethodTheta: func(y []float64) (Model, error) { return Fit(MethodTheta, y, 24) },
		MethodARIMA: func(y []float64) (Model, error) { return Fit(MethodARIMA, y, 24) },
		// AutoETS's 15 forms on 20,000 values take seconds: one form, by Refit.
		MethodETS: func(y []float64) (Model, error) {
			return Refit(&ETS{Spec: ETSSpec{Error: "A", Trend: "N", Season: "A"}, Period: 24}, y)
		},
	}
	for method, fit := range fits {
		long, err := fit(y)
		if err != nil {
			t.Fatalf("%s: %v", method, err)
		}
		end, err := fit(y[skip:])
		if err != nil {
			t.Fatalf("%s on the last values: %v", method, err)
		}
		if !slices.Equal(long.Forecast(24), end.Forecast(24)) {
			t.Errorf("%s: forecast %v, want %v, that of the last %d values", method, long.Forecast(24)[:3], end.Forecast(24)[:3], MaxFitValues)
		}
		origins := []int{len(y) - 100, len(y)}
		got, want := long.ForecastAt(y, origins, 24), end.ForecastAt(y[skip:], []int{MaxFitValues - 100, MaxFitValues}, 24)
		for i := range origins {
			if !slices.Equal(got[i], want[i]) {
				t.Errorf("%s at origin %d: %v, want %v", method, origins[i], got[i][:3], want[i][:3])
			}
		}
		if before := long.ForecastAt(y, []int{skip - 1}, 2)[0]; !math.IsNaN(before[0]) || !math.IsNaN(before[1]) {
			t.Errorf("%s before the fit data: %v, want NaN", method, before)
		}
		data, err := Marshal(long)
		if err != nil {
			t.Fatal(err)
		}
		stored, err := Unmarshal(data)
		if err != nil {
			t.Fatal(err)
		}
		if refit, err := Refit(stored, y); err != nil || !slices.Equal(refit.Forecast(24), long.Forecast(24)) {
			t.Errorf("%s stored and refitted: %v, want the forecasts of the fit", method, err)
		}
	}
}
