package pipeline_test

import (
	"testing"
	"time"

	"github.com/forecast-dev/forecast/app/pipeline"
)

func TestDecide(t *testing.T) {
	trained := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	model := &pipeline.Model{Ref: "load@3", CreatedAt: trained, Horizon: 24}
	policy := func(s string) pipeline.Policy {
		p, err := pipeline.ParsePolicy(s)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	week := 7 * 24 * time.Hour
	for _, c := range []struct {
		name    string
		policy  string
		current *pipeline.Model
		horizon int
		now     time.Time
		acc     pipeline.Accuracy
		want    pipeline.Decision
	}{
		{"NoVersion/never", "never", nil, 24, trained, pipeline.Accuracy{},
			pipeline.Decision{Refit: true, Reason: "fit a first version"}},
		{"NoVersion/if-older-than", "if-older-than 7d", nil, 0, trained, pipeline.Accuracy{},
			pipeline.Decision{Refit: true, Reason: "fit a first version"}},
		{"Never", "never", model, 0, trained.Add(1000 * week), pipeline.Accuracy{MASE: 9, Series: 5},
			pipeline.Decision{Reason: "reuse load@3 (refit never)"}},
		{"Never/SameHorizon", "never", model, 24, trained, pipeline.Accuracy{},
			pipeline.Decision{Reason: "reuse load@3 (refit never)"}},
		{"Always", "always", model, 0, trained, pipeline.Accuracy{},
			pipeline.Decision{Refit: true, Reason: "refit (always) after load@3"}},
		{"Always/HorizonMismatch", "always", model, 12, trained, pipeline.Accuracy{},
			pipeline.Decision{Refit: true, Reason: "refit: load@3 forecasts 24 steps, the job asks for 12"}},
		{"IfOlderThan/Younger", "if-older-than 7d", model, 0, trained.Add(week - time.Second), pipeline.Accuracy{},
			pipeline.Decision{Reason: "reuse load@3 (refit if-older-than 7d)"}},
		{"IfOlderThan/ExactlyMaxAge", "if-older-than 7d", model, 0, trained.Add(week), pipeline.Accuracy{},
			pipeline.Decision{Reason: "reuse load@3 (refit if-older-than 7d)"}},
		{"IfOlderThan/1nsOlder", "if-older-than 7d", model, 0, trained.Add(week + 1), pipeline.Accuracy{},
			pipeline.Decision{Refit: true, Reason: "refit: load@3 is 168h0m0s old, more than 168h0m0s"}},
		{"IfOlderThan/Older", "if-older-than 36h", model, 0, trained.Add(50*time.Hour + 400*time.Millisecond), pipeline.Accuracy{},
			pipeline.Decision{Refit: true, Reason: "refit: load@3 is 50h0m0s old, more than 36h0m0s"}},
		{"IfOlderThan/CreatedInTheFuture", "if-older-than 1h", model, 0, trained.Add(-time.Hour), pipeline.Accuracy{},
			pipeline.Decision{Reason: "reuse load@3 (refit if-older-than 1h)"}},
		{"IfOlderThan/HorizonMismatch", "if-older-than 7d", model, 48, trained, pipeline.Accuracy{},
			pipeline.Decision{Refit: true, Reason: "refit: load@3 forecasts 24 steps, the job asks for 48"}},
		{"IfAccuracyWorseThan/NoAccuracyYet", "if-accuracy-worse-than 1.2", model, 0, trained, pipeline.Accuracy{},
			pipeline.Decision{Reason: "reuse load@3 (refit if-accuracy-worse-than 1.2)"}},
		{"IfAccuracyWorseThan/Better", "if-accuracy-worse-than 1.2", model, 0, trained, pipeline.Accuracy{MASE: 0.8, Series: 10},
			pipeline.Decision{Reason: "reuse load@3 (refit if-accuracy-worse-than 1.2)"}},
		{"IfAccuracyWorseThan/ExactlyMax", "if-accuracy-worse-than 1.2", model, 0, trained, pipeline.Accuracy{MASE: 1.2, Series: 10},
			pipeline.Decision{Reason: "reuse load@3 (refit if-accuracy-worse-than 1.2)"}},
		{"IfAccuracyWorseThan/Worse", "if-accuracy-worse-than 1.2", model, 0, trained, pipeline.Accuracy{MASE: 1.23456, Series: 10},
			pipeline.Decision{Refit: true, Reason: "refit: load@3 has realised MASE 1.235 over 10 series, worse than 1.2"}},
		{"IfAccuracyWorseThan/OldButAccurate", "if-accuracy-worse-than 1.2", model, 0, trained.Add(1000 * week), pipeline.Accuracy{MASE: 1, Series: 1},
			pipeline.Decision{Reason: "reuse load@3 (refit if-accuracy-worse-than 1.2)"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := pipeline.Decide(policy(c.policy), c.current, c.horizon, c.now, c.acc)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Fatalf("got %+v, want %+v", got, c.want)
			}
		})
	}
}

// TestDecideHorizonMismatchNever: a version that forecasts another number
// of steps than the job asks for cannot be reused, and under never it may
// not be replaced either.
func TestDecideHorizonMismatchNever(t *testing.T) {
	model := &pipeline.Model{Ref: "load@3", CreatedAt: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Horizon: 24}
	d, err := pipeline.Decide(pipeline.Policy{Kind: pipeline.Never}, model, 6, model.CreatedAt, pipeline.Accuracy{})
	if err == nil {
		t.Fatalf("no error, decided %+v", d)
	}
	if got, want := err.Error(), "model load@3 forecasts 24 steps, the job asks for 6, and its refit policy is never"; got != want {
		t.Fatalf("error %q, want %q", got, want)
	}
}
