package rectifications_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// storePrimitives are the models functions that write a rectification's status or its
// timeline. Only this package calls them; everyone else asks its Service.
var storePrimitives = map[string]bool{
	"StoreOpenRectification":   true,
	"StoreRectificationMove":   true,
	"AppendRectificationEvent": true,
	"SetFollowUp":              true,
	// A reopened inspection's open rectifications are removed by Withdraw.
	"StoreRemoveOpenRectifications": true,
}

// TestOneOwnerOfRectifications: every rectification move goes through this package
// (issue 10 §2, one owner for each state machine). It parses every non-test Go file of
// the module and fails on a use of a store primitive outside rectifications and models,
// and on rectifications importing inspections (which would make the owner depend on a
// caller again, and inspections unable to call it).
func TestOneOwnerOfRectifications(t *testing.T) {
	root, module := moduleRoot(t)
	fset := token.NewFileSet()
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		pkg := filepath.ToSlash(rel)
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		files++
		models := ""
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if pkg == "rectifications" && p == module+"/inspections" {
				t.Errorf("%s imports %s: inspections calls rectifications, never the other way", fset.Position(imp.Pos()), p)
			}
			if p == module+"/models" {
				models = "models"
				if imp.Name != nil {
					models = imp.Name.Name
				}
			}
		}
		if models == "" || pkg == "rectifications" || pkg == "models" {
			return nil
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); ok && x.Name == models && storePrimitives[sel.Sel.Name] {
				t.Errorf("%s: %s uses models.%s; move rectifications through rectifications.Service", fset.Position(sel.Pos()), pkg, sel.Sel.Name)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Fatalf("parsed %d files under %s: not the module", files, root)
	}
}

// moduleRoot is the folder of the module's go.mod, and the module's path.
func moduleRoot(t *testing.T) (string, string) {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil {
			for _, line := range strings.Split(string(data), "\n") {
				if m, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
					return dir, strings.Trim(strings.TrimSpace(m), `"`)
				}
			}
			t.Fatalf("%s/go.mod names no module", dir)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's folder")
		}
		dir = parent
	}
}
