package voci

// A municipality's youth council: children of about 11 to 18 who meet, set part of their own
// agenda, vote on motions and send recommendations to the local council. This file holds the
// words the council's records and its meeting rules share; the council itself (members,
// consent, sign-in cards) is in council.go, the rules of a meeting (quorum, majorities, votes,
// motions, the speaking queue) in meeting*.go.

// CouncilRole is a member's office in the council, if any.
type CouncilRole string

const (
	CouncilRoleNone          CouncilRole = ""
	CouncilRolePresident     CouncilRole = "president"
	CouncilRoleVicePresident CouncilRole = "vice_president"
	CouncilRoleSecretary     CouncilRole = "secretary"
)

// CouncilRoles lists the offices, highest first.
var CouncilRoles = []CouncilRole{CouncilRolePresident, CouncilRoleVicePresident, CouncilRoleSecretary}

// Valid reports whether r is no office or a known one.
func (r CouncilRole) Valid() bool {
	if r == CouncilRoleNone {
		return true
	}
	for _, k := range CouncilRoles {
		if r == k {
			return true
		}
	}
	return false
}

// MajorityRule is how many yes votes a motion needs.
//   - simple: more yes than no among the votes cast (abstentions do not count either way);
//   - absolute: more than half of all members in office, as in the Romanian pupils' council
//     rules;
//   - two_thirds: at least two thirds of the members present and voting (yes + no + abstain).
//
// A tie never passes.
type MajorityRule string

const (
	MajoritySimple    MajorityRule = "simple"
	MajorityAbsolute  MajorityRule = "absolute"
	MajorityTwoThirds MajorityRule = "two_thirds"
)

// MajorityRules lists the rules, the default first.
var MajorityRules = []MajorityRule{MajoritySimple, MajorityAbsolute, MajorityTwoThirds}

// Valid reports whether m is a known rule.
func (m MajorityRule) Valid() bool {
	for _, k := range MajorityRules {
		if m == k {
			return true
		}
	}
	return false
}

// QuorumRule is how many members in office must be present for the council to decide: more
// than Numerator/Denominator of them (the default, a majority, is 1/2). It is data, set per
// council, and always computed on the members in office at the moment, never on those who
// have left.
type QuorumRule struct {
	Numerator   int `json:"numerator"`
	Denominator int `json:"denominator"`
}

// DefaultQuorum is a majority of the members in office.
var DefaultQuorum = QuorumRule{Numerator: 1, Denominator: 2}

// Valid reports whether the rule is a fraction in [0, 1) with a positive denominator.
func (q QuorumRule) Valid() bool {
	return q.Denominator > 0 && q.Numerator >= 0 && q.Numerator < q.Denominator
}

// Needed is the smallest number present that is more than the rule's share of inOffice.
func (q QuorumRule) Needed(inOffice int) int {
	if inOffice <= 0 || !q.Valid() {
		return 1
	}
	return inOffice*q.Numerator/q.Denominator + 1
}

// Met reports whether present members make a quorum of inOffice.
func (q QuorumRule) Met(present, inOffice int) bool {
	return inOffice > 0 && present >= q.Needed(inOffice)
}
