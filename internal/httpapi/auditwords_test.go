package httpapi_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// auditWordsFile holds the words the audit log shows for each action and kind of object, in
// every language of the interface.
const auditWordsFile = "../../frontend/src/lib/audit/words.json"

var dottedAction = regexp.MustCompile(`^[a-z_]+(\.[a-z_]+)+$`)

// auditCodes finds, in Voci's Go code (tests left out), every audit action and object type
// written as a literal: an Action or ObjectType field, a variable named action or objectType,
// or an argument of auditChange, changeAudit and handleTOTPCode.
func auditCodes(t *testing.T) (actions, objects map[string]string) {
	t.Helper()
	actions, objects = map[string]string{}, map[string]string{}
	fset := token.NewFileSet()
	for _, root := range []string{"../../internal", "../../cmd"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || strings.Contains(path, "storetest") {
				return err
			}
			file, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			record := func(kind string, e ast.Expr) {
				lit, ok := e.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return
				}
				v, err := strconv.Unquote(lit.Value)
				if err != nil || v == "" {
					return
				}
				where := fset.Position(lit.Pos()).String()
				if kind == "action" {
					actions[v] = where
				} else {
					objects[v] = where
				}
			}
			kindOf := func(name string) string {
				switch strings.ToLower(name) {
				case "action":
					return "action"
				case "objecttype":
					return "object"
				}
				return ""
			}
			nameOf := func(e ast.Expr) string {
				switch x := e.(type) {
				case *ast.Ident:
					return x.Name
				case *ast.SelectorExpr:
					return x.Sel.Name
				}
				return ""
			}
			ast.Inspect(file, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.KeyValueExpr:
					if k := kindOf(nameOf(x.Key)); k != "" {
						record(k, x.Value)
					}
				case *ast.AssignStmt:
					if len(x.Lhs) == len(x.Rhs) {
						for i, l := range x.Lhs {
							if k := kindOf(nameOf(l)); k != "" {
								record(k, x.Rhs[i])
							}
						}
					}
				case *ast.CallExpr:
					switch nameOf(x.Fun) {
					case "auditChange", "changeAudit":
						if len(x.Args) >= 3 {
							record("action", x.Args[1])
							record("object", x.Args[2])
						}
					case "handleTOTPCode":
						if len(x.Args) >= 1 {
							record("action", x.Args[0])
						}
					}
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return actions, objects
}

// Every audit action and kind of object the code writes has words in Romanian, English and
// Hungarian, so that the audit log never shows a raw code and its filter can offer each.
func TestEveryAuditCodeHasWords(t *testing.T) {
	actions, objects := auditCodes(t)
	// The scan itself must keep finding what it is known to write, in each of its forms.
	for _, known := range []string{"session.sign_in", "live_session.open_question", "account.enable", "consultation.create", "account.totp_enable", "municipality.enrol", "participant.remove"} {
		if _, ok := actions[known]; !ok {
			t.Fatalf("the scan no longer finds %q; found %v", known, actions)
		}
	}
	for _, known := range []string{"account", "consultation", "live_session", "municipality", "participant"} {
		if _, ok := objects[known]; !ok {
			t.Fatalf("the scan no longer finds object type %q; found %v", known, objects)
		}
	}
	raw, err := os.ReadFile(auditWordsFile)
	if err != nil {
		t.Fatal(err)
	}
	var words struct {
		Actions map[string]map[string]string `json:"actions"`
		Objects map[string]map[string]string `json:"objects"`
	}
	if err := json.Unmarshal(raw, &words); err != nil {
		t.Fatalf("%s: %v", auditWordsFile, err)
	}
	check := func(what string, codes map[string]string, dict map[string]map[string]string) {
		keys := make([]string, 0, len(codes))
		for k := range codes {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, code := range keys {
			if what == "action" && !dottedAction.MatchString(code) {
				t.Errorf("%s: audit action %q is not a dotted name", codes[code], code)
				continue
			}
			for _, lang := range []string{"ro", "en", "hu"} {
				if strings.TrimSpace(dict[code][lang]) == "" {
					t.Errorf("%s: audit %s %q has no words in %s in %s", codes[code], what, code, lang, auditWordsFile)
				}
			}
		}
	}
	check("action", actions, words.Actions)
	check("object type", objects, words.Objects)
}
