package models

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// Actor is who makes a change and from where; every write takes one so that its
// audit event is written in the same transaction.
type Actor struct {
	UserID    uint
	Username  string
	IP        string
	RequestID string
}

// SystemActor is the actor of seeds, migrations and CLI commands.
var SystemActor = Actor{Username: "system"}

// AuditEvent is one append-only line of the audit log: who did what to which record.
type AuditEvent struct {
	ID        uint64    `gorm:"primaryKey" json:"id"`
	At        time.Time `gorm:"not null;index" json:"at"`
	ActorID   *uint     `gorm:"index" json:"actor_id"`
	ActorName string    `gorm:"size:64;not null" json:"actor_name"`
	Action    string    `gorm:"size:32;not null;index" json:"action"`
	Entity    string    `gorm:"size:32;not null;index:idx_audit_entity" json:"entity"`
	EntityID  string    `gorm:"size:64;not null;index:idx_audit_entity" json:"entity_id"`
	Summary   string    `gorm:"type:text" json:"summary"`
	IP        string    `gorm:"size:64" json:"ip"`
	RequestID string    `gorm:"size:64" json:"request_id"`
	// ActorDisplayName is the actor's name as their account shows it now (the login
	// name for system and for a user without one); read with the list, not stored.
	ActorDisplayName string `gorm:"-" json:"actor_display_name"`
}

// Change is the before and after of one field in an update summary.
type Change struct {
	From any `json:"from"`
	To   any `json:"to"`
}

// Audit writes one event with tx, which must be the transaction of the change itself.
func Audit(tx *gorm.DB, actor Actor, action, entity string, id any, summary any) error {
	return tx.Create(newAuditEvent(actor, action, entity, id, summary)).Error
}

// AuditMany writes several events of one actor in one batch insert.
func AuditMany(tx *gorm.DB, events []*AuditEvent) error {
	if len(events) == 0 {
		return nil
	}
	return tx.CreateInBatches(events, 200).Error
}

// NewAuditEvent builds an event for AuditMany.
func NewAuditEvent(actor Actor, action, entity string, id any, summary any) *AuditEvent {
	return newAuditEvent(actor, action, entity, id, summary)
}

func newAuditEvent(actor Actor, action, entity string, id any, summary any) *AuditEvent {
	var text string
	switch s := summary.(type) {
	case nil:
	case string:
		text = s
	default:
		b, err := json.Marshal(s)
		if err != nil {
			text = "unprintable summary: " + err.Error()
		} else {
			text = string(b)
		}
	}
	e := &AuditEvent{
		At:        time.Now().UTC(),
		ActorName: actor.Username,
		Action:    action,
		Entity:    entity,
		EntityID:  idString(id),
		Summary:   text,
		IP:        actor.IP,
		RequestID: actor.RequestID,
	}
	if actor.UserID != 0 {
		uid := actor.UserID
		e.ActorID = &uid
	}
	if e.ActorName == "" {
		e.ActorName = "system"
	}
	return e
}

func idString(id any) string {
	switch v := id.(type) {
	case uint:
		return strconv.FormatUint(uint64(v), 10)
	case uint64:
		return strconv.FormatUint(v, 10)
	case int:
		return strconv.Itoa(v)
	case string:
		return v
	case nil:
		return ""
	}
	b, _ := json.Marshal(id)
	return string(b)
}

// AuditFilter selects audit events; zero fields do not filter.
type AuditFilter struct {
	ActorID uint
	// System keeps the events without a user: seeds, migrations, CLI commands, sweeps.
	System   bool
	Action   string
	Entity   string
	EntityID string
	From, To time.Time
	Page
}

// ErrForbidden refuses a read that the caller's scope cannot narrow, such as the
// province-wide audit log to an admin of one city.
var ErrForbidden = errors.New("forbidden")

// ListAuditEvents returns events newest first. Events are not tied to org units, so only
// a caller who sees the whole province may read them.
func ListAuditEvents(ctx context.Context, db *gorm.DB, scope Scope, f AuditFilter) (List[AuditEvent], error) {
	if !scope.All {
		return List[AuditEvent]{}, ErrForbidden
	}
	q := db.WithContext(ctx).Model(&AuditEvent{})
	if f.ActorID != 0 {
		q = q.Where("actor_id = ?", f.ActorID)
	}
	if f.System {
		q = q.Where("actor_id IS NULL")
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if f.Entity != "" {
		q = q.Where("entity = ?", f.Entity)
	}
	if f.EntityID != "" {
		q = q.Where("entity_id = ?", f.EntityID)
	}
	if !f.From.IsZero() {
		q = q.Where("at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("at < ?", f.To.UTC())
	}
	var out List[AuditEvent]
	if err := q.Count(&out.Total).Error; err != nil {
		return out, err
	}
	p := f.Page.Normalize()
	out.Items = []AuditEvent{}
	if err := q.Order("id DESC").Offset(p.Offset()).Limit(p.PerPage).Find(&out.Items).Error; err != nil {
		return out, err
	}
	var ids []uint
	for _, ev := range out.Items {
		if ev.ActorID != nil {
			ids = append(ids, *ev.ActorID)
		}
	}
	names, err := displayNames(ctx, db, ids)
	if err != nil {
		return out, err
	}
	for i := range out.Items {
		out.Items[i].ActorDisplayName = out.Items[i].ActorName
		if id := out.Items[i].ActorID; id != nil && names[*id] != "" {
			out.Items[i].ActorDisplayName = names[*id]
		}
	}
	return out, nil
}

// Diff compares named before/after values and keeps those that changed.
func Diff(pairs map[string][2]any) map[string]Change {
	out := map[string]Change{}
	for k, v := range pairs {
		if !sameValue(v[0], v[1]) {
			out[k] = Change{From: v[0], To: v[1]}
		}
	}
	return out
}

func sameValue(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}
