package models

import "time"

// The tables of migration steps 2 (training and exams) and 3 (inspections and
// accountability), frozen as the supervision release (e48c157, the build that wrote
// both steps) declared them: later model edits must come with steps of their own and
// never change what these two create on a database of the foundation release. Only
// the column shapes matter here, so the models' own types are spelled as the columns
// they made: a JSON list as text, a Percent as DECIMAL(5,2), a Date as DATE. The org
// unit, employee and user tables are the foundation's; they appear only as the targets
// of foreign keys.
//
// Generated once from that commit's models (their gorm tags kept verbatim); edit only
// to correct a difference from what it created.

// v3TrainingTables are step 2's tables, parents before children.
func v3TrainingTables() []any {
	return []any{
		&v3Question{}, &v3Exam{}, &v3ExamOverride{}, &v3Attempt{}, &v3AttemptQuestion{}, &v3Answer{},
		&v3HandbookVersion{}, &v3Acknowledgement{},
		&v3Certificate{},
		&v3Course{}, &v3CourseSession{}, &v3Attendance{}, &v3Completion{}, &v3OnboardingPlan{},
		&v3Regrade{},
	}
}

// v3InspectionTables are step 3's tables, parents before children.
func v3InspectionTables() []any {
	return []any{
		&v3Setting{},
		&v3ChecklistTemplate{}, &v3PatrolPlan{}, &v3PatrolStop{},
		&v3Inspection{}, &v3InspectionItem{}, &v3Photo{},
		&v3Finding{}, &v3Rectification{}, &v3RectificationEvent{}, &v3Escalation{},
		&v3AccountabilityCase{}, &v3CaseFinding{}, &v3CasePerson{},
	}
}

type v3Question struct {
	ID          uint   `gorm:"primaryKey"`
	Code        string `gorm:"size:64;not null;uniqueIndex:ux_question_version"`
	Version     int    `gorm:"not null;uniqueIndex:ux_question_version"`
	Latest      bool   `gorm:"not null;index"`
	Archived    bool   `gorm:"not null"`
	Kind        string `gorm:"size:16;not null"`
	Category    string `gorm:"size:16;not null;index"`
	Difficulty  int    `gorm:"not null"`
	Stem        string `gorm:"type:text;not null"`
	Options     string `gorm:"not null;type:text"`
	Answer      string `gorm:"not null;type:text"`
	Accepted    string `gorm:"not null;type:text"`
	Explanation string `gorm:"type:text;not null"`
	Rule        string `gorm:"size:16;not null"`
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (v3Question) TableName() string { return "questions" }

type v3Exam struct {
	ID               uint      `gorm:"primaryKey"`
	Title            string    `gorm:"size:200;not null"`
	Kind             string    `gorm:"size:16;not null;index"`
	Status           string    `gorm:"size:16;not null;index"`
	Blueprint        string    `gorm:"not null;type:text"`
	Fixed            string    `gorm:"not null;type:text"`
	TimeLimitMinutes int       `gorm:"not null"`
	OpensAt          time.Time `gorm:"not null"`
	ClosesAt         time.Time `gorm:"not null"`
	PassPercent      int       `gorm:"not null"`
	AttemptsAllowed  int       `gorm:"not null"`
	CoolOffMinutes   int       `gorm:"not null"`
	Grading          string    `gorm:"size:16;not null"`
	ShuffleQuestions bool      `gorm:"not null"`
	ShuffleOptions   bool      `gorm:"not null"`
	Positions        string    `gorm:"not null;type:text"`
	OrgUnitIDs       string    `gorm:"not null;type:text"`
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

func (v3Exam) TableName() string { return "exams" }

type v3ExamOverride struct {
	ID            uint        `gorm:"primaryKey"`
	ExamID        uint        `gorm:"not null;uniqueIndex:ux_override"`
	Exam          *v3Exam     `gorm:"constraint:OnDelete:CASCADE"`
	EmployeeID    uint        `gorm:"not null;uniqueIndex:ux_override"`
	Employee      *v3Employee `gorm:"constraint:OnDelete:CASCADE"`
	ExtraMinutes  int         `gorm:"not null"`
	ExtraAttempts int         `gorm:"not null"`
	Reason        string      `gorm:"size:500;not null"`
	CreatedAt     time.Time
}

func (v3ExamOverride) TableName() string { return "exam_overrides" }

type v3Attempt struct {
	ID            uint        `gorm:"primaryKey"`
	ExamID        uint        `gorm:"not null;index:idx_attempt_person"`
	Exam          *v3Exam     `gorm:"constraint:OnDelete:RESTRICT"`
	EmployeeID    uint        `gorm:"not null;index:idx_attempt_person"`
	Employee      *v3Employee `gorm:"constraint:OnDelete:RESTRICT"`
	Number        int         `gorm:"not null"`
	OpenKey       *string     `gorm:"size:64;uniqueIndex"`
	Status        string      `gorm:"size:16;not null;index:idx_attempt_due"`
	StartedAt     time.Time   `gorm:"not null"`
	Deadline      time.Time   `gorm:"not null;index:idx_attempt_due"`
	SubmittedAt   *time.Time
	AutoSubmitted bool `gorm:"not null"`
	Points        int  `gorm:"not null"`
	MaxPoints     int  `gorm:"not null"`
	Passed        bool `gorm:"not null"`
}

func (v3Attempt) TableName() string { return "attempts" }

type v3AttemptQuestion struct {
	ID          uint        `gorm:"primaryKey"`
	AttemptID   uint        `gorm:"not null;uniqueIndex:ux_paper_position;uniqueIndex:ux_paper_question"`
	Attempt     *v3Attempt  `gorm:"constraint:OnDelete:CASCADE"`
	Position    int         `gorm:"not null;uniqueIndex:ux_paper_position"`
	QuestionID  uint        `gorm:"not null;uniqueIndex:ux_paper_question;index"`
	Question    *v3Question `gorm:"constraint:OnDelete:RESTRICT"`
	Points      int         `gorm:"not null"`
	OptionOrder string      `gorm:"not null;type:text"`
}

func (v3AttemptQuestion) TableName() string { return "attempt_questions" }

type v3Answer struct {
	ID         uint       `gorm:"primaryKey"`
	AttemptID  uint       `gorm:"not null;uniqueIndex:ux_answer"`
	Attempt    *v3Attempt `gorm:"constraint:OnDelete:CASCADE"`
	QuestionID uint       `gorm:"not null;uniqueIndex:ux_answer"`
	Choices    string     `gorm:"not null;type:text"`
	Text       string     `gorm:"size:500;not null"`
	Seq        int64      `gorm:"not null"`
	SavedAt    time.Time  `gorm:"not null"`
	Correct    bool       `gorm:"not null"`
	Points     int        `gorm:"not null"`
}

func (v3Answer) TableName() string { return "answers" }

type v3HandbookVersion struct {
	ID          uint   `gorm:"primaryKey"`
	Version     string `gorm:"size:16;not null;uniqueIndex"`
	Major       int    `gorm:"not null;index"`
	Minor       int    `gorm:"not null"`
	Title       string `gorm:"size:200;not null"`
	Body        string `gorm:"type:mediumtext;not null"`
	Status      string `gorm:"size:16;not null;index"`
	PublishedAt *time.Time
	CurrentKey  *int `gorm:"uniqueIndex"`
	Current     bool `gorm:"-"`
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (v3HandbookVersion) TableName() string { return "handbook_versions" }

type v3Acknowledgement struct {
	ID         uint               `gorm:"primaryKey"`
	EmployeeID uint               `gorm:"not null;uniqueIndex:ux_ack_employee_version"`
	Employee   *v3Employee        `gorm:"constraint:OnDelete:RESTRICT"`
	VersionID  uint               `gorm:"not null;uniqueIndex:ux_ack_employee_version;index"`
	Version    *v3HandbookVersion `gorm:"constraint:OnDelete:RESTRICT"`
	UserID     *uint              `gorm:"index"`
	User       *v3User            `gorm:"constraint:OnDelete:RESTRICT"`
	At         time.Time          `gorm:"not null"`
	IP         string             `gorm:"size:64;not null"`
	UserAgent  string             `gorm:"size:255;not null"`
}

func (v3Acknowledgement) TableName() string { return "acknowledgements" }

type v3Certificate struct {
	ID            uint        `gorm:"primaryKey"`
	Number        string      `gorm:"size:32;not null;uniqueIndex"`
	Code          string      `gorm:"size:32;not null;uniqueIndex"`
	EmployeeID    uint        `gorm:"not null;index:idx_certificate_holder"`
	Employee      *v3Employee `gorm:"constraint:OnDelete:RESTRICT"`
	AttemptID     uint        `gorm:"not null;uniqueIndex"`
	Attempt       *v3Attempt  `gorm:"constraint:OnDelete:RESTRICT"`
	ExamID        uint        `gorm:"not null;index"`
	Exam          *v3Exam     `gorm:"constraint:OnDelete:RESTRICT"`
	Kind          string      `gorm:"size:16;not null;index:idx_certificate_holder"`
	IssuedAt      time.Time   `gorm:"not null;index:idx_certificate_holder"`
	ExpiresAt     time.Time   `gorm:"not null;index"`
	RevokedAt     *time.Time
	RevokedReason string `gorm:"size:500;not null"`
	RevokedBy     *uint
	CreatedAt     time.Time
}

func (v3Certificate) TableName() string { return "certificates" }

type v3Course struct {
	ID          uint   `gorm:"primaryKey"`
	Title       string `gorm:"size:200;not null"`
	Category    string `gorm:"size:16;not null;index"`
	Mode        string `gorm:"size:16;not null"`
	Status      string `gorm:"size:16;not null;index"`
	Positions   string `gorm:"not null;type:text"`
	Materials   string `gorm:"type:mediumtext;not null"`
	PublishedAt *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (v3Course) TableName() string { return "courses" }

type v3CourseSession struct {
	ID            uint       `gorm:"primaryKey"`
	CourseID      uint       `gorm:"not null;index"`
	Course        *v3Course  `gorm:"constraint:OnDelete:RESTRICT"`
	StartsAt      time.Time  `gorm:"not null"`
	EndsAt        time.Time  `gorm:"not null"`
	Place         string     `gorm:"size:200;not null"`
	OrgUnitID     uint       `gorm:"not null;index"`
	OrgUnit       *v3OrgUnit `gorm:"constraint:OnDelete:RESTRICT"`
	SignInCode    *string    `gorm:"size:16"`
	SignInExpires *time.Time
	CreatedAt     time.Time
}

func (v3CourseSession) TableName() string { return "course_sessions" }

type v3Attendance struct {
	ID         uint             `gorm:"primaryKey"`
	SessionID  uint             `gorm:"not null;uniqueIndex:ux_attendance"`
	Session    *v3CourseSession `gorm:"constraint:OnDelete:RESTRICT"`
	EmployeeID uint             `gorm:"not null;uniqueIndex:ux_attendance;index"`
	Employee   *v3Employee      `gorm:"constraint:OnDelete:RESTRICT"`
	Method     string           `gorm:"size:16;not null"`
	At         time.Time        `gorm:"not null"`
	ByUserID   *uint
}

func (v3Attendance) TableName() string { return "attendances" }

type v3Completion struct {
	ID         uint        `gorm:"primaryKey"`
	CourseID   uint        `gorm:"not null;uniqueIndex:ux_completion"`
	Course     *v3Course   `gorm:"constraint:OnDelete:RESTRICT"`
	EmployeeID uint        `gorm:"not null;uniqueIndex:ux_completion;index"`
	Employee   *v3Employee `gorm:"constraint:OnDelete:RESTRICT"`
	At         time.Time   `gorm:"not null"`
	Method     string      `gorm:"size:16;not null"`
}

func (v3Completion) TableName() string { return "completions" }

type v3OnboardingPlan struct {
	ID         uint   `gorm:"primaryKey"`
	DueDays    int    `gorm:"not null"`
	WindowDays int    `gorm:"not null"`
	CourseIDs  string `gorm:"not null;type:text"`
	ExamID     *uint
	UpdatedAt  time.Time
}

func (v3OnboardingPlan) TableName() string { return "onboarding_plans" }

type v3Regrade struct {
	ID        uint       `gorm:"primaryKey"`
	AttemptID uint       `gorm:"not null;index"`
	Attempt   *v3Attempt `gorm:"constraint:OnDelete:CASCADE"`
	OldPoints int        `gorm:"not null"`
	OldPassed bool       `gorm:"not null"`
	NewPoints int        `gorm:"not null"`
	NewPassed bool       `gorm:"not null"`
	At        time.Time  `gorm:"not null"`
	ActorName string     `gorm:"size:64;not null"`
}

func (v3Regrade) TableName() string { return "regrades" }

type v3Setting struct {
	Name      string    `gorm:"primaryKey;size:64"`
	Value     string    `gorm:"type:text;not null"`
	UpdatedAt time.Time `gorm:"not null"`
	UpdatedBy *uint
}

func (v3Setting) TableName() string { return "settings" }

type v3ChecklistTemplate struct {
	ID          uint   `gorm:"primaryKey"`
	Code        string `gorm:"size:32;not null;uniqueIndex:ux_template_version"`
	Version     int    `gorm:"not null;uniqueIndex:ux_template_version"`
	Title       string `gorm:"size:200;not null"`
	Description string `gorm:"size:2000;not null"`
	Status      string `gorm:"size:16;not null;index"`
	Sections    string `gorm:"not null;type:text"`
	PassMark    int    `gorm:"not null"`
	PublishedAt *time.Time
	RetiredAt   *time.Time
	CreatedBy   *uint
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (v3ChecklistTemplate) TableName() string { return "checklist_templates" }

type v3PatrolPlan struct {
	ID           uint       `gorm:"primaryKey"`
	Title        string     `gorm:"size:200;not null"`
	InspectorID  uint       `gorm:"not null;index"`
	Inspector    *v3User    `gorm:"constraint:OnDelete:RESTRICT"`
	OrgUnitID    uint       `gorm:"not null;index"`
	OrgUnit      *v3OrgUnit `gorm:"constraint:OnDelete:RESTRICT"`
	TemplateCode string     `gorm:"size:32;not null"`
	StartsOn     time.Time  `gorm:"not null;index;type:date"`
	EndsOn       time.Time  `gorm:"not null;index;type:date"`
	CreatedBy    *uint
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (v3PatrolPlan) TableName() string { return "patrol_plans" }

type v3PatrolStop struct {
	ID           uint          `gorm:"primaryKey"`
	PlanID       uint          `gorm:"not null;uniqueIndex:ux_patrol_stop"`
	Plan         *v3PatrolPlan `gorm:"constraint:OnDelete:CASCADE"`
	OrgUnitID    uint          `gorm:"not null;uniqueIndex:ux_patrol_stop;index"`
	OrgUnit      *v3OrgUnit    `gorm:"constraint:OnDelete:RESTRICT"`
	DueOn        time.Time     `gorm:"not null;index;type:date"`
	InspectionID *uint         `gorm:"index"`
}

func (v3PatrolStop) TableName() string { return "patrol_stops" }

type v3Inspection struct {
	ID             uint                 `gorm:"primaryKey"`
	ClientID       string               `gorm:"size:64;not null;uniqueIndex:ux_inspection_client"`
	RequestHash    string               `gorm:"size:64;not null"`
	InspectorID    uint                 `gorm:"not null;uniqueIndex:ux_inspection_client;index"`
	Inspector      *v3User              `gorm:"constraint:OnDelete:RESTRICT"`
	TemplateID     uint                 `gorm:"not null;index"`
	Template       *v3ChecklistTemplate `gorm:"constraint:OnDelete:RESTRICT"`
	OrgUnitID      uint                 `gorm:"not null;index"`
	OrgUnit        *v3OrgUnit           `gorm:"constraint:OnDelete:RESTRICT"`
	PatrolStopID   *uint                `gorm:"index"`
	FollowUpOf     *uint                `gorm:"index"`
	Status         string               `gorm:"size:16;not null;index"`
	StartedAt      time.Time            `gorm:"not null;index"`
	SubmittedAt    *time.Time           `gorm:"index"`
	Lat            *float64
	Lng            *float64
	DistanceM      *int
	FarFromOutlet  bool   `gorm:"not null"`
	Confirmation   string `gorm:"size:200;not null"`
	Earned         int    `gorm:"not null"`
	Possible       int    `gorm:"not null"`
	Score          *int64 `gorm:"type:decimal(5,2)"`
	Result         string `gorm:"size:16;not null;index"`
	CriticalFailed bool   `gorm:"not null"`
	Revision       int    `gorm:"not null"`
	ReopenCount    int    `gorm:"not null"`
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

func (v3Inspection) TableName() string { return "inspections" }

type v3InspectionItem struct {
	ID             uint   `gorm:"primaryKey"`
	InspectionID   uint   `gorm:"not null;uniqueIndex:ux_inspection_item"`
	Key            string `gorm:"size:16;not null;uniqueIndex:ux_inspection_item"`
	Position       int    `gorm:"not null"`
	Section        string `gorm:"size:200;not null"`
	Text           string `gorm:"size:1000;not null"`
	Guidance       string `gorm:"size:2000;not null"`
	RuleRef        string `gorm:"size:16;not null"`
	Response       string `gorm:"size:16;not null"`
	MaxScore       int    `gorm:"not null"`
	PassScore      int    `gorm:"not null"`
	Weight         int    `gorm:"not null"`
	Critical       bool   `gorm:"not null"`
	EvidenceOnFail bool   `gorm:"not null"`
	Required       bool   `gorm:"not null"`
	Outcome        string `gorm:"size:8;not null"`
	Points         *int
	Note           string `gorm:"size:2000;not null"`
	Rev            int    `gorm:"not null"`
	AnsweredAt     *time.Time
}

func (v3InspectionItem) TableName() string { return "inspection_items" }

type v3Photo struct {
	ID               uint   `gorm:"primaryKey"`
	SHA256           string `gorm:"size:64;not null;index"`
	Size             int64  `gorm:"not null"`
	MIME             string `gorm:"size:32;not null"`
	Width            int    `gorm:"not null"`
	Height           int    `gorm:"not null"`
	InspectionItemID *uint  `gorm:"index"`
	RectificationID  *uint  `gorm:"index"`
	OrgUnitID        uint   `gorm:"not null;index"`
	CapturedAt       *time.Time
	UploadedBy       uint `gorm:"not null"`
	CreatedAt        time.Time
}

func (v3Photo) TableName() string { return "photos" }

type v3Finding struct {
	ID               uint              `gorm:"primaryKey"`
	InspectionID     uint              `gorm:"not null;index"`
	Inspection       *v3Inspection     `gorm:"constraint:OnDelete:RESTRICT"`
	InspectionItemID uint              `gorm:"not null;uniqueIndex"`
	InspectionItem   *v3InspectionItem `gorm:"constraint:OnDelete:RESTRICT"`
	OrgUnitID        uint              `gorm:"not null;index"`
	OrgUnit          *v3OrgUnit        `gorm:"constraint:OnDelete:RESTRICT"`
	ItemKey          string            `gorm:"size:16;not null"`
	RuleRef          string            `gorm:"size:16;not null;index"`
	Text             string            `gorm:"size:1000;not null"`
	Note             string            `gorm:"size:2000;not null"`
	Critical         bool              `gorm:"not null"`
	FoundAt          time.Time         `gorm:"not null;index"`
	VoidedAt         *time.Time
	VoidReason       string `gorm:"size:1000;not null"`
	VoidedBy         *uint
	CreatedAt        time.Time
}

func (v3Finding) TableName() string { return "findings" }

type v3Rectification struct {
	ID                   uint       `gorm:"primaryKey"`
	FindingID            uint       `gorm:"not null;uniqueIndex"`
	Finding              *v3Finding `gorm:"constraint:OnDelete:RESTRICT"`
	OrgUnitID            uint       `gorm:"not null;index"`
	AssigneeUnitID       uint       `gorm:"not null;index"`
	AssigneeUnit         *v3OrgUnit `gorm:"constraint:OnDelete:RESTRICT"`
	Critical             bool       `gorm:"not null"`
	Status               string     `gorm:"size:16;not null;index"`
	DueOn                time.Time  `gorm:"not null;index;type:date"`
	EvidenceText         string     `gorm:"size:2000;not null"`
	SubmittedAt          *time.Time
	SubmittedBy          *uint
	VerifiedAt           *time.Time
	VerifiedBy           *uint
	WaiverReason         string `gorm:"size:1000;not null"`
	WaivedBy             *uint
	FollowUpInspectionID *uint
	Revision             int       `gorm:"not null"`
	CreatedAt            time.Time `gorm:"index"`
	UpdatedAt            time.Time
}

func (v3Rectification) TableName() string { return "rectifications" }

type v3RectificationEvent struct {
	ID              uint64    `gorm:"primaryKey"`
	RectificationID uint      `gorm:"not null;index"`
	At              time.Time `gorm:"not null"`
	ActorID         *uint
	ActorName       string `gorm:"size:64;not null"`
	From            string `gorm:"column:from_status;size:16;not null"`
	To              string `gorm:"column:to_status;size:16;not null"`
	Reason          string `gorm:"size:2000;not null"`
}

func (v3RectificationEvent) TableName() string { return "rectification_events" }

type v3Escalation struct {
	ID              uint             `gorm:"primaryKey"`
	RectificationID uint             `gorm:"not null;uniqueIndex:ux_escalation"`
	Rectification   *v3Rectification `gorm:"constraint:OnDelete:RESTRICT"`
	Level           string           `gorm:"size:16;not null;uniqueIndex:ux_escalation"`
	NotifiedUnitID  uint             `gorm:"not null;index"`
	At              time.Time        `gorm:"not null;index"`
}

func (v3Escalation) TableName() string { return "escalations" }

type v3AccountabilityCase struct {
	ID             uint       `gorm:"primaryKey"`
	Number         string     `gorm:"size:32;not null;uniqueIndex"`
	Title          string     `gorm:"size:200;not null"`
	OrgUnitID      uint       `gorm:"not null;index"`
	OrgUnit        *v3OrgUnit `gorm:"constraint:OnDelete:RESTRICT"`
	Source         string     `gorm:"size:16;not null"`
	ComplaintRef   string     `gorm:"size:200;not null"`
	Summary        string     `gorm:"size:4000;not null"`
	Grounds        string     `gorm:"not null;type:text"`
	Status         string     `gorm:"size:16;not null;index"`
	OpenedBy       uint       `gorm:"not null"`
	OpenedAt       time.Time  `gorm:"not null;index"`
	StatementDueOn time.Time  `gorm:"not null;type:date"`
	ClosedAt       *time.Time
	CloseReason    string `gorm:"size:1000;not null"`
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

func (v3AccountabilityCase) TableName() string { return "accountability_cases" }

type v3CaseFinding struct {
	CaseID    uint       `gorm:"primaryKey;autoIncrement:false"`
	FindingID uint       `gorm:"primaryKey;autoIncrement:false;index"`
	Finding   *v3Finding `gorm:"constraint:OnDelete:RESTRICT"`
}

func (v3CaseFinding) TableName() string { return "case_findings" }

type v3CasePerson struct {
	ID           uint        `gorm:"primaryKey"`
	CaseID       uint        `gorm:"not null;uniqueIndex:ux_case_person"`
	EmployeeID   uint        `gorm:"not null;uniqueIndex:ux_case_person;index"`
	Employee     *v3Employee `gorm:"constraint:OnDelete:RESTRICT"`
	Statement    string      `gorm:"size:4000;not null"`
	StatementAt  *time.Time
	StatementBy  *uint
	Severity     string     `gorm:"size:16;not null"`
	Outcome      string     `gorm:"size:32;not null"`
	PenaltyCents int64      `gorm:"not null"`
	Aggravating  string     `gorm:"not null;type:text"`
	Mitigating   string     `gorm:"not null;type:text"`
	DecisionNote string     `gorm:"size:4000;not null"`
	DecidedAt    *time.Time `gorm:"index"`
	DecidedBy    *uint
}

func (v3CasePerson) TableName() string { return "case_people" }

type v3OrgUnit struct {
	ID uint `gorm:"primaryKey"`
}

func (v3OrgUnit) TableName() string { return "org_units" }

type v3Employee struct {
	ID uint `gorm:"primaryKey"`
}

func (v3Employee) TableName() string { return "employees" }

type v3User struct {
	ID uint `gorm:"primaryKey"`
}

func (v3User) TableName() string { return "users" }
