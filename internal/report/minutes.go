package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/voci-platform/voci/internal/voci"
)

// MinutesPDF is what the PDF of a meeting's minutes holds: the text as written (Markdown)
// and the lines that say how far it stands (draft, or approved with its hash).
type MinutesPDF struct {
	Title  string
	Lang   string
	Text   string
	Status []string
	At     time.Time // when the file was made, for its metadata
}

// WriteMinutesPDF writes the minutes on A4 for the town hall's file: headings, lists and
// quotes of the Markdown as such, every other line as a paragraph, and the status lines in a
// box at the end. Every page has its number.
func WriteMinutesPDF(w io.Writer, m MinutesPDF) error {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes(fontFamily, "", dejaVuSans)
	pdf.AddUTF8FontFromBytes(fontFamily, "B", dejaVuSansBold)
	pdf.SetMargins(pageMargin+5, pageMargin, pageMargin+5)
	pdf.SetAutoPageBreak(true, pageMargin+5)
	pdf.SetCreationDate(m.At)
	pdf.SetModificationDate(m.At)
	pdf.SetCatalogSort(true)
	pdf.SetLang(m.Lang)
	pdf.SetTitle(m.Title, true)
	pdf.SetCreator("Voci", true)
	pdf.AliasNbPages("{nb}")
	lang := voci.ParseLang(m.Lang)
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		pdf.SetFont(fontFamily, "", 8)
		pdf.SetTextColor(90, 90, 90)
		pdf.CellFormat(0, 5, fmt.Sprintf(word(lang, "page"), pdf.PageNo(), "{nb}"), "", 0, "C", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
	})
	pdf.AddPage()
	for _, line := range strings.Split(strings.TrimRight(m.Text, "\n"), "\n") {
		switch {
		case strings.HasPrefix(line, "# "):
			pdf.SetFont(fontFamily, "B", 16)
			pdf.MultiCell(0, 8, strings.TrimPrefix(line, "# "), "", "L", false)
		case strings.HasPrefix(line, "## "):
			pdf.Ln(2)
			pdf.SetFont(fontFamily, "B", 13)
			pdf.MultiCell(0, 7, strings.TrimPrefix(line, "## "), "", "L", false)
		case strings.HasPrefix(line, "### "):
			pdf.SetFont(fontFamily, "B", 11)
			pdf.MultiCell(0, 6, strings.TrimPrefix(line, "### "), "", "L", false)
		case strings.TrimSpace(line) == "":
			pdf.Ln(2)
		default:
			pdf.SetFont(fontFamily, "", 10)
			indent, text := 0.0, line
			for strings.HasPrefix(text, "  ") {
				indent, text = indent+5, text[2:]
			}
			if t, ok := strings.CutPrefix(text, "- "); ok {
				indent, text = indent+4, "• "+t
			} else if t, ok := strings.CutPrefix(text, "> "); ok || text == ">" {
				indent, text = indent+6, t
				pdf.SetTextColor(60, 60, 60)
			}
			left, _, _, _ := pdf.GetMargins()
			pdf.SetLeftMargin(left + indent)
			pdf.SetX(left + indent)
			pdf.MultiCell(0, 5, text, "", "L", false)
			pdf.SetLeftMargin(left)
			pdf.SetTextColor(0, 0, 0)
		}
	}
	if len(m.Status) > 0 {
		pdf.Ln(4)
		pdf.SetFont(fontFamily, "", 9)
		pdf.SetFillColor(240, 240, 240)
		pdf.MultiCell(0, 5, strings.Join(m.Status, "\n"), "1", "L", true)
	}
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return nil
}

// WriteRowsCSV writes rows under header as UTF-8 CSV with a byte order mark, every cell
// through voci.SafeCSVCell so that no spreadsheet runs it as a formula.
func WriteRowsCSV(w io.Writer, header []string, rows [][]string) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	safe := func(r []string) []string {
		out := make([]string, len(r))
		for i, c := range r {
			out[i] = voci.SafeCSVCell(c)
		}
		return out
	}
	if err := cw.Write(safe(header)); err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.Write(safe(r)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// minutesWords are the words of the minutes' status box.
var minutesWords = map[voci.Lang]map[string]string{
	voci.LangRO: {"draft": "Proiect: procesul-verbal nu a fost încă aprobat.", "approved": "Aprobat la %s, prin votul ședinței „%s” (pentru %d, împotrivă %d, abțineri %d).",
		"hash": "Amprenta SHA-256 a textului aprobat: %s", "mismatch": "Atenție: textul păstrat NU corespunde amprentei aprobate."},
	voci.LangEN: {"draft": "Draft: these minutes are not approved yet.", "approved": "Approved on %s by the vote of the meeting “%s” (yes %d, no %d, abstain %d).",
		"hash": "SHA-256 of the approved text: %s", "mismatch": "Warning: the stored text does NOT match the approved hash."},
	voci.LangHU: {"draft": "Tervezet: a jegyzőkönyvet még nem hagyták jóvá.", "approved": "Jóváhagyva: %s, a(z) „%s” ülés szavazásával (igen %d, nem %d, tartózkodott %d).",
		"hash": "A jóváhagyott szöveg SHA-256 lenyomata: %s", "mismatch": "Figyelem: a tárolt szöveg NEM egyezik a jóváhagyott lenyomattal."},
}

// MinutesStatusLines say how far the minutes stand, in lang: a draft, or approved (by the
// meeting titled approvedIn) with the hash, and a warning when the text no longer matches it.
func MinutesStatusLines(lang voci.Lang, m *voci.MeetingMinutes, approvedIn string) []string {
	w, ok := minutesWords[lang]
	if !ok {
		w = minutesWords[voci.LangRO]
	}
	if m.Status != voci.MinutesApproved {
		return []string{w["draft"]}
	}
	out := []string{fmt.Sprintf(w["approved"], voci.FormatDate(voci.Today(m.ApprovedAt)), approvedIn, m.Approval.Yes, m.Approval.No, m.Approval.Abstain),
		fmt.Sprintf(w["hash"], m.Hash)}
	if !m.Verified() {
		out = append(out, w["mismatch"])
	}
	return out
}
