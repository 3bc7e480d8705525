package swagbridge

import (
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/swaggo/swag"
)

// swag keeps one process-wide registry of documents by name and panics
// when a name is registered twice. An application can start more than
// once in a process (tests do), so each name is registered with swag once,
// through a holder whose document is replaced at every start. This is the
// package's only mutable state, and it mirrors swag's own: it is written
// only by applications that ask for it ([RegisterAs], [Register]).
var (
	swagMu      sync.Mutex
	swagHolders = map[string]*swagDoc{}
)

// swagDoc implements swag.Swagger over the served 3.0 document.
type swagDoc struct{ doc atomic.Pointer[[]byte] }

// ReadDoc returns the document's OpenAPI 3.0.3 JSON.
func (s *swagDoc) ReadDoc() string {
	if b := s.doc.Load(); b != nil {
		return string(*b)
	}
	return ""
}

var _ swag.Swagger = (*swagDoc)(nil)

// Register makes doc readable through swag's registry under name
// (swag.ReadDoc(name)), for swag-based tooling such as echo-swagger. A
// second call with the same name replaces the document. A name that
// something else registered with swag (a swag-generated docs package) is
// an error.
func Register(name string, doc []byte) error {
	swagMu.Lock()
	defer swagMu.Unlock()
	h := swagHolders[name]
	if h == nil {
		h = &swagDoc{}
		b := append([]byte(nil), doc...)
		h.doc.Store(&b)
		if swag.GetSwagger(name) != nil {
			return fmt.Errorf("swagbridge: swag already holds a document named %q (a swag-generated docs package?); register under another name (swagbridge.RegisterAs)", name)
		}
		swag.Register(name, h)
		swagHolders[name] = h
		return nil
	}
	b := append([]byte(nil), doc...)
	h.doc.Store(&b)
	return nil
}
