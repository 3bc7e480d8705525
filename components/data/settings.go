package data

import (
	"reflect"
	"strings"

	"github.com/backplane-dev/backplane/settings"
)

var _ settings.Unmarshaler = (*Config)(nil)

// sectionKeys are the keys every datasource's section has.
type sectionKeys struct {
	Connector   string `json:"connector"`
	TablePrefix string `json:"tablePrefix"`
	Migrate     string `json:"migrate"`
	Limits      Limits `json:"limits"`
}

// UnmarshalSettings decodes a datasource's section: it reads the name of
// the connector, then decodes the section strictly into the datasource's
// keys and the connector's options ([Configurable]) together, so that a
// key neither knows is an unknown key with a "did you mean" among both.
func (c *Config) UnmarshalSettings(decode func(target any) error) error {
	var raw map[string]any
	if err := decode(&raw); err != nil {
		return err
	}
	name := c.Connector
	for k, v := range raw {
		if s, ok := v.(string); ok && strings.EqualFold(strings.NewReplacer("-", "", "_", "").Replace(k), "connector") {
			name = s
		}
	}
	if name == "" {
		name = "sqlite"
	}
	conn, err := LookupConnector(name)
	if err != nil {
		return err
	}
	opts := c.Options
	if rv := reflect.ValueOf(opts); rv.Kind() == reflect.Pointer && !rv.IsNil() {
		opts = rv.Elem().Interface()
	}
	if cf, ok := conn.(Configurable); ok {
		if def := cf.Options(); opts == nil || reflect.TypeOf(opts) != reflect.TypeOf(def) {
			opts = def
		}
	}
	fields := []reflect.StructField{{Name: "Keys", Type: reflect.TypeFor[sectionKeys](), Tag: `config:",inline"`}}
	if opts != nil && reflect.TypeOf(opts).Kind() == reflect.Struct {
		fields = append(fields, reflect.StructField{Name: "Options", Type: reflect.TypeOf(opts), Tag: `config:",inline"`})
	}
	v := reflect.New(reflect.StructOf(fields)).Elem()
	v.Field(0).Set(reflect.ValueOf(sectionKeys{Connector: c.Connector, TablePrefix: c.TablePrefix, Migrate: c.Migrate, Limits: c.Limits}))
	if len(fields) > 1 {
		v.Field(1).Set(reflect.ValueOf(opts))
	}
	err = decode(v.Addr().Interface())
	keys := v.Field(0).Interface().(sectionKeys)
	c.Connector, c.TablePrefix, c.Migrate, c.Limits = keys.Connector, keys.TablePrefix, keys.Migrate, keys.Limits
	if len(fields) > 1 {
		c.Options = v.Field(1).Interface()
	}
	return err
}
