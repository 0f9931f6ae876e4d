package app

import (
	"fmt"
	"strings"
)

// Horizontal bar charts drawn by the server as SVG (no script): one row a unit, its
// name on the left, a bar with the value written after it and, for the dashboards, a
// line of its last months on the right. The numbers are always written beside the
// picture (and in a table next to it), so the picture may use floats.

// chartGeometry is a chart's layout in SVG user units; the SVG scales to its box
// (viewBox, width 100%), so it fits a 390 px phone as well as a desktop.
type chartGeometry struct {
	Width, LabelW, BarMax, RowH int
	// SparkX and SparkW place the trend line; SparkW 0 draws none.
	SparkX, SparkW int
}

var (
	rankingGeometry   = chartGeometry{Width: 420, LabelW: 140, BarMax: 220, RowH: 24}
	dashboardGeometry = chartGeometry{Width: 460, LabelW: 132, BarMax: 120, RowH: 30, SparkX: 320, SparkW: 134}
)

// chartDatum is one row to draw: Frac of the bar's full length (0–1) with Value
// written after it, and Trend, one fraction a month (negative: no data), for the line.
type chartDatum struct {
	Label, Value string
	Frac         float64
	Trend        []float64
	// Muted draws a comparison row (a city's average) in grey.
	Muted bool
}

// barChart is a drawn chart: its size and rows; Total, when larger than len(Bars),
// says how many rows there were to draw.
type barChart struct {
	Width, Height int
	Bars          []chartBar
	Total         int
}

// chartBar is one drawn row.
type chartBar struct {
	Label, Value       string
	Y, TextY           int
	Width, ValueX      string
	LabelX, BarX, BarH int
	Muted              bool
	// The trend: its box, its lines (one polyline per run of months with data) and a
	// dot on each month that has no neighbour with data, and on the last month.
	SparkX, SparkY, SparkW, SparkH int
	Lines                          []string
	Dots                           []chartDot
}

// chartDot is one point of a trend line.
type chartDot struct{ X, Y string }

// drawBars lays data out in g, one row each.
func drawBars(g chartGeometry, data []chartDatum) *barChart {
	c := &barChart{Width: g.Width, Height: len(data) * g.RowH, Total: len(data)}
	for i, d := range data {
		w := clamp01(d.Frac) * float64(g.BarMax)
		y := i * g.RowH
		b := chartBar{Label: d.Label, Value: d.Value, Y: y + 3, TextY: y + g.RowH/2 + 5, Muted: d.Muted,
			Width: fmt.Sprintf("%.1f", w), ValueX: fmt.Sprintf("%.1f", float64(g.LabelW)+w+6),
			LabelX: g.LabelW - 6, BarX: g.LabelW, BarH: g.RowH - 6}
		if g.SparkW > 0 && len(d.Trend) > 0 {
			b.SparkX, b.SparkY, b.SparkW, b.SparkH = g.SparkX, y+4, g.SparkW, g.RowH-8
			b.Lines, b.Dots = sparkline(d.Trend, b.SparkX, b.SparkY, b.SparkW, b.SparkH)
		}
		c.Bars = append(c.Bars, b)
	}
	return c
}

// sparkline draws trend in the box (x, y, w, h): 0 at the bottom, 1 at the top.
func sparkline(trend []float64, x, y, w, h int) (lines []string, dots []chartDot) {
	step := float64(w)
	if len(trend) > 1 {
		step = float64(w) / float64(len(trend)-1)
	}
	at := func(i int) chartDot {
		return chartDot{X: fmt.Sprintf("%.1f", float64(x)+float64(i)*step), Y: fmt.Sprintf("%.1f", float64(y)+(1-clamp01(trend[i]))*float64(h))}
	}
	var run []string
	flush := func(end int) {
		if len(run) > 1 {
			lines = append(lines, strings.Join(run, " "))
		} else if len(run) == 1 {
			dots = append(dots, at(end-1))
		}
		run = nil
	}
	for i, v := range trend {
		if v < 0 {
			flush(i)
			continue
		}
		p := at(i)
		run = append(run, p.X+","+p.Y)
	}
	last := len(trend) - 1
	lonely := len(run) == 1
	flush(len(trend))
	if last >= 0 && trend[last] >= 0 && !lonely {
		dots = append(dots, at(last))
	}
	return lines, dots
}

func clamp01(f float64) float64 { return max(0, min(1, f)) }
