package voci

import (
	"crypto/rand"
	"fmt"
	"math/big"
)

// Lang is a language of the interface.
type Lang string

const (
	LangRO Lang = "ro"
	LangEN Lang = "en"
	LangHU Lang = "hu"
)

// ParseLang returns the language, or Romanian (the default) for anything unknown.
func ParseLang(s string) Lang {
	switch Lang(s) {
	case LangEN, LangHU:
		return Lang(s)
	}
	return LangRO
}

// aliasWords are curated, kind words: a friendly animal and a cheerful quality, so that no
// combination can read as a slur or a real person's name. Romanian adjectives agree with the
// noun's gender, so Romanian comes in two lists that are only combined within themselves.
var aliasWords = map[Lang][]struct{ nouns, adjectives []string }{
	LangRO: {
		{nouns: []string{"Arici", "Delfin", "Pinguin", "Urs", "Iepure", "Bursuc", "Castor", "Leu", "Papagal", "Cățel"},
			adjectives: []string{"Curajos", "Vesel", "Isteț", "Rapid", "Zâmbitor", "Jucăuș", "Voios", "Harnic", "Blând", "Luminos"}},
		{nouns: []string{"Vulpe", "Bufniță", "Veveriță", "Albină", "Broscuță", "Pisică", "Căprioară", "Balenă", "Rândunică", "Furnică"},
			adjectives: []string{"Curajoasă", "Veselă", "Isteață", "Rapidă", "Zâmbitoare", "Jucăușă", "Voioasă", "Harnică", "Blândă", "Luminoasă"}},
	},
	LangEN: {
		{nouns: []string{"Otter", "Fox", "Owl", "Squirrel", "Dolphin", "Penguin", "Hedgehog", "Bee", "Beaver", "Panda", "Koala", "Robin"},
			adjectives: []string{"Brave", "Happy", "Clever", "Quick", "Smiling", "Playful", "Cheerful", "Busy", "Gentle", "Bright", "Kind", "Curious"}},
	},
	LangHU: {
		{nouns: []string{"Vidra", "Róka", "Bagoly", "Mókus", "Delfin", "Pingvin", "Süni", "Méhecske", "Hód", "Panda", "Cica", "Fecske"},
			adjectives: []string{"Bátor", "Vidám", "Okos", "Fürge", "Mosolygó", "Játékos", "Derűs", "Szorgos", "Kedves", "Ragyogó", "Kíváncsi", "Barátságos"}},
	},
}

// NewAlias returns a random kid-safe alias in lang, such as "Vulpe Veselă 27", "Brave Otter 4"
// or "Vidám Mókus 81". The number tells two children with the same words apart.
func NewAlias(lang Lang) string {
	groups := aliasWords[ParseLang(string(lang))]
	g := groups[randIntn(len(groups))]
	noun := g.nouns[randIntn(len(g.nouns))]
	adj := g.adjectives[randIntn(len(g.adjectives))]
	n := randIntn(99) + 1
	if lang == LangRO || ParseLang(string(lang)) == LangRO {
		return fmt.Sprintf("%s %s %d", noun, adj, n)
	}
	return fmt.Sprintf("%s %s %d", adj, noun, n)
}

func randIntn(n int) int {
	v, _ := rand.Int(rand.Reader, big.NewInt(int64(n)))
	return int(v.Int64())
}
