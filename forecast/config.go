package forecast

import (
	"errors"
	"fmt"
	"slices"
)

// ErrInvalid marks a configuration or a series that the pipeline cannot use.
var ErrInvalid = errors.New("invalid input")

// ErrTooShort marks the invalid input (it wraps ErrInvalid, and reads the
// same) that is a series too short for a stored model: one with more
// values may be forecast.
var ErrTooShort error = tooShort{}

type tooShort struct{}

func (tooShort) Error() string { return ErrInvalid.Error() }
func (tooShort) Unwrap() error { return ErrInvalid }

// Config holds the model and training settings of Fit. A zero field takes
// the default named in its comment; Fit never writes into the caller's value.
// The defaults are chosen from the data where the data can tell: the
// horizon and the season from the frequency, the lookback from the season,
// the horizon and the length, the window normalisation and the transform on
// validation, and the method that forecasts each series (the GRU or a
// classical model) on validation too. Resolve says what they become for given series.
type Config struct {
	Lookback int      // input window length L; 0 chooses it (see Resolve)
	Horizon  int      // forecast steps H; 0 chooses it (see Resolve)
	Layers   int      // stacked GRU layers; 0 means 2
	Hidden   int      // hidden units per layer; 0 means 64
	Epochs   int      // maximum training epochs; 0 means 30
	Patience int      // epochs without validation improvement before stopping; 0 means 5
	Batch    int      // minibatch size; 0 means 32
	LR       float64  // Adam learning rate; 0 means 1e-3
	ClipNorm float64  // global gradient-norm clip; 0 means 1, negative disables clipping
	Season   int      // season length m for seasonal naive, MASE and the classical models; 0 chooses it (see AutoSeason), 1 is none
	Seed     uint64   // seed of the initial weights and of the minibatch order
	Protocol Protocol // how the series is split; "" means ProtocolV1

	WindowNorm      WindowNorm // per-window normalisation; "" means NormAuto
	Calendar        bool       // add calendar features of the timestamps as inputs
	Levels          []float64  // prediction interval levels in (0, 1), put in increasing order; nil means 0.8 and 0.95, empty none
	WindowsPerEpoch int        // train windows drawn per epoch; 0 means all of them up to defaultWindowsPerEpoch
	Ensemble        int        // members trained with seeds Seed, Seed+1, …, whose mean is the forecast; 0 chooses it (see Resolve)
	Transform       Transform  // of the target before scaling; "" means TransformAuto
	Fallback        Fallback   // which methods may forecast a series instead of the GRU; "" means FallbackAuto
}

// Fallback says which methods compete with the GRU for each series. With
// FallbackSeasonalNaive the one that forecasts the series' validation part
// best forecasts it; with FallbackAuto the combination does unless a single
// method beats it clearly (see the package documentation, step 6).
type Fallback string

const (
	FallbackNone          Fallback = "none"   // the GRU all the same
	FallbackSeasonalNaive Fallback = "snaive" // the GRU or the seasonal naive forecast
	// FallbackAuto lets the GRU, exponential smoothing (ETS, the form
	// chosen by AICc), the Theta method, an autoregressive ARIMA (the
	// orders chosen as auto.arima does), seasonal naive, the seasonal mean
	// with and without drift (for a daily season, also the three over the
	// week), and the combination of the GRU, ETS and the seasonal mean with
	// drift (where the week fits, the median of the GRU, ETS, Theta, ARIMA
	// and the weekly seasonal means) compete; for an intermittent series
	// without a season, Croston's method takes the place of naive, ARIMA
	// and the means of the last two values (see Fallback.competitorsFor).
	FallbackAuto Fallback = "auto"
)

// defaultWindowsPerEpoch bounds the train windows of an epoch when
// Config.WindowsPerEpoch is 0: a global model over hundreds of long series
// sees a fresh sample of them each epoch instead of all of them, which
// early stopping would not wait for.
const defaultWindowsPerEpoch = 16384

// withDefaults returns a copy of c with every zero field that has a fixed
// default set to it; the fields chosen from the data stay zero (see
// Resolve).
func (c Config) withDefaults() Config {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&c.Layers, 2)
	def(&c.Hidden, 64)
	def(&c.Epochs, 30)
	def(&c.Patience, 5)
	def(&c.Batch, 32)
	if c.LR == 0 {
		c.LR = 1e-3
	}
	if c.ClipNorm == 0 {
		c.ClipNorm = 1
	}
	if c.WindowNorm == "" {
		c.WindowNorm = NormAuto
	}
	if c.Fallback == "" {
		c.Fallback = FallbackAuto
	}
	if c.Transform == "" {
		c.Transform = TransformAuto
	}
	if c.Levels == nil {
		c.Levels = []float64{0.8, 0.95}
	}
	// Narrowest first, as intervals nest: the coverage of the levels left
	// unbounded (see pointCoverage) is then left off the end.
	// An empty slice stays empty (none), where slices.Sorted would give
	// nil (the default) again.
	c.Levels = slices.Sorted(slices.Values(c.Levels))
	if c.Levels == nil {
		c.Levels = []float64{}
	}
	return c
}

// Validate reports the first setting that is out of range, after defaults.
func (c Config) Validate() error {
	c = c.withDefaults()
	for _, f := range []struct {
		name string
		v    int
	}{
		{"layers", c.Layers},
		{"hidden", c.Hidden}, {"epochs", c.Epochs}, {"patience", c.Patience},
		{"batch", c.Batch},
	} {
		if f.v < 1 {
			return fmt.Errorf("%w: %s must be at least 1, got %d", ErrInvalid, f.name, f.v)
		}
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"horizon", c.Horizon}, {"lookback", c.Lookback}, {"season", c.Season}, {"ensemble size", c.Ensemble}} {
		if f.v < 0 {
			return fmt.Errorf("%w: %s must be at least 1 (or 0 to choose it from the data), got %d", ErrInvalid, f.name, f.v)
		}
	}
	if !(c.LR > 0) {
		return fmt.Errorf("%w: learning rate must be positive, got %g", ErrInvalid, c.LR)
	}
	if !c.WindowNorm.valid() && c.WindowNorm != NormAuto {
		return fmt.Errorf("%w: window normalisation %q (want none, last, mean, season or auto)", ErrInvalid, c.WindowNorm)
	}
	if c.WindowNorm == NormSeason && c.Lookback > 0 && c.Season > 0 && c.Lookback < c.Season {
		return fmt.Errorf("%w: window normalisation season needs a lookback (%d) of at least a season (%d)", ErrInvalid, c.Lookback, c.Season)
	}
	for _, a := range c.Levels {
		if !(a > 0 && a < 1) {
			return fmt.Errorf("%w: interval level %g is not between 0 and 1", ErrInvalid, a)
		}
	}
	if c.Transform != TransformNone && c.Transform != TransformLog && c.Transform != TransformAuto {
		return fmt.Errorf("%w: transform %q (want none, log or auto)", ErrInvalid, c.Transform)
	}
	if c.Fallback != FallbackNone && c.Fallback != FallbackSeasonalNaive && c.Fallback != FallbackAuto {
		return fmt.Errorf("%w: fallback %q (want auto, snaive or none)", ErrInvalid, c.Fallback)
	}
	if c.WindowsPerEpoch < 0 {
		return fmt.Errorf("%w: windows per epoch must not be negative, got %d", ErrInvalid, c.WindowsPerEpoch)
	}
	return nil
}
