//go:build ignore

// Report turns the output of the gru benchmarks (BenchmarkTrain and
// BenchmarkPredict, read from standard input) into markdown tables:
// training and inference sequences per second, allocations per step, the
// arithmetic rate of a training step and its share of the float64 FMA peak,
// and, given the JSON of torch_gru_bench.py, the ratios to PyTorch.
//
//	go run testdata/bench/report.go -ghz 4.1 -cores 2 [-torch torch.json] < bench.txt
//
// The float64 peak is cores × GHz × flops per cycle per core; -flops
// defaults to 32, two 512-bit FMA units (8 float64, 2 flops each), as on
// AMD Zen 5 and Intel server cores with AVX-512.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
)

// Shape of the benchmarks: 2 layers, batch 32, input 1, 24 outputs.
const layers, batch, inputs, outputs = 2, 32, 1, 24

type key struct{ steps, hidden int }

type result struct {
	seqPerSec []float64
	allocs    []float64
}

func main() {
	ghz := flag.Float64("ghz", 0, "clock rate of a core in GHz (0: no peak column)")
	cores := flag.Int("cores", 2, "cores")
	flops := flag.Float64("flops", 32, "float64 flops per cycle per core")
	torch := flag.String("torch", "", "JSON written by torch_gru_bench.py --json")
	flag.Parse()
	log.SetFlags(0)

	train, infer := map[key]*result{}, map[key]*result{}
	line := regexp.MustCompile(`^Benchmark(Train|Predict)/L(\d+)/H(\d+)(?:-\d+)?\s+\d+\s+.*?([\d.]+) seq/s.*?(\d+) allocs/op`)
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		steps, _ := strconv.Atoi(m[2])
		hidden, _ := strconv.Atoi(m[3])
		seq, _ := strconv.ParseFloat(m[4], 64)
		allocs, _ := strconv.ParseFloat(m[5], 64)
		table := train
		if m[1] == "Predict" {
			table = infer
		}
		k := key{steps, hidden}
		if table[k] == nil {
			table[k] = &result{}
		}
		table[k].seqPerSec = append(table[k].seqPerSec, seq)
		table[k].allocs = append(table[k].allocs, allocs)
	}
	if err := sc.Err(); err != nil {
		log.Fatal(err)
	}
	if len(train) == 0 {
		log.Fatal("report: no BenchmarkTrain results on standard input")
	}
	keys := make([]key, 0, len(train))
	for k := range train {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].steps != keys[j].steps {
			return keys[i].steps < keys[j].steps
		}
		return keys[i].hidden < keys[j].hidden
	})

	peak := float64(*cores) * *ghz * *flops
	fmt.Printf("2-layer GRU + dense head, batch %d, input %d, %d outputs, float64; median and best of %d runs\n\n",
		batch, inputs, outputs, len(train[keys[0]].seqPerSec))
	fmt.Print("| lookback | hidden | training seq/s | best | inference seq/s | allocs/step | training GFLOP/s |")
	if peak > 0 {
		fmt.Printf(" %% of FMA peak (%.0f GFLOP/s) | best |", peak)
	}
	fmt.Print("\n|---:|---:|---:|---:|---:|---:|---:|")
	if peak > 0 {
		fmt.Print("---:|---:|")
	}
	fmt.Println()
	for _, k := range keys {
		tr, best := median(train[k].seqPerSec), slices.Max(train[k].seqPerSec)
		flops := stepFlops(k.steps, k.hidden) / batch / 1e9 // GFLOP per sequence
		fmt.Printf("| %d | %d | %.0f | %.0f | %s | %.0f | %.1f |", k.steps, k.hidden, tr, best,
			medianOf(infer[k]), slices.Max(train[k].allocs), tr*flops)
		if peak > 0 {
			fmt.Printf(" %.1f %% | %.1f %% |", 100*tr*flops/peak, 100*best*flops/peak)
		}
		fmt.Println()
	}
	if *torch != "" {
		compare(*torch, train, infer, keys)
	}
}

// compare prints the ratios of our throughput to PyTorch's best set-up.
func compare(path string, train, infer map[key]*result, keys []key) {
	data, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	var t struct {
		Torch    string `json:"torch"`
		Lookback int    `json:"lookback"`
		Rows     []struct {
			Threads     int     `json:"threads"`
			BlasThreads int     `json:"blas_threads"`
			Dtype       string  `json:"dtype"`
			Hidden      int     `json:"hidden"`
			Train       float64 `json:"train_step_seq_per_s"`
			Inference   float64 `json:"inference_seq_per_s"`
		} `json:"rows"`
	}
	if err := json.Unmarshal(data, &t); err != nil {
		log.Fatal(err)
	}
	type best struct {
		train, infer float64
		setup        string
	}
	bests := map[string]map[int]*best{}
	for _, r := range t.Rows {
		if bests[r.Dtype] == nil {
			bests[r.Dtype] = map[int]*best{}
		}
		b := bests[r.Dtype][r.Hidden]
		if b == nil {
			b = &best{}
			bests[r.Dtype][r.Hidden] = b
		}
		if r.Train > b.train {
			b.train, b.setup = r.Train, fmt.Sprintf("%d+%d", r.Threads, r.BlasThreads)
		}
		b.infer = max(b.infer, r.Inference)
	}
	fmt.Printf("\nAgainst PyTorch %s (torch_gru_bench.py, same shapes, lookback %d; its best of the thread set-ups, torch+BLAS threads)\n\n",
		t.Torch, t.Lookback)
	fmt.Println("| hidden | ours training seq/s | torch f32 best | ratio | torch f64 best | ratio | ours inference seq/s | torch f32 inference | ratio |")
	fmt.Println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, k := range keys {
		f32, f64 := bests["float32"][k.hidden], bests["float64"][k.hidden]
		if k.steps != t.Lookback || f32 == nil || f64 == nil {
			continue
		}
		tr := median(train[k].seqPerSec)
		in := 0.0
		if infer[k] != nil {
			in = median(infer[k].seqPerSec)
		}
		fmt.Printf("| %d | %.0f | %.0f (%s) | %.2f× | %.0f (%s) | %.2f× | %.0f | %.0f | %.2f× |\n",
			k.hidden, tr, f32.train, f32.setup, tr/f32.train, f64.train, f64.setup, tr/f64.train,
			in, f32.infer, in/f32.infer)
	}
}

// stepFlops counts the floating-point operations of the matrix products of
// one training step (2 per multiply-add): for each layer of input width in,
// the input products, dW and, above the bottom layer, the input gradient
// (2·n·3H·in each, n = batch·steps), and the recurrent products, dh and dU
// (2·batch·(steps−1)·3H·H each); for the head 3 products of 2·batch·H·outputs.
func stepFlops(steps, h int) float64 {
	n := float64(batch * steps)
	rec := 2 * float64(batch*(steps-1)) * float64(3*h*h)
	total := 3 * 2 * float64(batch*h*outputs)
	for k := range layers {
		in, products := float64(h), 3.0
		if k == 0 {
			in, products = inputs, 2
		}
		total += products*2*n*3*float64(h)*in + 3*rec
	}
	return total
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func medianOf(r *result) string {
	if r == nil {
		return "–"
	}
	return fmt.Sprintf("%.0f", median(r.seqPerSec))
}
