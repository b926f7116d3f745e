package picture_test

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"testing"

	"github.com/voci-platform/voci/internal/picture"
	"github.com/voci-platform/voci/internal/picture/picturetest"
	"github.com/voci-platform/voci/internal/voci"
)

func code(err error) string { return voci.ErrorCode(err) }

func TestPNGIsReencoded(t *testing.T) {
	in := picturetest.PNG(t, 300, 200)
	p, err := picture.Prepare(in, "image/png")
	if err != nil {
		t.Fatal(err)
	}
	if p.ContentType != "image/png" || p.Width != 300 || p.Height != 200 {
		t.Fatalf("%s %dx%d", p.ContentType, p.Width, p.Height)
	}
	if _, err := png.Decode(bytes.NewReader(p.Data)); err != nil {
		t.Fatal(err)
	}
}

func TestJPEGLosesItsMetadata(t *testing.T) {
	in := picturetest.JPEGWithGPS(t, 120, 80)
	if !bytes.Contains(in, []byte(picturetest.GPSMarker)) || !bytes.Contains(in, []byte("Exif")) {
		t.Fatal("the fixture has no EXIF")
	}
	p, err := picture.Prepare(in, "image/jpeg")
	if err != nil {
		t.Fatal(err)
	}
	if p.ContentType != "image/jpeg" || p.Width != 120 || p.Height != 80 {
		t.Fatalf("%s %dx%d", p.ContentType, p.Width, p.Height)
	}
	if bytes.Contains(p.Data, []byte("Exif")) || bytes.Contains(p.Data, []byte("GPS")) {
		t.Fatal("the stored picture still carries EXIF")
	}
	if _, err := jpeg.Decode(bytes.NewReader(p.Data)); err != nil {
		t.Fatal(err)
	}
}

func TestWebPBecomesPNG(t *testing.T) {
	in, err := os.ReadFile("testdata/blue-purple-pink.lossy.webp")
	if err != nil {
		t.Fatal(err)
	}
	p, err := picture.Prepare(in, "image/webp")
	if err != nil {
		t.Fatal(err)
	}
	if p.ContentType != "image/png" || p.Width == 0 {
		t.Fatalf("%s %dx%d", p.ContentType, p.Width, p.Height)
	}
}

func TestRefusals(t *testing.T) {
	pngData := picturetest.PNG(t, 40, 30)
	broken := append([]byte{}, pngData[:len(pngData)/2]...)
	tests := []struct {
		name     string
		data     []byte
		declared string
		code     string
	}{
		{"a text file", []byte("hello, this is not a picture at all\n"), "image/png", voci.ENOTPICTURE},
		{"an SVG", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "image/svg+xml", voci.ENOTPICTURE},
		{"a GIF", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), "image/gif", voci.ENOTPICTURE},
		{"a PNG declared as JPEG", pngData, "image/jpeg", voci.EPICTURETYPEMISMATCH},
		{"a JPEG declared as PNG", picturetest.JPEGWithGPS(t, 10, 10), "image/png", voci.EPICTURETYPEMISMATCH},
		{"a PNG cut in half", broken, "image/png", voci.ENOTPICTURE},
		{"a decompression bomb", picturetest.Bomb(t, 60000, 60000), "image/png", voci.EPICTURETOOLARGE},
		{"too many pixels", picturetest.Bomb(t, 6000, 5000), "image/png", voci.EPICTURETOOLARGE},
		{"a side too long", picturetest.Bomb(t, 12000, 10), "image/png", voci.EPICTURETOOLARGE},
		{"over 5 MB", append(append([]byte{}, pngData...), make([]byte, voci.MaxPictureBytes)...), "image/png", voci.EPICTURETOOLARGE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := picture.Prepare(tt.data, tt.declared); code(err) != tt.code {
				t.Fatalf("error %v, want %s", err, tt.code)
			}
		})
	}
	// A declared type that says nothing, or spelled the common wrong way, is no lie.
	for _, declared := range []string{"", "application/octet-stream", "IMAGE/PNG; charset=binary"} {
		if _, err := picture.Prepare(pngData, declared); err != nil {
			t.Fatalf("declared %q: %v", declared, err)
		}
	}
	if _, err := picture.Prepare(picturetest.JPEGWithGPS(t, 10, 10), "image/jpg"); err != nil {
		t.Fatalf("image/jpg: %v", err)
	}
}

func TestLargePictureIsScaledDown(t *testing.T) {
	p, err := picture.Prepare(picturetest.PNG(t, 2400, 600), "")
	if err != nil {
		t.Fatal(err)
	}
	if p.Width != voci.MaxStoredPictureSide || p.Height != 480 {
		t.Fatalf("%dx%d", p.Width, p.Height)
	}
}

func TestResize(t *testing.T) {
	p, err := picture.Prepare(picturetest.PNG(t, 1000, 500), "")
	if err != nil {
		t.Fatal(err)
	}
	small, err := picture.Resize(p.Data, p.ContentType, 320)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(small))
	if err != nil || cfg.Width != 320 || cfg.Height != 160 {
		t.Fatalf("%+v %v", cfg, err)
	}
	// Never wider than the picture.
	same, _ := picture.Resize(p.Data, p.ContentType, 1280)
	if !bytes.Equal(same, p.Data) {
		t.Fatal("a copy wider than the picture was made")
	}
}

// A photo taken upright is stored upright: the red corner lands where EXIF says it is seen.
func TestPhotosAreTurnedUpright(t *testing.T) {
	red := func(img image.Image, x, y int) bool {
		r, g, b, _ := img.At(x, y).RGBA()
		return r > 0xa000 && g < 0x6000 && b < 0x6000
	}
	for _, tt := range []struct {
		o          uint16
		w, h       int
		redX, redY int // where the red corner is, as fractions of 4: 1 = left/top, 3 = right/bottom
	}{
		{1, 120, 80, 1, 1}, {3, 120, 80, 3, 3}, {6, 80, 120, 3, 1}, {8, 80, 120, 1, 3}, {2, 120, 80, 3, 1}, {5, 80, 120, 1, 1},
	} {
		p, err := picture.Prepare(picturetest.JPEGWithOrientation(t, 120, 80, tt.o), "image/jpeg")
		if err != nil {
			t.Fatal(err)
		}
		img, err := jpeg.Decode(bytes.NewReader(p.Data))
		if err != nil {
			t.Fatal(err)
		}
		if p.Width != tt.w || p.Height != tt.h || img.Bounds().Dx() != tt.w {
			t.Fatalf("orientation %d: %dx%d, want %dx%d", tt.o, p.Width, p.Height, tt.w, tt.h)
		}
		if !red(img, tt.w*tt.redX/4, tt.h*tt.redY/4) {
			t.Fatalf("orientation %d: the red corner is not at (%d/4, %d/4)", tt.o, tt.redX, tt.redY)
		}
	}
}
