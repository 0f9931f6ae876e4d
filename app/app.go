// Package app is the Fiber application: configuration, the route table, middleware
// (sessions, roles, scope, CSRF, errors) and thin handlers.
package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"html/template"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"
	"github.com/gofiber/fiber/v2/utils"
	"gorm.io/gorm"

	"quality/accountability"
	"quality/accounts"
	"quality/exams"
	"quality/inspections"
	"quality/metrics"
	"quality/models"
	"quality/org"
	"quality/patrols"
	"quality/policy"
	"quality/rectifications"
	"quality/reports"
	"quality/storage"
	"quality/training"
)

// Deps are the services the app uses; main and tests build them.
type Deps struct {
	DB *gorm.DB
	// Log receives request and error logs; nil means slog.Default().
	Log *slog.Logger
	// Files keeps photos and generated workbooks; nil opens the store QUALITY_STORAGE
	// names (the folder QUALITY_DATA_DIR by default).
	Files storage.Store
	// Exports runs the ranking workbook jobs; nil makes one keeping its files in Files
	// (tests pass their own to wait for its jobs).
	Exports *reports.Exporter
}

// server holds what handlers need; handlers are its methods.
type server struct {
	cfg      Config
	db       *gorm.DB
	accounts *accounts.Service
	msgs     catalog
	csrf     *csrfTokens
	origins  []string // where unsafe requests may come from; nil: the request's own host
	routes   []route
	pages    map[string]*template.Template
	log      *slog.Logger
	exams    *exams.Service
	exports  *reports.Exporter
	// files is the one file storage every service that keeps files was built with.
	files storage.Store
	// The domain services, each built once here with the database, the clock and the
	// configured zone.
	inspections    *inspections.Service
	rectifications *rectifications.Service
	cases          *accountability.Service
	training       *training.Service
	metrics        *metrics.Service
	patrols        *patrols.Service
	rankings       *reports.Service
	org            *org.Service
	policy         *policy.Service
}

// New builds the whole application: main and every HTTP test use it.
func New(cfg Config, deps Deps) (*fiber.App, error) {
	msgs, err := loadCatalog()
	if err != nil {
		return nil, err
	}
	key, err := models.GetSecret(context.Background(), deps.DB, "csrf", randomHex)
	if err != nil {
		return nil, fmt.Errorf("load the CSRF key: %w", err)
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.BodyLimit == 0 {
		cfg.BodyLimit = 12 << 20
	}
	if cfg.Sessions.IdleTimeout == 0 {
		cfg.Sessions = accounts.DefaultConfig
	}
	origins, err := publicOrigins(cfg)
	if err != nil {
		return nil, err
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	log := deps.Log
	if log == nil {
		log = slog.Default()
	}
	files := deps.Files
	if files == nil {
		if files, err = storage.Open(context.Background(), cfg.Storage, cfg.DataDir); err != nil {
			return nil, fmt.Errorf("QUALITY_STORAGE=%s: %w", storage.Redact(cfg.Storage), err)
		}
	}
	exports := deps.Exports
	if exports == nil {
		exports = reports.NewExporter(reports.NewService(deps.DB, cfg.Location), files, log)
	}
	// One policy service, read by the settings routes and every service that counts
	// days or bounds photos.
	pol := policy.NewService(deps.DB)
	// One rectification service: its own routes and the inspections' submit, follow-up,
	// void and reopen all move rectifications through it.
	rects := rectifications.New(deps.DB, files, pol, cfg.Location)
	train := training.NewService(deps.DB, cfg.Location)
	if cfg.SignInGuesses > 0 {
		train.MaxSignInGuesses = cfg.SignInGuesses
	}
	s := &server{
		cases:          accountability.NewService(deps.DB, pol, cfg.Location),
		training:       train,
		metrics:        metrics.NewService(deps.DB, cfg.Location),
		patrols:        patrols.NewService(deps.DB, cfg.Location),
		rankings:       reports.NewService(deps.DB, cfg.Location),
		org:            org.NewService(deps.DB),
		policy:         pol,
		files:          files,
		inspections:    inspections.NewService(deps.DB, files, rects, pol, cfg.Location),
		rectifications: rects,
		exports:        exports,
		exams:          exams.NewService(deps.DB),
		log:            log,
		pages:          pages,
		cfg:            cfg,
		db:             deps.DB,
		accounts:       accounts.NewService(deps.DB, cfg.Sessions),
		msgs:           msgs,
		// A token lives no longer than a session can.
		csrf:    newCSRFTokens(key, cfg.Sessions.AbsoluteTimeout),
		origins: origins,
	}
	fcfg := fiber.Config{
		AppName:               "quality",
		BodyLimit:             cfg.BodyLimit,
		ErrorHandler:          s.errorHandler,
		DisableStartupMessage: true,
		ReadTimeout:           60 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
	}
	if len(cfg.TrustedProxies) > 0 {
		// Forwarded headers are believed only from the configured proxies.
		fcfg.EnableTrustedProxyCheck = true
		fcfg.TrustedProxies = cfg.TrustedProxies
		fcfg.ProxyHeader = fiber.HeaderXForwardedFor
	}
	a := fiber.New(fcfg)

	// Order: recover → request id → logger → headers → session → CSRF → per-route roles.
	a.Use(recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: func(c *fiber.Ctx, e any) {
		s.log.Error("panic", "request_id", requestID(c), "panic", fmt.Sprint(e), "stack", string(debug.Stack()))
	}}))
	// The request id is always ours: a client's X-Request-Id would flow unchecked into
	// logs and audit rows (and overflow the audit column on MySQL, failing the write).
	a.Use(func(c *fiber.Ctx) error { c.Request().Header.Del(fiber.HeaderXRequestID); return c.Next() })
	a.Use(requestid.New(requestid.Config{Generator: utils.UUIDv4}))
	a.Use(s.accessLog)
	a.Use(securityHeaders)
	a.Use(s.loadSession)
	a.Use(s.checkCSRF)

	s.routes = s.routeTable()
	for _, r := range s.routes {
		a.Add(r.Method, r.Path, s.guard(r), r.Handler)
	}
	return a, nil
}

func randomHex() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(b)
}
