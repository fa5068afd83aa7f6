package forecast

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/ingest"
)

// TestWeekSeason checks which frequencies and seasons have a week: those
// whose season is a day of steps that divide it, and an unknown frequency
// with a season of 24.
func TestWeekSeason(t *testing.T) {
	for _, c := range []struct {
		name string
		f    ingest.Freq
		m    int
		want int
	}{
		{"hourly", ingest.Freq{Step: time.Hour}, 24, 168},
		{"half-hourly", ingest.Freq{Step: 30 * time.Minute}, 48, 336},
		{"15-minute", ingest.Freq{Step: 15 * time.Minute}, 96, 672},
		{"2-hourly", ingest.Freq{Step: 2 * time.Hour}, 12, 84},
		{"unknown, season 24", ingest.Freq{}, 24, 168},
		{"unknown, season 12", ingest.Freq{}, 12, 0},
		{"hourly, season given as 12", ingest.Freq{Step: time.Hour}, 12, 0},
		{"hourly, no season", ingest.Freq{Step: time.Hour}, 1, 0},
		{"7-hourly (does not divide a day)", ingest.Freq{Step: 7 * time.Hour}, 3, 0},
		{"daily", ingest.Freq{Step: 24 * time.Hour}, 7, 0},
		{"business-daily", ingest.Freq{BusinessDays: 1}, 5, 0},
		{"monthly", ingest.Freq{Months: 1}, 12, 0},
	} {
		if got := weekSeason(c.f, c.m); got != c.want {
			t.Errorf("%s, season %d: week %d, want %d", c.name, c.m, got, c.want)
		}
	}
}

// TestWeeklyModels: on an hourly series whose days differ by weekday (the
// weekend lower) on a straight line, worked by hand from the origin o:
// weekly seasonal naive repeats the last week, one week of growth
// (168·slope) behind; the weekly seasonal mean is 1.5 weeks behind; with
// drift it is exact. The daily seasonal mean with drift is not: it
// forecasts Saturday like Friday.
func TestWeeklyModels(t *testing.T) {
	const slope = 0.25
	truth := func(t int) float64 {
		hour, weekday := t%24, (t/24)%7
		v := 10*math.Sin(2*math.Pi*float64(hour)/24) + slope*float64(t)
		if weekday >= 5 {
			v -= 30
		}
		return v
	}
	const o, h = 4*168 + 4*24, 72 // o: Friday 0:00 of the fifth week; the horizon reaches Sunday
	y := make([]float64, o)
	for i := range y {
		y[i] = truth(i)
	}
	ss := seasons{m: 24, week: 168}
	lag := map[string]float64{MethodSeasonalNaiveWeek: 168 * slope, MethodSeasonalMeanWeek: 1.5 * 168 * slope, MethodSeasonalMeanWeekDrift: 0}
	name := map[string]string{MethodSeasonalNaiveWeek: "weekly seasonal naive", MethodSeasonalMeanWeek: "weekly seasonal mean", MethodSeasonalMeanWeekDrift: "weekly seasonal mean with drift"}
	for method, behind := range lag {
		m, err := localMethods[method](y, ss)
		if err != nil {
			t.Fatalf("%s: %v", method, err)
		}
		if m.Name() != name[method] {
			t.Errorf("%s is named %q, want %q", method, m.Name(), name[method])
		}
		f := m.ForecastAt(y, []int{o}, h)[0]
		for k, v := range f {
			if want := truth(o+k) - behind; math.Abs(v-want) > 1e-9 {
				t.Errorf("%s, step %d: %v, want %v", method, k+1, v, want)
			}
		}
	}
	daily, _ := localMethods[MethodSeasonalMeanDrift](y, ss)
	f := daily.ForecastAt(y, []int{o}, h)[0]
	if saturday := 24; math.Abs(f[saturday]-truth(o+saturday)) < 10 {
		t.Errorf("the daily seasonal mean with drift forecasts Saturday 0:00 as %v, the truth %v: the test series shows no weekly cycle", f[saturday], truth(o+saturday))
	}
}

// TestWeeklyModelsNeedWeeks: the weekly methods fit only a series with a
// week and at least minWeeks of them.
func TestWeeklyModelsNeedWeeks(t *testing.T) {
	y := make([]float64, minWeeks*168)
	for _, method := range []string{MethodSeasonalNaiveWeek, MethodSeasonalMeanWeek, MethodSeasonalMeanWeekDrift} {
		if _, err := localMethods[method](y, seasons{m: 24, week: 168}); err != nil {
			t.Errorf("%s on %d weeks: %v", method, minWeeks, err)
		}
		if _, err := localMethods[method](y[:len(y)-1], seasons{m: 24, week: 168}); err == nil {
			t.Errorf("%s on a step less than %d weeks fits", method, minWeeks)
		}
		if _, err := localMethods[method](y, seasons{m: 24}); err == nil {
			t.Errorf("%s without a week fits", method)
		}
	}
}

// TestCombinationPartsWeekly: the combination takes ETS and the seasonal
// mean with drift where the series has no week, and ETS, Theta, ARIMA and
// the weekly seasonal means where it has one, of those that forecast it.
func TestCombinationPartsWeekly(t *testing.T) {
	preds := map[string][]float64{MethodETS: {1}, MethodSeasonalMeanDrift: {2}, MethodTheta: {3}, MethodSeasonalMean: {5}}
	if got, want := combinationParts(preds), []string{MethodETS, MethodSeasonalMeanDrift}; !slices.Equal(got, want) {
		t.Errorf("without the week: %q, want %q", got, want)
	}
	preds[MethodSeasonalMeanWeekDrift] = []float64{4}
	preds[MethodSeasonalMeanWeek] = []float64{6}
	if got, want := combinationParts(preds), []string{MethodETS, MethodTheta, MethodSeasonalMeanWeekDrift, MethodSeasonalMeanWeek}; !slices.Equal(got, want) {
		t.Errorf("with the week, no ARIMA: %q, want %q", got, want)
	}
	preds[MethodARIMA] = []float64{7}
	if got, want := combinationParts(preds), []string{MethodETS, MethodTheta, MethodARIMA, MethodSeasonalMeanWeekDrift, MethodSeasonalMeanWeek}; !slices.Equal(got, want) {
		t.Errorf("with the week: %q, want %q", got, want)
	}
}

// TestWeeklyMethodExport: a series forecast by a weekly method exports the
// method with its week, and the predictor rebuilt from the export
// forecasts as the fitted model does; without the week the export is
// refused.
func TestWeeklyMethodExport(t *testing.T) {
	model := seasonalMeanModel{m: 168, drift: true, weekly: true}
	sr := SeriesResult{Method: MethodSeasonalMeanWeekDrift, MethodName: model.Name(), locals: []localModel{model}}
	sm := sr.seriesMethod()
	if sm.Method != MethodSeasonalMeanWeekDrift || sm.Week != 168 {
		t.Fatalf("exported as %q with week %d, want %q with 168", sm.Method, sm.Week, MethodSeasonalMeanWeekDrift)
	}
	if got := sr.Label(); got != "smean_week_drift" {
		t.Errorf("label %q, want smean_week_drift", got)
	}
	comps, err := components(sm)
	if err != nil {
		t.Fatal(err)
	}
	p := &Predictor{Features: []string{"y"}, horizon: 24, Season: 24, Method: sm.Method, components: comps, classicalOnly: true}
	var values []float64
	for i := range 3 * 168 {
		values = append(values, float64(i%168)+0.5*float64(i/168))
	}
	s := ingest.NewSeries("y", nil, values)
	pts, _, err := p.Predict(s)
	if err != nil {
		t.Fatal(err)
	}
	want := model.ForecastAt(s.Values(), []int{s.Len()}, 24)[0]
	for k, pt := range pts {
		if pt.Value != want[k] {
			t.Errorf("step %d: %v, want %v", k+1, pt.Value, want[k])
		}
	}
	if _, _, err := p.Predict(s.Head(2 * 168)); err == nil {
		t.Error("two weeks of data are forecast by a weekly method that needs three")
	}
	sm.Week = 0
	if _, err := components(sm); err == nil {
		t.Error("a weekly method without its week is accepted")
	}
}
