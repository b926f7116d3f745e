package voci

import "unicode/utf8"

// SafeCSVCell keeps a spreadsheet from reading a cell as a formula (CSV injection, OWASP): a
// cell that begins with a character a spreadsheet may take as the start of a formula or a
// command gets a leading apostrophe, which shows the text as written. Children's texts,
// people's emails, municipality names and notes all reach exports, so every CSV export writes
// every cell through it.
//
// The characters: = + - @ (formulas in every spreadsheet), tab and carriage return (which some
// programs skip before reading a formula), | and % (DDE and macro syntax in older ones), and
// the full-width ＝ ＋ － ＠, which some programs read as their ASCII forms. A plain negative
// number is caught too; counts are never negative, so a leading '-' comes from someone's text.
func SafeCSVCell(s string) string {
	r, _ := utf8.DecodeRuneInString(s)
	switch r {
	case '=', '+', '-', '@', '\t', '\r', '|', '%', '\uff1d', '\uff0b', '\uff0d', '\uff20':
		return "'" + s
	}
	return s
}
