package seeds

import (
	"context"
	"fmt"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// DemoCouncilName is the name of Bacău's demo youth council.
const DemoCouncilName = "Consiliul Copiilor și Tinerilor Bacău"

// demoCouncilMembers are the demo council's members: nicknames and first names only, as a
// coordinator would choose them, never a surname. The under-16s' guardians have consented.
var demoCouncilMembers = []struct {
	name     string
	band     voci.AgeBand
	office   voci.CouncilRole
	guardian string
}{
	{"Ana", voci.Age13to15, voci.CouncilRolePresident, "Elena Munteanu"},
	{"Bogdi", voci.Age16to18, voci.CouncilRoleVicePresident, ""},
	{"Ilinca", voci.Age13to15, voci.CouncilRoleSecretary, "Mihaela Stan"},
	{"Matei", voci.Age10to12, voci.CouncilRoleNone, "Adrian Lupu"},
	{"Zsófi", voci.Age13to15, voci.CouncilRoleNone, "Katalin Szabó"},
	{"Radu", voci.Age16to18, voci.CouncilRoleNone, ""},
	{"Sami", voci.Age10to12, voci.CouncilRoleNone, "Laura Petcu"},
	{"Teo", voci.Age16to18, voci.CouncilRoleNone, ""},
	{"Maia", voci.Age13to15, voci.CouncilRoleNone, "Cristina Dobre"},
}

// DemoCard is a sign-in card issued at start-up: the member's display name and office, and the
// card's secret, which goes into the link printed in the banner and is kept nowhere.
type DemoCard struct {
	DisplayName string
	Office      voci.CouncilRole
	Secret      string
}

// EnsureDemoCouncil gives Bacău a youth council of nine members, with their guardians' consent
// for those under 16, unless it has a council already; then it issues its president and its
// secretary new sign-in cards and returns them. Only a card's hash is stored, so a link can be
// printed only when its card is issued: every start issues new cards, and the links printed at
// the start before stop working.
func EnsureDemoCouncil(ctx context.Context, store voci.YouthCouncilStore, screener voci.TextScreener, now time.Time) ([]DemoCard, error) {
	councils := voci.NewYouthCouncils(store, screener, func() time.Time { return now })
	const bacau = 20297
	council, err := store.FindYouthCouncil(ctx, bacau)
	if voci.ErrorCode(err) == voci.ECOUNCILNOTFOUND {
		if council, err = createDemoCouncil(ctx, councils, now); err != nil {
			return nil, fmt.Errorf("seeds: the demo youth council: %w", err)
		}
	} else if err != nil {
		return nil, err
	}
	members, err := store.ListCouncilMembers(ctx, council.ID)
	if err != nil {
		return nil, err
	}
	var cards []DemoCard
	for _, office := range []voci.CouncilRole{voci.CouncilRolePresident, voci.CouncilRoleSecretary} {
		for i := range members {
			m := &members[i]
			if ok, _ := m.CanTakePart(); !ok || m.Office != office {
				continue
			}
			secret, _, err := councils.IssueCard(ctx, council, m.ID, "", nil)
			if err != nil {
				return nil, fmt.Errorf("seeds: a demo sign-in card: %w", err)
			}
			cards = append(cards, DemoCard{DisplayName: m.DisplayName, Office: m.Office, Secret: secret})
		}
	}
	return cards, nil
}

func createDemoCouncil(ctx context.Context, councils *voci.YouthCouncils, now time.Time) (*voci.YouthCouncil, error) {
	start := time.Date(now.Year(), time.September, 15, 0, 0, 0, 0, time.UTC)
	if start.After(now) {
		start = start.AddDate(-1, 0, 0)
	}
	council, _, err := councils.SaveCouncil(ctx, 20297, voci.CouncilInput{Name: DemoCouncilName, TermStart: start,
		TermEnd: start.AddDate(2, 0, 0), Chair: voci.ChairPresidentOrVice}, nil)
	if err != nil {
		return nil, err
	}
	for _, d := range demoCouncilMembers {
		name, band, office := d.name, d.band, d.office
		m, err := councils.AddMember(ctx, council, voci.MemberInput{DisplayName: &name, AgeBand: &band, Office: &office, JoinedOn: &start}, nil)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", d.name, err)
		}
		if d.guardian == "" {
			continue
		}
		consent := voci.GuardianConsent{GuardianName: d.guardian, GivenOn: start.AddDate(0, 0, -3), Method: voci.ConsentPaperForm,
			Scope: "membership of the youth council: meetings, votes and minutes"}
		if _, err := councils.RecordConsent(ctx, council, m.ID, consent, m.Version, "", nil); err != nil {
			return nil, fmt.Errorf("%s's consent: %w", d.name, err)
		}
	}
	return council, nil
}
