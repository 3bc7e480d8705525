// Package metricschart draws the picture of the metrics dashboard
// (docs/dashboards) from real scrapes of /metrics: request rate and
// p95 latency by route, and the error rate, as an SVG the docs embed.
// Nothing is rendered by Grafana; the panels compute what its queries
// do (rate over the interval, histogram_quantile) from successive
// scrapes.
package metricschart

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// Scrape is one read of /metrics at At.
type Scrape struct {
	At       time.Time
	requests map[string]float64             // "METHOD route" → count
	errors   float64                        // 5xx and 4xx count
	buckets  map[string]map[float64]float64 // "METHOD route" → le → cumulative count
}

// Parse reads a Prometheus text exposition taken at at.
func Parse(r io.Reader, at time.Time) (*Scrape, error) {
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(r)
	if err != nil {
		return nil, fmt.Errorf("metricschart: parse the scrape: %w", err)
	}
	s := &Scrape{At: at, requests: map[string]float64{}, buckets: map[string]map[float64]float64{}}
	if f := fams["http_server_requests_total"]; f != nil {
		for _, m := range f.Metric {
			l := labels(m)
			if l["route"] == "/metrics" {
				continue // the scrapes themselves
			}
			s.requests[l["method"]+" "+l["route"]] += m.GetCounter().GetValue()
			if st := l["status"]; st == "4xx" || st == "5xx" {
				s.errors += m.GetCounter().GetValue()
			}
		}
	}
	if f := fams["http_server_request_duration_seconds"]; f != nil {
		for _, m := range f.Metric {
			l := labels(m)
			if l["route"] == "/metrics" {
				continue
			}
			k := l["method"] + " " + l["route"]
			if s.buckets[k] == nil {
				s.buckets[k] = map[float64]float64{}
			}
			for _, b := range m.GetHistogram().GetBucket() {
				s.buckets[k][b.GetUpperBound()] += float64(b.GetCumulativeCount())
			}
		}
	}
	return s, nil
}

func labels(m *dto.Metric) map[string]string {
	out := map[string]string{}
	for _, l := range m.GetLabel() {
		out[l.GetName()] = l.GetValue()
	}
	return out
}

// Panel is one chart: a line per series over the scrapes' intervals.
type Panel struct {
	Title  string
	Unit   string
	Series map[string][]float64
}

// Panels computes the dashboard's panels from successive scrapes:
// requests per second by route, p95 latency by route (ms), and errors
// per second.
func Panels(scrapes []*Scrape) []Panel {
	rate := Panel{Title: "Request rate by route", Unit: "req/s", Series: map[string][]float64{}}
	p95 := Panel{Title: "Latency p95 by route", Unit: "ms", Series: map[string][]float64{}}
	errs := Panel{Title: "Errors (4xx and 5xx)", Unit: "req/s", Series: map[string][]float64{}}
	for i := 1; i < len(scrapes); i++ {
		a, b := scrapes[i-1], scrapes[i]
		dt := b.At.Sub(a.At).Seconds()
		if dt <= 0 {
			continue
		}
		for k, v := range b.requests {
			rate.Series[k] = append(pad(rate.Series[k], i-1), (v-a.requests[k])/dt)
		}
		for k, bs := range b.buckets {
			p95.Series[k] = append(pad(p95.Series[k], i-1), 1000*quantile(0.95, bs, a.buckets[k]))
		}
		errs.Series["all routes"] = append(errs.Series["all routes"], (b.errors-a.errors)/dt)
	}
	return []Panel{rate, p95, errs}
}

// pad fills the intervals before a series first appeared with zeros.
func pad(s []float64, n int) []float64 {
	for len(s) < n {
		s = append(s, 0)
	}
	return s
}

// quantile is histogram_quantile over the increase between two scrapes
// of cumulative buckets: linear within the bucket that holds q.
func quantile(q float64, now, before map[float64]float64) float64 {
	les := make([]float64, 0, len(now))
	for le := range now {
		les = append(les, le)
	}
	sort.Float64s(les)
	inc := func(le float64) float64 { return now[le] - before[le] }
	total := 0.0
	if n := len(les); n > 0 {
		total = inc(les[n-1])
		if !math.IsInf(les[n-1], 1) {
			total = max(total, inc(les[n-1]))
		}
	}
	if total <= 0 {
		return 0
	}
	rank := q * total
	prevLE, prevCount := 0.0, 0.0
	for _, le := range les {
		c := inc(le)
		if c >= rank {
			if math.IsInf(le, 1) {
				return prevLE
			}
			if c == prevCount {
				return le
			}
			return prevLE + (le-prevLE)*(rank-prevCount)/(c-prevCount)
		}
		prevLE, prevCount = le, c
	}
	return prevLE
}

var palette = []string{"#1a5fb4", "#c01c28", "#26a269", "#e5a50a", "#813d9c", "#63452c", "#2ec27e", "#f66151"}

// SVG draws the panels side by side, each with its axes, a line per
// series and a legend.
func SVG(title string, panels []Panel) []byte {
	const pw, ph, pad, top = 420.0, 260.0, 48.0, 40.0
	w := float64(len(panels))*(pw+pad) + pad
	h := top + ph + 150
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="sans-serif" font-size="12">`+"\n", w, h, w, h)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="#fafafa"/><text x="%.0f" y="24" font-size="16" font-weight="bold">%s</text>`+"\n", pad, html.EscapeString(title))
	for i, p := range panels {
		x0 := pad + float64(i)*(pw+pad)
		y0 := top + 10
		names := slices.Sorted(func(yield func(string) bool) {
			for k := range p.Series {
				if !yield(k) {
					return
				}
			}
		})
		maxV, n := 0.0, 0
		for _, k := range names {
			for _, v := range p.Series[k] {
				maxV = max(maxV, v)
			}
			n = max(n, len(p.Series[k]))
		}
		if maxV == 0 {
			maxV = 1
		}
		maxV = niceCeil(maxV)
		fmt.Fprintf(&b, `<g><rect x="%.0f" y="%.0f" width="%.0f" height="%.0f" fill="#fff" stroke="#ccc"/>`, x0, y0, pw, ph)
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" font-weight="bold">%s (%s)</text>`, x0, y0-6, html.EscapeString(p.Title), p.Unit)
		for t := 0; t <= 4; t++ {
			y := y0 + ph - float64(t)/4*ph
			fmt.Fprintf(&b, `<line x1="%.0f" x2="%.0f" y1="%.1f" y2="%.1f" stroke="#eee"/><text x="%.0f" y="%.1f" text-anchor="end" fill="#666">%s</text>`,
				x0, x0+pw, y, y, x0-4, y+4, trim(maxV*float64(t)/4))
		}
		for si, k := range names {
			vs := p.Series[k]
			if len(vs) == 0 {
				continue
			}
			var pts []string
			for j, v := range vs {
				x := x0
				if n > 1 {
					x = x0 + float64(j)/float64(n-1)*pw
				}
				pts = append(pts, fmt.Sprintf("%.1f,%.1f", x, y0+ph-v/maxV*ph))
			}
			color := palette[si%len(palette)]
			fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>`, color, strings.Join(pts, " "))
			ly := y0 + ph + 20 + float64(si)*16
			fmt.Fprintf(&b, `<rect x="%.0f" y="%.0f" width="10" height="10" fill="%s"/><text x="%.0f" y="%.0f">%s</text>`, x0, ly-9, color, x0+16, ly, html.EscapeString(k))
		}
		b.WriteString("</g>\n")
	}
	b.WriteString("</svg>\n")
	return b.Bytes()
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

func trim(v float64) string {
	s := fmt.Sprintf("%.2f", v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}
