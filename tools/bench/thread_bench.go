// SPDX-License-Identifier: BSD-3-Clause
// thread_bench.go: the Go os/exec peer of the spawn throughput benchmark
// across threads (threads.py, run by tools/bench/run, which builds it to
// thread_bench_go); the same protocol as thread_bench.cpp, PEER "go":
//
//	thread_bench_go go TARGET THREADS SPAWNS_PER_THREAD
//
// THREADS goroutines wait at a start barrier, then each runs
// exec.Command(TARGET).Run() SPAWNS_PER_THREAD times. Prints the wall time
// in seconds from the release to the end of the last goroutine and exits 0;
// a failed spawn or wait prints why to stderr and exits 1. The runtime runs
// the goroutines on its own threads (GOMAXPROCS, plus a thread for each one
// blocked in fork or wait), as a Go program does.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"time"
)

func die(format string, a ...interface{}) {
	fmt.Fprintf(os.Stderr, "thread_bench.go: "+format+"\n", a...)
	os.Exit(1)
}

func positive(arg, what string) int {
	v, err := strconv.Atoi(arg)
	if err != nil || v < 1 || v > 1000000 {
		die("bad %s: %s", what, arg)
	}
	return v
}

func main() {
	if len(os.Args) != 5 {
		die("usage: thread_bench_go go TARGET THREADS SPAWNS_PER_THREAD")
	}
	if os.Args[1] != "go" {
		die("unknown peer %s", os.Args[1])
	}
	target := os.Args[2]
	threads := positive(os.Args[3], "THREADS")
	perThread := positive(os.Args[4], "SPAWNS_PER_THREAD")

	// The start barrier: every goroutine checks in on ready, then blocks on
	// start until main closes it, so that goroutine start-up is not timed.
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	ends := make([]time.Time, threads) // each goroutine writes its own
	ready.Add(threads)
	done.Add(threads)
	for i := 0; i < threads; i++ {
		go func(i int) {
			defer done.Done()
			ready.Done()
			<-start
			for n := 0; n < perThread; n++ {
				if err := exec.Command(target).Run(); err != nil {
					die("%s: %v", target, err)
				}
			}
			ends[i] = time.Now()
		}(i)
	}
	ready.Wait()
	t0 := time.Now() // time.Now carries the monotonic clock that Sub uses
	close(start)
	done.Wait()
	// The last goroutine's end, not the time after done.Wait: main's wake-up
	// is not part of the work, as in thread_bench.cpp.
	last := ends[0]
	for _, e := range ends[1:] {
		if e.After(last) {
			last = e
		}
	}
	fmt.Printf("%.6f\n", last.Sub(t0).Seconds())
}
