// Command soap-calculator serves the REST calculator on 127.0.0.1:3000,
// calling the SOAP calculator at services.calculator.baseURL (start the
// stand-in first: go run ./examples/soap-calculator/cmd/calculator-standin).
package main

import calculator "github.com/backplane-dev/backplane/examples/soap-calculator"

func main() { calculator.New().Main() }
