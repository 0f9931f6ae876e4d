package app_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"quality/accounts"
	"quality/models"
	"quality/models/dbtest"
)

// TestLoginWhileHashingIsBusy: when every password-hashing slot stays busy longer than
// accounts.HashWait (an exam-morning storm), a login is refused with 503 and
// Retry-After — on the API as a problem, on the login page as the page with the message
// — instead of queueing without end; the logins that got a slot succeed.
func TestLoginWhileHashingIsBusy(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	const n = 32 // logins of each kind, by distinct users: far more than the slots (half the cores)
	// n users sharing the manager's password hash (logins of one account queue on a
	// per-account lock, so the storm needs many accounts).
	var manager models.User
	require.NoError(t, e.db.Where("username = ?", "manager").Take(&manager).Error)
	for i := range 2 * n {
		u := models.User{Username: fmt.Sprintf("storm%02d", i), DisplayName: "考生", PasswordHash: manager.PasswordHash, PasswordChangedAt: time.Now()}
		require.NoError(t, e.db.Create(&u).Error)
	}
	defer func(w time.Duration) { accounts.HashWait = w }(accounts.HashWait)
	accounts.HashWait = time.Nanosecond // no waiting for a slot at all

	codes := make([]int, 2*n)
	bodies := make([]string, 2*n)
	var wg sync.WaitGroup
	for i := range 2 * n {
		wg.Go(func() {
			c := e.anon()
			name := fmt.Sprintf("storm%02d", i)
			var res response
			if i%2 == 0 {
				res = c.do(http.MethodPost, "/api/v1/auth/login", map[string]string{"username": name, "password": demoPassword})
			} else {
				form := url.Values{"username": {name}, "password": {demoPassword}}
				req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				res = c.send(req)
			}
			codes[i], bodies[i] = res.Code, res.Body
			if res.Code == http.StatusServiceUnavailable {
				assert.Equal(t, "5", res.Header.Get("Retry-After"))
			}
		})
	}
	wg.Wait()
	busy := map[bool]int{} // by page
	for i, code := range codes {
		page := i%2 == 1
		switch code {
		case http.StatusOK, http.StatusSeeOther:
		case http.StatusServiceUnavailable:
			busy[page]++
			assert.Contains(t, bodies[i], "登录的人较多", "the refusal says why")
		default:
			t.Errorf("login %d: %d %s", i, code, bodies[i])
		}
	}
	require.Positive(t, busy[false], "some API logins found every slot busy")
	require.Positive(t, busy[true], "some page logins found every slot busy")
	for i := 1; i < 2*n; i += 2 {
		if codes[i] == http.StatusServiceUnavailable {
			assert.True(t, strings.Contains(bodies[i], `name="password"`), "the refused page is the login form again")
			break
		}
	}
}
