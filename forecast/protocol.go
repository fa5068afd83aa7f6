package forecast

import "fmt"

// Protocol names how a series is split into train, validation and test
// parts (see Evaluation protocols in the package documentation).
type Protocol string

const (
	// ProtocolV1 splits any series chronologically 70 % / 10 % / 20 %:
	// n_train = floor(0.7 n), n_val = floor(0.1 n), the rest is test.
	// Where a series is too short for a horizon to fit in the validation
	// or the test share, that part is one horizon long instead, and the
	// train part is what is left before them; where that leaves the train
	// part shorter than a horizon and two steps, there is no test part.
	ProtocolV1 Protocol = "v1"
	// ProtocolETT is the split of the ETT benchmarks: rows [0, 8640) train,
	// [8640, 11520) validation, [11520, 14400) test; later rows are unused.
	ProtocolETT Protocol = "ett"
	// ProtocolHoldout tests on the last Horizon values and validates on the
	// Horizon values before them, as the M4 competition and the classic
	// AirPassengers split (132 train, 12 test) do. As in M4, the MASE scale
	// is computed on every value before the test part.
	ProtocolHoldout Protocol = "holdout"
	// ProtocolM4 is ProtocolHoldout under the M4 competition's name: given
	// each training series followed by its test values, it tests on exactly
	// the competition's test values.
	ProtocolM4 Protocol = "m4"

	// protocolTrainVal trains on the first nine tenths and validates on the
	// rest (at least a horizon), with no test part: the refits of a
	// backtest use it.
	protocolTrainVal Protocol = "trainval"
)

// Bounds are the ends of the three parts of a series: train [0, Train),
// validation [Train, Val), test [Val, End). Values from End on are not used
// for evaluation.
type Bounds struct{ Train, Val, End int }

// bounds returns the split of n values under protocol p with horizon h.
func (p Protocol) bounds(n, h int) (Bounds, error) {
	switch p {
	case ProtocolV1, "":
		train, val := n*7/10, n/10
		test := n - train - val
		if val >= h && test >= h {
			return Bounds{Train: train, Val: train + val, End: n}, nil
		}
		// Too short for v1's shares: validation and test get a horizon
		// each at least, taken from the train part; too short for that,
		// there is no test part.
		val, test = max(val, h), max(test, h)
		if n-val-test < h+2 {
			return Bounds{Train: n - val, Val: n, End: n}, nil
		}
		return Bounds{Train: n - val - test, Val: n - test, End: n}, nil
	case ProtocolETT:
		const train, val, end = 8640, 11520, 14400
		if n < end {
			return Bounds{}, fmt.Errorf("%w: the ett protocol needs at least %d rows (test ends at row %d), the series has %d", ErrInvalid, end, end, n)
		}
		return Bounds{Train: train, Val: val, End: end}, nil
	case ProtocolHoldout, ProtocolM4:
		return Bounds{Train: n - 2*h, Val: n - h, End: n}, nil
	case protocolTrainVal:
		return Bounds{Train: min(n*9/10, n-h), Val: n, End: n}, nil
	}
	return Bounds{}, fmt.Errorf("%w: unknown protocol %q (want v1, ett, holdout or m4)", ErrInvalid, p)
}

// inSampleEnd is where the values that scale MASE end: the train part,
// except under ProtocolHoldout, where the validation part counts too.
func (p Protocol) inSampleEnd(b Bounds) int {
	if p == ProtocolHoldout || p == ProtocolM4 {
		return b.Val
	}
	return b.Train
}
