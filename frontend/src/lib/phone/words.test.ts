import { describe, expect, it } from 'vitest';
import { en } from '$lib/i18n/en';
import { hu } from '$lib/i18n/hu';
import { ro } from '$lib/i18n/ro';
import { shellWords, withWords, WORDS_ID } from './words';

const dictionaries = { ro, en, hu };

describe("a shell's words in the other languages", () => {
	it('takes the messages found in the page, as text or attribute, from the real dictionaries', () => {
		const html = `<h1>${ro['join.heading']}</h1><input placeholder="${ro['join.codeHint']}"><p>Curtea școlii</p>`;
		const words = shellWords(html, dictionaries);
		expect(words.hu?.t).toEqual({ [ro['join.heading']]: hu['join.heading'], [ro['join.codeHint']]: hu['join.codeHint'] });
		expect(words.en?.t[ro['join.heading']]).toBe(en['join.heading']);
		expect(words).not.toHaveProperty('ro');
	});

	it("translates the page's title", () => {
		const html = `<title>${ro['join.pageTitle']} · Voci</title><h1>${ro['join.pageTitle']}</h1>`;
		expect(shellWords(html, dictionaries).hu?.t[`${ro['join.pageTitle']} · Voci`]).toBe(`${hu['join.pageTitle']} · Voci`);
	});

	it('leaves out a text that two messages translate differently, unless its element names its key', () => {
		expect(ro['nav.join']).toBe(ro['join.submit']);
		const html = `<a href="/join">${ro['nav.join']}</a><button data-t="join.submit">${ro['join.submit']}</button>`;
		const words = shellWords(html, dictionaries);
		expect(words.hu?.h['join.submit']).toBe(hu['join.submit']);
		// Only nav.join is left for the text once join.submit is named: it is taken.
		expect(words.hu?.t[ro['nav.join']]).toBe(hu['nav.join']);
		const unnamed = shellWords(`<a href="/join">${ro['nav.join']}</a>`, dictionaries);
		expect(unnamed.hu?.t).not.toHaveProperty(ro['nav.join']);
	});

	it('writes a named sentence with empty places for the inline script', () => {
		const words = shellWords('<li data-t="selfPaced.intro.who"></li>', dictionaries);
		const who = words.hu?.h['selfPaced.intro.who'] ?? '';
		expect(who).toContain('<span data-early="body"></span>');
		expect(who).toContain('<span data-early="date"></span>');
		expect(who).not.toContain('{');
	});

	it('puts them in a JSON block at the end of the body that nothing in it can close', () => {
		const html = withWords(`<body><h1>${ro['join.heading']}</h1><button data-t="selfPaced.intro.who"></button></body>`, dictionaries);
		const block = new RegExp(`<script type="application/json" id="${WORDS_ID}">(.*?)</script></body>$`).exec(html);
		expect(block).not.toBeNull();
		expect(block?.[1]).not.toContain('<');
		expect(JSON.parse(block?.[1] ?? '').en.t[ro['join.heading']]).toBe(en['join.heading']);
	});
});
