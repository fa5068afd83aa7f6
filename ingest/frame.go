package ingest

import (
	"encoding/csv"
	"io"
	"strconv"
	"time"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
)

// Frame returns the series of d as one gota DataFrame in the long layout,
// typed: a row per value of each series, in the order of d.Series, with
// the columns
//
//	id     String  the series' ID
//	step   Int     the value's index in its series, from 0
//	time   String  its time in RFC 3339, UTC (only if the series have times)
//	value  Float   the value, after filling
//	filled Bool    whether filling invented the value (see Series.FilledAt)
//
// and then one Float column per covariate, by its name, or covariate_ and
// its name where a column above has the name (a covariate called value).
// The frame is built from the series' own tables (Series.Table) when asked
// for.
func (d *Dataset) Frame() dataframe.DataFrame {
	n := 0
	timed := false
	var covNames []string
	for _, s := range d.Series {
		n += s.Len()
		timed = timed || s.Timed()
		if covNames == nil {
			covNames = s.CovariateNames()
		}
	}
	ids := make([]string, 0, n)
	steps := make([]int, 0, n)
	values := make([]float64, 0, n)
	filled := make([]bool, 0, n)
	var times []string
	if timed {
		times = make([]string, 0, n)
	}
	covs := make([][]float64, len(covNames))
	for k := range covs {
		covs[k] = make([]float64, 0, n)
	}
	for _, s := range d.Series {
		vals, ts, sc := s.Values(), s.Times(), s.Covariates()
		for i, v := range vals {
			ids = append(ids, s.ID)
			steps = append(steps, i)
			values = append(values, v)
			filled = append(filled, false)
			if timed {
				t := ""
				if ts != nil {
					t = ts[i].Format(time.RFC3339Nano)
				}
				times = append(times, t)
			}
		}
		at := filled[len(filled)-len(vals):]
		for _, k := range s.FilledAt {
			if k < len(at) {
				at[k] = true
			}
		}
		for k := range covs {
			c := sc[k].Values
			covs[k] = append(covs[k], c...)
		}
	}
	cols := []series.Series{series.New(ids, series.String, "id"), series.New(steps, series.Int, "step")}
	if timed {
		cols = append(cols, series.New(times, series.String, "time"))
	}
	cols = append(cols, series.New(values, series.Float, "value"), series.New(filled, series.Bool, "filled"))
	for k, name := range covNames {
		cols = append(cols, series.New(covs[k], series.Float, covariateColumn(name)))
	}
	return dataframe.New(cols...)
}

// covariateColumn names the column of the covariate called name in a
// Frame, apart from the columns every frame has.
func covariateColumn(name string) string {
	switch name {
	case "id", "step", "time", "value", "filled":
		return "covariate_" + name
	}
	return name
}

// WriteFrame writes a DataFrame as CSV, a header and then a record per
// row, its numbers in full precision (gota's own writer rounds them to 6
// decimals). A frame that holds an error is not written: the error is
// returned.
func WriteFrame(w io.Writer, df dataframe.DataFrame) error {
	if df.Err != nil {
		return df.Err
	}
	names := df.Names()
	cols := make([][]string, len(names))
	for j, name := range names {
		col := df.Col(name)
		if col.Type() != series.Float {
			cols[j] = col.Records()
			continue
		}
		cols[j] = make([]string, col.Len())
		for i, v := range col.Float() {
			cols[j][i] = strconv.FormatFloat(v, 'g', -1, 64)
		}
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(names); err != nil {
		return err
	}
	rec := make([]string, len(names))
	for i := range df.Nrow() {
		for j := range cols {
			rec[j] = cols[j][i]
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
