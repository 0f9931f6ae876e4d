package models

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
)

// AuditActions lists every action an audit event is written with, in the order the
// audit page offers them (TestAuditWritesAreListed finds each write in the code).
var AuditActions = []string{
	"create", "update", "delete", "import", "seed", "publish", "archive", "retire", "new_version",
	"login", "logout", "change_password", "reset_password",
	"acknowledge", "open_sign_in", "sign_in_locked", "attend", "complete",
	"start", "save_answer", "submit", "auto_submit", "override", "regrade", "issue", "revoke",
	"save_item", "add_photo", "reopen", "void", "verify", "reject", "waive", "escalate",
	"add_stops", "remove_stop", "open", "statement", "decide", "close",
}

// AuditEntities lists every kind of record an audit event names, in the order the
// audit page offers them.
var AuditEntities = []string{
	"org_unit", "employee", "user", "session", "setting",
	"handbook_version", "acknowledgement", "course", "course_session", "attendance", "completion", "onboarding_plan",
	"question", "exam", "attempt", "certificate",
	"checklist_template", "inspection", "finding", "rectification", "patrol_plan", "case", "case_person",
	"service_metric", "ranking_export", "province", "demo_history",
}

// AuditLine is one line of an event's summary as a person reads it: a field with its
// value, or a changed field with its value before and after. Values are plain text
// (a JSON string unquoted, anything else as compact JSON, null as "").
type AuditLine struct {
	Field    string
	Value    string
	From, To string
	Change   bool
}

// Lines reads the summary as Audit stores it: nothing; a plain string; a JSON object
// whose members are either {"from","to"} pairs (models.Diff) or plain values; and
// where a member named "changes" holds such pairs, those pairs in its place (the
// settings, templates and metrics write their changes so). Fields come in name order,
// changes first.
func (e AuditEvent) Lines() []AuditLine {
	s := strings.TrimSpace(e.Summary)
	if s == "" || s == "null" || s == "{}" {
		return nil
	}
	var obj map[string]json.RawMessage
	if s[0] != '{' || json.Unmarshal([]byte(s), &obj) != nil {
		return []AuditLine{{Value: plainValue(json.RawMessage(s), s[0] == '"' || s[0] == '[')}}
	}
	var changes, values []AuditLine
	// A rectification's move names its statuses as top-level "from" and "to".
	if c, ok := asChange(pick(obj, "from", "to")); ok && !isObject(obj["from"]) && !isObject(obj["to"]) {
		changes = append(changes, AuditLine{Field: "status", From: c[0], To: c[1], Change: true})
		delete(obj, "from")
		delete(obj, "to")
	}
	for _, k := range sortedKeys(obj) {
		v := obj[k]
		if c, ok := asChange(v); ok {
			changes = append(changes, AuditLine{Field: k, From: c[0], To: c[1], Change: true})
			continue
		}
		if k == "changes" {
			if inner, ok := asChanges(v); ok {
				changes = append(changes, inner...)
				continue
			}
		}
		values = append(values, AuditLine{Field: k, Value: plainValue(v, true)})
	}
	return append(changes, values...)
}

// asChange reads {"from":…,"to":…} (and nothing else) as its two values.
func asChange(v json.RawMessage) ([2]string, bool) {
	var m map[string]json.RawMessage
	if len(v) == 0 || v[0] != '{' || json.Unmarshal(v, &m) != nil || len(m) != 2 {
		return [2]string{}, false
	}
	from, okFrom := m["from"]
	to, okTo := m["to"]
	if !okFrom || !okTo {
		return [2]string{}, false
	}
	return [2]string{plainValue(from, true), plainValue(to, true)}, true
}

// asChanges reads an object of changes, each member a {"from","to"} pair; an empty
// object is no change at all.
func asChanges(v json.RawMessage) ([]AuditLine, bool) {
	var m map[string]json.RawMessage
	if len(v) == 0 || v[0] != '{' || json.Unmarshal(v, &m) != nil {
		return nil, false
	}
	out := make([]AuditLine, 0, len(m))
	for _, k := range sortedKeys(m) {
		c, ok := asChange(m[k])
		if !ok {
			return nil, false
		}
		out = append(out, AuditLine{Field: k, From: c[0], To: c[1], Change: true})
	}
	return out, true
}

// plainValue is a JSON value as text: a string without its quotes, null as "",
// anything else compact. A summary that was never JSON (isJSON false) is itself.
func plainValue(v json.RawMessage, isJSON bool) string {
	if !isJSON {
		return string(v)
	}
	var str string
	if json.Unmarshal(v, &str) == nil {
		return str
	}
	if string(v) == "null" {
		return ""
	}
	var buf bytes.Buffer
	if json.Compact(&buf, v) != nil {
		return string(v)
	}
	return buf.String()
}

func sortedKeys(m map[string]json.RawMessage) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// pick is the members of obj named, as one JSON object (nil when one is missing).
func pick(obj map[string]json.RawMessage, names ...string) json.RawMessage {
	m := map[string]json.RawMessage{}
	for _, n := range names {
		v, ok := obj[n]
		if !ok {
			return nil
		}
		m[n] = v
	}
	b, _ := json.Marshal(m)
	return b
}

func isObject(v json.RawMessage) bool { return len(v) > 0 && v[0] == '{' }
