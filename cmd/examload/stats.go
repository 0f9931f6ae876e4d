package main

import (
	"fmt"
	"io"
	"maps"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"
)

// op collects the outcomes of one kind of request.
type op struct {
	name string

	mu          sync.Mutex
	lat         []time.Duration
	errs        map[string]int
	samples     map[string]string
	first, last time.Time
}

func newOp(name string) *op {
	return &op{name: name, errs: map[string]int{}, samples: map[string]string{}}
}

// ok records a request that succeeded; start is when it was sent.
func (o *op) ok(start time.Time) {
	end := time.Now()
	o.mu.Lock()
	defer o.mu.Unlock()
	o.lat = append(o.lat, end.Sub(start))
	o.span(start, end)
}

// fail records a request that failed, with a sample of the reply for the report.
func (o *op) fail(start time.Time, r reply, err error) {
	end := time.Now()
	k := kind(r, err)
	o.mu.Lock()
	defer o.mu.Unlock()
	o.errs[k]++
	if _, ok := o.samples[k]; !ok && len(r.body) > 0 {
		o.samples[k] = strings.TrimSpace(string(r.body[:min(len(r.body), 300)]))
	}
	o.span(start, end)
}

func (o *op) span(start, end time.Time) {
	if o.first.IsZero() || start.Before(o.first) {
		o.first = start
	}
	if end.After(o.last) {
		o.last = end
	}
}

func (o *op) errors() int {
	n := 0
	for _, c := range o.errs {
		n += c
	}
	return n
}

// summary is what the table shows of one op.
type summary struct {
	Name               string
	OK, Errors         int
	PerSecond          float64
	Wall               time.Duration
	P50, P95, P99, Max time.Duration
}

func (o *op) summary() summary {
	o.mu.Lock()
	defer o.mu.Unlock()
	lat := slices.Clone(o.lat)
	slices.Sort(lat)
	s := summary{Name: o.name, OK: len(lat), Errors: o.errors(), Wall: o.last.Sub(o.first)}
	if s.Wall > 0 {
		s.PerSecond = float64(s.OK) / s.Wall.Seconds()
	}
	s.P50, s.P95, s.P99 = pct(lat, 50), pct(lat, 95), pct(lat, 99)
	if len(lat) > 0 {
		s.Max = lat[len(lat)-1]
	}
	return s
}

// pct is the nearest-rank percentile of sorted latencies.
func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	return sorted[max(i, 1)-1]
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 1, 64)
}

// printOps prints the table of operations and then every kind of error seen.
func printOps(w io.Writer, ops ...*op) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "op\tok\terrors\tper s\twall s\tp50 ms\tp95 ms\tp99 ms\tmax ms\t")
	for _, o := range ops {
		s := o.summary()
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f\t%.1f\t%s\t%s\t%s\t%s\t\n", s.Name, s.OK, s.Errors, s.PerSecond, s.Wall.Seconds(),
			ms(s.P50), ms(s.P95), ms(s.P99), ms(s.Max))
	}
	tw.Flush()
	for _, o := range ops {
		o.mu.Lock()
		for _, k := range slices.Sorted(maps.Keys(o.errs)) {
			fmt.Fprintf(w, "  %s error: %s × %d", o.name, k, o.errs[k])
			if s := o.samples[k]; s != "" {
				fmt.Fprintf(w, "  (e.g. %s)", s)
			}
			fmt.Fprintln(w)
		}
		o.mu.Unlock()
	}
}

// watched are processes whose CPU time the report shows (-watch server=PID,...): the
// server and the database, so that a figure measured on a shared machine still says
// what one request costs.
var watched []watchedProc

type watchedProc struct {
	name string
	pid  int
}

// cpuMeter measures how busy the host's CPUs, this process and the watched processes
// were over a stretch of time: on two cores the load program competes with the server
// and the database.
type cpuMeter struct {
	busy, total uint64
	self        time.Duration
	procs       []time.Duration
	at          time.Time
	// inProcess: the server measured runs in this process (the floor), so this process
	// and the watched ones are the whole benchmark.
	inProcess bool
}

func startCPU() cpuMeter {
	m := cpuMeter{self: selfCPU(), at: time.Now()}
	m.busy, m.total = hostCPU()
	for _, w := range watched {
		m.procs = append(m.procs, procCPU(w.pid))
	}
	return m
}

// report gives host CPU use in percent of all CPUs and, for this process and each
// watched one, the cores used and, when ops > 0, the CPU milliseconds per operation.
func (m cpuMeter) report(ops int) string {
	busy, total := hostCPU()
	wall := time.Since(m.at).Seconds()
	var parts []string
	if total > m.total {
		parts = append(parts, fmt.Sprintf("host CPU %.0f%% busy", 100*float64(busy-m.busy)/float64(total-m.total)))
	}
	one := func(name string, used time.Duration) {
		s := fmt.Sprintf("%s %.2f cores", name, used.Seconds()/wall)
		if ops > 0 {
			s += fmt.Sprintf(" = %.2f ms CPU/op", float64(used)/float64(time.Millisecond)/float64(ops))
		}
		parts = append(parts, s)
	}
	if wall > 0 {
		mine := selfCPU() - m.self
		one("examload", mine)
		for i, w := range watched {
			used := procCPU(w.pid) - m.procs[i]
			mine += used
			one(w.name, used)
		}
		// What the rest of the host used meanwhile: other work skews the figures.
		if total > m.total && (len(watched) > 0 || m.inProcess) {
			host := float64(busy-m.busy) / float64(total-m.total) * float64(runtime.NumCPU())
			parts = append(parts, fmt.Sprintf("other processes %.2f cores", max(0, host-mine.Seconds()/wall)))
		}
	}
	return strings.Join(parts, ", ")
}

// String is the report without a per-operation figure.
func (m cpuMeter) String() string { return m.report(0) }

// procCPU is the user+system CPU time of a process from /proc/PID/stat (Linux; Linux
// reports it in USER_HZ ticks, 100 a second on every architecture Go supports).
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name (field 2) may hold spaces: count fields after its ')'.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseUint(f[11], 10, 64)
	stime, _ := strconv.ParseUint(f[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// hostCPU reads the busy and total jiffies of all CPUs from /proc/stat (Linux; zero
// elsewhere).
func hostCPU() (busy, total uint64) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 5 || f[0] != "cpu" {
		return 0, 0
	}
	for i, s := range f[1:] {
		v, _ := strconv.ParseUint(s, 10, 64)
		total += v
		if i != 3 && i != 4 { // idle, iowait
			busy += v
		}
	}
	return busy, total
}

func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
