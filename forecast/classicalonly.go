package forecast

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/forecast-dev/forecast/ingest"
)

// minNetworkValues and minNetworkSeason bound the series the network
// forecasts under FallbackAuto: a single series of fewer than
// minNetworkValues values whose season is shorter than minNetworkSeason
// steps (yearly, quarterly, or none found) is forecast by the classical
// methods alone. Such series are a few dozen years of trend and noise, too
// few windows for the network to learn from or for its validation to be
// trusted: on a development set of 32 series of R's AER, tseries, MASS and
// datasets packages (9 of them quarterly, 11 yearly), leaving the network
// out of those below 200 values, with the combination of classicalParts,
// lowered the geometric-mean MASE of make eval from 1.347 to 1.226, and on
// its 21 held-out series (checked after the choice) from 1.044 to 1.023
// (auto.arima: 1.251 and 1.035). The network still forecasts
// monthly, weekly, daily and hourly series of any length, where it
// helped on both sets, and long yearly ones (sunspot.year, bev).
const (
	minNetworkValues = 200
	minNetworkSeason = 7
)

// tooShortForNetwork says whether a series of n values is too short for the
// network under c (resolved): its train part holds no window of a horizon
// and one input before the validation part.
func (c Config) tooShortForNetwork(n int) bool {
	b, err := c.Protocol.bounds(n, c.Horizon)
	return err == nil && b.Train < c.Horizon+1
}

// ClassicalOnly says whether Fit forecasts series by the classical methods
// alone under c (resolved), without training the network: series that all
// repeat themselves exactly (seasonal naive forecasts them, see
// Repeating), or, of the others under Fallback auto,
// one of two seasons and four values or more, four of them before the
// validation part, and either too short for the network, or shorter than
// minNetworkValues with a season under minNetworkSeason steps, or with a
// train part that repeats itself exactly every season (a new product's
// zeros before its first sale), which leaves the network nothing to learn.
func (c Config) ClassicalOnly(series []*ingest.Series) bool {
	varying := c.varying(series)
	if len(varying) == 0 {
		return true
	}
	series = varying
	if !c.classicalOnlyFits(series) {
		return false
	}
	n := series[0].Len()
	return c.tooShortForNetwork(n) || (n < minNetworkValues && c.Season < minNetworkSeason) || c.trainRepeats(series[0])
}

// Repeating says whether Fit forecasts s, fitted under c (resolved), by
// seasonal naive alone (see fitRepeating): where Fallback lets seasonal
// naive forecast, a series that repeats itself exactly every season (see
// repeatSeason).
func (c Config) Repeating(s *ingest.Series) bool {
	_, ok := repeatSeason(s, c.Season)
	return c.Fallback != FallbackNone && ok
}

// repeatSeason returns the season m at which seasonal naive forecasts the
// series s exactly, and whether there is one: the season given (m) where s
// holds more than a season and repeats itself every m steps, 1 for a
// constant series of any length, else the season of its frequency
// (ingest.CalendarSeason) where s repeats at that (a weekly pattern among
// series of no season).
func repeatSeason(s *ingest.Series, m int) (int, bool) {
	y, m := s.Values(), max(m, 1)
	switch {
	case len(y) > m && Repeats(y, m):
		return m, true
	case len(y) > 0 && Repeats(y, 1):
		return 1, true
	}
	if cm := ingest.CalendarSeason(s.Freq); cm > 1 && len(y) > cm && Repeats(y, cm) {
		return cm, true
	}
	return 0, false
}

// varying returns the series that Fit does not forecast by seasonal naive
// alone (see Repeating), in their order.
func (c Config) varying(series []*ingest.Series) []*ingest.Series {
	var out []*ingest.Series
	for _, s := range series {
		if !c.Repeating(s) {
			out = append(out, s)
		}
	}
	return out
}

// trainRepeats says whether the train part of s under c (resolved)
// repeats itself exactly every season; one no longer than a season does
// not (it was said to repeat every 25 steps in 24 values).
func (c Config) trainRepeats(s *ingest.Series) bool {
	b, err := c.Protocol.bounds(s.Len(), c.Horizon)
	return err == nil && b.Train > c.Season && Repeats(s.Values()[:b.Train], c.Season)
}

// Repeats says whether the values y repeat themselves exactly every m
// steps (are constant, for m 1): y[t] = y[t-m] for every t from m on, but
// for rounding (see firstChange). Seasonal naive forecasts such values
// exactly, and MASE, which scales errors by its in-sample errors, is
// undefined on them.
func Repeats(y []float64, m int) bool {
	return firstChange(y, m) == len(y)
}

// firstChange returns the first t at which y[t] differs from y[t-m] (m
// at least 1) by more than rounding (repeatTolerance of the largest
// magnitude of y, as in a sine computed in floating point), or len(y) if
// none does.
func firstChange(y []float64, m int) int {
	m = max(m, 1)
	var scale float64 // the largest magnitude, which rounding is relative to
	for _, v := range y {
		scale = max(scale, math.Abs(v))
	}
	for t := m; t < len(y); t++ {
		if math.Abs(y[t]-y[t-m]) > repeatTolerance*scale {
			return t
		}
	}
	return len(y)
}

// repeatTolerance is the difference, relative to a series' largest
// magnitude, below which Repeats takes two values for the same: rounding,
// a thousand times float64's epsilon (2.2e-13).
const repeatTolerance = 1e3 * 0x1p-52

// ShortSeries splits series, fitted together under c (resolved), into
// those the network forecasts (or seasonal naive, those that repeat
// themselves) and those whose parts hold no window of c's lookback but
// that the classical methods alone can forecast (see classicalOnlyFits),
// which FitMany forecasts by them beside the others. One series is never
// short: its lookback is cut for it.
func (c Config) ShortSeries(series []*ingest.Series) (network, short []*ingest.Series) {
	if len(series) < 2 {
		return series, nil
	}
	for _, s := range series {
		if !c.Repeating(s) && !c.hasWindows(s) && c.classicalOnlyFits([]*ingest.Series{s}) {
			short = append(short, s)
		} else {
			network = append(network, s)
		}
	}
	return network, short
}

// hasWindows says whether every part of s under c holds a window of its
// lookback (see NewSplit).
func (c Config) hasWindows(s *ingest.Series) bool {
	_, err := NewSplit(s.Len(), c)
	return err == nil
}

// classicalOnlyFits says whether series is one series long enough for the
// classical methods under c: Fallback auto, two seasons and four values or
// more, four of them before the validation part.
func (c Config) classicalOnlyFits(series []*ingest.Series) bool {
	if len(series) != 1 || c.Fallback != FallbackAuto {
		return false
	}
	n := series[0].Len()
	b, err := c.Protocol.bounds(n, c.Horizon)
	return err == nil && n >= max(2*c.Season, 4) && b.Train >= 4
}

// ClassicalSplit returns the split of a series of n values that the
// classical methods alone forecast under cfg (resolved; see ClassicalOnly):
// its windows are the forecast origins of a horizon in the validation and
// test parts, one step apart.
func ClassicalSplit(n int, cfg Config) (Split, error) {
	b, err := cfg.Protocol.bounds(n, cfg.Horizon)
	if err != nil {
		return Split{}, err
	}
	return classicalSplit(b, cfg.Horizon), nil
}

func classicalSplit(b Bounds, h int) Split {
	return Split{Train: b.Train, Val: b.Val - b.Train, Test: b.End - b.Val,
		ValWindows: max(b.Val-b.Train-h+1, 0), TestWindows: max(b.End-b.Val-h+1, 0)}
}

// WhyClassicalOnly says why the network does not forecast the series s
// under cfg (resolved) for which ClassicalOnly holds.
func (c Config) WhyClassicalOnly(s *ingest.Series) string {
	n := s.Len()
	if m, ok := repeatSeason(s, c.Season); ok {
		return repeatsText(s.Values(), m)
	}
	switch {
	case c.tooShortForNetwork(n):
		return "too short for the network (no train window before a validation part of a horizon)"
	case n < minNetworkValues && c.Season < minNetworkSeason:
		return fmt.Sprintf("%d values with season %d, too few for the network, which forecasts series of a season under %d steps from %d values",
			n, c.Season, minNetworkSeason, minNetworkValues)
	}
	b, _ := c.Protocol.bounds(n, c.Horizon)
	return fmt.Sprintf("the train part %s, which leaves the network nothing to learn", strings.TrimPrefix(repeatsText(s.Values()[:b.Train], c.Season), "the series "))
}

// repeatsText says how the values y, which Repeats with season m, repeat.
func repeatsText(y []float64, m int) string {
	if m <= 1 || Repeats(y, 1) {
		return fmt.Sprintf("the series is constant (every value %g)", y[0])
	}
	return fmt.Sprintf("the series repeats itself exactly every %d steps (its season)", m)
}

// classicalParts returns the methods whose forecasts make the combination
// of a series the classical methods alone forecast, of those that forecast
// it (preds, by method): ETS with ARIMA where the series has no season
// (m 1), else ETS with the seasonal mean with drift (see
// combinationParts). Without a season the seasonal mean is the mean of
// the last two values, and two statistical models with different errors
// combine better: on the 20 yearly series of the held-out and development
// sets (see minNetworkValues), 1.492 against 1.541, replayed from every
// model's stored forecasts.
func classicalParts(preds map[string][]float64, m int) []string {
	if _, ok := preds[MethodARIMA]; ok && m == 1 {
		if _, ok := preds[MethodETS]; ok {
			return []string{MethodETS, MethodARIMA}
		}
	}
	return combinationParts(preds)
}

// fitClassical forecasts s by the classical methods of FallbackAuto, for
// a series the network does not forecast (see ClassicalOnly): each is
// fitted on the train part and scored on the validation windows, and the
// mean of the combination's parts (classicalParts) forecasts unless one of
// the models beats it clearly, as chooseMethods decides with the GRU, but
// never a baseline (see isBaseline). A baseline that wins the few
// validation windows of so short a series has more often been lucky than
// right: on 23 public series that chose nothing before (monthly,
// quarterly and yearly; a 3-fold refitted backtest), leaving the
// baselines out lowered the geometric-mean MASE from 1.189 to 1.170
// (auto.arima 1.175), and on make eval's development set from 1.216 to
// 1.190; on its held-out set it rose from 1.008 to 1.012 and on its third
// set from 1.159 to 1.165 (BJsales, a random walk naive forecasts best,
// 1.162 to 1.301). Where the
// protocol leaves a test part, the chosen methods fitted on the values
// before it are scored on its windows beside the baselines. The result has
// no network: Model, Members and History are empty, and so are the GRU's
// test scores.
func fitClassical(s *ingest.Series, cfg Config) (*Result, error) {
	y, h, m := s.Values(), cfg.Horizon, cfg.Season
	if cfg.Repeating(s) {
		return fitRepeating(s, cfg), nil
	}
	b, err := cfg.Protocol.bounds(len(y), h)
	if err != nil {
		return nil, err
	}
	inSample := b.Val // without a test part, all the values
	if b.End > b.Val {
		inSample = cfg.Protocol.inSampleEnd(b)
	}
	scale, err := seriesMASEScale(y, inSample, b.Val, m)
	if err != nil {
		return nil, err
	}
	metric := FitZScore(y[:b.Train])
	var testOrigins []int
	for o := b.Val; o+h <= b.End; o++ {
		testOrigins = append(testOrigins, o)
	}
	sr := SeriesResult{ID: seriesName(s), Scaler: metric, MASEScale: scale, classicalOnly: true, Split: classicalSplit(b, h)}
	var origins []int
	var actual []float64
	for o := b.Train; o+h <= b.Val; o++ {
		origins = append(origins, o)
		actual = append(actual, y[o:o+h]...)
	}
	base := Score(actual, slices.Concat(seasonalNaiveModel{m: m}.ForecastAt(y, origins, h)...), 1, metric)
	preds, ss := map[string][]float64{}, seasonsOf(s, m)
	for _, method := range cfg.Fallback.competitorsFor(y[:b.Train], m) {
		fitted, err := localMethods[method](y[:b.Train], ss)
		if err != nil {
			continue
		}
		pred := slices.Concat(fitted.ForecastAt(y[:b.Val], origins, h)...)
		if !allFinite(pred) {
			continue
		}
		preds[method] = pred
		sr.Candidates = append(sr.Candidates, Candidate{Method: method, Name: fitted.Name(), ValRatio: valRatio(actual, pred, base, metric)})
	}
	parts := classicalParts(preds, m)
	if len(parts) == 0 {
		return nil, fmt.Errorf("%w: series %q has %d values, too few for the network, and neither ETS nor the seasonal mean with drift fits them", ErrInvalid, seriesName(s), len(y))
	}
	sr.Method = MethodCombination
	if len(parts) == 1 {
		sr.Method = parts[0]
	}
	sr.ValBlocks = (len(origins) + h - 1) / h
	if len(parts) > 1 {
		comb := combinedForecast(preds, parts)
		sr.Candidates = append(sr.Candidates, Candidate{Method: MethodCombination, Name: "their " + combinationKind(len(parts)), ValRatio: valRatio(actual, comb, base, metric)})
		if best := overCombination(sr.Candidates, actual, preds, comb, h, m, false); best.Method != MethodCombination {
			sr.Method, parts = best.Method, []string{best.Method}
		}
	}
	var forecasts [][]Point
	var names []string                                 // of the forms fitted on the whole series, which forecast it
	testWindows := make([][][]Point, len(testOrigins)) // [window][part]
	for _, method := range parts {
		final, err := localMethods[method](y, ss)
		if err != nil {
			return nil, fmt.Errorf("%w: series %q: %s fits the train part but not the whole series: %v", ErrInvalid, seriesName(s), method, err)
		}
		sr.locals, names = append(sr.locals, final), append(names, final.Name())
		q := localQuantiles(final, y, h, cfg.Levels, m)
		pts, origin := localForecast(final, y, startAfter(s, len(y)), h, cfg.Levels, q)
		forecasts, sr.Origin = append(forecasts, pts), origin
		if len(testOrigins) == 0 {
			continue
		}
		testModel, err := localMethods[method](y[:b.Val], ss)
		if err != nil {
			return nil, fmt.Errorf("%w: series %q: %s fits the train part but not the values before the test part: %v", ErrInvalid, seriesName(s), method, err)
		}
		sr.testLocals = append(sr.testLocals, testModel)
		q = localQuantiles(testModel, y[:b.Val], h, cfg.Levels, m)
		for w, pts := range localPoints(testModel, y, testOrigins, h, cfg.Levels, q) {
			testWindows[w] = append(testWindows[w], pts)
		}
	}
	sr.Forecast = floorNonNegative(combine(forecasts), y)
	sr.MethodName = names[0]
	if len(parts) > 1 {
		sr.MethodName = combinationName(names)
	}
	if len(testOrigins) > 0 {
		sr.Test = classicalTestScores(y, testOrigins, testWindows, h, ss, scale, metric, len(cfg.Levels))
	}
	res := &Result{Config: cfg, Features: []string{s.Name}, Scaler: sr.Scaler, Split: sr.Split,
		MASEScale: sr.MASEScale, Origin: sr.Origin, Forecast: sr.Forecast, Test: sr.Test, Series: []SeriesResult{sr},
		Calibration: Calibration{Levels: cfg.Levels}, NoNetwork: cfg.WhyClassicalOnly(s)}
	return res, nil
}

// fitRepeating forecasts a series that repeats itself exactly every
// season (see repeatSeason) by seasonal naive, which forecasts each of
// its values exactly, with intervals of no width where the series is long
// enough to calibrate them. Nothing is validated or tested: every method
// scores alike on such values, and MASE is undefined.
func fitRepeating(s *ingest.Series, cfg Config) *Result {
	y, h := s.Values(), cfg.Horizon
	m, _ := repeatSeason(s, cfg.Season)
	model := seasonalNaiveModel{m: m}
	q := localQuantiles(model, y, h, cfg.Levels, m)
	pts, origin := localForecast(model, y, startAfter(s, len(y)), h, cfg.Levels, q)
	sr := SeriesResult{ID: seriesName(s), Scaler: FitZScore(y), Split: Split{Train: len(y)},
		Method: MethodSeasonalNaive, MethodName: model.Name(), Origin: origin, Forecast: pts,
		locals: []localModel{model}, classicalOnly: true, Repeats: true}
	return &Result{Config: cfg, Features: []string{s.Name}, Scaler: sr.Scaler, Split: sr.Split,
		Origin: origin, Forecast: pts, Series: []SeriesResult{sr}, Calibration: Calibration{Levels: cfg.Levels},
		NoNetwork: cfg.WhyClassicalOnly(s)}
}

// classicalTestScores scores the forecasts windows (by window, the parts
// whose mean forecasts it) made at the test origins of y beside the
// naive, seasonal naive (of seasons s) and drift forecasts; the GRU's
// scores are left zero, there being no network.
func classicalTestScores(y []float64, origins []int, windows [][][]Point, h int, s seasons, scale float64, metric ZScore, levels int) Scores {
	sc, actual := originScores(y, origins, h, s, scale, metric)
	var pred []float64
	var pts []Point
	floor := nonNegative(y[:origins[0]])
	for w := range origins {
		c := combine(windows[w])
		if floor {
			floorAtZero(c)
		}
		pts = append(pts, c...)
		for _, p := range c {
			pred = append(pred, p.Value)
		}
	}
	sc.Selected = Score(actual, pred, scale, metric)
	sc.Coverage = pointCoverage(pts, actual, levels)
	return sc
}
