package soap

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"os"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/backplane-dev/backplane/components/service"
)

// Name is the connector's name in a service's configuration.
const Name = "soap"

func init() {
	service.RegisterConnector(Name, "SOAP 1.1 and 1.2 services from a WSDL 1.1 document, document/literal (LoopBack's loopback-connector-soap)", connector{})
}

// Options are the SOAP connector's keys of a service's section.
type Options struct {
	// WSDL is the service's description: a file, an http(s) URL, or a
	// reference relative to the service's baseURL ("?wsdl"), read when
	// the service opens.
	WSDL string `json:"wsdl"`
	// Version chooses the binding: "1.1" or "1.2" ("": 1.1 when the WSDL
	// has it).
	Version string `json:"version"`
	// Port names the wsdl:port to use ("": the first of the version).
	Port string `json:"port"`
	// Username and Password add a WS-Security UsernameToken to every
	// request when Username is set.
	Username string `json:"username"`
	Password string `json:"password"`
	// PasswordDigest sends the password as a digest (with a nonce and a
	// creation time) rather than as text.
	PasswordDigest bool `json:"passwordDigest"`
	// Retry names operations safe to retry (SOAP calls are POSTs, which
	// are not retried otherwise).
	Retry []string `json:"retry"`

	wsdl []byte
}

// WSDL is an option of service.Declare that names the WSDL (see
// [Options.WSDL]).
func WSDL(fileOrURL string) service.Option {
	return service.WithOptions(func(o *Options) { o.WSDL = fileOrURL })
}

// WSDLBytes is an option of service.Declare that gives the WSDL's text
// (embedded in the program); a wsdl in the configuration replaces it.
func WSDLBytes(b []byte) service.Option {
	return service.WithOptions(func(o *Options) { o.wsdl = b })
}

type connector struct{}

var (
	_ service.Connector    = connector{}
	_ service.Configurable = connector{}
)

func (connector) Options() any { return Options{} }

func (connector) Open(ctx context.Context, s *service.Service) (service.Client, error) {
	opts, err := service.OptionsOf[Options](s.Config())
	if err != nil {
		return nil, err
	}
	if opts.Version != "" && opts.Version != "1.1" && opts.Version != "1.2" {
		return nil, fmt.Errorf("version %q: want 1.1 or 1.2", opts.Version)
	}
	data, err := load(ctx, s, opts)
	if err != nil {
		return nil, err
	}
	w, err := parseWSDL(data, opts.Version, opts.Port)
	if err != nil {
		return nil, fmt.Errorf("wsdl %s: %w", opts.WSDL, err)
	}
	endpoint := s.Config().BaseURL
	if endpoint == "" {
		endpoint = w.endpoint
	}
	if endpoint == "" {
		return nil, errors.New("no baseURL and the WSDL's port has no address: set baseURL")
	}
	c := &client{s: s, w: w, endpoint: endpoint, opts: opts}
	for _, name := range opts.Retry {
		if _, ok := w.ops[name]; !ok {
			return nil, fmt.Errorf("retry: no operation %q in the WSDL", name)
		}
	}
	return c, nil
}

func load(ctx context.Context, s *service.Service, opts Options) ([]byte, error) {
	ref := opts.WSDL
	if ref == "" {
		if opts.wsdl != nil {
			return opts.wsdl, nil
		}
		return nil, errors.New("no WSDL: set wsdl (a file, a URL, or ?wsdl) or use soap.WSDLBytes")
	}
	remote := strings.HasPrefix(ref, "http://") || strings.HasPrefix(ref, "https://")
	if !remote && (strings.HasPrefix(ref, "?") || strings.HasPrefix(ref, "/")) && s.Config().BaseURL != "" {
		base := strings.TrimSuffix(s.Config().BaseURL, "/")
		if strings.HasPrefix(ref, "?") {
			ref = base + ref
		} else {
			ref = base + ref
		}
		remote = true
	}
	if !remote {
		return os.ReadFile(ref)
	}
	res, err := s.Do(ctx, service.Request{Operation: "wsdl", Idempotent: true, New: func(ctx context.Context) (*http.Request, error) {
		return http.NewRequestWithContext(ctx, http.MethodGet, ref, nil)
	}})
	if err != nil {
		return nil, fmt.Errorf("fetch the WSDL: %w", err)
	}
	return res.Body, nil
}

type client struct {
	s        *service.Service
	w        *wsdl
	endpoint string
	opts     Options
}

func (c *client) Operations() []service.OperationInfo {
	var out []service.OperationInfo
	for _, name := range slices.Sorted(maps.Keys(c.w.ops)) {
		op := c.w.ops[name]
		var params []string
		if op.in != nil {
			for _, ch := range op.in.children {
				params = append(params, ch.name)
			}
		}
		out = append(out, service.OperationInfo{Name: name, Method: "SOAP " + c.w.version, Path: op.action, Params: params})
	}
	return out
}

// Operation plans an operation for inputs of type in — a struct encoded
// with encoding/xml as the operation's input element (its XMLName, if
// any, is replaced), or a map[string]any of the element's children — and
// outputs of type out — a struct decoded from the output element, or a
// *map[string]any.
func (c *client) Operation(name string, in, out reflect.Type) (service.Invoker, error) {
	op, ok := c.w.ops[name]
	if !ok {
		return nil, fmt.Errorf("no operation %q", name)
	}
	if in != nil && op.in != nil {
		if err := checkStruct(in, op.in); err != nil {
			return nil, err
		}
	}
	return func(ctx context.Context, v, dst any) error { return c.call(ctx, op, v, dst) }, nil
}

// checkStruct reports the fields of a struct input that are no child of
// the element, and the required children without a field.
func checkStruct(t reflect.Type, el *element) error {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	has := map[string]bool{}
	var errs []error
	var names []string
	for _, ch := range el.children {
		names = append(names, ch.name)
	}
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() || f.Anonymous || f.Name == "XMLName" {
			continue
		}
		tag := f.Tag.Get("xml")
		if tag == "-" || strings.Contains(tag, ",attr") || strings.Contains(tag, ",chardata") || strings.Contains(tag, ",innerxml") {
			continue
		}
		n, _, _ := strings.Cut(tag, ",")
		if i := strings.LastIndexByte(n, ' '); i >= 0 {
			n = n[i+1:]
		}
		if n == "" {
			n = f.Name
		}
		has[n] = true
		if !slices.Contains(names, n) {
			errs = append(errs, fmt.Errorf("the input %s has a field %s (element %q) that is no child of %s (its children: %s)", t, f.Name, n, el.local, strings.Join(names, ", ")))
		}
	}
	for _, ch := range el.children {
		if ch.required && !has[ch.name] {
			errs = append(errs, fmt.Errorf("the input %s has no field for the required element %q of %s", t, ch.name, el.local))
		}
	}
	return errors.Join(errs...)
}

func (c *client) invalid(op *operation, err error) error {
	return &service.Error{Service: c.s.Name(), Operation: op.name, Kind: service.KindInvalid, Err: err}
}

func (c *client) call(ctx context.Context, op *operation, v, dst any) error {
	var payload bytes.Buffer
	if err := encodeInput(&payload, op.in, v); err != nil {
		return c.invalid(op, err)
	}
	env := c.envelope(payload.Bytes())
	ct := "text/xml; charset=utf-8"
	if c.w.version == "1.2" {
		ct = mime.FormatMediaType("application/soap+xml", map[string]string{"charset": "utf-8", "action": op.action})
	}
	res, err := c.s.Do(ctx, service.Request{
		Operation:  op.name,
		Idempotent: slices.Contains(c.opts.Retry, op.name),
		New: func(ctx context.Context) (*http.Request, error) {
			r, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(env))
			if err != nil {
				return nil, err
			}
			r.Header.Set("Content-Type", ct)
			if c.w.version == "1.1" {
				r.Header.Set("SOAPAction", `"`+op.action+`"`)
			}
			return r, nil
		},
		// A fault comes with 500 (SOAP 1.1) or 400/500 (SOAP 1.2).
		Accept: func(status int) bool { return status/100 == 2 || status == 500 || status == 400 },
	})
	if err != nil {
		return err
	}
	if err := c.decode(op, res, dst); err != nil {
		var f *Fault
		kind := service.KindBadResponse
		if errors.As(err, &f) {
			kind = service.KindFault
		} else if res.Status/100 != 2 {
			kind = service.KindStatus
		}
		return &service.Error{Service: c.s.Name(), Operation: op.name, Kind: kind, Status: res.Status, Body: res.Body, Err: err}
	}
	return nil
}

// envelope wraps the payload in the version's envelope, with a
// WS-Security header when a username is configured.
func (c *client) envelope(payload []byte) []byte {
	ns := nsEnv11
	if c.w.version == "1.2" {
		ns = nsEnv12
	}
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="` + ns + `">`)
	if c.opts.Username != "" {
		b.WriteString("<soap:Header>")
		c.security(&b)
		b.WriteString("</soap:Header>")
	}
	b.WriteString("<soap:Body>")
	b.Write(payload)
	b.WriteString("</soap:Body></soap:Envelope>")
	return b.Bytes()
}

const (
	nsWSSE       = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
	nsWSU        = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
	passwordText = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText"
	passwordDig  = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest"
	base64Binary = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"
)

// security writes a WS-Security UsernameToken (OASIS Username Token
// Profile 1.0): the password as text, or as Base64(SHA-1(nonce +
// created + password)) with its nonce and creation time.
func (c *client) security(b *bytes.Buffer) {
	b.WriteString(`<wsse:Security xmlns:wsse="` + nsWSSE + `" xmlns:wsu="` + nsWSU + `" soap:mustUnderstand="1"><wsse:UsernameToken>`)
	b.WriteString("<wsse:Username>")
	xml.EscapeText(b, []byte(c.opts.Username))
	b.WriteString("</wsse:Username>")
	if !c.opts.PasswordDigest {
		b.WriteString(`<wsse:Password Type="` + passwordText + `">`)
		xml.EscapeText(b, []byte(c.opts.Password))
		b.WriteString("</wsse:Password></wsse:UsernameToken></wsse:Security>")
		return
	}
	nonce := make([]byte, 16)
	rand.Read(nonce)
	created := time.Now().UTC().Format("2006-01-02T15:04:05.000Z")
	h := sha1.New()
	h.Write(nonce)
	h.Write([]byte(created))
	h.Write([]byte(c.opts.Password))
	b.WriteString(`<wsse:Password Type="` + passwordDig + `">` + base64.StdEncoding.EncodeToString(h.Sum(nil)) + "</wsse:Password>")
	b.WriteString(`<wsse:Nonce EncodingType="` + base64Binary + `">` + base64.StdEncoding.EncodeToString(nonce) + "</wsse:Nonce>")
	b.WriteString("<wsu:Created>" + created + "</wsu:Created></wsse:UsernameToken></wsse:Security>")
}

// encodeInput writes the operation's input element from a struct or a
// map.
func encodeInput(w io.Writer, el *element, v any) error {
	if el == nil {
		return nil
	}
	if m, ok := v.(map[string]any); ok || v == nil {
		return encodeMap(w, el, m)
	}
	enc := xml.NewEncoder(w)
	start := xml.StartElement{Name: xml.Name{Local: el.local}}
	if el.space != "" {
		start.Attr = []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: el.space}}
	}
	if err := enc.EncodeElement(v, start); err != nil {
		return fmt.Errorf("encode %s: %w", el.local, err)
	}
	return enc.Flush()
}

// encodeMap writes the element's children in the schema's order; a key
// that is no child, or a required child without a key, is an error.
func encodeMap(w io.Writer, el *element, m map[string]any) error {
	var names []string
	for _, ch := range el.children {
		names = append(names, ch.name)
	}
	for k := range m {
		if !slices.Contains(names, k) {
			return fmt.Errorf("%q is no child of %s (its children: %s)", k, el.local, strings.Join(names, ", "))
		}
	}
	var b bytes.Buffer
	b.WriteString("<" + el.local)
	if el.space != "" {
		b.WriteString(` xmlns="`)
		xml.EscapeText(&b, []byte(el.space))
		b.WriteString(`"`)
	}
	b.WriteString(">")
	for _, ch := range el.children {
		v, ok := m[ch.name]
		if !ok || v == nil {
			if ch.required {
				return fmt.Errorf("the required element %q of %s is not set", ch.name, el.local)
			}
			continue
		}
		writeValue(&b, ch.name, v, el.qualified || el.space == "")
	}
	b.WriteString("</" + el.local + ">")
	_, err := w.Write(b.Bytes())
	return err
}

func writeValue(b *bytes.Buffer, name string, v any, qualified bool) {
	open := "<" + name + ">"
	if !qualified {
		open = "<" + name + ` xmlns="">`
	}
	switch x := v.(type) {
	case map[string]any:
		b.WriteString(open)
		for _, k := range slices.Sorted(maps.Keys(x)) {
			writeValue(b, k, x[k], true)
		}
		b.WriteString("</" + name + ">")
		return
	case []any:
		for _, e := range x {
			writeValue(b, name, e, qualified)
		}
		return
	}
	b.WriteString(open)
	xml.EscapeText(b, []byte(service.Text(v)))
	b.WriteString("</" + name + ">")
}
