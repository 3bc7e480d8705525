// Package calculator is LoopBack's soap-calculator example on Backplane:
// a REST API — GET /add, /subtract, /multiply and /divide/{intA}/{intB}
// — in front of a SOAP calculator service, called through the service
// component's SOAP connector with a typed facade ([CalculatorService])
// checked against the service's WSDL when the application starts.
//
// Nothing outside the machine is reachable, so the example ships a
// stand-in of the public calculator (package standin, command
// calculator-standin) that its tests and its README start.
package calculator
