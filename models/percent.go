package models

import (
	"database/sql/driver"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Percent is a percentage with two decimals held as a whole number of hundredths, so
// it is exact in Go; it is stored as DECIMAL(5,2) (exact on MySQL; NUMERIC on SQLite,
// read back to the nearest hundredth).
type Percent int64

// PercentOf is 100 × num / den rounded half-up to two decimals, in integers only;
// num and den are non-negative and den is positive.
func PercentOf(num, den int64) Percent {
	// hundredths = round(10000 × num / den), half-up.
	return Percent((20000*num + den) / (2 * den))
}

// GormDataType makes the column DECIMAL(5,2) on both engines.
func (Percent) GormDataType() string { return "decimal(5,2)" }

// String is the percentage with exactly two decimals, e.g. "83.33".
func (p Percent) String() string {
	sign := ""
	if p < 0 {
		sign, p = "-", -p
	}
	return fmt.Sprintf("%s%d.%02d", sign, p/100, p%100)
}

// Value writes the decimal text, which both engines store exactly as given.
func (p Percent) Value() (driver.Value, error) { return p.String(), nil }

// Scan reads a DECIMAL (text on MySQL) or a NUMERIC (a number on SQLite).
func (p *Percent) Scan(v any) error {
	switch x := v.(type) {
	case []byte:
		return p.parse(string(x))
	case string:
		return p.parse(x)
	case float64:
		*p = Percent(math.Round(x * 100))
	case int64:
		*p = Percent(x * 100)
	default:
		return fmt.Errorf("scan percent from %T", v)
	}
	return nil
}

func (p *Percent) parse(s string) error {
	whole, frac, _ := strings.Cut(strings.TrimSpace(s), ".")
	frac = (frac + "00")[:2]
	neg := strings.HasPrefix(whole, "-")
	w, err := strconv.ParseInt(strings.TrimPrefix(whole, "-"), 10, 64)
	if err != nil {
		return fmt.Errorf("scan percent %q: %w", s, err)
	}
	f, err := strconv.ParseInt(frac, 10, 64)
	if err != nil {
		return fmt.Errorf("scan percent %q: %w", s, err)
	}
	*p = Percent(w*100 + f)
	if neg {
		*p = -*p
	}
	return nil
}

// MarshalJSON writes a JSON number with two decimals.
func (p Percent) MarshalJSON() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalJSON reads a JSON number.
func (p *Percent) UnmarshalJSON(b []byte) error { return p.parse(string(b)) }
