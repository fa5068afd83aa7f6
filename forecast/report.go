package forecast

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/forecast-dev/forecast/ingest"
)

// Params are the settings a stored model version was trained with, as its
// params JSON document holds them. The JSON keys are those the database
// has always held: its views read lookback, horizon, layers, hidden and
// method_name by path, and a refit reads every key named like a training
// flag (with "_" for "-") as that flag's value. The fields are in the
// order of their keys, so that a document reads as it always has.
type Params struct {
	Batch    int  `json:"batch"`
	Calendar bool `json:"calendar"`
	// ClassicalOnly marks a model of a series too short for the network,
	// forecast by the classical methods alone (see Export.ClassicalOnly).
	ClassicalOnly bool     `json:"classical_only,omitempty"`
	Clip          float64  `json:"clip"` // the gradient-norm clip; 0 for none
	Ensemble      int      `json:"ensemble"`
	Epochs        int      `json:"epochs"`
	Fallback      Fallback `json:"fallback"`
	Features      []string `json:"features"` // the network's inputs per step: target, covariates, calendar
	// Global marks a model trained as a global model on however many
	// series, as batch trains them: it scales every series it forecasts by
	// the series' own history (see ScalesPerSeries).
	Global   bool    `json:"global,omitempty"`
	Hidden   int     `json:"hidden"`
	Horizon  int     `json:"horizon"`
	Layers   int     `json:"layers"`
	Level    string  `json:"level"` // the interval levels in percent, as --level reads them, e.g. "80,95"
	Lookback int     `json:"lookback"`
	LR       float64 `json:"lr"`
	// Method and MethodName are what forecasts the first series fitted
	// (see Result and SeriesResult.Method and MethodName).
	Method     string   `json:"method"`
	MethodName string   `json:"method_name"`
	Patience   int      `json:"patience"`
	Protocol   Protocol `json:"protocol"`
	// Repeats marks a model of series that all repeat themselves exactly
	// every season (see SeriesResult.Repeats): its season, 1 for constant
	// series, says nothing of other data.
	Repeats         bool       `json:"repeats,omitempty"`
	Season          int        `json:"season"`
	Seed            uint64     `json:"seed"`
	Series          int        `json:"series"` // how many series the model was trained on
	Target          string     `json:"target"`
	Transform       Transform  `json:"transform"`
	WindowNorm      WindowNorm `json:"window_norm"`
	WindowsPerEpoch int        `json:"windows_per_epoch"`

	// stored holds the keys of the document ParseParams read: a version
	// written before a setting existed lacks its key (see Stored).
	stored map[string]bool
}

// Stored says whether the document ParseParams read p from holds the
// setting of key (e.g. "window_norm"), as every document Encode writes
// does (but classical_only and global, which it leaves out when false); a
// key that earlier versions did not write reads as its zero value, which
// may not be what they trained with. Params not read from a document hold
// no key.
func (p Params) Stored(key string) bool {
	return p.stored[key]
}

// Params returns the settings r was fitted with on series series, whose
// target is target.
func (r *Result) Params(target string, series int) Params {
	c := r.Config
	return Params{
		Target: target, Lookback: c.Lookback, Horizon: c.Horizon,
		Layers: c.Layers, Hidden: c.Hidden, Epochs: c.Epochs,
		Patience: c.Patience, Batch: c.Batch, LR: c.LR,
		Clip: max(c.ClipNorm, 0), Season: c.Season, Seed: c.Seed,
		Protocol: c.Protocol, WindowNorm: c.WindowNorm, Calendar: c.Calendar,
		Level: levelPercents(c.Levels), WindowsPerEpoch: c.WindowsPerEpoch, Ensemble: max(c.Ensemble, 1),
		Transform: c.Transform, Fallback: c.Fallback,
		Features: r.Features, Series: series,
		Method: r.first().Method, MethodName: r.first().MethodName,
		ClassicalOnly: r.Model == nil, Repeats: r.first().Repeats,
	}
}

// levelPercents writes interval levels in percent, as the --level flag
// reads them: "80,95" for 0.8 and 0.95.
func levelPercents(levels []float64) string {
	parts := make([]string, len(levels))
	for i, a := range levels {
		parts[i] = strconv.FormatFloat(a*100, 'g', -1, 64)
	}
	return strings.Join(parts, ",")
}

// ScalesPerSeries says whether a model of these settings forecasts a
// series on the series' own scale (see Predictor.ForSeries), as a global
// model does: one trained on several series, or marked Global. A model
// trained on one series scales what it forecasts as it scaled its
// training data.
func (p Params) ScalesPerSeries() bool { return p.Global || p.Series > 1 }

// calendarPrefix starts the names of calendar features.
const calendarPrefix = "cal:"

// Covariates are the covariate columns the network reads besides its
// target: the features after the target, but the calendar's.
func (p Params) Covariates() []string {
	var covs []string
	for _, f := range p.Features[min(1, len(p.Features)):] {
		if !strings.HasPrefix(f, calendarPrefix) {
			covs = append(covs, f)
		}
	}
	return covs
}

// SplitProtocol is the protocol the model's series were split by: Protocol,
// or ProtocolV1 for versions stored before there was a choice.
func (p Params) SplitProtocol() Protocol {
	if p.Protocol == "" {
		return ProtocolV1
	}
	return p.Protocol
}

// PredictorFor returns the predictor that forecasts s with the model
// stored with pred and params: pred itself for a model that keeps the
// scale of its training data, or, for one that scales each series on its
// own (see Params.ScalesPerSeries), pred scaled by the history of s under
// the protocol the model was split by. Every use of a stored model
// forecasts through it, so that they agree.
func PredictorFor(pred *Predictor, params Params, s *ingest.Series) (*Predictor, error) {
	if !params.ScalesPerSeries() {
		return pred, nil
	}
	return pred.ForSeries(s, params.SplitProtocol())
}

// Encode writes p as the params JSON document. It returns an error
// wrapping *json.UnsupportedValueError for a setting that is not a finite
// number.
func (p Params) Encode() (string, error) {
	return encodeDocument("params", p)
}

// ParseParams reads a params JSON document, as Encode writes it or as
// earlier versions did (a key they lack reads as its zero value). An
// empty document, as a version imported without params has, reads as the
// zero Params.
func ParseParams(doc string) (Params, error) {
	var p Params
	var keys map[string]json.RawMessage
	if err := parseDocument("params", doc, &keys); err != nil {
		return p, err
	}
	for k := range keys {
		if p.stored == nil {
			p.stored = make(map[string]bool, len(keys))
		}
		p.stored[k] = true
	}
	return p, parseDocument("params", doc, &p)
}

// Report is what a fit measured, as a stored model version's metrics JSON
// document holds it. The database's views read epochs_run, best_epoch and
// test.{selected,gru,naive,seasonal_naive}.{mae,mase} by path.
type Report struct {
	Test      Scores        `json:"test,omitzero"` // the test scores of the model and of the baselines; none where the series left no test part
	MASEScale float64       `json:"mase_scale"`    // the MASE denominator of the first series fitted
	BestEpoch int           `json:"best_epoch"`    // whose weights were kept
	Epochs    int           `json:"epochs_run"`
	ValLoss   float64       `json:"best_val_mse_scaled"` // the validation loss of BestEpoch
	History   []EpochRecord `json:"history"`
	// Windows counts the windows of each part: "train", "validation", "test".
	Windows map[string]int `json:"windows"`
	Seconds float64        `json:"train_seconds"`
	// Methods counts the series each method forecasts (see
	// SeriesResult.Method); Candidates is how the methods did on the
	// validation part of the first series fitted; Trials the settings tried.
	Methods    map[string]int `json:"methods"`
	Candidates []Candidate    `json:"candidates,omitempty"`
	Trials     []Trial        `json:"trials,omitempty"`
}

// EpochRecord is one epoch of a Report's training history.
type EpochRecord struct {
	Epoch     int     `json:"epoch"`
	TrainLoss float64 `json:"train_mse"`
	ValLoss   float64 `json:"val_mse"`
}

// Report returns what r measured; trained is the wall time of its training.
func (r *Result) Report(trained time.Duration) Report {
	rep := Report{
		Test: r.Test, MASEScale: r.MASEScale, BestEpoch: r.BestEpoch, Epochs: len(r.History),
		Windows: map[string]int{"train": r.Split.TrainWindows, "validation": r.Split.ValWindows, "test": r.Split.TestWindows},
		Seconds: trained.Seconds(), Methods: map[string]int{},
		Candidates: r.first().Candidates, Trials: r.Trials,
	}
	for _, sr := range r.Series {
		rep.Methods[sr.Method]++
	}
	if r.BestEpoch > 0 {
		rep.ValLoss = r.History[r.BestEpoch-1].ValLoss
	}
	for _, h := range r.History {
		rep.History = append(rep.History, EpochRecord{h.Epoch, h.TrainLoss, h.ValLoss})
	}
	return rep
}

// TestMASE is the test MASE of the forecasts the version gives: of the
// selected methods, or of the GRU for versions stored before methods
// competed; ok is false if the report has neither.
//
// A forecast without error (a seasonal mean of a series that repeats its
// week) scores 0, which its JSON leaves out like an absent score: where
// methods competed and the baselines were scored, that is the score.
func (r Report) TestMASE() (mase float64, ok bool) {
	scored := r.Test.Naive != (Metrics{}) || r.Test.SeasonalNaive != (Metrics{})
	switch {
	case r.Test.Selected.MASE != 0 || len(r.Methods) > 0 && scored:
		return r.Test.Selected.MASE, true
	case r.Test.GRU.MASE != 0:
		return r.Test.GRU.MASE, true
	}
	return 0, false
}

// Encode writes r as the metrics JSON document. It returns an error
// wrapping *json.UnsupportedValueError for a score that is not a finite
// number.
func (r Report) Encode() (string, error) {
	return encodeDocument("metrics", r)
}

// ParseReport reads a metrics JSON document, as Encode writes it or as
// earlier versions did. An empty document reads as the zero Report.
func ParseReport(doc string) (Report, error) {
	var r Report
	return r, parseDocument("metrics", doc, &r)
}

// Encode writes z as the scaler JSON document of a model version.
func (z ZScore) Encode() (string, error) {
	return encodeDocument("scaler", z)
}

// ParseZScore reads the scaler JSON document of a model version. An empty
// document reads as the zero ZScore.
func ParseZScore(doc string) (ZScore, error) {
	var z ZScore
	return z, parseDocument("scaler", doc, &z)
}

func encodeDocument(name string, v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	return string(b), nil
}

func parseDocument(name, doc string, v any) error {
	if doc == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(doc), v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}
