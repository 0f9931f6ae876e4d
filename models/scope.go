package models

import (
	"strings"

	"gorm.io/gorm"
)

// Scope is the set of org subtrees a caller may see; the zero Scope sees nothing.
// Every list and single-record lookup goes through it, so out of scope looks exactly
// like nonexistent.
type Scope struct {
	// All is the whole province.
	All bool
	// Paths are materialised paths (`/1/4/`) of the subtree roots.
	Paths []string
}

// ScopeAll sees everything (the provincial office, the CLI).
var ScopeAll = Scope{All: true}

// Contains reports whether a unit with the given path lies in the scope.
func (s Scope) Contains(path string) bool {
	if s.All {
		return true
	}
	for _, p := range s.Paths {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// Empty reports whether the scope sees nothing.
func (s Scope) Empty() bool { return !s.All && len(s.Paths) == 0 }

// pathCond returns a SQL condition on column (a path) and its arguments.
func (s Scope) pathCond(column string) (string, []any) {
	if s.All {
		return "1=1", nil
	}
	if len(s.Paths) == 0 {
		return "1=0", nil
	}
	conds := make([]string, len(s.Paths))
	args := make([]any, len(s.Paths))
	for i, p := range s.Paths {
		// Paths hold only digits and slashes, so they need no LIKE escaping.
		conds[i] = column + " LIKE ?"
		args[i] = p + "%"
	}
	return "(" + strings.Join(conds, " OR ") + ")", args
}

// onPath filters a query on org_units (or a join exposing column) to the scope.
func (s Scope) onPath(db *gorm.DB, column string) *gorm.DB {
	if s.All {
		return db
	}
	cond, args := s.pathCond(column)
	return db.Where(cond, args...)
}

// onUnit filters rows whose column holds an org unit id to units inside the scope.
func (s Scope) onUnit(db *gorm.DB, column string) *gorm.DB {
	if s.All {
		return db
	}
	cond, args := s.pathCond("path")
	return db.Where(column+" IN (SELECT id FROM org_units WHERE "+cond+")", args...)
}

// ScopeOfPaths is the scope of grants held on the units of paths: the whole tree when
// one of them is a root, else their subtrees (a path inside another adds nothing). The
// one rule for what a grant reaches: accounts.ScopeOf and InspectorScope both use it.
func ScopeOfPaths(paths []string) Scope {
	var s Scope
	for _, p := range paths {
		if p == "" {
			continue
		}
		if len(PathIDs(p)) == 1 {
			return ScopeAll
		}
		if !s.Contains(p) {
			s.Paths = append(s.Paths, p)
		}
	}
	return s
}

// underPath filters rows whose column holds an org unit id to the units at or under the
// unit of path: the subtree predicate every list filtered by a unit uses.
func underPath(db *gorm.DB, column, path string) *gorm.DB {
	return Scope{Paths: []string{path}}.onUnit(db, column)
}

// likeEscape is the LIKE escape character used with ESCAPE '!': SQLite has no default
// escape character and MySQL's `\` needs quoting inside string literals.
const likeEscape = "!"

// containsPattern makes a LIKE pattern matching s anywhere, to use with likeClause.
func containsPattern(s string) string {
	r := strings.NewReplacer("!", "!!", "%", "!%", "_", "!_")
	return "%" + r.Replace(s) + "%"
}

// likeClause is `column LIKE ? ESCAPE '!'`.
func likeClause(column string) string { return column + " LIKE ? ESCAPE '" + likeEscape + "'" }
