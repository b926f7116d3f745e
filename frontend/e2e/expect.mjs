// Small assertions for the browser tests. playwright-core has no `expect`,
// so these poll until the page settles or the timeout passes.
import assert from 'node:assert/strict';

export const LANGUAGES = ['ro', 'en', 'hu'];

/** Each language's name on the switcher, written in that language. */
export const LANGUAGE_NAMES = { ro: 'Română', en: 'English', hu: 'Magyar' };

/** The main heading of each page, as a person reads it. */
export const HEADINGS = {
	'/': {
		ro: 'Vocile copiilor în deciziile orașului',
		en: "Children's voices in their town's decisions",
		hu: 'A gyerekek hangja a település döntéseiben'
	},
	'/join': {
		ro: 'Intră într-o sesiune',
		en: 'Join a session',
		hu: 'Csatlakozás egy foglalkozáshoz'
	},
	'/municipalities': {
		ro: 'Caută o localitate',
		en: 'Find a municipality',
		hu: 'Település keresése'
	},
	'/login': {
		ro: 'Autentificare pentru adulți',
		en: 'Sign in for adults',
		hu: 'Bejelentkezés felnőtteknek'
	},
	'/forgot-password': {
		ro: 'Ai uitat parola?',
		en: 'Forgot your password?',
		hu: 'Elfelejtetted a jelszavad?'
	},
	'/reset-password': {
		ro: 'Alege o parolă nouă',
		en: 'Choose a new password',
		hu: 'Válassz új jelszót'
	},
	'/password-reset': {
		ro: 'Alege o parolă nouă',
		en: 'Choose a new password',
		hu: 'Válassz új jelszót'
	},
	'/invitation': {
		ro: 'Invitație în Voci',
		en: 'Invitation to Voci',
		hu: 'Meghívó a Vocira'
	},
	'/council': {
		ro: 'Consiliul meu',
		en: 'My council',
		hu: 'A tanácsom'
	},
	'/this-page-does-not-exist': {
		ro: 'Pagina nu există',
		en: 'Page not found',
		hu: 'Az oldal nem található'
	}
};

/** Retries `check` until it stops throwing, or rethrows its last error. */
export async function eventually(check, { timeout = 10_000, interval = 100 } = {}) {
	const deadline = Date.now() + timeout;
	for (;;) {
		try {
			return await check();
		} catch (error) {
			if (Date.now() > deadline) throw error;
			await new Promise((resolve) => setTimeout(resolve, interval));
		}
	}
}

/** The page shows `text` as its one <h1>, in language `lang`. */
export async function expectPage(page, lang, heading) {
	await eventually(async () => {
		assert.equal(await page.locator('html').getAttribute('lang'), lang, '<html lang>');
		const h1 = page.locator('h1');
		assert.equal(await h1.count(), 1, 'exactly one <h1>');
		assert.equal((await h1.textContent())?.trim(), heading, '<h1>');
	});
}

export async function expectText(locator, expected) {
	await eventually(async () => {
		const text = (await locator.textContent({ timeout: 1_000 }))?.replace(/\s+/g, ' ').trim();
		if (expected instanceof RegExp) assert.match(text ?? '', expected);
		else assert.equal(text, expected);
	});
}

export async function expectCount(locator, count) {
	await eventually(async () => assert.equal(await locator.count(), count));
}

/** Describes the focused element, e.g. `input#join-code` or `a "Join a session"`. */
export function focused(page) {
	return page.evaluate(() => {
		const el = document.activeElement;
		if (!el || el === document.body) return 'body';
		const id = el.id ? `#${el.id}` : '';
		const text = el.textContent?.trim().replace(/\s+/g, ' ').slice(0, 60);
		return `${el.tagName.toLowerCase()}${id}${text ? ` "${text}"` : ''}`;
	});
}

/** Presses Tab until `matches(description)` holds for the focused element. */
export async function tabTo(page, matches, { max = 30 } = {}) {
	const seen = [];
	for (let i = 0; i < max; i++) {
		await page.keyboard.press('Tab');
		const now = await focused(page);
		seen.push(now);
		if (matches(now)) return now;
	}
	throw new Error(`Tab never reached the target; focus went through:\n  ${seen.join('\n  ')}`);
}

/**
 * Interactive elements smaller than 44×44 CSS pixels. A checkbox counts as
 * its whole label, which is what a finger hits.
 */
export function smallTouchTargets(page) {
	return page.evaluate(() => {
		const small = [];
		for (const el of document.querySelectorAll('a[href], button, input, select, textarea, summary')) {
			const style = getComputedStyle(el);
			if (style.display === 'none' || style.visibility === 'hidden') continue;
			const target = el.closest('label') ?? el;
			const box = target.getBoundingClientRect();
			if (box.width < 44 || box.height < 44) {
				small.push(`${el.tagName.toLowerCase()} "${el.textContent?.trim() || el.getAttribute('name')}" ${Math.round(box.width)}×${Math.round(box.height)}`);
			}
		}
		return small;
	});
}

/** Whether the page scrolls sideways, which on a phone means something is too wide. */
export function overflowsHorizontally(page) {
	return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
}
