// The words of a shell's first screen in English and Hungarian, so that a phone shown either
// sees that screen as early as in Romanian (see $lib/phone/early). Shells are written out in
// Romanian at build time; this adds to each, at build time, a small JSON block taken from the
// real children's dictionaries: for every Romanian message found in the page, as a whole text
// or attribute, its translations; and for each element that names its message (data-t="KEY":
// a sentence with empty places for the inline script, see slotted, or a text that several
// messages share) its content in each language. The
// head script of app.html swaps them in as the body is parsed, sets the page's language and
// shows it, before the page's scripts have run.

import type { Locale } from '$lib/i18n/locales';
import type { Message } from '$lib/i18n/types';
import { slotted } from './early';

type Dictionary = Readonly<Record<string, Message>>;

/** One language's words: Romanian text to text (`t`), and sentences with places by key (`h`). */
export interface ShellWords {
	t: Record<string, string>;
	h: Record<string, string>;
}

/** The element id of the JSON block that app.html reads. */
export const WORDS_ID = 'voci-words';

// As Svelte escapes text and attribute values when it writes a page out.
const escapeText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const escapeAttribute = (s: string): string => escapeText(s).replace(/"/g, '&quot;');
const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');

/** The words of `html`'s first screen in each other language, from the dictionaries. */
export function shellWords(html: string, dictionaries: Readonly<Record<Locale, Dictionary>>): Partial<Record<Locale, ShellWords>> {
	const source = dictionaries.ro;
	const words: Partial<Record<Locale, ShellWords>> = {};
	const marked = new Set([...html.matchAll(/\sdata-t="([^"]+)"/g)].map((m) => m[1] ?? ''));
	for (const locale of Object.keys(dictionaries) as Locale[]) {
		if (locale === 'ro') continue;
		const target = dictionaries[locale];
		const t: Record<string, string> = {};
		const h: Record<string, string> = {};
		const ambiguous = new Set<string>();
		for (const [key, ro] of Object.entries(source)) {
			const other = target[key];
			if (typeof ro !== 'string' || typeof other !== 'string') continue;
			if (marked.has(key)) {
				const names = placeholders(ro);
				const fill = (template: string) => (params: Record<string, string>) => template.replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
				h[key] = slotted(fill(other), names);
				continue;
			}
			if (ro.trim() === '' || placeholders(ro).length > 0) continue;
			const asText = new RegExp(`>\\s*${escapeRegExp(escapeText(ro))}\\s*<`);
			const asAttribute = `="${escapeAttribute(ro)}"`;
			if (!asText.test(html) && !html.includes(asAttribute)) continue;
			// A text that two messages share but translate differently is left out: it stays
			// Romanian until the scripts have run, unless its element names its key (data-t).
			if (ro in t && t[ro] !== other) ambiguous.add(ro);
			t[ro] = other;
		}
		for (const ro of ambiguous) delete t[ro];
		// The page's title: a message within layout.title.
		const title = (dictionary: Dictionary, page: string) => String(dictionary['layout.title'] ?? '{page}').replace('{page}', page);
		for (const ro of Object.keys(t)) {
			const titled = title(source, ro);
			if (html.includes(`<title>${escapeText(titled)}</title>`)) t[titled] = title(target, t[ro] ?? ro);
		}
		for (const ro of Object.keys(t)) if (t[ro] === ro) delete t[ro];
		words[locale] = { t, h };
	}
	return words;
}

/** `html` with its first screen's words in the other languages, at the end of its body. */
export function withWords(html: string, dictionaries: Readonly<Record<Locale, Dictionary>>): string {
	if (!html.includes('</body>')) return html;
	// Nothing in the JSON may close the element early.
	const json = JSON.stringify(shellWords(html, dictionaries)).replace(/</g, '\\u003c');
	return html.replace('</body>', `<script type="application/json" id="${WORDS_ID}">${json}</script></body>`);
}
