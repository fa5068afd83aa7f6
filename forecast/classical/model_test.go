package classical

import (
	"encoding/json"
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
