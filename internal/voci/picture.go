package voci

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"
)

// Codes of refused pictures.
const (
	EPICTURETOOLARGE     = "picture_too_large"     // more bytes or pixels than a picture may have
	ENOTPICTURE          = "not_a_picture"         // the content is not a PNG, JPEG or WebP picture
	EPICTURETYPEMISMATCH = "picture_type_mismatch" // the declared type is not what the content is
)

// Limits of a picture. The byte limit is enforced while the upload is read; the pixel limit
// is checked on the picture's header, before it is decoded, so that a small file that would
// unpack into gigabytes (a decompression bomb) is refused without being unpacked.
const (
	MaxPictureBytes  = 5 << 20
	MaxPicturePixels = 24_000_000
	MaxPictureSide   = 10_000
	// MaxStoredPictureSide bounds the stored picture: larger ones are scaled down on the way
	// in, as no phone or projector needs more.
	MaxStoredPictureSide = 1920
	MaxPictureAlt        = 250
)

// PictureTypes are the types a picture may have on the way in.
var PictureTypes = []string{"image/png", "image/jpeg", "image/webp"}

// PictureWidths are the widths a picture is served at besides its own (?w=), for phones and
// projectors; each is made once and kept.
var PictureWidths = []int{320, 640, 960, 1280}

// Picture is a question's or an option's picture: the stored file, its size in pixels, and
// the short description that screen readers read in its place. The zero Picture is none.
type Picture struct {
	File   string
	Alt    string
	Width  int
	Height int
}

// IsZero reports whether there is no picture.
func (p Picture) IsZero() bool { return p.File == "" }

// StoredPicture is a picture checked and re-encoded (internal/picture), ready to store.
// Re-encoding keeps only the pixels: what a camera writes beside them (the place a photo was
// taken, the device, the time) is not stored, which matters when a photo shows children.
type StoredPicture struct {
	Data        []byte
	ContentType string
	Width       int
	Height      int
}

// ValidatePictureAlt returns EINVALID when a picture's description is missing or too long.
func ValidatePictureAlt(alt string) error {
	if strings.TrimSpace(alt) == "" {
		return InvalidParam("alt", "Describe the picture in a few words, for those who cannot see it.")
	}
	return ValidateText("alt", alt, 1, MaxPictureAlt)
}

// PictureWidth returns the width to serve for a requested width w (0 for the picture as
// stored): one of PictureWidths, never wider than the picture. EINVALID for another width.
func PictureWidth(w, own int) (int, error) {
	if w == 0 || w >= own {
		return 0, nil
	}
	if !slices.Contains(PictureWidths, w) {
		return 0, InvalidParam("w", "A picture is served %s pixels wide.", joinInts(PictureWidths))
	}
	return w, nil
}

// PictureVariantID is the file ID of a picture's copy w pixels wide.
func PictureVariantID(file string, w int) string { return fmt.Sprintf("%s-w%d", file, w) }

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ", ")
}

// Pictures returns the files of the question's pictures, its own first.
func (q *Question) Pictures() []string {
	var out []string
	if !q.Picture.IsZero() {
		out = append(out, q.Picture.File)
	}
	for _, o := range q.Options {
		if !o.Picture.IsZero() {
			out = append(out, o.Picture.File)
		}
	}
	return out
}

// withPicture returns a copy of q whose own picture (optionID "") or option's picture is p;
// ENOTFOUND when the question has no such option.
func (q *Question) withPicture(optionID string, p Picture) (Question, error) {
	next := *q
	next.Options = slices.Clone(q.Options)
	if optionID == "" {
		next.Picture = p
		return next, nil
	}
	for i := range next.Options {
		if next.Options[i].ID == optionID {
			next.Options[i].Picture = p
			return next, nil
		}
	}
	return next, &Error{Code: ENOTFOUND, Param: "optionId", Message: "The question has no such option."}
}

func (q *Question) pictureOf(optionID string) Picture {
	if optionID == "" {
		return q.Picture
	}
	o, _ := q.Option(optionID)
	return o.Picture
}

// keepPictures gives next the pictures q has for the same places: its own, and each option's
// by option ID. It returns the files of q's pictures that next no longer has (an option
// removed, a kind without options).
func keepPictures(q, next *Question) (dropped []string) {
	next.Picture = q.Picture
	kept := map[string]bool{}
	if !q.Picture.IsZero() {
		kept[q.Picture.File] = true
	}
	for i := range next.Options {
		if o, ok := q.Option(next.Options[i].ID); ok && !o.Picture.IsZero() {
			next.Options[i].Picture = o.Picture
			kept[o.Picture.File] = true
		}
	}
	for _, f := range q.Pictures() {
		if !kept[f] {
			dropped = append(dropped, f)
		}
	}
	return dropped
}

const frozenPictureMessage = "Children have seen this question, so its pictures cannot be added or replaced; a picture can still be removed."

// SetQuestionPicture stores pic as the question's own picture (optionID "") or an option's,
// described by alt, and writes the audit entry (nil for none) with the change. It replaces
// the picture there was, whose file is deleted. Once the question is frozen, pictures cannot
// be added or replaced (EFROZEN): a picture is part of what children answered. EINVALID for a
// missing description, ENOTFOUND for an unknown option, ECONFLICT when the consultation is
// closed.
func (p *Participation) SetQuestionPicture(ctx context.Context, c *Consultation, q *Question, optionID string, pic StoredPicture, alt string, audit *AuditEntry) (*Question, error) {
	if c.Status == StatusClosed {
		return nil, Errorf(ECONFLICT, "This consultation is closed and can no longer change.")
	}
	if err := ValidatePictureAlt(alt); err != nil {
		return nil, err
	}
	if q.Frozen {
		return nil, &Error{Code: EFROZEN, Param: "picture", Message: frozenPictureMessage}
	}
	if _, err := q.withPicture(optionID, Picture{}); err != nil {
		return nil, err
	}
	f := &File{ID: p.NewID(), Municipality: q.Municipality, Purpose: FilePicture, ContentType: pic.ContentType, CreatedAt: p.now()}
	if err := p.Store.PutFile(ctx, f, bytes.NewReader(pic.Data)); err != nil {
		return nil, err
	}
	out, err := p.changePicture(ctx, q, optionID, Picture{File: f.ID, Alt: strings.TrimSpace(alt), Width: pic.Width, Height: pic.Height}, audit)
	if err != nil {
		p.deletePictureFiles(ctx, f.ID)
		return nil, err
	}
	return out, nil
}

// RemoveQuestionPicture removes the question's own picture (optionID "") or an option's, and
// deletes its file, writing the audit entry (nil for none) with the change. A picture can be
// removed even once the question is frozen: one that should not be shown must be able to go.
// ENOTFOUND when there is no such option or no picture there.
func (p *Participation) RemoveQuestionPicture(ctx context.Context, c *Consultation, q *Question, optionID string, audit *AuditEntry) (*Question, error) {
	if c.Status == StatusClosed {
		return nil, Errorf(ECONFLICT, "This consultation is closed and can no longer change.")
	}
	return p.changePicture(ctx, q, optionID, Picture{}, audit)
}

// DescribeQuestionPicture changes the description of the question's own picture (optionID
// "") or of an option's, without the picture being sent again, and writes the audit entry
// (nil for none) with the change. It is allowed where the picture itself may change: EFROZEN
// once the question is frozen (the description is part of what children were shown),
// ECONFLICT when the consultation is closed. EINVALID for a missing or too long description,
// ENOTFOUND for an unknown option or no picture there, EQUESTIONCHANGED when the picture was
// replaced or removed meanwhile, since the description was written for the picture q has.
// The same description again changes nothing and writes nothing.
func (p *Participation) DescribeQuestionPicture(ctx context.Context, c *Consultation, q *Question, optionID, alt string, audit *AuditEntry) (*Question, error) {
	if c.Status == StatusClosed {
		return nil, Errorf(ECONFLICT, "This consultation is closed and can no longer change.")
	}
	if err := ValidatePictureAlt(alt); err != nil {
		return nil, err
	}
	alt = strings.TrimSpace(alt)
	if _, err := q.withPicture(optionID, Picture{}); err != nil {
		return nil, err
	}
	described := q.pictureOf(optionID)
	if described.IsZero() {
		return nil, Errorf(ENOTFOUND, "There is no picture there to describe.")
	}
	for range maxQuestionRetries {
		if q.Frozen {
			return nil, &Error{Code: EFROZEN, Param: "alt", Message: frozenPictureMessage}
		}
		pic := q.pictureOf(optionID)
		if pic.File != described.File {
			return nil, &Error{Code: EQUESTIONCHANGED, Param: "alt", Message: "The picture was replaced or removed meanwhile; look at it again before describing it."}
		}
		if pic.Alt == alt {
			return q, nil
		}
		pic.Alt = alt
		next, err := q.withPicture(optionID, pic)
		if err != nil {
			return nil, err
		}
		next.Revision, next.UpdatedAt = q.Revision+1, p.now()
		err = p.Store.UpdateQuestion(ctx, &next, audit.about(q.ID))
		if err == nil {
			return &next, nil
		}
		if ErrorCode(err) != EQUESTIONCHANGED {
			return nil, err
		}
		if q, err = p.Store.FindQuestionByID(ctx, q.ID); err != nil {
			return nil, err
		}
	}
	return nil, Errorf(EQUESTIONCHANGED, "The question is changing right now; try again.")
}

// changePicture writes q with pic in its place, on the question as stored at that moment,
// and deletes the file it replaces.
func (p *Participation) changePicture(ctx context.Context, q *Question, optionID string, pic Picture, audit *AuditEntry) (*Question, error) {
	for range maxQuestionRetries {
		if !pic.IsZero() && q.Frozen {
			return nil, &Error{Code: EFROZEN, Param: "picture", Message: frozenPictureMessage}
		}
		old := q.pictureOf(optionID)
		if pic.IsZero() && old.IsZero() {
			if _, err := q.withPicture(optionID, pic); err != nil {
				return nil, err
			}
			return nil, Errorf(ENOTFOUND, "There is no picture there.")
		}
		next, err := q.withPicture(optionID, pic)
		if err != nil {
			return nil, err
		}
		next.Revision, next.UpdatedAt = q.Revision+1, p.now()
		err = p.Store.UpdateQuestion(ctx, &next, audit.about(q.ID))
		if err == nil {
			if !old.IsZero() {
				p.deletePictureFiles(ctx, old.File)
			}
			return &next, nil
		}
		if ErrorCode(err) != EQUESTIONCHANGED {
			return nil, err
		}
		if q, err = p.Store.FindQuestionByID(ctx, q.ID); err != nil {
			return nil, err
		}
	}
	return nil, Errorf(EQUESTIONCHANGED, "The question is changing right now; try again.")
}

// deletePictureFiles deletes pictures' files and the copies made at other widths. A file
// that cannot be deleted now stays behind unreferenced; nothing shows it.
func (p *Participation) deletePictureFiles(ctx context.Context, files ...string) {
	for _, f := range files {
		_ = p.Store.DeleteFile(ctx, f)
		for _, w := range PictureWidths {
			_ = p.Store.DeleteFile(ctx, PictureVariantID(f, w))
		}
	}
}

// copyPictureFile stores a copy of a picture's file for municipality's new question.
func (p *Participation) copyPictureFile(ctx context.Context, pic Picture) (Picture, error) {
	if pic.IsZero() {
		return pic, nil
	}
	f, data, err := ReadFile(ctx, p.Store, pic.File)
	if err != nil {
		return pic, err
	}
	cp := &File{ID: p.NewID(), Municipality: f.Municipality, Purpose: f.Purpose, ContentType: f.ContentType, CreatedAt: p.now()}
	if err := p.Store.PutFile(ctx, cp, bytes.NewReader(data)); err != nil {
		return pic, err
	}
	pic.File = cp.ID
	return pic, nil
}

// CopySuffix marks a duplicated consultation's title when no title is given.
const CopySuffix = " (2)"

// DuplicateConsultation makes a new draft in the same municipality from c: the same texts,
// modes, age bands, goals, topics and dates, and copies of its questions (new IDs, not
// frozen, revision 1, the current wording only) with copies of their pictures' files, so
// that deleting one consultation's picture leaves the other's. title names the copy; when
// empty it is c's title marked with CopySuffix. The audit entry (nil for none; its object is
// the copy) is written with the new consultation. EINVALID for a bad title.
func (p *Participation) DuplicateConsultation(ctx context.Context, actorID string, c *Consultation, title string, audit *AuditEntry) (*Consultation, error) {
	qs, err := p.Store.ListQuestions(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	if title = strings.TrimSpace(title); title == "" {
		title = clipRunes(c.Title, 120-utf8.RuneCountInString(CopySuffix)) + CopySuffix
	}
	cp := *c
	cp.Title = title
	cp.AgeBands, cp.Goals, cp.Topics, cp.Modes = slices.Clone(c.AgeBands), slices.Clone(c.Goals), slices.Clone(c.Topics), slices.Clone(c.Modes)
	// The copy is offered in the same languages, with the same translations.
	cp.Languages, cp.Translations = slices.Clone(c.Languages), maps.Clone(c.Translations)
	// The pictures are copied first: a failure then leaves no draft behind, only files
	// nothing refers to.
	copies := make([]Question, len(qs))
	var made []string
	for i, q := range qs {
		nq := q
		nq.Options, nq.Translations = slices.Clone(q.Options), maps.Clone(q.Translations)
		if nq.Picture, err = p.copyPictureFile(ctx, q.Picture); err == nil && !nq.Picture.IsZero() {
			made = append(made, nq.Picture.File)
		}
		for j := range nq.Options {
			if err != nil {
				break
			}
			if nq.Options[j].Picture, err = p.copyPictureFile(ctx, q.Options[j].Picture); err == nil && !nq.Options[j].Picture.IsZero() {
				made = append(made, nq.Options[j].Picture.File)
			}
		}
		if err != nil {
			p.deletePictureFiles(ctx, made...)
			return nil, err
		}
		copies[i] = nq
	}
	if err := p.prepareConsultation(actorID, &cp); err != nil {
		p.deletePictureFiles(ctx, made...)
		return nil, err
	}
	now := p.now()
	for i := range copies {
		q := &copies[i]
		q.ID, q.ConsultationID, q.Municipality, q.Position, q.Frozen = p.NewID(), cp.ID, cp.Municipality, i, false
		q.Revision, q.PromptVersion, q.PromptSince, q.EarlierPrompts, q.CreatedAt, q.UpdatedAt = 1, 1, now, nil, now, now
	}
	// The draft and its questions are stored together: a failure leaves no draft with some of
	// its questions.
	if err := p.Store.CreateConsultationWithQuestions(ctx, &cp, copies, audit.about(cp.ID)); err != nil {
		p.deletePictureFiles(ctx, made...)
		return nil, err
	}
	return &cp, nil
}

func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
