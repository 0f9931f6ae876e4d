package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"quality/models"
)

// floorRow is a row of the floor's scratch table, about the size of an answer.
type floorRow struct {
	ID        uint64    `gorm:"primaryKey"`
	Username  string    `gorm:"size:64;not null"`
	Seq       int64     `gorm:"not null"`
	Choices   string    `gorm:"size:200;not null"`
	Text      string    `gorm:"size:500;not null"`
	CreatedAt time.Time `gorm:"not null"`
}

func (floorRow) TableName() string { return "examload_floor" }

// floorInput is what the floor endpoint takes, shaped like a save.
type floorInput struct {
	Choices []int  `json:"choices"`
	Text    string `json:"text"`
	Seq     int64  `json:"seq"`
}

// runFloor measures the floor: a bare Fiber app in this process, on a free loopback
// port and the same database (models.Open, so the same driver, pool and durability
// settings), whose one handler does one read (a user by name, as a session lookup
// would) and one INSERT (autocommit) into a scratch table; driven by the capacity loop.
func runFloor(ctx context.Context, cfg config) (int, error) {
	db, err := openDB(ctx, cfg.dsn)
	if err != nil {
		return 0, err
	}
	defer models.Close(db)
	m := db.WithContext(ctx).Migrator()
	if m.HasTable(&floorRow{}) {
		if err := m.DropTable(&floorRow{}); err != nil {
			return 0, err
		}
	}
	if err := m.CreateTable(&floorRow{}); err != nil {
		return 0, fmt.Errorf("create the scratch table examload_floor: %w", err)
	}
	defer func() {
		if err := db.Migrator().DropTable(&floorRow{}); err != nil {
			fmt.Fprintln(os.Stderr, "examload: drop examload_floor:", err)
		}
	}()

	app := fiber.New(fiber.Config{DisableStartupMessage: true, ReadTimeout: 60 * time.Second, WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute})
	app.Put("/floor/:user", func(c *fiber.Ctx) error {
		var in floorInput
		if err := c.BodyParser(&in); err != nil {
			return fiber.ErrBadRequest
		}
		user := c.Params("user")
		var id uint
		if err := db.WithContext(c.UserContext()).Raw("SELECT id FROM users WHERE username = ?", user).Scan(&id).Error; err != nil {
			return err
		}
		choices, _ := models.JSONList[int](in.Choices).Value()
		row := floorRow{Username: user, Seq: in.Seq, Choices: choices.(string), Text: in.Text, CreatedAt: time.Now().UTC()}
		if err := db.WithContext(c.UserContext()).Create(&row).Error; err != nil {
			return err
		}
		return c.JSON(fiber.Map{"id": row.ID, "seq": in.Seq})
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	go func() { _ = app.Listener(ln) }()
	defer func() { _ = app.ShutdownWithTimeout(5 * time.Second) }()

	base := "http://" + ln.Addr().String()
	hc := newHTTPClient(cfg.conc)
	o := newOp("floor")
	fmt.Printf("examload floor: bare Fiber, one read + one INSERT per request on %s; %d clients × %d requests, %d at once\n",
		redact(cfg.dsn), cfg.n, cfg.saves, cfg.conc)
	fmt.Printf("machine: %s\n", machine())
	runCtx, cancel := context.WithTimeout(ctx, cfg.deadline)
	defer cancel()
	slots := make(chan struct{}, cfg.conc)
	names := usernames(cfg.prefix, cfg.n)
	var wg sync.WaitGroup
	cpu := startCPU()
	cpu.inProcess = true
	t0 := time.Now()
	for i, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if !acquire(runCtx, slots) {
				return
			}
			defer func() { <-slots }()
			for k := range cfg.saves {
				in := floorInput{Choices: []int{i % 4, k % 4}, Seq: int64(k + 1)}
				t := time.Now()
				res, err := call(runCtx, hc, cfg.timeout, base, nil, http.MethodPut, "/floor/"+name, in)
				if err == nil && res.status == http.StatusOK {
					o.ok(t)
					continue
				}
				o.fail(t, res, err)
				if err != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	wall := time.Since(t0)
	usage := cpu.report(o.summary().OK)
	fmt.Println()
	printOps(os.Stdout, o)
	var rows int64
	if err := db.WithContext(ctx).Model(&floorRow{}).Count(&rows).Error; err != nil {
		return 0, err
	}
	s := o.summary()
	fmt.Printf("floor: %.0f req/s over %.1f s (%s; after: %s); %d rows inserted for %d acknowledged\n", s.PerSecond, wall.Seconds(), usage, loadavg(), rows, s.OK)
	if rows < int64(s.OK) {
		fmt.Println("the floor LOST rows it acknowledged")
		return 1, nil
	}
	return 0, nil
}
