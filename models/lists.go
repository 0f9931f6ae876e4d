package models

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// MaxItemsTag names the struct tag that bounds a list of a request body:
// `maxItems:"100"` allows at most 100 items; `maxItems:"100,dedupe"` first drops
// repeated items (the first of each is kept, in order), so repeated ids count once.
const MaxItemsTag = "maxItems"

// ListBound is what a maxItems tag says.
type ListBound struct {
	Max    int
	Dedupe bool
}

// ParseListBound reads a maxItems tag; ok is false when the tag is absent or unreadable.
func ParseListBound(tag reflect.StructTag) (b ListBound, ok bool) {
	v, found := tag.Lookup(MaxItemsTag)
	if !found {
		return b, false
	}
	num, opt, _ := strings.Cut(v, ",")
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 || (opt != "" && opt != "dedupe") {
		return b, false
	}
	return ListBound{Max: n, Dedupe: opt == "dedupe"}, true
}

// CheckLists applies the maxItems tags of the decoded request body v (a pointer to a
// struct), through nested structs, pointers and lists of structs: it removes repeats
// where the tag says dedupe and refuses, with a too_many_items error naming the field
// (by its JSON path) and the maximum, any list longer than its bound. It touches no
// database, so callers run it before any query; the work is linear in the body and
// stops counting a list at its bound. Lists without a tag are left alone: the OpenAPI
// test fails on any array of a request body that has no maximum.
func CheckLists(v any) error {
	if reflect.ValueOf(v).Kind() != reflect.Pointer {
		panic(fmt.Sprintf("models: CheckLists needs a pointer, not a %T", v))
	}
	ve := &ValidationError{}
	checkLists(ve, "", reflect.ValueOf(v))
	return ve.Err()
}

func checkLists(ve *ValidationError, path string, v reflect.Value) {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			fv := v.Field(i)
			if f.Anonymous && name == "" {
				checkLists(ve, path, fv)
				continue
			}
			if name == "" {
				name = f.Name
			}
			field := name
			if path != "" {
				field = path + "." + name
			}
			if b, ok := ParseListBound(f.Tag); ok {
				if !boundList(fv, b) {
					ve.Add(field, "too_many_items", "max", b.Max)
					continue
				}
			}
			checkLists(ve, field, fv)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			checkLists(ve, path+"["+strconv.Itoa(i)+"]", v.Index(i))
		}
	}
}

// boundList dedupes the list v (through pointers) when b says so and reports whether
// it then holds at most b.Max items. Only lists of comparable items (ids, codes) are
// deduped; a dedupe tag on any other list is a programming error.
func boundList(v reflect.Value, b ListBound) bool {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return true
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Slice {
		panic(fmt.Sprintf("models: %s tag on a %s, not a list", MaxItemsTag, v.Type()))
	}
	if !b.Dedupe {
		return v.Len() <= b.Max
	}
	if !v.Type().Elem().Comparable() || !v.CanSet() {
		panic(fmt.Sprintf("models: cannot dedupe a %s here", v.Type()))
	}
	seen := make(map[any]struct{}, min(v.Len(), b.Max+1))
	kept := 0
	for i := range v.Len() {
		item := v.Index(i)
		if _, dup := seen[item.Interface()]; dup {
			continue
		}
		if len(seen) == b.Max {
			return false // one distinct item more than allowed: no need to read on
		}
		seen[item.Interface()] = struct{}{}
		v.Index(kept).Set(item)
		kept++
	}
	v.SetLen(kept)
	return true
}
