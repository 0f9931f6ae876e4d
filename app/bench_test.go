package app_test

import (
	"net/http"
	"testing"

	"quality/models/dbtest"
)

// Per-request cost of the session path (cookie → session → user and grants) and of a
// scoped, paged staff list, through the whole middleware stack on SQLite:
//
//	go test -run '^$' -bench . -benchmem ./app/
func BenchmarkMe(b *testing.B) {
	e := newEnv(b, dbtest.SQLite(b))
	c := e.login("manager")
	b.ResetTimer()
	for range b.N {
		if res := c.do(http.MethodGet, "/api/v1/me", nil); res.Code != http.StatusOK {
			b.Fatal(res.Code, res.Body)
		}
	}
}

func BenchmarkListEmployees(b *testing.B) {
	e := newEnv(b, dbtest.SQLite(b))
	c := e.login("admin")
	b.ResetTimer()
	for range b.N {
		if res := c.do(http.MethodGet, "/api/v1/employees?per_page=50&q=3601&sort=-hire_date", nil); res.Code != http.StatusOK {
			b.Fatal(res.Code, res.Body)
		}
	}
}
