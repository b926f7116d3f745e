package httpapi

import (
	"crypto/rand"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voci-platform/voci/internal/voci"
)

// Receipt codes (voci.Receipts): a child gets one at the end of a live session or a
// self-paced link, and opens with it, on /r and without an account, what the council decided.
// Codes travel in request bodies, never in addresses, so that they stay out of access logs.

// newReceipts keys receipts with the server's secret key; a server without one (tests) draws
// a key for its own lifetime.
func newReceipts(deps Deps) *voci.Receipts {
	var key []byte
	if deps.Config != nil {
		key = deps.Config.SecretKey
	}
	if key == nil {
		key = make([]byte, 32)
		rand.Read(key)
	}
	r := voci.NewReceipts(deps.Store, key)
	r.Clock = deps.Clock
	return r
}

type receiptCodeOut struct {
	// Code is the canonical code; Grouped is how it is shown ("7KQ4-M2XD-9PF").
	Code    string `json:"code"`
	Grouped string `json:"grouped"`
}

func toReceiptCodeOut(code voci.ReceiptCode) receiptCodeOut {
	return receiptCodeOut{Code: string(code), Grouped: code.Grouped()}
}

// bearerToken reads a child's participant token from the Authorization header.
func bearerToken(c *fiber.Ctx) string {
	token, _ := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer ")
	return strings.TrimSpace(token)
}

// handleLiveReceipt gives the child behind the participant token their receipt code for the
// session's consultation: the same code every time for the same token. The end screen asks
// for it when the session ends; on a shared tablet, each child when passing the tablet on.
func (s *Server) handleLiveReceipt() fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx := c.UserContext()
		token := bearerToken(c)
		p, err := s.Participation.AuthenticateParticipant(ctx, token)
		if err != nil {
			return err
		}
		l, err := s.Store.FindLiveSessionByID(ctx, p.SessionID)
		if err != nil {
			return err
		}
		cons, err := s.Store.FindConsultationByID(ctx, l.ConsultationID)
		if err != nil {
			return err
		}
		code, err := s.Receipts.IssueForParticipant(ctx, token, cons, p.Lang)
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(toReceiptCodeOut(code))
	}
}

// handleSelfPacedReceipt is handleLiveReceipt for a child of a self-paced link.
func (s *Server) handleSelfPacedReceipt() fiber.Handler {
	return func(c *fiber.Ctx) error {
		cons, p, err := s.selfPacedChild(c)
		if err != nil {
			return err
		}
		code, err := s.Receipts.IssueForParticipant(c.UserContext(), bearerToken(c), cons, p.Lang)
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(toReceiptCodeOut(code))
	}
}

// handleLookupReceipt opens a receipt: the consultation it names, in the child's language,
// who answers and by when, and whether the answer is out. Nothing about the child who had the
// code. A well-formed code Voci did not issue is 404 receipt_not_found, and costs the client
// one of its wrong secrets.
func (s *Server) handleLookupReceipt() fiber.Handler {
	type request struct {
		Code string `json:"code" validate:"required,max=64"`
		Lang string `json:"lang" validate:"max=35"`
	}
	type municipality struct {
		SIRUTA int    `json:"siruta"`
		Name   string `json:"name"`
	}
	type consultation struct {
		ID           string       `json:"id"`
		Title        string       `json:"title"`
		AudienceBody string       `json:"audienceBody"`
		AnswerBy     time.Time    `json:"answerBy"`
		Lang         string       `json:"lang"`
		Municipality municipality `json:"municipality"`
	}
	type answerBack struct {
		// Open: the child may answer back (the council's answer is out). Whether this
		// receipt has answered already is not said.
		Open bool `json:"open"`
	}
	type response struct {
		Consultation        consultation `json:"consultation"`
		ReceiptLang         string       `json:"receiptLang"`
		FeedbackPublished   bool         `json:"feedbackPublished"`
		FeedbackPublishedAt *time.Time   `json:"feedbackPublishedAt,omitempty"`
		AnswerBack          answerBack   `json:"answerBack"`
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		found, err := s.Receipts.Lookup(c.UserContext(), req.Code)
		if err != nil {
			return err
		}
		want := req.Lang
		if want == "" {
			want = string(found.Lang)
		}
		lang := found.Consultation.ContentLang(langTag(want))
		cons := found.Consultation.In(lang)
		out := response{
			Consultation: consultation{ID: cons.ID, Title: cons.Title, AudienceBody: cons.AudienceBody, AnswerBy: cons.AnswerBy, Lang: string(lang),
				Municipality: municipality{SIRUTA: found.Municipality.SIRUTA, Name: found.Municipality.Name}},
			ReceiptLang:       string(found.Lang),
			FeedbackPublished: found.FeedbackPublished,
			AnswerBack:        answerBack{Open: found.FeedbackPublished},
		}
		if found.FeedbackPublished {
			at := found.FeedbackPublishedAt
			out.FeedbackPublishedAt = &at
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(out)
	}
}

// handleReceiptAnswerBack takes a child's answer back on the council's answer: counted for the
// consultation, never kept with the code; once per receipt.
func (s *Server) handleReceiptAnswerBack() fiber.Handler {
	type request struct {
		Code      string `json:"code" validate:"required,max=64"`
		Clarity   string `json:"clarity" validate:"omitempty,oneof=clear not_clear"`
		Agreement string `json:"agreement" validate:"omitempty,oneof=agree disagree"`
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		err := s.Receipts.AnswerBack(c.UserContext(), req.Code,
			voci.ReceiptAnswerBack{Clarity: voci.Clarity(req.Clarity), Agreement: voci.Agreement(req.Agreement)})
		if err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
}

// receiptLookupsPerClient bounds the receipt lookups and answer-backs of one client address in
// receiptLookupWindow, right codes included: a class opening its codes in a computer lab behind
// one router, two or three times each, passes; a script replaying one code to load the store,
// or walking a list of stolen codes, does not. Wrong codes also spend the budget of wrong
// secrets (throttleFailedReceipts). The count is kept in each instance, so behind a balancer
// of n instances a client gets up to n times as many.
const (
	receiptLookupsPerClient = 120
	receiptLookupWindow     = 10 * time.Minute
)

// throttleFailedReceipts counts, against the one budget of wrong secrets per client, the
// receipt codes Voci did not issue (404). A mistyped code (400) is not a guess: anyone can
// work out the check character without asking.
func (s *Server) throttleFailedReceipts() fiber.Handler {
	return s.tokenFailures.handlerCounting(func(status int) bool {
		return status == fiber.StatusNotFound || status == fiber.StatusUnauthorized
	}, nil, false)
}
