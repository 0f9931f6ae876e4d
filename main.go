// Command quality is the service-quality audit and training assessment platform of a
// provincial cable-TV network company. Run `quality help` for its subcommands.
package main

import (
	"fmt"
	"os"
	_ "time/tzdata" // Asia/Shanghai even on machines without a zoneinfo database
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "quality:", err)
		os.Exit(1)
	}
}
