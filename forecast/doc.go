// Package forecast is the forecasting pipeline: it takes series read by
// package ingest, splits and scales them, trains a stacked GRU from package
// gru with early stopping, scores it against simple baselines and forecasts
// the steps after the last observation, with prediction intervals.
//
// # Pipeline
//
// FitMany (Fit for one series) goes stage by stage:
//
//  1. Split: each series is cut chronologically into train, validation and
//     test parts by Config.Protocol: v1 (70 %, 10 %, 20 %), ett (the rows of
//     the ETT benchmarks), holdout or m4 (the last Horizon values test, the
//     Horizon before them validate).
//  2. Scale: a z-score (of the logarithm with TransformLog) is fitted on each
//     series' train part, so one global model can serve series of any level;
//     calendar features of the timestamps and covariate columns are added as
//     inputs on request.
//  3. Window: windows of Lookback inputs and Horizon targets, stride 1. A
//     window belongs to the part that holds its whole target; its inputs may
//     reach back into earlier parts. Config.WindowNorm makes each window
//     relative to its last value, its mean or the seasonal naive forecast.
//  4. Train: Adam on the mean squared error of the scaled targets over the
//     windows of every series, minibatches shuffled each epoch by a generator
//     seeded from Config.Seed, gradient-norm clipping, early stopping on the
//     validation loss with the best epoch's weights restored; with
//     Config.Ensemble, several members whose mean is the forecast.
//  5. Calibrate: split-conformal quantiles of the absolute validation errors
//     per step give the prediction intervals (Calibration).
//  6. Evaluate: MAE, RMSE, sMAPE and MASE on the original scale, pooled over
//     each series' test windows and steps, for the GRU and for the naive,
//     seasonal naive and drift forecasts of the same windows; MSE and MAE on
//     the scaled values; interval coverage. Several series are averaged, as
//     the M4 competition does. A series whose GRU loses to seasonal naive on
//     validation is reported, and with Config.Fallback forecast by it.
//  7. Forecast: the last Lookback values of each series feed the model once
//     more, and the Horizon outputs, unscaled, are dated with the series'
//     frequency.
//
// Backtest evaluates at rolling forecast origins, with or without refits;
// Export and Predictor carry a fitted model to storage and back.
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
