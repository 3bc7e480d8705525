package kernel

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"
)

// plan is the injection recipe of a struct type, computed once.
type plan struct {
	typ    reflect.Type
	fields []fieldPlan
	deps   []dep
	err    error
}

type fieldKind uint8

const (
	fieldValue fieldKind = iota // inject:"key"
	fieldList                   // inject:"tag:name" into a slice
	fieldLazy                   // inject:"key" into a Getter[T]
	fieldView                   // inject:"tag:name" into a *ViewOf[T]
)

type fieldPlan struct {
	index    []int
	name     string
	kind     fieldKind
	key      string // key or tag name
	optional bool
	typ      reflect.Type
}

var plans sync.Map // reflect.Type → *plan

var (
	lazyIface = reflect.TypeFor[lazyInjectable]()
	viewIface = reflect.TypeFor[viewInjectable]()
)

type lazyInjectable interface {
	setLazy(c *Context, key string, optional bool)
}

type viewInjectable interface {
	setView(c *Context, tag string)
}

func planFor(t reflect.Type) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	p := buildPlan(t)
	actual, _ := plans.LoadOrStore(t, p)
	return actual.(*plan)
}

func buildPlan(t reflect.Type) *plan {
	p := &plan{typ: t}
	for _, f := range reflect.VisibleFields(t) {
		itag, hasInject := f.Tag.Lookup("inject")
		if !hasInject {
			continue
		}
		if !f.IsExported() {
			p.err = fmt.Errorf("kernel: %s.%s has an injection tag but is unexported; export it or drop the tag", t, f.Name)
			return p
		}
		fp := fieldPlan{index: f.Index, name: f.Name, typ: f.Type}
		name, opts, _ := strings.Cut(itag, ",")
		for _, o := range strings.Split(opts, ",") {
			switch strings.TrimSpace(o) {
			case "":
			case "optional":
				fp.optional = true
			default:
				p.err = fmt.Errorf("kernel: %s.%s: unknown inject option %q (want optional)", t, f.Name, o)
				return p
			}
		}
		if name == "" {
			p.err = fmt.Errorf("kernel: %s.%s: inject tag names no key", t, f.Name)
			return p
		}
		if tag, ok := strings.CutPrefix(name, "tag:"); ok {
			fp.key = tag
			switch {
			case f.Type.Implements(viewIface) || reflect.PointerTo(f.Type).Implements(viewIface):
				fp.kind = fieldView
			case f.Type.Kind() == reflect.Slice:
				fp.kind = fieldList
			default:
				p.err = fmt.Errorf("kernel: %s.%s: inject %q needs a slice or a *kernel.ViewOf[T] field, not %s", t, f.Name, name, f.Type)
				return p
			}
			p.fields = append(p.fields, fp)
			continue
		}
		fp.key = name
		if reflect.PointerTo(f.Type).Implements(lazyIface) {
			fp.kind = fieldLazy
		} else {
			fp.kind = fieldValue
			p.deps = append(p.deps, dep{key: name, via: "field " + f.Name, optional: fp.optional, want: f.Type, field: t.String() + "." + f.Name})
		}
		p.fields = append(p.fields, fp)
	}
	return p
}

// inject fills v's tagged fields.
func (p *plan) inject(r *resolver, v reflect.Value) error {
	if p.err != nil {
		return p.err
	}
	for i := range p.fields {
		fp := &p.fields[i]
		fv := v.FieldByIndex(fp.index)
		via := "field " + fp.name
		switch fp.kind {
		case fieldValue:
			x, err := r.resolve(fp.key, via, fp.optional)
			if err != nil {
				return err
			}
			if x == nil {
				continue
			}
			if err := assign(fv, x, fp.key, r.sess); err != nil {
				return err
			}
		case fieldLazy:
			fv.Addr().Interface().(lazyInjectable).setLazy(r.ctx, fp.key, fp.optional)
		case fieldView:
			if fv.Kind() == reflect.Pointer {
				if fv.IsNil() {
					fv.Set(reflect.New(fv.Type().Elem()))
				}
				fv.Interface().(viewInjectable).setView(r.ctx, fp.key)
			} else {
				fv.Addr().Interface().(viewInjectable).setView(r.ctx, fp.key)
			}
		case fieldList:
			bs := r.ctx.Find(tagFilter(fp.key))
			list := reflect.MakeSlice(fp.typ, 0, len(bs))
			for _, b := range bs {
				x, err := r.ctx.resolveBinding(b, r.sess, via)
				if err != nil {
					return err
				}
				ev := reflect.New(fp.typ.Elem()).Elem()
				if err := assign(ev, x, b.key, r.sess); err != nil {
					return err
				}
				list = reflect.Append(list, ev)
			}
			fv.Set(list)
		}
	}
	return nil
}

func assign(fv reflect.Value, x any, key string, s *session) error {
	xv := reflect.ValueOf(x)
	if xv.Type().AssignableTo(fv.Type()) {
		fv.Set(xv)
		return nil
	}
	return &TypeError{Key: key, Want: fv.Type(), Got: xv.Type(), Path: s.pathStrings()}
}

// Getter resolves its key lazily, on each call to Get, from the context
// that injected it. Use it for dependencies that are optional at start,
// expensive, or bound after the consumer is built.
//
// Inject it with `inject:"key"` (add ",optional" to get the zero value and
// no error when the key is unbound).
type Getter[T any] struct {
	c        *Context
	key      string
	optional bool
}

func (g *Getter[T]) setLazy(c *Context, key string, optional bool) {
	g.c, g.key, g.optional = c, key, optional
}

// Get resolves the value now; ctx reaches providers.
func (g Getter[T]) Get(ctx context.Context) (T, error) {
	var zero T
	if g.c == nil {
		return zero, fmt.Errorf("kernel: Getter[%s] used before injection", typeName[T]())
	}
	if g.optional && g.c.lookup(g.key) == nil {
		return zero, nil
	}
	return Resolve(ctx, g.c, Key[T]{name: g.key})
}

func typeName[T any]() string { return reflect.TypeFor[T]().String() }

// tagFilter parses the tag part of `inject:"tag:name"` or
// `inject:"tag:name=value"`.
func tagFilter(spec string) Filter {
	if name, value, ok := strings.Cut(spec, "="); ok {
		return ByTagValue(name, value)
	}
	return ByTag(spec)
}
