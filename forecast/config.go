package forecast

import (
	"errors"
	"fmt"
)

// ErrInvalid marks a configuration or a series that the pipeline cannot use.
var ErrInvalid = errors.New("invalid input")

// Config holds the model and training settings of Fit. A zero field takes
// the default named in its comment; Fit never writes into the caller's value.
type Config struct {
	Lookback int      // input window length L; 0 means 48
	Horizon  int      // forecast steps H; 0 means 24
	Layers   int      // stacked GRU layers; 0 means 2
	Hidden   int      // hidden units per layer; 0 means 64
	Epochs   int      // maximum training epochs; 0 means 30
	Patience int      // epochs without validation improvement before stopping; 0 means 5
	Batch    int      // minibatch size; 0 means 32
	LR       float64  // Adam learning rate; 0 means 1e-3
	ClipNorm float64  // global gradient-norm clip; 0 means 1, negative disables clipping
	Season   int      // season length m for seasonal naive and MASE; 0 means 1 (no season)
	Seed     uint64   // seed of the initial weights and of the minibatch order
	Protocol Protocol // how the series is split; "" means ProtocolV1

	WindowNorm      WindowNorm // per-window normalisation; "" means NormNone
	Calendar        bool       // add calendar features of the timestamps as inputs
	Levels          []float64  // prediction interval levels in (0, 1); nil means 0.8 and 0.95, empty none
	WindowsPerEpoch int        // train windows drawn per epoch; 0 means all of them
	Ensemble        int        // members trained with seeds Seed, Seed+1, …, whose mean is the forecast; 0 means 1
	Transform       Transform  // of the target before scaling; "" means TransformNone
	Fallback        Fallback   // what a series whose GRU loses to seasonal naive on validation gets; "" means FallbackNone
}

// Fallback is what a series gets when its GRU forecasts its validation part
// worse than the seasonal naive forecast does.
type Fallback string

const (
	FallbackNone          Fallback = "none"   // the GRU all the same
	FallbackSeasonalNaive Fallback = "snaive" // the seasonal naive forecast
)

// withDefaults returns a copy of c with every zero field set to its default.
func (c Config) withDefaults() Config {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&c.Lookback, 48)
	def(&c.Horizon, 24)
	def(&c.Layers, 2)
	def(&c.Hidden, 64)
	def(&c.Epochs, 30)
	def(&c.Patience, 5)
	def(&c.Batch, 32)
	def(&c.Season, 1)
	if c.LR == 0 {
		c.LR = 1e-3
	}
	if c.ClipNorm == 0 {
		c.ClipNorm = 1
	}
	if c.WindowNorm == "" {
		c.WindowNorm = NormNone
	}
	if c.Fallback == "" {
		c.Fallback = FallbackNone
	}
	if c.Transform == "" {
		c.Transform = TransformNone
	}
	if c.Levels == nil {
		c.Levels = []float64{0.8, 0.95}
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
		{"lookback", c.Lookback}, {"horizon", c.Horizon}, {"layers", c.Layers},
		{"hidden", c.Hidden}, {"epochs", c.Epochs}, {"patience", c.Patience},
		{"batch", c.Batch}, {"season", c.Season},
	} {
		if f.v < 1 {
			return fmt.Errorf("%w: %s must be at least 1, got %d", ErrInvalid, f.name, f.v)
		}
	}
	if !(c.LR > 0) {
		return fmt.Errorf("%w: learning rate must be positive, got %g", ErrInvalid, c.LR)
	}
	if !c.WindowNorm.valid() && c.WindowNorm != NormAuto {
		return fmt.Errorf("%w: window normalisation %q (want none, last, mean, season or auto)", ErrInvalid, c.WindowNorm)
	}
	if c.WindowNorm == NormSeason && c.Lookback < c.Season {
		return fmt.Errorf("%w: window normalisation season needs a lookback (%d) of at least a season (%d)", ErrInvalid, c.Lookback, c.Season)
	}
	for _, a := range c.Levels {
		if !(a > 0 && a < 1) {
			return fmt.Errorf("%w: interval level %g is not between 0 and 1", ErrInvalid, a)
		}
	}
	if c.Transform != TransformNone && c.Transform != TransformLog {
		return fmt.Errorf("%w: transform %q (want none or log)", ErrInvalid, c.Transform)
	}
	if c.Fallback != FallbackNone && c.Fallback != FallbackSeasonalNaive {
		return fmt.Errorf("%w: fallback %q (want none or snaive)", ErrInvalid, c.Fallback)
	}
	if c.Ensemble < 0 {
		return fmt.Errorf("%w: ensemble size must not be negative, got %d", ErrInvalid, c.Ensemble)
	}
	if c.WindowsPerEpoch < 0 {
		return fmt.Errorf("%w: windows per epoch must not be negative, got %d", ErrInvalid, c.WindowsPerEpoch)
	}
	return nil
}
