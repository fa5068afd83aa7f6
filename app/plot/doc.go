// Package plot draws forecasts to image files (PNG, SVG or PDF, by the
// file's extension): the tail of a series with the forecast after it, or
// the folds of a backtest with the values they forecast, each with its
// widest bounded prediction interval as a band. It is the picture the
// commands fit, predict and backtest write with --plot.
package plot
