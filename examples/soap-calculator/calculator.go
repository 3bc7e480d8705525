package calculator

import (
	"context"
	"encoding/xml"
	"net/http"

	backplane "github.com/backplane-dev/backplane"
	"github.com/backplane-dev/backplane/components/config"
	"github.com/backplane-dev/backplane/components/health"
	"github.com/backplane-dev/backplane/components/logging"
	"github.com/backplane-dev/backplane/components/openapi"
	"github.com/backplane-dev/backplane/components/rest"
	"github.com/backplane-dev/backplane/components/service"
	"github.com/backplane-dev/backplane/components/service/soap"
	"github.com/backplane-dev/backplane/kernel"
)

// Operands are the input of every operation: LoopBack's
// CalculatorParameters.
type Operands struct {
	IntA int `xml:"intA"`
	IntB int `xml:"intB"`
}

// The answers, as the SOAP service gives them and the REST API returns
// them: {"AddResult": 55}.
type (
	AddResponse struct {
		XMLName   xml.Name `xml:"AddResponse" json:"-"`
		AddResult int      `xml:"AddResult" json:"AddResult"`
	}
	SubtractResponse struct {
		XMLName        xml.Name `xml:"SubtractResponse" json:"-"`
		SubtractResult int      `xml:"SubtractResult" json:"SubtractResult"`
	}
	MultiplyResponse struct {
		XMLName        xml.Name `xml:"MultiplyResponse" json:"-"`
		MultiplyResult int      `xml:"MultiplyResult" json:"MultiplyResult"`
	}
	DivideResponse struct {
		XMLName      xml.Name `xml:"DivideResponse" json:"-"`
		DivideResult int      `xml:"DivideResult" json:"DivideResult"`
	}
)

// CalculatorService is the typed facade of the SOAP service: LoopBack's
// CalculatorService proxy. Each field calls the WSDL operation of its
// `op` tag, checked against the WSDL when the application starts.
type CalculatorService struct {
	Add      service.Op[Operands, AddResponse]      `op:"Add"`
	Subtract service.Op[Operands, SubtractResponse] `op:"Subtract"`
	Multiply service.Op[Operands, MultiplyResponse] `op:"Multiply"`
	Divide   service.Op[Operands, DivideResponse]   `op:"Divide"`
}

// ServiceKey is the binding of the facade: LoopBack's
// services.CalculatorService.
var ServiceKey = kernel.NewKey[*CalculatorService]("services.CalculatorService")

// Controller is LoopBack's CalculatorController.
type Controller struct {
	Calc *CalculatorService `inject:"services.CalculatorService"`
}

// Params are the path's two integers.
type Params struct {
	IntA int `path:"intA" doc:"The first operand."`
	IntB int `path:"intB" doc:"The second operand."`
}

func (p *Params) operands() Operands { return Operands{IntA: p.IntA, IntB: p.IntB} }

// Routes declares GET /add, /subtract, /multiply and /divide.
func (c *Controller) Routes(r *rest.Router) {
	r = r.Group("", rest.Tags("calculator"))
	rest.Get(r, "/add/{intA}/{intB}", func(ctx context.Context, in *Params) (AddResponse, error) {
		return c.Calc.Add.Call(ctx, in.operands())
	}, rest.OperationID("add"), rest.Summary("Add two integers"))
	rest.Get(r, "/subtract/{intA}/{intB}", func(ctx context.Context, in *Params) (SubtractResponse, error) {
		return c.Calc.Subtract.Call(ctx, in.operands())
	}, rest.OperationID("subtract"), rest.Summary("Subtract the second integer from the first"))
	rest.Get(r, "/multiply/{intA}/{intB}", func(ctx context.Context, in *Params) (MultiplyResponse, error) {
		return c.Calc.Multiply.Call(ctx, in.operands())
	}, rest.OperationID("multiply"), rest.Summary("Multiply two integers"))
	rest.Get(r, "/divide/{intA}/{intB}", func(ctx context.Context, in *Params) (DivideResponse, error) {
		if in.IntB == 0 {
			return DivideResponse{}, rest.NewError(http.StatusPreconditionFailed, "", "Cannot divide by zero")
		}
		return c.Calc.Divide.Call(ctx, in.operands())
	}, rest.OperationID("divide"), rest.Summary("Divide the first integer by the second"),
		rest.Errors(http.StatusPreconditionFailed, ""))
}

// New returns the application: a REST API on 127.0.0.1:3000 in front of
// the SOAP calculator at services.calculator.baseURL (default the
// stand-in's address, http://127.0.0.1:8080/calculator.asmx), whose WSDL
// is read from ?wsdl when the application starts.
func New(extra ...backplane.Component) *backplane.App {
	comps := append([]backplane.Component{
		logging.Component(),
		config.Component(),
		rest.Component(),
		health.Component(),
		service.Declare("calculator", service.WithConnector(soap.Name),
			service.WithBaseURL("http://127.0.0.1:8080/calculator.asmx"), soap.WSDL("?wsdl")),
		service.Provide(ServiceKey, "calculator", service.Facade[CalculatorService]),
		openapi.Component(openapi.WithTitle("soap-calculator"), openapi.WithVersion("1.0.0"),
			openapi.WithDescription("LoopBack's soap-calculator example: a REST API in front of a SOAP calculator.")),
		backplane.Controller(&Controller{}),
	}, extra...)
	return backplane.New("soap-calculator", comps...)
}
