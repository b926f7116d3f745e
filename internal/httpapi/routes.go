package httpapi

import (
	"slices"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/voci-platform/voci/internal/live"
	"github.com/voci-platform/voci/internal/voci"
)

// route is one line of the route table.
type route struct {
	method  string
	path    string
	access  access
	before  []fiber.Handler // route-level middleware such as throttling
	handler fiber.Handler
}

// routes is the one place where every endpoint of Voci is listed.
func (s *Server) routes(reg *prometheus.Registry) []route {
	return []route{
		{method: fiber.MethodGet, path: "/healthz", access: anyone, handler: s.handleHealthz()},
		{method: fiber.MethodGet, path: "/readyz", access: anyone, handler: s.handleReadyz()},
		{method: fiber.MethodGet, path: "/metrics", access: anyone, handler: s.handleMetrics(reg)},
		{method: fiber.MethodGet, path: "/api/v1/openapi.json", access: anyone, handler: s.handleOpenAPI()},

		{method: fiber.MethodGet, path: "/api/v1/counties", access: anyone, handler: s.handleListCounties()},
		{method: fiber.MethodGet, path: "/api/v1/municipalities", access: anyone, handler: s.handleFindMunicipalities()},
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta", access: anyone, handler: s.handleGetMunicipality()},
		// Stages are the committee's to record: anyone else, a coordinator of the municipality
		// included, is told so (403) rather than shown nothing there.
		{method: fiber.MethodPost, path: "/api/v1/municipalities/:siruta/enrolment", access: platform(platformFollowers...), handler: s.handleRecordStage(true)},
		{method: fiber.MethodPost, path: "/api/v1/municipalities/:siruta/stage", access: platform(platformFollowers...), handler: s.handleRecordStage(false)},
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/stage-history", access: inMunicipality(voci.RolePlatformAdmin, voci.RoleNationalCommittee, voci.RoleCoordinator), handler: s.handleStageHistory()},
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/profile", access: inMunicipality(voci.RolePlatformAdmin, voci.RoleNationalCommittee, voci.RoleCoordinator), handler: s.handleGetProfile()},
		{method: fiber.MethodPatch, path: "/api/v1/municipalities/:siruta/profile", access: inMunicipality(voci.RolePlatformAdmin, voci.RoleCoordinator), handler: s.handleUpdateProfile()},
		// National reporting (national.go): the committee's tables, and a municipality's own
		// indicators for its coordinator.
		{method: fiber.MethodGet, path: "/api/v1/national/municipalities", access: platform(platformFollowers...), handler: s.handleNationalMunicipalities()},
		{method: fiber.MethodGet, path: "/api/v1/national/counties", access: platform(platformFollowers...), handler: s.handleNationalCounties()},
		{method: fiber.MethodGet, path: "/api/v1/national/trends", access: platform(platformFollowers...), handler: s.handleNationalTrends()},
		{method: fiber.MethodGet, path: "/api/v1/national/releases", access: platform(platformFollowers...), handler: s.handleListReleases()},
		{method: fiber.MethodPost, path: "/api/v1/national/releases", access: platform(platformFollowers...), handler: s.handleStartRelease()},
		{method: fiber.MethodGet, path: "/api/v1/national/releases/:id", access: platform(platformFollowers...), handler: s.handleGetRelease()},
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/indicators", access: inMunicipality(voci.RolePlatformAdmin, voci.RoleNationalCommittee, voci.RoleCoordinator), handler: s.handleMunicipalityIndicators()},

		{method: fiber.MethodGet, path: "/api/v1/audit", access: anyMunicipality(voci.RolePlatformAdmin, voci.RoleNationalCommittee, voci.RoleCoordinator), handler: s.handleListAudit()},
		{method: fiber.MethodGet, path: "/api/v1/audit.csv", access: anyMunicipality(voci.RolePlatformAdmin, voci.RoleNationalCommittee, voci.RoleCoordinator), handler: s.handleExportAudit()},

		// Exports (exports.go): built in the background, downloaded by the adult who asked; who
		// may export which table is the domain's rule (voci.MayExport). Open data needs no sign-in.
		{method: fiber.MethodGet, path: "/api/v1/exports", access: exporters, handler: s.handleListExports()},
		{method: fiber.MethodPost, path: "/api/v1/exports", access: exporters, handler: s.handleRequestExport()},
		{method: fiber.MethodGet, path: "/api/v1/exports/:id", access: exporters, handler: s.handleGetExport()},
		{method: fiber.MethodGet, path: "/api/v1/exports/:id/file", access: exporters, handler: s.handleGetExportFile()},
		{method: fiber.MethodGet, path: "/api/v1/open-data/datapackage.json", access: anyone, before: []fiber.Handler{s.openDataReads}, handler: s.handleDataPackage()},
		{method: fiber.MethodGet, path: "/api/v1/open-data/:resource", access: anyone, before: []fiber.Handler{s.openDataReads}, handler: s.handleOpenDataCSV()},

		{method: fiber.MethodPost, path: "/api/v1/join", access: anyone, before: []fiber.Handler{s.throttleFailedJoins()}, handler: s.handleJoin()},
		// A child's websocket: the participant token from /join is checked before the upgrade.
		{method: fiber.MethodGet, path: "/api/v1/live/participant", access: anyone, before: []fiber.Handler{s.throttleFailedJoins()}, handler: s.handleParticipantSocket()},

		// A consultation's self-paced link: a child opens it on their own device while it is
		// open. A wrong key and a wrong token count towards the join throttle, as guesses.
		{method: fiber.MethodGet, path: "/api/v1/self-paced/:key", access: anyone, before: []fiber.Handler{s.throttleFailedSelfPaced()}, handler: s.handleGetSelfPaced()},
		{method: fiber.MethodPost, path: "/api/v1/self-paced/:key/participants", access: anyone, before: []fiber.Handler{s.throttleFailedSelfPaced()}, handler: s.handleJoinSelfPaced()},
		{method: fiber.MethodGet, path: "/api/v1/self-paced/:key/me", access: anyone, before: []fiber.Handler{s.throttleFailedSelfPaced()}, handler: s.handleGetSelfPacedMe()},
		{method: fiber.MethodPut, path: "/api/v1/self-paced/:key/me/profile", access: anyone, before: []fiber.Handler{s.throttleFailedSelfPaced()}, handler: s.handleSetSelfPacedProfile()},
		{method: fiber.MethodPost, path: "/api/v1/self-paced/:key/me/alias", access: anyone, before: []fiber.Handler{s.throttleFailedSelfPaced()}, handler: s.handleRerollSelfPaced()},
		{method: fiber.MethodPut, path: "/api/v1/self-paced/:key/me/answers/:qid", access: anyone, before: []fiber.Handler{s.throttleFailedSelfPaced()}, handler: s.handleSubmitSelfPacedAnswer()},
		{method: fiber.MethodPost, path: "/api/v1/self-paced/:key/me/help", access: anyone, before: []fiber.Handler{s.throttleFailedSelfPaced()}, handler: s.handleSelfPacedHelp()},
		{method: fiber.MethodGet, path: "/api/v1/self-paced/:key/me/ideas/:qid", access: anyone, before: []fiber.Handler{s.throttleFailedSelfPaced()}, handler: s.handleListSelfPacedIdeas()},
		{method: fiber.MethodPut, path: "/api/v1/self-paced/:key/me/ideas/:qid/reactions/:ideaId", access: anyone, before: []fiber.Handler{s.throttleFailedSelfPaced()}, handler: s.handleReactSelfPaced()},

		// Receipt codes (receipts.go): a child's code at the end, and /r opening it. Codes go in
		// bodies, never in addresses; codes Voci did not issue cost the client's secret budget.
		{method: fiber.MethodPost, path: "/api/v1/live/me/receipt", access: anyone, before: []fiber.Handler{s.throttleFailedJoins()}, handler: s.handleLiveReceipt()},
		{method: fiber.MethodPost, path: "/api/v1/self-paced/:key/me/receipt", access: anyone, before: []fiber.Handler{s.throttleFailedSelfPaced()}, handler: s.handleSelfPacedReceipt()},
		{method: fiber.MethodPost, path: "/api/v1/receipts/lookup", access: anyone, before: []fiber.Handler{s.receiptLookups, s.throttleFailedReceipts()}, handler: s.handleLookupReceipt()},
		{method: fiber.MethodPost, path: "/api/v1/receipts/answer-back", access: anyone, before: []fiber.Handler{s.receiptLookups, s.throttleFailedReceipts()}, handler: s.handleReceiptAnswerBack()},

		// Consultations and their questions: prepared by facilitators and coordinators, read by
		// council members too.
		// Admins and the national committee follow every municipality: they see which
		// consultations it holds (not their questions, texts or results).
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/consultations", access: inMunicipality(slices.Concat(consultationReaders, platformFollowers)...), handler: s.handleListConsultations()},
		{method: fiber.MethodPost, path: "/api/v1/municipalities/:siruta/consultations", access: inMunicipality(consultationEditors...), handler: s.handleCreateConsultation()},
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/consultations/:id", access: inMunicipality(consultationReaders...), handler: s.handleGetConsultation()},
		{method: fiber.MethodPut, path: "/api/v1/municipalities/:siruta/consultations/:id", access: inMunicipality(consultationEditors...), handler: s.handleUpdateConsultation()},
		{method: fiber.MethodPost, path: "/api/v1/municipalities/:siruta/consultations/:id/status", access: inMunicipality(consultationEditors...), handler: s.handleSetConsultationStatus()},
		{method: fiber.MethodPost, path: "/api/v1/municipalities/:siruta/consultations/:id/questions", access: inMunicipality(consultationEditors...), handler: s.handleAddQuestion()},
		{method: fiber.MethodPut, path: "/api/v1/municipalities/:siruta/consultations/:id/questions/:qid", access: inMunicipality(consultationEditors...), handler: s.handleUpdateQuestion()},
		{method: fiber.MethodDelete, path: "/api/v1/municipalities/:siruta/consultations/:id/questions/:qid", access: inMunicipality(consultationEditors...), handler: s.handleDeleteQuestion()},
		// The forms of a sitting are listed to the adult who typed them only (the handler
		// reads them by the caller's account), under the same rule as typing them in.
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/consultations/:id/paper-forms", access: inMunicipality(consultationEditors...), handler: s.handleListSittingPaperForms()},
		{method: fiber.MethodPost, path: "/api/v1/municipalities/:siruta/consultations/:id/paper-forms", access: inMunicipality(consultationEditors...), handler: s.handleRecordPaperForm()},
		{method: fiber.MethodDelete, path: "/api/v1/municipalities/:siruta/consultations/:id/paper-forms/:key", access: inMunicipality(consultationEditors...), handler: s.handleRemovePaperForm()},
		{method: fiber.MethodPut, path: "/api/v1/municipalities/:siruta/consultations/:id/question-order", access: inMunicipality(consultationEditors...), handler: s.handleReorderQuestions()},
		// Pictures of questions and options (pictures.go), and duplicating a consultation.
		{method: fiber.MethodPut, path: "/api/v1/municipalities/:siruta/consultations/:id/questions/:qid/picture", access: inMunicipality(consultationEditors...), handler: s.handleSetPicture()},
		{method: fiber.MethodDelete, path: "/api/v1/municipalities/:siruta/consultations/:id/questions/:qid/picture", access: inMunicipality(consultationEditors...), handler: s.handleRemovePicture()},
		{method: fiber.MethodPut, path: "/api/v1/municipalities/:siruta/consultations/:id/questions/:qid/options/:oid/picture", access: inMunicipality(consultationEditors...), handler: s.handleSetPicture()},
		{method: fiber.MethodDelete, path: "/api/v1/municipalities/:siruta/consultations/:id/questions/:qid/options/:oid/picture", access: inMunicipality(consultationEditors...), handler: s.handleRemovePicture()},
		{method: fiber.MethodPatch, path: "/api/v1/municipalities/:siruta/consultations/:id/questions/:qid/picture", access: inMunicipality(consultationEditors...), handler: s.handleDescribePicture()},
		{method: fiber.MethodPatch, path: "/api/v1/municipalities/:siruta/consultations/:id/questions/:qid/options/:oid/picture", access: inMunicipality(consultationEditors...), handler: s.handleDescribePicture()},
		{method: fiber.MethodGet, path: "/api/v1/pictures/:file", access: anyone, handler: s.handleGetPicture()},
		{method: fiber.MethodPost, path: "/api/v1/municipalities/:siruta/consultations/:id/duplicate", access: inMunicipality(consultationEditors...), handler: s.handleDuplicateConsultation()},
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/consultations/:id/self-paced-link", access: inMunicipality(consultationEditors...), handler: s.handleGetSelfPacedLink()},

		// Results: for the municipality's facilitators, coordinator and council members.
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/consultations/:id/results", access: inMunicipality(consultationReaders...), handler: s.handleResults()},
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/consultations/:id/results.csv", access: inMunicipality(consultationReaders...), handler: s.handleExportCSV()},
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/consultations/:id/results.json", access: inMunicipality(consultationReaders...), handler: s.handleExportJSON()},

		// The review workspace (review.go): approved input, themes and recommendations, for the
		// municipality's facilitators, coordinator and council members.
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/consultations/:id/review", access: inMunicipality(consultationReaders...), handler: s.handleReviewWorkspace()},
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/consultations/:id/themes", access: inMunicipality(consultationReaders...), handler: s.handleListThemes()},
		{method: fiber.MethodPost, path: "/api/v1/municipalities/:siruta/consultations/:id/themes", access: inMunicipality(consultationReaders...), handler: s.handleCreateTheme()},
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/consultations/:id/themes/:tid", access: inMunicipality(consultationReaders...), handler: s.handleGetTheme()},
		{method: fiber.MethodPatch, path: "/api/v1/municipalities/:siruta/consultations/:id/themes/:tid", access: inMunicipality(consultationReaders...), handler: s.handleUpdateTheme()},
		{method: fiber.MethodDelete, path: "/api/v1/municipalities/:siruta/consultations/:id/themes/:tid", access: inMunicipality(consultationReaders...), handler: s.handleDeleteTheme()},
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/consultations/:id/recommendations", access: inMunicipality(consultationReaders...), handler: s.handleListRecommendations()},
		{method: fiber.MethodPost, path: "/api/v1/municipalities/:siruta/consultations/:id/recommendations", access: inMunicipality(consultationReaders...), handler: s.handleCreateRecommendation()},
		{method: fiber.MethodPatch, path: "/api/v1/municipalities/:siruta/consultations/:id/recommendations/:rid", access: inMunicipality(consultationReaders...), handler: s.handleUpdateRecommendation()},
		// Council decisions (decisions.go): recorded by the municipality's council members and
		// coordinator; read by its facilitators and the platform's roles too. A published
		// decision is never edited: corrections, status changes and milestones are appended.
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/decisions", access: inMunicipality(decisionReaders...), handler: s.handleListDecisions()},
		{method: fiber.MethodPost, path: "/api/v1/municipalities/:siruta/decisions", access: inMunicipality(decisionRecorders...), handler: s.handleCreateDecision()},
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/decisions/:did", access: inMunicipality(decisionReaders...), handler: s.handleGetDecision()},
		{method: fiber.MethodPut, path: "/api/v1/municipalities/:siruta/decisions/:did", access: inMunicipality(decisionRecorders...), handler: s.handleUpdateDecision()},
		{method: fiber.MethodPost, path: "/api/v1/municipalities/:siruta/decisions/:did/publish", access: inMunicipality(decisionRecorders...), handler: s.handlePublishDecision()},
		{method: fiber.MethodPost, path: "/api/v1/municipalities/:siruta/decisions/:did/corrections", access: inMunicipality(decisionRecorders...), handler: s.handleCorrectDecision()},
		{method: fiber.MethodPost, path: "/api/v1/municipalities/:siruta/decisions/:did/status", access: inMunicipality(decisionRecorders...), handler: s.handleDecisionStatus()},
		{method: fiber.MethodPost, path: "/api/v1/municipalities/:siruta/decisions/:did/milestones", access: inMunicipality(decisionRecorders...), handler: s.handleDecisionMilestone()},
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/decisions/:did/verify", access: inMunicipality(decisionReaders...), handler: s.handleVerifyDecision()},
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/decisions/:did/trace", access: inMunicipality(decisionReaders...), handler: s.handleDecisionTrace()},
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/decisions/:did/trace.csv", access: inMunicipality(decisionReaders...), handler: s.handleDecisionTraceCSV()},
		{method: fiber.MethodPost, path: "/api/v1/municipalities/:siruta/decision-files", access: inMunicipality(decisionRecorders...), handler: s.handleUploadDecisionPDF()},
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/decision-files/:file", access: inMunicipality(decisionReaders...), handler: s.handleGetDecisionPDF()},
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/decision-recommendations", access: inMunicipality(decisionReaders...), handler: s.handleListDecisionRecommendations()},
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/consultations/:id/trace", access: inMunicipality(consultationReaders...), handler: s.handleConsultationTrace()},
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/consultations/:id/trace.csv", access: inMunicipality(consultationReaders...), handler: s.handleConsultationTraceCSV()},
		// The Lundy scorecard (scorecard.go): a consultation's, and the municipality's roll-up.
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/consultations/:id/scorecard", access: inMunicipality(scorecardReaders...), handler: s.handleConsultationScorecard()},
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/scorecard", access: inMunicipality(scorecardReaders...), handler: s.handleMunicipalityScorecard()},
		// Feedback to children (feedback.go): council members and the coordinator write it and a
		// second adult approves it; facilitators read it. The public outcome needs no sign-in.
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/consultations/:id/feedback", access: inMunicipality(feedbackReaders...), handler: s.handleListConsultationFeedback()},
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/recommendations/:rid/feedback", access: inMunicipality(feedbackReaders...), handler: s.handleListFeedback()},
		{method: fiber.MethodPost, path: "/api/v1/municipalities/:siruta/recommendations/:rid/feedback", access: inMunicipality(feedbackWriters...), handler: s.handleStartFeedback()},
		{method: fiber.MethodPut, path: "/api/v1/municipalities/:siruta/recommendations/:rid/feedback/:fid", access: inMunicipality(feedbackWriters...), handler: s.handleEditFeedback()},
		{method: fiber.MethodPost, path: "/api/v1/municipalities/:siruta/recommendations/:rid/feedback/:fid/submit", access: inMunicipality(feedbackWriters...), handler: s.handleFeedbackStep(false)},
		{method: fiber.MethodPost, path: "/api/v1/municipalities/:siruta/recommendations/:rid/feedback/:fid/publish", access: inMunicipality(feedbackWriters...), handler: s.handleFeedbackStep(true)},
		{method: fiber.MethodGet, path: "/api/v1/public/consultations/:id/outcome", access: anyone, before: []fiber.Handler{s.publicReads}, handler: s.handlePublicOutcome()},
		{method: fiber.MethodGet, path: "/api/v1/public/municipalities/:siruta", access: anyone, before: []fiber.Handler{s.publicReads}, handler: s.handlePublicMunicipality()},

		// The youth council (council.go): the coordinator and the admin manage it and alone see
		// guardians' consent; the municipality's facilitators and council members read it. A
		// member signs in on their phone with their card and sees their own council.
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/youth-council", access: inMunicipality(councilReaders...), handler: s.handleGetCouncil()},
		{method: fiber.MethodPut, path: "/api/v1/municipalities/:siruta/youth-council", access: inMunicipality(councilManagers...), handler: s.handleSaveCouncil()},
		{method: fiber.MethodPost, path: "/api/v1/municipalities/:siruta/youth-council/members", access: inMunicipality(councilManagers...), handler: s.handleAddMember()},
		{method: fiber.MethodPatch, path: "/api/v1/municipalities/:siruta/youth-council/members/:mid", access: inMunicipality(councilManagers...), handler: s.handleUpdateMember()},
		{method: fiber.MethodPost, path: "/api/v1/municipalities/:siruta/youth-council/members/:mid/leave", access: inMunicipality(councilManagers...), handler: s.handleMemberLeaves()},
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/youth-council/consents", access: inMunicipality(councilManagers...), handler: s.handleListConsents()},
		{method: fiber.MethodPut, path: "/api/v1/municipalities/:siruta/youth-council/members/:mid/consent", access: inMunicipality(councilManagers...), handler: s.handleRecordConsent()},
		{method: fiber.MethodPost, path: "/api/v1/municipalities/:siruta/youth-council/members/:mid/consent/withdraw", access: inMunicipality(councilManagers...), handler: s.handleWithdrawConsent()},
		{method: fiber.MethodPost, path: "/api/v1/municipalities/:siruta/youth-council/members/:mid/card", access: inMunicipality(councilManagers...), handler: s.handleIssueCard()},
		{method: fiber.MethodDelete, path: "/api/v1/municipalities/:siruta/youth-council/members/:mid/card", access: inMunicipality(councilManagers...), handler: s.handleRevokeCard()},
		{method: fiber.MethodPost, path: "/api/v1/youth-council/sign-in", access: anyone, before: []fiber.Handler{s.cardSignIns(), s.throttleFailedCards()}, handler: s.handleCardSignIn()},
		{method: fiber.MethodGet, path: "/api/v1/youth-council/me", access: s.memberSelf(), handler: s.handleGetMemberView()},
		{method: fiber.MethodPost, path: "/api/v1/youth-council/me/sign-out", access: s.memberSelf(), handler: s.handleMemberSignOut()},
		// Council meetings and their agendas (meetings.go): the coordinator and the admin
		// schedule them and draft agendas; the council's readers read them; members propose
		// items from their phone, and the president drafts.
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/youth-council/meetings", access: inMunicipality(councilReaders...), handler: s.handleListMeetings()},
		{method: fiber.MethodPost, path: "/api/v1/municipalities/:siruta/youth-council/meetings", access: inMunicipality(councilManagers...), handler: s.handleScheduleMeeting()},
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/youth-council/meetings/:meeting", access: inMunicipality(councilReaders...), handler: s.handleGetMeeting()},
		{method: fiber.MethodPatch, path: "/api/v1/municipalities/:siruta/youth-council/meetings/:meeting", access: inMunicipality(councilManagers...), handler: s.handleUpdateMeeting()},
		{method: fiber.MethodPost, path: "/api/v1/municipalities/:siruta/youth-council/meetings/:meeting/agenda", access: inMunicipality(councilManagers...), handler: s.handleAddAgendaItem()},
		{method: fiber.MethodPatch, path: "/api/v1/municipalities/:siruta/youth-council/meetings/:meeting/agenda/:item", access: inMunicipality(councilManagers...), handler: s.handleChangeAgendaItem()},
		{method: fiber.MethodDelete, path: "/api/v1/municipalities/:siruta/youth-council/meetings/:meeting/agenda/:item", access: inMunicipality(councilManagers...), handler: s.handleRemoveAgendaItem()},
		{method: fiber.MethodPost, path: "/api/v1/municipalities/:siruta/youth-council/meetings/:meeting/agenda/:item/attachments", access: inMunicipality(councilManagers...), handler: s.handleAddAttachment()},
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/youth-council/meetings/:meeting/agenda/:item/attachments/:file", access: inMunicipality(councilReaders...), handler: s.handleGetAttachment()},
		{method: fiber.MethodDelete, path: "/api/v1/municipalities/:siruta/youth-council/meetings/:meeting/agenda/:item/attachments/:file", access: inMunicipality(councilManagers...), handler: s.handleRemoveAttachment()},
		{method: fiber.MethodPost, path: "/api/v1/youth-council/me/meetings/:meeting/agenda", access: s.memberSelf(), handler: s.handleMemberAddAgendaItem()},
		{method: fiber.MethodPatch, path: "/api/v1/youth-council/me/meetings/:meeting/agenda/:item", access: s.memberSelf(), handler: s.handleMemberChangeAgendaItem()},
		{method: fiber.MethodGet, path: "/api/v1/youth-council/me/meetings/:meeting/agenda/:item/attachments/:file", access: s.memberSelf(), handler: s.handleMemberGetAttachment()},
		// A meeting's live room (meetingroom.go): one websocket per meeting, for a member's
		// phone (card), the coordinator's console or projector, and the gallery link.
		{method: fiber.MethodGet, path: "/api/v1/youth-council/meetings/:meeting/room", access: s.memberSelf(), handler: s.handleMemberMeetingSocket()},
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/youth-council/meetings/:meeting/room", access: inMunicipality(councilManagers...), handler: s.handleOrganizerMeetingSocket()},
		{method: fiber.MethodPost, path: "/api/v1/municipalities/:siruta/youth-council/meetings/:meeting/room/gallery-link", access: inMunicipality(councilManagers...), handler: s.handleNewGalleryLink()},
		{method: fiber.MethodGet, path: "/api/v1/meeting-gallery/:meeting", access: anyone, before: []fiber.Handler{s.throttleFailedSelfPaced()}, handler: s.handleGallerySocket()},
		// Meetings' minutes (minutes.go): the coordinator and the secretary edit drafts; the
		// council's readers and members read and download them, like agendas' documents.
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/youth-council/minutes", access: inMunicipality(councilReaders...), handler: s.handleListMinutes()},
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/youth-council/meetings/:meeting/minutes", access: inMunicipality(councilReaders...), handler: s.handleGetMinutes()},
		{method: fiber.MethodPut, path: "/api/v1/municipalities/:siruta/youth-council/meetings/:meeting/minutes", access: inMunicipality(councilManagers...), handler: s.handleEditMinutes()},
		{method: fiber.MethodPost, path: "/api/v1/municipalities/:siruta/youth-council/meetings/:meeting/minutes/approval", access: inMunicipality(councilManagers...), handler: s.handleApproveMinutes()},
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/youth-council/meetings/:meeting/minutes/pdf", access: inMunicipality(councilReaders...), handler: s.handleMinutesDownload(minutesPDF, false)},
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/youth-council/meetings/:meeting/minutes/csv", access: inMunicipality(councilReaders...), handler: s.handleMinutesDownload(minutesCSV, false)},
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/youth-council/meetings/:meeting/minutes/popolo", access: inMunicipality(councilReaders...), handler: s.handleMinutesDownload(minutesPopolo, false)},
		{method: fiber.MethodGet, path: "/api/v1/youth-council/me/minutes", access: s.memberSelf(), handler: s.handleMemberListMinutes()},
		{method: fiber.MethodGet, path: "/api/v1/youth-council/me/meetings/:meeting/minutes", access: s.memberSelf(), handler: s.handleMemberGetMinutes()},
		{method: fiber.MethodPut, path: "/api/v1/youth-council/me/meetings/:meeting/minutes", access: s.memberSelf(), handler: s.handleMemberEditMinutes()},
		{method: fiber.MethodGet, path: "/api/v1/youth-council/me/meetings/:meeting/minutes/pdf", access: s.memberSelf(), handler: s.handleMinutesDownload(minutesPDF, true)},
		{method: fiber.MethodGet, path: "/api/v1/youth-council/me/meetings/:meeting/minutes/csv", access: s.memberSelf(), handler: s.handleMinutesDownload(minutesCSV, true)},
		{method: fiber.MethodGet, path: "/api/v1/youth-council/me/meetings/:meeting/minutes/popolo", access: s.memberSelf(), handler: s.handleMinutesDownload(minutesPopolo, true)},
		// Passed motions sent to the local council as recommendations, and its answer
		// (councilmotions.go): the coordinator or the president sends; members read the answer.
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/youth-council/motions", access: inMunicipality(councilReaders...), handler: s.handleListCouncilMotions()},
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/youth-council/motions/feedback", access: inMunicipality(feedbackReaders...), handler: s.handleCouncilMotionsFeedback()},
		{method: fiber.MethodPost, path: "/api/v1/municipalities/:siruta/youth-council/meetings/:meeting/motions/:number/recommendation", access: inMunicipality(councilManagers...), handler: s.handleSendCouncilMotion()},
		{method: fiber.MethodPost, path: "/api/v1/youth-council/me/meetings/:meeting/motions/:number/recommendation", access: s.memberSelf(), handler: s.handleMemberSendCouncilMotion()},
		{method: fiber.MethodGet, path: "/api/v1/youth-council/me/answers", access: s.memberSelf(), handler: s.handleMemberCouncilAnswers()},

		// Moderation of children's text: facilitators and coordinators only.
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/consultations/:id/moderation", access: inMunicipality(consultationEditors...), handler: s.handleModerationQueue()},
		{method: fiber.MethodPost, path: "/api/v1/municipalities/:siruta/answers/:aid/moderation", access: inMunicipality(consultationEditors...), handler: s.handleModerate()},

		// Live sessions.
		{method: fiber.MethodPost, path: "/api/v1/municipalities/:siruta/consultations/:id/live-sessions", access: inMunicipality(consultationEditors...), handler: s.handleStartLiveSession()},
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/consultations/:id/live-sessions", access: inMunicipality(consultationEditors...), handler: s.handleListLiveSessions()},
		// Live sessions planned ahead (plannedsessions.go).
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/consultations/:id/planned-sessions", access: inMunicipality(consultationEditors...), handler: s.handleListPlannedSessions()},
		{method: fiber.MethodPost, path: "/api/v1/municipalities/:siruta/consultations/:id/planned-sessions", access: inMunicipality(consultationEditors...), handler: s.handlePlanSession()},
		{method: fiber.MethodPut, path: "/api/v1/municipalities/:siruta/consultations/:id/planned-sessions/:pid", access: inMunicipality(consultationEditors...), handler: s.handleUpdatePlannedSession()},
		{method: fiber.MethodPost, path: "/api/v1/municipalities/:siruta/consultations/:id/planned-sessions/:pid/cancel", access: inMunicipality(consultationEditors...), handler: s.handleCancelPlannedSession()},
		{method: fiber.MethodPost, path: "/api/v1/municipalities/:siruta/consultations/:id/planned-sessions/:pid/start", access: inMunicipality(consultationEditors...), handler: s.handleStartPlannedSession()},
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/live-sessions/:sid", access: inMunicipality(consultationEditors...), handler: s.handleGetLiveSession()},
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/live-sessions/:sid/qr.png", access: inMunicipality(consultationEditors...), handler: s.handleJoinQR()},
		{method: fiber.MethodPost, path: "/api/v1/municipalities/:siruta/live-sessions/:sid/end", access: inMunicipality(consultationEditors...), handler: s.handleEndLiveSession()},
		{method: fiber.MethodPut, path: "/api/v1/municipalities/:siruta/live-sessions/:sid/trust", access: inMunicipality(consultationEditors...), handler: s.handleSetTrust()},
		{method: fiber.MethodPut, path: "/api/v1/municipalities/:siruta/live-sessions/:sid/joins-lock", access: inMunicipality(consultationEditors...), handler: s.handleSetJoinsLock()},
		// Counts about the group as a whole, never about one child (see voci.GroupFacts).
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/live-sessions/:sid/group-facts", access: inMunicipality(consultationEditors...), handler: s.handleGetGroupFacts()},
		{method: fiber.MethodPut, path: "/api/v1/municipalities/:siruta/live-sessions/:sid/group-facts", access: inMunicipality(consultationEditors...), handler: s.handleSetGroupFacts()},
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/live-sessions/:sid/participants", access: inMunicipality(consultationEditors...), handler: s.handleListParticipants()},
		{method: fiber.MethodPost, path: "/api/v1/municipalities/:siruta/live-sessions/:sid/participants/:pid/remove", access: inMunicipality(consultationEditors...), handler: s.handleRemoveParticipant()},
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/live-sessions/:sid/presenter", access: inMunicipality(consultationEditors...), handler: s.handleAdultSocket(live.RolePresenter, consultationEditors...)},
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/live-sessions/:sid/facilitator", access: inMunicipality(consultationEditors...), handler: s.handleAdultSocket(live.RoleFacilitator, consultationEditors...)},

		// "I need to talk to someone": the municipality's safeguarding lead (and coordinator).
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/help-requests", access: inMunicipality(voci.RoleSafeguardingLead, voci.RoleCoordinator), handler: s.handleListHelpRequests()},
		{method: fiber.MethodPost, path: "/api/v1/municipalities/:siruta/help-requests/:hid/acknowledge", access: inMunicipality(voci.RoleSafeguardingLead, voci.RoleCoordinator), handler: s.handleAcknowledgeHelpRequest()},
		{method: fiber.MethodPut, path: "/api/v1/municipalities/:siruta/help-requests/:hid/note", access: inMunicipality(voci.RoleSafeguardingLead, voci.RoleCoordinator), handler: s.handleNoteHelpRequest()},
		{method: fiber.MethodPost, path: "/api/v1/municipalities/:siruta/help-requests/:hid/close", access: inMunicipality(voci.RoleSafeguardingLead, voci.RoleCoordinator), handler: s.handleCloseHelpRequest()},
		// The badge of the adults' menu: unacknowledged requests where the caller is lead or coordinator.
		{method: fiber.MethodGet, path: "/api/v1/me/help-requests/count", access: signedIn, handler: s.handleCountMyHelpRequests()},
		// The adults' start page: what needs the caller now, per role and municipality they hold.
		{method: fiber.MethodGet, path: "/api/v1/me/start", access: signedIn, handler: s.handleGetStartPage()},
		// The adult's own notifications (voci.Reminders): the bell of the menu and its page.
		{method: fiber.MethodGet, path: "/api/v1/me/notifications", access: signedIn, handler: s.handleListMyNotifications()},
		{method: fiber.MethodPost, path: "/api/v1/me/notifications/read-all", access: signedIn, handler: s.handleReadAllNotifications()},
		{method: fiber.MethodPost, path: "/api/v1/me/notifications/:id/read", access: signedIn, handler: s.handleReadNotification()},

		{method: fiber.MethodPost, path: "/api/v1/auth/login", access: anyone, before: append(s.throttleLogins(), s.boundHashing), handler: s.handleLogin()},
		{method: fiber.MethodPost, path: "/api/v1/auth/logout", access: self, handler: s.handleLogout()},
		{method: fiber.MethodPost, path: "/api/v1/auth/logout-everywhere", access: self, handler: s.handleLogoutEverywhere()},
		{method: fiber.MethodGet, path: "/api/v1/me", access: self, handler: s.handleGetMe()},
		{method: fiber.MethodPatch, path: "/api/v1/me", access: self, handler: s.handleUpdateMe()},
		{method: fiber.MethodPost, path: "/api/v1/me/password", access: self, before: []fiber.Handler{s.boundHashing}, handler: s.handleChangePassword()},
		{method: fiber.MethodGet, path: "/api/v1/me/sessions", access: self, handler: s.handleListMySessions()},
		{method: fiber.MethodDelete, path: "/api/v1/me/sessions/:id", access: self, handler: s.handleEndMySession()},
		{method: fiber.MethodPost, path: "/api/v1/me/totp", access: self, handler: s.handleBeginTOTP()},
		{method: fiber.MethodPost, path: "/api/v1/me/totp/enable", access: self, handler: s.handleTOTPCode("account.totp_enable", enableTOTP)},
		{method: fiber.MethodPost, path: "/api/v1/me/totp/disable", access: self, handler: s.handleTOTPCode("account.totp_disable", disableTOTP)},

		{method: fiber.MethodPost, path: "/api/v1/auth/password-reset", access: anyone, before: s.throttlePasswordResets(), handler: s.handleRequestPasswordReset()},
		{method: fiber.MethodPost, path: "/api/v1/auth/password-reset/confirm", access: anyone, before: []fiber.Handler{s.throttleFailedTokens(), s.boundHashing}, handler: s.handleConfirmPasswordReset()},

		// Who may invite whom is the domain's rule (voci.MayGrant); the routes let in whoever
		// may invite anyone at all.
		{method: fiber.MethodPost, path: "/api/v1/invitations", access: inviters, handler: s.handleCreateInvitation()},
		{method: fiber.MethodGet, path: "/api/v1/invitations", access: inviters, handler: s.handleListInvitations()},
		{method: fiber.MethodDelete, path: "/api/v1/invitations/:id", access: inviters, handler: s.handleRevokeInvitation()},
		{method: fiber.MethodPost, path: "/api/v1/invitations/:id/resend", access: inviters, handler: s.handleResendInvitation()},
		{method: fiber.MethodPost, path: "/api/v1/invitations/preview", access: anyone, before: []fiber.Handler{s.throttleFailedTokens()}, handler: s.handlePreviewInvitation()},
		{method: fiber.MethodPost, path: "/api/v1/invitations/accept", access: anyone, before: []fiber.Handler{s.throttleFailedTokens(), s.boundHashing}, handler: s.handleAcceptInvitation()},

		{method: fiber.MethodGet, path: "/api/v1/people", access: platform(voci.RolePlatformAdmin, voci.RoleNationalCommittee), handler: s.handleListPeople()},
		{method: fiber.MethodGet, path: "/api/v1/municipalities/:siruta/people", access: inMunicipality(voci.RolePlatformAdmin, voci.RoleNationalCommittee, voci.RoleCoordinator), handler: s.handleListMunicipalityPeople()},
		{method: fiber.MethodDelete, path: "/api/v1/municipalities/:siruta/people/:accountId/roles/:role", access: inMunicipality(voci.RolePlatformAdmin, voci.RoleCoordinator), handler: s.handleRevokeMunicipalRole()},
		// Platform-wide roles are the admins' to take away.
		{method: fiber.MethodDelete, path: "/api/v1/people/:accountId/roles/:role", access: platform(voci.RolePlatformAdmin), handler: s.handleRevokePlatformRole()},
		// Disabling and enabling an account: which accounts a coordinator may touch is the
		// domain's rule (voci.Accounts.SetAccountDisabled).
		{method: fiber.MethodPatch, path: "/api/v1/people/:accountId", access: anyMunicipality(voci.RolePlatformAdmin, voci.RoleCoordinator), handler: s.handleUpdatePerson()},
	}
}

// platformFollowers are the platform-wide roles that follow every municipality's work.
var platformFollowers = []voci.Role{voci.RolePlatformAdmin, voci.RoleNationalCommittee}

// exporters are the adults who may export a table: admins and the national committee, and
// coordinators (their own municipality's tables only).
var exporters = anyMunicipality(voci.RolePlatformAdmin, voci.RoleNationalCommittee, voci.RoleCoordinator)

// inviters are the adults who may invite someone: admins, national committee members and
// coordinators.
var inviters = anyMunicipality(voci.RolePlatformAdmin, voci.RoleNationalCommittee, voci.RoleCoordinator)

func (s *Server) registerRoutes(reg *prometheus.Registry) {
	s.app.Use("/api", s.identify)
	for _, r := range s.routes(reg) {
		handlers := []fiber.Handler{s.rendered(s.guard(r.access))}
		handlers = append(handlers, r.before...)
		handlers = append(handlers, s.rendered(r.handler))
		s.app.Add(r.method, r.path, handlers...)
	}
	s.app.Use(s.spa.serve)
}

// rendered turns a handler's error into its problem+json answer at once, so that route-level
// middleware (throttling failed attempts, say) sees the real status.
func (s *Server) rendered(h fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if err := h(c); err != nil {
			return s.app.ErrorHandler(c, err)
		}
		return nil
	}
}

// throttleFailedJoins limits wrong join codes (and wrong participant tokens) per client, so
// that the 10⁶ six-digit codes cannot be tried in bulk: 20 failures a minute. Successful joins
// are not counted: a whole class behind one school router joins at the same minute.
func (s *Server) throttleFailedJoins() fiber.Handler {
	return s.tokenFailures.handler
}

// throttleFailedSelfPaced counts, against the same budget as join codes, the self-paced
// requests that look like guessing: an unknown link key (404) or participant token (401).
// A link that is not open yet, or an answer the child must correct, is not a guess, and a
// class opening a link too early through one school router must not be locked out.
func (s *Server) throttleFailedSelfPaced() fiber.Handler {
	return s.tokenFailures.handlerCounting(func(status int) bool {
		return status == fiber.StatusNotFound || status == fiber.StatusUnauthorized
	}, nil, false)
}
