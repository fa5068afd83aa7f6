package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// levels returns the kernel levels this machine can run, the portable one
// first.
func levels() []Level {
	var ls []Level
	for l := Generic; l <= bestLevel; l++ {
		ls = append(ls, l)
	}
	return ls
}

// withLevel runs f with the kernels of level l.
func withLevel(l Level, f func()) {
	defer SetLevel(SetLevel(l))
	f()
}

func TestBackend(t *testing.T) {
	if got := Backend(); got == "" {
		t.Fatal("empty backend")
	}
	t.Log(Backend())
}

// naiveGemm is Gemm by its definition, with the same fused roundings.
func naiveGemm(m, n, k int, a []float64, ai, ak int, b []float64, ldb int, c []float64, ldc int, acc bool) {
	for i := range m {
		for j := range n {
			var s float64
			if acc {
				s = c[i*ldc+j]
			}
			for p := range k {
				s = math.FMA(a[i*ai+p*ak], b[p*ldb+j], s)
			}
			c[i*ldc+j] = s
		}
	}
}

func randSlice(rnd *rand.Rand, n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = rnd.NormFloat64()
	}
	return s
}

// TestGemm checks every level bit for bit against the definition, over
// shapes that exercise every column block and row remainder, with a read
// row-major and transposed and with padded strides.
func TestGemm(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 1))
	for _, m := range []int{1, 2, 3, 4, 5, 7, 8, 16, 17} {
		for _, n := range []int{1, 3, 4, 5, 8, 12, 16, 24, 31, 40, 48, 49, 96} {
			for _, k := range []int{0, 1, 2, 7, 64, 300} {
				for _, trans := range []bool{false, true} {
					for _, acc := range []bool{false, true} {
						lda, ldb, ldc := k+3, n+2, n+5
						ai, ak := lda, 1
						if trans {
							lda = m + 1
							ai, ak = 1, lda
						}
						a := randSlice(rnd, max(m, k)*max(lda, 1)+m+k)
						b := randSlice(rnd, max(k, 1)*ldb)
						c0 := randSlice(rnd, m*ldc)
						want := append([]float64(nil), c0...)
						naiveGemm(m, n, k, a, ai, ak, b, ldb, want, ldc, acc)
						for _, l := range levels() {
							got := append([]float64(nil), c0...)
							withLevel(l, func() { Gemm(m, n, k, a, ai, ak, b, ldb, got, ldc, acc) })
							for i := range got {
								if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
									t.Fatalf("%v m=%d n=%d k=%d trans=%v acc=%v: c[%d] = %v, want %v",
										l, m, n, k, trans, acc, i, got[i], want[i])
								}
							}
						}
					}
				}
			}
		}
	}
}

// activationInputs returns special values for the activations: zeros,
// the bounds of their branches and of Exp's range, huge values and NaN.
func activationInputs() []float64 {
	x := []float64{0, math.Copysign(0, -1), 0.625, -0.625, math.Nextafter(0.625, 1), 1e-300, -1e-300,
		354, -354, 355, -355, 708, -708, 709, -709, 1000, -1000, 1e300, -1e300,
		math.Inf(1), math.Inf(-1), math.NaN(), 5e-324, 1e-8, -1e-8}
	return x
}

// sameFloat reports whether a and b have the same bits or are both NaN:
// the sign and payload of a NaN may differ between levels.
func sameFloat(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || math.IsNaN(a) && math.IsNaN(b)
}

// ulps returns the distance of got from want in units of the last place of
// want.
func ulps(got, want float64) float64 {
	if got == want {
		return 0
	}
	ulp := math.Nextafter(math.Abs(want), math.Inf(1)) - math.Abs(want)
	return math.Abs(got-want) / ulp
}

// TestAccuracy bounds the error of Exp, the sigmoid and tanh against the
// math package (whose Exp and Tanh are within one ulp) in their documented
// ranges, and checks the limits beyond.
func TestAccuracy(t *testing.T) {
	for _, f := range []struct {
		name    string
		got     func(float64) float64
		want    func(float64) float64
		lo, hi  float64
		maxUlps float64
	}{
		{"Exp", Exp, math.Exp, -708, 708, 2},
		{"sigmoid", sigmoid1, func(x float64) float64 { return 1 / (1 + math.Exp(-x)) }, -708, 708, 3},
		{"tanh", tanh1, math.Tanh, -30, 30, 3},
	} {
		var worst, at float64
		check := func(x float64) {
			if e := ulps(f.got(x), f.want(x)); e > worst {
				worst, at = e, x
			}
		}
		rnd := rand.New(rand.NewPCG(4, 4))
		for range 200000 {
			check(f.lo + (f.hi-f.lo)*rnd.Float64())
			check(rnd.NormFloat64())
			check(rnd.NormFloat64() * 1e-3)
		}
		t.Logf("%s: worst %.2f ulp at %v", f.name, worst, at)
		if worst > f.maxUlps {
			t.Errorf("%s: %.2f ulp at %v, want at most %v", f.name, worst, at, f.maxUlps)
		}
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"sigmoid(1000)", sigmoid1(1000), 1},
		{"sigmoid(-1e300)", sigmoid1(-1e300), 1 / (1 + math.Exp(708))},
		{"tanh(1e300)", tanh1(1e300), 1},
		{"tanh(-Inf)", tanh1(math.Inf(-1)), -1},
		{"Exp(1000)", Exp(1000), math.Exp(708)},
	} {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if !math.IsNaN(Exp(math.NaN())) || !math.IsNaN(sigmoid1(math.NaN())) || !math.IsNaN(tanh1(math.NaN())) {
		t.Error("NaN in does not give NaN out")
	}
}

func BenchmarkGemm(b *testing.B) {
	for _, l := range levels() {
		for _, sz := range [][3]int{{16, 192, 64}, {16, 64, 192}, {192, 64, 768}} {
			m, n, k := sz[0], sz[1], sz[2]
			b.Run(fmt.Sprintf("%v/%dx%dx%d", l, m, n, k), func(b *testing.B) {
				rnd := rand.New(rand.NewPCG(1, 1))
				a, bb, c := randSlice(rnd, m*k), randSlice(rnd, k*n), make([]float64, m*n)
				withLevel(l, func() {
					for b.Loop() {
						Gemm(m, n, k, a, k, 1, bb, n, c, n, true)
					}
				})
				b.ReportMetric(2*float64(m*n*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

func BenchmarkGateForward(b *testing.B) {
	const rows, h = 16, 64
	rnd := rand.New(rand.NewPCG(1, 1))
	g0, uhh, hPrev, hs := randSlice(rnd, rows*3*h), randSlice(rnd, rows*h), randSlice(rnd, rows*h), make([]float64, rows*h)
	g := make([]float64, len(g0))
	for _, l := range levels() {
		b.Run(l.String(), func(b *testing.B) {
			withLevel(l, func() {
				for b.Loop() {
					copy(g, g0)
					GateForward(rows, h, g, 3*h, uhh, h, hPrev, h, hs, h)
				}
			})
			b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N*rows*h), "ns/state")
		})
	}
}

// TestGateGrad checks every level bit for bit against the formulas.
func TestGateGrad(t *testing.T) {
	rnd := rand.New(rand.NewPCG(5, 5))
	for _, h := range []int{1, 3, 4, 8, 12, 16, 20, 64} {
		g := randSlice(rnd, 3*h)
		for i := range 2 * h {
			g[i] = 1 / (1 + math.Exp(-g[i]))
		}
		uhh, hPrev, up, dh := randSlice(rnd, h), randSlice(rnd, h), randSlice(rnd, h), randSlice(rnd, h)
		wantG, wantDh, wantDuh := append([]float64(nil), g...), append([]float64(nil), dh...), make([]float64, h)
		for j := range h {
			r, z, c := g[j], g[h+j], g[2*h+j]
			d := dh[j] + up[j]
			dc := d * z * (1 - float64(c*c))
			wantG[j] = dc * uhh[j] * r * (1 - r)
			wantG[h+j] = d * (c - hPrev[j]) * z * (1 - z)
			wantG[2*h+j] = dc
			wantDuh[j] = dc * r
			wantDh[j] = d * (1 - z)
		}
		for _, l := range levels() {
			gotG, gotDh, gotDuh := append([]float64(nil), g...), append([]float64(nil), dh...), make([]float64, h)
			withLevel(l, func() { GateGrad(gotG, uhh, hPrev, up, gotDh, gotDuh) })
			for _, c := range []struct {
				name      string
				got, want []float64
			}{{"g", gotG, wantG}, {"dh", gotDh, wantDh}, {"duh", gotDuh, wantDuh}} {
				for i := range c.got {
					if math.Float64bits(c.got[i]) != math.Float64bits(c.want[i]) {
						t.Fatalf("%v h=%d: %s[%d] = %v, want %v", l, h, c.name, i, c.got[i], c.want[i])
					}
				}
			}
		}
	}
}

// TestGateForward checks every level bit for bit against the portable code,
// with strided rows and rows sharing uhh and hPrev (stride 0).
func TestGateForward(t *testing.T) {
	rnd := rand.New(rand.NewPCG(6, 6))
	for _, h := range []int{1, 3, 4, 8, 12, 16, 64} {
		for _, rows := range []int{1, 2, 5} {
			for _, shared := range []bool{false, true} {
				gs, us, ps, hss := 3*h+5, h+1, h+2, h+3
				if shared {
					us, ps = 0, 0
				}
				g := randSlice(rnd, rows*gs)
				special := activationInputs()
				for i := range g {
					g[i] = 3*g[i] + special[i%len(special)]*float64(i%2)
				}
				uhh, hPrev := randSlice(rnd, rows*h+rows), randSlice(rnd, rows*h+2*rows)
				hs0 := randSlice(rnd, rows*hss)
				wantG, wantHs := append([]float64(nil), g...), append([]float64(nil), hs0...)
				gateForwardGo(rows, h, wantG, gs, uhh, us, hPrev, ps, wantHs, hss)
				r, z := wantG[0], wantG[h]
				if c := math.Tanh(g[2*h] + r*uhh[0]); math.Abs(wantG[2*h]-c) > 1e-15 ||
					math.Abs(wantHs[0]-(z*c+(1-z)*hPrev[0])) > 1e-15 ||
					math.Abs(r-1/(1+math.Exp(-g[0]))) > 1e-15 {
					t.Fatalf("h=%d: GateForward disagrees with its formulas", h)
				}
				for _, l := range levels() {
					gotG, gotHs := append([]float64(nil), g...), append([]float64(nil), hs0...)
					withLevel(l, func() { GateForward(rows, h, gotG, gs, uhh, us, hPrev, ps, gotHs, hss) })
					for i := range gotG {
						if !sameFloat(gotG[i], wantG[i]) {
							t.Fatalf("%v h=%d rows=%d: g[%d] = %v, want %v", l, h, rows, i, gotG[i], wantG[i])
						}
					}
					for i := range gotHs {
						if !sameFloat(gotHs[i], wantHs[i]) {
							t.Fatalf("%v h=%d rows=%d: hs[%d] = %v, want %v", l, h, rows, i, gotHs[i], wantHs[i])
						}
					}
				}
			}
		}
	}
}
