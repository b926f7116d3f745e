// Every page, in every language, reached by ?lang= and by the switcher, with
// an axe-core check each time.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import {
	eventually,
	expectPage,
	HEADINGS,
	LANGUAGE_NAMES,
	LANGUAGES,
	overflowsHorizontally,
	smallTouchTargets
} from './expect.mjs';
import { expectNoAxeViolations, PHONE, useVoci } from './server.mjs';

const { scenario } = useVoci();
const PATHS = Object.keys(HEADINGS);

describe('every page in every language, chosen with ?lang=', () => {
	for (const path of PATHS) {
		for (const lang of LANGUAGES) {
			scenario(`${path}?lang=${lang}`, async ({ page, url }) => {
				await page.goto(url(`${path}?lang=${lang}`));
				await expectPage(page, lang, HEADINGS[path][lang]);
				// A page written out at build time has its title once its scripts have run.
				await eventually(async () => assert.match(await page.title(), / · Voci$/));
				await expectNoAxeViolations(page, `${path}?lang=${lang}`);
			});
		}
	}
});

describe('every page in every language, chosen with the switcher, on a phone', () => {
	for (const path of PATHS) {
		scenario(
			`${path} through ro → en → hu → ro`,
			async ({ page, url }) => {
				await page.goto(url(path));
				await expectPage(page, 'ro', HEADINGS[path].ro);
				for (const lang of ['en', 'hu', 'ro']) {
					const button = page.getByRole('button', { name: LANGUAGE_NAMES[lang], exact: true });
					await button.click();
					await expectPage(page, lang, HEADINGS[path][lang]);
					assert.equal(await button.getAttribute('aria-pressed'), 'true');
					await expectNoAxeViolations(page, `${path} after choosing ${lang}`);
					assert.deepEqual(await smallTouchTargets(page), [], 'touch targets of at least 44×44 px');
					assert.equal(await overflowsHorizontally(page), false, 'no sideways scrolling at 360 px');
				}
			},
			{ viewport: PHONE }
		);
	}
});

describe('the remembered language', () => {
	scenario('survives a reload and navigation', async ({ page, url }) => {
		await page.goto(url('/join'));
		await page.getByRole('button', { name: 'Magyar', exact: true }).click();
		await expectPage(page, 'hu', HEADINGS['/join'].hu);
		await page.reload();
		await expectPage(page, 'hu', HEADINGS['/join'].hu);
		await page.getByRole('link', { name: 'Települések' }).click();
		await expectPage(page, 'hu', HEADINGS['/municipalities'].hu);
		assert.equal(await page.evaluate(() => localStorage.getItem('voci.lang')), 'hu');
	});

	scenario('a ?lang= link wins over it, and the switcher then drops ?lang= from the address', async ({ page, url }) => {
		await page.goto(url('/?lang=en'));
		await expectPage(page, 'en', HEADINGS['/'].en);
		await page.getByRole('button', { name: 'Magyar', exact: true }).click();
		await expectPage(page, 'hu', HEADINGS['/'].hu);
		assert.equal(new URL(page.url()).searchParams.has('lang'), false);
		await page.reload();
		await expectPage(page, 'hu', HEADINGS['/'].hu);
		await page.goto(url('/?lang=ro'));
		await expectPage(page, 'ro', HEADINGS['/'].ro);
	});

	scenario('ignores an unknown ?lang=', async ({ page, url }) => {
		await page.goto(url('/join?lang=xx'));
		await expectPage(page, 'ro', HEADINGS['/join'].ro);
	});
});

describe('under the server’s own Content-Security-Policy', () => {
	scenario(
		'every page renders and nothing is refused',
		async ({ page, url }) => {
			for (const path of PATHS) {
				const response = await page.goto(url(`${path}?lang=en`));
				assert.ok(response?.headers()['content-security-policy'], 'the server sends a CSP');
				await expectPage(page, 'en', HEADINGS[path].en);
			}
		},
		{ bypassCSP: false }
	);
});
