package swagbridge

import (
	"context"
	"fmt"
	"strconv"

	"github.com/swaggo/swag"

	"github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/kernel"
	"github.com/backplane-dev/backplane/lifecycle"
)

// Option configures the component.
type Option func(*options)

type options struct {
	merges   []merge
	register *string
}

type merge struct {
	name string
	src  openapi.Source
}

// Merge merges the Swagger 2.0 document that a swag-generated docs
// package registered with swag under instance (its
// SwaggerInfo.InstanceName(), "swagger" by default). The docs package
// must be imported (import _ ".../docs") so its init registers it.
func Merge(instance string) Option {
	return func(o *options) { o.merges = append(o.merges, merge{"swag." + instance, InstanceSource(instance)}) }
}

// MergeJSON merges a Swagger 2.0 document given as JSON bytes (a
// swagger.json written by `swag init`), named origin in errors.
func MergeJSON(origin string, doc []byte) Option {
	return func(o *options) {
		o.merges = append(o.merges, merge{"swagger." + componentSafe(origin), Source(origin, doc)})
	}
}

// RegisterAs registers the application's OpenAPI 3.0 document in swag's
// process-wide registry under name ("" for the application's name), at
// every start, for swag-based tools such as echo-swagger that read it
// with swag.ReadDoc(name).
func RegisterAs(name string) Option { return func(o *options) { o.register = &name } }

// Component returns the swag bridge: it merges the Swagger 2.0 documents
// of swag-annotated echo handlers ([Merge], [MergeJSON]) into the openapi
// component's document, converted by [Convert], and registers the
// document in swag's registry when [RegisterAs] asks for it. The openapi
// component must be mounted too.
func Component(opts ...Option) backplane.Component {
	o := &options{}
	for _, opt := range opts {
		opt(o)
	}
	return backplane.NewComponent("swagbridge", func(app *backplane.App) error {
		app.Mount(backplane.Requires("openapi"))
		for _, m := range o.merges {
			app.Mount(backplane.Extension(openapi.Sources, m.name, kernel.Value(m.src)))
		}
		if o.register != nil {
			name := *o.register
			if name == "" {
				name = app.Name()
			}
			app.Mount(backplane.Provide(registrarKey, kernel.Value(&registrar{app: app, name: name}), lifecycle.Tag(openapi.Group)))
		}
		return nil
	})
}

var registrarKey = kernel.NewKey[*registrar]("swagbridge.registrar")

// registrar registers the frozen document with swag at start.
type registrar struct {
	app  *backplane.App
	name string
}

var _ lifecycle.Starter = (*registrar)(nil)

func (r *registrar) Start(ctx context.Context) error {
	svc, err := kernel.Resolve(ctx, r.app.Context(), openapi.ServiceKey)
	if err != nil {
		return fmt.Errorf("swagbridge: the document to register comes from the openapi component (mount openapi.Component()): %w", err)
	}
	spec, err := svc.Spec(ctx)
	if err != nil {
		return err
	}
	b, err := spec.Bytes(openapi.V30, openapi.JSON)
	if err != nil {
		return err
	}
	return Register(r.name, b)
}

// Source is an openapi source that converts a Swagger 2.0 document (as
// `swag init` generates for annotated echo handlers) and merges it into
// the document. Its operations must not repeat the application's own.
func Source(origin string, doc []byte) openapi.Source {
	return openapi.SourceFunc(func(_ context.Context, b *openapi.Builder) error {
		d, err := Convert(doc)
		if err != nil {
			return fmt.Errorf("%s: %w", origin, err)
		}
		return b.Merge(d, origin)
	})
}

// InstanceSource is a [Source] reading the document a swag-generated
// docs package registered with swag under name.
func InstanceSource(name string) openapi.Source {
	return openapi.SourceFunc(func(ctx context.Context, b *openapi.Builder) error {
		if swag.GetSwagger(name) == nil {
			return fmt.Errorf("swagbridge: swag has no document named %q; import the swag-generated docs package (import _ \".../docs\")", name)
		}
		doc, err := swag.ReadDoc(name)
		if err != nil {
			return fmt.Errorf("swagbridge: read swag document %q: %w", name, err)
		}
		return Source("swag document "+strconv.Quote(name), []byte(doc)).Contribute(ctx, b)
	})
}
