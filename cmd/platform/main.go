// Command platform runs Backplane applications composed from configuration
// and lists what this build of Backplane contains.
//
//	platform serve [--config FILE]   serve the application the file describes
//	platform list                    every registered component and extension ID
//	platform help                    every command
package main

import "os"

func main() {
	app := newApp(os.Args[1:])
	app.Main()
}
