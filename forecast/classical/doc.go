// Package classical provides classical forecasting models: exponential
// smoothing state-space models (ETS) and the Theta method.
package classical
