package forecast

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/forecast-dev/forecast/gru"
	"github.com/forecast-dev/forecast/ingest"
)

// EpochStats reports one finished training epoch.
type EpochStats struct {
	Member int // the ensemble member trained, 0-based
	// Trial names the window normalisation and transform tried (as
	// "season/log") where several are (see Result.Trials); "" for the
	// other members.
	Trial     string
	Epoch     int           // 1-based
	TrainLoss float64       // mean scaled MSE over the epoch's minibatches
	ValLoss   float64       // scaled MSE over all validation windows
	Best      bool          // the validation loss improved on every earlier epoch
	Elapsed   time.Duration // wall time of the epoch, validation included
}

// Point is one forecast value.
type Point struct {
	Step      int       // 1..Horizon
	Time      time.Time // target time; zero when the series has no time column
	Value     float64
	Intervals []Interval // prediction intervals, one per level of Config.Levels
}

// Interval is a prediction interval: the value lies in [Lower, Upper] with
// probability Level, under the conformal argument of Calibration.
type Interval struct {
	Level        float64
	Lower, Upper float64
}

// Split holds the sizes of the three parts of a series, in values and in
// windows.
type Split struct {
	Train, Val, Test                      int
	TrainWindows, ValWindows, TestWindows int
}

// Scores holds test metrics of the GRU and of the baselines on the same
// windows.
type Scores struct {
	// Selected scores the forecasts Fit gives: of the method chosen for
	// each series on validation (see SeriesResult.Method); zero, and left
	// out of the JSON, in versions stored before methods competed (their
	// forecasts are the GRU's), which read as a test MASE of 0.
	Selected Metrics `json:"selected,omitzero"`
	// GRU scores the network; zero, and left out of the JSON, where none
	// was trained (see Config.ClassicalOnly).
	GRU           Metrics `json:"gru,omitzero"`
	Naive         Metrics `json:"naive"`
	SeasonalNaive Metrics `json:"seasonal_naive"`
	// SeasonalNaiveWeek scores seasonal naive a week back (the value of
	// the same hour a week before), for a series whose season is a day
	// and that has a week (see weekSeason); nil, and left out of the
	// JSON, elsewhere.
	SeasonalNaiveWeek *Metrics `json:"seasonal_naive_week,omitempty"`
	Drift             Metrics  `json:"drift"`
	// Naive2 scores the M4 competition's benchmark (see Naive2), the
	// reference of OWA; zero, and left out of the JSON, but under
	// ProtocolM4 in a backtest.
	Naive2 Metrics `json:"naive2,omitzero"`
	// Coverage is the share of test values inside the prediction
	// intervals of the selected forecasts, one per level of Config.Levels.
	Coverage []float64 `json:"coverage,omitempty"`
}

// SeriesResult is what Fit produced for one series.
type SeriesResult struct {
	ID               string
	Scaler           ZScore
	CovariateScalers []ZScore // one per covariate, fitted on the train part
	Split            Split
	Test             Scores  // pooled over the series' test windows and steps
	MASEScale        float64 // in-sample seasonal naive MAE of the train part
	// ValLoss and SeasonalNaiveValLoss are the scaled MSE of the GRU and of
	// seasonal naive on the series' validation windows. ValRatio compares
	// them as the M4 competition's OWA does: the mean of the ratios of the
	// GRU's sMAPE and MAE to seasonal naive's, on the original scale; above
	// 1 the GRU lost.
	ValLoss, SeasonalNaiveValLoss, ValRatio float64
	// Method is what forecasts the series (MethodGRU, MethodETS, …): of
	// the Candidates that Config.Fallback let compete, under FallbackAuto
	// the combination unless a method beat it clearly on validation (see
	// ValBlocks), else the one with the lowest validation ratio, the GRU
	// on a tie. MethodName names its fitted form, e.g. "ETS(M,Ad,M)".
	Method, MethodName string
	Candidates         []Candidate
	// ValBlocks is the number of validation windows a horizon apart, on
	// whose values a method must beat the combination clearly to replace
	// it (see clearlyBetter).
	ValBlocks int
	// Repeats marks a series that repeats itself exactly every season
	// (constant, for season 1), which seasonal naive forecasts with nothing
	// validated or tested (see Repeats).
	Repeats  bool
	Origin   time.Time // time of the last observation; zero without times
	Forecast []Point   // the Horizon steps after the last observation

	// With a method other than the GRU: locals are the local models
	// fitted on the whole series that made Forecast (with the GRU's for a
	// combination); testLocals the same fitted on the values before the
	// test part, that made the test forecasts.
	locals, testLocals []localModel
	// classicalOnly marks a series the classical methods alone forecast
	// (see Config.ClassicalOnly).
	classicalOnly bool
}

// Result is everything Fit produced. The fields that describe one series
// (Scaler, Split, MASEScale, Origin, Forecast) are those of the first series
// fitted (see FitMany); Series has them all. For a series the classical
// methods alone forecast (see Config.ClassicalOnly) Model, Members and
// History are empty.
type Result struct {
	Config      Config       // the settings used, defaults filled in
	Model       *gru.Model   // the first member's weights of its best validation epoch
	Members     []*gru.Model // every member of the ensemble, Model first; forecasts are their mean
	Features    []string     // the network's inputs per step: target, covariates, calendar
	Scaler      ZScore
	Split       Split
	History     []EpochStats // of the first member
	BestEpoch   int          // of the first member
	Test        Scores       // the mean over series of each series' test scores
	MASEScale   float64
	Origin      time.Time
	Forecast    []Point
	Series      []SeriesResult
	Calibration Calibration // conformal quantiles of the validation residuals
	ValLosers   int         // series whose GRU lost to seasonal naive on validation
	Trials      []Trial     // with NormAuto or TransformAuto, every setting tried; Config has the one kept
	// NoNetwork says why no network was trained where the classical
	// methods alone forecast (see Config.WhyClassicalOnly); else empty.
	NoNetwork string
}

// NewSplit returns the split of n values under cfg.Protocol with the windows
// of cfg, or an error wrapping ErrInvalid if a part has no window.
func NewSplit(n int, cfg Config) (Split, error) {
	cfg = cfg.withDefaults()
	b, err := cfg.Protocol.bounds(n, cfg.Horizon)
	if err != nil {
		return Split{}, err
	}
	sp := Split{Train: max(b.Train, 0), Val: b.Val - max(b.Train, 0), Test: b.End - b.Val}
	if b.Train > 0 {
		sp.TrainWindows = len(ingest.Windows(n, cfg.Lookback, cfg.Horizon, 0, b.Train))
		sp.ValWindows = len(ingest.Windows(n, cfg.Lookback, cfg.Horizon, b.Train, b.Val))
		sp.TestWindows = len(ingest.Windows(n, cfg.Lookback, cfg.Horizon, b.Val, b.End))
	}
	needTest := cfg.Protocol != protocolTrainVal && b.End > b.Val
	if sp.TrainWindows == 0 || sp.ValWindows == 0 || (needTest && sp.TestWindows == 0) {
		return sp, &noWindowsError{n: n, split: sp, lookback: cfg.Lookback, horizon: cfg.Horizon}
	}
	if firstOrigin := max(b.Val-cfg.Lookback, 0) + cfg.Lookback; needTest && firstOrigin < cfg.Season {
		return sp, fmt.Errorf("%w: the first test window starts before one full season (%d) of history", ErrInvalid, cfg.Season)
	}
	return sp, nil
}

// noWindowsError is the error, an ErrInvalid, of NewSplit for n values
// whose split has a part without a window of the lookback and horizon.
type noWindowsError struct {
	n                 int
	split             Split
	lookback, horizon int
}

func (e *noWindowsError) Error() string {
	return fmt.Sprintf("%v: %d values give %d train, %d validation and %d test windows of lookback %d and horizon %d; every part needs at least one (use a shorter --lookback or --horizon)",
		ErrInvalid, e.n, e.split.TrainWindows, e.split.ValWindows, e.split.TestWindows, e.lookback, e.horizon)
}

func (e *noWindowsError) Unwrap() error { return ErrInvalid }

// Fit runs the pipeline described in the package comment on s. progress, if
// not nil, is called after every epoch.
func Fit(ctx context.Context, s *ingest.Series, cfg Config, progress func(EpochStats)) (*Result, error) {
	return FitMany(ctx, []*ingest.Series{s}, cfg, progress)
}

// FitMany trains one global model on all the series: each is split and
// scaled on its own, and the windows of all of them are trained on together.
// The series must carry the same covariates. progress, if not nil, is called
// after every epoch.
//
// With the window normalisation or the transform "auto", a first member is
// trained for each setting tried (see Config.trials) and the setting whose
// member forecasts the validation parts best (the mean MASE over series) is
// kept; the other members of an ensemble are trained with it. Each series
// is then forecast by the method that Config.Fallback lets compete and that
// forecasts its validation part best. Of several series, those that repeat
// themselves exactly every season (a closed shop's zeros) are forecast by
// seasonal naive alone, as one would be alone, and the others are fitted
// without them; their results keep the order of series.
func FitMany(ctx context.Context, series []*ingest.Series, cfg Config, progress func(EpochStats)) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg, err := cfg.Resolve(series)
	if err != nil {
		return nil, err
	}
	if len(series) > 1 {
		network, short := cfg.ShortSeries(cfg.varying(series))
		if len(network) == 0 {
			network = short // too short for a lookback given: refused as one series is
		}
		if len(network) < len(series) {
			return fitBeside(ctx, series, network, cfg, progress)
		}
	}
	return fitResolved(ctx, series, cfg, progress)
}

// oneFrequency refuses series of different frequencies: a model has one
// season and horizon, and stores one frequency, which predict checks its
// input against (a monthly and a weekly series were fitted with season 12,
// and predict then refused the weekly one as not monthly). Month steps
// anchored apart (month starts, month ends) are one frequency, as predict
// takes them.
func oneFrequency(series []*ingest.Series) error {
	for _, s := range series[1:] {
		if s.Freq.Unanchored() != series[0].Freq.Unanchored() {
			return fmt.Errorf("%w: series %q is %s, series %q %s: the series of one model must share a frequency; fit them apart (--series)",
				ErrInvalid, seriesName(s), s.Freq, seriesName(series[0]), series[0].Freq)
		}
	}
	return nil
}

// fitBeside fits series under cfg (resolved): those of network as
// FitMany fits them, those that repeat themselves by seasonal naive alone,
// and the others, too short for the network's windows (see ShortSeries),
// by the classical methods alone. The Result describes the first series
// of network, or, if there is none, the first series; its test scores are
// the mean of those that do not repeat.
func fitBeside(ctx context.Context, series, network []*ingest.Series, cfg Config, progress func(EpochStats)) (*Result, error) {
	res := &Result{Config: cfg, Features: []string{series[0].Name}, Calibration: Calibration{Levels: cfg.Levels},
		NoNetwork: "every series repeats itself exactly every season (or is constant)"}
	if len(network) > 0 {
		var err error
		if res, err = fitResolved(ctx, network, cfg, progress); err != nil {
			return nil, err
		}
	}
	fitted := res.Series
	res.Series = make([]SeriesResult, 0, len(series))
	for _, s := range series {
		switch {
		case len(fitted) > 0 && slices.Contains(network, s):
			res.Series, fitted = append(res.Series, fitted[0]), fitted[1:]
		case cfg.Repeating(s):
			res.Series = append(res.Series, fitRepeating(s, cfg).Series[0])
		default:
			alone, err := fitClassical(s, cfg)
			if err != nil {
				return nil, err
			}
			res.Series = append(res.Series, alone.Series[0])
		}
	}
	first := res.first()
	res.Scaler, res.Split, res.MASEScale, res.Origin, res.Forecast = first.Scaler, first.Split, first.MASEScale, first.Origin, first.Forecast
	if varying := slices.DeleteFunc(slices.Clone(res.Series), func(sr SeriesResult) bool { return sr.Repeats }); len(varying) > 0 {
		res.Test = meanScores(varying, false)
	}
	return res, nil
}

// first is the result of the first series fitted: the first the network
// was trained on, else the first that does not repeat itself every
// season, else the first series: the series the fields of r that describe
// one series describe.
func (r *Result) first() SeriesResult {
	if i := slices.IndexFunc(r.Series, func(sr SeriesResult) bool { return !sr.Repeats && !sr.classicalOnly }); i >= 0 {
		return r.Series[i]
	}
	if i := slices.IndexFunc(r.Series, func(sr SeriesResult) bool { return !sr.Repeats }); i >= 0 {
		return r.Series[i]
	}
	return r.Series[0]
}

// fitResolved is FitMany on series under cfg, resolved.
func fitResolved(ctx context.Context, series []*ingest.Series, cfg Config, progress func(EpochStats)) (*Result, error) {
	if cfg.ClassicalOnly(series) {
		return fitClassical(series[0], cfg)
	}
	var (
		best   *trainedNet
		trials = cfg.trials(series)
		kept   []Trial
	)
	for _, t := range trials {
		c := cfg
		c.WindowNorm, c.Transform = t.Norm, t.Transform
		trialProgress := progress
		if len(trials) > 1 && progress != nil {
			name := string(t.Norm) + "/" + string(t.Transform)
			trialProgress = func(st EpochStats) { st.Trial = name; progress(st) }
		}
		net, err := trainFirst(ctx, series, c, trialProgress)
		if err != nil {
			return nil, err
		}
		t.ValMASE = net.valMASE()
		kept = append(kept, t)
		if best == nil || t.ValMASE < best.valMASE() {
			best = net
		}
	}
	cfg, data, l := best.cfg, best.data, best.l
	res := &Result{Config: cfg, Features: l.features, Model: best.model, Members: []*gru.Model{best.model},
		History: best.history, BestEpoch: best.bestEpoch}
	if len(trials) > 1 {
		res.Trials = kept
	}
	for i := 1; i < cfg.Ensemble; i++ {
		member := cfg
		member.Seed = cfg.Seed + uint64(i)
		model, _, _, err := train(ctx, data, l, member, memberProgress(progress, i))
		if err != nil {
			return nil, err
		}
		res.Members = append(res.Members, model)
	}
	model := ensemble(res.Members)
	res.Calibration = calibrate(model, data, l, cfg.Levels)
	res.Series = chooseMethods(model, data, l, cfg, res.Calibration)
	for _, sr := range res.Series {
		if sr.ValRatio > 1 {
			res.ValLosers++
		}
	}
	first := res.Series[0]
	res.Scaler, res.Split, res.MASEScale, res.Origin, res.Forecast = first.Scaler, first.Split, first.MASEScale, first.Origin, first.Forecast
	res.Test = meanScores(res.Series, false)
	return res, nil
}

// trainedNet is the first member trained under one setting of Config.
type trainedNet struct {
	cfg       Config
	data      []*seriesData
	l         layout
	model     *gru.Model
	history   []EpochStats
	bestEpoch int
	mase      float64 // validation MASE, the mean over series; computed once
}

// trainFirst prepares series under cfg and trains the ensemble's first
// member on them.
func trainFirst(ctx context.Context, series []*ingest.Series, cfg Config, progress func(EpochStats)) (*trainedNet, error) {
	l := newLayout(series[0], cfg)
	data := make([]*seriesData, len(series))
	for i, s := range series {
		if got := newLayout(s, cfg); !slices.Equal(got.features[1:], l.features[1:]) {
			return nil, fmt.Errorf("%w: series %q has the covariates %q, series %q has %q; all series of one model need the same", ErrInvalid, seriesName(s), got.features[1:], seriesName(series[0]), l.features[1:])
		} else if got.features[0] != l.features[0] {
			l.features[0] = "target" // the series of a global model have targets of their own names
		}
		d, err := prepare(s, cfg, l)
		if err != nil {
			if len(series) > 1 {
				return nil, fmt.Errorf("series %q: %w", seriesName(s), err)
			}
			return nil, err
		}
		data[i] = d
	}
	model, history, bestEpoch, err := train(ctx, data, l, cfg, memberProgress(progress, 0))
	if err != nil {
		return nil, err
	}
	net := &trainedNet{cfg: cfg, data: data, l: l, model: model, history: history, bestEpoch: bestEpoch}
	for _, d := range data {
		net.mase += validationMASE(model, d, l) / float64(len(data))
	}
	return net, nil
}

func (n *trainedNet) valMASE() float64 { return n.mase }

// memberProgress returns progress with every epoch marked as member i's.
func memberProgress(progress func(EpochStats), i int) func(EpochStats) {
	if progress == nil {
		return nil
	}
	return func(st EpochStats) { st.Member = i; progress(st) }
}

// validationMASE is the MAE of the network on the validation windows of d,
// on the original scale, over the series' MASE scale.
func validationMASE(m network, d *seriesData, l layout) float64 {
	pred := predictWindows(m, l, d.feats, d.z, d.val)
	var sum float64
	for w, s := range d.val {
		for k := 0; k < l.H; k++ {
			sum += math.Abs(d.scaler.Unscale(pred[w*l.H+k]) - d.y[s+l.L+k])
		}
	}
	return sum / float64(len(pred)) / d.maseScale
}

// windowRef names one window: series data[series], starting at start.
type windowRef struct{ series, start int }

// train runs Adam with early stopping over the train windows of every series
// and returns the weights of the epoch with the lowest validation loss.
func train(ctx context.Context, data []*seriesData, l layout, cfg Config, progress func(EpochStats)) (*gru.Model, []EpochStats, int, error) {
	model, err := gru.New(gru.Config{Inputs: l.F, Hidden: cfg.Hidden, Layers: cfg.Layers, Outputs: l.H}, cfg.Seed)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	trainer := gru.NewTrainer(model, gru.AdamConfig{LR: cfg.LR, ClipNorm: max(cfg.ClipNorm, 0)})
	var order []windowRef
	for i, d := range data {
		for _, s := range d.train {
			order = append(order, windowRef{i, s})
		}
	}
	perEpoch := len(order)
	if cfg.WindowsPerEpoch > 0 {
		perEpoch = min(perEpoch, cfg.WindowsPerEpoch)
	} else {
		perEpoch = min(perEpoch, defaultWindowsPerEpoch)
	}

	// The minibatch order has its own stream, apart from the weights' seed.
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5eed0f0b))
	batchSize := min(cfg.Batch, perEpoch) // no batch holds more than an epoch's windows
	x := make([]float64, batchSize*l.L*l.F)
	t := make([]float64, batchSize*l.H)
	off := make([]float64, l.H)
	best := model.Clone()
	var history []EpochStats
	bestVal, bestEpoch, bad := 0.0, 0, 0
	for epoch := 1; epoch <= cfg.Epochs; epoch++ {
		if err := ctx.Err(); err != nil {
			return nil, nil, 0, err
		}
		start := time.Now()
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		var sum float64
		for lo := 0; lo < perEpoch; lo += cfg.Batch {
			batch := order[lo:min(lo+cfg.Batch, perEpoch)]
			for b, w := range batch {
				d := data[w.series]
				l.fill(x[b*l.L*l.F:], t[b*l.H:], off, d.feats, d.z, w.start)
			}
			n := len(batch)
			sum += trainer.Step(x[:n*l.L*l.F], t[:n*l.H], n, l.L) * float64(n)
		}
		st := EpochStats{Epoch: epoch, TrainLoss: sum / float64(perEpoch)}
		st.ValLoss = validationLoss(model, data, l)
		if epoch == 1 || st.ValLoss < bestVal {
			st.Best = true
			bestVal, bestEpoch, bad = st.ValLoss, epoch, 0
			best.CopyFrom(model)
		} else {
			bad++
		}
		st.Elapsed = time.Since(start)
		history = append(history, st)
		if progress != nil {
			progress(st)
		}
		if bad >= cfg.Patience {
			break
		}
	}
	return best, history, bestEpoch, nil
}

// predictChunkSteps bounds the window steps (windows × lookback) that
// predictWindows passes to the network at once. The network's workspace
// keeps, per layer, the gates, states and products of every step of the
// batch, 5 × Hidden values a step: 256 windows of a 504-step lookback (three
// weeks of hourly data, season 168) took 660 MB for 2 layers of 64, which
// the pool of workspaces and the garbage collector's headroom made 2.2 GB
// resident. Each window's outputs do not depend on the others of its batch,
// so the chunk size changes no forecast.
const predictChunkSteps = 8192

// predictWindows returns the model's outputs on the scaled target for the
// windows of feats starting at starts, window after window, with what each
// is relative to added back (see layout.fill). It works in chunks of at
// most predictChunkSteps steps (and at least 8 windows) to bound memory.
func predictWindows(m network, l layout, feats, z []float64, starts []int) []float64 {
	chunk := max(predictChunkSteps/max(l.L, 1), 8)
	out := make([]float64, len(starts)*l.H)
	x := make([]float64, min(chunk, len(starts))*l.L*l.F)
	off := make([]float64, min(chunk, len(starts))*l.H)
	for lo := 0; lo < len(starts); lo += chunk {
		part := starts[lo:min(lo+chunk, len(starts))]
		for b, s := range part {
			l.fill(x[b*l.L*l.F:], nil, off[b*l.H:], feats, z, s)
		}
		dst := out[lo*l.H : (lo+len(part))*l.H]
		m.Predict(dst, x[:len(part)*l.L*l.F], len(part), l.L)
		for i := range dst {
			dst[i] += off[i]
		}
	}
	return out
}

// validationLoss is the model's mean squared error on the scaled targets of
// the validation windows of every series.
func validationLoss(m *gru.Model, data []*seriesData, l layout) float64 {
	var sq float64
	var n int
	for _, d := range data {
		pred := predictWindows(m, l, d.feats, d.z, d.val)
		for w, s := range d.val {
			for k := 0; k < l.H; k++ {
				e := pred[w*l.H+k] - d.z[s+l.L+k]
				sq += e * e
			}
		}
		n += len(pred)
	}
	return sq / float64(n)
}

// evaluate scores the model and the baselines on the test windows of d.
func evaluate(m network, d *seriesData, l layout, cfg Config, cal Calibration) Scores {
	sc, actual := baselineScores(d, l, cfg)
	gruPred := predictWindows(m, l, d.feats, d.z, d.test)
	for i, v := range gruPred {
		gruPred[i] = d.scaler.Unscale(v)
	}
	// The intervals are about the forecast before it is floored: their
	// bounds are floored alike, which leaves in every value that is not
	// below zero that was in.
	sc.Coverage = cal.coverage(actual, gruPred, l.H, d.scaler)
	if len(d.test) > 0 && nonNegative(d.y[:d.test[0]+l.L]) {
		for i, v := range gruPred {
			gruPred[i] = max(v, 0) // as forecasts of such series are (see floorNonNegative)
		}
	}
	sc.GRU = Score(actual, gruPred, d.maseScale, d.metric)
	return sc
}

// baselineScores scores the naive, seasonal naive and drift forecasts on the
// test windows of d; it also returns the actual values, window after window.
func baselineScores(d *seriesData, l layout, cfg Config) (Scores, []float64) {
	origins := make([]int, len(d.test))
	for w, s := range d.test {
		origins[w] = s + l.L
	}
	return originScores(d.y, origins, l.H, seasonsOf(d.src, cfg.Season), d.maseScale, d.metric)
}

// originScores scores the naive, seasonal naive (of each season of s) and
// drift forecasts of the h values after each origin of y, with the MASE
// scale scale and the z-score metric; it also returns the actual values,
// origin after origin. Seasonal naive a week back is scored where every
// origin has a week before it.
func originScores(y []float64, origins []int, h int, s seasons, scale float64, metric ZScore) (Scores, []float64) {
	m := s.m
	actual := make([]float64, 0, len(origins)*h)
	for _, o := range origins {
		actual = append(actual, y[o:o+h]...)
	}
	naive := make([]float64, len(actual))
	snaive := make([]float64, len(actual))
	drift := make([]float64, len(actual))
	for w, o := range origins {
		Naive(naive[w*h:(w+1)*h], y, o)
		SeasonalNaive(snaive[w*h:(w+1)*h], y, o, m)
		Drift(drift[w*h:(w+1)*h], y, o)
	}
	sc := Scores{
		Naive:         Score(actual, naive, scale, metric),
		SeasonalNaive: Score(actual, snaive, scale, metric),
		Drift:         Score(actual, drift, scale, metric),
	}
	if s.week > 0 && len(origins) > 0 && slices.Min(origins) >= s.week {
		week := make([]float64, len(actual))
		for w, o := range origins {
			SeasonalNaive(week[w*h:(w+1)*h], y, o, s.week)
		}
		m := Score(actual, week, scale, metric)
		sc.SeasonalNaiveWeek = &m
	}
	return sc, actual
}

// Baselines scores the naive, seasonal naive and drift forecasts on the test
// windows of s under cfg (its settings left to the data chosen for s, see
// Resolve), without training anything; the GRU's metrics are left zero.
func Baselines(s *ingest.Series, cfg Config) (Scores, error) {
	if err := cfg.Validate(); err != nil {
		return Scores{}, err
	}
	cfg, err := cfg.Resolve([]*ingest.Series{s})
	if err != nil {
		return Scores{}, err
	}
	l := newLayout(s, cfg)
	d, err := prepare(s, cfg, l)
	if err != nil {
		return Scores{}, err
	}
	sc, _ := baselineScores(d, l, cfg)
	return sc, nil
}

// meanScores averages each metric over rs. Across series it is the plain
// mean, as the M4 competition averages; pooled says the results are parts
// of equal size of one sample, whose RMSE is the root of the mean square.
func meanScores(rs []SeriesResult, pooled bool) Scores {
	if len(rs) == 1 {
		return rs[0].Test
	}
	n := float64(len(rs))
	mean := func(get func(Scores) Metrics) Metrics {
		var m Metrics
		for _, r := range rs {
			v := get(r.Test)
			m.MAE += v.MAE / n
			m.SMAPE += v.SMAPE / n
			m.MASE += v.MASE / n
			m.MSEScaled += v.MSEScaled / n
			m.MAEScaled += v.MAEScaled / n
			if pooled {
				m.RMSE += v.RMSE * v.RMSE / n
			} else {
				m.RMSE += v.RMSE / n
			}
		}
		if pooled {
			m.RMSE = math.Sqrt(m.RMSE)
		}
		return m
	}
	out := Scores{
		Selected:      mean(func(s Scores) Metrics { return s.Selected }),
		Naive:         mean(func(s Scores) Metrics { return s.Naive }),
		SeasonalNaive: mean(func(s Scores) Metrics { return s.SeasonalNaive }),
		Drift:         mean(func(s Scores) Metrics { return s.Drift }),
		Naive2:        mean(func(s Scores) Metrics { return s.Naive2 }),
	}
	// The GRU's scores are zero where no network forecast (see
	// fitClassical), as are those of seasonal naive a week back where
	// there is no week: their means compare with the others only if every
	// part has them.
	if !slices.ContainsFunc(rs, func(r SeriesResult) bool { return r.Test.GRU == (Metrics{}) }) {
		out.GRU = mean(func(s Scores) Metrics { return s.GRU })
	}
	if !slices.ContainsFunc(rs, func(r SeriesResult) bool { return r.Test.SeasonalNaiveWeek == nil }) {
		m := mean(func(s Scores) Metrics { return *s.SeasonalNaiveWeek })
		out.SeasonalNaiveWeek = &m
	}
	// Coverage is averaged, level by level, over the series that have
	// bounded intervals of that level.
	var covered []float64
	for _, r := range rs {
		for i, c := range r.Test.Coverage {
			if i == len(out.Coverage) {
				out.Coverage, covered = append(out.Coverage, 0), append(covered, 0)
			}
			out.Coverage[i] += c
			covered[i]++
		}
	}
	for i := range out.Coverage {
		out.Coverage[i] /= covered[i]
	}
	return out
}

// forecastAfter forecasts the Horizon steps from st, after the first st.n
// values of a series, from their scaled inputs feats (st.n × F), with the
// intervals of cal.
func forecastAfter(m network, st forecastStart, feats []float64, l layout, scaler ZScore, cal Calibration) ([]Point, time.Time) {
	z := make([]float64, st.n)
	for i := range z {
		z[i] = feats[i*l.F]
	}
	out := predictWindows(m, l, feats, z, []int{st.n - l.L})
	pts := make([]Point, l.H)
	for k := range pts {
		pts[k] = Point{Step: k + 1, Value: scaler.Unscale(out[k])}
		pts[k].Intervals = cal.intervals(out[k], k, scaler)
	}
	return st.date(pts)
}

// validationLosses returns the scaled MSE of the network and of seasonal
// naive with season m on the validation windows of d, and the network's
// OWA-style ratio to seasonal naive there (see SeriesResult.ValRatio).
func validationLosses(m network, d *seriesData, l layout, season int) (gru, snaive, ratio float64) {
	if len(d.val) == 0 {
		return 0, 0, 0
	}
	pred := predictWindows(m, l, d.feats, d.z, d.val)
	sn := make([]float64, l.H)
	var actual, gruOrig, snOrig []float64
	for w, s := range d.val {
		origin := s + l.L
		SeasonalNaive(sn, d.z, origin, season)
		for k := 0; k < l.H; k++ {
			a := d.z[origin+k]
			gru += (pred[w*l.H+k] - a) * (pred[w*l.H+k] - a)
			snaive += (sn[k] - a) * (sn[k] - a)
			actual = append(actual, d.y[origin+k])
			gruOrig = append(gruOrig, d.scaler.Unscale(pred[w*l.H+k]))
			snOrig = append(snOrig, d.scaler.Unscale(sn[k]))
		}
	}
	n := float64(len(d.val) * l.H)
	g, b := Score(actual, gruOrig, 1, d.metric), Score(actual, snOrig, 1, d.metric)
	return gru / n, snaive / n, relativeError(g, b, d.metric)
}

// relativeError is the OWA-style ratio of the scores sc to those of
// seasonal naive, base: the mean of the ratios of their sMAPE and MAE.
// Where seasonal naive is (all but) exact, as on a series constant over
// validation (a policy rate), each ratio is taken of the scores plus a
// floor, 0.1 % sMAPE and a thousandth of the train part's standard
// deviation in MAE (metric.Std): any error was infinitely worse, and
// rounding errors 1e13 times worse, which said nothing of the methods.
func relativeError(sc, base Metrics, metric ZScore) float64 {
	return (flooredRatio(sc.SMAPE, base.SMAPE, 0.1) + flooredRatio(sc.MAE, base.MAE, 1e-3*metric.Std)) / 2
}

// flooredRatio is a/b, or (a+floor)/(b+floor) where b is below floor
// (see relativeError); with no floor, safeRatio.
func flooredRatio(a, b, floor float64) float64 {
	if b < floor {
		return (a + floor) / (b + floor)
	}
	return safeRatio(a, b)
}

// safeRatio is a/b, with 0/0 counting as 1 (a tie) and a/0 as +Inf.
func safeRatio(a, b float64) float64 {
	switch {
	case b != 0:
		return a / b
	case a == 0:
		return 1
	}
	return math.Inf(1)
}
