package app_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCatalogues: the two languages name the same keys, and the English catalogue uses
// English punctuation (no full-width comma, stop, colon, semicolon, brackets, enumeration
// comma, exclamation or question mark); Chinese terms quoted in it, such as 无数据, stay.
func TestCatalogues(t *testing.T) {
	read := func(lang string) map[string]string {
		files, err := filepath.Glob(filepath.Join("locales", lang+"*.json"))
		require.NoError(t, err)
		require.NotEmpty(t, files)
		all := map[string]string{}
		for _, f := range files {
			b, err := os.ReadFile(f)
			require.NoError(t, err)
			var m map[string]string
			require.NoError(t, json.Unmarshal(b, &m), f)
			for k, v := range m {
				all[k] = v
			}
		}
		return all
	}
	zh, en := read("zh-CN"), read("en")
	for k := range zh {
		assert.Contains(t, en, k, "English lacks %s", k)
	}
	for k := range en {
		assert.Contains(t, zh, k, "Chinese lacks %s", k)
	}
	fullWidth := regexp.MustCompile(`[，。：；（）、！？]`)
	for k, v := range en {
		assert.False(t, fullWidth.MatchString(v), "%s: %q has Chinese punctuation", k, v)
	}
}
