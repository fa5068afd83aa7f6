package ingest

// Windows returns the start indices s, in increasing order with stride 1,
// of the windows that fit a series of n values: inputs [s, s+lookback)
// and target [s+lookback, s+lookback+horizon). The whole target must lie
// in [from, to) and in [0, n), while the inputs may reach back before
// from (but not before 0). Windows returns nil when no window fits, or
// when lookback < 0 or horizon < 1.
//
// For the split [0, a), [a, b), [b, n) the training windows are
// Windows(n, L, H, 0, a), the validation ones Windows(n, L, H, a, b), and
// so on.
func Windows(n, lookback, horizon, from, to int) []int {
	if lookback < 0 || horizon < 1 {
		return nil
	}
	first := max(0, from-lookback)
	last := min(to, n) - lookback - horizon
	if last < first {
		return nil
	}
	starts := make([]int, 0, last-first+1)
	for s := first; s <= last; s++ {
		starts = append(starts, s)
	}
	return starts
}
