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

// Source contributes to the document through the [Builder]: a converted
// Swagger 2.0 document of legacy handlers merged whole (package
// swagbridge), servers, security schemes. Route and schema descriptions
// come through [Describers] instead. Sources run at start, after the
// describers, in the order of the point's list, before the enhancers.
type Source interface {
	Contribute(ctx context.Context, b *Builder) error
}

// SourceFunc adapts a function to a [Source].
type SourceFunc func(ctx context.Context, b *Builder) error

// Contribute calls f.
func (f SourceFunc) Contribute(ctx context.Context, b *Builder) error { return f(ctx, b) }

// Sources is the extension point of document sources.
var Sources = extension.Point[Source]("openapi.sources")

var (
	_ Enhancer = EnhancerFunc(nil)
	_ Source   = SourceFunc(nil)
)
