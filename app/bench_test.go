package app_test

import (
	"fmt"
	"net/http"
	"testing"

	"gorm.io/gorm"

	"quality/exams"
	"quality/models"
	"quality/models/dbtest"
	"quality/seeds"
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

// BenchmarkSaveAnswer is one exam-day autosave through the whole stack (cookie, session,
// guard, the save transaction), each with a higher seq, on SQLite and, with
// QUALITY_TEST_MYSQL_DSN, on MySQL.
func BenchmarkSaveAnswer(b *testing.B) {
	for _, engine := range []struct {
		name string
		open func(testing.TB) *gorm.DB
	}{{"sqlite", dbtest.SQLite}, {"mysql", dbtest.MySQL}} {
		b.Run(engine.name, func(b *testing.B) {
			e := newEnv(b, engine.open(b))
			c := e.login("employee")
			res := c.do(http.MethodPost, fmt.Sprintf("/api/v1/exams/%d/attempts", e.exam(seeds.OnboardingExamTitle)), nil)
			if res.Code != http.StatusCreated {
				b.Fatal(res.Code, res.Body)
			}
			var paper exams.AttemptView
			res.JSON(b, &paper)
			q := paper.Questions[0]
			body := map[string]any{"text": "24"}
			if q.Kind != models.KindFill {
				body = map[string]any{"choices": []int{q.Options[0].ID}}
			}
			url := fmt.Sprintf("/api/v1/attempts/%d/answers/%d", paper.ID, q.ID)
			b.ResetTimer()
			for i := range b.N {
				body["seq"] = i + 1
				if res := c.do(http.MethodPut, url, body); res.Code != http.StatusOK {
					b.Fatal(res.Code, res.Body)
				}
			}
		})
	}
}
