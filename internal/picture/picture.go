// Package picture checks and re-encodes the pictures people upload (PNG, JPEG, WebP), and
// makes the narrower copies served to phones. It holds what needs golang.org/x/image; the
// limits are internal/voci's.
package picture

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"net/http"
	"slices"
	"strings"

	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp" // registers WebP with image.Decode

	"github.com/voci-platform/voci/internal/voci"
)

// jpegQuality keeps photos sharp on a projector at about a fifth of a camera's file size.
const jpegQuality = 85

// Sniff returns the type of a picture's content, judged by its first bytes (never by its
// name or declared type); ENOTPICTURE when it is not one of voci.PictureTypes.
func Sniff(data []byte) (string, error) {
	t := http.DetectContentType(data)
	if !slices.Contains(voci.PictureTypes, t) {
		return "", &voci.Error{Code: voci.ENOTPICTURE, Param: "picture", Message: "This file is not a picture. Send a PNG, JPEG or WebP picture."}
	}
	return t, nil
}

// Check refuses what must not be stored, without decoding the pixels: more than
// voci.MaxPictureBytes (EPICTURETOOLARGE), content that is no PNG, JPEG or WebP picture
// (ENOTPICTURE), a declared type other than the content's (EPICTURETYPEMISMATCH; "" declares
// nothing), and a picture whose header promises more than voci.MaxPicturePixels pixels or a
// side over voci.MaxPictureSide (EPICTURETOOLARGE), so that a small file that unpacks into
// gigabytes is never unpacked. It returns the content's type and its size in pixels.
func Check(data []byte, declared string) (contentType string, width, height int, err error) {
	if len(data) > voci.MaxPictureBytes {
		return "", 0, 0, TooLarge()
	}
	if contentType, err = Sniff(data); err != nil {
		return "", 0, 0, err
	}
	if d := normalType(declared); d != "" && d != contentType {
		return "", 0, 0, &voci.Error{Code: voci.EPICTURETYPEMISMATCH, Param: "picture",
			Message: "The file says it is " + d + " but it is " + contentType + ". Save it again as a picture and send that."}
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return "", 0, 0, notReadable()
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return "", 0, 0, notReadable()
	}
	if cfg.Width > voci.MaxPictureSide || cfg.Height > voci.MaxPictureSide || cfg.Width*cfg.Height > voci.MaxPicturePixels {
		return "", 0, 0, &voci.Error{Code: voci.EPICTURETOOLARGE, Param: "picture",
			Message: "This picture has too many pixels. Make it smaller (at most 24 megapixels) and send it again."}
	}
	return contentType, cfg.Width, cfg.Height, nil
}

// TooLarge is the error of a picture over voci.MaxPictureBytes.
func TooLarge() error {
	return &voci.Error{Code: voci.EPICTURETOOLARGE, Param: "picture", Message: "This picture is larger than 5 MB. Make it smaller and send it again."}
}

func notReadable() error {
	return &voci.Error{Code: voci.ENOTPICTURE, Param: "picture", Message: "This picture cannot be read; it may be damaged. Save it again and send that."}
}

// normalType is a declared Content-Type without parameters, in lower case, with the common
// misspelling image/jpg read as image/jpeg.
func normalType(t string) string {
	t, _, _ = strings.Cut(strings.ToLower(strings.TrimSpace(t)), ";")
	t = strings.TrimSpace(t)
	switch t {
	case "image/jpg", "image/pjpeg":
		return "image/jpeg"
	case "application/octet-stream":
		return "" // says nothing
	}
	return t
}

// Prepare checks an uploaded picture (see Check), decodes it and re-encodes it: JPEG stays
// JPEG, PNG and WebP become PNG (transparency kept), scaled down to at most
// voci.MaxStoredPictureSide on its longer side, and turned upright as a photo's EXIF
// orientation says. Only the pixels are kept: EXIF and other metadata — the place a photo
// was taken, the camera, the time — are not copied.
func Prepare(data []byte, declared string) (*voci.StoredPicture, error) {
	contentType, _, _, err := Check(data, declared)
	if err != nil {
		return nil, err
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, notReadable()
	}
	img = fit(img, voci.MaxStoredPictureSide)
	out := "image/png"
	if contentType == "image/jpeg" {
		out = "image/jpeg"
		img = orient(img, jpegOrientation(data))
	}
	b, err := encode(img, out)
	if err != nil {
		return nil, err
	}
	return &voci.StoredPicture{Data: b, ContentType: out, Width: img.Bounds().Dx(), Height: img.Bounds().Dy()}, nil
}

// Resize returns a stored picture (as Prepare made it) w pixels wide, in its own type.
func Resize(data []byte, contentType string, w int) ([]byte, error) {
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, voci.Errorf(voci.EINTERNAL, "decode stored picture: %v", err)
	}
	b := img.Bounds()
	if w <= 0 || w >= b.Dx() {
		return data, nil
	}
	h := max(1, b.Dy()*w/b.Dx())
	return encode(scale(img, w, h), contentType)
}

// fit scales img down so that its longer side is at most side.
func fit(img image.Image, side int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= side && h <= side {
		return img
	}
	if w >= h {
		return scale(img, side, max(1, h*side/w))
	}
	return scale(img, max(1, w*side/h), side)
}

func scale(img image.Image, w, h int) image.Image {
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, img.Bounds(), draw.Src, nil)
	return dst
}

func encode(img image.Image, contentType string) ([]byte, error) {
	var buf bytes.Buffer
	var err error
	if contentType == "image/jpeg" {
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: jpegQuality})
	} else {
		err = (&png.Encoder{CompressionLevel: png.DefaultCompression}).Encode(&buf, img)
	}
	if err != nil {
		return nil, voci.Errorf(voci.EINTERNAL, "encode picture: %v", err)
	}
	return buf.Bytes(), nil
}
