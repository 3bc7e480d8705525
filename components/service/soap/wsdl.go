package soap

import (
	"encoding/xml"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Namespaces of the WSDL 1.1 SOAP bindings and of the envelopes.
const (
	nsWSDLSOAP11 = "http://schemas.xmlsoap.org/wsdl/soap/"
	nsWSDLSOAP12 = "http://schemas.xmlsoap.org/wsdl/soap12/"
	nsEnv11      = "http://schemas.xmlsoap.org/soap/envelope/"
	nsEnv12      = "http://www.w3.org/2003/05/soap-envelope"
)

// The parts of a WSDL 1.1 document the connector reads; element names
// match whatever their prefix.
type wDefinitions struct {
	XMLName         xml.Name `xml:"definitions"`
	TargetNamespace string   `xml:"targetNamespace,attr"`
	Imports         []wAny   `xml:"import"`
	Types           struct {
		Schemas []xSchema `xml:"schema"`
	} `xml:"types"`
	Messages  []wMessage  `xml:"message"`
	PortTypes []wPortType `xml:"portType"`
	Bindings  []wBinding  `xml:"binding"`
	Services  []wService  `xml:"service"`
}

type wAny struct {
	XMLName xml.Name
}

type wMessage struct {
	Name  string `xml:"name,attr"`
	Parts []struct {
		Name    string `xml:"name,attr"`
		Element string `xml:"element,attr"`
		Type    string `xml:"type,attr"`
	} `xml:"part"`
}

type wPortType struct {
	Name string `xml:"name,attr"`
	Ops  []struct {
		Name   string `xml:"name,attr"`
		Input  wIO    `xml:"input"`
		Output wIO    `xml:"output"`
	} `xml:"operation"`
}

type wIO struct {
	Message string `xml:"message,attr"`
}

type wBinding struct {
	Name  string       `xml:"name,attr"`
	Type  string       `xml:"type,attr"`
	Proto []wProtocol  `xml:"binding"`
	Ops   []wBindingOp `xml:"operation"`
}

type wProtocol struct {
	XMLName   xml.Name
	Style     string `xml:"style,attr"`
	Transport string `xml:"transport,attr"`
}

type wBindingOp struct {
	Name   string       `xml:"name,attr"`
	Soap   []wSoapOp    `xml:"operation"`
	Input  wBindingBody `xml:"input"`
	Output wBindingBody `xml:"output"`
}

type wSoapOp struct {
	XMLName    xml.Name
	SoapAction string `xml:"soapAction,attr"`
	Style      string `xml:"style,attr"`
}

type wBindingBody struct {
	Body []struct {
		Use   string `xml:"use,attr"`
		Parts string `xml:"parts,attr"`
	} `xml:"body"`
	Headers []wAny `xml:"header"`
}

type wService struct {
	Name  string `xml:"name,attr"`
	Ports []struct {
		Name    string `xml:"name,attr"`
		Binding string `xml:"binding,attr"`
		Address []struct {
			XMLName  xml.Name
			Location string `xml:"location,attr"`
		} `xml:"address"`
	} `xml:"port"`
}

// The XML Schema the connector reads: global elements and named complex
// types whose content is a sequence (or all) of elements.
type xSchema struct {
	TargetNamespace    string         `xml:"targetNamespace,attr"`
	ElementFormDefault string         `xml:"elementFormDefault,attr"`
	Imports            []wAny         `xml:"import"`
	Includes           []wAny         `xml:"include"`
	Elements           []xElement     `xml:"element"`
	ComplexTypes       []xComplexType `xml:"complexType"`
}

type xElement struct {
	Name        string        `xml:"name,attr"`
	Type        string        `xml:"type,attr"`
	Ref         string        `xml:"ref,attr"`
	MinOccurs   string        `xml:"minOccurs,attr"`
	MaxOccurs   string        `xml:"maxOccurs,attr"`
	ComplexType *xComplexType `xml:"complexType"`
}

type xComplexType struct {
	Name     string  `xml:"name,attr"`
	Sequence *xGroup `xml:"sequence"`
	All      *xGroup `xml:"all"`
	Choice   *xGroup `xml:"choice"`
	Content  []wAny  `xml:"complexContent"`
	Simple   []wAny  `xml:"simpleContent"`
}

type xGroup struct {
	Elements []xElement `xml:"element"`
	Any      []wAny     `xml:"any"`
}

// Element is a message's element: its qualified name and children.
type element struct {
	space, local string
	qualified    bool // children are in the element's namespace
	children     []child
}

type child struct {
	name     string
	required bool
	many     bool
	typ      string
}

// wsdl is a parsed document: its operations on the chosen port.
type wsdl struct {
	version  string // "1.1" or "1.2"
	endpoint string
	ops      map[string]*operation
}

type operation struct {
	name    string
	action  string
	in, out *element
}

func local(qname string) string {
	if i := strings.LastIndexByte(qname, ':'); i >= 0 {
		return qname[i+1:]
	}
	return qname
}

// parseWSDL reads a WSDL 1.1 document and the operations of the port
// chosen: the SOAP version asked ("" prefers 1.1) and the port named
// (the first when ""). A construct outside document/literal SOAP — rpc
// style, encoded use, SOAP headers, messages of several parts or of a
// type, imports — is an error naming it and where.
func parseWSDL(data []byte, version, portName string) (*wsdl, error) {
	var d wDefinitions
	if err := xml.Unmarshal(data, &d); err != nil {
		return nil, fmt.Errorf("not a WSDL 1.1 document: %w", err)
	}
	if len(d.Imports) > 0 {
		return nil, errors.New("wsdl:import is not supported: inline the imported document")
	}
	types := newTypes(d.Types.Schemas)
	if err := types.err; err != nil {
		return nil, err
	}
	type candidate struct {
		port, binding, version, location string
	}
	var cands []candidate
	for _, s := range d.Services {
		for _, p := range s.Ports {
			for _, a := range p.Address {
				switch a.XMLName.Space {
				case nsWSDLSOAP11:
					cands = append(cands, candidate{p.Name, local(p.Binding), "1.1", a.Location})
				case nsWSDLSOAP12:
					cands = append(cands, candidate{p.Name, local(p.Binding), "1.2", a.Location})
				}
			}
		}
	}
	var names []string
	for _, c := range cands {
		names = append(names, c.port+" (SOAP "+c.version+")")
	}
	idx := slices.IndexFunc(cands, func(c candidate) bool {
		return (portName == "" || c.port == portName) && (version == "" || c.version == version)
	})
	if version == "" && portName == "" {
		if i := slices.IndexFunc(cands, func(c candidate) bool { return c.version == "1.1" }); i >= 0 {
			idx = i
		}
	}
	if idx < 0 {
		if len(cands) == 0 {
			return nil, errors.New("the WSDL has no SOAP 1.1 or 1.2 port (wsdl:service/wsdl:port with a soap:address)")
		}
		return nil, fmt.Errorf("no SOAP port matches port %q and version %q (ports: %s)", portName, version, strings.Join(names, ", "))
	}
	c := cands[idx]
	bi := slices.IndexFunc(d.Bindings, func(b wBinding) bool { return b.Name == c.binding })
	if bi < 0 {
		return nil, fmt.Errorf("port %s: binding %q is not in the WSDL", c.port, c.binding)
	}
	b := d.Bindings[bi]
	style := "document"
	for _, p := range b.Proto {
		if p.Style != "" {
			style = p.Style
		}
	}
	pt := slices.IndexFunc(d.PortTypes, func(p wPortType) bool { return p.Name == local(b.Type) })
	if pt < 0 {
		return nil, fmt.Errorf("binding %s: portType %q is not in the WSDL", b.Name, b.Type)
	}
	msg := func(name string) (*wMessage, bool) {
		i := slices.IndexFunc(d.Messages, func(m wMessage) bool { return m.Name == local(name) })
		if i < 0 {
			return nil, false
		}
		return &d.Messages[i], true
	}
	w := &wsdl{version: c.version, endpoint: c.location, ops: map[string]*operation{}}
	var errs []error
	for _, bo := range b.Ops {
		where := fmt.Sprintf("binding %s operation %s", b.Name, bo.Name)
		o := &operation{name: bo.Name}
		opStyle := style
		for _, so := range bo.Soap {
			o.action = so.SoapAction
			if so.Style != "" {
				opStyle = so.Style
			}
		}
		if opStyle != "document" {
			errs = append(errs, fmt.Errorf("%s: style %q is not supported (document/literal only)", where, opStyle))
			continue
		}
		for _, io := range []wBindingBody{bo.Input, bo.Output} {
			for _, body := range io.Body {
				if body.Use != "" && body.Use != "literal" {
					errs = append(errs, fmt.Errorf("%s: use %q is not supported (document/literal only)", where, body.Use))
				}
			}
			if len(io.Headers) > 0 {
				errs = append(errs, fmt.Errorf("%s: soap:header is not supported", where))
			}
		}
		pi := slices.IndexFunc(d.PortTypes[pt].Ops, func(x struct {
			Name   string `xml:"name,attr"`
			Input  wIO    `xml:"input"`
			Output wIO    `xml:"output"`
		}) bool {
			return x.Name == bo.Name
		})
		if pi < 0 {
			errs = append(errs, fmt.Errorf("%s: not in portType %s", where, d.PortTypes[pt].Name))
			continue
		}
		pto := d.PortTypes[pt].Ops[pi]
		for i, io := range []wIO{pto.Input, pto.Output} {
			if io.Message == "" {
				if i == 0 {
					errs = append(errs, fmt.Errorf("%s: no input message", where))
				}
				continue // one-way
			}
			m, ok := msg(io.Message)
			if !ok {
				errs = append(errs, fmt.Errorf("%s: message %q is not in the WSDL", where, io.Message))
				continue
			}
			if len(m.Parts) != 1 {
				errs = append(errs, fmt.Errorf("%s: message %s has %d parts: only messages of one element part (document/literal wrapped) are supported", where, m.Name, len(m.Parts)))
				continue
			}
			if m.Parts[0].Element == "" {
				errs = append(errs, fmt.Errorf("%s: message %s: a part of type %q is not supported (document/literal needs element=)", where, m.Name, m.Parts[0].Type))
				continue
			}
			el, err := types.element(m.Parts[0].Element)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: message %s: %w", where, m.Name, err))
				continue
			}
			if i == 0 {
				o.in = el
			} else {
				o.out = el
			}
		}
		w.ops[o.name] = o
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if len(w.ops) == 0 {
		return nil, fmt.Errorf("binding %s has no operations", b.Name)
	}
	return w, nil
}

// types indexes the schemas' global elements and named complex types.
type types struct {
	elements map[string]xElementIn
	complex  map[string]xComplexTypeIn
	err      error
}

type xElementIn struct {
	xElement
	ns        string
	qualified bool
}

type xComplexTypeIn struct {
	xComplexType
	ns string
}

func newTypes(schemas []xSchema) *types {
	t := &types{elements: map[string]xElementIn{}, complex: map[string]xComplexTypeIn{}}
	for _, s := range schemas {
		if len(s.Imports) > 0 || len(s.Includes) > 0 {
			t.err = fmt.Errorf("xs:import and xs:include are not supported in the WSDL's types (schema %s): inline the schemas", s.TargetNamespace)
			return t
		}
		for _, e := range s.Elements {
			t.elements[e.Name] = xElementIn{e, s.TargetNamespace, s.ElementFormDefault == "qualified"}
		}
		for _, c := range s.ComplexTypes {
			t.complex[c.Name] = xComplexTypeIn{c, s.TargetNamespace}
		}
	}
	return t
}

func (t *types) element(qname string) (*element, error) {
	e, ok := t.elements[local(qname)]
	if !ok {
		return nil, fmt.Errorf("element %q is not in the WSDL's types", qname)
	}
	out := &element{space: e.ns, local: e.Name, qualified: e.qualified}
	ct := e.ComplexType
	if ct == nil && e.Type != "" {
		c, ok := t.complex[local(e.Type)]
		if !ok {
			return nil, fmt.Errorf("element %s: type %q is not a complex type of the WSDL's types", e.Name, e.Type)
		}
		ct = &c.xComplexType
	}
	if ct == nil {
		return out, nil // an empty element
	}
	if len(ct.Content) > 0 || len(ct.Simple) > 0 {
		return nil, fmt.Errorf("element %s: complexContent and simpleContent are not supported", e.Name)
	}
	g := ct.Sequence
	if g == nil {
		g = ct.All
	}
	if g == nil && ct.Choice != nil {
		return nil, fmt.Errorf("element %s: xs:choice is not supported", e.Name)
	}
	if g == nil {
		return out, nil
	}
	if len(g.Any) > 0 {
		return nil, fmt.Errorf("element %s: xs:any is not supported", e.Name)
	}
	for _, c := range g.Elements {
		name := c.Name
		if c.Ref != "" {
			name = local(c.Ref)
		}
		out.children = append(out.children, child{name: name, required: c.MinOccurs != "0", many: c.MaxOccurs != "" && c.MaxOccurs != "1", typ: local(c.Type)})
	}
	return out, nil
}
