package metrics

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestCells reads count and month cells as people and Excel write them, and refuses
// the rest.
func TestCells(t *testing.T) {
	for s, want := range map[string]int64{"0": 0, "120": 120, "+7": 7, "12,000": 12000, "1,234,567": 1234567, "900.0": 900, "1.2E3": 1200, "-3": -3} {
		got, ok := parseCount(s)
		assert.True(t, ok, s)
		assert.Equal(t, want, got, s)
	}
	for _, s := range []string{"", "1.5", "1,2", "12,0000", "1 000", "NaN", "Inf", "1e400", "0x10", "十", "9223372036854775808"} {
		_, ok := parseCount(s)
		assert.False(t, ok, s)
	}
	for s, want := range map[string]string{
		"2026-05": "2026-05", "2026-5": "2026-05", "2026/05": "2026-05", "2026.5": "2026-05", "2026年5月": "2026-05",
		"2026-05-31": "2026-05", "2026/5/1": "2026-05", "46143": "2026-05", "46143.5": "2026-05",
		"36526": "2000-01",
		// Kept as written, for checkMonth to refuse.
		"May 2026": "May 2026", "2026-13": "2026-13", "5": "5", "36525": "36525",
	} {
		assert.Equal(t, want, monthCell(s), s)
	}
}
