package classical

import (
	"fmt"
	"sort"
)

// sortedOrigins returns the indices of origins in increasing order of
// origin. It panics on an origin outside [0, n].
func sortedOrigins(origins []int, n int) []int {
	order := make([]int, len(origins))
	for i, o := range origins {
		if o < 0 || o > n {
			panic(fmt.Sprintf("classical: forecast origin %d outside [0, %d]", o, n))
		}
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return origins[order[a]] < origins[order[b]] })
	return order
}
