package openapi_test

import "github.com/swaggo/swag"

func swagReadDoc(name string) (string, error) { return swag.ReadDoc(name) }
