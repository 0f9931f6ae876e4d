package app

import (
	"embed"
	"encoding/json"
	"fmt"
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

func loadCatalog() (catalog, error) {
	c := catalog{}
	for _, lang := range []string{langZH, langEN} {
		b, err := localeFS.ReadFile("locales/" + lang + ".json")
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("locale %s: %w", lang, err)
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
