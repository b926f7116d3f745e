package httpapi_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image/jpeg"
	"image/png"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/voci-platform/voci/internal/picture/picturetest"
	"github.com/voci-platform/voci/internal/voci"
)

// upload sends a picture as the editor does: multipart/form-data with the file and its
// description.
func (cl *client) upload(t *testing.T, url, filename, contentType string, data []byte, alt string) answer {
	t.Helper()
	req := cl.uploadRequest(t, url, filename, contentType, data, alt)
	resp, err := cl.ts.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, b}
}

// uploadOverTheNetwork is upload through a real server on 127.0.0.1, whose HTTP server reads
// (and refuses) the body as it arrives.
// uploadOverTheNetwork sends an upload's head, with the Content-Length of its whole body, to a
// real listener, and reads the answer without sending the body: a server that refuses the
// upload by its declared length answers before reading it. (Sending the body too would race the
// server's close against the client's writes, and a reset could swallow the answer.)
func (cl *client) uploadOverTheNetwork(t *testing.T, url, filename, contentType string, data []byte, alt string) answer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- cl.ts.Serve(ctx, ln, 5*time.Second) }()
	defer func() { cancel(); <-done }()
	req := cl.uploadRequest(t, url, filename, contentType, data, alt)
	body, err := io.ReadAll(req.Body)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var head bytes.Buffer
	fmt.Fprintf(&head, "PUT %s HTTP/1.1\r\nHost: %s\r\n", req.URL.RequestURI(), ln.Addr())
	for name, values := range req.Header {
		for _, v := range values {
			fmt.Fprintf(&head, "%s: %s\r\n", name, v)
		}
	}
	fmt.Fprintf(&head, "Content-Length: %d\r\n\r\n", len(body))
	if _, err := conn.Write(head.Bytes()); err != nil {
		t.Fatal(err)
	}
	if err := conn.SetReadDeadline(time.Now().Add(30 * time.Second)); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, b}
}

func (cl *client) uploadRequest(t *testing.T, url, filename, contentType string, data []byte, alt string) *http.Request {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	if alt != "" {
		w.WriteField("alt", alt)
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="picture"; filename=%q`, filename))
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	part, _ := w.CreatePart(h)
	part.Write(data)
	w.Close()
	req := httptest.NewRequest("PUT", url, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Cookie", "voci_session="+cl.cookie)
	req.Header.Set("X-CSRF-Token", cl.csrf)
	return req
}

type pictureOut struct {
	URL    string `json:"url"`
	Alt    string `json:"alt"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Widths []int  `json:"widths"`
}

type questionWithPictures struct {
	ID      string      `json:"id"`
	Picture *pictureOut `json:"picture"`
	Options []struct {
		ID      string      `json:"id"`
		Label   string      `json:"label"`
		Picture *pictureOut `json:"picture"`
	} `json:"options"`
}

// pictureWorld is a Bacău facilitator with a draft consultation and one single-choice
// question.
type pictureWorld struct {
	ts       *testServer
	fac      *client
	base     string // the consultation's URL
	question questionWithPictures
}

func newPictureWorld(t *testing.T) *pictureWorld {
	t.Helper()
	ts := newTestServer(t)
	fac := ts.client()
	mustStatus(t, fac.login(t, "facilitator.bacau@demo.voci.ro", testPassword), 200)
	a := fac.do(t, "POST", fmt.Sprintf("/api/v1/municipalities/%d/consultations", bacau), map[string]any{"title": "Parcul", "modes": []string{"live"},
		"purpose": "Ce vrem în parc?", "ageBands": []string{"10_12"}})
	mustStatus(t, a, 201)
	var cons struct {
		ID string `json:"id"`
	}
	decodeBody(t, a, &cons)
	w := &pictureWorld{ts: ts, fac: fac, base: fmt.Sprintf("/api/v1/municipalities/%d/consultations/%s", bacau, cons.ID)}
	a = fac.do(t, "POST", w.base+"/questions", map[string]any{"kind": "single", "prompt": "Ce alegi?",
		"options": []map[string]string{{"label": "Leagăne"}, {"label": "Copaci"}, {"label": "Un lac"}}})
	mustStatus(t, a, 201)
	decodeBody(t, a, &w.question)
	return w
}

func (w *pictureWorld) questionURL() string { return w.base + "/questions/" + w.question.ID }

func (w *pictureWorld) optionURL(i int) string {
	return w.questionURL() + "/options/" + w.question.Options[i].ID + "/picture"
}

func (w *pictureWorld) get(t *testing.T, url string) answer {
	t.Helper()
	return w.ts.do(t, "GET", url, "", "")
}

func refusedWith(t *testing.T, a answer, status int, code string) {
	t.Helper()
	if a.status != status {
		t.Fatalf("status %d, want %d: %s", a.status, status, a.body)
	}
	if p := a.problem(t); p["code"] != code {
		t.Fatalf("problem %v, want %s", p, code)
	}
}

func TestPictureUploadServeAndRemove(t *testing.T) {
	w := newPictureWorld(t)
	a := w.fac.upload(t, w.questionURL()+"/picture", "parc.png", "image/png", picturetest.PNG(t, 1000, 500), "Parcul de lângă școală")
	mustStatus(t, a, 200)
	var q questionWithPictures
	decodeBody(t, a, &q)
	if q.Picture == nil || q.Picture.Alt != "Parcul de lângă școală" || q.Picture.Width != 1000 || q.Picture.Height != 500 {
		t.Fatalf("question picture %s", a.body)
	}
	if fmt.Sprint(q.Picture.Widths) != "[320 640 960]" {
		t.Fatalf("widths %v", q.Picture.Widths)
	}
	// The editor sees it too.
	a = w.fac.do(t, "GET", w.base, nil)
	if !bytes.Contains(a.body, []byte(q.Picture.URL)) {
		t.Fatalf("the consultation does not show the picture: %s", a.body)
	}

	// Served as stored, cached, and resized for phones.
	a = w.get(t, q.Picture.URL)
	mustStatus(t, a, 200)
	if a.header.Get("Content-Type") != "image/png" || a.header.Get("Cache-Control") != "private, max-age=31536000, immutable" {
		t.Fatalf("headers %v", a.header)
	}
	if cfg, err := png.DecodeConfig(bytes.NewReader(a.body)); err != nil || cfg.Width != 1000 {
		t.Fatalf("served %+v %v", cfg, err)
	}
	for range 2 { // made once, then read from the store
		a = w.get(t, q.Picture.URL+"?w=320")
		mustStatus(t, a, 200)
		if cfg, err := png.DecodeConfig(bytes.NewReader(a.body)); err != nil || cfg.Width != 320 || cfg.Height != 160 {
			t.Fatalf("resized %+v %v", cfg, err)
		}
	}
	file := q.Picture.URL[len("/api/v1/pictures/"):]
	if _, _, err := w.ts.store.OpenFile(context.Background(), voci.PictureVariantID(file, 320)); err != nil {
		t.Fatalf("the 320 px copy was not kept: %v", err)
	}
	refusedWith(t, w.get(t, q.Picture.URL+"?w=500"), 400, "invalid_parameter")
	refusedWith(t, w.get(t, "/api/v1/pictures/"+voci.PictureVariantID(file, 320)), 404, "not_found")
	refusedWith(t, w.get(t, "/api/v1/pictures/nosuchpicture"), 404, "not_found")

	// An option's picture: a phone photo, whose GPS position is not kept.
	photo := picturetest.JPEGWithGPS(t, 200, 100)
	a = w.fac.upload(t, w.optionURL(1), "IMG_0001.JPG", "image/jpeg", photo, "Trei copaci")
	mustStatus(t, a, 200)
	decodeBody(t, a, &q)
	if q.Picture == nil || q.Options[1].Picture == nil || q.Options[0].Picture != nil {
		t.Fatalf("after the option's picture: %s", a.body)
	}
	a = w.get(t, q.Options[1].Picture.URL)
	mustStatus(t, a, 200)
	if a.header.Get("Content-Type") != "image/jpeg" || bytes.Contains(a.body, []byte("Exif")) || bytes.Contains(a.body, []byte("GPS")) {
		t.Fatalf("the stored photo keeps its EXIF (%s)", a.header.Get("Content-Type"))
	}
	if _, err := jpeg.Decode(bytes.NewReader(a.body)); err != nil {
		t.Fatal(err)
	}

	// Editing the question keeps the pictures of the options it keeps; removing an option
	// deletes its picture's file.
	optionPicture := q.Options[1].Picture.URL
	a = w.fac.do(t, "PUT", w.questionURL(), map[string]any{"kind": "single", "prompt": "Ce alegi acum?",
		"options": []map[string]string{{"id": q.Options[0].ID, "label": "Leagăne"}, {"id": q.Options[1].ID, "label": "Copaci mari"}, {"id": q.Options[2].ID, "label": "Un lac"}}})
	mustStatus(t, a, 200)
	decodeBody(t, a, &q)
	if q.Picture == nil || q.Options[1].Picture == nil || q.Options[1].Picture.URL != optionPicture {
		t.Fatalf("an edit lost the pictures: %s", a.body)
	}
	a = w.fac.do(t, "PUT", w.questionURL(), map[string]any{"kind": "single", "prompt": "Ce alegi acum?",
		"options": []map[string]string{{"id": q.Options[0].ID, "label": "Leagăne"}, {"id": q.Options[2].ID, "label": "Un lac"}}})
	mustStatus(t, a, 200)
	refusedWith(t, w.get(t, optionPicture), 404, "not_found")

	// Replacing a picture deletes the one it replaces, copies included.
	old := q.Picture.URL
	a = w.fac.upload(t, w.questionURL()+"/picture", "alt.png", "image/png", picturetest.PNG(t, 64, 64), "Alt parc")
	mustStatus(t, a, 200)
	refusedWith(t, w.get(t, old), 404, "not_found")
	if _, _, err := w.ts.store.OpenFile(context.Background(), voci.PictureVariantID(file, 320)); voci.ErrorCode(err) != voci.ENOTFOUND {
		t.Fatalf("the copy of a replaced picture stays: %v", err)
	}
	decodeBody(t, a, &q)

	// Removed: the file goes.
	a = w.fac.do(t, "DELETE", w.questionURL()+"/picture", nil)
	mustStatus(t, a, 200)
	refusedWith(t, w.get(t, q.Picture.URL), 404, "not_found")
	refusedWith(t, w.fac.do(t, "DELETE", w.questionURL()+"/picture", nil), 404, "not_found")

	// Deleting the question deletes its pictures.
	a = w.fac.upload(t, w.optionURL(0), "a.png", "image/png", picturetest.PNG(t, 50, 50), "Leagăne")
	mustStatus(t, a, 200)
	decodeBody(t, a, &q)
	mustStatus(t, w.fac.do(t, "DELETE", w.questionURL(), nil), 204)
	refusedWith(t, w.get(t, q.Options[0].Picture.URL), 404, "not_found")

	// Every change was audited.
	entries, _, err := w.ts.store.FindAudit(context.Background(), voci.AuditFilter{Municipalities: []int{bacau}, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, e := range entries {
		count[e.Action]++
	}
	if count["question.picture_set"] != 4 || count["question.picture_remove"] != 1 {
		t.Fatalf("audited %v", count)
	}
}

func TestPictureRefusals(t *testing.T) {
	w := newPictureWorld(t)
	url := w.questionURL() + "/picture"
	pngData := picturetest.PNG(t, 40, 30)

	// Larger than 5 MB: refused by its declared length, before the body is read.
	big := append(append([]byte{}, pngData...), make([]byte, voci.MaxPictureBytes+100<<10)...)
	refusedWith(t, w.fac.uploadOverTheNetwork(t, url, "big.png", "image/png", big, "Mare"), 413, "picture_too_large")
	// Just over 5 MB, within the body's allowance for the form around it.
	over := append(append([]byte{}, pngData...), make([]byte, voci.MaxPictureBytes-len(pngData)+1)...)
	refusedWith(t, w.fac.upload(t, url, "over.png", "image/png", over, "Mare"), 413, "picture_too_large")
	// Not a picture, whatever its name says.
	refusedWith(t, w.fac.upload(t, url, "notes.png", "image/png", []byte("hello, these are my notes\n"), "Note"), 415, "not_a_picture")
	// A picture whose declared type lies.
	refusedWith(t, w.fac.upload(t, url, "photo.jpg", "image/jpeg", pngData, "Poză"), 415, "picture_type_mismatch")
	// A decompression bomb: a few hundred bytes that say 60000×60000 pixels.
	refusedWith(t, w.fac.upload(t, url, "bomb.png", "image/png", picturetest.Bomb(t, 60000, 60000), "Bombă"), 413, "picture_too_large")
	// No description, no file, not a form.
	a := w.fac.upload(t, url, "ok.png", "image/png", pngData, "")
	refusedWith(t, a, 400, "invalid_parameter")
	if a.problem(t)["param"] != "alt" {
		t.Fatalf("%s", a.body)
	}
	refusedWith(t, w.fac.do(t, "PUT", url, map[string]string{"alt": "x"}), 415, "unsupported_media_type")
	// An option the question does not have.
	refusedWith(t, w.fac.upload(t, w.questionURL()+"/options/nope/picture", "ok.png", "image/png", pngData, "Ok"), 404, "not_found")
	// Nothing was stored.
	if q, _ := w.ts.store.FindQuestionByID(context.Background(), w.question.ID); len(q.Pictures()) != 0 {
		t.Fatalf("a refused picture was stored: %+v", q.Pictures())
	}
	// Other requests keep their small body limit.
	a = w.fac.uploadOverTheNetwork(t, w.questionURL(), "x.png", "image/png", pngData[:10], string(make([]byte, 8000)))
	refusedWith(t, a, 413, "body_too_large")
}

func TestPicturesFollowTheFreeze(t *testing.T) {
	w := newPictureWorld(t)
	a := w.fac.upload(t, w.optionURL(0), "a.png", "image/png", picturetest.PNG(t, 50, 50), "Leagăne")
	mustStatus(t, a, 200)
	if err := w.ts.store.FreezeQuestion(context.Background(), w.question.ID); err != nil {
		t.Fatal(err)
	}
	// Children have seen it: no new or other picture…
	refusedWith(t, w.fac.upload(t, w.questionURL()+"/picture", "b.png", "image/png", picturetest.PNG(t, 50, 50), "Parc"), 409, "question_frozen")
	refusedWith(t, w.fac.upload(t, w.optionURL(0), "c.png", "image/png", picturetest.PNG(t, 50, 50), "Alt"), 409, "question_frozen")
	// …but one that should not be shown can go.
	mustStatus(t, w.fac.do(t, "DELETE", w.optionURL(0), nil), 200)
}

// A picture's description is changed with a PATCH, the picture staying the same file, and
// audited; refused as problems where the picture itself could not change.
func TestDescribePicture(t *testing.T) {
	w := newPictureWorld(t)
	url := w.optionURL(1)
	refusedWith(t, w.fac.do(t, "PATCH", url, map[string]string{"alt": "Copaci"}), 404, "not_found") // no picture yet
	a := w.fac.upload(t, url, "c.png", "image/png", picturetest.PNG(t, 50, 50), "Copaci")
	mustStatus(t, a, 200)
	var before questionWithPictures
	decodeBody(t, a, &before)

	a = w.fac.do(t, "PATCH", url, map[string]string{"alt": " Trei copaci înalți "})
	mustStatus(t, a, 200)
	var q questionWithPictures
	decodeBody(t, a, &q)
	if q.Options[1].Picture == nil || q.Options[1].Picture.Alt != "Trei copaci înalți" || q.Options[1].Picture.URL != before.Options[1].Picture.URL {
		t.Fatalf("described: %s", a.body)
	}
	mustStatus(t, w.get(t, q.Options[1].Picture.URL), 200)
	// The children's and the editor's reads carry the new words.
	if a = w.fac.do(t, "GET", w.base, nil); !bytes.Contains(a.body, []byte("Trei copaci înalți")) {
		t.Fatalf("the consultation keeps the old description: %s", a.body)
	}

	a = w.fac.do(t, "PATCH", url, map[string]string{"alt": "  "})
	refusedWith(t, a, 400, "invalid_parameter")
	if a.problem(t)["param"] != "alt" {
		t.Fatalf("%s", a.body)
	}
	refusedWith(t, w.fac.do(t, "PATCH", url, map[string]string{"alt": strings.Repeat("a", voci.MaxPictureAlt+1)}), 400, "invalid_parameter")
	refusedWith(t, w.fac.do(t, "PATCH", url, map[string]any{"alt": "x", "picture": "y"}), 400, "invalid_body")
	refusedWith(t, w.fac.do(t, "PATCH", w.questionURL()+"/options/nope/picture", map[string]string{"alt": "x"}), 404, "not_found")
	refusedWith(t, w.fac.do(t, "PATCH", w.questionURL()+"/picture", map[string]string{"alt": "x"}), 404, "not_found")

	other := w.ts.client()
	mustStatus(t, other.login(t, "coordinator.brasov@demo.voci.ro", testPassword), 200)
	if a := other.do(t, "PATCH", url, map[string]string{"alt": "Străin"}); a.status != 403 && a.status != 404 {
		t.Fatalf("another municipality's coordinator described a picture: %d %s", a.status, a.body)
	}

	if err := w.ts.store.FreezeQuestion(context.Background(), w.question.ID); err != nil {
		t.Fatal(err)
	}
	refusedWith(t, w.fac.do(t, "PATCH", url, map[string]string{"alt": "Altceva"}), 409, "question_frozen")
	stored, _ := w.ts.store.FindQuestionByID(context.Background(), w.question.ID)
	if stored.Options[1].Picture.Alt != "Trei copaci înalți" {
		t.Fatalf("a refused description was stored: %+v", stored.Options[1].Picture)
	}

	entries, _, err := w.ts.store.FindAudit(context.Background(), voci.AuditFilter{Municipalities: []int{bacau}, Action: "question.picture_describe", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].ObjectID != w.question.ID || !strings.Contains(entries[0].Detail, "option "+w.question.Options[1].ID) {
		t.Fatalf("audited %+v", entries)
	}
}

func TestPicturesBelongToTheirMunicipality(t *testing.T) {
	w := newPictureWorld(t)
	pngData := picturetest.PNG(t, 40, 30)
	other := w.ts.client()
	mustStatus(t, other.login(t, "coordinator.brasov@demo.voci.ro", testPassword), 200)
	// Bacău's routes: not Brașov's coordinator's.
	refusedWith(t, other.upload(t, w.questionURL()+"/picture", "a.png", "image/png", pngData, "Străin"), 404, "not_found")
	refusedWith(t, other.do(t, "DELETE", w.questionURL()+"/picture", nil), 404, "not_found")
	// Bacău's consultation under Brașov's code: not found.
	brasovURL := fmt.Sprintf("/api/v1/municipalities/%d/consultations/%s/questions/%s/picture", 40198, w.base[len(w.base)-26:], w.question.ID)
	refusedWith(t, other.upload(t, brasovURL, "a.png", "image/png", pngData, "Străin"), 404, "not_found")
	refusedWith(t, other.do(t, "DELETE", brasovURL, nil), 404, "not_found")
	a := other.do(t, "POST", fmt.Sprintf("/api/v1/municipalities/%d/consultations/%s/duplicate", 40198, w.base[len(w.base)-26:]), nil)
	refusedWith(t, a, 404, "not_found")
	refusedWith(t, other.do(t, "POST", w.base+"/duplicate", nil), 404, "not_found")
	// A council member reads consultations but does not edit them (what one may not do is
	// not there, as for every route).
	council := w.ts.client()
	mustStatus(t, council.login(t, "council.bacau@demo.voci.ro", testPassword), 200)
	refusedWith(t, council.upload(t, w.questionURL()+"/picture", "a.png", "image/png", pngData, "Nu"), 404, "not_found")
	// Not signed in.
	anon := w.ts.client()
	refusedWith(t, anon.upload(t, w.questionURL()+"/picture", "a.png", "image/png", pngData, "Nu"), 401, "unauthorized")
}

func TestDuplicateConsultationWithPictures(t *testing.T) {
	w := newPictureWorld(t)
	mustStatus(t, w.fac.upload(t, w.questionURL()+"/picture", "q.png", "image/png", picturetest.PNG(t, 400, 200), "Parcul"), 200)
	a := w.fac.upload(t, w.optionURL(2), "o.png", "image/png", picturetest.PNG(t, 100, 100), "Lacul")
	mustStatus(t, a, 200)
	var orig questionWithPictures
	decodeBody(t, a, &orig)
	mustStatus(t, w.fac.do(t, "POST", w.base+"/questions", map[string]any{"kind": "short_text", "prompt": "Ce lipsește?"}), 201)
	if err := w.ts.store.FreezeQuestion(context.Background(), w.question.ID); err != nil {
		t.Fatal(err)
	}

	a = w.fac.do(t, "POST", w.base+"/duplicate", nil)
	mustStatus(t, a, 201)
	var cp struct {
		ID        string                 `json:"id"`
		Title     string                 `json:"title"`
		Status    string                 `json:"status"`
		Purpose   string                 `json:"purpose"`
		AgeBands  []string               `json:"ageBands"`
		Modes     []string               `json:"modes"`
		Questions []questionWithPictures `json:"questions"`
	}
	decodeBody(t, a, &cp)
	if cp.Title != "Parcul (2)" || cp.Status != "draft" || cp.Purpose != "Ce vrem în parc?" || fmt.Sprint(cp.AgeBands) != "[10_12]" || fmt.Sprint(cp.Modes) != "[live]" {
		t.Fatalf("copy %s", a.body)
	}
	if len(cp.Questions) != 2 || cp.Questions[0].ID == w.question.ID || cp.Questions[0].Picture == nil || cp.Questions[0].Options[2].Picture == nil {
		t.Fatalf("copied questions %s", a.body)
	}
	got, err := w.ts.store.FindQuestionByID(context.Background(), cp.Questions[0].ID)
	if err != nil || got.Frozen || got.Revision != 1 || got.ConsultationID != cp.ID || got.Options[2].Label != "Un lac" {
		t.Fatalf("copied question %+v %v", got, err)
	}
	copyPicture := cp.Questions[0].Options[2].Picture
	if copyPicture.URL == orig.Options[2].Picture.URL || copyPicture.Alt != "Lacul" {
		t.Fatalf("the copy shares the original's file: %+v", copyPicture)
	}
	// Removing the original's picture leaves the copy's.
	mustStatus(t, w.fac.do(t, "DELETE", w.optionURL(2), nil), 200)
	refusedWith(t, w.get(t, orig.Options[2].Picture.URL), 404, "not_found")
	mustStatus(t, w.get(t, copyPicture.URL), 200)

	// A title of one's own; audited.
	a = w.fac.do(t, "POST", w.base+"/duplicate", map[string]string{"title": "Parcul, din nou"})
	mustStatus(t, a, 201)
	decodeBody(t, a, &cp)
	if cp.Title != "Parcul, din nou" {
		t.Fatalf("title %q", cp.Title)
	}
	entries, _, err := w.ts.store.FindAudit(context.Background(), voci.AuditFilter{Municipalities: []int{bacau}, Action: "consultation.duplicate", Limit: 10})
	if err != nil || len(entries) != 2 || entries[0].ObjectID != cp.ID {
		t.Fatalf("audit %+v %v", entries, err)
	}
}

// A child on a self-paced link gets the question's and the options' pictures with the
// questions, and fetches them without any account.
func TestSelfPacedChildSeesPictures(t *testing.T) {
	ts, f := newSelfPacedFixture(t)
	single := f.questions["single"]
	qurl := f.base + "/questions/" + single.ID
	mustStatus(t, f.fac.upload(t, qurl+"/picture", "curte.png", "image/png", picturetest.PNG(t, 700, 400), "Curtea școlii"), 200)
	a := f.fac.upload(t, qurl+"/options/"+single.Options[1].ID+"/picture", "copac.jpg", "image/jpeg", picturetest.JPEGWithGPS(t, 90, 90), "Un copac")
	mustStatus(t, a, 200)
	mustStatus(t, f.fac.do(t, "POST", f.base+"/status", map[string]string{"status": "open"}), 200)
	key, _ := f.link(t)
	f.clock.Set(f.from.Add(time.Minute))
	child := &kid{ts: ts, key: key}
	child.join(t, "ro")
	a = child.do(t, "GET", "/me", nil)
	mustStatus(t, a, 200)
	var me struct {
		Questions []questionWithPictures `json:"questions"`
	}
	decodeBody(t, a, &me)
	var got *questionWithPictures
	for i := range me.Questions {
		if me.Questions[i].ID == single.ID {
			got = &me.Questions[i]
		}
	}
	if got == nil || got.Picture == nil || got.Picture.Alt != "Curtea școlii" || fmt.Sprint(got.Picture.Widths) != "[320 640]" ||
		got.Options[1].Picture == nil || got.Options[1].Picture.Alt != "Un copac" || got.Options[0].Picture != nil {
		t.Fatalf("the child's questions: %s", a.body)
	}
	for _, u := range []string{got.Picture.URL + "?w=640", got.Options[1].Picture.URL} {
		a := ts.do(t, "GET", u, "", "")
		mustStatus(t, a, 200)
		if bytes.Contains(a.body, []byte("GPS")) {
			t.Fatalf("%s keeps a GPS position", u)
		}
	}
}
