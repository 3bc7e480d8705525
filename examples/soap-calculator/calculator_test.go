package calculator_test

import (
	"testing"

	"github.com/backplane-dev/backplane/components/rest/resttest"
	"github.com/backplane-dev/backplane/components/service"
	calculator "github.com/backplane-dev/backplane/examples/soap-calculator"
	"github.com/backplane-dev/backplane/examples/soap-calculator/standin"
)

// TestCalculator runs LoopBack's soap-calculator acceptance cases
// against the REST API in front of the stand-in SOAP service, over SOAP
// 1.1 and 1.2.
func TestCalculator(t *testing.T) {
	for _, version := range []string{"1.1", "1.2"} {
		t.Run("SOAP "+version, func(t *testing.T) {
			soap := standin.Start()
			defer soap.Close()
			c := resttest.Start(t, calculator.New(), "services.calculator.baseURL="+soap.Endpoint(),
				"services.calculator.version="+version, "log.level=error")

			var add calculator.AddResponse
			c.Get("/add/50/5").Status(200).JSON(&add)
			var sub calculator.SubtractResponse
			c.Get("/subtract/50/5").Status(200).JSON(&sub)
			var mul calculator.MultiplyResponse
			c.Get("/multiply/50/5").Status(200).JSON(&mul)
			var div calculator.DivideResponse
			c.Get("/divide/50/5").Status(200).JSON(&div)
			if add.AddResult != 55 || sub.SubtractResult != 45 || mul.MultiplyResult != 250 || div.DivideResult != 10 {
				t.Errorf("got %+v %+v %+v %+v", add, sub, mul, div)
			}
			if body := string(c.Get("/add/1/2").Body); body != `{"AddResult":3}` {
				t.Errorf("body %s", body)
			}
			c.Get("/divide/50/0").Error(412, "")
			c.Get("/add/x/1").Error(400, "INVALID_PARAMETER_VALUE")

			soap.Close()
			c.Get("/add/1/2").Error(503, service.CodeUnavailable)
		})
	}
}
