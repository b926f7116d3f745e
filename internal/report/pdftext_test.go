package report_test

import (
	"bytes"
	"compress/zlib"
	"io"
	"regexp"
	"strings"
	"unicode/utf16"
)

// pdfText is the text a PDF written by fpdf with a UTF-8 font shows: each content stream is
// inflated when it is compressed, and each string shown with Tj (UTF-16BE, escaped as PDF
// literal strings) is decoded, one per line. It reads fpdf's output, not PDFs in general.
func pdfText(pdf []byte) string {
	var out strings.Builder
	streams := regexp.MustCompile(`(?s)<<([^>]*?)>>\s*stream\r?\n(.*?)\r?\nendstream`)
	for _, m := range streams.FindAllSubmatch(pdf, -1) {
		body := m[2]
		if bytes.Contains(m[1], []byte("FlateDecode")) {
			r, err := zlib.NewReader(bytes.NewReader(body))
			if err != nil {
				continue
			}
			body, err = io.ReadAll(r)
			if err != nil && len(body) == 0 {
				continue
			}
		}
		for _, s := range literalStrings(body) {
			out.WriteString(decodeUTF16(s))
			out.WriteByte('\n')
		}
	}
	return out.String()
}

// literalStrings returns the (…) strings followed by Tj in a content stream, unescaped.
func literalStrings(b []byte) [][]byte {
	var res [][]byte
	for i := 0; i < len(b); i++ {
		if b[i] != '(' {
			continue
		}
		var s []byte
		j := i + 1
		for ; j < len(b) && b[j] != ')'; j++ {
			if b[j] == '\\' && j+1 < len(b) {
				j++
				switch b[j] {
				case 'n':
					s = append(s, '\n')
				case 'r':
					s = append(s, '\r')
				case 't':
					s = append(s, '\t')
				default:
					s = append(s, b[j])
				}
				continue
			}
			s = append(s, b[j])
		}
		if bytes.HasPrefix(bytes.TrimLeft(b[min(j+1, len(b)):], " "), []byte("Tj")) {
			res = append(res, s)
		}
		i = j
	}
	return res
}

func decodeUTF16(b []byte) string {
	if len(b)%2 == 1 {
		return string(b)
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	return string(utf16.Decode(u))
}
