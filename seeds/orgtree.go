package seeds

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"quality/models"
)

//go:embed data/orgunits.csv
var orgUnitsCSV []byte

// orgHeader is the expected header of data/orgunits.csv.
var orgHeader = []string{"code", "name", "level", "parent_code", "urban", "households"}

// OrgSeed is one row of the embedded org tree (R3: province → city → county → outlet).
type OrgSeed struct {
	Code, Name, Level, ParentCode string
	Urban                         bool
	Households                    int
}

// OrgTree returns the embedded org tree, parents before children.
func OrgTree() ([]OrgSeed, error) {
	return parseOrgTree(bytes.NewReader(orgUnitsCSV))
}

// parseOrgTree reads and validates an org tree CSV.
func parseOrgTree(r io.Reader) ([]OrgSeed, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(orgHeader)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("orgunits.csv line 1: reading header: %w", err)
	}
	for i, want := range orgHeader {
		if strings.TrimSpace(header[i]) != want {
			return nil, fmt.Errorf("orgunits.csv line 1: column %d is %q, want %q", i+1, header[i], want)
		}
	}

	var out []OrgSeed
	levelOf := make(map[string]string) // code -> level of rows seen so far
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("orgunits.csv: %w", err) // *csv.ParseError names the line
		}
		line, _ := cr.FieldPos(0)
		s, err := parseOrgRow(rec, levelOf)
		if err != nil {
			return nil, fmt.Errorf("orgunits.csv line %d: %w", line, err)
		}
		levelOf[s.Code] = s.Level
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil, errors.New("orgunits.csv: no rows")
	}
	return out, nil
}

// parseOrgRow converts one CSV record, checking it against the rows seen before it.
func parseOrgRow(rec []string, levelOf map[string]string) (OrgSeed, error) {
	for i := range rec {
		rec[i] = strings.TrimSpace(rec[i])
	}
	s := OrgSeed{Code: rec[0], Name: rec[1], Level: rec[2], ParentCode: rec[3]}
	if s.Code == "" {
		return s, errors.New("empty code")
	}
	if s.Name == "" {
		return s, fmt.Errorf("code %s: empty name", s.Code)
	}
	if _, dup := levelOf[s.Code]; dup {
		return s, fmt.Errorf("duplicate code %s", s.Code)
	}
	rank := models.LevelIndex(s.Level)
	ok := rank >= 0
	if !ok {
		return s, fmt.Errorf("code %s: unknown level %q", s.Code, s.Level)
	}
	if rank == 0 {
		if s.ParentCode != "" {
			return s, fmt.Errorf("code %s: %s must have no parent, got %q", s.Code, s.Level, s.ParentCode)
		}
	} else {
		if s.ParentCode == "" {
			return s, fmt.Errorf("code %s: %s needs a parent_code", s.Code, s.Level)
		}
		pl, seen := levelOf[s.ParentCode]
		if !seen {
			return s, fmt.Errorf("code %s: parent %s does not appear earlier", s.Code, s.ParentCode)
		}
		if models.LevelIndex(pl) != rank-1 {
			return s, fmt.Errorf("code %s: parent %s is a %s, a %s needs a parent one level up", s.Code, s.ParentCode, pl, s.Level)
		}
	}
	switch rec[4] {
	case "1":
		s.Urban = true
	case "0":
	default:
		return s, fmt.Errorf("code %s: urban must be 0 or 1, got %q", s.Code, rec[4])
	}
	h, err := strconv.Atoi(rec[5])
	if err != nil {
		return s, fmt.Errorf("code %s: households %q: %w", s.Code, rec[5], err)
	}
	if h < 0 {
		return s, fmt.Errorf("code %s: households %d is negative", s.Code, h)
	}
	s.Households = h
	return s, nil
}
