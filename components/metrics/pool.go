package metrics

import (
	"context"
	"database/sql"

	"github.com/prometheus/client_golang/prometheus"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/kernel"
)

// tagDataSource is the data component's tag on datasource bindings
// (data.TagDataSource); the collector reads it by name so that metrics
// does not link the data layer.
const tagDataSource = "data.datasource"

// pooled is what a datasource offers for its pool statistics
// (*data.DataSource has it).
type pooled interface {
	PoolStats() (sql.DBStats, bool)
}

var (
	poolOpen     = prometheus.NewDesc("datasource_pool_open_connections", "Connections open, in use and idle.", []string{"datasource"}, nil)
	poolInUse    = prometheus.NewDesc("datasource_pool_in_use_connections", "Connections in use.", []string{"datasource"}, nil)
	poolIdle     = prometheus.NewDesc("datasource_pool_idle_connections", "Idle connections.", []string{"datasource"}, nil)
	poolMax      = prometheus.NewDesc("datasource_pool_max_open_connections", "The pool's limit of open connections (0: none).", []string{"datasource"}, nil)
	poolWaits    = prometheus.NewDesc("datasource_pool_wait_total", "Times a caller waited for a connection.", []string{"datasource"}, nil)
	poolWaitTime = prometheus.NewDesc("datasource_pool_wait_seconds_total", "Time callers waited for a connection.", []string{"datasource"}, nil)
)

// poolCollector reports every started datasource's pool statistics at
// scrape time.
type poolCollector struct{ app *backplane.App }

func (p *poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolOpen, poolInUse, poolIdle, poolMax, poolWaits, poolWaitTime} {
		ch <- d
	}
}

func (p *poolCollector) Collect(ch chan<- prometheus.Metric) {
	c := p.app.Context()
	for _, b := range c.Find(kernel.ByTag(tagDataSource)) {
		v, err := kernel.ResolveBinding(context.Background(), c, b)
		if err != nil {
			continue
		}
		ds, ok := v.(pooled)
		if !ok {
			continue
		}
		st, ok := ds.PoolStats()
		if !ok {
			continue
		}
		name, _ := b.Tag(tagDataSource)
		ch <- prometheus.MustNewConstMetric(poolOpen, prometheus.GaugeValue, float64(st.OpenConnections), name)
		ch <- prometheus.MustNewConstMetric(poolInUse, prometheus.GaugeValue, float64(st.InUse), name)
		ch <- prometheus.MustNewConstMetric(poolIdle, prometheus.GaugeValue, float64(st.Idle), name)
		ch <- prometheus.MustNewConstMetric(poolMax, prometheus.GaugeValue, float64(st.MaxOpenConnections), name)
		ch <- prometheus.MustNewConstMetric(poolWaits, prometheus.CounterValue, float64(st.WaitCount), name)
		ch <- prometheus.MustNewConstMetric(poolWaitTime, prometheus.CounterValue, st.WaitDuration.Seconds(), name)
	}
}
