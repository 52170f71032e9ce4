// SPDX-License-Identifier: BSD-3-Clause
// spawn_server.go: the Go os/exec peer of the spawn benchmark
// (tools/bench/run); the same protocol as spawn_server.cpp, PEER "go".
package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// hold keeps the memory resident for the life of the process.
var hold []byte

func main() {
	mib, err := strconv.Atoi(os.Args[1])
	if err != nil {
		panic(err)
	}
	hold = make([]byte, mib<<20)
	for i := 0; i < len(hold); i += 4096 {
		hold[i] = 1
	}
	fmt.Println("ready")
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		f := strings.Fields(in.Text())
		n, _ := strconv.Atoi(f[2])
		times := make([]string, n)
		for i := range times {
			t0 := time.Now()
			if err := exec.Command(f[1]).Run(); err != nil {
				fmt.Fprintln(os.Stderr, "spawn_server.go:", err)
				os.Exit(1)
			}
			times[i] = strconv.FormatFloat(float64(time.Since(t0).Nanoseconds())/1e3, 'f', 1, 64)
		}
		fmt.Println(strings.Join(times, " "))
	}
}
