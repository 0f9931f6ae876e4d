package accounts_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/accounts"
	"quality/models"
	"quality/models/dbtest"
)

const (
	ipA   = "198.51.100.7"
	ipB   = "203.0.113.9"
	agent = "Mozilla/5.0 (test)"
)

func TestLogin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db, accounts.DefaultConfig)
		alice := f.user("alice", grant{models.RoleEmployee, "360102-01"})
		off := f.user("off", grant{models.RoleEmployee, "360102-01"})
		require.NoError(t, db.Model(&models.User{}).Where("id = ?", off.ID).Update("disabled", true).Error)

		t.Run("success opens a hashed session and is audited", func(t *testing.T) {
			f := f.with(t)
			mark := f.auditMark()
			res, err := f.svc.Login(f.ctx, " alice ", password, ipA, agent)
			require.NoError(t, err)
			require.Equal(t, alice.ID, res.User.ID)
			require.Len(t, res.Token, 43, "256 random bits, base64url")
			require.Equal(t, f.clock.Now().Add(accounts.DefaultConfig.AbsoluteTimeout), res.ExpiresAt)
			require.NotNil(t, res.User.LastLoginAt)

			sum := sha256.Sum256([]byte(res.Token))
			s, err := models.GetSession(f.ctx, db, hex.EncodeToString(sum[:]))
			require.NoError(t, err, "stored under the token's hash")
			require.Equal(t, alice.ID, s.UserID)
			require.Equal(t, ipA, s.IP)
			require.Equal(t, agent, s.UserAgent)
			_, err = models.GetSession(f.ctx, db, res.Token)
			require.ErrorIs(t, err, models.ErrNotFound, "never under the token itself")

			e := f.requireOneAudit(mark, "login", "session", alice.ID)
			require.Equal(t, "alice", e.ActorName)
			require.Equal(t, ipA, e.IP)

			again, err := f.svc.Login(f.ctx, "alice", password, ipA, agent)
			require.NoError(t, err)
			require.NotEqual(t, res.Token, again.Token, "a new id at every login")
			require.EqualValues(t, 2, f.sessions(alice.ID))
		})

		t.Run("every refusal looks the same", func(t *testing.T) {
			f := f.with(t)
			for _, tc := range []struct{ name, username, password string }{
				{"unknown user", "nobody", password},
				{"wrong password", "alice", "wrong-password"},
				{"empty password", "alice", ""},
				{"disabled user with the right password", "off", password},
				{"long Chinese user name", strings.Repeat("张", 40), password},
				{"user name of invalid UTF-8", "ali\xffce", password},
			} {
				t.Run(tc.name, func(t *testing.T) {
					f := f.with(t)
					mark := f.auditMark()
					res, err := f.svc.Login(f.ctx, tc.username, tc.password, ipB, agent)
					require.Nil(t, res)
					require.Equal(t, accounts.ErrBadCredentials, err, "the very same error")
					require.EqualValues(t, 0, f.sessions(off.ID))
					f.requireNoAudit(mark)
				})
			}
		})
	})
}

func TestLoginThrottling(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		cfg := accounts.DefaultConfig
		free := cfg.PerAccountAddress.Free
		f := newFixture(t, db, cfg)
		f.user("alice", grant{models.RoleEmployee, "360102-01"})
		f.user("bob", grant{models.RoleEmployee, "360102-01"})
		fail := func(t *testing.T, user, ip string) {
			t.Helper()
			_, err := f.svc.Login(f.ctx, user, "wrong-password", ip, agent)
			require.Equal(t, accounts.ErrBadCredentials, err)
		}

		t.Run("one account from one address", func(t *testing.T) {
			for range free {
				fail(t, "alice", ipA)
			}
			// Limit.Free failures cost nothing; the next failure starts the delay, so
			// the attempt after it is refused, even with the right password.
			fail(t, "alice", ipA)
			_, err := f.svc.Login(f.ctx, "alice", password, ipA, agent)
			wait := requireThrottled(t, err)
			require.LessOrEqual(t, wait, 3*time.Second, "the first delay is short")

			// The employee at her own desk still gets in: an attacker cannot lock her out.
			_, err = f.svc.Login(f.ctx, "alice", password, ipB, agent)
			require.NoError(t, err)
			// The attacker's address stays throttled for this account...
			_, err = f.svc.Login(f.ctx, "alice", password, ipA, agent)
			requireThrottled(t, err)
			// ...until the delay has passed.
			f.clock.Advance(wait)
			_, err = f.svc.Login(f.ctx, "alice", password, ipA, agent)
			require.NoError(t, err)
		})

		t.Run("a good login clears the account's counters", func(t *testing.T) {
			f.clock.Advance(2 * cfg.PerAccountAddress.Window)
			for range free + 1 {
				fail(t, "bob", ipA)
			}
			_, err := f.svc.Login(f.ctx, "bob", password, ipA, agent)
			f.clock.Advance(requireThrottled(t, err))
			_, err = f.svc.Login(f.ctx, "bob", password, ipA, agent)
			require.NoError(t, err)

			var keys []string
			require.NoError(t, db.Model(&models.LoginThrottle{}).Pluck("key", &keys).Error)
			for _, k := range keys {
				require.NotContains(t, k, "bob", "bob's counters are gone")
			}
			// Counting starts again: one failure more is not the seventh in a row.
			fail(t, "bob", ipA)
			_, err = f.svc.Login(f.ctx, "bob", password, ipA, agent)
			require.NoError(t, err)
		})

		t.Run("the address limit is generous", func(t *testing.T) {
			// A whole branch behind one NAT address: many failed logins of many
			// employees must not shut the address.
			require.GreaterOrEqual(t, cfg.PerAddress.Free, 20*cfg.PerAccountAddress.Free)
			const nat = "192.0.2.1"
			fail(t, "carol", nat)
			var row models.LoginThrottle
			require.NoError(t, db.Where("`key` LIKE ? AND `key` NOT LIKE ?", "%"+nat+"%", "%carol%").Take(&row).Error, "the address row")
			require.Equal(t, 1, row.Failures)
			// Fast-forward as if many colleagues had mistyped their passwords.
			row.Failures = cfg.PerAddress.Free - 1
			require.NoError(t, models.SaveThrottle(f.ctx, db, row))
			fail(t, "dave", nat)
			_, err := f.svc.Login(f.ctx, "alice", password, nat, agent)
			require.NoError(t, err, "after PerAddress.Free failures the address still works")
			// But it is not unlimited.
			fail(t, "erin", nat)
			_, err = f.svc.Login(f.ctx, "bob", password, nat, agent)
			requireThrottled(t, err)
		})
	})
}

// TestLoginLockoutIsShort: an attacker hammering one account from one address slows
// the per-account rule for everybody, but for PerAccount.Max at most.
func TestLoginLockoutIsShort(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		cfg := accounts.DefaultConfig
		cfg.PerAccountAddress = accounts.Limit{Free: 2, Max: 15 * time.Minute, Window: time.Hour}
		cfg.PerAccount = accounts.Limit{Free: 4, Max: time.Minute, Window: time.Hour}
		f := newFixture(t, db, cfg)
		f.user("alice", grant{models.RoleEmployee, "360102-01"})

		attempts := 0
		for attempts < 10 {
			_, err := f.svc.Login(f.ctx, "alice", "guess", ipA, agent)
			if err == accounts.ErrBadCredentials {
				attempts++
				continue
			}
			f.clock.Advance(requireThrottled(t, err))
		}
		_, err := f.svc.Login(f.ctx, "alice", password, ipA, agent)
		attackerWait := requireThrottled(t, err)

		_, err = f.svc.Login(f.ctx, "alice", password, ipB, agent)
		if err != nil {
			wait := requireThrottled(t, err)
			require.LessOrEqual(t, wait, cfg.PerAccount.Max+2*time.Second, "the employee waits a minute at most")
			f.clock.Advance(wait)
			_, err = f.svc.Login(f.ctx, "alice", password, ipB, agent)
		}
		require.NoError(t, err)
		require.Greater(t, attackerWait, cfg.PerAccount.Max, "the attacker's own address waits longer")
	})
}

func TestResolve(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		cfg := accounts.DefaultConfig
		f := newFixture(t, db, cfg)
		alice := f.user("alice", grant{models.RoleEmployee, "360102-01"})
		login := func(t *testing.T) (token, id string) {
			t.Helper()
			res, err := f.svc.Login(f.ctx, "alice", password, ipA, agent)
			require.NoError(t, err)
			sum := sha256.Sum256([]byte(res.Token))
			return res.Token, hex.EncodeToString(sum[:])
		}
		lastSeen := func(t *testing.T, id string) time.Time {
			t.Helper()
			s, err := models.GetSession(f.ctx, db, id)
			require.NoError(t, err)
			return s.LastSeenAt.UTC()
		}

		t.Run("garbage tokens", func(t *testing.T) {
			for _, token := range []string{"", "nope", strings.Repeat("a", 43), strings.Repeat("a", 129), "'; DROP TABLE sessions; --"} {
				_, err := f.svc.Resolve(f.ctx, token)
				require.ErrorIs(t, err, accounts.ErrNoSession, "token %q", token)
			}
		})

		t.Run("a live session resolves to its user with grants", func(t *testing.T) {
			token, id := login(t)
			s, err := f.svc.Resolve(f.ctx, token)
			require.NoError(t, err)
			require.Equal(t, id, s.ID)
			require.Equal(t, alice.ID, s.User.ID)
			require.NoError(t, f.svc.LoadGrants(f.ctx, s.User))
			require.Len(t, s.User.Grants, 1)
			require.NotEmpty(t, s.User.Grants[0].UnitPath)
		})

		t.Run("the idle clock moves at most once a minute", func(t *testing.T) {
			token, id := login(t)
			start := f.clock.Now()
			f.clock.Advance(59 * time.Second)
			_, err := f.svc.Resolve(f.ctx, token)
			require.NoError(t, err)
			require.True(t, start.Equal(lastSeen(t, id)), "no write within the minute")

			f.clock.Advance(2 * time.Second)
			_, err = f.svc.Resolve(f.ctx, token)
			require.NoError(t, err)
			touched := f.clock.Now()
			require.True(t, touched.Equal(lastSeen(t, id)), "touched after a minute")

			f.clock.Advance(30 * time.Second)
			_, err = f.svc.Resolve(f.ctx, token)
			require.NoError(t, err)
			require.True(t, touched.Equal(lastSeen(t, id)))
		})

		t.Run("idle timeout", func(t *testing.T) {
			token, id := login(t)
			f.clock.Advance(cfg.IdleTimeout)
			_, err := f.svc.Resolve(f.ctx, token)
			require.NoError(t, err, "exactly the idle timeout is still alive")
			f.clock.Advance(cfg.IdleTimeout + time.Second)
			_, err = f.svc.Resolve(f.ctx, token)
			require.ErrorIs(t, err, accounts.ErrNoSession)
			_, err = models.GetSession(f.ctx, db, id)
			require.ErrorIs(t, err, models.ErrNotFound, "the ended session is deleted")
		})

		t.Run("absolute timeout despite activity", func(t *testing.T) {
			token, id := login(t)
			expires := f.clock.Now().Add(cfg.AbsoluteTimeout)
			for f.clock.Now().Add(time.Hour).Before(expires) || f.clock.Now().Add(time.Hour).Equal(expires) {
				f.clock.Advance(time.Hour) // an examinee's autosave keeps it busy
				_, err := f.svc.Resolve(f.ctx, token)
				require.NoError(t, err, "at %s", f.clock.Now())
			}
			require.Equal(t, expires, f.clock.Now())
			f.clock.Advance(time.Second)
			_, err := f.svc.Resolve(f.ctx, token)
			require.ErrorIs(t, err, accounts.ErrNoSession)
			_, err = models.GetSession(f.ctx, db, id)
			require.ErrorIs(t, err, models.ErrNotFound)
		})

		t.Run("a disabled user's session is refused", func(t *testing.T) {
			token, _ := login(t)
			require.NoError(t, db.Model(&models.User{}).Where("id = ?", alice.ID).Update("disabled", true).Error)
			_, err := f.svc.Resolve(f.ctx, token)
			require.ErrorIs(t, err, accounts.ErrNoSession)
			require.NoError(t, db.Model(&models.User{}).Where("id = ?", alice.ID).Update("disabled", false).Error)
		})

		t.Run("logout ends one session", func(t *testing.T) {
			f := f.with(t)
			first, _ := login(t)
			second, _ := login(t)
			mark := f.auditMark()
			me := models.Actor{UserID: alice.ID, Username: "alice", IP: ipA}
			require.NoError(t, f.svc.Logout(f.ctx, me, first))
			f.requireOneAudit(mark, "logout", "session", alice.ID)
			_, err := f.svc.Resolve(f.ctx, first)
			require.ErrorIs(t, err, accounts.ErrNoSession)
			_, err = f.svc.Resolve(f.ctx, second)
			require.NoError(t, err)
		})
	})
}

// TestEndingEverySession: disabling a user and resetting or changing a password end
// every session of the user at once.
func TestEndingEverySession(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db, accounts.DefaultConfig)
		admin := f.user("cityadmin", grant{models.RoleAdmin, "3601"})
		adminActor := models.Actor{UserID: admin.ID, Username: admin.Username, IP: ipB}
		nanchang := f.scope("3601")
		alice := f.user("alice", grant{models.RoleEmployee, "360102-01"})
		bob := f.user("bob", grant{models.RoleEmployee, "360102-01"})
		tokens := func(t *testing.T, username, pw string) []string {
			t.Helper()
			var out []string
			for range 2 {
				res, err := f.svc.Login(f.ctx, username, pw, ipA, agent)
				require.NoError(t, err)
				out = append(out, res.Token)
			}
			return out
		}
		requireEnded := func(t *testing.T, userID uint, tokens []string) {
			t.Helper()
			require.Zero(t, f.with(t).sessions(userID))
			for _, tok := range tokens {
				_, err := f.svc.Resolve(f.ctx, tok)
				require.ErrorIs(t, err, accounts.ErrNoSession)
			}
		}

		t.Run("disabling", func(t *testing.T) {
			f := f.with(t)
			toks := tokens(t, "alice", password)
			bobs := tokens(t, "bob", password)
			mark := f.auditMark()
			u, err := f.svc.UpdateUser(f.ctx, adminActor, nanchang, alice.ID, accounts.UserPatch{Disabled: new(true)})
			require.NoError(t, err)
			require.True(t, u.Disabled)
			f.requireOneAudit(mark, "update", "user", alice.ID)
			requireEnded(t, alice.ID, toks)
			_, err = f.svc.Resolve(f.ctx, bobs[0])
			require.NoError(t, err, "other users keep their sessions")
			_, err = f.svc.Login(f.ctx, "alice", password, ipA, agent)
			require.Equal(t, accounts.ErrBadCredentials, err)

			_, err = f.svc.UpdateUser(f.ctx, adminActor, nanchang, alice.ID, accounts.UserPatch{Disabled: new(false)})
			require.NoError(t, err)
			_, err = f.svc.Login(f.ctx, "alice", password, ipA, agent)
			require.NoError(t, err, "enabled again")
		})

		t.Run("an admin's reset", func(t *testing.T) {
			f := f.with(t)
			toks := tokens(t, "bob", password)
			mark := f.auditMark()
			dbtest.RequireFieldError(t, f.svc.SetPassword(f.ctx, adminActor, nanchang, bob.ID, "short"), "password", "too_short")
			f.requireNoAudit(mark)
			require.EqualValues(t, 2+2, f.sessions(bob.ID), "a refused reset ends nothing")

			require.NoError(t, f.svc.SetPassword(f.ctx, adminActor, nanchang, bob.ID, "reset-pass-123"))
			f.requireOneAudit(mark, "reset_password", "user", bob.ID)
			requireEnded(t, bob.ID, toks)
			_, err := f.svc.Login(f.ctx, "bob", password, ipA, agent)
			require.Equal(t, accounts.ErrBadCredentials, err)
			_, err = f.svc.Login(f.ctx, "bob", "reset-pass-123", ipA, agent)
			require.NoError(t, err)
		})

		t.Run("changing one's own password needs the current one", func(t *testing.T) {
			f := f.with(t)
			toks := tokens(t, "alice", password)
			me := models.Actor{UserID: alice.ID, Username: "alice", IP: ipA}
			mark := f.auditMark()
			dbtest.RequireFieldError(t, f.svc.ChangeOwnPassword(f.ctx, me, "not-my-password", "brand-new-pass"), "current_password", "wrong_password")
			dbtest.RequireFieldError(t, f.svc.ChangeOwnPassword(f.ctx, me, password, "short"), "new_password", "too_short")
			f.requireNoAudit(mark)
			_, err := f.svc.Resolve(f.ctx, toks[0])
			require.NoError(t, err)

			require.NoError(t, f.svc.ChangeOwnPassword(f.ctx, me, password, "brand-new-pass"))
			f.requireOneAudit(mark, "change_password", "user", alice.ID)
			requireEnded(t, alice.ID, toks)
			_, err = f.svc.Login(f.ctx, "alice", "brand-new-pass", ipA, agent)
			require.NoError(t, err)
		})
	})
}

// TestParallelGuessesAreCounted: a burst of parallel guesses on one account must not
// all pass the throttle check before the first failure is counted.
func TestParallelGuessesAreCounted(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		cfg := accounts.DefaultConfig
		f := newFixture(t, db, cfg)
		f.user("alice", grant{models.RoleEmployee, "360102-01"})
		const burst = 12
		var wg sync.WaitGroup
		errs := make(chan error, burst)
		for range burst {
			wg.Go(func() {
				_, err := f.svc.Login(f.ctx, "alice", "wrong-password", ipA, agent)
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		refused, throttled := 0, 0
		for err := range errs {
			var te *accounts.ThrottledError
			switch {
			case err == accounts.ErrBadCredentials:
				refused++
			case errors.As(err, &te):
				throttled++
			default:
				require.NoError(t, err)
			}
		}
		// The clock stands still: the failure after the free ones blocks the rest.
		require.Equal(t, cfg.PerAccountAddress.Free+1, refused, "passwords checked")
		require.Equal(t, burst-refused, throttled)
		var rows []models.LoginThrottle
		require.NoError(t, db.Where("`key` LIKE ?", "%alice%").Find(&rows).Error)
		require.Len(t, rows, 2)
		for _, r := range rows {
			require.Equal(t, refused, r.Failures, "no failure lost: %s", r.Key)
		}
	})
}
