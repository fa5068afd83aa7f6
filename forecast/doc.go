// Package forecast is the forecasting pipeline: it takes series read by
// package ingest, splits and scales them, trains a stacked GRU from package
// gru with early stopping, scores it against simple baselines and forecasts
// the steps after the last observation, with prediction intervals.
//
// # Pipeline
//
// FitMany (Fit for one series) goes stage by stage:
//
//  0. Resolve: the settings left zero are chosen from the data (see
//     Config.Resolve): the horizon and the season from the frequency, the
//     lookback from the season, the horizon and the length, the ensemble
//     size from the amount of data. A single series too short for a train window before a
//     horizon of validation, but of two seasons or more, skips the network:
//     the classical methods alone are scored on its last horizon and
//     forecast it (stage 6; Export.ClassicalOnly). A series that repeats
//     itself exactly every season (constant, for one) is forecast by
//     seasonal naive, exactly, with nothing to validate or test; of
//     several series, the others alone go through the stages below. Of
//     several, the lookback is that of the series of median length where
//     those too short for its windows can be forecast by the classical
//     methods alone, as one series is (Config.ShortSeries; SeriesMethod's
//     classical_only): a new shop does not cut the lookback of all.
//  1. Split: each series is cut chronologically into train, validation and
//     test parts by Config.Protocol: v1 (70 %, 10 %, 20 %, with a horizon
//     at least of validation and of test), ett (the rows of the ETT
//     benchmarks), holdout or m4 (the last Horizon values test, the Horizon
//     before them validate).
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
//     Config.Ensemble, several members whose mean is the forecast. With the
//     window normalisation or the transform "auto", a first member is
//     trained for each setting tried and the one with the lowest validation
//     MASE is kept (Result.Trials).
//  5. Calibrate: split-conformal quantiles of the absolute validation errors
//     per step give the prediction intervals (Calibration).
//  6. Choose: per series, the GRU competes on its validation windows with
//     the methods Config.Fallback lets in: exponential smoothing (ETS, the
//     form chosen by AICc), the Theta method, an autoregressive ARIMA
//     (orders as R's auto.arima chooses them, without MA terms), seasonal
//     naive and the seasonal mean with and without drift, fitted on the
//     train part (package classical); where the season is a day (hourly data) and
//     the train part holds three weeks, the last three over the week too.
//     Under FallbackAuto the mean of the GRU, ETS and the seasonal mean
//     with drift (each of the last two seasons carried forward by the
//     series' mean change per season) forecasts the series, or, where
//     the weekly methods fit (hourly data repeat weekly as well as daily),
//     the median of the GRU, ETS, Theta, ARIMA and the weekly seasonal
//     means with and without drift, or, for an intermittent series
//     without a season, Croston's method in place of naive and the
//     seasonal (last two values') means,
//     unless a single method beats it clearly (of a short series the
//     classical methods alone forecast, a model, not a baseline; see
//     fitClassical): over the values of the
//     validation windows a horizon apart (two seasons of them at least),
//     with a Diebold-Mariano statistic of their absolute errors below −2
//     (SeriesResult.Method). A short
//     validation part picks the best of several close methods by chance
//     more often than not; the mean of methods whose errors differ is the
//     safer forecast, as the M4 competition found. A classical method's
//     intervals are split-conformal quantiles of its errors on the
//     series' own history, relative to its forecasts where the series and
//     they are above 0 (a growing series' errors grow with it), else
//     absolute; a combination's bounds are the combination of its parts'.
//  7. Evaluate: MAE, RMSE, sMAPE and MASE on the original scale, pooled over
//     each series' test windows and steps, for the chosen method (Selected),
//     the GRU and the naive, seasonal naive and drift forecasts of the same
//     windows; MSE and MAE on the scaled values; interval coverage. Several
//     series are averaged, as the M4 competition does.
//  8. Forecast: the last Lookback values of each series feed the model once
//     more, or the chosen classical model is fitted on the whole series, and
//     the Horizon values are dated with the series' frequency. A series never
//     below zero (of counts often zero: at most 1 % below, returns) has its forecasts
//     and interval bounds floored at zero, on the test part and in
//     backtests too.
//
// Backtest evaluates at rolling forecast origins, with or without refits;
// Export and Predictor carry a fitted model to storage and back.
//
// # Evaluation protocols
//
// Protocol v1 (any series): chronological split 70 % train, 10 %
// validation, 20 % test (n_train = floor(0.7 n), n_val = floor(0.1 n)); a
// z-score fitted on the train part only (population standard deviation);
// windows of L inputs and H targets with stride 1, each in the part that
// holds its whole target. Metrics on the original scale, pooled over every
// test window and step:
//
//	MAE   = mean |F − A|
//	RMSE  = √mean (F − A)²
//	sMAPE = 100 · mean 2|F − A| / (|A| + |F|)    (0/0 counts 0)
//	MASE  = MAE / mean |y_t − y_{t−m}| over the train part, season m
//
// and MSE and MAE of the z-scored values.
//
// ETT protocol (ETTh1 and ETTh2, target OT): train, validation and test are
// rows [0, 8640), [8640, 11520) and [11520, 14400); z-score on the train
// rows; MSE and MAE on the normalised scale over every stride-1 test
// window. Repeating the last value scores MSE/MAE 0.0343/0.1394 on ETTh1 at
// H = 24 (forecast/reference_test.go checks it on testdata/data/ETTh1.csv):
// a model that does not beat that has learned nothing.
//
// M4 Hourly (414 series, H = 48, holdout on the competition's test values):
// sMAPE and MASE (m = 24) averaged over the series, and OWA, the mean of the
// two relative to Naive2's sMAPE 18.383 and MASE 2.395. Seasonal naive
// scores 13.912, 1.193 and OWA 0.627 (app/eval/main_test.go checks it); the
// competition's best hourly entries reach OWA 0.41–0.44.
//
// # Export layout
//
// Export is the interchange contract "forecast-gru-json/1", one JSON
// object:
//
//	{
//	  "format": "forecast-gru-json/1",
//	  "lookback": L, "horizon": H, "input_features": ["...", ...],
//	  "scaler": {"kind": "zscore", "mean": [..], "std": [..]},
//	  "window_norm": "none", "season": m, "intervals": {...},
//	  "layers": [{"W_r": [[..]], "W_z": .., "W_h": ..,   hidden × in
//	              "U_r": [[..]], "U_z": .., "U_h": ..,   hidden × hidden
//	              "b_r": [..], "b_z": .., "b_h": ..},    hidden
//	             ...],                                   bottom layer first
//	  "W_out": [[..]], "b_out": [..]                     H × hidden, H
//	}
//
// The scaler has one entry per input feature, target first; outputs are
// unscaled with the target's entry. Numbers are written with full float64
// precision (strconv.FormatFloat(v, 'g', -1, 64)). The layers are those of
// package gru, whose documentation gives the equations. Anyone can
// recompute the model's forecast from the document alone, as Export's
// documentation describes and testdata/export/recompute.py does.
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
