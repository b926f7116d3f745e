// Package voci holds Voci's domain: its types, its rules, its error codes and the ports that
// stores implement. It imports nothing but the standard library so that every adapter (SQLite,
// MongoDB, HTTP) depends on it and never the other way round.
package voci

import (
	"errors"
	"fmt"
)

// Error codes are stable: clients branch on them and they appear in problem+json answers. The
// HTTP layer maps each one to a status in a single table.
const (
	ECONFLICT     = "conflict"          // the change clashes with existing data (duplicate email, …)
	EINTERNAL     = "internal"          // a fault of ours; the message is never shown to clients
	EINVALID      = "invalid_parameter" // the input is malformed or breaks a rule
	ENOTFOUND     = "not_found"         // no such record, or not visible to the caller
	EUNAUTHORIZED = "unauthorized"      // no valid session
	EFORBIDDEN    = "forbidden"         // a session, but not allowed
	ERATELIMITED  = "rate_limited"      // too many requests from this client
	EUNAVAILABLE  = "unavailable"       // a dependency (the store) is not reachable

	ESESSIONNOTFOUND = "session_not_found" // no live session is open under a join code
)

// Error is the one error type of the domain. Adapters translate their drivers' errors into it,
// and the HTTP layer renders it as problem+json. Message is written for a person to act on.
type Error struct {
	Code    string
	Message string
	// Param names the request parameter or field at fault, when there is one.
	Param string
}

func (e *Error) Error() string {
	if e.Param != "" {
		return fmt.Sprintf("voci: %s (%s): %s", e.Code, e.Param, e.Message)
	}
	return fmt.Sprintf("voci: %s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// InvalidParam returns an EINVALID error that names the parameter at fault.
func InvalidParam(param, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Message: fmt.Sprintf(format, args...), Param: param}
}

// ErrorCode returns the code of err if it is (or wraps) an *Error, EINTERNAL otherwise, and ""
// for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the person-readable message of err if it is an *Error. Other errors are
// faults whose text may reveal internals, so they get a generic message.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Message
	}
	return "An internal error occurred."
}
