// Package standin is a small SOAP calculator service — the shape of the
// public calculator LoopBack's soap-calculator example calls
// (http://www.dneonline.com/calculator.asmx): Add, Subtract, Multiply and
// Divide of two integers, over SOAP 1.1 and 1.2, document/literal, its
// WSDL at ?wsdl. Nothing outside the machine is reachable from the
// example's tests, so they, and its README, start this stand-in instead.
//
// Division by zero answers a SOAP fault, as the public service does.
package standin

import (
	"bytes"
	_ "embed"
	"encoding/xml"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"
)

//go:embed calculator.wsdl
var wsdl []byte

// WSDL returns the service's WSDL with address as its ports' location.
func WSDL(address string) []byte {
	return bytes.ReplaceAll(wsdl, []byte("{{ADDRESS}}"), []byte(address))
}

// Handler serves the calculator at any path: GET with a query of "wsdl"
// gives the WSDL (located at the request's URL), POST a SOAP 1.1
// (text/xml) or 1.2 (application/soap+xml) request.
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.EqualFold(r.URL.RawQuery, "wsdl") {
			w.Header().Set("Content-Type", "text/xml; charset=utf-8")
			w.Write(WSDL("http://" + r.Host + r.URL.Path))
			return
		}
		if r.Method != http.MethodPost {
			http.Error(w, "POST a SOAP request, or GET ?wsdl", http.StatusMethodNotAllowed)
			return
		}
		mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		v12 := mt == "application/soap+xml"
		if !v12 && mt != "text/xml" {
			http.Error(w, "unsupported media type", http.StatusUnsupportedMediaType)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			return
		}
		var env struct {
			Body struct {
				Op struct {
					XMLName xml.Name
					IntA    *int `xml:"intA"`
					IntB    *int `xml:"intB"`
				} `xml:",any"`
			} `xml:"Body"`
		}
		if err := xml.Unmarshal(body, &env); err != nil {
			fault(w, v12, "Client", "Server was unable to read request. ---> "+err.Error())
			return
		}
		op := env.Body.Op
		if op.IntA == nil || op.IntB == nil {
			fault(w, v12, "Client", "intA and intB are required")
			return
		}
		a, b := *op.IntA, *op.IntB
		var res int
		switch op.XMLName.Local {
		case "Add":
			res = a + b
		case "Subtract":
			res = a - b
		case "Multiply":
			res = a * b
		case "Divide":
			if b == 0 {
				fault(w, v12, "Server", "System.Web.Services.Protocols.SoapException: Server was unable to process request. ---> System.DivideByZeroException: Attempted to divide by zero.")
				return
			}
			res = a / b
		default:
			fault(w, v12, "Client", "Unknown operation "+op.XMLName.Local)
			return
		}
		reply(w, v12, fmt.Sprintf(`<%[1]sResponse xmlns="http://tempuri.org/"><%[1]sResult>%[2]d</%[1]sResult></%[1]sResponse>`, op.XMLName.Local, res))
	})
}

func envelope(v12 bool, body string) string {
	ns := "http://schemas.xmlsoap.org/soap/envelope/"
	if v12 {
		ns = "http://www.w3.org/2003/05/soap-envelope"
	}
	return `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="` + ns + `"><soap:Body>` + body + `</soap:Body></soap:Envelope>`
}

func contentType(v12 bool) string {
	if v12 {
		return "application/soap+xml; charset=utf-8"
	}
	return "text/xml; charset=utf-8"
}

func reply(w http.ResponseWriter, v12 bool, body string) {
	w.Header().Set("Content-Type", contentType(v12))
	io.WriteString(w, envelope(v12, body))
}

func fault(w http.ResponseWriter, v12 bool, code, reason string) {
	var b strings.Builder
	xml.EscapeText(&b, []byte(reason))
	var f string
	if v12 {
		c := map[string]string{"Client": "Sender", "Server": "Receiver"}[code]
		f = `<soap:Fault><soap:Code><soap:Value>soap:` + c + `</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang="en">` + b.String() + `</soap:Text></soap:Reason><soap:Detail/></soap:Fault>`
	} else {
		f = `<soap:Fault><faultcode>soap:` + code + `</faultcode><faultstring>` + b.String() + `</faultstring><detail/></soap:Fault>`
	}
	w.Header().Set("Content-Type", contentType(v12))
	w.WriteHeader(http.StatusInternalServerError)
	io.WriteString(w, envelope(v12, f))
}

// Start serves the calculator on 127.0.0.1 at /calculator.asmx; its
// WSDL is at URL()+"?wsdl". Close it when done.
func Start() *Server {
	mux := http.NewServeMux()
	mux.Handle("/calculator.asmx", Handler())
	return &Server{httptest.NewServer(mux)}
}

// Server is a running stand-in.
type Server struct {
	*httptest.Server
}

// Endpoint is the service's address: <url>/calculator.asmx.
func (s *Server) Endpoint() string { return s.URL + "/calculator.asmx" }
