package models_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"quality/models"
)

func TestAuditLines(t *testing.T) {
	change := func(field, from, to string) models.AuditLine {
		return models.AuditLine{Field: field, From: from, To: to, Change: true}
	}
	value := func(field, v string) models.AuditLine { return models.AuditLine{Field: field, Value: v} }
	for _, tc := range []struct {
		name, summary string
		want          []models.AuditLine
	}{
		{"nothing", "", nil},
		{"null", "null", nil},
		{"plain text", "unprintable summary: x", []models.AuditLine{{Value: "unprintable summary: x"}}},
		{"a diff", `{"name":{"from":"张三","to":"张三丰"},"disabled":{"from":false,"to":true}}`,
			[]models.AuditLine{change("disabled", "false", "true"), change("name", "张三", "张三丰")}},
		{"values", `{"title":"服务礼仪","grants":[{"role":"manager","org_unit_id":3}],"employee_id":null}`,
			[]models.AuditLine{value("employee_id", ""), value("grants", `[{"role":"manager","org_unit_id":3}]`), value("title", "服务礼仪")}},
		{"changes member", `{"changes":{"rectify_days":{"from":7,"to":10}},"sections_changed":true}`,
			[]models.AuditLine{change("rectify_days", "7", "10"), value("sections_changed", "true")}},
		{"metrics change", `{"org_unit_id":5,"month":"2026-10","changes":{"responded_24h":{"from":90,"to":95}}}`,
			[]models.AuditLine{change("responded_24h", "90", "95"), value("month", "2026-10"), value("org_unit_id", "5")}},
		{"changes that are no pairs", `{"changes":{"a":1}}`, []models.AuditLine{value("changes", `{"a":1}`)}},
		{"a rectification's move", `{"from":"open","to":"submitted","revision":2,"reason":""}`,
			[]models.AuditLine{change("status", "open", "submitted"), value("reason", ""), value("revision", "2")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, models.AuditEvent{Summary: tc.summary}.Lines())
		})
	}
}
