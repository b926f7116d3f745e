// Package picturetest makes pictures for tests: plain ones, a photo carrying a GPS position,
// and decompression bombs.
package picturetest

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

// PNG returns a w×h PNG with a gradient, so that scaling has something to scale.
func PNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{uint8(x), uint8(y), 128, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// JPEGWithGPS returns a w×h JPEG carrying an EXIF segment with a GPS position, as a phone's
// camera writes it.
func JPEGWithGPS(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{200, uint8(x), uint8(y), 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	// An APP1 segment right after the start-of-image marker: "Exif\0\0", then a TIFF header
	// and a text that stands for the GPS directory.
	payload := append([]byte("Exif\x00\x00II*\x00\x08\x00\x00\x00"), []byte(GPSMarker)...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	out := append([]byte{}, b.Bytes()[:2]...)
	out = append(out, seg...)
	out = append(out, payload...)
	return append(out, b.Bytes()[2:]...)
}

// GPSMarker stands for the position a camera writes.
const GPSMarker = "GPSLatitude 46.5670N GPSLongitude 26.9146E"

// Bomb returns a small PNG whose header says it is w×h pixels.
func Bomb(t testing.TB, w, h uint32) []byte {
	t.Helper()
	b := PNG(t, 8, 8)
	// The IHDR chunk starts at byte 8: length (4), "IHDR" (4), width (4), height (4), … CRC.
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

// JPEGWithOrientation returns a w×h JPEG whose EXIF says to turn it as orientation o (1–8)
// says, as phones write photos taken upright; its top-left quarter is red.
func JPEGWithOrientation(t testing.TB, w, h int, o uint16) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{20, 20, 200, 255}
			if x < w/2 && y < h/2 {
				c = color.RGBA{230, 20, 20, 255}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	// A big-endian TIFF header with one directory entry: Orientation (0x0112), SHORT, 1, o.
	tiff := []byte{'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, byte(o >> 8), byte(o), 0, 0, 0, 0, 0, 0}
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	out := append([]byte{}, b.Bytes()[:2]...)
	out = append(out, seg...)
	out = append(out, payload...)
	return append(out, b.Bytes()[2:]...)
}
