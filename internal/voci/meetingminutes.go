package voci

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// MeetingEventKind is what happened in a meeting, as its event log records it.
type MeetingEventKind string

const (
	EventMeetingOpened   MeetingEventKind = "meeting_opened"
	EventMeetingClosed   MeetingEventKind = "meeting_closed"
	EventCheckIn         MeetingEventKind = "check_in"
	EventCheckOut        MeetingEventKind = "check_out"
	EventItemStarted     MeetingEventKind = "item_started"
	EventFloorGiven      MeetingEventKind = "floor_given"
	EventMotionSubmitted MeetingEventKind = "motion_submitted" // a motion or an amendment
	EventMotionMoved     MeetingEventKind = "motion_moved"     // to State, by Member ("" by a vote's result)
	EventVoteOpened      MeetingEventKind = "vote_opened"
	EventVoteClosed      MeetingEventKind = "vote_closed"
	EventNote            MeetingEventKind = "note"
)

// MeetingEvent is one entry of a meeting's event log. Only the fields of its kind are set.
// Members are named by ID: names are looked up when the minutes are drafted, so a member
// who has left the council since appears as "a former member". No event records a ballot:
// a vote's log is its opening and its close, and a secret vote's close holds no choice per
// member.
type MeetingEvent struct {
	At     time.Time
	Kind   MeetingEventKind
	Member string // check-in/out, floor, the proposer of a motion, who moved it
	Remote bool   // check-in: taking part from elsewhere
	// Item is the agenda item's position (from 1), ItemKind "information", "discussion" or
	// "decision"; Title is the item's title, or a motion's.
	Item     int
	ItemKind string
	Title    string
	Text     string // a motion's wording, a secretary's note
	Motion   string // a motion's number
	Amends   string // motion_submitted: the number of the motion an amendment changes
	Hand     HandKind
	State    MotionState // motion_moved
	Spec     VoteSpec    // vote_opened
	Vote     *ClosedVote // vote_closed
}

// MinutesMember is a member whose name may appear in the minutes: a member of the council at
// the time the minutes are drafted.
type MinutesMember struct {
	ID   string
	Name string
	Role CouncilRole
}

// Minutes is the draft of a meeting's record, built from its event log. The secretary edits
// it; Markdown writes it out. An empty Name anywhere in it is a former member.
type Minutes struct {
	Council string
	Opened  time.Time
	Closed  time.Time // zero while the meeting runs
	Present []MinutesAttendee
	Absent  []string // members in office who never checked in, by name
	Items   []MinutesItem
}

// MinutesAttendee is one member who checked in.
type MinutesAttendee struct {
	Name    string // "" for a former member
	Role    CouncilRole
	Remote  bool
	Arrived time.Time
	Left    time.Time // zero when they stayed to the end
}

// MinutesItem is one agenda item and what happened under it. Number 0 holds what happened
// before the first item.
type MinutesItem struct {
	Number    int
	Title     string
	Kind      string
	StartedAt time.Time
	Speakers  []MinutesSpeech
	Motions   []MinutesMotion
	Votes     []MinutesVote // votes on no motion
	Notes     []string
}

// MinutesSpeech is one turn at the floor.
type MinutesSpeech struct {
	At   time.Time
	Name string
	Hand HandKind
}

// MinutesMotion is a motion as the meeting left it.
type MinutesMotion struct {
	Number   string
	Amends   string
	Title    string
	Text     string // the last wording, after any adopted amendment
	Proposer string
	Seconder string
	Seconded bool
	// CarriedOver is a motion submitted at an earlier meeting and taken up in this one.
	CarriedOver bool
	State       MotionState
	Votes       []MinutesVote
}

// MinutesVote is a closed vote: its rules, its result and, for a named vote, how each member
// voted. A secret vote has no Ballots.
type MinutesVote struct {
	At      time.Time
	Subject string // what a vote on no motion was about
	Spec    VoteSpec
	Result  VoteResult
	Ballots []MinutesBallot
}

// MinutesBallot is one member's choice in a named vote.
type MinutesBallot struct {
	Name   string
	Choice BallotChoice
}

// DraftMinutes builds the minutes of a meeting from its event log, in the log's order.
// members are the council's members now, with their names; anyone else in the log is a
// former member and is not named. A member in members who never checked in is absent.
func DraftMinutes(council string, members []MinutesMember, events []MeetingEvent) Minutes {
	byID := make(map[string]MinutesMember, len(members))
	for _, m := range members {
		byID[m.ID] = m
	}
	name := func(id string) string { return byID[id].Name }
	out := Minutes{Council: council}
	if len(events) > 0 {
		out.Opened = events[0].At
	}
	attendance := map[string]*MinutesAttendee{}
	var order []string
	item := &MinutesItem{}
	motionAt := map[string][2]int{} // number → item index (-1: the preamble), motion index
	var items []*MinutesItem
	items = append(items, item)
	addMotion := func(m MinutesMotion) {
		item.Motions = append(item.Motions, m)
		motionAt[m.Number] = [2]int{len(items) - 1, len(item.Motions) - 1}
	}
	// motionOf finds a motion, starting the record of one carried over from an earlier
	// meeting when this meeting first touches it.
	motionOf := func(e MeetingEvent) *MinutesMotion {
		if e.Motion == "" {
			return nil
		}
		if _, ok := motionAt[e.Motion]; !ok {
			addMotion(MinutesMotion{Number: e.Motion, Amends: e.Amends, Title: e.Title, Text: e.Text, CarriedOver: true, State: cmp.Or(e.State, MotionVoting)})
		}
		at := motionAt[e.Motion]
		return &items[at[0]].Motions[at[1]]
	}
	for _, e := range events {
		switch e.Kind {
		case EventMeetingOpened:
			out.Opened = e.At
		case EventMeetingClosed:
			out.Closed = e.At
		case EventCheckIn:
			a := attendance[e.Member]
			if a == nil {
				a = &MinutesAttendee{Name: name(e.Member), Role: byID[e.Member].Role, Arrived: e.At}
				attendance[e.Member] = a
				order = append(order, e.Member)
			}
			a.Remote, a.Left = e.Remote, time.Time{}
		case EventCheckOut:
			if a := attendance[e.Member]; a != nil {
				a.Left = e.At
			}
		case EventItemStarted:
			item = &MinutesItem{Number: e.Item, Title: e.Title, Kind: e.ItemKind, StartedAt: e.At}
			items = append(items, item)
		case EventFloorGiven:
			item.Speakers = append(item.Speakers, MinutesSpeech{At: e.At, Name: name(e.Member), Hand: e.Hand})
		case EventMotionSubmitted:
			addMotion(MinutesMotion{
				Number: e.Motion, Amends: e.Amends, Title: e.Title, Text: e.Text,
				Proposer: name(e.Member), State: MotionSubmitted,
			})
		case EventMotionMoved:
			if m := motionOf(e); m != nil {
				m.State = e.State
				// An adopted amendment changes the wording: the minutes keep the last one.
				m.Title, m.Text = cmp.Or(e.Title, m.Title), cmp.Or(e.Text, m.Text)
				if e.State == MotionSeconded {
					m.Seconder, m.Seconded = name(e.Member), true
				}
			}
		case EventVoteClosed:
			if e.Vote == nil {
				continue
			}
			v := MinutesVote{At: e.At, Spec: e.Vote.Spec, Result: e.Vote.Result}
			if e.Motion == "" {
				v.Subject = e.Title
			}
			for _, b := range e.Vote.Ballots {
				v.Ballots = append(v.Ballots, MinutesBallot{Name: name(b.Member), Choice: b.Choice})
			}
			slices.SortStableFunc(v.Ballots, func(a, b MinutesBallot) int { return compareNames(a.Name, b.Name) })
			if m := motionOf(e); m != nil {
				m.Votes = append(m.Votes, v)
			} else {
				item.Votes = append(item.Votes, v)
			}
		case EventNote:
			item.Notes = append(item.Notes, e.Text)
		}
	}
	for _, id := range order {
		a := *attendance[id]
		if !out.Closed.IsZero() && !a.Left.IsZero() && !a.Left.Before(out.Closed) {
			a.Left = time.Time{} // left with everyone at the close
		}
		out.Present = append(out.Present, a)
	}
	slices.SortStableFunc(out.Present, func(a, b MinutesAttendee) int { return compareNames(a.Name, b.Name) })
	for _, m := range members {
		if attendance[m.ID] == nil {
			out.Absent = append(out.Absent, m.Name)
		}
	}
	slices.SortFunc(out.Absent, compareNames)
	for _, it := range items {
		if it.Number == 0 && len(it.Speakers)+len(it.Motions)+len(it.Votes)+len(it.Notes) == 0 {
			continue
		}
		out.Items = append(out.Items, *it)
	}
	return out
}

// compareNames sorts names alphabetically, former members ("") last.
func compareNames(a, b string) int {
	if (a == "") != (b == "") {
		if a == "" {
			return 1
		}
		return -1
	}
	return cmp.Compare(strings.ToLower(a), strings.ToLower(b))
}

// MinutesLanguages are the languages the minutes are written in, the default first.
var MinutesLanguages = []string{"ro", "en", "hu"}

// Markdown writes the minutes in lang ("ro", "en" or "hu"; anything else is Romanian) as
// Markdown that reads as plain text. Times are Romania's.
func (m Minutes) Markdown(lang string) string {
	w, ok := minutesWords[lang]
	if !ok {
		w = minutesWords["ro"]
	}
	say := func(key string, args ...any) string { return fmt.Sprintf(w[key], args...) }
	who := func(name string) string {
		if name == "" {
			return w["former"]
		}
		return name
	}
	// of is a motion's word, or an amendment's where the language makes them differ.
	of := func(mo MinutesMotion, key string) string {
		if v, ok := w["amendment."+key]; ok && mo.Amends != "" {
			return v
		}
		return w[key]
	}
	clock := func(t time.Time) string { return t.In(romania).Format("15:04") }
	var b strings.Builder
	line := func(s string) { b.WriteString(s); b.WriteByte('\n') }

	line("# " + say("title", m.Council))
	line("")
	when := say("date", m.Opened.In(romania).Format(time.DateOnly), clock(m.Opened))
	if !m.Closed.IsZero() {
		when += " " + say("closed", clock(m.Closed))
	}
	line(when)
	line("")
	line("## " + w["attendance"])
	line("")
	line(say("present", len(m.Present)))
	for _, a := range m.Present {
		s := "- " + who(a.Name)
		var notes []string
		if a.Role != CouncilRoleNone && a.Name != "" {
			notes = append(notes, w["role."+string(a.Role)])
		}
		if a.Remote {
			notes = append(notes, w["remote"])
		}
		notes = append(notes, say("arrived", clock(a.Arrived)))
		if !a.Left.IsZero() {
			notes = append(notes, say("left", clock(a.Left)))
		}
		line(s + " (" + strings.Join(notes, ", ") + ")")
	}
	line("")
	if len(m.Absent) == 0 {
		line(w["absent.none"])
	} else {
		line(say("absent", len(m.Absent)) + " " + strings.Join(m.Absent, ", "))
	}

	vote := func(v MinutesVote) {
		r := v.Result
		how := []string{w["majority."+string(r.Rule)]}
		if v.Spec.Secret {
			how = append(how, w["secret"])
		} else if !v.Spec.Method.ByHand() {
			how = append(how, w["named"])
		}
		how = append(how, w["method."+string(cmp.Or(v.Spec.Method, VoteElectronic))])
		line("")
		if v.Subject != "" {
			line(say("vote.on", clock(v.At), v.Subject, strings.Join(how, ", ")))
		} else {
			line(say("vote", clock(v.At), strings.Join(how, ", ")))
		}
		line("")
		line("- " + say("counts", r.Yes, r.No, r.Abstain, r.NotVoting, r.Absent))
		line("- " + say("quorum", r.Present, r.InOffice, r.Quorum.Needed(r.InOffice)))
		line("- " + say("needed", r.YesNeeded))
		line("- " + w["outcome."+string(r.Outcome)])
		if len(v.Ballots) > 0 {
			line("- " + w["ballots"])
			for _, bl := range v.Ballots {
				line("  - " + who(bl.Name) + ": " + w["choice."+string(bl.Choice)])
			}
		}
	}
	for _, it := range m.Items {
		line("")
		if it.Number == 0 {
			line("## " + w["preamble"])
		} else {
			head := fmt.Sprintf("## %d. %s", it.Number, it.Title)
			if k, ok := w["item."+it.Kind]; ok {
				head += " (" + k + ")"
			}
			line(head)
			line("")
			line(say("started", clock(it.StartedAt)))
		}
		if len(it.Speakers) > 0 {
			line("")
			line(w["speakers"])
			line("")
			for _, s := range it.Speakers {
				line(fmt.Sprintf("- %s %s (%s)", clock(s.At), who(s.Name), w["hand."+string(s.Hand)]))
			}
		}
		for _, mo := range it.Motions {
			line("")
			if mo.Amends != "" {
				line("### " + say("amendment", mo.Number, mo.Amends, mo.Title))
			} else {
				line("### " + say("motion", mo.Number, mo.Title))
			}
			line("")
			for _, l := range strings.Split(mo.Text, "\n") {
				line("> " + l)
			}
			line("")
			by := say("proposed", who(mo.Proposer))
			if mo.CarriedOver {
				by = of(mo, "carried")
			}
			if mo.Seconded {
				by += " " + say("seconded", who(mo.Seconder))
			}
			line(by)
			for _, v := range mo.Votes {
				vote(v)
			}
			line("")
			line(say("state", of(mo, "state."+string(mo.State))))
		}
		for _, v := range it.Votes {
			vote(v)
		}
		if len(it.Notes) > 0 {
			line("")
			line(w["notes"])
			line("")
			for _, n := range it.Notes {
				line("- " + strings.ReplaceAll(n, "\n", "\n  "))
			}
		}
	}
	return b.String()
}

// minutesWords are the minutes' words in each language. The minutes are a document for the
// town hall's file, not part of the interface, so their words live here with the layout.
var minutesWords = map[string]map[string]string{
	"ro": {
		"title":               "Proces-verbal — %s",
		"date":                "Ședința din %s, deschisă la ora %s,",
		"closed":              "închisă la ora %s.",
		"attendance":          "Prezență",
		"present":             "Prezenți (%d):",
		"absent":              "Absenți (%d):",
		"absent.none":         "Absenți: niciunul.",
		"arrived":             "sosire %s",
		"left":                "plecare %s",
		"remote":              "de la distanță",
		"former":              "un fost membru",
		"role.president":      "președinte",
		"role.vice_president": "vicepreședinte",
		"role.secretary":      "secretar",
		"preamble":            "Înainte de ordinea de zi",
		"started":             "Început la ora %s.",
		"item.information":    "informare",
		"item.discussion":     "dezbatere",
		"item.decision":       "decizie",
		"speakers":            "Au luat cuvântul:",
		"hand.contribution":   "intervenție",
		"hand.for":            "pentru",
		"hand.against":        "împotrivă",
		"hand.question":       "întrebare",
		"hand.point_of_order": "problemă de procedură",
		"motion":              "Propunerea %s: %s",
		"amendment":           "Amendamentul %s la propunerea %s: %s",
		"proposed":            "A propus: %s.",
		"carried":             "Depusă într-o ședință anterioară.",
		"seconded":            "A susținut: %s.",
		"state":               "Stare: %s.",
		"state.submitted":     "depusă",
		"state.seconded":      "susținută",
		"state.debated":       "dezbătută",
		"state.voting":        "la vot",
		"state.adopted":       "adoptată",
		"state.rejected":      "respinsă",
		"state.withdrawn":     "retrasă",
		"state.deferred":      "amânată",
		"state.referred":      "trimisă consiliului local",
		// An amendment (amendamentul) agrees in the masculine.
		"amendment.carried":         "Depus într-o ședință anterioară.",
		"amendment.state.submitted": "depus",
		"amendment.state.seconded":  "susținut",
		"amendment.state.debated":   "dezbătut",
		"amendment.state.adopted":   "adoptat",
		"amendment.state.rejected":  "respins",
		"amendment.state.withdrawn": "retras",
		"amendment.state.deferred":  "amânat",
		"amendment.state.referred":  "trimis consiliului local",
		"vote":                      "Vot la ora %s (%s):",
		"vote.on":                   "Vot la ora %s: „%s” (%s):",
		"majority.simple":           "majoritate simplă",
		"majority.absolute":         "majoritate absolută",
		"majority.two_thirds":       "majoritate de două treimi",
		"named":                     "vot nominal",
		"secret":                    "vot secret",
		"method.electronic":         "pe telefon",
		"method.show_of_hands":      "prin ridicarea mâinii",
		"method.paper":              "pe buletine de vot",
		"counts":                    "pentru %d, împotrivă %d, abțineri %d, nu au votat %d, absenți %d",
		"quorum":                    "prezenți %d din %d membri în funcție; cvorum: %d",
		"needed":                    "voturi „pentru” necesare: %d",
		"outcome.adopted":           "rezultat: s-a adoptat",
		"outcome.not_adopted":       "rezultat: nu s-a adoptat",
		"outcome.not_valid":         "rezultat: vot nevalabil, fără cvorum",
		"ballots":                   "cum a votat fiecare membru:",
		"choice.yes":                "pentru",
		"choice.no":                 "împotrivă",
		"choice.abstain":            "abținere",
		"notes":                     "Note:",
	},
	"en": {
		"title":                "Minutes — %s",
		"date":                 "Meeting of %s, opened at %s,",
		"closed":               "closed at %s.",
		"attendance":           "Attendance",
		"present":              "Present (%d):",
		"absent":               "Absent (%d):",
		"absent.none":          "Absent: none.",
		"arrived":              "arrived %s",
		"left":                 "left %s",
		"remote":               "remote",
		"former":               "a former member",
		"role.president":       "president",
		"role.vice_president":  "vice-president",
		"role.secretary":       "secretary",
		"preamble":             "Before the agenda",
		"started":              "Started at %s.",
		"item.information":     "information",
		"item.discussion":      "discussion",
		"item.decision":        "decision",
		"speakers":             "Speakers:",
		"hand.contribution":    "contribution",
		"hand.for":             "for",
		"hand.against":         "against",
		"hand.question":        "question",
		"hand.point_of_order":  "point of order",
		"motion":               "Motion %s: %s",
		"amendment":            "Amendment %s to motion %s: %s",
		"proposed":             "Proposed by %s.",
		"carried":              "Submitted at an earlier meeting.",
		"seconded":             "Seconded by %s.",
		"state":                "Status: %s.",
		"state.submitted":      "submitted",
		"state.seconded":       "seconded",
		"state.debated":        "debated",
		"state.voting":         "being voted on",
		"state.adopted":        "adopted",
		"state.rejected":       "rejected",
		"state.withdrawn":      "withdrawn",
		"state.deferred":       "deferred",
		"state.referred":       "referred to the local council",
		"vote":                 "Vote at %s (%s):",
		"vote.on":              "Vote at %s: “%s” (%s):",
		"majority.simple":      "simple majority",
		"majority.absolute":    "absolute majority",
		"majority.two_thirds":  "two-thirds majority",
		"named":                "named vote",
		"secret":               "secret vote",
		"method.electronic":    "on phones",
		"method.show_of_hands": "by show of hands",
		"method.paper":         "on paper ballots",
		"counts":               "yes %d, no %d, abstain %d, not voting %d, absent %d",
		"quorum":               "%d of %d members in office present; quorum: %d",
		"needed":               "yes votes needed: %d",
		"outcome.adopted":      "result: adopted",
		"outcome.not_adopted":  "result: not adopted",
		"outcome.not_valid":    "result: not valid, no quorum",
		"ballots":              "how each member voted:",
		"choice.yes":           "yes",
		"choice.no":            "no",
		"choice.abstain":       "abstain",
		"notes":                "Notes:",
	},
	"hu": {
		"title":                "Jegyzőkönyv — %s",
		"date":                 "Ülés: %s, megnyitva %s órakor,",
		"closed":               "bezárva %s órakor.",
		"attendance":           "Jelenlét",
		"present":              "Jelen voltak (%d):",
		"absent":               "Hiányoztak (%d):",
		"absent.none":          "Hiányzó: nincs.",
		"arrived":              "érkezett %s",
		"left":                 "távozott %s",
		"remote":               "távolról",
		"former":               "egy volt tag",
		"role.president":       "elnök",
		"role.vice_president":  "alelnök",
		"role.secretary":       "titkár",
		"preamble":             "A napirend előtt",
		"started":              "Kezdete: %s.",
		"item.information":     "tájékoztatás",
		"item.discussion":      "megbeszélés",
		"item.decision":        "döntés",
		"speakers":             "Felszólalók:",
		"hand.contribution":    "hozzászólás",
		"hand.for":             "mellette",
		"hand.against":         "ellene",
		"hand.question":        "kérdés",
		"hand.point_of_order":  "ügyrendi hozzászólás",
		"motion":               "Javaslat (%s): %s",
		"amendment":            "Módosító javaslat (%s), a(z) %s javaslathoz: %s",
		"proposed":             "Javasolta: %s.",
		"carried":              "Korábbi ülésen benyújtva.",
		"seconded":             "Támogatta: %s.",
		"state":                "Állapot: %s.",
		"state.submitted":      "benyújtva",
		"state.seconded":       "támogatva",
		"state.debated":        "megvitatva",
		"state.voting":         "szavazás alatt",
		"state.adopted":        "elfogadva",
		"state.rejected":       "elutasítva",
		"state.withdrawn":      "visszavonva",
		"state.deferred":       "elhalasztva",
		"state.referred":       "a helyi önkormányzati testülethez továbbítva",
		"vote":                 "Szavazás %s órakor (%s):",
		"vote.on":              "Szavazás %s órakor: „%s” (%s):",
		"majority.simple":      "egyszerű többség",
		"majority.absolute":    "abszolút többség",
		"majority.two_thirds":  "kétharmados többség",
		"named":                "név szerinti szavazás",
		"secret":               "titkos szavazás",
		"method.electronic":    "telefonon",
		"method.show_of_hands": "kézfeltartással",
		"method.paper":         "papíron",
		"counts":               "igen %d, nem %d, tartózkodott %d, nem szavazott %d, távol volt %d",
		"quorum":               "jelen volt %d a hivatalban lévő %d tagból; határozatképesség: %d",
		"needed":               "szükséges igen szavazat: %d",
		"outcome.adopted":      "eredmény: elfogadva",
		"outcome.not_adopted":  "eredmény: nem fogadták el",
		"outcome.not_valid":    "eredmény: érvénytelen, nem volt határozatképes",
		"ballots":              "név szerinti szavazatok:",
		"choice.yes":           "igen",
		"choice.no":            "nem",
		"choice.abstain":       "tartózkodott",
		"notes":                "Jegyzetek:",
	},
}
