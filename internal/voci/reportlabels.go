package voci

import "fmt"

// The words of the national tables in Romanian, English and Hungarian: column labels, titles
// and notes, as every export writes them. The pages have their own dictionaries; these are
// for files made on the server.

// tr is one text in the three languages.
type tr struct{ ro, en, hu string }

func (t tr) in(l Lang) string {
	switch l {
	case LangEN:
		return t.en
	case LangHU:
		return t.hu
	}
	return t.ro
}

// HiddenLabel is the one label of every hidden cell, primary or secondary.
var HiddenLabel = map[Lang]string{LangRO: "ascuns pentru a proteja copiii", LangEN: "hidden to protect children", LangHU: "a gyermekek védelmében elrejtve"}

// NotYetRecordedLabel labels an indicator whose source does not exist yet.
var NotYetRecordedLabel = map[Lang]string{LangRO: "încă neînregistrat", LangEN: "not yet recorded", LangHU: "még nincs rögzítve"}

var indicatorLabels = map[string]tr{
	IndSessionsLive:                {"Sesiuni live", "Live sessions", "Élő alkalmak"},
	IndSessionsSelfPaced:           {"Consultări în ritm propriu cu participanți", "Self-paced consultations with children taking part", "Önálló tempójú konzultációk résztvevőkkel"},
	IndPaperForms:                  {"Formulare pe hârtie", "Paper forms", "Papíralapú űrlapok"},
	IndConsultationsOpened:         {"Consultări deschise", "Consultations opened", "Megnyitott konzultációk"},
	IndConsultationsClosed:         {"Consultări închise", "Consultations closed", "Lezárt konzultációk"},
	IndConsultationsAnswered:       {"Consultări cu răspuns", "Consultations answered", "Megválaszolt konzultációk"},
	IndConsultationsAnsweredOnTime: {"Consultări cu răspuns la timp", "Consultations answered on time", "Időben megválaszolt konzultációk"},
	IndConsultationsOverdue:        {"Consultări cu răspuns întârziat", "Consultations overdue", "Határidőn túli konzultációk"},
	IndMedianDaysToFeedback:        {"Zile până la răspuns (mediană)", "Days from closing to feedback (median)", "Napok a lezárástól a visszajelzésig (medián)"},
	IndReceiptsOpenedAfterFeedback: {"Chitanțe deschise după răspuns", "Receipts opened after feedback", "Visszajelzés után megnyitott nyugták"},
	IndRecommendationsSent:         {"Recomandări trimise", "Recommendations sent", "Elküldött ajánlások"},
	IndRecommendationsAnswered:     {"Recomandări cu răspuns", "Recommendations answered", "Megválaszolt ajánlások"},
	IndDecisionsLinked:             {"Hotărâri legate de opiniile copiilor", "Decisions linked to children's input", "A gyermekek véleményéhez kapcsolt döntések"},
	IndDecisionsAdopted:            {"Hotărâri adoptate", "Decisions adopted", "Elfogadott döntések"},
	IndMeetingsHeld:                {"Ședințe ale consiliului copiilor", "Youth council meetings", "Gyermektanácsi ülések"},
	IndMeetingAttendanceRate:       {"Rata de participare la ședințe", "Meeting attendance rate", "Ülésrészvételi arány"},
	IndMotionsPassed:               {"Moțiuni adoptate", "Motions passed", "Elfogadott indítványok"},
	IndChildrenReached:             {"Copii participanți", "Children reached", "Elért gyermekek"},
	IndChildrenUrban:               {"Copii din mediul urban", "Children, urban", "Gyermekek, városi"},
	IndChildrenRural:               {"Copii din mediul rural", "Children, rural", "Gyermekek, vidéki"},
}

var prefixLabels = map[string]tr{
	IndChildrenByAge:             {"Copii, %s", "Children, %s", "Gyermekek, %s"},
	IndChildrenByGender:          {"Copii, %s", "Children, %s", "Gyermekek, %s"},
	IndGroupFacts:                {"Copii în grup: %s", "Children in groups: %s", "Gyermekek a csoportokban: %s"},
	IndAdaptations:               {"Sesiuni adaptate: %s", "Sessions adapted: %s", "Akadálymentesített alkalmak: %s"},
	IndRepresentativeness:        {"Reprezentativitate, %s", "Representativeness, %s", "Reprezentativitás, %s"},
	IndRepresentativenessWarning: {"Sub-reprezentare, %s", "Under-reached, %s", "Alulreprezentált, %s"},
}

var valueLabels = map[string]tr{
	string(AgeUnder10): {"sub 10 ani", "under 10", "10 év alatt"},
	string(Age10to12):  {"10–12 ani", "10–12", "10–12 év"},
	string(Age13to15):  {"13–15 ani", "13–15", "13–15 év"},
	string(Age16to18):  {"16–18 ani", "16–18", "16–18 év"},

	string(GenderGirl):           {"fete", "girls", "lányok"},
	string(GenderBoy):            {"băieți", "boys", "fiúk"},
	string(GenderOther):          {"alt gen", "another gender", "más nem"},
	string(GenderPreferNotToSay): {"nu au spus", "preferred not to say", "nem kívánta megadni"},

	string(GroupRoma):        {"din comunități de romi", "from Roma communities", "roma közösségekből"},
	string(GroupDisability):  {"cu dizabilități", "with disabilities", "fogyatékossággal élők"},
	string(GroupRural):       {"din mediul rural", "from rural areas", "vidékiek"},
	string(GroupInCare):      {"din sistemul de protecție", "in care", "gondoskodásban élők"},
	string(GroupOutOfSchool): {"care nu merg la școală", "out of school", "iskolán kívüliek"},
	string(GroupRefugee):     {"refugiați", "refugees", "menekültek"},

	string(AdaptEasyRead):        {"text ușor de citit", "easy read", "könnyen érthető szöveg"},
	string(AdaptSignLanguage):    {"limbaj mimico-gestual", "sign language", "jelnyelv"},
	string(AdaptLanguageSupport): {"sprijin lingvistic", "language support", "nyelvi támogatás"},
	string(AdaptAssistiveTech):   {"tehnologie asistivă", "assistive technology", "segítő technológia"},
	string(AdaptAccessibleVenue): {"loc accesibil", "accessible venue", "akadálymentes helyszín"},
	string(AdaptSharedDevices):   {"dispozitive comune", "shared devices", "közös eszközök"},
}

// stageLabels are the stages' names as the adults' pages show them (the adults'
// dictionaries' stage.* keys), so that an export says what the page says.
var stageLabels = map[Stage]tr{
	StageInterested:        {"interes exprimat", "interested", "érdeklődés"},
	StageMemorandumSigned:  {"memorandum semnat", "memorandum signed", "aláírt együttműködési megállapodás"},
	StageSituationAnalysis: {"analiza situației", "situation analysis", "helyzetelemzés"},
	StageActionPlanAdopted: {"plan de acțiune adoptat", "action plan adopted", "elfogadott cselekvési terv"},
	StageImplementation:    {"implementare", "implementation", "megvalósítás"},
	StageEvaluation:        {"evaluare", "evaluation", "értékelés"},
	StageRecognised:        {"recunoaștere", "recognised", "elismerés"},
	StagePaused:            {"în pauză", "paused", "szünetel"},
	StageNone:              {"neînscris", "not enrolled", "nem csatlakozott"},
}

var reportWords = map[string]tr{
	"siruta":       {"Cod SIRUTA", "SIRUTA code", "SIRUTA-kód"},
	"name":         {"Unitate administrativ-teritorială", "Municipality", "Közigazgatási egység"},
	"county":       {"Județ", "County", "Megye"},
	"urban":        {"Mediu", "Urban or rural", "Település típusa"},
	"urbanYes":     {"urban", "urban", "városi"},
	"urbanNo":      {"rural", "rural", "vidéki"},
	"stage":        {"Etapa CFCI", "CFCI stage", "CFCI-szakasz"},
	"enrolled":     {"Înscrisă", "Enrolled", "Csatlakozott"},
	"yes":          {"da", "yes", "igen"},
	"no":           {"nu", "no", "nem"},
	"code":         {"Indicativ", "Code", "Jelölés"},
	"enrolledN":    {"Localități înscrise", "Municipalities enrolled", "Csatlakozott települések"},
	"period":       {"Perioada", "Period", "Időszak"},
	"value":        {"Valoare", "Value", "Érték"},
	"national":     {"România", "Romania", "Románia"},
	"titleMun":     {"Localitățile, %s", "Municipalities, %s", "Települések, %s"},
	"titleCounty":  {"Județele, %s", "Counties, %s", "Megyék, %s"},
	"titleTrend":   {"Evoluție: %s", "Trend: %s", "Alakulás: %s"},
	"titleOne":     {"%s, %s", "%s, %s", "%s, %s"},
	"indicator":    {"Indicator", "Indicator", "Mutató"},
	"noteRelease":  {"Cifrele despre copii provin din ediția %d a publicării pentru %s (%s).", "Children's figures come from version %d of the release for %s (%s).", "A gyermekekre vonatkozó adatok a(z) %[2]s időszak kiadásának %[1]d. változatából származnak (%[3]s)."},
	"releaseName":  {"%s, ediția %d din %s", "%s, version %d of %s", "%s, %d. változat, %s"},
	"noteNoRel":    {"Pentru această perioadă nu a fost publicată nicio ediție: cifrele despre copii lipsesc.", "No release is published for this period: children's figures are left out.", "Erre az időszakra nincs közzétett kiadás: a gyermekekre vonatkozó adatok hiányoznak."},
	"noteHidden":   {"Celulele marcate „%s” sunt ascunse ca niciun număr să nu poată identifica un copil (numere mici și celule din care acestea s-ar putea deduce).", "Cells marked “%s” are hidden so that no number can identify a child (small counts, and cells they could be worked out from).", "A(z) „%s” jelölésű cellák el vannak rejtve, hogy egyetlen szám se azonosíthasson gyermeket (kis számok és azok a cellák, amelyekből kikövetkeztethetők)."},
	"noteActivity": {"Activitatea (sesiuni, consultări, hotărâri) este numărată din înregistrările platformei, la zi.", "Activity (sessions, consultations, decisions) is counted from the platform's records, up to date.", "A tevékenységet (alkalmak, konzultációk, döntések) a platform nyilvántartásaiból számoljuk, naprakészen."},
	"noteNYR":      {"„%s”: sursa acestui indicator nu există încă în platformă.", "“%s”: the source of this indicator does not exist in the platform yet.", "„%s”: ennek a mutatónak a forrása még nem létezik a platformon."},
	"noteRepr":     {"Reprezentativitatea este raportul dintre copiii participanți și populația de copii declarată de localitate pe grupe de vârstă; o grupă atinsă în proporție mai mică de jumătate din media localității este marcată ca sub-reprezentată.", "Representativeness is children reached over the child population the municipality declares, per age band; a band reached at less than half the municipality's overall rate is marked under-reached.", "A reprezentativitás az elért gyermekek és a település által bejelentett gyermeklétszám aránya korcsoportonként; az a korcsoport, amelyet a település átlagos arányának felénél kisebb mértékben értek el, alulreprezentáltként van jelölve."},
}

// IndicatorLabel is the column label of an indicator key in lang.
func IndicatorLabel(key string, lang Lang) string {
	if t, ok := indicatorLabels[key]; ok {
		return t.in(lang)
	}
	for prefix, t := range prefixLabels {
		if rest, ok := cutPrefix(key, prefix); ok {
			v := rest
			if l, ok := valueLabels[rest]; ok {
				v = l.in(lang)
			}
			return fmt.Sprintf(t.in(lang), v)
		}
	}
	return key
}

func cutPrefix(s, prefix string) (string, bool) {
	if len(s) > len(prefix) && s[:len(prefix)] == prefix {
		return s[len(prefix):], true
	}
	return "", false
}

// StageLabel is a stage's name in lang.
func StageLabel(s Stage, lang Lang) string {
	if t, ok := stageLabels[s]; ok {
		return t.in(lang)
	}
	return string(s)
}

func word(key string, lang Lang) string { return reportWords[key].in(lang) }
