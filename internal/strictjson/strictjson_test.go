package strictjson

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestDecode(t *testing.T) {
	type inner struct {
		B int `json:"b"`
	}
	type dst struct {
		A    string            `json:"a"`
		In   inner             `json:"in"`
		List []inner           `json:"list"`
		Raw  json.RawMessage   `json:"raw"`
		Map  map[string]string `json:"map"`
	}
	for _, tc := range []struct {
		name, in string
		dupKey   string
		dupPath  string
		want     error
		unknown  string
		ok       bool
	}{
		{name: "plain", in: `{"a":"x","in":{"b":1},"list":[{"b":1},{"b":2}],"raw":{"k":1},"map":{"k":"v"}}`, ok: true},
		{name: "same key in sibling objects", in: `{"list":[{"b":1},{"b":2}],"in":{"b":3}}`, ok: true},
		{name: "top duplicate", in: `{"a":"x","a":"y"}`, dupKey: "a"},
		{name: "nested duplicate", in: `{"in":{"b":1,"b":2}}`, dupKey: "b", dupPath: "in"},
		{name: "duplicate in an array element", in: `{"list":[{"b":1},{"b":1,"b":2}]}`, dupKey: "b", dupPath: "list[1]"},
		{name: "duplicate inside raw data", in: `{"raw":{"k":1,"k":2}}`, dupKey: "k", dupPath: "raw"},
		{name: "duplicate map key", in: `{"map":{"k":"1","k":"2"}}`, dupKey: "k", dupPath: "map"},
		{name: "a key equal to a value is not a duplicate", in: `{"a":"in","in":{"b":1}}`, ok: true},
		{name: "trailing value", in: `{"a":"x"} {"a":"y"}`, want: ErrTrailingData},
		{name: "trailing garbage", in: `{"a":"x"}]`, want: ErrTrailingData},
		{name: "empty", in: ``, want: ErrEmpty},
		{name: "unknown", in: `{"a":"x","z":1}`, unknown: "z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var d dst
			err := Decode([]byte(tc.in), &d)
			var dup *DuplicateKeyError
			var unk *UnknownFieldError
			switch {
			case tc.ok:
				if err != nil {
					t.Fatalf("Decode = %v; want nil", err)
				}
			case tc.dupKey != "":
				if !errors.As(err, &dup) || dup.Key != tc.dupKey || dup.Path != tc.dupPath {
					t.Fatalf("Decode = %v; want duplicate %q at %q", err, tc.dupKey, tc.dupPath)
				}
			case tc.unknown != "":
				if !errors.As(err, &unk) || unk.Field != tc.unknown {
					t.Fatalf("Decode = %v; want unknown field %q", err, tc.unknown)
				}
			default:
				if !errors.Is(err, tc.want) {
					t.Fatalf("Decode = %v; want %v", err, tc.want)
				}
			}
		})
	}
}

func TestDecodeSyntaxError(t *testing.T) {
	var v map[string]any
	var syn *json.SyntaxError
	if err := Decode([]byte(`{"a":`), &v); err == nil || errors.As(err, &syn) == false && err.Error() == "" {
		t.Fatalf("Decode of a cut object = %v; want a syntax error", err)
	}
}
