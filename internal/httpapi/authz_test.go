package httpapi_test

import (
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/voci-platform/voci/internal/voci"
)

// who is one kind of caller in the authorization walk.
type who struct {
	name  string
	email string // "" for a caller without a session
	role  voci.Role
}

// callers: nobody, then one demo account per role. Municipal roles are held for Bacău.
var callers = []who{
	{name: "anonymous"},
	{name: "admin", email: "admin@demo.voci.ro", role: voci.RolePlatformAdmin},
	{name: "national", email: "national@demo.voci.ro", role: voci.RoleNationalCommittee},
	{name: "coordinator", email: "coordinator.bacau@demo.voci.ro", role: voci.RoleCoordinator},
	{name: "facilitator", email: "facilitator.bacau@demo.voci.ro", role: voci.RoleFacilitator},
	{name: "council", email: "council.bacau@demo.voci.ro", role: voci.RoleCouncilMember},
	{name: "safeguarding", email: "safeguarding.bacau@demo.voci.ro", role: voci.RoleSafeguardingLead},
}

const ownMunicipality, otherMunicipality = "20297", "40198" // Bacău, Brașov

// rule is the authorization spec of one route, written here independently of routes.go: may
// this caller call it, for their own municipality (own) or another one?
type rule func(c who, own bool) bool

var (
	everyone rule = func(who, bool) bool { return true }
	adults   rule = func(c who, _ bool) bool { return c.email != "" }
)

// inviters: admins, national committee members and coordinators of any municipality; which
// roles each may grant is checked by the handler (see TestInvitationRules).
var inviters rule = func(c who, _ bool) bool {
	return contains([]voci.Role{voci.RolePlatformAdmin, voci.RoleNationalCommittee, voci.RoleCoordinator}, c.role)
}

func platformRoles(roles ...voci.Role) rule {
	return func(c who, _ bool) bool { return c.email != "" && contains(roles, c.role) }
}

// municipal: the roles for their own municipality; platform roles among them for any.
func municipal(roles ...voci.Role) rule {
	return func(c who, own bool) bool {
		if c.email == "" || !contains(roles, c.role) {
			return false
		}
		return own || c.role.PlatformWide()
	}
}

func contains(roles []voci.Role, r voci.Role) bool {
	for _, x := range roles {
		if x == r {
			return true
		}
	}
	return false
}

// askTheirOwnToken are routes everyone may call whose credential is a child's participant
// token in the Authorization header, checked by the domain: to a caller without one (an
// adult's cookie is not one) they answer 401, whoever calls. Without this list the check
// below passed only while earlier routes had spent the client's budget of wrong secrets, so
// that these answered 429, and failed when a slow run let that minute's window end first.
var askTheirOwnToken = map[string]bool{
	"POST /api/v1/live/me/receipt": true,
}

// refusedOpenly are routes under a municipality that refuse with 403, not 404: the rule is
// public knowledge (only the national committee records CFCI stages).
var refusedOpenly = map[string]bool{
	"POST /api/v1/municipalities/:siruta/enrolment": true,
	"POST /api/v1/municipalities/:siruta/stage":     true,
}

// authorizationSpec lists every route. A route missing here fails the walk.
var authorizationSpec = map[string]rule{
	"GET /healthz":                                     everyone,
	"GET /readyz":                                      everyone,
	"GET /metrics":                                     everyone,
	"GET /api/v1/openapi.json":                         everyone,
	"GET /api/v1/counties":                             everyone,
	"GET /api/v1/municipalities":                       everyone,
	"GET /api/v1/municipalities/:siruta":               everyone,
	"POST /api/v1/municipalities/:siruta/enrolment":    platformRoles(voci.RolePlatformAdmin, voci.RoleNationalCommittee),
	"POST /api/v1/municipalities/:siruta/stage":        platformRoles(voci.RolePlatformAdmin, voci.RoleNationalCommittee),
	"GET /api/v1/municipalities/:siruta/stage-history": municipal(voci.RolePlatformAdmin, voci.RoleNationalCommittee, voci.RoleCoordinator),
	"GET /api/v1/municipalities/:siruta/profile":       municipal(voci.RolePlatformAdmin, voci.RoleNationalCommittee, voci.RoleCoordinator),
	"PATCH /api/v1/municipalities/:siruta/profile":     municipal(voci.RolePlatformAdmin, voci.RoleCoordinator),
	"GET /api/v1/audit":                                platformRoles(voci.RolePlatformAdmin, voci.RoleNationalCommittee, voci.RoleCoordinator),
	"GET /api/v1/audit.csv":                            platformRoles(voci.RolePlatformAdmin, voci.RoleNationalCommittee, voci.RoleCoordinator),
	// Exports: which table each may export is the domain's rule (voci.MayExport).
	"GET /api/v1/exports":                    platformRoles(voci.RolePlatformAdmin, voci.RoleNationalCommittee, voci.RoleCoordinator),
	"POST /api/v1/exports":                   platformRoles(voci.RolePlatformAdmin, voci.RoleNationalCommittee, voci.RoleCoordinator),
	"GET /api/v1/exports/:id":                platformRoles(voci.RolePlatformAdmin, voci.RoleNationalCommittee, voci.RoleCoordinator),
	"GET /api/v1/exports/:id/file":           platformRoles(voci.RolePlatformAdmin, voci.RoleNationalCommittee, voci.RoleCoordinator),
	"GET /api/v1/open-data/datapackage.json": everyone,
	"GET /api/v1/open-data/:resource":        everyone,
	// National reporting: the committee's tables, and a municipality's own indicators.
	"GET /api/v1/national/municipalities":           platformRoles(voci.RolePlatformAdmin, voci.RoleNationalCommittee),
	"GET /api/v1/national/counties":                 platformRoles(voci.RolePlatformAdmin, voci.RoleNationalCommittee),
	"GET /api/v1/national/trends":                   platformRoles(voci.RolePlatformAdmin, voci.RoleNationalCommittee),
	"GET /api/v1/national/releases":                 platformRoles(voci.RolePlatformAdmin, voci.RoleNationalCommittee),
	"POST /api/v1/national/releases":                platformRoles(voci.RolePlatformAdmin, voci.RoleNationalCommittee),
	"GET /api/v1/national/releases/:id":             platformRoles(voci.RolePlatformAdmin, voci.RoleNationalCommittee),
	"GET /api/v1/municipalities/:siruta/indicators": municipal(voci.RolePlatformAdmin, voci.RoleNationalCommittee, voci.RoleCoordinator),
	// Consultations and live sessions: facilitators and coordinators run them; council
	// members read results; help requests go to the safeguarding lead.
	"GET /api/v1/live/participant":                                           everyone,
	"GET /api/v1/municipalities/:siruta/consultations":                       municipal(voci.RoleFacilitator, voci.RoleCoordinator, voci.RoleCouncilMember, voci.RolePlatformAdmin, voci.RoleNationalCommittee),
	"POST /api/v1/municipalities/:siruta/consultations":                      municipal(voci.RoleFacilitator, voci.RoleCoordinator),
	"GET /api/v1/municipalities/:siruta/consultations/:id":                   municipal(voci.RoleFacilitator, voci.RoleCoordinator, voci.RoleCouncilMember),
	"PUT /api/v1/municipalities/:siruta/consultations/:id":                   municipal(voci.RoleFacilitator, voci.RoleCoordinator),
	"POST /api/v1/municipalities/:siruta/consultations/:id/status":           municipal(voci.RoleFacilitator, voci.RoleCoordinator),
	"POST /api/v1/municipalities/:siruta/consultations/:id/questions":        municipal(voci.RoleFacilitator, voci.RoleCoordinator),
	"PUT /api/v1/municipalities/:siruta/consultations/:id/questions/:qid":    municipal(voci.RoleFacilitator, voci.RoleCoordinator),
	"DELETE /api/v1/municipalities/:siruta/consultations/:id/questions/:qid": municipal(voci.RoleFacilitator, voci.RoleCoordinator),
	"PUT /api/v1/municipalities/:siruta/consultations/:id/question-order":    municipal(voci.RoleFacilitator, voci.RoleCoordinator),
	// The Lundy scorecard: the consultation readers of the municipality and the platform followers.
	"GET /api/v1/municipalities/:siruta/consultations/:id/scorecard": municipal(voci.RoleFacilitator, voci.RoleCoordinator, voci.RoleCouncilMember, voci.RolePlatformAdmin, voci.RoleNationalCommittee),
	"GET /api/v1/municipalities/:siruta/scorecard":                   municipal(voci.RoleFacilitator, voci.RoleCoordinator, voci.RoleCouncilMember, voci.RolePlatformAdmin, voci.RoleNationalCommittee),

	// Feedback to children: council members and the coordinator write and approve it; facilitators read it.
	"GET /api/v1/municipalities/:siruta/consultations/:id/feedback":                   municipal(voci.RoleFacilitator, voci.RoleCoordinator, voci.RoleCouncilMember),
	"GET /api/v1/municipalities/:siruta/recommendations/:rid/feedback":                municipal(voci.RoleFacilitator, voci.RoleCoordinator, voci.RoleCouncilMember),
	"POST /api/v1/municipalities/:siruta/recommendations/:rid/feedback":               municipal(voci.RoleCoordinator, voci.RoleCouncilMember),
	"PUT /api/v1/municipalities/:siruta/recommendations/:rid/feedback/:fid":           municipal(voci.RoleCoordinator, voci.RoleCouncilMember),
	"POST /api/v1/municipalities/:siruta/recommendations/:rid/feedback/:fid/submit":   municipal(voci.RoleCoordinator, voci.RoleCouncilMember),
	"POST /api/v1/municipalities/:siruta/recommendations/:rid/feedback/:fid/publish":  municipal(voci.RoleCoordinator, voci.RoleCouncilMember),
	"GET /api/v1/public/consultations/:id/outcome":                                    everyone,
	"GET /api/v1/public/municipalities/:siruta":                                       everyone,
	"GET /api/v1/municipalities/:siruta/consultations/:id/results":                    municipal(voci.RoleFacilitator, voci.RoleCoordinator, voci.RoleCouncilMember),
	"GET /api/v1/municipalities/:siruta/consultations/:id/results.csv":                municipal(voci.RoleFacilitator, voci.RoleCoordinator, voci.RoleCouncilMember),
	"GET /api/v1/municipalities/:siruta/consultations/:id/results.json":               municipal(voci.RoleFacilitator, voci.RoleCoordinator, voci.RoleCouncilMember),
	"GET /api/v1/municipalities/:siruta/consultations/:id/moderation":                 municipal(voci.RoleFacilitator, voci.RoleCoordinator),
	"POST /api/v1/municipalities/:siruta/answers/:aid/moderation":                     municipal(voci.RoleFacilitator, voci.RoleCoordinator),
	"POST /api/v1/municipalities/:siruta/consultations/:id/live-sessions":             municipal(voci.RoleFacilitator, voci.RoleCoordinator),
	"GET /api/v1/municipalities/:siruta/consultations/:id/live-sessions":              municipal(voci.RoleFacilitator, voci.RoleCoordinator),
	"GET /api/v1/municipalities/:siruta/live-sessions/:sid":                           municipal(voci.RoleFacilitator, voci.RoleCoordinator),
	"POST /api/v1/municipalities/:siruta/live-sessions/:sid/end":                      municipal(voci.RoleFacilitator, voci.RoleCoordinator),
	"PUT /api/v1/municipalities/:siruta/live-sessions/:sid/trust":                     municipal(voci.RoleFacilitator, voci.RoleCoordinator),
	"PUT /api/v1/municipalities/:siruta/live-sessions/:sid/joins-lock":                municipal(voci.RoleFacilitator, voci.RoleCoordinator),
	"GET /api/v1/municipalities/:siruta/live-sessions/:sid/group-facts":               municipal(voci.RoleFacilitator, voci.RoleCoordinator),
	"PUT /api/v1/municipalities/:siruta/live-sessions/:sid/group-facts":               municipal(voci.RoleFacilitator, voci.RoleCoordinator),
	"GET /api/v1/municipalities/:siruta/live-sessions/:sid/participants":              municipal(voci.RoleFacilitator, voci.RoleCoordinator),
	"POST /api/v1/municipalities/:siruta/live-sessions/:sid/participants/:pid/remove": municipal(voci.RoleFacilitator, voci.RoleCoordinator),
	"GET /api/v1/municipalities/:siruta/live-sessions/:sid/presenter":                 municipal(voci.RoleFacilitator, voci.RoleCoordinator),
	"GET /api/v1/municipalities/:siruta/live-sessions/:sid/facilitator":               municipal(voci.RoleFacilitator, voci.RoleCoordinator),
	"GET /api/v1/municipalities/:siruta/live-sessions/:sid/qr.png":                    municipal(voci.RoleFacilitator, voci.RoleCoordinator),
	"GET /api/v1/municipalities/:siruta/consultations/:id/paper-forms":                municipal(voci.RoleFacilitator, voci.RoleCoordinator),
	"POST /api/v1/municipalities/:siruta/consultations/:id/paper-forms":               municipal(voci.RoleFacilitator, voci.RoleCoordinator),
	"DELETE /api/v1/municipalities/:siruta/consultations/:id/paper-forms/:key":        municipal(voci.RoleFacilitator, voci.RoleCoordinator),
	"GET /api/v1/municipalities/:siruta/consultations/:id/self-paced-link":            municipal(voci.RoleFacilitator, voci.RoleCoordinator),
	"GET /api/v1/municipalities/:siruta/help-requests":                                municipal(voci.RoleSafeguardingLead, voci.RoleCoordinator),
	"POST /api/v1/municipalities/:siruta/help-requests/:hid/acknowledge":              municipal(voci.RoleSafeguardingLead, voci.RoleCoordinator),

	// The leads' follow-up of help requests, and the badge of every adult's menu.
	"PUT /api/v1/municipalities/:siruta/help-requests/:hid/note":   municipal(voci.RoleSafeguardingLead, voci.RoleCoordinator),
	"POST /api/v1/municipalities/:siruta/help-requests/:hid/close": municipal(voci.RoleSafeguardingLead, voci.RoleCoordinator),
	"GET /api/v1/me/help-requests/count":                           adults,
	"GET /api/v1/me/start":                                         adults,
	"GET /api/v1/me/notifications":                                 adults,
	"POST /api/v1/me/notifications/read-all":                       adults,
	"POST /api/v1/me/notifications/:id/read":                       adults,
	// Council decisions: council members and the coordinator record them; facilitators and
	// the platform's roles read them.
	"GET /api/v1/municipalities/:siruta/decisions":                   municipal(voci.RoleCouncilMember, voci.RoleCoordinator, voci.RoleFacilitator, voci.RolePlatformAdmin, voci.RoleNationalCommittee),
	"POST /api/v1/municipalities/:siruta/decisions":                  municipal(voci.RoleCouncilMember, voci.RoleCoordinator),
	"GET /api/v1/municipalities/:siruta/decisions/:did":              municipal(voci.RoleCouncilMember, voci.RoleCoordinator, voci.RoleFacilitator, voci.RolePlatformAdmin, voci.RoleNationalCommittee),
	"PUT /api/v1/municipalities/:siruta/decisions/:did":              municipal(voci.RoleCouncilMember, voci.RoleCoordinator),
	"POST /api/v1/municipalities/:siruta/decisions/:did/publish":     municipal(voci.RoleCouncilMember, voci.RoleCoordinator),
	"POST /api/v1/municipalities/:siruta/decisions/:did/corrections": municipal(voci.RoleCouncilMember, voci.RoleCoordinator),
	"POST /api/v1/municipalities/:siruta/decisions/:did/status":      municipal(voci.RoleCouncilMember, voci.RoleCoordinator),
	"POST /api/v1/municipalities/:siruta/decisions/:did/milestones":  municipal(voci.RoleCouncilMember, voci.RoleCoordinator),
	"GET /api/v1/municipalities/:siruta/decisions/:did/verify":       municipal(voci.RoleCouncilMember, voci.RoleCoordinator, voci.RoleFacilitator, voci.RolePlatformAdmin, voci.RoleNationalCommittee),
	"GET /api/v1/municipalities/:siruta/decisions/:did/trace":        municipal(voci.RoleCouncilMember, voci.RoleCoordinator, voci.RoleFacilitator, voci.RolePlatformAdmin, voci.RoleNationalCommittee),
	"GET /api/v1/municipalities/:siruta/decisions/:did/trace.csv":    municipal(voci.RoleCouncilMember, voci.RoleCoordinator, voci.RoleFacilitator, voci.RolePlatformAdmin, voci.RoleNationalCommittee),
	"POST /api/v1/municipalities/:siruta/decision-files":             municipal(voci.RoleCouncilMember, voci.RoleCoordinator),
	"GET /api/v1/municipalities/:siruta/decision-files/:file":        municipal(voci.RoleCouncilMember, voci.RoleCoordinator, voci.RoleFacilitator, voci.RolePlatformAdmin, voci.RoleNationalCommittee),
	"GET /api/v1/municipalities/:siruta/decision-recommendations":    municipal(voci.RoleCouncilMember, voci.RoleCoordinator, voci.RoleFacilitator, voci.RolePlatformAdmin, voci.RoleNationalCommittee),
	"GET /api/v1/municipalities/:siruta/consultations/:id/trace":     municipal(voci.RoleFacilitator, voci.RoleCoordinator, voci.RoleCouncilMember),
	"GET /api/v1/municipalities/:siruta/consultations/:id/trace.csv": municipal(voci.RoleFacilitator, voci.RoleCoordinator, voci.RoleCouncilMember),

	"POST /api/v1/join":                   everyone,
	"POST /api/v1/auth/login":             everyone,
	"POST /api/v1/auth/logout":            adults,
	"POST /api/v1/auth/logout-everywhere": adults,
	"GET /api/v1/me":                      adults,
	"PATCH /api/v1/me":                    adults,
	"POST /api/v1/me/password":            adults,
	"GET /api/v1/me/sessions":             adults,
	"DELETE /api/v1/me/sessions/:id":      adults,
	"POST /api/v1/me/totp":                adults,
	"POST /api/v1/me/totp/enable":         adults,
	"POST /api/v1/me/totp/disable":        adults,

	// A self-paced link's child: the key and the participant token are checked by the domain.
	"GET /api/v1/self-paced/:key":                                 everyone,
	"POST /api/v1/self-paced/:key/participants":                   everyone,
	"GET /api/v1/self-paced/:key/me":                              everyone,
	"PUT /api/v1/self-paced/:key/me/profile":                      everyone,
	"POST /api/v1/self-paced/:key/me/alias":                       everyone,
	"PUT /api/v1/self-paced/:key/me/answers/:qid":                 everyone,
	"POST /api/v1/self-paced/:key/me/help":                        everyone,
	"GET /api/v1/self-paced/:key/me/ideas/:qid":                   everyone,
	"PUT /api/v1/self-paced/:key/me/ideas/:qid/reactions/:ideaId": everyone,

	// Receipt codes: the participant token, or the code itself, is checked by the domain.
	"POST /api/v1/live/me/receipt":            everyone,
	"POST /api/v1/self-paced/:key/me/receipt": everyone,
	"POST /api/v1/receipts/lookup":            everyone,
	"POST /api/v1/receipts/answer-back":       everyone,

	"POST /api/v1/auth/password-reset":                                    everyone,
	"POST /api/v1/auth/password-reset/confirm":                            everyone,
	"POST /api/v1/invitations":                                            inviters,
	"GET /api/v1/invitations":                                             inviters,
	"DELETE /api/v1/invitations/:id":                                      inviters,
	"POST /api/v1/invitations/:id/resend":                                 inviters,
	"POST /api/v1/invitations/preview":                                    everyone,
	"POST /api/v1/invitations/accept":                                     everyone,
	"GET /api/v1/people":                                                  platformRoles(voci.RolePlatformAdmin, voci.RoleNationalCommittee),
	"GET /api/v1/municipalities/:siruta/people":                           municipal(voci.RolePlatformAdmin, voci.RoleNationalCommittee, voci.RoleCoordinator),
	"DELETE /api/v1/municipalities/:siruta/people/:accountId/roles/:role": municipal(voci.RolePlatformAdmin, voci.RoleCoordinator),
	"DELETE /api/v1/people/:accountId/roles/:role":                        platformRoles(voci.RolePlatformAdmin),
	// Coordinators reach only their people: the handler answers 404 for the others.
	"PATCH /api/v1/people/:accountId": platformRoles(voci.RolePlatformAdmin, voci.RoleCoordinator),

	// Pictures and duplicates (pictures.go). A picture's address is handed out with its question.
	"PUT /api/v1/municipalities/:siruta/consultations/:id/questions/:qid/picture":                 municipal(voci.RoleFacilitator, voci.RoleCoordinator),
	"DELETE /api/v1/municipalities/:siruta/consultations/:id/questions/:qid/picture":              municipal(voci.RoleFacilitator, voci.RoleCoordinator),
	"PUT /api/v1/municipalities/:siruta/consultations/:id/questions/:qid/options/:oid/picture":    municipal(voci.RoleFacilitator, voci.RoleCoordinator),
	"DELETE /api/v1/municipalities/:siruta/consultations/:id/questions/:qid/options/:oid/picture": municipal(voci.RoleFacilitator, voci.RoleCoordinator),
	"PATCH /api/v1/municipalities/:siruta/consultations/:id/questions/:qid/picture":               municipal(voci.RoleFacilitator, voci.RoleCoordinator),
	"PATCH /api/v1/municipalities/:siruta/consultations/:id/questions/:qid/options/:oid/picture":  municipal(voci.RoleFacilitator, voci.RoleCoordinator),
	"POST /api/v1/municipalities/:siruta/consultations/:id/duplicate":                             municipal(voci.RoleFacilitator, voci.RoleCoordinator),
	"GET /api/v1/pictures/:file": everyone,

	// The review workspace (review.go): whoever reads results may group them.
	"GET /api/v1/municipalities/:siruta/consultations/:id/review":                 municipal(voci.RoleFacilitator, voci.RoleCoordinator, voci.RoleCouncilMember),
	"GET /api/v1/municipalities/:siruta/consultations/:id/themes":                 municipal(voci.RoleFacilitator, voci.RoleCoordinator, voci.RoleCouncilMember),
	"POST /api/v1/municipalities/:siruta/consultations/:id/themes":                municipal(voci.RoleFacilitator, voci.RoleCoordinator, voci.RoleCouncilMember),
	"GET /api/v1/municipalities/:siruta/consultations/:id/themes/:tid":            municipal(voci.RoleFacilitator, voci.RoleCoordinator, voci.RoleCouncilMember),
	"PATCH /api/v1/municipalities/:siruta/consultations/:id/themes/:tid":          municipal(voci.RoleFacilitator, voci.RoleCoordinator, voci.RoleCouncilMember),
	"DELETE /api/v1/municipalities/:siruta/consultations/:id/themes/:tid":         municipal(voci.RoleFacilitator, voci.RoleCoordinator, voci.RoleCouncilMember),
	"GET /api/v1/municipalities/:siruta/consultations/:id/recommendations":        municipal(voci.RoleFacilitator, voci.RoleCoordinator, voci.RoleCouncilMember),
	"POST /api/v1/municipalities/:siruta/consultations/:id/recommendations":       municipal(voci.RoleFacilitator, voci.RoleCoordinator, voci.RoleCouncilMember),
	"PATCH /api/v1/municipalities/:siruta/consultations/:id/recommendations/:rid": municipal(voci.RoleFacilitator, voci.RoleCoordinator, voci.RoleCouncilMember),

	// The youth council (council.go): consent is the coordinator's and the admin's alone; a
	// member's own page opens with a member's card session only, never an adult's.
	"GET /api/v1/municipalities/:siruta/youth-council":                                municipal(voci.RolePlatformAdmin, voci.RoleCoordinator, voci.RoleFacilitator, voci.RoleCouncilMember),
	"PUT /api/v1/municipalities/:siruta/youth-council":                                municipal(voci.RolePlatformAdmin, voci.RoleCoordinator),
	"POST /api/v1/municipalities/:siruta/youth-council/members":                       municipal(voci.RolePlatformAdmin, voci.RoleCoordinator),
	"PATCH /api/v1/municipalities/:siruta/youth-council/members/:mid":                 municipal(voci.RolePlatformAdmin, voci.RoleCoordinator),
	"POST /api/v1/municipalities/:siruta/youth-council/members/:mid/leave":            municipal(voci.RolePlatformAdmin, voci.RoleCoordinator),
	"GET /api/v1/municipalities/:siruta/youth-council/consents":                       municipal(voci.RolePlatformAdmin, voci.RoleCoordinator),
	"PUT /api/v1/municipalities/:siruta/youth-council/members/:mid/consent":           municipal(voci.RolePlatformAdmin, voci.RoleCoordinator),
	"POST /api/v1/municipalities/:siruta/youth-council/members/:mid/consent/withdraw": municipal(voci.RolePlatformAdmin, voci.RoleCoordinator),
	"POST /api/v1/municipalities/:siruta/youth-council/members/:mid/card":             municipal(voci.RolePlatformAdmin, voci.RoleCoordinator),
	"DELETE /api/v1/municipalities/:siruta/youth-council/members/:mid/card":           municipal(voci.RolePlatformAdmin, voci.RoleCoordinator),
	"POST /api/v1/youth-council/sign-in":                                              everyone,
	"GET /api/v1/youth-council/me":                                                    nobodyAdult,
	"POST /api/v1/youth-council/me/sign-out":                                          nobodyAdult,

	// Council meetings and their agendas.
	"GET /api/v1/municipalities/:siruta/youth-council/meetings":                                            municipal(voci.RolePlatformAdmin, voci.RoleCoordinator, voci.RoleFacilitator, voci.RoleCouncilMember),
	"POST /api/v1/municipalities/:siruta/youth-council/meetings":                                           municipal(voci.RolePlatformAdmin, voci.RoleCoordinator),
	"GET /api/v1/municipalities/:siruta/youth-council/meetings/:meeting":                                   municipal(voci.RolePlatformAdmin, voci.RoleCoordinator, voci.RoleFacilitator, voci.RoleCouncilMember),
	"PATCH /api/v1/municipalities/:siruta/youth-council/meetings/:meeting":                                 municipal(voci.RolePlatformAdmin, voci.RoleCoordinator),
	"POST /api/v1/municipalities/:siruta/youth-council/meetings/:meeting/agenda":                           municipal(voci.RolePlatformAdmin, voci.RoleCoordinator),
	"PATCH /api/v1/municipalities/:siruta/youth-council/meetings/:meeting/agenda/:item":                    municipal(voci.RolePlatformAdmin, voci.RoleCoordinator),
	"DELETE /api/v1/municipalities/:siruta/youth-council/meetings/:meeting/agenda/:item":                   municipal(voci.RolePlatformAdmin, voci.RoleCoordinator),
	"POST /api/v1/municipalities/:siruta/youth-council/meetings/:meeting/agenda/:item/attachments":         municipal(voci.RolePlatformAdmin, voci.RoleCoordinator),
	"GET /api/v1/municipalities/:siruta/youth-council/meetings/:meeting/agenda/:item/attachments/:file":    municipal(voci.RolePlatformAdmin, voci.RoleCoordinator, voci.RoleFacilitator, voci.RoleCouncilMember),
	"DELETE /api/v1/municipalities/:siruta/youth-council/meetings/:meeting/agenda/:item/attachments/:file": municipal(voci.RolePlatformAdmin, voci.RoleCoordinator),
	"POST /api/v1/youth-council/me/meetings/:meeting/agenda":                                               nobodyAdult,
	"PATCH /api/v1/youth-council/me/meetings/:meeting/agenda/:item":                                        nobodyAdult,
	"GET /api/v1/youth-council/me/meetings/:meeting/agenda/:item/attachments/:file":                        nobodyAdult,
	// A meeting's live room (meetingroom.go).
	"GET /api/v1/youth-council/meetings/:meeting/room":                                      nobodyAdult,
	"GET /api/v1/municipalities/:siruta/youth-council/meetings/:meeting/room":               municipal(voci.RolePlatformAdmin, voci.RoleCoordinator),
	"POST /api/v1/municipalities/:siruta/youth-council/meetings/:meeting/room/gallery-link": municipal(voci.RolePlatformAdmin, voci.RoleCoordinator),
	"GET /api/v1/meeting-gallery/:meeting":                                                  everyone,
	// Passed motions sent to the local council (councilmotions.go).
	"GET /api/v1/municipalities/:siruta/youth-council/motions":                                           municipal(voci.RolePlatformAdmin, voci.RoleCoordinator, voci.RoleFacilitator, voci.RoleCouncilMember),
	"GET /api/v1/municipalities/:siruta/youth-council/motions/feedback":                                  municipal(voci.RoleFacilitator, voci.RoleCoordinator, voci.RoleCouncilMember),
	"POST /api/v1/municipalities/:siruta/youth-council/meetings/:meeting/motions/:number/recommendation": municipal(voci.RolePlatformAdmin, voci.RoleCoordinator),
	"POST /api/v1/youth-council/me/meetings/:meeting/motions/:number/recommendation":                     nobodyAdult,
	"GET /api/v1/youth-council/me/answers":                                                               nobodyAdult,
	// Meetings' minutes (minutes.go): read and downloaded like agendas' documents; the
	// coordinator edits and records approvals.
	"GET /api/v1/municipalities/:siruta/youth-council/minutes":                             municipal(voci.RolePlatformAdmin, voci.RoleCoordinator, voci.RoleFacilitator, voci.RoleCouncilMember),
	"GET /api/v1/municipalities/:siruta/youth-council/meetings/:meeting/minutes":           municipal(voci.RolePlatformAdmin, voci.RoleCoordinator, voci.RoleFacilitator, voci.RoleCouncilMember),
	"PUT /api/v1/municipalities/:siruta/youth-council/meetings/:meeting/minutes":           municipal(voci.RolePlatformAdmin, voci.RoleCoordinator),
	"POST /api/v1/municipalities/:siruta/youth-council/meetings/:meeting/minutes/approval": municipal(voci.RolePlatformAdmin, voci.RoleCoordinator),
	"GET /api/v1/municipalities/:siruta/youth-council/meetings/:meeting/minutes/pdf":       municipal(voci.RolePlatformAdmin, voci.RoleCoordinator, voci.RoleFacilitator, voci.RoleCouncilMember),
	"GET /api/v1/municipalities/:siruta/youth-council/meetings/:meeting/minutes/csv":       municipal(voci.RolePlatformAdmin, voci.RoleCoordinator, voci.RoleFacilitator, voci.RoleCouncilMember),
	"GET /api/v1/municipalities/:siruta/youth-council/meetings/:meeting/minutes/popolo":    municipal(voci.RolePlatformAdmin, voci.RoleCoordinator, voci.RoleFacilitator, voci.RoleCouncilMember),
	"GET /api/v1/youth-council/me/minutes":                                                 nobodyAdult,
	"GET /api/v1/youth-council/me/meetings/:meeting/minutes":                               nobodyAdult,
	"PUT /api/v1/youth-council/me/meetings/:meeting/minutes":                               nobodyAdult,
	"GET /api/v1/youth-council/me/meetings/:meeting/minutes/pdf":                           nobodyAdult,
	"GET /api/v1/youth-council/me/meetings/:meeting/minutes/csv":                           nobodyAdult,
	"GET /api/v1/youth-council/me/meetings/:meeting/minutes/popolo":                        nobodyAdult,

	// Live sessions planned ahead.
	"GET /api/v1/municipalities/:siruta/consultations/:id/planned-sessions":              municipal(voci.RoleFacilitator, voci.RoleCoordinator),
	"POST /api/v1/municipalities/:siruta/consultations/:id/planned-sessions":             municipal(voci.RoleFacilitator, voci.RoleCoordinator),
	"PUT /api/v1/municipalities/:siruta/consultations/:id/planned-sessions/:pid":         municipal(voci.RoleFacilitator, voci.RoleCoordinator),
	"POST /api/v1/municipalities/:siruta/consultations/:id/planned-sessions/:pid/cancel": municipal(voci.RoleFacilitator, voci.RoleCoordinator),
	"POST /api/v1/municipalities/:siruta/consultations/:id/planned-sessions/:pid/start":  municipal(voci.RoleFacilitator, voci.RoleCoordinator),
}

// nobodyAdult: routes for a youth council member's card session, which no adult has.
var nobodyAdult rule = func(who, bool) bool { return false }

// TestEveryRouteAnswersByItsRule walks every registered route with every kind of caller,
// for their own municipality and another, and checks the guard's decision and the status
// against the spec above. Denials answer 401 without a session, 404 for another
// municipality's records (their existence must not leak) and 403 otherwise.
func TestEveryRouteAnswersByItsRule(t *testing.T) {
	ts := newTestServer(t)
	var mu sync.Mutex
	var decisions []bool
	ts.SetAuthzProbe(func(route string, allowed bool) {
		mu.Lock()
		decisions = append(decisions, allowed)
		mu.Unlock()
	})
	param := regexp.MustCompile(`:(\w+)`)
	seen := map[string]bool{}
	for _, r := range ts.App().GetRoutes(true) {
		if r.Method == "HEAD" || r.Path == "/" {
			continue
		}
		key := r.Method + " " + r.Path
		if seen[key] {
			continue
		}
		seen[key] = true
		spec, ok := authorizationSpec[key]
		if !ok {
			t.Errorf("%s has no rule in authorizationSpec: declare who may call it", key)
			continue
		}
		for _, own := range []bool{true, false} {
			siruta := ownMunicipality
			if !own {
				siruta = otherMunicipality
			}
			if !own && !strings.Contains(r.Path, ":siruta") {
				continue
			}
			url := param.ReplaceAllStringFunc(r.Path, func(p string) string {
				if p == ":siruta" {
					return siruta
				}
				return "x"
			})
			for _, c := range callers {
				cl := ts.client()
				if c.email != "" {
					if a := cl.login(t, c.email, testPassword); a.status != 200 {
						t.Fatalf("login %s: %d %s", c.email, a.status, a.body)
					}
				}
				mu.Lock()
				decisions = decisions[:0]
				mu.Unlock()
				var body any
				if r.Method != "GET" && r.Method != "DELETE" {
					body = "{}"
				}
				a := cl.do(t, r.Method, url, body)
				mu.Lock()
				got := decisions
				mu.Unlock()
				want := spec(c, own)
				if len(got) != 1 {
					t.Errorf("%s %s as %s: the guard decided %d times", r.Method, url, c.name, len(got))
					continue
				}
				if got[0] != want {
					t.Errorf("%s %s as %s: allowed=%v, spec says %v", r.Method, url, c.name, got[0], want)
				}
				if !want {
					wantStatus := 403
					switch {
					case c.email == "":
						wantStatus = 401
					case strings.Contains(r.Path, ":siruta") && !refusedOpenly[key]:
						wantStatus = 404
					}
					if a.status != wantStatus {
						t.Errorf("%s %s as %s: denied with %d, want %d", r.Method, url, c.name, a.status, wantStatus)
					}
				} else if a.status == 401 && a.problem(t)["code"] == "unauthorized" && !askTheirOwnToken[key] {
					t.Errorf("%s %s as %s: allowed but answered 401", r.Method, url, c.name)
				}
			}
		}
	}
}
