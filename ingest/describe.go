package ingest

import (
	"math"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
)

// SeriesStats are what Describe says of one series of a frame.
type SeriesStats struct {
	ID     string
	Values int // values, filled ones included
	Filled int // values filling invented
	// Min, Mean and Max are those of the values read, the ones not
	// filled; NaN if there are none. They equal Quality.Min, Mean and Max
	// of a series as loaded, bit for bit.
	Min, Mean, Max float64
}

// FillShare is the share of the values that filling invented, as
// FillShare gives it for a series.
func (st SeriesStats) FillShare() float64 {
	if st.Values == 0 {
		return 0
	}
	return float64(st.Filled) / float64(st.Values)
}

// Describe returns the statistics of each series of a frame in the long
// layout as Dataset.Frame builds it (the columns id, step, value and
// filled), in the order of the frame: a series is a run of rows of one id,
// its steps counting from 0.
func Describe(df dataframe.DataFrame) ([]SeriesStats, error) {
	if df.Err != nil {
		return nil, mark(ErrBadOption, "describe a frame: %v", df.Err)
	}
	cols := map[string]series.Type{"id": series.String, "step": series.Int, "value": series.Float, "filled": series.Bool}
	for _, name := range []string{"id", "step", "value", "filled"} {
		if !hasColumn(df, name, cols[name]) {
			return nil, mark(ErrMissingColumn, "describe a frame: want a %s column %s", cols[name], name)
		}
	}
	ids := df.Col("id").Records()
	values := df.Col("value")
	steps, err := df.Col("step").Int()
	if err != nil {
		return nil, mark(ErrBadOption, "describe a frame: column step: %v", err)
	}
	filled, err := df.Col("filled").Bool()
	if err != nil {
		return nil, mark(ErrBadOption, "describe a frame: column filled: %v", err)
	}
	var out []SeriesStats
	for lo := 0; lo < len(ids); {
		hi := lo + 1
		for hi < len(ids) && ids[hi] == ids[lo] && steps[hi] != 0 {
			hi++
		}
		var read []int
		for i := lo; i < hi; i++ {
			if !filled[i] {
				read = append(read, i)
			}
		}
		st := SeriesStats{ID: ids[lo], Values: hi - lo, Filled: hi - lo - len(read), Min: math.NaN(), Mean: math.NaN(), Max: math.NaN()}
		if len(read) > 0 {
			r := values.Subset(read)
			st.Min, st.Max, st.Mean = r.Min(), r.Max(), mean(r.Float())
		}
		out = append(out, st)
		lo = hi
	}
	return out, nil
}

// hasColumn reports whether df has a column name of type typ.
func hasColumn(df dataframe.DataFrame, name string, typ series.Type) bool {
	for j, n := range df.Names() {
		if n == name {
			return df.Types()[j] == typ
		}
	}
	return false
}

// mean is the mean of v, summed in order as the loader's statistics are:
// gota's Series.Mean sums with gonum's floats.Sum, whose unrolled loop
// adds in another order and may differ in the last bits.
func mean(v []float64) float64 {
	var sum float64
	for _, x := range v {
		sum += x
	}
	return sum / float64(len(v))
}
