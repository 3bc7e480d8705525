package rest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"

	"github.com/labstack/echo/v4"
)

// Large arrays are written as they are encoded: a list of entities is
// encoded one element at a time into a small buffer, which goes to the
// client whenever it fills, so the memory a response takes does not grow
// with its size. Small arrays (streamMin elements or fewer) are encoded
// at once, as every other value, and sent with a Content-Length.

// streamMin is the length above which an array is streamed.
const streamMin = 64

// flushAt is how much encoded JSON a stream buffers before it writes.
const flushAt = 32 << 10

// writeJSONArray streams the slice rv as a JSON array, within the
// server's maxResponseSize. An error found before anything was sent is
// returned, for the error envelope; after that, the connection is cut.
func (s *Server) writeJSONArray(c echo.Context, status int, rv reflect.Value) error {
	max := int64(s.cfg.MaxResponseSize)
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= 64<<10 {
			bufPool.Put(buf)
		}
	}()
	w := c.Response()
	head := c.Request().Method == http.MethodHead
	var sent int64
	flush := func() error {
		if !w.Committed {
			w.Header()[echo.HeaderContentType] = jsonContentType
			w.WriteHeader(status)
		}
		if head {
			buf.Reset()
			return nil
		}
		n, err := w.Write(buf.Bytes())
		sent += int64(n)
		buf.Reset()
		return err
	}
	// fail reports err before the response started, and cuts the
	// connection after.
	fail := func(err error) error {
		if !w.Committed {
			return err
		}
		s.log.WarnContext(c.Request().Context(), "response cut", "method", c.Request().Method, "path", c.Request().URL.Path, "sent", sent, "err", err)
		panic(http.ErrAbortHandler)
	}
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	buf.WriteByte('[')
	for i := range rv.Len() {
		if i > 0 {
			buf.WriteByte(',')
		}
		// The element's address: encoding/json encodes slice elements
		// as addressable values (pointer-receiver MarshalJSON applies),
		// and a pointer boxes without a copy.
		if err := enc.Encode(rv.Index(i).Addr().Interface()); err != nil {
			return fail(fmt.Errorf("rest: write the response: %w", err))
		}
		buf.Truncate(buf.Len() - 1) // Encode's newline
		if max > 0 && sent+int64(buf.Len()) > max {
			return fail(responseTooLarge(max))
		}
		if buf.Len() >= flushAt {
			if err := flush(); err != nil {
				return err // the client is gone
			}
		}
	}
	buf.WriteByte(']')
	if max > 0 && sent+int64(buf.Len()) > max {
		return fail(responseTooLarge(max))
	}
	return flush()
}

// responseTooLarge is the answer to a response over maxResponseSize.
func responseTooLarge(max int64) *Error {
	return &Error{Status: http.StatusBadRequest, Code: CodeResponseTooLarge, Name: "BadRequestError",
		Message: fmt.Sprintf("The response is larger than %d bytes, the limit maxResponseSize; ask for less (limit, fields, include) or raise rest.maxResponseSize.", max)}
}
