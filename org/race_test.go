//go:build race

package org_test

// raceSlowdown stretches time budgets under the race detector.
const raceSlowdown = 5
