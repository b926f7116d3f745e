// Package strictjson decodes JSON the way Voci's interfaces promise: one value, nothing after
// it, no field the destination does not know, and no key twice in an object. The standard
// decoder keeps the last of two equal keys, so {"code": "1", "code": "2"} could mean one thing
// to a proxy or a log that reads the first and another to Voci.
package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// DuplicateKeyError is returned for an object that names a key twice. Path is where the
// object is, as dotted keys and [indexes] from the top ("" for the top object).
type DuplicateKeyError struct {
	Key  string
	Path string
}

func (e *DuplicateKeyError) Error() string {
	if e.Path == "" {
		return fmt.Sprintf("strictjson: duplicate key %q", e.Key)
	}
	return fmt.Sprintf("strictjson: duplicate key %q in %s", e.Key, e.Path)
}

// UnknownFieldError is returned for a field the destination does not have.
type UnknownFieldError struct{ Field string }

func (e *UnknownFieldError) Error() string {
	return fmt.Sprintf("strictjson: unknown field %q", e.Field)
}

// ErrTrailingData is returned when something follows the first JSON value.
var ErrTrailingData = errors.New("strictjson: data after the JSON value")

// ErrEmpty is returned for input holding no JSON value at all.
var ErrEmpty = errors.New("strictjson: no JSON value")

// Decode decodes data, which must hold exactly one JSON value, into dst. It returns
// ErrEmpty, ErrTrailingData, a *DuplicateKeyError, an *UnknownFieldError, or the standard
// decoder's *json.SyntaxError and *json.UnmarshalTypeError.
func Decode(data []byte, dst any) error {
	if err := CheckDuplicateKeys(data); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		if errors.Is(err, io.EOF) {
			return ErrEmpty
		}
		if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return &UnknownFieldError{Field: strings.Trim(field, `"`)}
		}
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return ErrTrailingData
	}
	return nil
}

// CheckDuplicateKeys walks data's tokens and returns a *DuplicateKeyError for the first
// object that names a key twice. Syntax errors are the standard decoder's; the walk keeps
// one set of keys per open object, so its memory follows the input's nesting, not its size.
func CheckDuplicateKeys(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	type frame struct {
		keys   map[string]struct{} // nil for an array
		name   string              // this value's place, for messages
		index  int                 // next index in an array
		expect bool                // in an object: the next string is a key
	}
	var stack []*frame
	path := func() string {
		var b strings.Builder
		for _, f := range stack[1:] {
			b.WriteString(f.name)
		}
		return strings.TrimPrefix(b.String(), ".")
	}
	// valueDone marks that a value ended in the innermost container.
	valueDone := func() {
		if n := len(stack); n > 0 {
			if top := stack[n-1]; top.keys != nil {
				top.expect = true
			} else {
				top.index++
			}
		}
	}
	var lastKey string
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		var top *frame
		if n := len(stack); n > 0 {
			top = stack[n-1]
		}
		if s, ok := tok.(string); ok && top != nil && top.keys != nil && top.expect {
			if _, dup := top.keys[s]; dup {
				return &DuplicateKeyError{Key: s, Path: path()}
			}
			top.keys[s] = struct{}{}
			top.expect = false
			lastKey = s
			continue
		}
		name := ""
		if top != nil {
			if top.keys != nil {
				name = "." + lastKey
			} else {
				name = fmt.Sprintf("[%d]", top.index)
			}
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{keys: map[string]struct{}{}, name: name, expect: true})
		case json.Delim('['):
			stack = append(stack, &frame{name: name})
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			valueDone()
		default:
			valueDone()
		}
		if len(stack) == 0 {
			// One value read: what follows is the caller's to judge (Decode refuses it).
			return nil
		}
	}
}
