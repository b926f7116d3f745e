package httpapi

import (
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/voci-platform/voci/internal/voci"
)

// personJSON is an adult as people management shows them. Roles are those held in the
// municipality asked about, or all of them in the platform-wide listing.
type personJSON struct {
	ID          string          `json:"id"`
	Email       string          `json:"email"`
	DisplayName string          `json:"displayName"`
	Disabled    bool            `json:"disabled"`
	Roles       []roleGrantJSON `json:"roles"`
}

type peopleJSON struct {
	Items    []personJSON `json:"items"`
	Total    int          `json:"total"`
	Page     int          `json:"page"`
	PageSize int          `json:"pageSize"`
}

// listPeople answers one page of the accounts holding a role in municipality (0: every
// account), showing only the roles held there.
func (s *Server) listPeople(c *fiber.Ctx, municipality int) error {
	page, err := intQuery(c, "page", 1, 1, 100000)
	if err != nil {
		return err
	}
	size, err := intQuery(c, "pageSize", 50, 1, voci.MaxPageSize)
	if err != nil {
		return err
	}
	found, total, err := s.Store.FindAccounts(c.UserContext(), voci.AccountFilter{Municipality: municipality, Offset: (page - 1) * size, Limit: size})
	if err != nil {
		return err
	}
	names := s.newNames(c)
	resp := peopleJSON{Items: make([]personJSON, 0, len(found)), Total: total, Page: page, PageSize: size}
	for _, a := range found {
		grants := a.Roles
		if municipality != 0 {
			grants = nil
			for _, g := range a.Roles {
				if g.Municipality == municipality {
					grants = append(grants, g)
				}
			}
		}
		roles, err := names.grants(grants)
		if err != nil {
			return err
		}
		resp.Items = append(resp.Items, personJSON{ID: a.ID, Email: a.Email, DisplayName: a.DisplayName, Disabled: a.Disabled, Roles: roles})
	}
	return c.JSON(resp)
}

func (s *Server) personOf(c *fiber.Ctx, a *voci.Account) (personJSON, error) {
	roles, err := s.newNames(c).grants(a.Roles)
	return personJSON{ID: a.ID, Email: a.Email, DisplayName: a.DisplayName, Disabled: a.Disabled, Roles: roles}, err
}

func (s *Server) handleListPeople() fiber.Handler {
	return func(c *fiber.Ctx) error { return s.listPeople(c, 0) }
}

func (s *Server) handleListMunicipalityPeople() fiber.Handler {
	return func(c *fiber.Ctx) error {
		siruta, _ := strconv.Atoi(c.Params("siruta")) // checked by the route's access rule
		return s.listPeople(c, siruta)
	}
}

// handleRevokeMunicipalRole takes one role held in the municipality from a person. The rule
// (admins any; coordinators the roles they grant, never a coordinator's) is the domain's.
func (s *Server) handleRevokeMunicipalRole() fiber.Handler {
	return func(c *fiber.Ctx) error {
		siruta, _ := strconv.Atoi(c.Params("siruta")) // checked by the route's access rule
		p := principalOf(c)
		grant := voci.RoleGrant{Role: voci.Role(c.Params("role")), Municipality: siruta}
		_, err := s.accounts.RevokeRole(c.UserContext(), p.account, c.Params("accountId"), grant, func(acct *voci.Account) *voci.AuditEntry {
			return s.entryOf(c, p.account, auditEvent{Municipality: siruta, Action: "account.role_revoke", ObjectType: "account",
				ObjectID: acct.ID, Detail: fmt.Sprintf("Took the role %s from %s", grant.Role, acct.Email)})
		})
		if err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
}

// handleRevokePlatformRole takes a platform-wide role from a person; only admins may, and
// never the last enabled admin's (the store keeps that true, see voci.LastPlatformAdmin).
func (s *Server) handleRevokePlatformRole() fiber.Handler {
	return func(c *fiber.Ctx) error {
		p := principalOf(c)
		role := voci.Role(c.Params("role"))
		_, err := s.accounts.RevokePlatformRole(c.UserContext(), p.account, c.Params("accountId"), role, func(acct *voci.Account) *voci.AuditEntry {
			return s.entryOf(c, p.account, auditEvent{Action: "account.role_revoke", ObjectType: "account",
				ObjectID: acct.ID, Detail: fmt.Sprintf("Took the role %s from %s", role, acct.Email)})
		})
		if err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
}

// handleUpdatePerson disables a person's account (ending its sessions) or enables it again.
// Who may is the domain's rule (voci.Accounts.SetAccountDisabled): admins anyone but
// themselves; a coordinator the people whose roles are all theirs to take away, and someone
// of another municipality is 404.
func (s *Server) handleUpdatePerson() fiber.Handler {
	type request struct {
		Disabled *bool `json:"disabled" validate:"required"`
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		p := principalOf(c)
		acct, _, err := s.accounts.SetAccountDisabled(c.UserContext(), p.account, c.Params("accountId"), *req.Disabled, func(acct *voci.Account) *voci.AuditEntry {
			action, detail := "account.enable", "Enabled the account of "+acct.Email
			if *req.Disabled {
				action, detail = "account.disable", "Disabled the account of "+acct.Email+" and ended its sessions"
			}
			return s.entryOf(c, p.account, auditEvent{Municipality: mainMunicipality(acct.Roles), Action: action,
				ObjectType: "account", ObjectID: acct.ID, Detail: detail})
		})
		if err != nil {
			return err
		}
		out, err := s.personOf(c, acct)
		if err != nil {
			return err
		}
		return c.JSON(out)
	}
}
