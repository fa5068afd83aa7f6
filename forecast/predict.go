package forecast

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/forecast-dev/forecast/forecast/classical"
	"github.com/forecast-dev/forecast/gru"
	"github.com/forecast-dev/forecast/ingest"
)

// Predictor forecasts new data with a trained model: the network, the window
// it reads, its input features and the scalers fitted on its training data,
// which are applied to the new data unchanged.
type Predictor struct {
	Model      *gru.Model   // the network; the first member of an ensemble
	Members    []*gru.Model // every member of an ensemble, Model first
	Lookback   int
	Features   []string // the input features the model reads, target first
	Scaler     ZScore   // of the target
	Covariates []ZScore // of each covariate feature
	WindowNorm WindowNorm
	Season     int    // of NormSeason and of the classical methods
	Method     string // what forecasts: MethodGRU, a classical method refitted on the data or a combination (see Export.Method)
	// Fallback is what the model let compete with the network (see
	// Export.Fallback); "" for models stored before it was recorded.
	Fallback Fallback
	// components are the classical methods of Method: one, the parts of a
	// combination, none for the GRU.
	components []component
	// seriesMethods are the methods of the series of a model fitted on
	// several, by id (see Export.SeriesMethods); ForSeries applies them.
	seriesMethods map[string]SeriesMethod
	multiSeries   bool
	allSeries     bool // seriesMethods lists every series (Export.AllSeries)
	// typical is the method that forecasts most of the series of a model
	// of several (see typicalMethod), which forecasts those new to it.
	typical     SeriesMethod
	Calibration Calibration // the prediction intervals' quantiles; empty for none
	calendar    []calendarFeature
	horizon     int
	// classicalOnly marks a predictor without a network (see
	// Export.ClassicalOnly): Model and Members are nil, but in a copy that
	// leaves the network out for the data (see ForData).
	classicalOnly bool
	// adapted says what ForData and ForSeries changed for a series' values
	// (see Adapted).
	adapted []string
}

// newClassicalPredictor rebuilds a model without a network from its
// export h; weights must be empty.
func newClassicalPredictor(weights []byte, h Export) (*Predictor, error) {
	switch {
	case len(weights) > 0:
		return nil, errors.New("model export: classical_only with network weights")
	case h.Format != ExportFormat:
		return nil, fmt.Errorf("model export: format %q, want %q", h.Format, ExportFormat)
	case len(h.InputFeatures) != 1:
		return nil, fmt.Errorf("model export: classical_only with the input features %q, want the target alone", h.InputFeatures)
	case h.Horizon < 1 || h.Season < 1:
		return nil, fmt.Errorf("model export: classical_only with horizon %d and season %d", h.Horizon, h.Season)
	case h.Method == MethodGRU || h.Method == "":
		return nil, fmt.Errorf("model export: classical_only with the method %q", h.Method)
	}
	p := &Predictor{Features: h.InputFeatures, horizon: h.Horizon, Season: h.Season, Method: h.Method, Fallback: h.Fallback, classicalOnly: true}
	var err error
	if p.components, err = components(SeriesMethod{Method: h.Method, Local: h.Local, Week: h.Week, Components: h.Components}); err != nil {
		return nil, fmt.Errorf("model export: %w", err)
	}
	if h.Intervals != nil {
		if err := h.Intervals.checkLevels(); err != nil {
			return nil, fmt.Errorf("model export: intervals: %w", err)
		}
		p.Calibration = Calibration{Levels: h.Intervals.Levels}
	}
	return p, nil
}

// NewPredictor rebuilds a stored model from its weights, as encoded by
// EncodeWeights, and its export document, which gives the lookback,
// the input features, the scalers, the window normalisation and the interval
// quantiles. It returns an error if either is malformed or they do not
// describe the same network.
func NewPredictor(weights, export []byte) (*Predictor, error) {
	var h struct {
		Export
		Weights  json.RawMessage `json:"layers"`   // not decoded: the binary weights are exact
		Ensemble json.RawMessage `json:"ensemble"` // likewise; only its length is checked
	}
	if err := json.Unmarshal(export, &h); err != nil {
		return nil, fmt.Errorf("model export: %w", err)
	}
	if h.ClassicalOnly {
		return newClassicalPredictor(weights, h.Export)
	}
	members, err := DecodeWeights(weights)
	if err != nil {
		return nil, err
	}
	m := members[0]
	cfg := m.Config()
	nf := len(h.InputFeatures)
	switch {
	case h.Format != ExportFormat:
		return nil, fmt.Errorf("model export: format %q, want %q", h.Format, ExportFormat)
	case h.Scaler.Kind != "zscore" && h.Scaler.Kind != "log-zscore":
		return nil, fmt.Errorf("model export: scaler %q, want zscore or log-zscore", h.Scaler.Kind)
	case nf == 0 || len(h.Scaler.Mean) != nf || len(h.Scaler.Std) != nf:
		return nil, fmt.Errorf("model export: %d input features with %d scaler entries", nf, len(h.Scaler.Mean))
	case cfg.Inputs != nf || cfg.Outputs != h.Horizon || h.Lookback < 1:
		return nil, fmt.Errorf("model export: lookback %d, horizon %d and %d input features do not fit a network of %d inputs and %d outputs", h.Lookback, h.Horizon, nf, cfg.Inputs, cfg.Outputs)
	}
	for i, std := range h.Scaler.Std {
		if !(std > 0) || math.IsInf(std, 0) || math.IsNaN(h.Scaler.Mean[i]) || math.IsInf(h.Scaler.Mean[i], 0) {
			return nil, fmt.Errorf("model export: scaler of %q: mean %g and std %g, want a finite mean and a finite std above 0", h.InputFeatures[i], h.Scaler.Mean[i], std)
		}
	}
	var exported []json.RawMessage
	if len(h.Ensemble) > 0 {
		if err := json.Unmarshal(h.Ensemble, &exported); err != nil {
			return nil, fmt.Errorf("model export: ensemble: %w", err)
		}
	}
	if len(members) > 1 && len(exported) != len(members) {
		return nil, fmt.Errorf("model export: %d ensemble members, the weights hold %d", len(exported), len(members))
	}
	if h.WindowNorm == "" {
		h.WindowNorm = NormNone // exports made before window normalisation existed
	}
	if !h.WindowNorm.valid() {
		return nil, fmt.Errorf("model export: window_norm %q, want none, last, mean or season", h.WindowNorm)
	}
	if h.WindowNorm == NormSeason && (h.Season < 1 || h.Season > h.Lookback) {
		return nil, fmt.Errorf("model export: window_norm season with season %d and lookback %d", h.Season, h.Lookback)
	}
	p := &Predictor{
		Model:      m,
		Members:    members,
		horizon:    h.Horizon,
		Lookback:   h.Lookback,
		Features:   h.InputFeatures,
		Scaler:     ZScore{Mean: h.Scaler.Mean[0], Std: h.Scaler.Std[0], Log: h.Scaler.Kind == "log-zscore"},
		WindowNorm: h.WindowNorm,
		Season:     h.Season,
		Method:     h.Method,
		Fallback:   h.Fallback,
	}
	switch {
	case h.Method == "" && h.Fallback == FallbackSeasonalNaive:
		p.Method = MethodSeasonalNaive
	case h.Method == "":
		p.Method = MethodGRU
	}
	if p.components, err = components(SeriesMethod{Method: p.Method, Local: h.Local, Week: h.Week, Components: h.Components}); err != nil {
		return nil, fmt.Errorf("model export: %w", err)
	}
	if len(h.SeriesMethods) > 0 {
		p.multiSeries, p.allSeries = true, h.AllSeries
		if p.allSeries {
			p.typical = typicalMethod(h.SeriesMethods)
		}
		p.seriesMethods = map[string]SeriesMethod{}
		for _, sm := range h.SeriesMethods {
			if _, err := components(sm); err != nil {
				return nil, fmt.Errorf("model export: series %q: %w", sm.ID, err)
			}
			p.seriesMethods[sm.ID] = sm
		}
	}
	if p.Method != MethodGRU && p.Season < 1 {
		return nil, fmt.Errorf("model export: method %q with season %d", p.Method, p.Season)
	}
	for i, f := range h.InputFeatures[1:] {
		if strings.HasPrefix(f, "cal:") {
			c, ok := calendarFeatureNamed(f)
			if !ok {
				return nil, fmt.Errorf("model export: unknown calendar feature %q", f)
			}
			p.calendar = append(p.calendar, c)
			continue
		}
		if len(p.calendar) > 0 {
			return nil, fmt.Errorf("model export: covariate %q after the calendar features", f)
		}
		p.Covariates = append(p.Covariates, ZScore{Mean: h.Scaler.Mean[1+i], Std: h.Scaler.Std[1+i]})
	}
	if h.Intervals != nil {
		if err := h.Intervals.check(h.Horizon); err != nil {
			return nil, fmt.Errorf("model export: intervals: %w", err)
		}
		p.Calibration = *h.Intervals
	}
	return p, nil
}

// component is a classical method of a predictor: seasonal naive, the
// seasonal mean (with or without drift), either over the week, or the
// stored fit of ETS or Theta, whose form is refitted on the data.
type component struct {
	method string
	local  classical.Model // nil for seasonal naive and the seasonal means
	week   int             // the steps of a week, of the weekly methods
	// refit is local refitted on the values of the series refitFor, as
	// ForSeries refits it to try it on a series new to the model; Predict
	// forecasts that series with it rather than refit it again.
	refit    classical.Model
	refitFor *ingest.Series
}

// components checks the method of sm and returns its classical parts.
func components(sm SeriesMethod) ([]component, error) {
	switch sm.Method {
	case MethodGRU:
		return nil, nil
	case MethodSeasonalNaive, MethodSeasonalMean, MethodSeasonalMeanDrift, MethodCroston:
		return []component{{method: sm.Method}}, nil
	case MethodSeasonalNaiveWeek, MethodSeasonalMeanWeek, MethodSeasonalMeanWeekDrift:
		if sm.Week < 2 {
			return nil, fmt.Errorf("method %s with a week of %d steps", sm.Method, sm.Week)
		}
		return []component{{method: sm.Method, week: sm.Week}}, nil
	case MethodETS, MethodTheta, MethodARIMA:
		m, err := classical.Unmarshal(sm.Local)
		if err != nil {
			return nil, fmt.Errorf("method %s: %w", sm.Method, err)
		}
		return []component{{method: sm.Method, local: m}}, nil
	case MethodCombination:
		var out []component
		for _, part := range sm.Components {
			if part.Method == MethodGRU || part.Method == MethodCombination {
				return nil, fmt.Errorf("method comb: a part %q", part.Method)
			}
			c, err := components(part)
			if err != nil {
				return nil, fmt.Errorf("method comb: %w", err)
			}
			out = append(out, c...)
		}
		if len(out) == 0 {
			return nil, errors.New("method comb without parts")
		}
		return out, nil
	}
	return nil, fmt.Errorf("method %q, want gru, ets, theta, arima, snaive, smean, smean_drift, snaive_week, smean_week, smean_week_drift, croston or comb", sm.Method)
}

// label names c as stored forecasts name methods (see MethodLabel).
func (c component) label() string {
	if c.local != nil {
		return MethodLabel(c.method, c.local.Name())
	}
	return c.method
}

// ForSeries returns a copy of p that reads the target of s, whatever its
// name, and scales s by its own history as FitMany scales each series it
// trains on: the target's and each covariate's z-score (of the logarithm
// for a model with the log transform) fitted on the train part of s under
// protocol (with p's horizon). A global model, trained on many series each
// on its own scale, forecasts a series this way; on the data it was fitted
// on, the forecast equals FitMany's. It returns an error wrapping
// ErrInvalid if s is too short for a train part, lacks a covariate or has
// a value the log transform cannot take.
func (p *Predictor) ForSeries(s *ingest.Series, protocol Protocol) (*Predictor, error) {
	q := *p
	q.Features = slices.Clone(p.Features)
	q.Features[0] = s.Name
	q.adapted = slices.Clone(p.adapted)
	if m, ok := repeatSeason(s, p.Season); ok && (p.Fallback != FallbackNone || m == 1 || m == max(p.Season, 1)) {
		// Scaled by its own history, a constant series is all zeros with no
		// scale to restore, which the network forecasts as noise around the
		// value; seasonal naive forecasts it, or one that repeats itself
		// every season, exactly, as fit does, and says so. Under Fallback
		// none the network forecasts a series that repeats at a season
		// other than the model's, as fit would.
		q.Method, q.Season, q.components = MethodSeasonalNaive, m, []component{{method: MethodSeasonalNaive}}
		return &q, nil
	}
	covs := s.Covariates()
	if len(covs) != len(p.Covariates) {
		return nil, fmt.Errorf("%w: the model reads %d covariates, the input has %d", ErrInvalid, len(p.Covariates), len(covs))
	}
	if p.multiSeries {
		// Each series of a model fitted on several has its own method.
		q.Method, q.components = MethodGRU, nil
		if sm, ok := p.seriesMethods[seriesName(s)]; ok {
			q.Method, q.classicalOnly = sm.Method, sm.ClassicalOnly
			q.components, _ = components(sm) // checked by NewPredictor
		} else if p.allSeries && p.Fallback == FallbackAuto {
			var left []string
			q.Method, q.components, left = p.newSeriesMethod(s)
			q.adapted = append(q.adapted, left...)
		}
		// A series shorter than the lookback (an item new this month) is
		// forecast without the network, as fit forecasts such a series of
		// its own (see Config.ShortSeries): a batch failed new items day
		// after day until they had a lookback of history.
		if network := !q.classicalOnly && (q.Method == MethodGRU || q.Method == MethodCombination); network && s.Len() < p.Lookback {
			if err := q.leaveOutNetwork(fmt.Sprintf("the network reads the last %d values of a series (its lookback), and %q has %d", p.Lookback, seriesName(s), s.Len())); err != nil {
				return nil, err
			}
		}
	}
	network := !q.classicalOnly && (q.Method == MethodGRU || q.Method == MethodCombination)
	b, err := protocol.bounds(s.Len(), p.Horizon())
	switch {
	case !network && (err != nil || b.Train < 1):
		// The classical parts scale nothing: a new item of 10 days is
		// forecast by them all the same.
		return &q, nil
	case err != nil:
		return nil, err
	case b.Train < 1:
		need := s.Len() + 1
		for ; need < 1<<20; need++ {
			if nb, err := protocol.bounds(need, p.Horizon()); err == nil && nb.Train >= 1 {
				break
			}
		}
		return nil, fmt.Errorf("%w: %d values are too few to scale by, as the model scales each series, by the train part of its own history: that takes %d values or more (protocol %s, horizon %d)",
			ErrTooShort, s.Len(), need, protocol, p.Horizon())
	}
	y := s.Values()
	q.Scaler = FitZScore(y[:b.Train])
	if p.Scaler.Log {
		switch lo := slices.Min(y); {
		case lo > 0:
			q.Scaler = FitLogZScore(y[:b.Train])
		case network:
			if err := q.leaveOutNetwork(fmt.Sprintf("the network reads the logarithm of each series, and %q has the value %g", s.Name, lo)); err != nil {
				return nil, err
			}
		}
	}
	q.Covariates = make([]ZScore, len(p.Covariates))
	for i, c := range covs {
		q.Covariates[i] = FitZScore(c.Values[:b.Train])
	}
	return &q, nil
}

// ForData returns p, or where the values of s include one ≤ 0 that a part
// of p cannot take, a copy that forecasts s without that part (Adapted
// says what changed): a multiplicative ETS, fitted where the series stayed
// above 0, is chosen again among the forms the values allow, as ETS
// chooses on such data; a network that reads the logarithm of its last
// Lookback values is left out of a combination, or where it forecasts
// alone gives way to seasonal naive, unless the model's fallback is none
// (an error wrapping ErrInvalid). A shop's first day closed, after months
// of sales, thus still gets its forecast.
func (p *Predictor) ForData(s *ingest.Series) (*Predictor, error) {
	y := s.Values()
	q := p
	own := func() {
		if q == p {
			c := *p
			c.components, c.adapted = slices.Clone(p.components), slices.Clone(p.adapted)
			q = &c
		}
	}
	fitted := y[max(len(y)-classical.MaxFitValues, 0):]
	for i, c := range p.components {
		ets, ok := c.local.(*classical.ETS)
		if !ok || c.refitFor == s || len(fitted) == 0 || (ets.Spec.Error != "M" && ets.Spec.Season != "M") {
			continue
		}
		lo := slices.Min(fitted)
		if lo > 0 {
			continue
		}
		again, err := classical.Fit(classical.MethodETS, y, p.Season)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
		}
		own()
		q.components[i] = component{method: c.method, local: again, refit: again, refitFor: s}
		q.adapted = append(q.adapted, fmt.Sprintf("%s needs values above 0, and %q has the value %g: %s forecasts in its place", ets.Name(), s.Name, lo, again.Name()))
	}
	// A weekly method fits nothing but needs weeks: 300 recent values of
	// a 15-minute model of lookback 288 failed predict for the 3 weeks
	// of 672 steps the weekly seasonal mean wants. A combination forecasts
	// without it, as a global model's new series does.
	removed := false
	for i := len(q.components) - 1; i >= 0; i-- {
		c := q.components[i]
		if c.week == 0 || c.local != nil || q.Method != MethodCombination || q.classicalOnly && len(q.components) < 2 {
			continue
		}
		if err := (seasons{m: q.Season, week: c.week}).fitsWeek(len(y)); err != nil {
			own()
			q.components = slices.Delete(q.components, i, i+1)
			q.adapted = append(q.adapted, fmt.Sprintf("%s needs more values (%v): the combination forecasts without it", c.method, err))
			removed = true
		}
	}
	switch {
	case !removed: // q may be p itself, which is not to change
	case q.classicalOnly && len(q.components) == 1:
		q.Method = q.components[0].method
	case len(q.components) == 0:
		q.Method = MethodGRU // its one part was weekly
	}
	network := !q.classicalOnly && (q.Method == MethodGRU || q.Method == MethodCombination)
	if network && q.Scaler.Log && len(y) >= q.Lookback && q.Lookback > 0 {
		if lo := slices.Min(y[len(y)-q.Lookback:]); !(lo > 0) {
			own()
			if err := q.leaveOutNetwork(fmt.Sprintf("the network reads the logarithm of its last %d values, and %q has the value %g among them", q.Lookback, s.Name, lo)); err != nil {
				return nil, err
			}
		}
	}
	return q, nil
}

// leaveOutNetwork makes p, a copy of its own, forecast without its
// network, for the reason why: a combination by its classical parts,
// else by seasonal naive unless the fallback is none (an error wrapping
// ErrInvalid).
func (p *Predictor) leaveOutNetwork(why string) error {
	switch {
	case p.Method == MethodCombination && len(p.components) > 0:
		p.classicalOnly = true
		if len(p.components) == 1 {
			p.Method = p.components[0].method
		}
		p.adapted = append(p.adapted, why+": the combination forecasts without it")
	case p.Fallback != FallbackNone:
		p.Method, p.classicalOnly = MethodSeasonalNaive, true
		p.components = []component{{method: MethodSeasonalNaive}}
		p.adapted = append(p.adapted, why+": seasonal naive forecasts in its place")
	default:
		return fmt.Errorf("%w: %s, and the model's fallback is none", ErrInvalid, why)
	}
	return nil
}

// Adapted says what ForData and ForSeries changed of the model for the
// series' values; "" where nothing.
func (p *Predictor) Adapted() string { return strings.Join(p.adapted, "; ") }

// newSeriesMethod returns the method and its classical parts that forecast
// s, a series new to p, a model of several series: the method p forecasts
// most of its series by (typicalMethod), its classical parts refitted on
// s's values in their forms (as Predict refits them), each one that does
// not fit them (a multiplicative form on values down to 0) left out; the
// network alone where none is left; and what it left out, and why.
// Choosing each part's form on every new series, as fit does on the
// series it trains on, would cost a batch of 3,000 new series minutes
// where a refit costs seconds.
func (p *Predictor) newSeriesMethod(s *ingest.Series) (method string, parts []component, left []string) {
	y := s.Values()
	if p.typical.Method == "" || p.typical.Method == MethodGRU || len(y) <= p.Season {
		return MethodGRU, nil, nil
	}
	typical, _ := components(p.typical) // checked by NewPredictor
	for _, c := range typical {
		if c.local != nil {
			m, err := classical.Refit(c.local, y)
			if err != nil {
				left = append(left, fmt.Sprintf("%s, which forecasts most series of the model, does not fit %q (%v): left out", c.local.Name(), s.Name, err))
				continue
			}
			c.refit, c.refitFor = m, s
		} else if _, err := localMethods[c.method](y, seasons{m: p.Season, week: c.week}); err != nil {
			left = append(left, fmt.Sprintf("%s does not fit %q (%v): left out", c.label(), s.Name, err))
			continue
		}
		parts = append(parts, c)
	}
	switch {
	case len(parts) == 0:
		return MethodGRU, nil, left
	case p.typical.Method == MethodCombination:
		return MethodCombination, parts, left
	}
	return p.typical.Method, parts, left
}

// typicalMethod returns, of the methods of the series a model of several
// series forecasts (as its export lists them), the one that forecasts the
// most, counted by method and parts (the combination of the GRU, ETS and
// the seasonal mean with drift, whatever ETS's form), in the forms that
// are the most common among the series it forecasts (the first listed on
// a tie); the series the classical methods alone forecast, too short for
// the network, do not count. Under fallback auto, most often the
// combination.
func typicalMethod(sms []SeriesMethod) SeriesMethod {
	key := func(sm SeriesMethod, forms bool) string {
		k := sm.Method
		if forms {
			k += "/" + sm.MethodName
		}
		for _, c := range sm.Components {
			k += "/" + c.Method
			if forms {
				k += "/" + c.MethodName
			}
		}
		return k
	}
	most := func(sms []SeriesMethod, forms bool) SeriesMethod {
		count := map[string]int{}
		var best SeriesMethod
		for _, sm := range sms {
			k := key(sm, forms)
			if count[k]++; best.Method == "" || count[k] > count[key(best, forms)] {
				best = sm
			}
		}
		return best
	}
	sms = slices.DeleteFunc(slices.Clone(sms), func(sm SeriesMethod) bool { return sm.ClassicalOnly })
	kind := key(most(sms, false), false)
	return most(slices.DeleteFunc(sms, func(sm SeriesMethod) bool { return key(sm, false) != kind }), true)
}

// MethodLabel names what forecasts with p, as stored forecasts name it
// (see MethodLabel).
func (p *Predictor) MethodLabel() string {
	switch p.Method {
	case MethodCombination:
		labels := []string{MethodGRU}
		if p.classicalOnly {
			labels = nil
		}
		for _, c := range p.components {
			labels = append(labels, c.label())
		}
		return MethodCombination + "(" + strings.Join(labels, ",") + ")"
	case MethodGRU:
		return MethodGRU
	}
	return p.components[0].label()
}

// Horizon is the number of steps the model forecasts.
func (p *Predictor) Horizon() int { return p.horizon }

// Predict forecasts the Horizon steps after the last value of s from its
// last Lookback values, dated with the series' frequency; origin is the last
// time of s (zero without times). It returns an error wrapping ErrInvalid
// if s is not the feature the model reads, lacks a covariate or the times
// that calendar features need, or is shorter than Lookback, or if a
// forecast comes out NaN or ±Inf (see CheckFinite).
func (p *Predictor) Predict(s *ingest.Series) (pts []Point, origin time.Time, err error) {
	if s.Name != p.Features[0] {
		return nil, time.Time{}, fmt.Errorf("%w: the model reads the feature %q, but the input's target is %q", ErrInvalid, p.Features[0], s.Name)
	}
	covNames := p.Features[1 : 1+len(p.Covariates)]
	if have := s.CovariateNames(); !slices.Equal(have, covNames) {
		if len(have) == 0 {
			return nil, time.Time{}, fmt.Errorf("%w: the model reads the covariates %q, the input has none", ErrInvalid, covNames)
		}
		return nil, time.Time{}, fmt.Errorf("%w: the model reads the covariates %q, the input has %q", ErrInvalid, covNames, have)
	}
	network := !p.classicalOnly && (p.Method == MethodGRU || p.Method == MethodCombination)
	if len(p.calendar) > 0 && !s.Timed() && network {
		return nil, time.Time{}, fmt.Errorf("%w: the model reads calendar features, but the input has no time column", ErrInvalid)
	}
	if n := s.Len(); n < p.Lookback && network {
		return nil, time.Time{}, fmt.Errorf("%w: the model reads the last %d values (its lookback), but the input has only %d rows", ErrTooShort, p.Lookback, n)
	}
	if err := checkForecastTimes(s, p.Horizon()); err != nil {
		return nil, time.Time{}, err
	}
	y := s.Values()
	if p.Scaler.Log && network {
		if lo := slices.Min(y[len(y)-p.Lookback:]); !(lo > 0) {
			return nil, time.Time{}, fmt.Errorf("%w: the model reads the logarithm of %q, but its last %d values include %g", ErrInvalid, s.Name, p.Lookback, lo)
		}
	}
	if len(p.components) > 0 && s.Len() <= p.Season {
		return nil, time.Time{}, fmt.Errorf("%w: the model's %s forecast needs more than a season (%d) of values, the input has %d", ErrTooShort, p.Method, p.Season, s.Len())
	}
	var parts [][]Point
	if network {
		l := layout{L: p.Lookback, H: p.Horizon(), F: len(p.Features), norm: p.WindowNorm, season: p.Season, features: p.Features, calendar: p.calendar}
		var gruPts []Point
		gruPts, origin = forecastAfter(ensemble(p.Members), startAfter(s, len(y)), features(s, y, s.Covariates(), p.Scaler, p.Covariates, l), l, p.Scaler, p.Calibration)
		parts = append(parts, gruPts)
	}
	for _, c := range p.components {
		var local localModel
		switch {
		case c.refitFor == s:
			local = c.refit
		case c.local == nil:
			// The seasonal methods and Croston's fit nothing; the weekly
			// ones need weeks.
			if local, err = localMethods[c.method](y, seasons{m: p.Season, week: c.week}); err != nil {
				return nil, time.Time{}, fmt.Errorf("%w: %s: %v", ErrInvalid, c.method, err)
			}
		default:
			if local, err = classical.Refit(c.local, y); err != nil {
				return nil, time.Time{}, fmt.Errorf("%w: %v", ErrInvalid, err) // "ets: …": classical names its method
			}
		}
		q := localQuantiles(local, y, p.Horizon(), p.Calibration.Levels, p.Season)
		var localPts []Point
		localPts, origin = localForecast(local, y, startAfter(s, len(y)), p.Horizon(), p.Calibration.Levels, q)
		parts = append(parts, localPts)
	}
	pts = floorNonNegative(combine(parts), y)
	if err := CheckFinite(s.Name, pts); err != nil {
		return nil, time.Time{}, err
	}
	return pts, origin, nil
}

// Global says whether p was fitted on several series.
func (p *Predictor) Global() bool { return p.multiSeries }

// KnowsSeries says whether p, fitted on several series, has a method of
// its own for the series with the id (see Export.SeriesMethods).
func (p *Predictor) KnowsSeries(id string) bool {
	_, ok := p.seriesMethods[id]
	return ok
}
