package settings

import "reflect"

// deepCopy copies the maps, slices and pointers of v, so that decoding
// into the copy never changes the declared defaults.
func deepCopy[T any](v T) T {
	out := v
	rv := reflect.ValueOf(&out).Elem()
	copyInPlace(rv, 0)
	return out
}

// copyInPlace replaces the maps, slices and pointers reachable from the
// settable value v by copies.
func copyInPlace(v reflect.Value, depth int) {
	if depth > 32 {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		p := reflect.New(v.Type().Elem())
		p.Elem().Set(v.Elem())
		copyInPlace(p.Elem(), depth+1)
		v.Set(p)
	case reflect.Interface:
		if v.IsNil() {
			return
		}
		e := reflect.New(v.Elem().Type()).Elem()
		e.Set(v.Elem())
		copyInPlace(e, depth+1)
		v.Set(e)
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Field(i); f.CanSet() {
				copyInPlace(f, depth+1)
			}
		}
	case reflect.Slice:
		if v.IsNil() {
			return
		}
		s := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		reflect.Copy(s, v)
		for i := range s.Len() {
			copyInPlace(s.Index(i), depth+1)
		}
		v.Set(s)
	case reflect.Array:
		for i := range v.Len() {
			copyInPlace(v.Index(i), depth+1)
		}
	case reflect.Map:
		if v.IsNil() {
			return
		}
		m := reflect.MakeMapWithSize(v.Type(), v.Len())
		it := v.MapRange()
		for it.Next() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(it.Value())
			copyInPlace(e, depth+1)
			m.SetMapIndex(it.Key(), e)
		}
		v.Set(m)
	}
}
