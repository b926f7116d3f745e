package httpapi

import (
	"crypto/subtle"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/voci-platform/voci/internal/voci"
)

// principal is the adult behind a request, when there is one.
type principal struct {
	session *voci.Session
	account *voci.Account
}

const principalKey = "principal"

func principalOf(c *fiber.Ctx) *principal {
	p, _ := c.Locals(principalKey).(*principal)
	return p
}

// access says who may call a route. Every route declares one; the zero value allows nobody.
type access struct {
	name string
	// check returns nil when p may call the route; p is nil for a request without a session.
	check func(c *fiber.Ctx, p *principal) error
	// duringTOTPSetup lets an admin who must still turn on two-step sign-in call the route.
	duringTOTPSetup bool
	// ownCSRF: the route is called with another session than an adult's (a youth council
	// member's) and check verifies that session's CSRF token itself.
	ownCSRF bool
}

var (
	// anyone: no session needed. Only for what a child or a passer-by may see or do.
	anyone = access{name: "anyone", duringTOTPSetup: true, check: func(*fiber.Ctx, *principal) error { return nil }}
	// signedIn: any adult with a session, whatever their roles.
	signedIn = access{name: "signed in", check: func(_ *fiber.Ctx, p *principal) error { return requireSession(p) }}
	// self: the signed-in adult's own account, allowed while two-step sign-in is being set up.
	self = access{name: "own account", duringTOTPSetup: true, check: func(_ *fiber.Ctx, p *principal) error { return requireSession(p) }}
)

func requireSession(p *principal) error {
	if p == nil {
		return voci.Errorf(voci.EUNAUTHORIZED, "Please sign in.")
	}
	return nil
}

// platform allows adults who hold one of the platform-wide roles.
func platform(roles ...voci.Role) access {
	return access{name: "platform " + roleNames(roles), check: func(_ *fiber.Ctx, p *principal) error {
		if err := requireSession(p); err != nil {
			return err
		}
		for _, r := range roles {
			if p.account.HasRole(r, 0) {
				return nil
			}
		}
		return voci.Errorf(voci.EFORBIDDEN, "Your role does not allow this.")
	}}
}

// anyMunicipality allows adults who hold one of the roles for at least one municipality, or a
// platform-wide role among them. The handler narrows what they see to their municipalities.
func anyMunicipality(roles ...voci.Role) access {
	return access{name: "any municipality " + roleNames(roles), check: func(_ *fiber.Ctx, p *principal) error {
		if err := requireSession(p); err != nil {
			return err
		}
		for _, g := range p.account.Roles {
			if slices.Contains(roles, g.Role) {
				return nil
			}
		}
		return voci.Errorf(voci.EFORBIDDEN, "Your role does not allow this.")
	}}
}

// inMunicipality allows adults who hold one of the roles for the municipality named by the
// route's :siruta parameter, or a platform-wide role among them. Anybody else gets 404, as if
// the municipality's records did not exist, so that their existence does not leak.
func inMunicipality(roles ...voci.Role) access {
	return access{name: "municipality " + roleNames(roles), check: func(c *fiber.Ctx, p *principal) error {
		if err := requireSession(p); err != nil {
			return err
		}
		siruta, err := strconv.Atoi(c.Params("siruta"))
		if err != nil || siruta <= 0 {
			return voci.InvalidParam("siruta", "A SIRUTA code is a positive whole number.")
		}
		if mayActFor(p.account, siruta, roles...) {
			return nil
		}
		return voci.Errorf(voci.ENOTFOUND, "There is nothing at this address.")
	}}
}

// mayActFor reports whether the account holds one of roles for the municipality, or one of
// them platform-wide. Handlers use it for object checks on records that carry a municipality.
func mayActFor(a *voci.Account, siruta int, roles ...voci.Role) bool {
	for _, r := range roles {
		if a.HasRole(r, siruta) {
			return true
		}
	}
	return false
}

func roleNames(roles []voci.Role) string {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = string(r)
	}
	return strings.Join(names, "|")
}

// guard enforces a route's access rule, and the checks that protect every state change made
// with a session cookie: the request must come from an allowed origin and carry the session's
// CSRF token. Fiber's csrf middleware keeps its tokens in one process's memory; Voci keeps the
// token on the session in the store, so that it holds across instances and restarts.
func (s *Server) guard(a access) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p := principalOf(c)
		var err error
		if a.check == nil {
			err = voci.Errorf(voci.EFORBIDDEN, "This route has no access rule.")
		} else {
			err = a.check(c, p)
		}
		if s.authzProbe != nil {
			s.authzProbe(c.Route().Method+" "+c.Route().Path, err == nil)
		}
		if err != nil {
			return err
		}
		if p != nil && !a.duringTOTPSetup && s.Auth.MustSetUpTOTP(p.account) {
			return voci.Errorf(codeTOTPSetupRequired, "Your role requires two-step sign-in. Turn it on in your account before you continue.")
		}
		if isUnsafe(c.Method()) {
			if origin := c.Get(fiber.HeaderOrigin); origin != "" && !slices.Contains(s.Config.AllowedOrigins, origin) {
				return voci.Errorf(codeOriginNotAllowed, "Requests from %s are not allowed.", origin)
			}
			// Routes open to anyone do not act on a session's authority, so only the others need
			// the token.
			if p != nil && a.name != anyone.name && !a.ownCSRF && subtle.ConstantTimeCompare([]byte(c.Get(csrfHeader)), []byte(p.session.CSRFToken)) != 1 {
				return voci.Errorf(codeCSRFFailed, "This request lacks a valid security token. Reload the page and try again.")
			}
		}
		return c.Next()
	}
}

const csrfHeader = "X-CSRF-Token"

func isUnsafe(method string) bool {
	switch method {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return false
	}
	return true
}
