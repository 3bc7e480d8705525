package soap_test

import (
	"context"
	"crypto/sha1"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.uber.org/goleak"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/backplanetest"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/service"
	"github.com/backplane-dev/backplane/components/service/servicetest"
	"github.com/backplane-dev/backplane/components/service/soap"
	"github.com/backplane-dev/backplane/kernel"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const env11 = `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>%s</soap:Body></soap:Envelope>`
const env12 = `<?xml version="1.0"?><env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body>%s</env:Body></env:Envelope>`

type Operands struct {
	IntA int `xml:"intA"`
	IntB int `xml:"intB"`
}

type AddResponse struct {
	AddResult int `xml:"AddResult"`
}

type Calc struct {
	Add service.Op[Operands, AddResponse] `op:"Add"`
}

var calcKey = kernel.NewKey[*Calc]("services.Calc")

// calculator is a stub SOAP service: it checks the request's envelope
// and answers Add with the sum of two fixed operands.
func calculator(t *testing.T, version string, check func(r *http.Request, body string)) *servicetest.Server {
	stub := servicetest.New(t)
	stub.Handle("POST", "/calc", func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 1<<16)
		n, _ := r.Body.Read(b)
		body := string(b[:n])
		if check != nil {
			check(r, body)
		}
		ct, env := "text/xml; charset=utf-8", env11
		if version == "1.2" {
			ct, env = "application/soap+xml; charset=utf-8", env12
		}
		w.Header().Set("Content-Type", ct)
		if strings.Contains(body, "<intB>0</intB>") {
			w.WriteHeader(500)
			if version == "1.2" {
				w.Write([]byte(strings.Replace(env, "%s", `<env:Fault><env:Code><env:Value>env:Receiver</env:Value><env:Subcode><env:Value>m:DivByZero</env:Value></env:Subcode></env:Code><env:Reason><env:Text xml:lang="en">Attempted to divide by zero.</env:Text></env:Reason><env:Detail><m:trace xmlns:m="urn:m">x</m:trace></env:Detail></env:Fault>`, 1)))
			} else {
				w.Write([]byte(strings.Replace(env, "%s", `<soap:Fault><faultcode>soap:Server</faultcode><faultstring>Attempted to divide by zero.</faultstring><detail><trace>x</trace></detail></soap:Fault>`, 1)))
			}
			return
		}
		w.Write([]byte(strings.Replace(env, "%s", `<AddResponse xmlns="http://tempuri.org/"><AddResult>55</AddResult></AddResponse>`, 1)))
	})
	return stub
}

var wantEnvelope = regexp.MustCompile(`<soap:Body><Add xmlns="http://tempuri.org/"><intA>50</intA><intB>(5|0)</intB></Add></soap:Body>`)

// TestFromConfiguration declares the service in a YAML file, the WSDL a
// file, and calls it through a facade and by name with maps, over both
// versions.
func TestFromConfiguration(t *testing.T) {
	for _, version := range []string{"1.1", "1.2"} {
		t.Run(version, func(t *testing.T) {
			stub := calculator(t, version, func(r *http.Request, body string) {
				if !wantEnvelope.MatchString(body) {
					t.Errorf("envelope %s", body)
				}
				ct := r.Header.Get("Content-Type")
				switch version {
				case "1.1":
					if r.Header.Get("SOAPAction") != `"http://tempuri.org/Add"` || !strings.HasPrefix(ct, "text/xml") {
						t.Errorf("SOAP 1.1 headers: %q %q", r.Header.Get("SOAPAction"), ct)
					}
				case "1.2":
					if !strings.HasPrefix(ct, "application/soap+xml") || !strings.Contains(ct, `action="http://tempuri.org/Add"`) {
						t.Errorf("SOAP 1.2 content type %q", ct)
					}
				}
			})
			file := filepath.Join(t.TempDir(), "app.yaml")
			os.WriteFile(file, []byte("services:\n  calc:\n    connector: soap\n    wsdl: testdata/calculator.wsdl\n    version: \""+version+"\"\n    baseURL: "+stub.URL+"/calc\n"), 0o600)
			app := backplane.New("c", backplane.WithLogger(slog.New(slog.DiscardHandler)),
				config.Component(config.WithFiles(file)), service.Declare("calc"),
				service.Provide(calcKey, "calc", service.Facade[Calc]))
			backplanetest.Start(t, app)
			calc := backplanetest.Resolve(t, app, calcKey)
			got, err := calc.Add.Call(context.Background(), Operands{50, 5})
			if err != nil || got.AddResult != 55 {
				t.Fatalf("Add: %+v %v", got, err)
			}
			svc := backplanetest.Resolve(t, app, service.Key("calc"))
			var m map[string]any
			if err := svc.Call(context.Background(), "Add", map[string]any{"intB": 5, "intA": 50}, &m); err != nil || m["AddResult"] != "55" {
				t.Fatalf("Add with maps: %v %v", m, err)
			}
			_, err = calc.Add.Call(context.Background(), Operands{50, 0})
			var f *soap.Fault
			if !service.IsKind(err, service.KindFault) || !errors.As(err, &f) || f.String != "Attempted to divide by zero." {
				t.Fatalf("fault: %v", err)
			}
			var se *service.Error
			errors.As(err, &se)
			if se.StatusCode() != 502 || se.ErrorCode() != service.CodeFault {
				t.Errorf("fault reaches clients as %d %s", se.StatusCode(), se.ErrorCode())
			}
			if version == "1.2" && (f.Code != "env:Receiver" || f.Subcode != "m:DivByZero" || !strings.Contains(f.Detail, "trace")) {
				t.Errorf("SOAP 1.2 fault %+v", f)
			}
			if version == "1.1" && (f.Code != "soap:Server" || !strings.Contains(f.Detail, "<trace>x</trace>")) {
				t.Errorf("SOAP 1.1 fault %+v", f)
			}
			ops := svc.Operations()
			if len(ops) != 4 || ops[0].Name != "Add" || strings.Join(ops[0].Params, ",") != "intA,intB" {
				t.Errorf("operations %+v", ops)
			}
		})
	}
}

// TestWSSecurity: a UsernameToken with the password as text, or as a
// digest that the service can check.
func TestWSSecurity(t *testing.T) {
	wsdl, _ := os.ReadFile("testdata/calculator.wsdl")
	type token struct {
		Username string `xml:"Header>Security>UsernameToken>Username"`
		Password struct {
			Type  string `xml:"Type,attr"`
			Value string `xml:",chardata"`
		} `xml:"Header>Security>UsernameToken>Password"`
		Nonce   string `xml:"Header>Security>UsernameToken>Nonce"`
		Created string `xml:"Header>Security>UsernameToken>Created"`
	}
	for _, digest := range []bool{false, true} {
		var got token
		stub := calculator(t, "1.1", func(r *http.Request, body string) { xml.Unmarshal([]byte(body), &got) })
		cfg := service.DefaultConfig()
		cfg.Connector, cfg.BaseURL = "soap", stub.URL+"/calc"
		cfg.Options = soap.Options{Username: "ann", Password: "s3cret&<", PasswordDigest: digest}
		s, err := service.Open(context.Background(), "calc", withWSDL(cfg, wsdl))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Call(context.Background(), "Add", map[string]any{"intA": 50, "intB": 5}, nil); err != nil {
			t.Fatal(err)
		}
		s.Stop(context.Background())
		if got.Username != "ann" {
			t.Fatalf("username %q", got.Username)
		}
		if !digest && (got.Password.Value != "s3cret&<" || !strings.HasSuffix(got.Password.Type, "#PasswordText")) {
			t.Errorf("text password %+v", got.Password)
		}
		if digest {
			nonce, _ := base64.StdEncoding.DecodeString(got.Nonce)
			h := sha1.Sum(append(append(nonce, got.Created...), "s3cret&<"...))
			if got.Password.Value != base64.StdEncoding.EncodeToString(h[:]) || !strings.HasSuffix(got.Password.Type, "#PasswordDigest") {
				t.Errorf("digest %+v does not check", got)
			}
		}
	}
}

func withWSDL(cfg service.Config, wsdl []byte) service.Config {
	soap.WSDLBytes(wsdl)(&cfg)
	return cfg
}

// TestUnsupportedWSDL: constructs outside document/literal fail the
// start, naming the construct.
func TestUnsupportedWSDL(t *testing.T) {
	wsdl, _ := os.ReadFile("testdata/calculator.wsdl")
	w := string(wsdl)
	for name, tc := range map[string]struct{ from, to, want string }{
		"rpc":       {`soapAction="http://tempuri.org/Add" style="document"`, `soapAction="http://tempuri.org/Add" style="rpc"`, `operation Add: style "rpc" is not supported`},
		"encoded":   {`<wsdl:operation name="Add"><soap:operation soapAction="http://tempuri.org/Add" style="document"/><wsdl:input><soap:body use="literal"/>`, `<wsdl:operation name="Add"><soap:operation soapAction="http://tempuri.org/Add" style="document"/><wsdl:input><soap:body use="encoded"/>`, `use "encoded" is not supported`},
		"header":    {`<wsdl:input><soap:body use="literal"/></wsdl:input>`, `<wsdl:input><soap:body use="literal"/><soap:header message="tns:H" part="h" use="literal"/></wsdl:input>`, `soap:header is not supported`},
		"two parts": {`<wsdl:part name="parameters" element="tns:Add"/>`, `<wsdl:part name="a" element="tns:Add"/><wsdl:part name="b" element="tns:Add"/>`, `message AddSoapIn has 2 parts`},
		"type part": {`<wsdl:part name="parameters" element="tns:Add"/>`, `<wsdl:part name="parameters" type="s:int"/>`, `a part of type "s:int" is not supported`},
		"import":    {`<wsdl:types>`, `<wsdl:import namespace="urn:x" location="other.wsdl"/><wsdl:types>`, `wsdl:import is not supported`},
		"choice":    {`<s:element name="Add"><s:complexType><s:sequence>`, `<s:element name="Add"><s:complexType><s:choice>`, `xs:choice is not supported`},
		"no soap":   {`<soap:address`, `<http:address xmlns:http="http://schemas.xmlsoap.org/wsdl/http/"`, ``},
		"garbage":   {`<?xml`, `<<?xml`, `not a WSDL 1.1 document`},
	} {
		t.Run(name, func(t *testing.T) {
			doc := strings.Replace(w, tc.from, tc.to, 1)
			if name == "choice" {
				doc = strings.Replace(doc, `</s:sequence></s:complexType></s:element>
      <s:element name="AddResponse">`, `</s:choice></s:complexType></s:element>
      <s:element name="AddResponse">`, 1)
			}
			if name == "no soap" {
				doc = strings.ReplaceAll(doc, "<soap:address", `<http:address xmlns:http="http://schemas.xmlsoap.org/wsdl/http/"`)
				doc = strings.ReplaceAll(doc, "<soap12:address", `<http:address xmlns:http="http://schemas.xmlsoap.org/wsdl/http/"`)
				tc.want = "the WSDL has no SOAP 1.1 or 1.2 port"
			}
			cfg := service.DefaultConfig()
			cfg.Connector = "soap"
			_, err := service.Open(context.Background(), "calc", withWSDL(cfg, []byte(doc)))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%v, want %q", err, tc.want)
			}
		})
	}
}

// TestMisbehavingSOAPService: answers that are not SOAP are clear
// errors, never panics.
func TestMisbehavingSOAPService(t *testing.T) {
	wsdl, _ := os.ReadFile("testdata/calculator.wsdl")
	for name, tc := range map[string]struct {
		status int
		ct     string
		body   string
		kind   service.Kind
	}{
		"invalid XML":        {200, "text/xml", `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><AddResponse>`, service.KindBadResponse},
		"wrong content type": {200, "text/html", `<html>maintenance</html>`, service.KindBadResponse},
		"not an envelope":    {200, "text/xml", `<AddResponse><AddResult>1</AddResult></AddResponse>`, service.KindBadResponse},
		"500 without fault":  {500, "text/xml", `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><AddResponse/></soap:Body></soap:Envelope>`, service.KindStatus},
		"wrong element":      {200, "text/xml", `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><Other/></soap:Body></soap:Envelope>`, service.KindBadResponse},
		"deep nesting":       {200, "text/xml", `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><AddResponse>` + strings.Repeat("<a>", 10000) + `</soap:Body></soap:Envelope>`, service.KindBadResponse},
	} {
		t.Run(name, func(t *testing.T) {
			stub := servicetest.New(t)
			stub.Reply("POST", "/calc", tc.status, tc.ct, []byte(tc.body))
			cfg := service.DefaultConfig()
			cfg.Connector, cfg.BaseURL = "soap", stub.URL+"/calc"
			s, err := service.Open(context.Background(), "calc", withWSDL(cfg, wsdl))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Stop(context.Background())
			var m map[string]any
			err = s.Call(context.Background(), "Add", map[string]any{"intA": 1, "intB": 2}, &m)
			if !service.IsKind(err, tc.kind) {
				t.Errorf("%v, want %s", err, tc.kind)
			}
		})
	}
}

// TestFacadeMismatch: a struct whose fields are not the element's
// children fails the start.
func TestFacadeMismatch(t *testing.T) {
	wsdl, _ := os.ReadFile("testdata/calculator.wsdl")
	type wrong struct {
		Add service.Op[struct {
			IntA  int `xml:"intA"`
			Third int `xml:"third"`
		}, AddResponse] `op:"Add"`
		Sum service.Op[Operands, AddResponse] `op:"Sum"`
	}
	app := backplane.New("c", backplane.WithLogger(slog.New(slog.DiscardHandler)),
		service.Declare("calc", service.WithConnector("soap"), service.WithBaseURL("http://127.0.0.1:1/calc"), soap.WSDLBytes(wsdl)),
		service.Provide(kernel.NewKey[*wrong]("services.Wrong"), "calc", service.Facade[wrong]))
	err := app.Start(context.Background())
	defer app.Stop(context.Background())
	for _, want := range []string{`field Third (element "third") that is no child of Add (its children: intA, intB)`, `no field for the required element "intB" of Add`, `no operation "Sum"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v, want %q", err, want)
		}
	}
}
