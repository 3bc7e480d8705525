// Package linkcheck holds the test that Backplane's components are
// optional at link time: an application that mounts only the
// configuration and REST components (the program in restonly) links no
// document builder, no Swagger UI and no swag, and no component imports a
// component that is optional for it. The test reads `go list -deps`.
package linkcheck
