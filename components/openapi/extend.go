package openapi

import (
	"context"

	"github.com/backplane-dev/backplane/extension"
)

// Enhancer changes the document after every source has contributed and
// before it is frozen: add security requirements, rename tags, write
// descriptions, add x-* keys. Enhancers run once, at start, in the order
// of the point's list (rank, then name); the document they leave is the
// one served for the life of the process.
//
// An enhancer is called from one goroutine and owns the document for the
// duration of the call; it must not keep it.
type Enhancer interface {
	Enhance(ctx context.Context, doc *Document) error
}

// EnhancerFunc adapts a function to an [Enhancer].
type EnhancerFunc func(ctx context.Context, doc *Document) error

// Enhance calls f.
func (f EnhancerFunc) Enhance(ctx context.Context, doc *Document) error { return f(ctx, doc) }

// Enhancers is the spec-enhancer extension point:
//
//	extension.Add(app.Context(), openapi.Enhancers, "security",
//		kernel.Value[openapi.Enhancer](openapi.EnhancerFunc(addSecurity)))
var Enhancers = extension.Point[Enhancer]("openapi.enhancers")

// Source contributes operations and schemas to the document: the REST
// server's route table, a converted Swagger 2.0 document of legacy
// handlers, anything that serves HTTP in the application. Sources run at
// start, in the order of the point's list, before the enhancers.
type Source interface {
	Contribute(ctx context.Context, b *Builder) error
}

// SourceFunc adapts a function to a [Source].
type SourceFunc func(ctx context.Context, b *Builder) error

// Contribute calls f.
func (f SourceFunc) Contribute(ctx context.Context, b *Builder) error { return f(ctx, b) }

// Sources is the extension point of document sources.
var Sources = extension.Point[Source]("openapi.sources")

// RoutesSource is a Source that adds routes and named schemas.
func RoutesSource(routes []Route, schemas map[string]*Schema) Source {
	return SourceFunc(func(_ context.Context, b *Builder) error {
		if err := b.AddSchemas(schemas); err != nil {
			return err
		}
		for _, r := range routes {
			if err := b.AddRoute(r); err != nil {
				return err
			}
		}
		return nil
	})
}

var (
	_ Enhancer = EnhancerFunc(nil)
	_ Source   = SourceFunc(nil)
)
