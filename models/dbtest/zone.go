package dbtest

import (
	"time"
	_ "time/tzdata" // the zone on hosts without a zone database
)

// Shanghai is the company's zone, as app.ConfigFromEnv loads it, for tests that build
// services themselves.
var Shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err) // the zone database is embedded
	}
	return loc
}()
