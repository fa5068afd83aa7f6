// Package forecast is the forecasting pipeline: it takes one series read by
// package ingest, splits it, scales it, trains a stacked GRU from package gru
// with early stopping, scores it against simple baselines and forecasts the
// steps after the last observation.
//
// # Pipeline
//
// Fit follows protocol v1 of the design notes, stage by stage:
//
//  1. Split: the n values are cut chronologically into train [0, n_train),
//     validation [n_train, n_train+n_val) and test [n_train+n_val, n), with
//     n_train = floor(0.7 n) and n_val = floor(0.1 n).
//  2. Scale: a z-score (mean and population standard deviation) is fitted on
//     the train part only and applied to the whole series.
//  3. Window: windows of Lookback inputs and Horizon targets, stride 1. A
//     window belongs to the part that holds its whole target; its inputs may
//     reach back into earlier parts.
//  4. Train: Adam on the mean squared error of the scaled targets, minibatches
//     shuffled each epoch by a generator seeded from Config.Seed, global
//     gradient-norm clipping, early stopping on the validation loss with the
//     best epoch's weights restored.
//  5. Evaluate: MAE, RMSE, sMAPE and MASE on the original scale, pooled over
//     all test windows and steps, for the GRU and for the naive and seasonal
//     naive forecasts of the same windows; MSE and MAE on the scaled values.
//  6. Forecast: the last Lookback values feed the model once more and the
//     Horizon outputs, unscaled, are dated with the series' frequency.
//
// # Determinism
//
// The same series, Config and seed give bit-identical weights, metrics and
// forecasts: every random choice comes from generators seeded by Config.Seed.
//
// # Errors
//
// A series too short for the split and windows, or a Config out of range,
// is reported as an error wrapping ErrInvalid; cancellation of the context
// stops training between epochs and returns the context's error.
package forecast
