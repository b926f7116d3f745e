package httpapi

import (
	"bytes"
	"io"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/voci-platform/voci/internal/picture"
	"github.com/voci-platform/voci/internal/voci"
)

// pictureBodySlack is what a multipart upload carries beside the picture (boundaries, the
// description, headers): the body limit of a picture upload is the picture's limit plus this.
const pictureBodySlack = 64 << 10

// isPictureUpload reports whether a request uploads a picture, the only one allowed a body
// larger than the configured limit.
func isPictureUpload(method, path string) bool {
	return method == fiber.MethodPut && strings.HasPrefix(path, "/api/v1/municipalities/") && strings.HasSuffix(path, "/picture")
}

// bodyLimits gives a picture upload its own body limit, applied by the HTTP server as it
// reads the body (a declared length above it is refused before a byte is read); every other
// request keeps the configured one.
func bodyLimits(configured int) func(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
	return func(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
		if isPictureUpload(string(h.Method()), string(h.RequestURI()[:pathEnd(h.RequestURI())])) {
			return fasthttp.RequestConfig{MaxRequestBodySize: max(configured, voci.MaxPictureBytes+pictureBodySlack)}
		}
		if isAttachmentUpload(string(h.Method()), string(h.RequestURI()[:pathEnd(h.RequestURI())])) {
			return fasthttp.RequestConfig{MaxRequestBodySize: max(configured, voci.MaxAttachmentBytes+attachmentBodySlack)}
		}
		if isDecisionPDFUpload(string(h.Method()), string(h.RequestURI()[:pathEnd(h.RequestURI())])) {
			return fasthttp.RequestConfig{MaxRequestBodySize: max(configured, voci.MaxDecisionPDFBytes+pdfBodySlack)}
		}
		return fasthttp.RequestConfig{MaxRequestBodySize: configured}
	}
}

func pathEnd(uri []byte) int {
	if i := bytes.IndexByte(uri, '?'); i >= 0 {
		return i
	}
	return len(uri)
}

// handleSetPicture takes a question's own picture (no :oid) or an option's, as the
// multipart/form-data fields "picture" (the file) and "alt" (its description).
func (s *Server) handleSetPicture() fiber.Handler {
	return func(c *fiber.Ctx) error {
		cons, err := s.consultationIn(c)
		if err != nil {
			return err
		}
		q, err := s.questionIn(c, cons)
		if err != nil {
			return err
		}
		if !strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEMultipartForm) {
			return voci.Errorf(codeUnsupportedMediaType, "Send the picture as multipart/form-data, in the field \"picture\", with its description in \"alt\".")
		}
		alt := strings.Clone(c.FormValue("alt"))
		if err := voci.ValidatePictureAlt(alt); err != nil {
			return err
		}
		fh, err := c.FormFile("picture")
		if err != nil {
			return voci.InvalidParam("picture", "Choose a picture to send.")
		}
		if fh.Size > voci.MaxPictureBytes {
			return picture.TooLarge()
		}
		f, err := fh.Open()
		if err != nil {
			return err
		}
		data, err := io.ReadAll(io.LimitReader(f, voci.MaxPictureBytes+1))
		f.Close()
		if err != nil {
			return err
		}
		pic, err := picture.Prepare(data, fh.Header.Get(fiber.HeaderContentType))
		if err != nil {
			return err
		}
		option := strings.Clone(c.Params("oid"))
		audit := s.changeAudit(c, "question.picture_set", "question", q.ID, pictureDetail(cons, option))
		q, err = s.Participation.SetQuestionPicture(c.UserContext(), cons, q, option, *pic, alt, audit)
		if err != nil {
			return err
		}
		return c.JSON(toQuestionOut(q))
	}
}

func (s *Server) handleRemovePicture() fiber.Handler {
	return func(c *fiber.Ctx) error {
		cons, err := s.consultationIn(c)
		if err != nil {
			return err
		}
		q, err := s.questionIn(c, cons)
		if err != nil {
			return err
		}
		option := strings.Clone(c.Params("oid"))
		audit := s.changeAudit(c, "question.picture_remove", "question", q.ID, pictureDetail(cons, option))
		q, err = s.Participation.RemoveQuestionPicture(c.UserContext(), cons, q, option, audit)
		if err != nil {
			return err
		}
		return c.JSON(toQuestionOut(q))
	}
}

// handleDescribePicture changes a question's own picture's description (no :oid) or an
// option's, {"alt"}, without the picture being sent again.
func (s *Server) handleDescribePicture() fiber.Handler {
	type request struct {
		Alt string `json:"alt" validate:"max=2000"`
	}
	return func(c *fiber.Ctx) error {
		var req request
		if err := s.decodeJSON(c, &req); err != nil {
			return err
		}
		cons, err := s.consultationIn(c)
		if err != nil {
			return err
		}
		q, err := s.questionIn(c, cons)
		if err != nil {
			return err
		}
		option := strings.Clone(c.Params("oid"))
		audit := s.changeAudit(c, "question.picture_describe", "question", q.ID, pictureDetail(cons, option))
		q, err = s.Participation.DescribeQuestionPicture(c.UserContext(), cons, q, option, req.Alt, audit)
		if err != nil {
			return err
		}
		return c.JSON(toQuestionOut(q))
	}
}

func pictureDetail(cons *voci.Consultation, option string) string {
	if option == "" {
		return "consultation " + cons.ID
	}
	return "consultation " + cons.ID + ", option " + option
}

// handleGetPicture serves a picture's file, or a copy ?w= pixels wide (made at the first
// request and kept). The address is given only with the question, to whoever may see it;
// the file ID is 128 random bits, and only files kept as pictures are served here. Files
// never change, so they are cached for a year.
func (s *Server) handleGetPicture() fiber.Handler {
	return func(c *fiber.Ctx) error {
		id := c.Params("file")
		if strings.Contains(id, "-") { // the copies at other widths are reached through ?w=
			return voci.Errorf(voci.ENOTFOUND, "No such picture.")
		}
		w, err := intQuery(c, "w", 0, 0, voci.MaxPictureSide)
		if err != nil {
			return err
		}
		if w, err = voci.PictureWidth(w, voci.MaxPictureSide); err != nil {
			return err
		}
		ctx := c.UserContext()
		f, data, err := s.readPicture(c, id)
		if err != nil {
			return err
		}
		if w > 0 {
			variant := voci.PictureVariantID(f.ID, w)
			if _, vdata, err := voci.ReadFile(ctx, s.Store, variant); err == nil {
				data = vdata
			} else if voci.ErrorCode(err) != voci.ENOTFOUND {
				return err
			} else {
				if data, err = picture.Resize(data, f.ContentType, w); err != nil {
					return err
				}
				// Two first requests at once both make the copy; the second is not kept.
				vf := &voci.File{ID: variant, Municipality: f.Municipality, Purpose: voci.FilePicture + "-copy", ContentType: f.ContentType, CreatedAt: s.Clock().UTC()}
				if err := s.Store.PutFile(ctx, vf, bytes.NewReader(data)); err != nil && voci.ErrorCode(err) != voci.ECONFLICT {
					s.Logger.Warn("picture copy not kept", "file", variant, "error", err)
				}
			}
		}
		c.Set(fiber.HeaderContentType, f.ContentType)
		c.Set(fiber.HeaderCacheControl, "private, max-age=31536000, immutable")
		return c.Send(data)
	}
}

func (s *Server) readPicture(c *fiber.Ctx, id string) (*voci.File, []byte, error) {
	f, data, err := voci.ReadFile(c.UserContext(), s.Store, id)
	if err != nil {
		return nil, nil, err
	}
	if f.Purpose != voci.FilePicture {
		return nil, nil, voci.Errorf(voci.ENOTFOUND, "No such picture.")
	}
	return f, data, nil
}

// handleDuplicateConsultation makes a new draft from a consultation, its questions and their
// pictures included; the optional body {"title"} names the copy.
func (s *Server) handleDuplicateConsultation() fiber.Handler {
	type request struct {
		Title string `json:"title" validate:"max=120"`
	}
	return func(c *fiber.Ctx) error {
		var req request
		if len(c.Body()) > 0 {
			if err := s.decodeJSON(c, &req); err != nil {
				return err
			}
		}
		cons, err := s.consultationIn(c)
		if err != nil {
			return err
		}
		audit := s.changeAudit(c, "consultation.duplicate", "consultation", "", "copy of consultation "+cons.ID)
		cp, err := s.Participation.DuplicateConsultation(c.UserContext(), principalOf(c).account.ID, cons, req.Title, audit)
		if err != nil {
			return err
		}
		qs, err := s.Store.ListQuestions(c.UserContext(), cp.ID)
		if err != nil {
			return err
		}
		if qs == nil {
			qs = []voci.Question{}
		}
		return c.Status(fiber.StatusCreated).JSON(toConsultationOut(cp, qs))
	}
}
