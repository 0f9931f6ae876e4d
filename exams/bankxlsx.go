package exams

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"quality/models"
	"quality/workbook"
)

// BankSheet is the sheet of the question bank template, import and export.
const BankSheet = "题库"

// MaxBankRows bounds one import.
const MaxBankRows = 5000

// bankLimits allow long stems (up to 2,000 characters, 6 KB in UTF-8).
var bankLimits = workbook.Limits{MaxBytes: 10 << 20, MaxUnzipped: 20 << 20, MaxPart: 16 << 20, MaxSharedString: 8 << 10, MaxText: 32 << 20}

// bankColumns are the columns of the bank workbook; options are A–F.
var bankColumns = []struct{ Key, Title string }{
	{"code", "编号"}, {"kind", "题型*"}, {"category", "分类*"}, {"difficulty", "难度*"}, {"stem", "题干*"},
	{"a", "选项A"}, {"b", "选项B"}, {"c", "选项C"}, {"d", "选项D"}, {"e", "选项E"}, {"f", "选项F"},
	{"answer", "答案*"}, {"explanation", "解析"}, {"rule", "规则"},
}

var (
	kindNames     = map[string]string{"单选": models.KindSingle, "单选题": models.KindSingle, "多选": models.KindMultiple, "多选题": models.KindMultiple, "判断": models.KindTrueFalse, "判断题": models.KindTrueFalse, "填空": models.KindFill, "填空题": models.KindFill}
	categoryNames = map[string]string{"公司基础知识": "basics", "基础知识": "basics", "服务礼仪": "etiquette", "职业道德": "ethics", "业务技术": "technical", "技术": "technical"}
)

const letters = "ABCDEF"

// ImportBank reads a question bank workbook: a row with a known code replaces that
// question's content (a new version when an attempt has used it), any other row adds a
// question. Nothing is written unless every row is valid; dryRun only checks.
func (s *Service) ImportBank(ctx context.Context, actor models.Actor, r io.Reader, dryRun bool) (*workbook.Report, error) {
	rep := &workbook.Report{DryRun: dryRun, Errors: []workbook.RowError{}}
	type row struct {
		n  int
		in QuestionInput
	}
	var rows []row
	var cols map[string]int
	keys, titles := make([]string, len(bankColumns)), make([]string, len(bankColumns))
	for i, c := range bankColumns {
		keys[i], titles[i] = c.Key, c.Title
	}
	refused := false
	err := workbook.Each(r, bankLimits, BankSheet, func(n int, cells []string) bool {
		if cols == nil {
			cols = workbook.Columns(cells, keys, titles)
			for _, c := range bankColumns {
				if _, ok := cols[c.Key]; !ok && strings.HasSuffix(c.Title, "*") {
					rep.Errors = append(rep.Errors, workbook.RowError{Row: n, Field: c.Key, Code: "missing_column", Value: c.Title})
					refused = true
				}
			}
			return !refused
		}
		if len(rows) == MaxBankRows {
			rep.Errors = append(rep.Errors, workbook.RowError{Row: n, Code: "too_many_rows", Params: map[string]any{"max": MaxBankRows}})
			refused = true
			return false
		}
		in, errs := parseBankRow(n, cells, cols)
		rep.Errors = append(rep.Errors, errs...)
		rows = append(rows, row{n, in})
		return true
	})
	if err != nil {
		return nil, err
	}
	if !refused && cols == nil {
		rep.Errors = append(rep.Errors, workbook.RowError{Row: 1, Code: "missing_header"})
	}
	if !refused && cols != nil && len(rows) == 0 {
		rep.Errors = append(rep.Errors, workbook.RowError{Row: 2, Code: "empty_sheet"})
	}
	rep.Rows = len(rows)
	existing := map[string]models.Question{}
	if len(rep.Errors) == 0 {
		var codes []string
		for _, r := range rows {
			if r.in.Code != "" {
				codes = append(codes, r.in.Code)
			}
		}
		cur, err := models.CurrentQuestions(ctx, s.DB, codes...)
		if err != nil {
			return nil, err
		}
		if len(codes) > 0 {
			for _, q := range cur {
				existing[q.Code] = q
			}
		}
	}
	seen := map[string]int{}
	for i := range rows {
		r := &rows[i]
		v := &models.ValidationError{}
		CheckQuestion(v, "", &r.in)
		for _, f := range v.Fields {
			rep.Errors = append(rep.Errors, workbook.RowError{Row: r.n, Field: f.Field, Code: f.Code, Params: f.Params})
		}
		if r.in.Code == "" {
			continue
		}
		if first, dup := seen[r.in.Code]; dup {
			rep.Errors = append(rep.Errors, workbook.RowError{Row: r.n, Field: "code", Code: "duplicate_in_file", Params: map[string]any{"row": first}, Value: r.in.Code})
		}
		seen[r.in.Code] = r.n
	}
	if len(rep.Errors) > 0 {
		slices.SortStableFunc(rep.Errors, func(a, b workbook.RowError) int { return a.Row - b.Row })
		for i := range rep.Errors {
			rep.Errors[i].Value = workbook.Clip(rep.Errors[i].Value, 64)
		}
		return rep, &workbook.ImportError{Report: rep}
	}
	var creates []QuestionInput
	var updates []models.Question
	var updateIn []QuestionInput
	for _, r := range rows {
		old, ok := existing[r.in.Code]
		switch {
		case !ok:
			creates = append(creates, r.in)
		case sameContent(&old, &r.in):
			rep.Unchanged++
		default:
			updates = append(updates, old)
			updateIn = append(updateIn, r.in)
		}
	}
	rep.Created, rep.Updated = len(creates), len(updates)
	if dryRun {
		return rep, nil
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, in := range creates {
			q := &models.Question{Code: in.Code, Version: 1, Latest: true}
			in.apply(q)
			if err := s.insertQuestion(tx, actor, q); err != nil {
				return err
			}
		}
		for i, old := range updates {
			if _, err := s.replaceQuestion(tx, actor, &old, updateIn[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// sameContent reports whether an input would change nothing of a version.
func sameContent(q *models.Question, in *QuestionInput) bool {
	next := *q
	in.apply(&next)
	a, _ := json.Marshal(q)
	b, _ := json.Marshal(&next)
	return bytes.Equal(a, b)
}

func parseBankRow(n int, cells []string, cols map[string]int) (QuestionInput, []workbook.RowError) {
	get := func(key string) string {
		i, ok := cols[key]
		if !ok || i >= len(cells) {
			return ""
		}
		return strings.TrimSpace(cells[i])
	}
	var errs []workbook.RowError
	in := QuestionInput{Code: get("code"), Kind: get("kind"), Category: get("category"), Stem: get("stem"),
		Explanation: get("explanation"), Rule: get("rule")}
	if k, ok := kindNames[in.Kind]; ok {
		in.Kind = k
	}
	if c, ok := categoryNames[in.Category]; ok {
		in.Category = c
	}
	if d := get("difficulty"); d != "" {
		v, err := strconv.Atoi(d)
		if err != nil {
			errs = append(errs, workbook.RowError{Row: n, Field: "difficulty", Code: "invalid", Value: d})
		}
		in.Difficulty = v
	}
	for _, k := range []string{"a", "b", "c", "d", "e", "f"} {
		if o := get(k); o != "" {
			in.Options = append(in.Options, o)
		}
	}
	ans := get("answer")
	switch in.Kind {
	case models.KindFill:
		for _, a := range strings.FieldsFunc(ans, func(r rune) bool { return r == '|' || r == '；' || r == ';' }) {
			in.Accepted = append(in.Accepted, strings.TrimSpace(a))
		}
	case models.KindTrueFalse:
		in.Options = []string{"正确", "错误"}
		switch strings.ToUpper(ans) {
		case "正确", "对", "√", "A", "TRUE":
			in.Answer = []int{0}
		case "错误", "错", "×", "B", "FALSE":
			in.Answer = []int{1}
		default:
			errs = append(errs, workbook.RowError{Row: n, Field: "answer", Code: "invalid", Value: ans})
		}
	default:
		for _, r := range strings.ToUpper(strings.NewReplacer(",", "", "，", "", " ", "", "、", "").Replace(ans)) {
			i := strings.IndexRune(letters, r)
			if i < 0 {
				errs = append(errs, workbook.RowError{Row: n, Field: "answer", Code: "invalid", Value: ans})
				break
			}
			in.Answer = append(in.Answer, i)
		}
	}
	if ans == "" {
		errs = append(errs, workbook.RowError{Row: n, Field: "answer", Code: "required"})
	}
	return in, errs
}

// WriteBank writes the question bank workbook: with questions false, the empty template
// with its instructions; otherwise every latest, unarchived question, which imports back
// unchanged.
func (s *Service) WriteBank(ctx context.Context, withQuestions bool, w io.Writer) error {
	var qs []models.Question
	if withQuestions {
		var err error
		if qs, err = models.CurrentQuestions(ctx, s.DB); err != nil {
			return err
		}
	}
	cols := make([]workbook.Column, len(bankColumns))
	for i, c := range bankColumns {
		cols[i] = workbook.Column{Title: c.Title}
		switch c.Key {
		case "difficulty":
			cols[i].Kind = workbook.Int
		case "stem":
			cols[i].Width = 40
		case "explanation":
			cols[i].Width = 30
		}
	}
	kindTitle := map[string]string{models.KindSingle: "单选", models.KindMultiple: "多选", models.KindTrueFalse: "判断", models.KindFill: "填空"}
	catTitle := map[string]string{"basics": "公司基础知识", "etiquette": "服务礼仪", "ethics": "职业道德", "technical": "业务技术"}
	return workbook.Stream(w, time.UTC, func(x *workbook.Writer) error {
		sh, err := x.NewSheet(BankSheet, cols, workbook.SheetOptions{})
		if err != nil {
			return err
		}
		for _, q := range qs {
			row := []any{q.Code, kindTitle[q.Kind], catTitle[q.Category], q.Difficulty, q.Stem}
			for j := range 6 {
				opt := ""
				if q.Kind != models.KindTrueFalse && j < len(q.Options) {
					opt = q.Options[j]
				}
				row = append(row, opt)
			}
			var answer string
			switch q.Kind {
			case models.KindFill:
				answer = strings.Join(q.Accepted, "|")
			case models.KindTrueFalse:
				answer = q.Options[q.Answer[0]]
			default:
				for _, a := range q.Answer {
					answer += string(letters[a])
				}
			}
			if err := sh.Add(append(row, answer, q.Explanation, q.Rule)...); err != nil {
				return err
			}
		}
		if err := sh.Close(); err != nil {
			return err
		}
		return x.AddHelp(80, [][2]string{
			{"编号", "留空为新题；填写已有编号则修改该题（已被作答使用的版本保留，修改成为新版本）"},
			{"题型*", "单选、多选、判断、填空"},
			{"分类*", "公司基础知识、服务礼仪、职业道德、业务技术"},
			{"难度*", "1（易）、2（中）、3（难）"},
			{"题干*", "填空题用 ____ 标出空格"},
			{"选项A–F", "单选、多选题的选项；判断、填空题不填"},
			{"答案*", "单选填字母如 B；多选填 ACD；判断填 正确 或 错误；填空填可接受的答案，多个用 | 分隔"},
			{"解析", "交卷且考试结束后向考生显示"},
			{"规则", "所依据的服务规范条款，如 R4.1"},
			{"", "任一行有误则整表不导入；可先“试导入”检查。"},
		})
	})
}
