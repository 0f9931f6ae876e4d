package app

import "quality/models"

// What the settings pages (/settings/ranking, /settings/inspections) share.

// settingsMessage is one refusal of the summary, linked to its field.
type settingsMessage struct{ Field, Text string }

// settingsRefusals are the messages of refused by field, for beside each field, and
// the summary above the form: each message with its field's label (labelPrefix +
// field), linking to it. Both settings pages use it.
func (s *server) settingsRefusals(lang, labelPrefix string, refused []models.FieldError) (map[string][]string, []settingsMessage) {
	msgs := map[string][]string{}
	var summary []settingsMessage
	for _, f := range refused {
		msg := s.msgs.T(lang, "field."+f.Code, f.Params)
		msgs[f.Field] = append(msgs[f.Field], msg)
		summary = append(summary, settingsMessage{Field: f.Field, Text: s.msgs.T(lang, "trainerweb.field_message", map[string]any{
			"field": s.msgs.T(lang, labelPrefix+f.Field, nil), "message": msg})})
	}
	return msgs, summary
}
