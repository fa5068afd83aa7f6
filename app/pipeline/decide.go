package pipeline

import (
	"fmt"
	"time"
)

// Model is what Decide needs to know of the stored model version a job
// would reuse.
type Model struct {
	Ref       string    // e.g. "load@3", for the reasons
	CreatedAt time.Time // when it was trained
	Horizon   int       // how many steps it forecasts
}

// Accuracy is the realised accuracy of a model version: the mean MASE over
// the Series that have one. Series 0 means none has been measured yet.
type Accuracy struct {
	MASE   float64
	Series int
}

// Decision says whether a job trains a new model version (Refit) or
// forecasts with the stored one, and why, in words for people.
type Decision struct {
	Refit  bool
	Reason string
}

// Decide applies policy to the stored version current (nil if there is
// none) at time now. horizon is the number of steps the job asks for, 0 if
// it names none; a stored version that forecasts another number of steps
// is refitted, or, under Never, is an error. acc is read only under
// IfAccuracyWorseThan. A version is refitted only when strictly older than
// MaxAge, or strictly worse than MaxMASE.
func Decide(policy Policy, current *Model, horizon int, now time.Time, acc Accuracy) (Decision, error) {
	if current == nil {
		return Decision{Refit: true, Reason: "fit a first version"}, nil
	}
	if horizon != 0 && current.Horizon != horizon {
		if policy.Kind == Never {
			return Decision{}, fmt.Errorf("model %s forecasts %d steps, the job asks for %d, and its refit policy is never", current.Ref, current.Horizon, horizon)
		}
		return Decision{Refit: true, Reason: fmt.Sprintf("refit: %s forecasts %d steps, the job asks for %d", current.Ref, current.Horizon, horizon)}, nil
	}
	switch policy.Kind {
	case Always:
		return Decision{Refit: true, Reason: fmt.Sprintf("refit (always) after %s", current.Ref)}, nil
	case IfOlderThan:
		if age := now.Sub(current.CreatedAt); age > policy.MaxAge {
			return Decision{Refit: true, Reason: fmt.Sprintf("refit: %s is %s old, more than %s", current.Ref, age.Round(time.Second), policy.MaxAge)}, nil
		}
	case IfAccuracyWorseThan:
		if acc.Series > 0 && acc.MASE > policy.MaxMASE {
			return Decision{Refit: true, Reason: fmt.Sprintf("refit: %s has realised MASE %.3f over %d series, worse than %g", current.Ref, acc.MASE, acc.Series, policy.MaxMASE)}, nil
		}
	}
	return Decision{Reason: fmt.Sprintf("reuse %s (refit %s)", current.Ref, policy)}, nil
}
