package relation

import (
	"context"
	"fmt"

	"github.com/backplane-dev/backplane/components/data"
)

// Records declares a relation between two record repositories (models
// built at run time, data.ModelFromSpec): kind is hasMany, hasOne or
// belongsTo; name is the property the include fills; fk is the foreign
// key property — on dst for hasMany and hasOne, on src for belongsTo.
// Includes cost one query per relation per level, as for typed models.
func Records(src, dst *data.Records, kind Kind, name, fk string) error {
	srcID, dstID := src.Model().ID.Name, dst.Model().ID.Name
	switch kind {
	case KindHasMany, KindHasOne:
		if _, ok := dst.Model().Property(fk); !ok {
			return fmt.Errorf("relation %s %q: model %s has no property %q", kind, name, dst.Model().Name(), fk)
		}
		src.SetInclude(name, func(ctx context.Context, recs []map[string]any, in data.Inclusion) error {
			return includeRecords(ctx, recs, in, dst, srcID, fk, name, kind == KindHasOne)
		}, srcID)
	case KindBelongsTo:
		if _, ok := src.Model().Property(fk); !ok {
			return fmt.Errorf("relation %s %q: model %s has no property %q", kind, name, src.Model().Name(), fk)
		}
		src.SetInclude(name, func(ctx context.Context, recs []map[string]any, in data.Inclusion) error {
			return includeRecords(ctx, recs, in, dst, fk, dstID, name, true)
		}, fk)
	default:
		return fmt.Errorf("relation %q: kind %q: want hasMany, hasOne or belongsTo", name, kind)
	}
	return nil
}

// includeRecords sets recs[i][name] to the dst records whose match
// property equals recs[i][own]: one query.
func includeRecords(ctx context.Context, recs []map[string]any, in data.Inclusion, dst *data.Records, own, match, name string, one bool) error {
	keys := make([]any, len(recs))
	for i, r := range recs {
		keys[i] = key(r[own])
	}
	ks := distinct(keys)
	if len(ks) == 0 {
		return nil
	}
	l := newLookup(in, match)
	found, _, err := findIn(ctx, l, match, ks, dst.Find)
	if err != nil {
		return err
	}
	strip := l.strips(match)
	groups := map[any][]map[string]any{}
	for _, r := range found {
		k := key(r[match])
		if strip {
			delete(r, match)
		}
		groups[k] = append(groups[k], r)
	}
	for i, r := range recs {
		g := page(groups[keys[i]], l.limit, l.skip)
		switch {
		case one && len(g) > 0:
			r[name] = g[0]
		case !one:
			r[name] = append(make([]map[string]any, 0, len(g)), g...)
		}
	}
	return nil
}
