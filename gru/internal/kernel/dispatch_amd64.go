//go:build amd64 && !purego

package kernel

import "golang.org/x/sys/cpu"

// bestLevel is the fastest kernel level the CPU and the OS support.
var bestLevel = func() Level {
	switch {
	case cpu.X86.HasAVX512F:
		return AVX512
	case cpu.X86.HasAVX2 && cpu.X86.HasFMA:
		return AVX2
	}
	return Generic
}()

// gemm4AVX512 computes Gemm for the four rows whose first elements a[r]
// and c[r] point to (rows may repeat), k terms with a stride of ak bytes in
// a, b rows ldb bytes apart, and n columns, a multiple of 8.
//
//go:noescape
func gemm4AVX512(k int, a *[4]*float64, ak int, b *float64, ldb int, c *[4]*float64, n int, acc bool)

// gemm4AVX2 is gemm4AVX512 for AVX2 with n a multiple of 4.
//
//go:noescape
func gemm4AVX2(k int, a *[4]*float64, ak int, b *float64, ldb int, c *[4]*float64, n int, acc bool)

// gateGradAVX512 is GateGrad for h a multiple of 8, gates, uhh, hPrev, up, dh
// and duh pointing to the first elements.
//
//go:noescape
func gateGradAVX512(gates, uhh, hPrev, up, dh, duh *float64, h int)

// gateGradAVX2 is gateGradAVX512 for h a multiple of 4.
//
//go:noescape
func gateGradAVX2(gates, uhh, hPrev, up, dh, duh *float64, h int)

// gateForwardAVX512 is GateForward for h a multiple of 8, with the strides
// in bytes.
//
//go:noescape
func gateForwardAVX512(rows, h int, gates *float64, gs int, uhh *float64, us int, hPrev *float64, ps int, hs *float64, hss int)

// gateForwardAVX2 is gateForwardAVX512 for h a multiple of 4.
//
//go:noescape
func gateForwardAVX2(rows, h int, gates *float64, gs int, uhh *float64, us int, hPrev *float64, ps int, hs *float64, hss int)

// panelBytes is the size of the column panels of b that gemm works on.
const panelBytes = 24 << 10

func gemm(m, n, k int, a []float64, ai, ak int, b []float64, ldb int, c []float64, ldc int, acc bool) {
	var width int
	switch level {
	case AVX512:
		width = 8
	case AVX2:
		width = 4
	}
	nv := 0
	if width > 0 && k > 0 {
		nv = n / width * width
	}
	if nv > 0 {
		// Panels of at most kc rows and panelBytes of b stay in the L1
		// cache while every group of four rows of a passes over them. A
		// product longer than kc terms goes on from the partial sums left
		// in c, so the terms still add up in order.
		kc := min(k, panelBytes/(8*3*width))
		panel := max(3*width, panelBytes/(8*kc)/(3*width)*(3*width))
		var ap, cp [4]*float64
		for p0 := 0; p0 < k; p0 += kc {
			kk := min(kc, k-p0)
			for j0 := 0; j0 < nv; j0 += panel {
				nj := min(panel, nv-j0)
				for i0 := 0; i0 < m; i0 += 4 {
					for r := range 4 {
						i := min(i0+r, m-1) // a repeated row computes the same values twice
						ap[r], cp[r] = &a[i*ai+p0*ak], &c[i*ldc+j0]
					}
					if width == 8 {
						gemm4AVX512(kk, &ap, 8*ak, &b[p0*ldb+j0], 8*ldb, &cp, nj, acc || p0 > 0)
					} else {
						gemm4AVX2(kk, &ap, 8*ak, &b[p0*ldb+j0], 8*ldb, &cp, nj, acc || p0 > 0)
					}
				}
			}
		}
	}
	if nv < n {
		gemmGo(m, n, k, a, ai, ak, b, ldb, c, ldc, acc, nv)
	}
}

func gateGrad(g, uhh, hPrev, up, dh, duh []float64) {
	h := len(dh)
	switch {
	case level == AVX512 && h%8 == 0:
		gateGradAVX512(&g[0], &uhh[0], &hPrev[0], &up[0], &dh[0], &duh[0], h)
	case level == AVX2 && h%4 == 0:
		gateGradAVX2(&g[0], &uhh[0], &hPrev[0], &up[0], &dh[0], &duh[0], h)
	default:
		gateGradGo(g, uhh, hPrev, up, dh, duh, 0)
	}
}

func gateForward(rows, h int, g []float64, gs int, uhh []float64, us int, hPrev []float64, ps int, hs []float64, hss int) {
	switch {
	case level == AVX512 && h%8 == 0:
		gateForwardAVX512(rows, h, &g[0], 8*gs, &uhh[0], 8*us, &hPrev[0], 8*ps, &hs[0], 8*hss)
	case level == AVX2 && h%4 == 0:
		gateForwardAVX2(rows, h, &g[0], 8*gs, &uhh[0], 8*us, &hPrev[0], 8*ps, &hs[0], 8*hss)
	default:
		gateForwardGo(rows, h, g, gs, uhh, us, hPrev, ps, hs, hss)
	}
}
