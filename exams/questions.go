package exams

import (
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"quality/models"
)

// QuestionInput creates a question or, for an update, replaces its content.
type QuestionInput struct {
	Code       string `json:"code"`
	Kind       string `json:"kind"`
	Category   string `json:"category"`
	Difficulty int    `json:"difficulty"`
	Stem       string `json:"stem"`
	// Options: a choice question has at most 8.
	Options []string `json:"options" maxItems:"8"`
	// Answer: indexes into Options, so at most as many; a repeated index is refused
	// (a key naming an option twice is a mistake), not merged.
	Answer []int `json:"answer" maxItems:"8"`
	// Accepted: the spellings a fill-in answer may take; 20 is more than any rule needs.
	Accepted    []string `json:"accepted" maxItems:"20,dedupe"`
	Explanation string   `json:"explanation"`
	Rule        string   `json:"rule"`
}

var (
	ruleRE         = regexp.MustCompile(`^R\d+(\.\d+)?$`)
	questionCodeRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`)
)

// CheckQuestion validates a question's content, adding field errors to v under prefix.
func CheckQuestion(v *models.ValidationError, prefix string, in *QuestionInput) {
	in.Stem = strings.TrimSpace(in.Stem)
	in.Explanation = strings.TrimSpace(in.Explanation)
	in.Rule = strings.TrimSpace(in.Rule)
	if in.Code != "" && !questionCodeRE.MatchString(in.Code) {
		v.Add(prefix+"code", "invalid_code")
	}
	if !slices.Contains(models.QuestionKinds, in.Kind) {
		v.Add(prefix+"kind", "invalid_choice")
	}
	if !slices.Contains(models.QuestionCategories, in.Category) {
		v.Add(prefix+"category", "invalid_choice")
	}
	if in.Difficulty < 1 || in.Difficulty > 3 {
		v.Add(prefix+"difficulty", "out_of_range", "min", 1, "max", 3)
	}
	switch n := utf8.RuneCountInString(in.Stem); {
	case n == 0:
		v.Add(prefix+"stem", "required")
	case n > 2000:
		v.Add(prefix+"stem", "too_long", "max", 2000)
	}
	// The explanation is a TEXT column: MySQL stops at 65,535 bytes, which 70,000
	// Chinese characters overflowed with a 500 (the hostile-input walk found it).
	if utf8.RuneCountInString(in.Explanation) > 4000 {
		v.Add(prefix+"explanation", "too_long", "max", 4000)
	}
	if in.Rule != "" && !ruleRE.MatchString(in.Rule) {
		v.Add(prefix+"rule", "invalid_rule")
	}
	if in.Kind == models.KindTrueFalse {
		// True/false always shows 正确 and 错误: fix them before the key is checked
		// against them, or a key pointing past them would be stored unanswerable.
		in.Options = []string{"正确", "错误"}
	}
	for i, o := range in.Options {
		in.Options[i] = strings.TrimSpace(o)
		if in.Options[i] == "" || utf8.RuneCountInString(in.Options[i]) > 500 {
			v.Add(prefix+"options["+strconv.Itoa(i)+"]", "invalid")
		}
	}
	answer := slices.Clone(in.Answer)
	slices.Sort(answer)
	for _, a := range answer {
		if a < 0 || a >= len(in.Options) {
			v.Add(prefix+"answer", "invalid")
			return
		}
	}
	if len(slices.Compact(answer)) != len(in.Answer) {
		v.Add(prefix+"answer", "invalid")
		return
	}
	in.Answer = answer
	switch in.Kind {
	case models.KindSingle:
		if len(in.Options) < 2 || len(in.Options) > 8 {
			v.Add(prefix+"options", "option_count")
		}
		if len(in.Answer) != 1 {
			v.Add(prefix+"answer", "one_answer")
		}
	case models.KindMultiple:
		if len(in.Options) < 3 || len(in.Options) > 8 {
			v.Add(prefix+"options", "option_count")
		}
		if len(in.Answer) < 2 {
			v.Add(prefix+"answer", "two_answers")
		}
	case models.KindTrueFalse:
		if len(in.Answer) != 1 {
			v.Add(prefix+"answer", "one_answer")
		}
	case models.KindFill:
		if len(in.Options) > 0 || len(in.Answer) > 0 {
			v.Add(prefix+"options", "must_be_empty")
		}
		var acc []string
		for _, a := range in.Accepted {
			if a = strings.TrimSpace(a); a != "" {
				acc = append(acc, a)
			}
		}
		in.Accepted = acc
		if len(acc) == 0 {
			v.Add(prefix+"accepted", "required")
		}
	}
	if in.Kind != models.KindFill {
		in.Accepted = nil
	}
}

func (in *QuestionInput) apply(q *models.Question) {
	q.Kind, q.Category, q.Difficulty, q.Stem = in.Kind, in.Category, in.Difficulty, in.Stem
	// Empty lists, never nil: what is stored reads back equal to what was written.
	q.Options = append(models.JSONList[string]{}, in.Options...)
	q.Answer = append(models.JSONList[int]{}, in.Answer...)
	q.Accepted = append(models.JSONList[string]{}, in.Accepted...)
	q.Explanation, q.Rule = in.Explanation, in.Rule
}

// CreateQuestion validates in and stores version 1 of a new question.
func (s *Service) CreateQuestion(ctx context.Context, actor models.Actor, in QuestionInput) (*models.Question, error) {
	v := &models.ValidationError{}
	CheckQuestion(v, "", &in)
	if err := v.Err(); err != nil {
		return nil, err
	}
	q := &models.Question{Code: in.Code, Version: 1, Latest: true}
	in.apply(q)
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return s.insertQuestion(tx, actor, q)
	})
	return q, err
}

func (s *Service) insertQuestion(tx *gorm.DB, actor models.Actor, q *models.Question) error {
	generated := q.Code == ""
	if generated {
		// A placeholder until the id is known: one of its own per insert (a shared one
		// makes parallel creates deadlock on MySQL), and never a valid chosen code.
		q.Code = fmt.Sprintf("~%016x", rand.Uint64())
	}
	if err := models.Insert(tx, q); err != nil {
		return models.Translate(err, "code")
	}
	if generated {
		q.Code = fmt.Sprintf("Q%05d", q.ID)
		if err := models.SetQuestionCode(tx, q); err != nil {
			return err
		}
	}
	return models.Audit(tx, actor, "create", "question", q.ID, map[string]any{"code": q.Code, "version": q.Version})
}

// UpdateQuestion replaces the content of the latest version id. A version that an
// attempt has shown is never changed: the edit becomes a new version.
func (s *Service) UpdateQuestion(ctx context.Context, actor models.Actor, id uint, in QuestionInput) (*models.Question, error) {
	old, err := models.GetQuestion(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if !old.Latest {
		return nil, &models.ConflictError{Field: "id", Code: "not_latest"}
	}
	in.Code = old.Code
	v := &models.ValidationError{}
	CheckQuestion(v, "", &in)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var out *models.Question
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		out, err = s.replaceQuestion(tx, actor, old, in)
		return err
	})
	return out, err
}

// replaceQuestion gives the latest version old the content of in: in place while no
// attempt has shown it, else as a new version.
func (s *Service) replaceQuestion(tx *gorm.DB, actor models.Actor, old *models.Question, in QuestionInput) (*models.Question, error) {
	used, err := models.QuestionUsed(tx, old.ID)
	if err != nil {
		return nil, err
	}
	if !used {
		q := *old
		in.apply(&q)
		if err := models.UpdateQuestionContent(tx, &q); err != nil {
			return nil, err
		}
		return &q, models.Audit(tx, actor, "update", "question", q.ID, map[string]any{"code": q.Code, "version": q.Version})
	}
	if err := models.SupersedeQuestion(tx, old); err != nil {
		return nil, err
	}
	// An archived question stays archived: an edit must not bring it back.
	q := &models.Question{Code: old.Code, Version: old.Version + 1, Latest: true, Archived: old.Archived}
	in.apply(q)
	return q, s.insertQuestion(tx, actor, q)
}

// ArchiveQuestion takes the latest version id out of future papers; attempts keep it.
func (s *Service) ArchiveQuestion(ctx context.Context, actor models.Actor, id uint) error {
	q, err := models.GetQuestion(ctx, s.DB, id)
	if err != nil {
		return err
	}
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.ArchiveQuestion(tx, q); err != nil {
			return err
		}
		return models.Audit(tx, actor, "archive", "question", q.ID, map[string]any{"code": q.Code})
	})
}
