package app

import "time"

// CSRFTokenIssuedAt is the token New would have given the session whose cookie holds
// session at the moment issued, signed with key (the "csrf" secret): tests forge old
// tokens with it instead of waiting.
func CSRFTokenIssuedAt(key, session string, issued time.Time) string {
	t := newCSRFTokens(key, 0)
	t.now = func() time.Time { return issued }
	return t.New(session)
}
