package models

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
)

// JSONList is a list stored as JSON text, for small frozen lists (options, answer
// keys, option orders) that are always read with their row.
type JSONList[T any] []T

// GormDataType stores the list as text on both engines.
func (JSONList[T]) GormDataType() string { return "text" }

// Value writes the list as JSON; nil is an empty list.
func (l JSONList[T]) Value() (driver.Value, error) {
	if l == nil {
		return "[]", nil
	}
	b, err := json.Marshal([]T(l))
	return string(b), err
}

// Scan reads the JSON text back.
func (l *JSONList[T]) Scan(v any) error {
	var b []byte
	switch x := v.(type) {
	case nil:
		*l = nil
		return nil
	case string:
		b = []byte(x)
	case []byte:
		b = x
	default:
		return fmt.Errorf("scan JSON list from %T", v)
	}
	var out []T
	if err := json.Unmarshal(b, &out); err != nil {
		return err
	}
	*l = out
	return nil
}
