package httpapi

import (
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/voci-platform/voci/internal/live"
	"github.com/voci-platform/voci/internal/voci"
)

// auditEvent is one state change to record, as a handler knows it.
type auditEvent struct {
	Municipality int // 0 for platform-wide changes
	Action       string
	ObjectType   string
	ObjectID     string
	Detail       string
}

// entryOf is the entry of a change made by acct in this request, for the store to write with
// the change itself (in one transaction, or in the changed document's outbox), so that no
// change is stored without it.
func (s *Server) entryOf(c *fiber.Ctx, acct *voci.Account, ev auditEvent) *voci.AuditEntry {
	return s.auditEntry(acct, ev, requestID(c))
}

// auditEntry is the entry of a change: the one place entries are made, so that a change made
// over a websocket reads in the trail as the same change made through REST.
func (s *Server) auditEntry(acct *voci.Account, ev auditEvent, reqID string) *voci.AuditEntry {
	return &voci.AuditEntry{
		ID: voci.RandomID(), At: s.Clock().UTC(), ActorID: acct.ID, ActorEmail: acct.Email,
		ActorRole: actingRole(acct, ev.Municipality), Municipality: ev.Municipality,
		Action: ev.Action, ObjectType: ev.ObjectType, ObjectID: ev.ObjectID,
		RequestID: reqID, Detail: ev.Detail,
	}
}

// actingRole is the role an adult acts in for a municipality: a platform-wide role first,
// then the role held for that municipality, in the order of voci.Roles.
func actingRole(a *voci.Account, municipality int) voci.Role {
	for _, r := range voci.Roles {
		if a.HasRole(r, municipality) {
			return r
		}
	}
	if len(a.Roles) > 0 {
		return a.Roles[0].Role
	}
	return ""
}

// auditEntries makes the entries of the changes a live room makes for acct in the
// municipality, under the request ID reqID. acct and reqID must be copies: the room may call
// it after the request has ended.
func (s *Server) auditEntries(acct *voci.Account, siruta int, reqID string) live.AuditEntries {
	return func(action, objectType, objectID, detail string) *voci.AuditEntry {
		return s.auditEntry(acct, auditEvent{Municipality: siruta, Action: action, ObjectType: objectType, ObjectID: objectID, Detail: detail}, reqID)
	}
}

// commandEntries is auditEntries for a command sent through REST by the request's adult.
func (s *Server) commandEntries(c *fiber.Ctx) live.AuditEntries {
	acct := *principalOf(c).account
	acct.Roles = slices.Clone(acct.Roles)
	return s.auditEntries(&acct, sirutaOf(c), strings.Clone(requestID(c)))
}

// changeAudit is the entry of a change made in the route's municipality by the signed-in
// adult, for the store to write with the change itself (in one transaction, or in the changed
// document's outbox), so that no change is stored without it. An empty objectID is filled in
// by the domain with the ID of what it creates.
func (s *Server) changeAudit(c *fiber.Ctx, action, objectType, objectID, detail string) *voci.AuditEntry {
	return s.auditEntry(principalOf(c).account, auditEvent{Municipality: sirutaOf(c), Action: action,
		ObjectType: objectType, ObjectID: objectID, Detail: detail}, requestID(c))
}
