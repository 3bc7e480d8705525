// Command calculator-standin serves the stand-in SOAP calculator on
// 127.0.0.1:8080/calculator.asmx (-addr to change), its WSDL at ?wsdl.
package main

import (
	"flag"
	"log"
	"net/http"

	"github.com/backplane-dev/backplane/examples/soap-calculator/standin"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	flag.Parse()
	mux := http.NewServeMux()
	mux.Handle("/calculator.asmx", standin.Handler())
	log.Printf("SOAP calculator on http://%s/calculator.asmx (WSDL: ?wsdl)", *addr)
	log.Fatal(http.ListenAndServe(*addr, mux))
}
