// Command waitready polls a URL until it answers 200 and prints the
// wall-clock time of that answer as Unix seconds with microseconds (the
// format of bash's $EPOCHREALTIME), so that a script can time a server's
// cold start, from process start to first 200, without the cost of
// forking curl between polls.
//
//	t0=$EPOCHREALTIME; ./server & t1=$(waitready http://127.0.0.1:3000/todos)
package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

func main() {
	timeout := flag.Duration("timeout", 60*time.Second, "give up after this long")
	interval := flag.Duration("interval", time.Millisecond, "pause between polls")
	pid := flag.Int("pid", 0, "give up as soon as this process has exited")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: waitready [-timeout 60s] [-interval 1ms] [-pid N] URL")
		os.Exit(2)
	}
	url := flag.Arg(0)
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	deadline := time.Now().Add(*timeout)
	for time.Now().Before(deadline) {
		resp, err := client.Get(url)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				t := time.Now()
				fmt.Printf("%d.%06d\n", t.Unix(), t.Nanosecond()/1000)
				return
			}
		}
		if *pid > 0 && exited(*pid) {
			fmt.Fprintf(os.Stderr, "waitready: process %d exited before %s answered 200\n", *pid, url)
			os.Exit(1)
		}
		time.Sleep(*interval)
	}
	fmt.Fprintf(os.Stderr, "waitready: %s did not answer 200 within %s\n", url, *timeout)
	os.Exit(1)
}

// exited says whether the process pid is gone or a zombie (exited, not
// yet waited for by its parent).
func exited(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true
	}
	// pid (comm) state ...: comm may hold spaces and parentheses.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] == 'Z' || s[i+2] == 'X'
}
