// Package storetest is the one contract that every voci.Store meets. The SQLite and the
// MongoDB stores both run it from their own tests, so the embedded store and the production
// store cannot drift apart:
//
//	func TestStore(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) voci.Store { return openFreshStore(t) })
//	}
//
// The fixtures are a handful of real counties and municipalities, chosen for the traps they
// hold: diacritics (Brașov, Sălaj), a name shared by two municipalities in two counties
// (Colonești), names that contain one another (Satu Mare, Viile Satu Mare) and a name with
// dots (C.A. Rosetti).
//
// The session and audit tests run when the store implements voci.SessionStore and
// voci.AuditStore, and skip otherwise.
package storetest

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/voci"
)

// Run runs the contract as subtests. open must return a new, empty, migrated store for the
// test it is given and arrange with t.Cleanup for it to be closed and removed; each subtest
// calls it once.
//
// Times are compared at millisecond precision, the precision of a BSON date: a store must keep
// at least that, and return times in UTC.
func Run(t *testing.T, open func(t *testing.T) voci.Store) {
	tests := []struct {
		name string
		test func(t *testing.T, s voci.Store)
	}{
		{"Ping", testPing},
		{"EmptyStore", testEmptyStore},
		{"SeedAddsOnlyMissing", testSeedAddsOnlyMissing},
		{"SeedKeepsEnrolledFlagOfNewRows", testSeedKeepsEnrolledFlagOfNewRows},
		{"SeedRejectsUnknownCounty", testSeedRejectsUnknownCounty},
		{"ListCountiesByFoldedName", testListCountiesByFoldedName},
		{"FindMunicipalityBySIRUTA", testFindMunicipalityBySIRUTA},
		{"SearchIgnoresCaseAndDiacritics", testSearchIgnoresCaseAndDiacritics},
		{"SearchIsLiteral", testSearchIsLiteral},
		{"FilterByCountyAndEnrolment", testFilterByCountyAndEnrolment},
		{"Paging", testPaging},
		{"ListMunicipalitiesAtOnce", testListMunicipalitiesAtOnce},
		{"UnboundedPageIsRefused", testUnboundedPageIsRefused},
		{"SetMunicipalityEnrolled", testSetMunicipalityEnrolled},
		{"AccountRoundTrip", testAccountRoundTrip},
		{"AccountNotFound", testAccountNotFound},
		{"DuplicateAccount", testDuplicateAccount},
		{"ConcurrentCreateSameEmail", testConcurrentCreateSameEmail},
		{"UpdateAccount", testUpdateAccount},
		{"AccountLang", testAccountLang},
		{"CountAccounts", testCountAccounts},
		{"SessionRoundTrip", testSessionRoundTrip},
		{"TouchSession", testTouchSession},
		{"DeleteSessions", testDeleteSessions},
		{"DeleteExpiredSessions", testDeleteExpiredSessions},
		{"Audit", testAudit},
		{"InvitationRoundTrip", testInvitationRoundTrip},
		{"ConsumeInvitation", testConsumeInvitation},
		{"ConcurrentConsumeInvitation", testConcurrentConsumeInvitation},
		{"PendingInvitations", testPendingInvitations},
		{"PasswordReset", testPasswordReset},
		{"People", testPeople},
		{"ConcurrentRoleChanges", testConcurrentRoleChanges},
		{"SetAccountDisabled", testSetAccountDisabled},
		{"LastPlatformAdmin", testLastPlatformAdmin},
		{"ConcurrentLastPlatformAdmin", testConcurrentLastPlatformAdmin},
		{"RenewInvitation", testRenewInvitation},
		{"AuditFilterIsNormalized", testAuditFilterIsNormalized},
		{"RecordStage", testRecordStage},
		{"RecordStageConflicts", testRecordStageConflicts},
		{"ConcurrentRecordStage", testConcurrentRecordStage},
		{"SeedKeepsStageAndProfile", testSeedKeepsStageAndProfile},
		{"MunicipalityProfile", testMunicipalityProfile},
		{"ConcurrentProfileUpdates", testConcurrentProfileUpdates},
		{"ConsultationRoundTrip", testConsultationRoundTrip},
		{"ConsultationWithQuestions", testConsultationWithQuestions},
		{"QuestionsOrderAndFreeze", testQuestionsOrderAndFreeze},
		{"FreezeWithFirstAnswer", testFreezeWithFirstAnswer},
		{"FreezeRace", testFreezeRace},
		{"FreezeInterleaved", testFreezeInterleaved},
		{"PromptVersionCounts", testPromptVersionCounts},
		{"AuditWrittenWithChange", testAuditWrittenWithChange},
		{"JoinCodeUniqueAmongActiveSessions", testJoinCodeUniqueAmongActiveSessions},
		{"Participants", testParticipants},
		{"AnswerReplaceAndReplay", testAnswerReplaceAndReplay},
		{"ConcurrentDuplicateKeyCountsOnce", testConcurrentDuplicateKeyCountsOnce},
		{"Moderation", testModeration},
		{"HelpRequests", testHelpRequests},
		{"Recommendations", testRecommendations},
		{"RecommendationThemes", testRecommendationThemes},
		{"Themes", testThemes},
		{"ApprovedTexts", testApprovedTexts},
		{"Decisions", testDecisions},
		{"DecisionLinks", testDecisionLinks},
		{"Feedback", testFeedback},
		{"ParticipantLanguages", testParticipantLanguages},
		{"HelpNotification", testHelpNotification},
		{"HelpRequestOrderAndPaging", testHelpRequestOrderAndPaging},
		{"OneOpenHelpRequestPerChild", testOneOpenHelpRequestPerChild},
		{"OneHelpRequestPerAnswer", testOneHelpRequestPerAnswer},
		{"HelpRequestNoteAndClose", testHelpRequestNoteAndClose},
		{"HelpNoticeQueue", testHelpNoticeQueue},
		{"ConcurrentHelpNoticeClaims", testConcurrentHelpNoticeClaims},
		{"GroupFacts", testGroupFacts},
		{"IdeaReactions", testIdeaReactions},
		{"SelfPacedLinks", testSelfPacedLinks},
		{"SelfPacedParticipants", testSelfPacedParticipants},
		{"SelfPacedAnswersCountWithLive", testSelfPacedAnswersCountWithLive},
		{"HelpRequestOfSelfPacedChild", testHelpRequestOfSelfPacedChild},
		{"TOTPStepUsedOnce", testTOTPStepUsedOnce},
		{"ConcurrentTOTPStep", testConcurrentTOTPStep},
		{"TOTPCodeOpensOneSignIn", testTOTPCodeOpensOneSignIn},
		{"AnswerReceipts", testAnswerReceipts},
		{"AnswerKeepsItsFirstID", testAnswerKeepsItsFirstID},
		{"InterruptedAnswerIsStoredByItsRetry", testInterruptedAnswerIsStoredByItsRetry},
		{"RemovedParticipantCannotAnswer", testRemovedParticipantCannotAnswer},
		{"RemovalRacingAnswers", testRemovalRacingAnswers},
		{"JoinsLocked", testJoinsLocked},
		{"TakeSlot", testTakeSlot},
		{"ConcurrentTakeSlot", testConcurrentTakeSlot},
		{"Files", testFiles},
		{"FileFailedUpload", testFileFailedUpload},
		{"ConcurrentPutFile", testConcurrentPutFile},
		{"QuestionPictures", testQuestionPictures},
		{"DeletePaperForm", testDeletePaperForm},
		{"PaperFormEntries", testPaperFormEntries},
		{"TranslationsRoundTrip", testTranslationsRoundTrip},
		{"FailureBudget", testFailureBudget},
		{"ConcurrentReserveAttempt", testConcurrentReserveAttempt},
		{"AuditedChangesCarryTheirEntry", testAuditedChangesCarryTheirEntry},
		{"NotificationKeyIsUnique", testNotificationKeyIsUnique},
		{"NotificationListAndRead", testNotificationListAndRead},
		{"NotificationMailQueue", testNotificationMailQueue},
		{"ConcurrentNotificationMailClaims", testConcurrentNotificationMailClaims},
		{"NotificationsResolved", testNotificationsResolved},
		{"ReceiptCodes", testReceiptCodes},
		{"ConcurrentReceiptCodes", testConcurrentReceiptCodes},
		{"ActivityCounts", testActivityCounts},
		{"ChildrenReached", testChildrenReached},
		{"DecisionCounts", testDecisionCounts},
		{"Releases", testReleases},
		{"ExportJobs", testExportJobs},
		{"YouthCouncil", testYouthCouncil},
		{"CouncilMembers", testCouncilMembers},
		{"CouncilCards", testCouncilCards},
		{"CouncilMeetings", testCouncilMeetings},
		{"CouncilOpenMeetingClaim", testCouncilOpenMeetingClaim},
		{"Agendas", testAgendas},
		{"MeetingLog", testMeetingLog},
		{"MeetingBallots", testMeetingBallots},
		{"ConcurrentMeetingAppends", testConcurrentMeetingAppends},
		{"Minutes", testMinutes},
		{"MotionRecommendationsOnce", testMotionRecommendationsOnce},
		{"MeetingFigures", testMeetingFigures},
		{"PlannedSessions", testPlannedSessions},
		{"BackfillMeetingFigures", testBackfillMeetingFigures},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.test(t, open(t))
		})
	}
}

// Counties in an order that is neither alphabetical nor by code.
func fixtureCounties() []voci.County {
	return []voci.County{
		{Code: 31, SIRUTA: 314, Name: "Sălaj", Abbrev: "SJ"},
		{Code: 8, SIRUTA: 83, Name: "Brașov", Abbrev: "BV"},
		{Code: 30, SIRUTA: 305, Name: "Satu Mare", Abbrev: "SM"},
		{Code: 28, SIRUTA: 289, Name: "Olt", Abbrev: "OT"},
		{Code: 4, SIRUTA: 47, Name: "Bacău", Abbrev: "BC"},
		{Code: 10, SIRUTA: 109, Name: "Buzău", Abbrev: "BZ"},
		{Code: 3, SIRUTA: 38, Name: "Argeș", Abbrev: "AG"},
	}
}

// countiesByFoldedName is fixtureCounties ordered as ListCounties must return them. A plain
// byte order would put Sălaj after Satu Mare and after every other name ('ă' > 'z').
var countiesByFoldedName = []string{"Argeș", "Bacău", "Brașov", "Buzău", "Olt", "Sălaj", "Satu Mare"}

func fixtureMunicipalities() []voci.Municipality {
	return []voci.Municipality{
		{SIRUTA: 139704, Name: "Zalău", Kind: voci.KindMunicipality, Urban: true, CountyCode: 31, CountyName: "Sălaj"},
		{SIRUTA: 40198, Name: "Brașov", Kind: voci.KindMunicipality, Urban: true, CountyCode: 8, CountyName: "Brașov"},
		{SIRUTA: 126228, Name: "Colonești", Kind: voci.KindCommune, Urban: false, CountyCode: 28, CountyName: "Olt"},
		{SIRUTA: 20297, Name: "Bacău", Kind: voci.KindMunicipality, Urban: true, CountyCode: 4, CountyName: "Bacău"},
		{SIRUTA: 139394, Name: "Viile Satu Mare", Kind: voci.KindCommune, Urban: false, CountyCode: 30, CountyName: "Satu Mare"},
		{SIRUTA: 21891, Name: "Colonești", Kind: voci.KindCommune, Urban: false, CountyCode: 4, CountyName: "Bacău"},
		{SIRUTA: 13169, Name: "Pitești", Kind: voci.KindMunicipality, Urban: true, CountyCode: 3, CountyName: "Argeș"},
		{SIRUTA: 40438, Name: "Săcele", Kind: voci.KindMunicipality, Urban: true, CountyCode: 8, CountyName: "Brașov"},
		{SIRUTA: 20778, Name: "Buhuși", Kind: voci.KindTown, Urban: true, CountyCode: 4, CountyName: "Bacău"},
		{SIRUTA: 45815, Name: "C.A. Rosetti", Kind: voci.KindCommune, Urban: false, CountyCode: 10, CountyName: "Buzău"},
		{SIRUTA: 136483, Name: "Satu Mare", Kind: voci.KindMunicipality, Urban: true, CountyCode: 30, CountyName: "Satu Mare"},
		{SIRUTA: 20876, Name: "Moinești", Kind: voci.KindMunicipality, Urban: true, CountyCode: 4, CountyName: "Bacău"},
		{SIRUTA: 125347, Name: "Slatina", Kind: voci.KindMunicipality, Urban: true, CountyCode: 28, CountyName: "Olt"},
		{SIRUTA: 21971, Name: "Corbasca", Kind: voci.KindCommune, Urban: false, CountyCode: 4, CountyName: "Bacău"},
		{SIRUTA: 40241, Name: "Codlea", Kind: voci.KindMunicipality, Urban: true, CountyCode: 8, CountyName: "Brașov"},
	}
}

// allByFoldedName is every fixture municipality in listing order: folded name, then SIRUTA
// (so Colonești in Bacău, 21891, comes before Colonești in Olt, 126228). '.' sorts before
// letters, so "c.a. rosetti" comes before "codlea".
var allByFoldedName = []int{
	20297,  // Bacău
	40198,  // Brașov
	20778,  // Buhuși
	45815,  // C.A. Rosetti
	40241,  // Codlea
	21891,  // Colonești (Bacău)
	126228, // Colonești (Olt)
	21971,  // Corbasca
	20876,  // Moinești
	13169,  // Pitești
	40438,  // Săcele
	136483, // Satu Mare
	125347, // Slatina
	139394, // Viile Satu Mare
	139704, // Zalău
}

func seed(t *testing.T, s voci.Store) {
	t.Helper()
	added, err := s.SeedReferenceData(t.Context(), fixtureCounties(), fixtureMunicipalities())
	if err != nil {
		t.Fatalf("SeedReferenceData: %v", err)
	}
	if added != len(allByFoldedName) {
		t.Fatalf("SeedReferenceData added %d, want %d", added, len(allByFoldedName))
	}
}

// find normalizes the filter as the domain does before it reaches a store, and returns the
// SIRUTA codes of the page and the total.
func find(t *testing.T, s voci.Store, f voci.MunicipalityFilter) ([]int, int) {
	t.Helper()
	if f.Limit == 0 {
		f.Limit = voci.MaxPageSize
	}
	if err := f.Normalize(); err != nil {
		t.Fatalf("Normalize(%+v): %v", f, err)
	}
	page, total, err := s.FindMunicipalities(t.Context(), f)
	if err != nil {
		t.Fatalf("FindMunicipalities(%+v): %v", f, err)
	}
	codes := []int{}
	for _, m := range page {
		codes = append(codes, m.SIRUTA)
	}
	return codes, total
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := voci.ErrorCode(err); got != code {
		t.Fatalf("%s: error %v has code %q, want %q", what, err, got, code)
	}
}

func ptr[T any](v T) *T { return &v }

func testPing(t *testing.T, s voci.Store) {
	if err := s.Ping(t.Context()); err != nil {
		t.Fatalf("Ping on a live store: %v", err)
	}
}

func testEmptyStore(t *testing.T, s voci.Store) {
	counties, err := s.ListCounties(t.Context())
	if err != nil || len(counties) != 0 {
		t.Fatalf("ListCounties = %v, %v; want none", counties, err)
	}
	codes, total := find(t, s, voci.MunicipalityFilter{})
	if len(codes) != 0 || total != 0 {
		t.Fatalf("FindMunicipalities = %v, total %d; want none", codes, total)
	}
	n, err := s.CountAccounts(t.Context())
	if err != nil || n != 0 {
		t.Fatalf("CountAccounts = %d, %v; want 0", n, err)
	}
}

func testSeedAddsOnlyMissing(t *testing.T, s voci.Store) {
	ctx := t.Context()
	munis := fixtureMunicipalities()

	added, err := s.SeedReferenceData(ctx, fixtureCounties(), munis[:5])
	if err != nil || added != 5 {
		t.Fatalf("first seed: added %d, %v; want 5", added, err)
	}
	if err := s.SetMunicipalityEnrolled(ctx, 40198, true); err != nil {
		t.Fatalf("SetMunicipalityEnrolled: %v", err)
	}

	// A re-seed must not touch existing rows, even when the seed file says something else.
	changed := fixtureMunicipalities()
	for i := range changed {
		if changed[i].SIRUTA == 40198 {
			changed[i].Name = "Orașul Stalin"
		}
	}
	added, err = s.SeedReferenceData(ctx, fixtureCounties(), changed)
	if err != nil || added != len(munis)-5 {
		t.Fatalf("second seed: added %d, %v; want %d", added, err, len(munis)-5)
	}
	added, err = s.SeedReferenceData(ctx, fixtureCounties(), munis)
	if err != nil || added != 0 {
		t.Fatalf("third seed: added %d, %v; want 0", added, err)
	}

	brasov, err := s.FindMunicipalityBySIRUTA(ctx, 40198)
	if err != nil {
		t.Fatalf("FindMunicipalityBySIRUTA: %v", err)
	}
	if !brasov.Enrolled || brasov.Name != "Brașov" {
		t.Fatalf("after re-seeds Brașov = %+v; want the original name, still enrolled", brasov)
	}
	counties, err := s.ListCounties(ctx)
	if err != nil || len(counties) != len(countiesByFoldedName) {
		t.Fatalf("ListCounties = %d counties, %v; want %d", len(counties), err, len(countiesByFoldedName))
	}
	codes, total := find(t, s, voci.MunicipalityFilter{})
	if total != len(allByFoldedName) || !slices.Equal(codes, allByFoldedName) {
		t.Fatalf("after seeds: %v (total %d), want %v", codes, total, allByFoldedName)
	}
}

// The seed marks the pilot municipalities as enrolled; a new row keeps that flag.
func testSeedKeepsEnrolledFlagOfNewRows(t *testing.T, s voci.Store) {
	munis := fixtureMunicipalities()
	for i := range munis {
		munis[i].Enrolled = munis[i].SIRUTA == 20297
	}
	if _, err := s.SeedReferenceData(t.Context(), fixtureCounties(), munis); err != nil {
		t.Fatalf("SeedReferenceData: %v", err)
	}
	codes, total := find(t, s, voci.MunicipalityFilter{Enrolled: ptr(true)})
	if total != 1 || !slices.Equal(codes, []int{20297}) {
		t.Fatalf("enrolled after seed = %v (total %d), want [20297]", codes, total)
	}
}

// A municipality must belong to a county the store knows; the seed is refused otherwise.
func testSeedRejectsUnknownCounty(t *testing.T, s voci.Store) {
	orphan := voci.Municipality{SIRUTA: 179132, Name: "București", Kind: voci.KindMunicipality, Urban: true, CountyCode: 40, CountyName: "București"}
	_, err := s.SeedReferenceData(t.Context(), fixtureCounties(), append(fixtureMunicipalities(), orphan))
	wantCode(t, "SeedReferenceData with an unknown county", err, voci.EINVALID)
	_, err = s.FindMunicipalityBySIRUTA(t.Context(), orphan.SIRUTA)
	wantCode(t, "FindMunicipalityBySIRUTA(orphan)", err, voci.ENOTFOUND)
}

func testListCountiesByFoldedName(t *testing.T, s voci.Store) {
	seed(t, s)
	counties, err := s.ListCounties(t.Context())
	if err != nil {
		t.Fatalf("ListCounties: %v", err)
	}
	var names []string
	for _, c := range counties {
		names = append(names, c.Name)
	}
	if !slices.Equal(names, countiesByFoldedName) {
		t.Fatalf("ListCounties names = %q, want %q", names, countiesByFoldedName)
	}
	want := voci.County{Code: 31, SIRUTA: 314, Name: "Sălaj", Abbrev: "SJ"}
	if counties[5] != want {
		t.Fatalf("ListCounties[5] = %+v, want %+v", counties[5], want)
	}
}

func testFindMunicipalityBySIRUTA(t *testing.T, s voci.Store) {
	seed(t, s)
	got, err := s.FindMunicipalityBySIRUTA(t.Context(), 126228)
	if err != nil {
		t.Fatalf("FindMunicipalityBySIRUTA(126228): %v", err)
	}
	want := voci.Municipality{SIRUTA: 126228, Name: "Colonești", Kind: voci.KindCommune, Urban: false, CountyCode: 28, CountyName: "Olt"}
	if *got != want {
		t.Fatalf("FindMunicipalityBySIRUTA(126228) = %+v, want %+v", *got, want)
	}
	got, err = s.FindMunicipalityBySIRUTA(t.Context(), 40198)
	if err != nil || got.Name != "Brașov" || got.Kind != voci.KindMunicipality || !got.Urban || got.CountyName != "Brașov" {
		t.Fatalf("FindMunicipalityBySIRUTA(40198) = %+v, %v", got, err)
	}
	_, err = s.FindMunicipalityBySIRUTA(t.Context(), 999999)
	wantCode(t, "FindMunicipalityBySIRUTA(999999)", err, voci.ENOTFOUND)
}

// testListMunicipalitiesAtOnce: every municipality a filter keeps, in one read, the same and in
// the same order as FindMunicipalities pages them.
func testListMunicipalitiesAtOnce(t *testing.T, s voci.Store) {
	seed(t, s)
	if err := s.SetMunicipalityEnrolled(t.Context(), 21891, true); err != nil {
		t.Fatal(err)
	}
	county, enrolled := 4, true
	for _, f := range []voci.MunicipalityFilter{{}, {CountyCode: &county}, {Query: "Colonești"}, {Enrolled: &enrolled}, {Query: "nowhere"}} {
		var paged []voci.Municipality
		for page := (voci.MunicipalityFilter{Query: f.Query, CountyCode: f.CountyCode, Enrolled: f.Enrolled, Limit: 2}); ; page.Offset += 2 {
			if err := page.Normalize(); err != nil {
				t.Fatal(err)
			}
			got, total, err := s.FindMunicipalities(t.Context(), page)
			if err != nil {
				t.Fatal(err)
			}
			paged = append(paged, got...)
			if page.Offset+2 >= total {
				break
			}
		}
		// Limit and Offset are ignored.
		all, err := s.ListMunicipalities(t.Context(), voci.MunicipalityFilter{Query: f.Query, CountyCode: f.CountyCode, Enrolled: f.Enrolled, Limit: 1, Offset: 3})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != len(paged) || (len(all) > 0 && !reflect.DeepEqual(all, paged)) {
			t.Errorf("%+v: listed %v\npaged %v", f, all, paged)
		}
	}
	if all, err := s.ListMunicipalities(t.Context(), voci.MunicipalityFilter{}); err != nil || len(all) != len(allByFoldedName) {
		t.Errorf("every municipality: %d, %v", len(all), err)
	}
	_, err := s.ListMunicipalities(t.Context(), voci.MunicipalityFilter{Query: strings.Repeat("a", 101)})
	wantCode(t, "ListMunicipalities(long query)", err, voci.EINVALID)
}

func testSearchIgnoresCaseAndDiacritics(t *testing.T, s voci.Store) {
	seed(t, s)
	tests := []struct {
		query string
		want  []int
	}{
		{"brasov", []int{40198}},
		{"Brașov", []int{40198}},
		{"BRAŞOV", []int{40198}}, // cedilla form, as old data has it
		{"COLONEȘTI", []int{21891, 126228}},
		{"colonesti", []int{21891, 126228}},
		{"olon", []int{21891, 126228}},
		{"satu mare", []int{136483, 139394}},
		{"  Satu   Mare ", []int{136483, 139394}},
		{"sacele", []int{40438}},
		{"zalau", []int{139704}},
		{"bucuresti", []int{}},
	}
	for _, tt := range tests {
		codes, total := find(t, s, voci.MunicipalityFilter{Query: tt.query})
		if total != len(tt.want) || !slices.Equal(codes, tt.want) {
			t.Errorf("query %q: %v (total %d), want %v", tt.query, codes, total, tt.want)
		}
	}
}

// LIKE wildcards, the LIKE escape character and regular-expression syntax in a query match
// themselves, never as patterns.
func testSearchIsLiteral(t *testing.T, s voci.Store) {
	seed(t, s)
	tests := []struct {
		query string
		want  []int
	}{
		{"%", []int{}},
		{"_", []int{}},
		{"c%a", []int{}},
		{"s_cele", []int{}},
		{`\`, []int{}},
		{`\%`, []int{}},
		{".*", []int{}},
		{"(", []int{}},
		{"[a-z]", []int{}},
		{"^bacau$", []int{}},
		{"a|z", []int{}},
		{"sa+", []int{}},
		{"{1}", []int{}},
		{".", []int{45815}},
		{"c.a.", []int{45815}},
		{"c.a. rosetti", []int{45815}},
	}
	for _, tt := range tests {
		codes, total := find(t, s, voci.MunicipalityFilter{Query: tt.query})
		if total != len(tt.want) || !slices.Equal(codes, tt.want) {
			t.Errorf("query %q: %v (total %d), want %v", tt.query, codes, total, tt.want)
		}
	}
}

func testFilterByCountyAndEnrolment(t *testing.T, s voci.Store) {
	seed(t, s)
	ctx := t.Context()
	for _, siruta := range []int{126228, 40198, 20297} {
		if err := s.SetMunicipalityEnrolled(ctx, siruta, true); err != nil {
			t.Fatalf("SetMunicipalityEnrolled(%d): %v", siruta, err)
		}
	}
	notEnrolled := slices.DeleteFunc(slices.Clone(allByFoldedName), func(c int) bool {
		return c == 126228 || c == 40198 || c == 20297
	})
	tests := []struct {
		name   string
		filter voci.MunicipalityFilter
		want   []int
	}{
		{"county Bacău", voci.MunicipalityFilter{CountyCode: ptr(4)}, []int{20297, 20778, 21891, 21971, 20876}},
		{"county Olt", voci.MunicipalityFilter{CountyCode: ptr(28)}, []int{126228, 125347}},
		{"county without municipalities", voci.MunicipalityFilter{CountyCode: ptr(40)}, []int{}},
		{"county and query", voci.MunicipalityFilter{CountyCode: ptr(4), Query: "colonesti"}, []int{21891}},
		{"enrolled", voci.MunicipalityFilter{Enrolled: ptr(true)}, []int{20297, 40198, 126228}},
		{"not enrolled", voci.MunicipalityFilter{Enrolled: ptr(false)}, notEnrolled},
		{"enrolled and query", voci.MunicipalityFilter{Enrolled: ptr(true), Query: "colonesti"}, []int{126228}},
		{"enrolled and county", voci.MunicipalityFilter{Enrolled: ptr(true), CountyCode: ptr(4)}, []int{20297}},
		{"all three", voci.MunicipalityFilter{Enrolled: ptr(false), CountyCode: ptr(8), Query: "c"}, []int{40241, 40438}},
	}
	for _, tt := range tests {
		codes, total := find(t, s, tt.filter)
		if total != len(tt.want) || !slices.Equal(codes, tt.want) {
			t.Errorf("%s: %v (total %d), want %v", tt.name, codes, total, tt.want)
		}
	}
}

func testPaging(t *testing.T, s voci.Store) {
	seed(t, s)
	var all []int
	for offset := 0; offset < len(allByFoldedName); offset += 4 {
		codes, total := find(t, s, voci.MunicipalityFilter{Offset: offset, Limit: 4})
		if total != len(allByFoldedName) {
			t.Fatalf("offset %d: total %d, want %d", offset, total, len(allByFoldedName))
		}
		if want := min(4, len(allByFoldedName)-offset); len(codes) != want {
			t.Fatalf("offset %d: %d rows, want %d", offset, len(codes), want)
		}
		all = append(all, codes...)
	}
	if !slices.Equal(all, allByFoldedName) {
		t.Fatalf("pages joined = %v, want %v", all, allByFoldedName)
	}

	codes, total := find(t, s, voci.MunicipalityFilter{Offset: 100, Limit: 10})
	if len(codes) != 0 || total != len(allByFoldedName) {
		t.Fatalf("past the end: %v (total %d), want none (total %d)", codes, total, len(allByFoldedName))
	}

	// Pages of one between the two Colonești: equal names are ordered by SIRUTA code.
	for offset, want := range []int{21891, 126228} {
		codes, total := find(t, s, voci.MunicipalityFilter{Query: "colonesti", Offset: offset, Limit: 1})
		if total != 2 || !slices.Equal(codes, []int{want}) {
			t.Fatalf("colonesti, offset %d: %v (total %d), want [%d] (total 2)", offset, codes, total, want)
		}
	}
}

// A filter that skipped Normalize must not become an unbounded scan (a limit of 0 means "no
// limit" to MongoDB and "no rows" to SQLite); both stores refuse it the same way.
func testUnboundedPageIsRefused(t *testing.T, s voci.Store) {
	seed(t, s)
	for _, f := range []voci.MunicipalityFilter{{Limit: 0}, {Limit: voci.MaxPageSize + 1}, {Limit: 10, Offset: -1}} {
		_, _, err := s.FindMunicipalities(t.Context(), f)
		wantCode(t, fmt.Sprintf("FindMunicipalities(%+v)", f), err, voci.EINVALID)
	}
}

func testSetMunicipalityEnrolled(t *testing.T, s voci.Store) {
	seed(t, s)
	ctx := t.Context()
	wantCode(t, "SetMunicipalityEnrolled(999999)", s.SetMunicipalityEnrolled(ctx, 999999, true), voci.ENOTFOUND)

	for _, enrolled := range []bool{true, true, false} {
		if err := s.SetMunicipalityEnrolled(ctx, 21891, enrolled); err != nil {
			t.Fatalf("SetMunicipalityEnrolled(21891, %v): %v", enrolled, err)
		}
		m, err := s.FindMunicipalityBySIRUTA(ctx, 21891)
		if err != nil || m.Enrolled != enrolled {
			t.Fatalf("after SetMunicipalityEnrolled(21891, %v): %+v, %v", enrolled, m, err)
		}
	}
	// The other Colonești is a different municipality.
	m, err := s.FindMunicipalityBySIRUTA(ctx, 126228)
	if err != nil || m.Enrolled {
		t.Fatalf("Colonești (Olt) = %+v, %v; want not enrolled", m, err)
	}
}

// bucharest is the zone the platform's users live in; times stored from it come back in UTC.
var bucharest = time.FixedZone("EEST", 3*60*60)

func newAccount(id, email string) *voci.Account {
	created := time.Date(2025, 5, 14, 9, 30, 15, 123_000_000, bucharest)
	return &voci.Account{
		ID:           id,
		Email:        email,
		DisplayName:  "Ana Popescu-Țăranu",
		PasswordHash: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g",
		TOTPSecret:   "JBSWY3DPEHPK3PXP",
		TOTPEnabled:  true,
		Roles: []voci.RoleGrant{
			{Role: voci.RoleCoordinator, Municipality: 40198},
			{Role: voci.RolePlatformAdmin},
			{Role: voci.RoleFacilitator, Municipality: 21891},
			{Role: voci.RoleFacilitator, Municipality: 126228},
		},
		Lang:      "hu",
		CreatedAt: created,
		UpdatedAt: created.Add(90 * time.Minute),
	}
}

// sameAccount compares field by field; times must be equal instants and in UTC.
func sameAccount(t *testing.T, what string, got, want *voci.Account) {
	t.Helper()
	if got == nil {
		t.Fatalf("%s: nil account", what)
	}
	if got.ID != want.ID || got.Email != want.Email || got.DisplayName != want.DisplayName ||
		got.PasswordHash != want.PasswordHash || got.TOTPSecret != want.TOTPSecret ||
		got.TOTPEnabled != want.TOTPEnabled || got.Disabled != want.Disabled || got.Lang != want.Lang {
		t.Errorf("%s: got %+v, want %+v", what, *got, *want)
	}
	if len(got.Roles) != len(want.Roles) || (len(want.Roles) > 0 && !slices.Equal(got.Roles, want.Roles)) {
		t.Errorf("%s: roles %v, want %v", what, got.Roles, want.Roles)
	}
	for _, tt := range []struct {
		name      string
		got, want time.Time
	}{{"CreatedAt", got.CreatedAt, want.CreatedAt}, {"UpdatedAt", got.UpdatedAt, want.UpdatedAt}} {
		if !tt.got.Equal(tt.want) {
			t.Errorf("%s: %s = %v, want %v", what, tt.name, tt.got, tt.want)
		}
		if tt.got.Location() != time.UTC {
			t.Errorf("%s: %s is in %v, want UTC", what, tt.name, tt.got.Location())
		}
	}
}

func testAccountRoundTrip(t *testing.T, s voci.Store) {
	ctx := t.Context()
	want := newAccount("acc-1", "ana.popescu@primaria-brasov.ro")
	if err := s.CreateAccount(ctx, want); err != nil {
		t.Fatalf("CreateAccount: %v", err)
	}
	got, err := s.FindAccountByID(ctx, want.ID)
	if err != nil {
		t.Fatalf("FindAccountByID: %v", err)
	}
	sameAccount(t, "FindAccountByID", got, want)
	got, err = s.FindAccountByEmail(ctx, want.Email)
	if err != nil {
		t.Fatalf("FindAccountByEmail: %v", err)
	}
	sameAccount(t, "FindAccountByEmail", got, want)

	// An account without roles and disabled.
	bare := newAccount("acc-2", "ion@example.org")
	bare.Roles = nil
	bare.TOTPSecret = ""
	bare.TOTPEnabled = false
	bare.Disabled = true
	bare.Lang = ""
	if err := s.CreateAccount(ctx, bare); err != nil {
		t.Fatalf("CreateAccount without roles: %v", err)
	}
	got, err = s.FindAccountByID(ctx, bare.ID)
	if err != nil {
		t.Fatalf("FindAccountByID without roles: %v", err)
	}
	sameAccount(t, "account without roles", got, bare)
}

func testAccountNotFound(t *testing.T, s voci.Store) {
	ctx := t.Context()
	if err := s.CreateAccount(ctx, newAccount("acc-1", "ana@example.org")); err != nil {
		t.Fatalf("CreateAccount: %v", err)
	}
	_, err := s.FindAccountByID(ctx, "acc-404")
	wantCode(t, "FindAccountByID(unknown)", err, voci.ENOTFOUND)
	_, err = s.FindAccountByEmail(ctx, "nobody@example.org")
	wantCode(t, "FindAccountByEmail(unknown)", err, voci.ENOTFOUND)
	// The ID is not an email and the email is not an ID.
	_, err = s.FindAccountByEmail(ctx, "acc-1")
	wantCode(t, "FindAccountByEmail(an ID)", err, voci.ENOTFOUND)
	_, err = s.FindAccountByID(ctx, "ana@example.org")
	wantCode(t, "FindAccountByID(an email)", err, voci.ENOTFOUND)
}

func testDuplicateAccount(t *testing.T, s voci.Store) {
	ctx := t.Context()
	first := newAccount("acc-1", "ana@example.org")
	if err := s.CreateAccount(ctx, first); err != nil {
		t.Fatalf("CreateAccount: %v", err)
	}

	sameEmail := newAccount("acc-2", "ana@example.org")
	sameEmail.DisplayName = "Someone Else"
	err := s.CreateAccount(ctx, sameEmail)
	wantCode(t, "CreateAccount with a taken email", err, voci.ECONFLICT)
	if msg := voci.ErrorMessage(err); msg != "An account with this email already exists." {
		t.Errorf("conflict message = %q", msg)
	}

	sameID := newAccount("acc-1", "other@example.org")
	wantCode(t, "CreateAccount with a taken ID", s.CreateAccount(ctx, sameID), voci.ECONFLICT)

	// Neither failed attempt left anything behind.
	got, err := s.FindAccountByEmail(ctx, "ana@example.org")
	if err != nil {
		t.Fatalf("FindAccountByEmail: %v", err)
	}
	sameAccount(t, "first account after conflicts", got, first)
	_, err = s.FindAccountByID(ctx, "acc-2")
	wantCode(t, "FindAccountByID(acc-2)", err, voci.ENOTFOUND)
	_, err = s.FindAccountByEmail(ctx, "other@example.org")
	wantCode(t, "FindAccountByEmail(other)", err, voci.ENOTFOUND)
	if n, err := s.CountAccounts(ctx); err != nil || n != 1 {
		t.Fatalf("CountAccounts = %d, %v; want 1", n, err)
	}
}

func testConcurrentCreateSameEmail(t *testing.T, s voci.Store) {
	const n = 20
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			errs[i] = s.CreateAccount(t.Context(), newAccount(fmt.Sprintf("acc-%d", i), "same@example.org"))
		})
	}
	wg.Wait()

	created := 0
	for i, err := range errs {
		switch voci.ErrorCode(err) {
		case "":
			created++
		case voci.ECONFLICT:
		default:
			t.Errorf("goroutine %d: %v, want success or ECONFLICT", i, err)
		}
	}
	if created != 1 {
		t.Fatalf("%d of %d concurrent creates succeeded, want exactly 1", created, n)
	}
	if count, err := s.CountAccounts(t.Context()); err != nil || count != 1 {
		t.Fatalf("CountAccounts = %d, %v; want 1", count, err)
	}
}

func testUpdateAccount(t *testing.T, s voci.Store) {
	ctx := t.Context()
	want := newAccount("acc-1", "ana@example.org")
	if err := s.CreateAccount(ctx, want); err != nil {
		t.Fatalf("CreateAccount: %v", err)
	}
	other := newAccount("acc-2", "ion@example.org")
	if err := s.CreateAccount(ctx, other); err != nil {
		t.Fatalf("CreateAccount: %v", err)
	}

	check := func(what string, got *voci.Account, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		sameAccount(t, what+": returned", got, want)
		stored, err := s.FindAccountByID(ctx, want.ID)
		if err != nil {
			t.Fatalf("%s: FindAccountByID: %v", what, err)
		}
		sameAccount(t, what+": stored", stored, want)
	}

	// Nothing set: nothing changes, the account comes back as it is.
	got, err := s.UpdateAccount(ctx, want.ID, voci.AccountUpdate{})
	check("empty update", got, err)

	want.DisplayName = "Ana Ionescu"
	got, err = s.UpdateAccount(ctx, want.ID, voci.AccountUpdate{DisplayName: ptr("Ana Ionescu")})
	check("display name only", got, err)

	stamp := time.Date(2025, 6, 1, 12, 0, 0, 456_000_000, bucharest)
	want.PasswordHash = "$argon2id$v=19$m=65536,t=3,p=4$bmV3c2FsdA$bmV3aGFzaA"
	want.Disabled = true
	want.UpdatedAt = stamp
	got, err = s.UpdateAccount(ctx, want.ID, voci.AccountUpdate{
		PasswordHash: ptr(want.PasswordHash),
		Disabled:     ptr(true),
		UpdatedAt:    stamp,
	})
	check("password, disabled and time", got, err)

	want.TOTPSecret = "KRSXG5CTMVRXEZLU"
	got, err = s.UpdateAccount(ctx, want.ID, voci.AccountUpdate{TOTPSecret: ptr(want.TOTPSecret)})
	check("second factor secret", got, err)

	want.TOTPEnabled = false
	want.TOTPSecret = ""
	got, err = s.UpdateAccount(ctx, want.ID, voci.AccountUpdate{TOTPSecret: ptr(""), TOTPEnabled: ptr(false)})
	check("second factor turned off", got, err)

	want.Roles = []voci.RoleGrant{{Role: voci.RoleCouncilMember, Municipality: 20297}, {Role: voci.RoleNationalCommittee}}
	got, err = s.UpdateAccount(ctx, want.ID, voci.AccountUpdate{Roles: ptr(slices.Clone(want.Roles))})
	check("roles replaced", got, err)

	want.Roles = nil
	want.Disabled = false
	got, err = s.UpdateAccount(ctx, want.ID, voci.AccountUpdate{Roles: &[]voci.RoleGrant{}, Disabled: ptr(false)})
	check("roles removed, enabled", got, err)

	// The other account was never touched.
	stored, err := s.FindAccountByID(ctx, other.ID)
	if err != nil {
		t.Fatalf("FindAccountByID(other): %v", err)
	}
	sameAccount(t, "untouched account", stored, other)

	_, err = s.UpdateAccount(ctx, "acc-404", voci.AccountUpdate{DisplayName: ptr("X")})
	wantCode(t, "UpdateAccount(unknown, name)", err, voci.ENOTFOUND)
	_, err = s.UpdateAccount(ctx, "acc-404", voci.AccountUpdate{Roles: &[]voci.RoleGrant{{Role: voci.RolePlatformAdmin}}})
	wantCode(t, "UpdateAccount(unknown, roles)", err, voci.ENOTFOUND)
	_, err = s.UpdateAccount(ctx, "acc-404", voci.AccountUpdate{})
	wantCode(t, "UpdateAccount(unknown, nothing)", err, voci.ENOTFOUND)
	if _, err := s.FindAccountByID(ctx, "acc-404"); voci.ErrorCode(err) != voci.ENOTFOUND {
		t.Fatalf("an update of an unknown account created it: %v", err)
	}
}

// testAccountLang: the language is changed on its own, at every sign-in, without touching
// anything else of the account, and every way of reading an account returns it.
func testAccountLang(t *testing.T, s voci.Store) {
	ctx := t.Context()
	want := newAccount("acc-1", "ana@example.org")
	want.Lang = ""
	if err := s.CreateAccount(ctx, want); err != nil {
		t.Fatalf("CreateAccount: %v", err)
	}
	other := newAccount("acc-2", "ion@example.org")
	other.Lang = "en"
	if err := s.CreateAccount(ctx, other); err != nil {
		t.Fatalf("CreateAccount: %v", err)
	}
	stored, err := s.FindAccountByID(ctx, want.ID)
	if err != nil {
		t.Fatalf("FindAccountByID: %v", err)
	}
	sameAccount(t, "not known yet", stored, want)

	for _, lang := range []string{"hu", "en", "ro", ""} {
		want.Lang = lang
		// No UpdatedAt: the stored time stays as it was.
		got, err := s.UpdateAccount(ctx, want.ID, voci.AccountUpdate{Lang: ptr(lang)})
		if err != nil {
			t.Fatalf("UpdateAccount(lang %q): %v", lang, err)
		}
		sameAccount(t, fmt.Sprintf("lang %q: returned", lang), got, want)
		byEmail, err := s.FindAccountByEmail(ctx, want.Email)
		if err != nil {
			t.Fatalf("FindAccountByEmail: %v", err)
		}
		sameAccount(t, fmt.Sprintf("lang %q: by email", lang), byEmail, want)
	}

	want.Lang = "hu"
	if _, err := s.UpdateAccount(ctx, want.ID, voci.AccountUpdate{Lang: ptr("hu")}); err != nil {
		t.Fatalf("UpdateAccount(lang hu): %v", err)
	}
	// Changing roles or the name leaves the language alone.
	want.DisplayName = "Ana Ionescu"
	got, err := s.UpdateAccount(ctx, want.ID, voci.AccountUpdate{DisplayName: ptr(want.DisplayName)})
	if err != nil {
		t.Fatalf("UpdateAccount(name): %v", err)
	}
	sameAccount(t, "name changed", got, want)
	want.Roles = append(want.Roles, voci.RoleGrant{Role: voci.RoleSafeguardingLead, Municipality: 40198})
	got, err = s.AddAccountRole(ctx, want.ID, voci.RoleGrant{Role: voci.RoleSafeguardingLead, Municipality: 40198}, want.UpdatedAt)
	if err != nil {
		t.Fatalf("AddAccountRole: %v", err)
	}
	sameAccount(t, "role added", got, want)

	// Listing people carries each one's language.
	list, total, err := s.FindAccounts(ctx, voci.AccountFilter{Limit: 10})
	if err != nil || total != 2 || len(list) != 2 {
		t.Fatalf("FindAccounts = %d of %d, %v; want 2 of 2", len(list), total, err)
	}
	sameAccount(t, "listed first", &list[0], want)
	sameAccount(t, "listed second", &list[1], other)

	_, err = s.UpdateAccount(ctx, "acc-404", voci.AccountUpdate{Lang: ptr("en")})
	wantCode(t, "UpdateAccount(unknown, lang)", err, voci.ENOTFOUND)
}

func testCountAccounts(t *testing.T, s voci.Store) {
	ctx := t.Context()
	for i := range 3 {
		if err := s.CreateAccount(ctx, newAccount(fmt.Sprintf("acc-%d", i), fmt.Sprintf("user%d@example.org", i))); err != nil {
			t.Fatalf("CreateAccount: %v", err)
		}
		n, err := s.CountAccounts(ctx)
		if err != nil || n != i+1 {
			t.Fatalf("CountAccounts = %d, %v; want %d", n, err, i+1)
		}
	}
	// A failed create does not count.
	err := s.CreateAccount(ctx, newAccount("acc-x", "user0@example.org"))
	wantCode(t, "CreateAccount with a taken email", err, voci.ECONFLICT)
	if n, err := s.CountAccounts(ctx); err != nil || n != 3 {
		t.Fatalf("CountAccounts after a conflict = %d, %v; want 3", n, err)
	}
}
