// Package classical provides classical forecasting models for series where
// a neural network does not pay: the exponential smoothing state-space
// models (ETS) of Hyndman et al., fitted and selected as R's forecast::ets
// does, the Theta method of R's forecast::thetaf, and seasonal ARIMA models
// without moving-average terms, chosen as R's forecast::auto.arima does.
// It depends only on the standard library and gonum.
//
// Every fitted model is a Model: Name, Forecast(h) (point forecasts after
// the fit data) and ForecastAt(y, origins, h), which runs the recursions
// once through y (the fit data, possibly followed by later values) with the
// fitted parameters held fixed and returns the forecasts made at each
// origin: cheap evaluation at many origins. Fit("ets"|"theta"|"arima", y,
// m) fits one, Refit fits the same form to new data, Marshal and Unmarshal
// store it as JSON ({"method": …, "model": {…}}; every field is documented
// on the ETS, Theta and ARIMA types).
//
// # ETS
//
// A model ETS(E,T,S) has an error E ∈ {A, M}, a trend T ∈ {N, A, Ad} and
// a season S ∈ {N, A, M} of length m. With state ℓ (level), b (slope) and
// s (the last m seasonal values), φ = 1 without damping, b = 0 without
// trend, s = 0 (A) or 1 (M) without season, the one-step forecast is
//
//	q_t = ℓ_{t−1} + φ·b_{t−1}
//	ŷ_t = q_t + s_{t−m}      (season A)  or  q_t·s_{t−m}  (season M)
//
// and after observing y_t the states are updated as in R's etscalc.c:
//
//	ℓ_t = q_t + α·(p_t − q_t),  p_t = y_t − s_{t−m} (A) or y_t/s_{t−m} (M)
//	b_t = φ·b_{t−1} + (β/α)·(ℓ_t − ℓ_{t−1} − φ·b_{t−1})
//	s_t = s_{t−m} + γ·(r_t − s_{t−m}),  r_t = y_t − q_t (A) or y_t/q_t (M)
//
// These are the error-correction forms of the state-space models: with
// additive errors e_t = y_t − ŷ_t, ℓ_t = q_t + αe_t, b_t = φb_{t−1} + βe_t,
// s_t = s_{t−m} + γe_t; with multiplicative errors e_t = (y_t − ŷ_t)/ŷ_t,
// e.g. ETS(M,A,M) has ℓ_t = q_t(1 + αe_t), b_t = φb_{t−1} + βq_te_t,
// s_t = s_{t−m}(1 + γe_t). The point recursions are the same for both
// error types; only the likelihood differs. The h-step point forecast is
// ℓ_n + (φ + φ² + … + φ^h)·b_n combined with s_{n+h−m·k}.
//
// FitETS estimates α, β, γ, φ and the initial states ℓ₀, b₀, s₀ … s_{−m+2}
// (the last seasonal value follows from Σs = 0 (A) or m (M)) by maximum
// likelihood, R's default opt.crit = "lik": it minimises
//
//	n·log Σe_t²  (+ 2·Σlog|ŷ_t| with multiplicative errors)
//
// within R's usual bounds α ∈ [1e-4, 0.9999], β ∈ [1e-4, α],
// γ ∈ [1e-4, 1−α], φ ∈ [0.8, 0.98], seasonal models also within R's
// admissible region (the roots of their characteristic polynomial within
// the unit circle, tested here by the Schur–Cohn recursion instead of
// polynomial roots), multiplicative seasonal states non-negative. Like R,
// it starts from R's heuristics (initparam for the parameters; initstate
// for the states: a classical decomposition, or a linear trend plus one
// Fourier pair when n < 3m, then a line through the first max(10, 2m)
// adjusted values) and optimises parameters and initial states together
// with a port of R's Nelder–Mead (nmmin). LogLik is R's
// −½·(n·log Σe² [+ 2·Σlog|ŷ|]), AICc counts the smoothing parameters, the
// free initial states and the variance, as R does.
//
// AutoETS fits the forms R's ets(y) tries (errors A, M; trends N, A, Ad;
// seasons N, A, M; multiplicative trends excluded as by R's default) and
// keeps the lowest AICc. Excluded as in R: additive error with
// multiplicative season (unstable), multiplicative error or season unless
// every value is positive, seasons unless 2 ≤ m ≤ 24 and n > m (R warns
// and drops seasonality for m > 24), forms with as many parameters as
// n − 1 (infinite AICc). A constant series gets ETS(A,N,N) with α = 0.9999
// (R uses 0.99999, beyond its own bounds).
//
// # Theta
//
// FitTheta follows thetaf (Hyndman & Billah 2003). When m > 1, the series
// is not constant, n > 2m and |r_m| > q₀.₉₅·√((1 + 2·Σ_{k<m} r_k²)/n) for
// the sample autocorrelations r_k, the series is divided by the seasonal
// indices of a classical multiplicative decomposition (R's decompose);
// this needs positive data and is skipped otherwise, and also, as in R,
// when an index is below 1e-4. SES, i.e. ETS(A,N,N) by maximum likelihood,
// is fitted to the adjusted series x, and with b the least-squares slope of
// x against time the forecasts are
//
//	ŷ_{n+h} = (ℓ_n + b/2·(h − 1 + (1 − (1−α)^n)/α)) · s_{n+h}.
//
// ForecastAt holds α, ℓ₀, b and the seasonal indices of the fit fixed and
// uses n = o in (1−α)^n at origin o.
//
// # ARIMA
//
// FitARIMA fits a seasonal ARIMA(p,d,0)(P,D,0)[m] without moving-average
// terms,
//
//	φ(B)·Φ(B^m)·(1−B)^d·(1−B^m)^D·(y_t − μ_t) = e_t,
//
// μ_t being an intercept (d + D = 0), a drift δ·t (d + D = 1) or 0, and
// chooses the orders as R's auto.arima(y, max.q = 0, max.Q = 0,
// max.P = 1, stepwise = FALSE, method = "CSS") does. D = 1 when m > 1,
// n > 2m and the seasonal strength max(0, 1 − var(R)/var(S + R)) exceeds
// 0.64 (nsdiffs, test = "seas"); R takes the seasonal part S and the
// remainder R from STL, here from the classical additive decomposition
// (decompose). d ∈ {0, 1, 2} differences the seasonally differenced series
// while the KPSS statistic for level stationarity, with ⌊3√n/13⌋ lags,
// exceeds its 5 % critical value 0.463 (ndiffs, test = "kpss"). Then every
// p ≤ min(5, n/3) (≤ m − 1 with seasonal terms), P ≤ min(1, n/(3m)),
// p + P ≤ 5, with and without the constant when d + D ≤ 1, is fitted by
// conditional least squares as arima(method = "CSS"): the coefficients
// minimise Σe_t² over the differenced series after its first p + P·m
// values, here by Gauss–Newton with step halving from zero AR
// coefficients (R: BFGS from the same start, which stops a little short
// of the minimum). The model with the lowest AICc of auto.arima's CSS
// fits, n*·log(Σe²/ν) + 2k + 2k(k+1)/(n* − k − 1) (n* values after
// differencing, ν residuals, k coefficients plus the variance), is kept,
// among those whose AR polynomial φ(z)·Φ(z^m) has no root within radius
// 1.01. A constant series gets ARIMA(0,0,0) with its value as mean, a
// series that differencing makes constant the pure differencing model
// (with its drift when d + D = 1), as in R. Forecasts run the recursion
// of the expanded polynomial from the last p + P·m + d + D·m values with
// the innovations set to 0, which for a pure AR model is what R's
// Kalman-filter forecasts give.
//
// # Deviations from R
//
//   - auto.arima fits by exact maximum likelihood (CSS-ML) when n ≤ 150
//     and m ≤ 12, and refits its choice so, and its default stepwise
//     search also tries moving-average terms and P = 2. FitARIMA fits and
//     compares AR-only models by conditional least squares alone, which is
//     linear least squares but for the products φ_i·Φ_j and the constant:
//     deterministic and fast.
//   - The data are divided by their mean absolute value while the
//     parameters are optimised (the criterion only shifts by a constant),
//     so that the initial simplex, which steps every coordinate by 10 % of
//     the largest, suits any magnitude; R steps α by 10 % of the level.
//   - Nelder–Mead runs twice, first over the smoothing parameters alone
//     (initial states at the heuristic values), then over everything, and
//     is restarted from its best point while that helps (within an
//     evaluation budget that shrinks with the series length). R runs it
//     once over everything. The optimum found is usually more likely than
//     R's: on AirPassengers ETS(M,A,M) reaches log-likelihood −676.1
//     against R's −682.4, so AutoETS picks ETS(M,A,M) (AICc 1391.0) where R
//     picks ETS(M,Ad,M) (AICc 1400.6).
//   - Tiny series: R fits non-optimised Holt–Winters models when n is at
//     most 6; here AutoETS returns the ML ETS(A,N,N) when no form has a
//     finite AICc.
//   - Forecast returns point forecasts. R's forecast.ets returns, for
//     models with multiplicative error and season, the conditional mean
//     with a σ² correction (and, for damped trends, ℓ + b instead of
//     ℓ + φb at the first step).
package classical
