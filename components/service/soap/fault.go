package soap

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"

	"github.com/backplane-dev/backplane/components/service"
)

// Fault is a SOAP fault (1.1 or 1.2), the cause of a service.Error of
// KindFault: errors.As(err, &fault) reads it. It reaches an API client
// only as 502 UPSTREAM_FAULT; its text is for the caller's code and the
// log.
type Fault struct {
	// Code is the fault code: faultcode (1.1) or Code/Value (1.2), with
	// its prefix ("soap:Client", "soap:Sender").
	Code string
	// Subcode is SOAP 1.2's Code/Subcode/Value.
	Subcode string
	// String is faultstring (1.1) or Reason/Text (1.2).
	String string
	// Actor is faultactor (1.1) or Role (1.2).
	Actor string
	// Detail is the detail element's inner XML.
	Detail string
}

func (f *Fault) Error() string {
	s := "SOAP fault " + f.Code
	if f.Subcode != "" {
		s += " (" + f.Subcode + ")"
	}
	if f.String != "" {
		s += ": " + f.String
	}
	return s
}

type fault11 struct {
	Code   string `xml:"faultcode"`
	String string `xml:"faultstring"`
	Actor  string `xml:"faultactor"`
	Detail struct {
		Inner string `xml:",innerxml"`
	} `xml:"detail"`
}

type fault12 struct {
	Code struct {
		Value   string `xml:"Value"`
		Subcode struct {
			Value string `xml:"Value"`
		} `xml:"Subcode"`
	} `xml:"Code"`
	Reason struct {
		Text []string `xml:"Text"`
	} `xml:"Reason"`
	Role   string `xml:"Role"`
	Detail struct {
		Inner string `xml:",innerxml"`
	} `xml:"Detail"`
}

// decode reads the answer's envelope: a fault is a *Fault; otherwise
// the body's first element is decoded into dst.
func (c *client) decode(op *operation, res *service.Response, dst any) error {
	if ct := res.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || !(mt == "text/xml" || mt == "application/soap+xml" || mt == "application/xml") {
			return fmt.Errorf("the answer is %q, not SOAP", ct)
		}
	}
	d := xml.NewDecoder(bytes.NewReader(res.Body))
	inBody := false
	sawEnvelope := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			if !sawEnvelope {
				return errors.New("the answer has no SOAP envelope")
			}
			if res.Status/100 != 2 {
				return fmt.Errorf("HTTP %d without a SOAP fault", res.Status)
			}
			return nil // an empty body: a one-way answer
		}
		if err != nil {
			return fmt.Errorf("malformed SOAP answer: %w", err)
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch {
		case !sawEnvelope:
			if start.Name.Local != "Envelope" || (start.Name.Space != nsEnv11 && start.Name.Space != nsEnv12) {
				return fmt.Errorf("the answer is no SOAP envelope (its root is %s)", start.Name.Local)
			}
			sawEnvelope = true
		case !inBody:
			if start.Name.Local == "Body" {
				inBody = true
			} else if err := d.Skip(); err != nil {
				return fmt.Errorf("malformed SOAP answer: %w", err)
			}
		case start.Name.Local == "Fault":
			return decodeFault(d, start)
		default:
			if res.Status/100 != 2 {
				return fmt.Errorf("HTTP %d without a SOAP fault", res.Status)
			}
			if op.out != nil && start.Name.Local != op.out.local {
				return fmt.Errorf("the answer's body holds %s, want %s", start.Name.Local, op.out.local)
			}
			if dst == nil {
				return nil
			}
			if m, ok := dst.(*map[string]any); ok {
				v, err := decodeMap(d)
				if err != nil {
					return fmt.Errorf("malformed SOAP answer: %w", err)
				}
				*m = v
				return nil
			}
			if err := d.DecodeElement(dst, &start); err != nil {
				return fmt.Errorf("the answer's %s does not fit %T: %w", start.Name.Local, dst, err)
			}
			return nil
		}
	}
}

func decodeFault(d *xml.Decoder, start xml.StartElement) error {
	if start.Name.Space == nsEnv12 {
		var f fault12
		if err := d.DecodeElement(&f, &start); err != nil {
			return fmt.Errorf("malformed SOAP fault: %w", err)
		}
		out := &Fault{Code: f.Code.Value, Subcode: f.Code.Subcode.Value, Actor: f.Role, Detail: strings.TrimSpace(f.Detail.Inner)}
		if len(f.Reason.Text) > 0 {
			out.String = f.Reason.Text[0]
		}
		return out
	}
	var f fault11
	if err := d.DecodeElement(&f, &start); err != nil {
		return fmt.Errorf("malformed SOAP fault: %w", err)
	}
	return &Fault{Code: f.Code, String: f.String, Actor: f.Actor, Detail: strings.TrimSpace(f.Detail.Inner)}
}

// decodeMap reads an element's children as a map: text for simple
// children, maps for complex ones, lists for repeated ones.
func decodeMap(d *xml.Decoder) (map[string]any, error) {
	out := map[string]any{}
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return out, nil
		case xml.StartElement:
			v, err := decodeValue(d, 1)
			if err != nil {
				return nil, err
			}
			k := t.Name.Local
			switch prev := out[k].(type) {
			case nil:
				out[k] = v
			case []any:
				out[k] = append(prev, v)
			default:
				out[k] = []any{prev, v}
			}
		}
	}
}

// maxDepth bounds the nesting decodeMap follows, so that a hostile
// answer cannot exhaust the stack.
const maxDepth = 64

// decodeValue reads one element: its text, or its children as a map.
func decodeValue(d *xml.Decoder, depth int) (any, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("elements nested deeper than %d", maxDepth)
	}
	var text strings.Builder
	var m map[string]any
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			if m != nil {
				return m, nil
			}
			return strings.TrimSpace(text.String()), nil
		case xml.StartElement:
			if m == nil {
				m = map[string]any{}
			}
			v, err := decodeValue(d, depth+1)
			if err != nil {
				return nil, err
			}
			k := t.Name.Local
			switch prev := m[k].(type) {
			case nil:
				m[k] = v
			case []any:
				m[k] = append(prev, v)
			default:
				m[k] = []any{prev, v}
			}
		}
	}
}
