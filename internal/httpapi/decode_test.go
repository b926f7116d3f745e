package httpapi_test

import (
	"testing"

	"github.com/voci-platform/voci/internal/httpapi"
)

// A refused field is named by its path in the body, as the domain names its own: a
// translation's title in Hungarian is not just "title".
func TestFieldPathNamesNestedFields(t *testing.T) {
	for namespace, want := range map[string]string{
		"consultationRequest.title":                         "title",
		"consultationRequest.translations[hu].audienceBody": "translations.hu.audienceBody",
		"questionRequest.options[2].label":                  "options[2].label",
		"questionRequest.translations[en].options[0].label": "translations.en.options[0].label",
		"request":                                "",
		"decisionRequest.links[10].responseKind": "links[10].responseKind",
		"broken.field[unclosed":                  "field[unclosed",
	} {
		if got := httpapi.FieldPath(namespace); got != want {
			t.Errorf("FieldPath(%q) = %q, want %q", namespace, got, want)
		}
	}
}
