package kernel

//go:generate /usr/bin/python3 gen_asm.py

import (
	"fmt"
	"math"
)

// Level names an instruction-set level of the kernels.
type Level int

// The kernel levels, slowest first.
const (
	Generic Level = iota // portable Go
	AVX2                 // AVX2 and FMA assembly, 4 float64 per vector
	AVX512               // AVX-512F assembly, 8 float64 per vector
)

func (l Level) String() string {
	switch l {
	case AVX2:
		return "avx2"
	case AVX512:
		return "avx512"
	}
	return "generic"
}

// level is the kernel level in use. It is set once at start-up from the CPU
// features and changed only by tests.
var level = bestLevel

// Best returns the fastest level this CPU supports.
func Best() Level { return bestLevel }

// SetLevel makes the kernels of level l, which must not exceed Best, the
// ones in use, and returns the previous level. It lets tests compare the
// levels; it must not be called while kernels run.
func SetLevel(l Level) Level {
	if l < Generic || l > bestLevel {
		panic(fmt.Sprintf("kernel: level %v not supported here", l))
	}
	old := level
	level = l
	return old
}

// Backend describes the kernels in use, such as "go+avx512 float64".
func Backend() string {
	if level == Generic {
		return "go float64"
	}
	return "go+" + level.String() + " float64"
}

// Gemm computes, for i < m and j < n,
//
//	c[i*ldc+j] = c0 + Σ_{p<k} a[i*ai+p*ak] · b[p*ldb+j]
//
// where c0 is the old c[i*ldc+j] if acc is true and 0 otherwise, and the sum
// is accumulated in increasing p by fused multiply-adds. The strides ai and
// ak let a be read row-major (ai = lda, ak = 1) or transposed (ai = 1,
// ak = lda). The rows of c must not overlap a or b. Gemm panics if a slice
// is too short.
func Gemm(m, n, k int, a []float64, ai, ak int, b []float64, ldb int, c []float64, ldc int, acc bool) {
	if m <= 0 || n <= 0 {
		return
	}
	if k > 0 {
		need(a, (m-1)*ai+(k-1)*ak+1, "a")
		need(b, (k-1)*ldb+n, "b")
	}
	need(c, (m-1)*ldc+n, "c")
	gemm(m, n, k, a, ai, ak, b, ldb, c, ldc, acc)
}

// need panics unless s has at least n elements.
func need(s []float64, n int, name string) {
	if len(s) < n {
		panic(fmt.Sprintf("kernel: %s has %d elements, want at least %d", name, len(s), n))
	}
}

// gemmGo is Gemm for the columns [j0, n) in portable Go.
func gemmGo(m, n, k int, a []float64, ai, ak int, b []float64, ldb int, c []float64, ldc int, acc bool, j0 int) {
	for i := range m {
		crow := c[i*ldc+j0 : i*ldc+n]
		if !acc {
			clear(crow)
		}
		for p := range k {
			aip := a[i*ai+p*ak]
			brow := b[p*ldb+j0 : p*ldb+n]
			for j, bj := range brow {
				crow[j] = math.FMA(aip, bj, crow[j])
			}
		}
	}
}

// GateForward is the elementwise step of a GRU layer for rows states of h
// values. Row i of g (at g[i*gs:], 3h values) holds the sums of the gates
// r, z and h̃ without the activations and, for h̃, without the reset product;
// uhh = U_h h_{t−1} and hPrev = h_{t−1} are at uhh[i*us:] and hPrev[i*ps:].
// GateForward replaces r and z by σ of their sums, h̃ by tanh(sum + r·uhh),
// and writes h_t = z·h̃ + (1 − z)·hPrev to hs[i*hss:]. A stride of 0 reads
// the same values for every row. σ and tanh are sigmoid1 and tanh1.
func GateForward(rows, h int, g []float64, gs int, uhh []float64, us int, hPrev []float64, ps int, hs []float64, hss int) {
	if rows <= 0 || h <= 0 {
		return
	}
	need(g, (rows-1)*gs+3*h, "g")
	need(uhh, (rows-1)*us+h, "uhh")
	need(hPrev, (rows-1)*ps+h, "hPrev")
	need(hs, (rows-1)*hss+h, "hs")
	gateForward(rows, h, g, gs, uhh, us, hPrev, ps, hs, hss)
}

func gateForwardGo(rows, h int, g []float64, gs int, uhh []float64, us int, hPrev []float64, ps int, hs []float64, hss int) {
	for i := range rows {
		gi, ui, pi, hi := g[i*gs:i*gs+3*h], uhh[i*us:i*us+h], hPrev[i*ps:i*ps+h], hs[i*hss:i*hss+h]
		for j := range h {
			r, z := sigmoid1(gi[j]), sigmoid1(gi[h+j])
			cand := tanh1(gi[2*h+j] + float64(r*ui[j]))
			gi[j], gi[h+j], gi[2*h+j] = r, z, cand
			hi[j] = float64(z*cand) + float64((1-z)*pi[j])
		}
	}
}

// GateGrad is the elementwise step of backpropagation through one GRU
// state of h = len(dh) values. On entry g holds the gates r, z and h̃ (3h
// values), uhh = U_h h_{t−1}, hPrev = h_{t−1}, dh and up two parts of
// dLoss/dh_t. With d = dh + up, GateGrad writes to g the gradients with
// respect to the gates' sums,
//
//	dh̃ = d·z·(1 − h̃²),  dr = dh̃·uhh·r·(1 − r),  dz = d·(h̃ − hPrev)·z·(1 − z)
//
// (in place of r, z, h̃), dh̃·r to duh, and d·(1 − z), the part of
// dLoss/dh_{t−1} that flows through the update, to dh. Products are rounded
// left to right.
func GateGrad(g, uhh, hPrev, up, dh, duh []float64) {
	h := len(dh)
	need(g, 3*h, "g")
	need(uhh, h, "uhh")
	need(hPrev, h, "hPrev")
	need(up, h, "up")
	need(duh, h, "duh")
	gateGrad(g, uhh, hPrev, up, dh, duh)
}

func gateGradGo(g, uhh, hPrev, up, dh, duh []float64, j0 int) {
	h := len(dh)
	for j := j0; j < h; j++ {
		r, z, cand := g[j], g[h+j], g[2*h+j]
		d := dh[j] + up[j]
		dCand := d * z * (1 - float64(cand*cand))
		g[j] = dCand * uhh[j] * r * (1 - r)
		g[h+j] = d * (cand - hPrev[j]) * z * (1 - z)
		g[2*h+j] = dCand
		duh[j] = dCand * r
		dh[j] = d * (1 - z)
	}
}

// sigmoid1 is the logistic function 1/(1+e^(−x)), computed with Exp,
// within 3 ulp.
func sigmoid1(x float64) float64 { return 1 / (1 + Exp(-x)) }

// Constants of the tanh approximation for |x| ≤ 0.625, from math.Tanh
// (Cephes).
const (
	tanhP0 = -9.64399179425052238628e-1
	tanhP1 = -9.92877231001918586564e1
	tanhP2 = -1.61468768441708447952e3
	tanhQ0 = 1.12811678491632931402e2
	tanhQ1 = 2.23548839060100448583e3
	tanhQ2 = 4.84406305325125486048e3
)

// tanh1 is the hyperbolic tangent within 3 ulp: for |x| ≤ 0.625 by the
// rational approximation of Cephes (as math.Tanh), beyond by
// 1 − 2/(Exp(2|x|)+1) with the sign of x.
func tanh1(x float64) float64 {
	z := math.Abs(x)
	if z > 0.625 {
		s := Exp(2 * z)
		return math.Copysign(1-2/(s+1), x)
	}
	s := float64(x * x)
	num := math.FMA(math.FMA(tanhP0, s, tanhP1), s, tanhP2)
	den := math.FMA(math.FMA(s+tanhQ0, s, tanhQ1), s, tanhQ2)
	return math.FMA(float64(x*s), num/den, x)
}

// Constants of Exp.
const (
	expHi    = 708.0              // inputs are clamped to [−expHi, expHi]
	log2e    = 1.4426950408889634 // 1/ln 2
	expShift = 0x1.8p52           // rounds to an integer in the low mantissa bits
	ln2Hi    = 6.93147180369123816490e-01
	ln2Lo    = 1.90821492927058770002e-10
)

// expPoly holds 1/k! for k = 13 down to 0: the Taylor polynomial of e^r,
// accurate to 2^-56 relative for |r| ≤ ln2/2.
var expPoly = [14]float64{
	1.0 / 6227020800, 1.0 / 479001600, 1.0 / 39916800, 1.0 / 3628800,
	1.0 / 362880, 1.0 / 40320, 1.0 / 5040, 1.0 / 720, 1.0 / 120, 1.0 / 24,
	1.0 / 6, 0.5, 1, 1,
}

// Exp returns e^x within 2 ulp for |x| ≤ 708. Beyond that range x is
// clamped to ±708, so Exp never overflows to +Inf nor underflows to 0 (the
// gate functions only need e^x ≫ 1 or ≪ 1 there); Exp(NaN) is NaN. It writes
// x = n ln2 + r with |r| ≤ ln2/2, evaluates the degree-13 Taylor polynomial
// of e^r by Horner's rule with fused multiply-adds and scales by 2^n through
// the exponent bits.
func Exp(x float64) float64 {
	x = clamp(x)
	t := math.FMA(x, log2e, expShift)
	n := t - expShift
	r := math.FMA(n, -ln2Hi, x)
	r = math.FMA(n, -ln2Lo, r)
	p := expPoly[0]
	for _, c := range expPoly[1:] {
		p = math.FMA(p, r, c)
	}
	scale := math.Float64frombits((math.Float64bits(t) - math.Float64bits(expShift) + 1023) << 52)
	return p * scale
}

// clamp limits x to [−expHi, expHi] and keeps NaN, as the assembly's
// VMAXPD and VMINPD do with x as their second source.
func clamp(x float64) float64 {
	if x < -expHi {
		return -expHi
	}
	if x > expHi {
		return expHi
	}
	return x
}
