package data

import (
	"fmt"
	"math"
	"time"
)

// The round-trip guarantee: whatever a write accepts, every connector
// can store and give back. Values that would be stored but could not be
// read (a date-time past year 9999 cannot be written as JSON), or that a
// database would refuse mid-statement (a NUL character in PostgreSQL's
// text), are refused before the write with a 422 naming the property.

// Date-times are held to the years JSON (RFC 3339) can write: 0000 to
// 9999, in UTC. "9999-12-31T23:59:59-14:00" is year 10000 in UTC.
var (
	minTime = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
)

// ValueRefuser is implemented by stores that cannot hold some values a
// model's kinds allow: PostgreSQL refuses a NUL character in text and in
// JSON strings. Repositories ask it before every write, so that the
// write is refused with a [*DataError] (422) naming the property instead
// of failing in the database.
//
// RefuseValue returns "" when the store can hold v (a normalized value
// of p's kind, never nil), or why it cannot, as a phrase that follows
// the property's name: "must not contain the NUL character (U+0000)".
// It is called concurrently and must be cheap.
type ValueRefuser interface {
	RefuseValue(p *Property, v any) string
}

// valueStore returns the store's ValueRefuser, or nil (also before the
// datasource starts: the write fails as unavailable anyway).
func (d *DataSource) valueStore() ValueRefuser {
	s, _ := d.Store()
	r, _ := s.(ValueRefuser)
	return r
}

// unstorable returns why v cannot be written to p (r: the store's
// ValueRefuser, or nil), or "".
func unstorable(r ValueRefuser, p *Property, v any) string {
	switch x := v.(type) {
	case nil, bool, int64:
		return ""
	case time.Time:
		if x.Before(minTime) || !x.Before(maxTime) {
			return fmt.Sprintf("must be a date-time from 0000-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z once converted to UTC (it is in year %d in UTC)", x.UTC().Year())
		}
		return ""
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			// JSON has no NaN or infinity, and SQLite stores NaN as NULL.
			return "must be a finite number"
		}
		return ""
	}
	if r != nil {
		return r.RefuseValue(p, v)
	}
	return ""
}

// storableDetail is the detail of a value p cannot hold, or nil.
func storableDetail(r ValueRefuser, p *Property, v any) *Detail {
	why := unstorable(r, p, v)
	if why == "" {
		return nil
	}
	return &Detail{Path: "/" + p.Name, Code: "unstorable", Message: p.Name + " " + why, Info: map[string]any{"property": p.Name}}
}

// checkStorable refuses a row with a value its store cannot hold and give
// back, and a client-chosen id that is missing: the store would invent a
// key of its own kind (a number for a string column), or refuse it.
// skip leaves properties out (hidden ones a replace does not write).
func (m *Model) checkStorable(s ValueRefuser, row Row, skip func(*Property) bool, create bool) error {
	var details []Detail
	if id := m.ID; create && id != nil && !id.Generated {
		if v := row[id.pos]; v == nil || v == "" {
			details = append(details, Detail{Path: "/" + id.Name, Code: "required",
				Message: fmt.Sprintf("must have required property '%s' (the id of %s is chosen by the client, not generated)", id.Name, m.Name()),
				Info:    map[string]any{"missingProperty": id.Name}})
		}
	}
	for _, p := range m.Props {
		if skip != nil && skip(p) {
			continue
		}
		if d := storableDetail(s, p, row[p.pos]); d != nil {
			details = append(details, *d)
		}
	}
	if len(details) > 0 {
		return &DataError{Model: m.Name(), Details: details}
	}
	return nil
}

// checkAssigns is checkStorable for the assignments of an update.
func (m *Model) checkAssigns(s ValueRefuser, set []Assign) error {
	var details []Detail
	for _, a := range set {
		if d := storableDetail(s, a.Prop, a.Value); d != nil {
			details = append(details, *d)
		}
	}
	if len(details) > 0 {
		return &DataError{Model: m.Name(), Details: details}
	}
	return nil
}
