package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/go-playground/validator/v10"
	"github.com/gofiber/fiber/v2"

	"github.com/voci-platform/voci/internal/strictjson"
	"github.com/voci-platform/voci/internal/voci"
)

// decodeJSON reads a JSON request body into dst: the content type must be JSON, the body valid
// UTF-8 holding exactly one object, every field known to dst and no key given twice. Then dst's validator tags are
// checked. Each failure is a problem a client can act on.
func (s *Server) decodeJSON(c *fiber.Ctx, dst any) error {
	ct := strings.ToLower(c.Get(fiber.HeaderContentType))
	if !strings.HasPrefix(ct, fiber.MIMEApplicationJSON) {
		return &voci.Error{Code: codeUnsupportedMediaType, Message: "Send the request body as JSON (Content-Type: application/json)."}
	}
	body := c.Body()
	if !utf8.Valid(body) {
		return &voci.Error{Code: codeInvalidBody, Message: "The request body is not valid UTF-8."}
	}
	if err := strictjson.Decode(body, dst); err != nil {
		return bodyError(err)
	}
	if err := s.validate.Struct(dst); err != nil {
		var verrs validator.ValidationErrors
		if errors.As(err, &verrs) && len(verrs) > 0 {
			f := verrs[0]
			param := fieldPath(f.Namespace())
			return &voci.Error{Code: voci.EINVALID, Param: param, Message: fmt.Sprintf("The field %q %s.", param, ruleText(f))}
		}
		return &voci.Error{Code: codeInvalidBody, Message: "The request body is not valid."}
	}
	return nil
}

// fieldPath names a field as the domain's errors do: "translations.hu.title" for a map's
// entry, "options[2].label" for a list's, "title" at the top (validator's namespace starts
// with the request type's name, which the client never saw).
func fieldPath(namespace string) string {
	_, path, _ := strings.Cut(namespace, ".")
	var b strings.Builder
	for {
		open := strings.IndexByte(path, '[')
		if open < 0 {
			b.WriteString(path)
			return b.String()
		}
		end := strings.IndexByte(path[open:], ']')
		if end < 0 {
			b.WriteString(path)
			return b.String()
		}
		key := path[open+1 : open+end]
		b.WriteString(path[:open])
		if strings.Trim(key, "0123456789") == "" {
			b.WriteString("[" + key + "]")
		} else {
			b.WriteString("." + key)
		}
		path = path[open+end+1:]
	}
}

func bodyError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var dup *strictjson.DuplicateKeyError
	var unknown *strictjson.UnknownFieldError
	switch {
	case errors.As(err, &dup):
		return &voci.Error{Code: codeDuplicateKey, Param: dup.Key, Message: fmt.Sprintf("The field %q is given twice; send each field once.", dup.Key)}
	case errors.Is(err, strictjson.ErrTrailingData):
		return &voci.Error{Code: codeInvalidBody, Message: "The request body must hold a single JSON object."}
	case errors.Is(err, strictjson.ErrEmpty):
		return &voci.Error{Code: codeInvalidBody, Message: "The request body is empty; send a JSON object."}
	case errors.As(err, &syntax):
		return &voci.Error{Code: codeInvalidBody, Message: fmt.Sprintf("The request body is not valid JSON (at byte %d).", syntax.Offset)}
	case errors.As(err, &typ):
		return &voci.Error{Code: codeInvalidBody, Param: typ.Field, Message: fmt.Sprintf("The field %q must be a %s.", typ.Field, typ.Type.Kind())}
	case errors.As(err, &unknown):
		return &voci.Error{Code: codeInvalidBody, Param: unknown.Field, Message: fmt.Sprintf("The field %q is not accepted here.", unknown.Field)}
	}
	return &voci.Error{Code: codeInvalidBody, Message: "The request body is not valid JSON."}
}

// ruleText says in words which validator rule failed.
func ruleText(f validator.FieldError) string {
	switch f.Tag() {
	case "required":
		return "is required"
	case "len":
		return fmt.Sprintf("must have exactly %s characters", f.Param())
	case "max":
		return fmt.Sprintf("must have at most %s characters", f.Param())
	case "min":
		return fmt.Sprintf("must have at least %s characters", f.Param())
	case "numeric":
		return "must contain digits only"
	case "email":
		return "must be an email address"
	case "oneof":
		return fmt.Sprintf("must be one of: %s", f.Param())
	}
	return "is not valid"
}

// jsonFieldName makes validator errors name fields as clients spell them.
func jsonFieldName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "-" || name == "" {
		return f.Name
	}
	return name
}

// refuseCompressedBodies answers 415 to a request body sent with a Content-Encoding. Fiber
// would inflate it on first read with no bound of its own, so that a few kilobytes of gzip
// become many megabytes in memory past VOCI_MAX_BODY_BYTES; Voci's clients send small JSON
// bodies and gain nothing from compressing them.
func refuseCompressedBodies(c *fiber.Ctx) error {
	enc := strings.TrimSpace(string(c.Request().Header.Peek(fiber.HeaderContentEncoding)))
	if enc != "" && !strings.EqualFold(enc, "identity") {
		return &voci.Error{Code: codeUnsupportedContentEncoding, Message: "Send the request body without a Content-Encoding (not compressed)."}
	}
	return c.Next()
}
