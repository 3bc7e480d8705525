// Package soap is the SOAP connector of the service component
// (LoopBack's loopback-connector-soap): a service described by a WSDL
// 1.1 document, document/literal, over SOAP 1.1 or 1.2. Its operations
// are listed from the WSDL and invoked by name with Go structs
// (encoding/xml) or maps; SOAP faults are [*Fault] errors; a WS-Security
// UsernameToken is added when a username is configured.
//
//	services:
//	  calculator:
//	    connector: soap
//	    baseURL: http://www.dneonline.com/calculator.asmx   # else the WSDL's address
//	    wsdl: "?wsdl"        # relative to baseURL, a URL, or a file
//	    version: "1.2"       # else 1.1 when the WSDL has it
//	    username: ann        # WS-Security (password, passwordDigest)
//	    retry: [Add]         # operations safe to retry
//
// Importing the package registers the connector as "soap".
//
// # Inputs and outputs
//
// An input struct is encoded with encoding/xml as the operation's input
// element, in the element's namespace (its XMLName, if any, is
// replaced); its fields must be children of the element and every
// required child needs a field — checked when the service opens. A
// map[string]any is written in the schema's order of the children. An
// output struct is decoded from the body's element with encoding/xml; a
// *map[string]any gets the children as text, maps and lists.
//
// # Faults
//
// A fault (1.1 faultcode/faultstring/detail, 1.2 Code/Subcode/Reason/
// Detail) is a service.Error of KindFault whose cause is a [*Fault]: 502
// UPSTREAM_FAULT to an API client, the fault's text only for your code
// and the log.
//
// # Not supported
//
// rpc style, encoded use, soap:header parts, messages of several parts
// or of a type, wsdl:import, xs:import and xs:include, xs:choice, xs:any,
// complexContent and simpleContent: a WSDL with them fails the start
// naming the construct and the operation.
package soap
