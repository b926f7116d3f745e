package voci

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"io"
	"strconv"
	"strings"
	"time"
)

// Receipt codes. A child who took part gets a code with which, later and without an account,
// they can see what the council decided about what children said (the /r page). The code
// names the consultation only: nothing in it, or in what Voci keeps about it, leads to the
// child or to their answers.
//
// A code is 10 characters of Crockford's base32 (https://www.crockford.com/base32.html),
// 50 bits, then one check character: Crockford's check symbol, the value of the 50-bit
// number modulo 37, written with the 32 digits and the five extra symbols * ~ $ = U (for 32
// to 36). Since 37 is prime and divides neither 32ⁱ nor any difference of two digits, a single
// wrong character changes the value modulo 37; two swapped neighbours a, b change it by
// (a−b)·31·32ⁱ, which 37 does not divide either. So every single substitution and every
// transposition of two adjacent characters (the check character included) is caught
// before the store is asked.

// Errors of receipt codes.
const (
	// ERECEIPTNOTFOUND answers any code that is well formed but not Voci's: the message tells
	// nothing of whether such a code exists.
	ERECEIPTNOTFOUND = "receipt_not_found"
	// ERECEIPTCODEINVALID answers text that cannot be a receipt code (a mistyped character
	// the check symbol caught): anyone can work that out without asking Voci, so saying it
	// reveals nothing and helps a child who copied the code by hand.
	ERECEIPTCODEINVALID = "receipt_code_invalid"
	// ERECEIPTFEEDBACKNOTPUBLISHED answers an answer back before the council's answer is out.
	ERECEIPTFEEDBACKNOTPUBLISHED = "receipt_feedback_not_published"
	// ERECEIPTANSWERED answers a second answer back with the same receipt.
	ERECEIPTANSWERED = "receipt_already_answered"
)

const (
	crockfordDigits = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	crockfordCheck  = crockfordDigits + "*~$=U"
	// ReceiptCodeLength is the length of a code without separators: ten digits and the check.
	ReceiptCodeLength = 11
	receiptCodeBits   = 50
)

// ReceiptCode is a receipt code in its canonical form: eleven upper-case characters, no
// separators.
type ReceiptCode string

// Grouped writes the code as people read it: "7KQ4-M2XD-9PF".
func (c ReceiptCode) Grouped() string {
	s := string(c)
	if len(s) != ReceiptCodeLength {
		return s
	}
	return s[:4] + "-" + s[4:8] + "-" + s[8:]
}

// receiptCodeOf writes the low 50 bits of v as a code.
func receiptCodeOf(v uint64) ReceiptCode {
	v &= 1<<receiptCodeBits - 1
	var b [ReceiptCodeLength]byte
	for i := 9; i >= 0; i-- {
		b[i] = crockfordDigits[(v>>(5*(9-i)))&31]
	}
	b[10] = crockfordCheck[v%37]
	return ReceiptCode(b[:])
}

// crockfordValue reads one character as Crockford says: case does not matter, I and L are
// 1, O is 0. U is no digit (it is a check symbol only). It returns -1 for anything else.
func crockfordValue(r byte) int {
	if r >= 'a' && r <= 'z' {
		r -= 'a' - 'A'
	}
	switch r {
	case 'I', 'L':
		return 1
	case 'O':
		return 0
	}
	return strings.IndexByte(crockfordDigits, r)
}

// ParseReceiptCode reads a code as a child may type it: lower case, hyphens and spaces
// anywhere, I or L for 1, O for 0. ERECEIPTCODEINVALID when it is not eleven characters or
// its check character does not match.
func ParseReceiptCode(s string) (ReceiptCode, error) {
	invalid := &Error{Code: ERECEIPTCODEINVALID, Param: "code",
		Message: "This is not a receipt code. Check each character and try again."}
	if len(s) > 64 {
		return "", invalid
	}
	var chars []byte
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '-', ' ', '\t':
			continue
		}
		chars = append(chars, s[i])
	}
	if len(chars) != ReceiptCodeLength {
		return "", invalid
	}
	var v uint64
	for _, ch := range chars[:10] {
		d := crockfordValue(ch)
		if d < 0 {
			return "", invalid
		}
		v = v<<5 | uint64(d)
	}
	check := chars[10]
	if check >= 'a' && check <= 'z' {
		check -= 'a' - 'A'
	}
	want := crockfordCheck[v%37]
	if d := crockfordValue(check); d >= 0 {
		check = crockfordDigits[d] // i, l, o read as digits in the check place too
	}
	if check != want {
		return "", invalid
	}
	return receiptCodeOf(v), nil
}

// NewReceiptCode draws a code's 50 bits from random (crypto/rand.Reader in production; a
// test may give a fixed stream).
func NewReceiptCode(random io.Reader) (ReceiptCode, error) {
	var b [8]byte
	if _, err := io.ReadFull(random, b[:]); err != nil {
		return "", err
	}
	return receiptCodeOf(binary.BigEndian.Uint64(b[:]) >> (64 - receiptCodeBits)), nil
}

// Receipt is what Voci keeps of one receipt code: the hash of the code, which consultation it
// names, and what the national reports count. It holds no participant, answer, session or
// time of day: the day it was issued is enough to count receipts by month.
type Receipt struct {
	Hash           string // ReceiptHash of the code; the record's identity
	ConsultationID string
	Municipality   int       // SIRUTA code of the consultation's municipality
	IssuedOn       time.Time // the UTC day, at midnight
	Lang           Lang      // the child's language, for the /r page
	// OpenedAfterFeedbackOn is the UTC day the code was first looked up after the
	// consultation's feedback was published; zero until then. A receipt counts once.
	OpenedAfterFeedbackOn time.Time
	// AnsweredBack says the receipt has been used to answer back, so that it answers once.
	// What it answered is counted per consultation, never kept here.
	AnsweredBack bool
}

// Clarity and Agreement are a child's answer back on the council's answer.
type (
	Clarity   string
	Agreement string
)

const (
	Clear    Clarity   = "clear"
	NotClear Clarity   = "not_clear"
	Agree    Agreement = "agree"
	Disagree Agreement = "disagree"
)

// ReceiptAnswerBack is one answer back: either part may be left out, not both.
type ReceiptAnswerBack struct {
	Clarity   Clarity   // "" when not answered
	Agreement Agreement // "" when not answered
}

// Validate returns EINVALID for unknown values or an empty answer.
func (a ReceiptAnswerBack) Validate() error {
	switch a.Clarity {
	case "", Clear, NotClear:
	default:
		return InvalidParam("clarity", "Answer clear or not_clear.")
	}
	switch a.Agreement {
	case "", Agree, Disagree:
	default:
		return InvalidParam("agreement", "Answer agree or disagree.")
	}
	if a.Clarity == "" && a.Agreement == "" {
		return InvalidParam("clarity", "Say whether the answer is clear, or whether you agree.")
	}
	return nil
}

// ReceiptCounts are one consultation's receipt figures for the national reports. They are
// activity counts, totals over the consultation, with no breakdown by any trait of a child.
type ReceiptCounts struct {
	Issued              int
	OpenedAfterFeedback int
	Clear               int
	NotClear            int
	Agree               int
	Disagree            int
}

// ReceiptStore keeps receipts by the hash of their code, and the answer-back tallies per
// consultation.
type ReceiptStore interface {
	// IssueReceipt stores r unless a receipt with its hash exists, and returns the receipt
	// stored under the hash and whether it was stored now. Issuing twice is harmless.
	IssueReceipt(ctx context.Context, r *Receipt) (*Receipt, bool, error)
	// FindReceiptByHash returns ENOTFOUND when no receipt has that hash.
	FindReceiptByHash(ctx context.Context, hash string) (*Receipt, error)
	// MarkReceiptOpenedAfterFeedback records, once, the day a receipt was first opened after
	// its consultation's feedback was published, in one conditional write; it reports
	// whether this call recorded it. ENOTFOUND for an unknown hash.
	MarkReceiptOpenedAfterFeedback(ctx context.Context, hash string, on time.Time) (bool, error)
	// RecordReceiptAnswerBack marks the receipt answered and adds a to its consultation's
	// tallies. ENOTFOUND for an unknown hash, ERECEIPTANSWERED when the receipt has already
	// answered (then nothing is counted). The receipt keeps only that it answered.
	RecordReceiptAnswerBack(ctx context.Context, hash string, a ReceiptAnswerBack) error
	// CountReceipts returns the consultation's receipt figures (zero for one without any).
	CountReceipts(ctx context.Context, consultationID string) (ReceiptCounts, error)
}

// FeedbackPublication says whether, and since when, a consultation's feedback to children is
// published. Receipts ask it; Feedbacks answers it.
type FeedbackPublication interface {
	// FeedbackPublishedAt returns when the consultation's feedback was published, and false
	// while it is not.
	FeedbackPublishedAt(ctx context.Context, consultationID string) (time.Time, bool, error)
}

// NoFeedbackYet is a FeedbackPublication under which no consultation has published feedback.
type NoFeedbackYet struct{}

// FeedbackPublishedAt always answers "not published".
func (NoFeedbackYet) FeedbackPublishedAt(context.Context, string) (time.Time, bool, error) {
	return time.Time{}, false, nil
}

// ReceiptStores is what receipts read and write.
type ReceiptStores interface {
	ReceiptStore
	ConsultationStore
	MunicipalityStore
}

// Receipts issues receipt codes and answers their lookups.
//
// A code is kept only as an HMAC-SHA256 under a key derived from VOCI_SECRET_KEY, not as a
// plain SHA-256: fifty bits can be searched offline (2⁵⁰ SHA-256 runs take a graphics card
// hours), so with a plain hash a copy of the database would give away every code. With the
// key, a copy of the database alone reveals none.
//
// A child's code is derived from their participant token (HMAC under a second key), so the
// end screen shown again, on a reload or after the device forgot it, gets the same code and
// one child gets one receipt, while Voci keeps nothing that ties the receipt to the child:
// the store holds only the token's SHA-256, from which the token cannot be found, so not
// even someone holding the database and the secret key can compute a child's code.
type Receipts struct {
	Store    ReceiptStores
	Feedback FeedbackPublication
	Clock    Clock
	Random   io.Reader // for codes not tied to a token; crypto/rand.Reader by default
	hashKey  []byte
	codeKey  []byte
}

// NewReceipts returns receipts keyed by secret (VOCI_SECRET_KEY). Until Feedback is set, no
// consultation's feedback counts as published.
func NewReceipts(store ReceiptStores, secret []byte) *Receipts {
	return &Receipts{Store: store, Clock: time.Now, Random: rand.Reader,
		hashKey: deriveKey(secret, "voci/receipt-code-hash"), codeKey: deriveKey(secret, "voci/receipt-code-from-token")}
}

// feedback is r.Feedback, or NoFeedbackYet while none is set.
func (r *Receipts) feedback() FeedbackPublication {
	if r.Feedback == nil {
		return NoFeedbackYet{}
	}
	return r.Feedback
}

func deriveKey(secret []byte, label string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(label))
	return m.Sum(nil)
}

// ReceiptHash is the hash under which a code is stored.
func (r *Receipts) ReceiptHash(code ReceiptCode) string {
	m := hmac.New(sha256.New, r.hashKey)
	m.Write([]byte(code))
	return hex.EncodeToString(m.Sum(nil))
}

func (r *Receipts) codeFromToken(token string, attempt int) ReceiptCode {
	m := hmac.New(sha256.New, r.codeKey)
	m.Write([]byte(strconv.Itoa(attempt) + "\x00" + token))
	return receiptCodeOf(binary.BigEndian.Uint64(m.Sum(nil)) >> (64 - receiptCodeBits))
}

// maxCodeCollisions bounds the codes tried for one child: two children of different
// consultations share a code with a chance of 1 in 2⁵⁰ per pair.
const maxCodeCollisions = 4

// IssueForParticipant returns the receipt code of the child holding token (a live or
// self-paced participant token, already checked by the caller) in consultation c, storing
// its receipt the first time. The same token always gets the same code.
func (r *Receipts) IssueForParticipant(ctx context.Context, token string, c *Consultation, lang Lang) (ReceiptCode, error) {
	for attempt := range maxCodeCollisions {
		code := r.codeFromToken(token, attempt)
		stored, _, err := r.Store.IssueReceipt(ctx, r.newReceipt(code, c, lang))
		if err != nil {
			return "", err
		}
		if stored.ConsultationID == c.ID {
			return code, nil
		}
		// Another consultation's child drew this code: derive the next one.
	}
	return "", Errorf(EINTERNAL, "no free receipt code")
}

// Issue stores a receipt with a random code for consultation c (demo content, paper forms).
func (r *Receipts) Issue(ctx context.Context, c *Consultation, lang Lang) (ReceiptCode, error) {
	for range maxCodeCollisions {
		code, err := NewReceiptCode(r.Random)
		if err != nil {
			return "", err
		}
		if _, isNew, err := r.Store.IssueReceipt(ctx, r.newReceipt(code, c, lang)); err != nil {
			return "", err
		} else if isNew {
			return code, nil
		}
	}
	return "", Errorf(EINTERNAL, "no free receipt code")
}

func (r *Receipts) newReceipt(code ReceiptCode, c *Consultation, lang Lang) *Receipt {
	return &Receipt{Hash: r.ReceiptHash(code), ConsultationID: c.ID, Municipality: c.Municipality,
		IssuedOn: utcDay(r.Clock()), Lang: lang}
}

func utcDay(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// ReceiptLookup is what a receipt opens: the consultation it names, and whether the council's
// answer to the children is out. Never who had the code, nor when they took part.
type ReceiptLookup struct {
	Consultation        *Consultation
	Municipality        *Municipality
	Lang                Lang // the language the receipt was issued in
	FeedbackPublished   bool
	FeedbackPublishedAt time.Time
}

// Lookup opens a receipt by the code a child typed or scanned. It returns ERECEIPTCODEINVALID
// for text that cannot be a code and ERECEIPTNOTFOUND for a code Voci did not issue. A wrong
// code and a right one cost the same work (a hash, then one read each of the receipt, its
// consultation, its municipality and the feedback state), so the time of an answer does not
// tell them apart. The first lookup after feedback is published is counted (once per receipt).
func (r *Receipts) Lookup(ctx context.Context, raw string) (*ReceiptLookup, error) {
	code, err := ParseReceiptCode(raw)
	if err != nil {
		return nil, err
	}
	rec, err := r.Store.FindReceiptByHash(ctx, r.ReceiptHash(code))
	found := err == nil
	if err != nil && ErrorCode(err) != ENOTFOUND {
		return nil, err
	}
	consultationID, siruta := "-", 0
	if found {
		consultationID, siruta = rec.ConsultationID, rec.Municipality
	}
	cons, consErr := r.Store.FindConsultationByID(ctx, consultationID)
	mun, munErr := r.Store.FindMunicipalityBySIRUTA(ctx, siruta)
	publishedAt, published, fbErr := r.feedback().FeedbackPublishedAt(ctx, consultationID)
	if !found {
		return nil, receiptNotFound()
	}
	for _, e := range []error{consErr, munErr, fbErr} {
		if ErrorCode(e) == ENOTFOUND {
			return nil, receiptNotFound() // a receipt of a consultation since deleted
		} else if e != nil {
			return nil, e
		}
	}
	now := r.Clock()
	if published && !now.Before(publishedAt) && rec.OpenedAfterFeedbackOn.IsZero() {
		if _, err := r.Store.MarkReceiptOpenedAfterFeedback(ctx, rec.Hash, utcDay(now)); err != nil {
			return nil, err
		}
	}
	return &ReceiptLookup{Consultation: cons, Municipality: mun, Lang: rec.Lang,
		FeedbackPublished: published && !now.Before(publishedAt), FeedbackPublishedAt: publishedAt}, nil
}

func receiptNotFound() error {
	return Errorf(ERECEIPTNOTFOUND, "We could not open this code. Check it and try again, or ask the adult who gave it to you.")
}

// AnswerBack records a child's answer back on the council's answer, once per receipt, and only
// once the consultation's feedback is published. It returns the errors of Lookup's first
// steps, EINVALID for an empty or unknown answer, ERECEIPTFEEDBACKNOTPUBLISHED before the
// feedback is out and ERECEIPTANSWERED for a receipt that has answered already.
func (r *Receipts) AnswerBack(ctx context.Context, raw string, a ReceiptAnswerBack) error {
	if err := a.Validate(); err != nil {
		return err
	}
	code, err := ParseReceiptCode(raw)
	if err != nil {
		return err
	}
	rec, err := r.Store.FindReceiptByHash(ctx, r.ReceiptHash(code))
	if ErrorCode(err) == ENOTFOUND {
		return receiptNotFound()
	} else if err != nil {
		return err
	}
	publishedAt, published, err := r.feedback().FeedbackPublishedAt(ctx, rec.ConsultationID)
	if err != nil {
		return err
	}
	if !published || r.Clock().Before(publishedAt) {
		return Errorf(ERECEIPTFEEDBACKNOTPUBLISHED, "The council has not answered yet. You can say what you think once it has.")
	}
	if rec.AnsweredBack {
		return receiptAnswered()
	}
	err = r.Store.RecordReceiptAnswerBack(ctx, rec.Hash, a)
	if ErrorCode(err) == ENOTFOUND {
		return receiptNotFound()
	}
	return err
}

func receiptAnswered() error {
	return Errorf(ERECEIPTANSWERED, "You have already said what you think with this code. Thank you!")
}

// ReceiptAnsweredError is the error a store returns for a receipt that has answered back.
func ReceiptAnsweredError() error { return receiptAnswered() }

// Counts returns a consultation's receipt figures for the national reports: receipts issued,
// opened after its feedback was published, and the answers back. They are activity totals
// over the consultation, never broken down by any trait of a child.
func (r *Receipts) Counts(ctx context.Context, consultationID string) (ReceiptCounts, error) {
	return r.Store.CountReceipts(ctx, consultationID)
}
