//go:build !amd64 || purego

package kernel

const bestLevel = Generic

func gemm(m, n, k int, a []float64, ai, ak int, b []float64, ldb int, c []float64, ldc int, acc bool) {
	gemmGo(m, n, k, a, ai, ak, b, ldb, c, ldc, acc, 0)
}

func gateGrad(g, uhh, hPrev, up, dh, duh []float64) { gateGradGo(g, uhh, hPrev, up, dh, duh, 0) }

func gateForward(rows, h int, g []float64, gs int, uhh []float64, us int, hPrev []float64, ps int, hs []float64, hss int) {
	gateForwardGo(rows, h, g, gs, uhh, us, hPrev, ps, hs, hss)
}
