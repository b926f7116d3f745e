package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/go-playground/validator/v10"
	"github.com/gofiber/fiber/v2"

	"github.com/voci-platform/voci/internal/voci"
)

// decodeJSON reads a JSON request body into dst: the content type must be JSON, the body valid
// UTF-8 holding exactly one object, and every field known to dst. Then dst's validator tags are
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
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return bodyError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return &voci.Error{Code: codeInvalidBody, Message: "The request body must hold a single JSON object."}
	}
	if err := s.validate.Struct(dst); err != nil {
		var verrs validator.ValidationErrors
		if errors.As(err, &verrs) && len(verrs) > 0 {
			f := verrs[0]
			return &voci.Error{Code: voci.EINVALID, Param: f.Field(), Message: fmt.Sprintf("The field %q %s.", f.Field(), ruleText(f))}
		}
		return &voci.Error{Code: codeInvalidBody, Message: "The request body is not valid."}
	}
	return nil
}

func bodyError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return &voci.Error{Code: codeInvalidBody, Message: "The request body is empty; send a JSON object."}
	case errors.As(err, &syntax):
		return &voci.Error{Code: codeInvalidBody, Message: fmt.Sprintf("The request body is not valid JSON (at byte %d).", syntax.Offset)}
	case errors.As(err, &typ):
		return &voci.Error{Code: codeInvalidBody, Param: typ.Field, Message: fmt.Sprintf("The field %q must be a %s.", typ.Field, typ.Type.Kind())}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &voci.Error{Code: codeInvalidBody, Param: field, Message: fmt.Sprintf("The field %q is not accepted here.", field)}
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
