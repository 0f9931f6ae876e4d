package app

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"

	"github.com/gofiber/fiber/v2"
)

//go:embed locales/*.json
var localeFS embed.FS

// Languages, Chinese first: it is the default and the fallback.
const (
	langZH = "zh-CN"
	langEN = "en"
)

// catalog maps a language to its flat dotted-key messages.
type catalog map[string]map[string]string

// loadCatalog reads locales/LANG.json and any locales/LANG.AREA.json (one per product
// area), merged; a key defined twice is an error.
func loadCatalog() (catalog, error) {
	c := catalog{}
	for _, lang := range []string{langZH, langEN} {
		files, err := fs.Glob(localeFS, "locales/"+lang+"*.json")
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		for _, f := range files {
			b, err := localeFS.ReadFile(f)
			if err != nil {
				return nil, err
			}
			part := map[string]string{}
			if err := json.Unmarshal(b, &part); err != nil {
				return nil, fmt.Errorf("%s: %w", f, err)
			}
			for k, v := range part {
				if _, dup := m[k]; dup {
					return nil, fmt.Errorf("%s: key %s defined twice", f, k)
				}
				m[k] = v
			}
		}
		c[lang] = m
	}
	return c, nil
}

// T translates key into lang, filling {name} placeholders; unknown keys fall back to
// Chinese, then to the key itself.
func (c catalog) T(lang, key string, params map[string]any) string {
	msg, ok := c[lang][key]
	if !ok {
		if msg, ok = c[langZH][key]; !ok {
			msg = key
		}
	}
	for k, v := range params {
		msg = strings.ReplaceAll(msg, "{"+k+"}", fmt.Sprint(v))
	}
	return msg
}

// label is the translation of prefix+code in lang, or code itself when no catalogue
// has that key (an audit action or field nobody has named yet).
func (c catalog) label(lang, prefix, code string) string {
	if _, ok := c[langZH][prefix+code]; !ok {
		return code
	}
	return c.T(lang, prefix+code, nil)
}

// language picks the caller's language: the `lang` cookie (the UI's switch), then for
// the API Accept-Language. Pages are Chinese unless switched, whatever the browser says.
func language(c *fiber.Ctx) string {
	if v := c.Cookies("lang"); v == langEN || v == langZH {
		return v
	}
	if !isPage(c) && c.AcceptsLanguages(langZH, "zh", langEN) == langEN {
		return langEN
	}
	return langZH
}
