package app_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"quality/models/dbtest"
	"quality/seeds"
	"quality/storage"
)

// BenchmarkSupervisionLists times the lists a province admin opens every day, over a
// year of demo supervision data (about 450 inspections, 1,000 findings and
// rectifications) on SQLite:
//
//	go test -run '^$' -bench Supervision -benchmem ./app/
func BenchmarkSupervisionLists(b *testing.B) {
	e := newEnv(b, dbtest.SQLite(b))
	if _, err := seeds.LoadDemoSupervision(context.Background(), e.db, storage.NewLocal(b.TempDir()), time.Now()); err != nil {
		b.Fatal(err)
	}
	admin := e.login("admin")
	quarter := "/api/v1/patrol-coverage?from=" + time.Now().AddDate(0, -3, 0).Format(time.DateOnly) + "&to=" + time.Now().Format(time.DateOnly)
	for _, l := range []struct{ name, url string }{
		{"inspections", "/api/v1/inspections?per_page=50"},
		{"failed inspections of a city", "/api/v1/inspections?per_page=50&result=fail&unit_id=2"},
		{"overdue rectifications", "/api/v1/rectifications?overdue=1&per_page=50"},
		{"findings", "/api/v1/findings?per_page=50&critical=1"},
		{"cases", "/api/v1/cases"},
		{"patrol coverage by branch, a quarter", quarter},
		{"rectifications.xlsx", "/api/v1/rectifications.xlsx"},
	} {
		b.Run(l.name, func(b *testing.B) {
			for range b.N {
				if res := admin.do(http.MethodGet, l.url, nil); res.Code != http.StatusOK {
					b.Fatal(res.Code, res.Body)
				}
			}
		})
	}
}
