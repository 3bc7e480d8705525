package kernel

import (
	"context"
	"reflect"
)

// Configure binds the configuration of the binding named key, under
// [ConfigName](key). Structs built by the kernel receive it in a field
// tagged `config:""`; anything else reads it with [ConfigOf].
//
// The configuration may be a value of the consumer's own type, or a
// [Decoder] that decodes into it (the config component binds decoders that
// read a section of the configuration files, strictly).
func Configure[C any](c *Context, key string, src Source[C], opts ...Option) *Binding {
	return Bind(c, NewKey[C](ConfigName(key)), src, opts...)
}

// ConfigOf returns the configuration bound for key, decoded into a C. It
// reports false when no configuration is bound.
func ConfigOf[C any](c *Context, key string) (C, bool, error) {
	var out C
	b := c.lookup(ConfigName(key))
	if b == nil {
		return out, false, nil
	}
	x, err := ResolveBinding(context.Background(), c, b)
	if err != nil {
		return out, true, err
	}
	if x == nil {
		return out, true, nil
	}
	if err := assignConfig(reflect.ValueOf(&out).Elem(), x, key); err != nil {
		return out, true, err
	}
	return out, true, nil
}
