package pipeline

import (
	"testing"

	"github.com/forecast-dev/forecast/forecast"
)

func TestInherit(t *testing.T) {
	// A parent stored before transform, fallback, ensemble and clip were
	// settings: those keep their defaults, as the parent trained with no
	// such choice; --horizon was given on the command line and wins.
	old := `{"horizon":12,"lookback":36,"layers":1,"hidden":16,"epochs":7,"patience":3,"batch":8,"lr":0.01,` +
		`"season":12,"seed":9,"protocol":"holdout","window_norm":"last","calendar":true,"level":"90","windows_per_epoch":100}`
	p, err := forecast.ParseParams(old)
	if err != nil {
		t.Fatal(err)
	}
	given := func(flag string) bool { return flag == "horizon" }
	s := DefaultTraining
	s.Horizon = "6"
	got := s.Inherit(p, given)
	want := TrainingSettings{
		Horizon: "6", Lookback: "36", Layers: 1, Hidden: 16, Epochs: 7, Patience: 3, Batch: 8, LR: 0.01,
		Clip: DefaultTraining.Clip, Season: "12", Seed: 9, Protocol: "holdout", WindowNorm: "last", Calendar: true,
		Level: "90", WindowsPerEpoch: 100, Transform: DefaultTraining.Transform, Fallback: DefaultTraining.Fallback,
		Ensemble: DefaultTraining.Ensemble,
	}
	if got != want {
		t.Errorf("inherited\n%+v\nwant\n%+v", got, want)
	}
	// What the parent holds as zero is inherited as zero: no clip, no
	// intervals.
	p, err = forecast.ParseParams(`{"clip":0,"level":"","ensemble":3}`)
	if err != nil {
		t.Fatal(err)
	}
	got = DefaultTraining.Inherit(p, func(string) bool { return false })
	if got.Clip != 0 || got.Level != "" || got.Ensemble != "3" || got.Lookback != DefaultTraining.Lookback {
		t.Errorf("inherited clip %v, level %q, ensemble %q, lookback %q; want 0, \"\", 3 and the default", got.Clip, got.Level, got.Ensemble, got.Lookback)
	}
	// A version without a network leaves lookback and ensemble to be
	// chosen from the data.
	p, err = forecast.ParseParams(`{"classical_only":true,"lookback":0,"ensemble":1,"horizon":12}`)
	if err != nil {
		t.Fatal(err)
	}
	got = DefaultTraining.Inherit(p, func(string) bool { return false })
	if got.Lookback != "auto" || got.Ensemble != "auto" || got.Horizon != "12" {
		t.Errorf("classical-only parent: lookback %q, ensemble %q, horizon %q; want auto, auto, 12", got.Lookback, got.Ensemble, got.Horizon)
	}
	// A version of a constant series leaves the season to the data too;
	// one where naive won validation keeps it.
	for doc, want := range map[string]FlagText{`{"classical_only":true,"repeats":true,"season":1,"horizon":18}`: "auto",
		`{"classical_only":true,"method":"snaive","season":1,"horizon":18}`: "1"} {
		p, err = forecast.ParseParams(doc)
		if err != nil {
			t.Fatal(err)
		}
		if got = DefaultTraining.Inherit(p, func(string) bool { return false }); got.Season != want || got.Horizon != "18" {
			t.Errorf("parent %s: season %q, horizon %q; want %s, 18", doc, got.Season, got.Horizon, want)
		}
	}
}
