package gru

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// A job is a set of independent tasks numbered from 0. Tasks write
// disjoint outputs, and each output is computed by one task in a fixed
// order, so the results do not depend on which goroutine runs a task nor on
// how many run.
type job interface {
	run(task int)
}

// runner runs the tasks of a job on the calling goroutine and on the
// package's helper goroutines. Its fields live in the workspace, so running
// a job allocates nothing.
type runner struct {
	j    job
	n    int
	next atomic.Int64
	wg   sync.WaitGroup
}

// helpers feeds runners to the helper goroutines, started on first use:
// one fewer than the CPUs, as the caller works too.
var helpers struct {
	once sync.Once
	n    int
	work chan *runner
}

func startHelpers() {
	helpers.n = runtime.NumCPU() - 1
	helpers.work = make(chan *runner, 64)
	for range helpers.n {
		go func() {
			for r := range helpers.work {
				r.loop()
				r.wg.Done()
			}
		}()
	}
}

// do runs tasks 0 to n−1 of j on up to GOMAXPROCS goroutines and returns
// when all are done.
func (r *runner) do(n int, j job) {
	r.j, r.n = j, n
	r.next.Store(0)
	helpers.once.Do(startHelpers)
	extra := min(n, runtime.GOMAXPROCS(0), helpers.n+1) - 1
	if extra > 0 {
		r.wg.Add(extra)
		for range extra {
			helpers.work <- r
		}
	}
	r.loop()
	r.wg.Wait()
	r.j = nil
}

// loop runs tasks until none is left.
func (r *runner) loop() {
	for {
		i := int(r.next.Add(1)) - 1
		if i >= r.n {
			return
		}
		r.j.run(i)
	}
}
