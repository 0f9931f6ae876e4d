package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"quality/models"
)

// ErrBadCredentials is the one answer to an unknown user, a wrong password and a disabled
// account, so a login reveals nothing about which accounts exist.
var ErrBadCredentials = errors.New("bad credentials")

// ErrNoSession means the cookie names no live session.
var ErrNoSession = errors.New("no session")

// ThrottledError refuses a login until RetryAfter has passed.
type ThrottledError struct{ RetryAfter time.Duration }

func (e *ThrottledError) Error() string { return fmt.Sprintf("login throttled for %s", e.RetryAfter) }

// Limit is one progressive-delay rule: after Free failures inside Window, each further
// failure doubles a delay starting at one second, capped at Max.
type Limit struct {
	Free   int
	Max    time.Duration
	Window time.Duration
}

// Config holds the session and throttling settings; DefaultConfig has the defaults.
type Config struct {
	IdleTimeout     time.Duration
	AbsoluteTimeout time.Duration
	// PerAccountAddress throttles one account from one address: the tight rule.
	PerAccountAddress Limit
	// PerAccount throttles an account from everywhere; its cap is short so an attacker
	// cannot lock an employee out, only slow the guessing.
	PerAccount Limit
	// PerAddress is generous: a whole branch logs in from one NAT address on exam day.
	PerAddress Limit
}

// DefaultConfig is the configuration a new installation gets.
var DefaultConfig = Config{
	IdleTimeout:       2 * time.Hour,
	AbsoluteTimeout:   12 * time.Hour,
	PerAccountAddress: Limit{Free: 5, Max: 15 * time.Minute, Window: time.Hour},
	PerAccount:        Limit{Free: 20, Max: time.Minute, Window: time.Hour},
	PerAddress:        Limit{Free: 200, Max: 5 * time.Minute, Window: time.Hour},
}

// Service logs users in and out, resolves session cookies and manages the user accounts.
type Service struct {
	DB    *gorm.DB
	Cfg   Config
	Clock func() time.Time
}

// NewService returns a service with the given config and the wall clock.
func NewService(db *gorm.DB, cfg Config) *Service {
	return &Service{DB: db, Cfg: cfg, Clock: func() time.Time { return time.Now().UTC() }}
}

// dummyHash is verified for unknown users so that they take as long as known ones.
var dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3UOOw5wKd7Ukl2UrKIsuZwIaHkzHPq0J4aUTzCxvO6I"

// LoginResult is a new session: Token goes into the cookie and nowhere else.
type LoginResult struct {
	Token     string
	ExpiresAt time.Time
	User      *models.User
}

// Login checks the password under the throttling rules and opens a session.
func (s *Service) Login(ctx context.Context, username, password, ip, userAgent string) (*LoginResult, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	keys := throttleKeys(username, ip)
	defer lockAccount(keys[1])()
	now := s.Clock()
	limits := []Limit{s.Cfg.PerAccountAddress, s.Cfg.PerAccount, s.Cfg.PerAddress}
	rows, err := models.GetThrottles(ctx, s.DB, keys)
	if err != nil {
		return nil, err
	}
	var wait time.Duration
	for _, k := range keys {
		if r, ok := rows[k]; ok && r.BlockedUntil.After(now) {
			wait = max(wait, r.BlockedUntil.Sub(now))
		}
	}
	if wait > 0 {
		return nil, &ThrottledError{RetryAfter: wait.Round(time.Second) + time.Second}
	}

	user, err := models.GetUserByUsername(ctx, s.DB, username)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return nil, err
	}
	hash := dummyHash
	if user != nil {
		hash = user.PasswordHash
	}
	ok, err := VerifyPassword(ctx, password, hash)
	if err != nil && (user != nil || errors.Is(err, ErrBusy)) {
		// Busy answers alike for known and unknown users, and counts no failure.
		return nil, err
	}
	if user == nil || !ok || user.Disabled {
		if err := s.recordFailure(ctx, keys, limits, now); err != nil {
			return nil, err
		}
		return nil, ErrBadCredentials
	}

	token, id := newToken()
	sess := &models.Session{
		ID: id, UserID: user.ID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(s.Cfg.AbsoluteTimeout), IP: ip, UserAgent: truncate(userAgent, 255),
	}
	actor := models.Actor{UserID: user.ID, Username: user.Username, IP: ip}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.CreateSession(ctx, tx, sess); err != nil {
			return err
		}
		if err := models.SetLastLogin(tx, user, now); err != nil {
			return err
		}
		return models.Audit(tx, actor, "login", "session", user.ID, map[string]string{"user_agent": sess.UserAgent})
	})
	if err != nil {
		return nil, err
	}
	// A good password clears the account's counters, not the address's: an attacker
	// must not reset an address limit by logging into an account of their own.
	if err := models.ClearThrottles(ctx, s.DB, keys[:2]); err != nil {
		return nil, err
	}
	user.LastLoginAt = &now
	return &LoginResult{Token: token, ExpiresAt: sess.ExpiresAt, User: user}, nil
}

// accountLocks serialise the attempts on one account within this process: otherwise
// parallel guesses all pass the throttle check before the first failure is counted,
// and overwrite each other's counts. Striped, so that they need no cleanup.
var accountLocks [256]sync.Mutex

// lockAccount locks the stripe of an account key and returns its unlock.
func lockAccount(key string) func() {
	h := fnv.New32a()
	h.Write([]byte(key))
	m := &accountLocks[h.Sum32()%uint32(len(accountLocks))]
	m.Lock()
	return m.Unlock
}

func (s *Service) recordFailure(ctx context.Context, keys []string, limits []Limit, now time.Time) error {
	for i, k := range keys {
		n, err := models.AddLoginFailure(ctx, s.DB, k, now, now.Add(-limits[i].Window))
		if err != nil {
			return err
		}
		if d := limits[i].delay(n); d > 0 {
			if err := models.BlockLogin(ctx, s.DB, k, now.Add(d)); err != nil {
				return err
			}
		}
	}
	return nil
}

// delay is the wait imposed after the n-th failure.
func (l Limit) delay(n int) time.Duration {
	over := n - l.Free
	if over <= 0 {
		return 0
	}
	d := time.Duration(math.Min(float64(time.Second)*math.Pow(2, float64(over-1)), float64(l.Max)))
	return d
}

func throttleKeys(username, ip string) []string {
	// Keys are utf8mb4 columns on MySQL: never cut a character in half or keep bytes
	// that are not UTF-8, or a long Chinese user name fails the login with a 500.
	u := truncate(strings.ToValidUTF8(strings.ToLower(username), "\uFFFD"), 64)
	return []string{"ua:" + u + "|" + ip, "u:" + u, "a:" + ip}
}

// Session is a resolved cookie: the session row's id and its user.
type Session struct {
	ID   string
	User *models.User
}

// Resolve resolves a cookie token to a live session, ending it when idle or expired,
// without the grants (User.Grants is nil): one query for the session and its user, and
// a write at most once a minute. Requests that only act on
// the caller's own records (an examinee's autosaves) need no more; LoadGrants adds the
// grants when a role or scope is needed.
func (s *Service) Resolve(ctx context.Context, token string) (*Session, error) {
	if token == "" || len(token) > 128 {
		return nil, ErrNoSession
	}
	id := hashToken(token)
	sess, err := models.GetSessionUser(ctx, s.DB, id)
	if errors.Is(err, models.ErrNotFound) {
		return nil, ErrNoSession
	}
	if err != nil {
		return nil, err
	}
	now := s.Clock()
	if now.After(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) > s.Cfg.IdleTimeout {
		_ = models.DeleteSession(ctx, s.DB, id)
		return nil, ErrNoSession
	}
	if sess.User == nil || sess.User.Disabled {
		return nil, ErrNoSession
	}
	// Move the idle clock at most once a minute: autosaves keep an examinee logged in
	// without a session write on every request.
	if now.Sub(sess.LastSeenAt) > time.Minute {
		if err := models.TouchSession(ctx, s.DB, id, now); err != nil {
			return nil, err
		}
	}
	return &Session{ID: id, User: sess.User}, nil
}

// LoadGrants loads u's grants unless they are loaded already.
func (s *Service) LoadGrants(ctx context.Context, u *models.User) error {
	if u.Grants != nil {
		return nil
	}
	return models.LoadGrants(ctx, s.DB, u)
}

// Logout ends the session of token.
func (s *Service) Logout(ctx context.Context, actor models.Actor, token string) error {
	id := hashToken(token)
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.DeleteSession(ctx, tx, id); err != nil {
			return err
		}
		return models.Audit(tx, actor, "logout", "session", actor.UserID, nil)
	})
}

// newToken returns a cookie token with 256 random bits and the id it is stored under.
func newToken() (token, id string) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token)
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
