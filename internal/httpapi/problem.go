package httpapi

import (
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voci-platform/voci/internal/voci"
)

// Codes that belong to HTTP rather than to the domain.
const (
	codeInvalidBody          = "invalid_body"
	codeBodyTooLarge         = "body_too_large"
	codeUnsupportedMediaType = "unsupported_media_type"
	codeMethodNotAllowed     = "method_not_allowed"
	codeCSRFFailed           = "csrf_failed"
	codeOriginNotAllowed     = "origin_not_allowed"
	codeTOTPSetupRequired    = "totp_setup_required"
	// Refused input and overload (throttles, body limits).
	codeDuplicateKey               = "duplicate_key"
	codeUnsupportedContentEncoding = "unsupported_content_encoding"
	codeBusy                       = "busy"
)

// statusOf is the one table from error codes to HTTP statuses.
var statusOf = map[string]int{
	voci.EINVALID:            http.StatusBadRequest,
	codeInvalidBody:          http.StatusBadRequest,
	voci.ETOKENINVALID:       http.StatusBadRequest,
	voci.EUNAUTHORIZED:       http.StatusUnauthorized,
	voci.EINVALIDCREDENTIALS: http.StatusUnauthorized,
	voci.ETOTPREQUIRED:       http.StatusUnauthorized,
	voci.EINVALIDTOTP:        http.StatusUnauthorized,
	codeCSRFFailed:           http.StatusForbidden,
	codeOriginNotAllowed:     http.StatusForbidden,
	codeTOTPSetupRequired:    http.StatusForbidden,
	voci.EFORBIDDEN:          http.StatusForbidden,
	voci.EACCOUNTDISABLED:    http.StatusForbidden,
	voci.ECANNOTDISABLESELF:  http.StatusForbidden,
	voci.ELASTPLATFORMADMIN:  http.StatusConflict,
	voci.ENOTFOUND:           http.StatusNotFound,
	voci.ESESSIONNOTFOUND:    http.StatusNotFound,
	codeMethodNotAllowed:     http.StatusMethodNotAllowed,
	voci.ECONFLICT:           http.StatusConflict,
	codeBodyTooLarge:         http.StatusRequestEntityTooLarge,
	codeUnsupportedMediaType: http.StatusUnsupportedMediaType,
	voci.ERATELIMITED:        http.StatusTooManyRequests,
	voci.EINTERNAL:           http.StatusInternalServerError,
	voci.EUNAVAILABLE:        http.StatusServiceUnavailable,
	voci.ENOTREADY:           http.StatusConflict,
	voci.EFROZEN:             http.StatusConflict,
	voci.ENOTOPEN:            http.StatusConflict,
	voci.ESESSIONENDED:       http.StatusGone,
	voci.ESESSIONFULL:        http.StatusConflict,
	voci.EREMOVED:            http.StatusForbidden,
	voci.EWRONGSTATE:         http.StatusConflict,
	voci.EQUESTIONUNKNOWN:    http.StatusNotFound,
	voci.EOPTIONUNKNOWN:      http.StatusBadRequest,
	voci.ETEXTTOOLONG:        http.StatusBadRequest,
	voci.EHELDNEEDSCONFIRM:   http.StatusConflict,
	codeUpgradeRequired:      http.StatusUpgradeRequired,
	voci.ESELFPACEDNOTYET:    http.StatusConflict,
	voci.ESELFPACEDCLOSED:    http.StatusGone,
	voci.ESELFPACEDUNKNOWN:   http.StatusNotFound,
	voci.EQUESTIONCHANGED:    http.StatusConflict,
	voci.ECHANGED:            http.StatusConflict,
	voci.ENOTAPPROVED:        http.StatusConflict,
	voci.EQUOTEDEMOGRAPHICS:  http.StatusBadRequest,
	// Planned sessions (plannedsessions.go).
	voci.EPLANNEDCANCELLED: http.StatusConflict,
	voci.EPLANNEDSTARTED:   http.StatusConflict,
	voci.EPLANNEDSTARTING:  http.StatusConflict,
	// Council decisions.
	voci.EDECISIONPUBLISHED:     http.StatusConflict,
	voci.EDECISIONDRAFT:         http.StatusConflict,
	voci.ELINKOTHERMUNICIPALITY: http.StatusUnprocessableEntity,
	voci.ENOTAPDF:               http.StatusUnsupportedMediaType,
	voci.EPDFTOOLARGE:           http.StatusRequestEntityTooLarge,
	// Feedback to children.
	voci.EFEEDBACKINCOMPLETE: http.StatusUnprocessableEntity,
	voci.ESECONDADULT:        http.StatusForbidden,
	voci.EFEEDBACKPUBLISHED:  http.StatusConflict,
	// Refused input and overload (throttles, body limits).
	codeDuplicateKey:               http.StatusBadRequest,
	codeUnsupportedContentEncoding: http.StatusUnsupportedMediaType,
	codeBusy:                       http.StatusServiceUnavailable,
	voci.ETOOMANYJOINS:             http.StatusTooManyRequests,
	voci.ESESSIONLOCKED:            http.StatusForbidden,
	// Refused pictures.
	voci.EPICTURETOOLARGE:     http.StatusRequestEntityTooLarge,
	voci.ENOTPICTURE:          http.StatusUnsupportedMediaType,
	voci.EPICTURETYPEMISMATCH: http.StatusUnsupportedMediaType,
	voci.ETRANSLATIONOPTIONS:  http.StatusBadRequest,
	// Receipt codes (receipts.go).
	voci.ERECEIPTNOTFOUND:             http.StatusNotFound,
	voci.ERECEIPTCODEINVALID:          http.StatusBadRequest,
	voci.ERECEIPTFEEDBACKNOTPUBLISHED: http.StatusConflict,
	voci.ERECEIPTANSWERED:             http.StatusConflict,
	// Exports (exports.go).
	voci.EEXPORTQUEUEFULL: http.StatusTooManyRequests,
	// National reporting (indicators.go, releases.go).
	voci.EINVALIDPERIOD: http.StatusBadRequest,
	voci.EOUTOFORDER:    http.StatusUnprocessableEntity,
	// Youth council meetings (meeting*.go).
	voci.ENOQUORUM:         http.StatusConflict,
	voci.EVOTECLOSED:       http.StatusConflict,
	voci.EVOTEOPEN:         http.StatusConflict,
	voci.EBYHAND:           http.StatusConflict,
	voci.EMOTIONTRANSITION: http.StatusConflict,
	voci.EQUEUECLOSED:      http.StatusConflict,
	voci.EHANDRAISED:       http.StatusConflict,
	voci.ENOTENTITLED:      http.StatusForbidden,
	voci.EMEETINGENDED:     http.StatusGone,
	// Themes cited by a recommendation; decision status dates.
	voci.ETHEMEINUSE:      http.StatusConflict,
	voci.ESTATUSDATERANGE: http.StatusUnprocessableEntity,
	// Youth councils (council.go).
	voci.ECARDINVALID:     http.StatusNotFound,
	voci.ECARDREVOKED:     http.StatusGone,
	voci.EOFFICETAKEN:     http.StatusConflict,
	voci.EMEMBERLEFT:      http.StatusConflict,
	voci.ECOUNCILNOTFOUND: http.StatusNotFound,
	// Council meetings and agendas (meetings.go).
	voci.EMEETINGNOTSCHEDULED: http.StatusConflict,
	voci.EATTACHMENTTOOLARGE:  http.StatusRequestEntityTooLarge,
	voci.EATTACHMENTTYPE:      http.StatusUnsupportedMediaType,
	voci.EATTACHMENTMISMATCH:  http.StatusUnsupportedMediaType,
	// A meeting's live room (meetingroom.go).
	voci.ECONSENTREQUIRED: http.StatusForbidden,
	// Meetings' minutes (minutes.go).
	voci.EMINUTESAPPROVED:     http.StatusConflict,
	voci.EMINUTESNOTENDED:     http.StatusConflict,
	voci.EMINUTESNOTVOTED:     http.StatusConflict,
	voci.EMINUTESNOQUORUM:     http.StatusConflict,
	voci.EMINUTESNOTADOPTED:   http.StatusConflict,
	voci.EMINUTESWRONGMEETING: http.StatusConflict,
	// Passed motions sent to the local council (councilmotions.go).
	voci.EMOTIONNOTPASSED: http.StatusConflict,
}

// fiberCodes gives Fiber's own errors (raised before a handler runs) a stable code.
var fiberCodes = map[int]string{
	fiber.StatusBadRequest:            codeInvalidBody,
	fiber.StatusNotFound:              voci.ENOTFOUND,
	fiber.StatusMethodNotAllowed:      codeMethodNotAllowed,
	fiber.StatusRequestEntityTooLarge: codeBodyTooLarge,
	fiber.StatusUnsupportedMediaType:  codeUnsupportedMediaType,
	fiber.StatusTooManyRequests:       voci.ERATELIMITED,
	fiber.StatusServiceUnavailable:    voci.EUNAVAILABLE,
}

// problem is an RFC 9457 problem detail with Voci's stable code.
type problem struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail"`
	Code      string `json:"code"`
	Param     string `json:"param,omitempty"`
	RequestID string `json:"requestId,omitempty"`
	// OpensAt and ClosesAt are a self-paced link's dates, when it is used outside them.
	OpensAt  *time.Time `json:"opensAt,omitempty"`
	ClosesAt *time.Time `json:"closesAt,omitempty"`
}

// errorHandler is Fiber's ErrorHandler: every error a handler or middleware returns, and every
// error the HTTP server meets before routing (an oversized body, say), is answered here as
// problem+json. Errors that are not Voci's or Fiber's are logged and hidden behind a plain 500.
func errorHandler(logger *slog.Logger) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		p := problem{Type: "about:blank", RequestID: requestID(c)}
		var fe *fiber.Error
		switch {
		case errors.As(err, &fe):
			p.Code = fiberCodes[fe.Code]
			if p.Code == "" {
				p.Code = voci.EINTERNAL
			}
			p.Status = fe.Code
			p.Detail = fiberDetail(fe)
			if fe.Code == fiber.StatusRequestEntityTooLarge && isDecisionPDFUpload(c.Method(), c.Path()) {
				p.Code, p.Detail = voci.EPDFTOOLARGE, "This PDF is larger than 10 MB. Make it smaller and send it again."
			}
			if fe.Code == fiber.StatusRequestEntityTooLarge && isAttachmentUpload(c.Method(), c.Path()) {
				p.Code, p.Detail = voci.EATTACHMENTTOOLARGE, "This document is larger than 5 MB. Make it smaller and send it again."
			}
			if fe.Code == fiber.StatusRequestEntityTooLarge && isPictureUpload(c.Method(), c.Path()) {
				p.Code, p.Detail = voci.EPICTURETOOLARGE, "This picture is larger than 5 MB. Make it smaller and send it again."
			}
		default:
			p.Code = voci.ErrorCode(err)
			p.Status = statusOf[p.Code]
			if p.Status == 0 {
				p.Status = http.StatusInternalServerError
			}
			p.Detail = voci.ErrorMessage(err)
			if e, ok := errors.AsType[*voci.Error](err); ok {
				p.Param = e.Param
			}
			if w, ok := errors.AsType[*voci.SelfPacedWindowError](err); ok {
				p.OpensAt, p.ClosesAt = optTime(w.From), optTime(w.Until)
			}
			if r, ok := errors.AsType[*voci.RetryError](err); ok {
				c.Set(fiber.HeaderRetryAfter, retryAfterSeconds(r.After))
			}
		}
		if p.Status >= 500 {
			logger.Error("request failed", "request_id", p.RequestID, "method", c.Method(), "path", c.Path(), "error", err)
			if p.Code == voci.EINTERNAL {
				p.Detail = "Something went wrong on our side. Please try again; if it keeps happening, tell the administrator this request ID."
			}
		}
		p.Title = http.StatusText(p.Status)
		c.Status(p.Status)
		if p.Status == http.StatusTooManyRequests && len(c.Response().Header.Peek(fiber.HeaderRetryAfter)) == 0 {
			c.Set(fiber.HeaderRetryAfter, "60")
		}
		return c.JSON(p, "application/problem+json")
	}
}

// fiberDetail replaces Fiber's terse messages with ones a person can act on.
func fiberDetail(fe *fiber.Error) string {
	switch fe.Code {
	case fiber.StatusRequestEntityTooLarge:
		return "The request body is too large."
	case fiber.StatusNotFound:
		return "There is nothing at this address."
	case fiber.StatusMethodNotAllowed:
		return "This method is not allowed at this address."
	case fiber.StatusTooManyRequests:
		return "Too many requests. Please wait a minute and try again."
	}
	return fe.Message
}

func requestID(c *fiber.Ctx) string {
	id, _ := c.Locals(requestIDKey).(string)
	return id
}

func asVociError(err error) (*voci.Error, bool) { return errors.AsType[*voci.Error](err) }
