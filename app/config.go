package app

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"quality/accounts"
	"quality/storage"
)

// Config is the server's configuration, read from QUALITY_* environment variables.
type Config struct {
	Addr string // QUALITY_ADDR
	// PublicURL is where users reach the product (scheme://host[:port]); unsafe requests
	// from any other origin are refused. Empty: the listen address (see publicOrigins).
	PublicURL string // QUALITY_PUBLIC_URL
	DB        string // QUALITY_DB
	DataDir   string // QUALITY_DATA_DIR
	// Storage says where photos and workbooks are kept: "" (the folder DataDir) or an
	// S3 bucket (storage.Parse).
	Storage       string // QUALITY_STORAGE
	AdminPassword string // QUALITY_ADMIN_PASSWORD
	DemoPassword  string // QUALITY_DEMO_PASSWORD
	// TrustedProxies are addresses whose X-Forwarded-* headers are believed.
	TrustedProxies []string // QUALITY_TRUSTED_PROXIES
	// AcceptWeakDurability starts the server on an engine that may lose commits.
	AcceptWeakDurability bool // QUALITY_ACCEPT_WEAK_DURABILITY
	// SecureCookies marks cookies Secure even when TLS ends at a proxy that is not trusted.
	SecureCookies bool // QUALITY_SECURE_COOKIES
	// SignInGuesses is how many codes a user may try at one session's self sign-in
	// (0: training.DefaultSignInGuesses).
	SignInGuesses int // QUALITY_SIGN_IN_GUESSES
	// BodyLimit bounds request bodies (imports are the largest).
	BodyLimit int
	Location  *time.Location
	Sessions  accounts.Config
}

// EnvVar documents one configuration variable, for the README and `quality help`.
type EnvVar struct{ Name, Default, Meaning string }

// EnvVars lists every variable the server reads.
var EnvVars = []EnvVar{
	{"QUALITY_ADDR", "127.0.0.1:8080", "listen address"},
	{"QUALITY_PUBLIC_URL", "http://QUALITY_ADDR", "address users open (https://quality.example.cn behind a proxy); forms and API writes from any other origin are refused; unset with a 0.0.0.0 or :PORT address, each request's own host is used"},
	{"QUALITY_DB", "sqlite:./data/quality.db", "database: sqlite:PATH or mysql://user:pass@tcp(host:3306)/name"},
	{"QUALITY_DATA_DIR", "./data", "folder of the SQLite database and, with QUALITY_STORAGE=local, of photos and workbooks"},
	{"QUALITY_STORAGE", "local", "where photos and generated workbooks are kept: local (under QUALITY_DATA_DIR) or s3://ACCESS:SECRET@HOST:PORT/BUCKET[/PREFIX][?secure=false&region=R] (an S3-compatible bucket that exists; keys URL-escaped; HTTPS unless secure=false), needed to run several instances"},
	{"QUALITY_ADMIN_PASSWORD", "(random, printed once)", "password of the admin account created on first start"},
	{"QUALITY_DEMO_PASSWORD", "demo-2026", "password of the demo users (serve --demo only)"},
	{"QUALITY_TRUSTED_PROXIES", "(none)", "comma-separated proxy addresses whose X-Forwarded-For/-Proto are trusted"},
	{"QUALITY_ACCEPT_WEAK_DURABILITY", "0", "1 lets the server start on a database that may lose commits on power loss"},
	{"QUALITY_SECURE_COOKIES", "0", "1 marks cookies Secure (set it when users reach the server over HTTPS)"},
	{"QUALITY_SESSION_IDLE", "2h", "a session ends after this long without a request"},
	{"QUALITY_SESSION_MAX", "12h", "a session ends this long after login, however busy"},
	{"QUALITY_SIGN_IN_GUESSES", "5", "wrong course sign-in codes one user may try per session before the trainer must open a new code"},
}

// ConfigFromEnv reads the configuration, naming the variable of any bad value.
func ConfigFromEnv() (Config, error) {
	cfg := Config{
		Addr:          env("QUALITY_ADDR", "127.0.0.1:8080"),
		PublicURL:     os.Getenv("QUALITY_PUBLIC_URL"),
		DB:            env("QUALITY_DB", "sqlite:./data/quality.db"),
		DataDir:       env("QUALITY_DATA_DIR", "./data"),
		Storage:       os.Getenv("QUALITY_STORAGE"),
		AdminPassword: os.Getenv("QUALITY_ADMIN_PASSWORD"),
		DemoPassword:  env("QUALITY_DEMO_PASSWORD", "demo-2026"),
		BodyLimit:     12 << 20,
		Sessions:      accounts.DefaultConfig,
	}
	if _, err := storage.Parse(cfg.Storage); err != nil {
		return cfg, fmt.Errorf("QUALITY_STORAGE=%s: %w", storage.Redact(cfg.Storage), err)
	}
	if _, err := publicOrigins(cfg); err != nil {
		return cfg, err
	}
	if v := os.Getenv("QUALITY_TRUSTED_PROXIES"); v != "" {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				cfg.TrustedProxies = append(cfg.TrustedProxies, p)
			}
		}
	}
	if v := os.Getenv("QUALITY_ACCEPT_WEAK_DURABILITY"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return cfg, fmt.Errorf("QUALITY_ACCEPT_WEAK_DURABILITY=%q: want 0 or 1", v)
		}
		cfg.AcceptWeakDurability = b
	}
	if v := os.Getenv("QUALITY_SECURE_COOKIES"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return cfg, fmt.Errorf("QUALITY_SECURE_COOKIES=%q: want 0 or 1", v)
		}
		cfg.SecureCookies = b
	}
	if v := os.Getenv("QUALITY_SIGN_IN_GUESSES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return cfg, fmt.Errorf("QUALITY_SIGN_IN_GUESSES=%q: want a whole number from 1 to 1000", v)
		}
		cfg.SignInGuesses = n
	}
	for _, d := range []struct {
		name string
		dst  *time.Duration
	}{{"QUALITY_SESSION_IDLE", &cfg.Sessions.IdleTimeout}, {"QUALITY_SESSION_MAX", &cfg.Sessions.AbsoluteTimeout}} {
		if v := os.Getenv(d.name); v != "" {
			p, err := time.ParseDuration(v)
			if err != nil || p <= 0 {
				return cfg, fmt.Errorf("%s=%q: want a duration such as 2h", d.name, v)
			}
			*d.dst = p
		}
	}
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return cfg, fmt.Errorf("load time zone Asia/Shanghai: %w", err)
	}
	cfg.Location = loc
	return cfg, nil
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
