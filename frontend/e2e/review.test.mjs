// The review workspace: a council member of Bacău groups the demo park consultation's input
// (its paper forms' options, and two texts a facilitator types in first) into two themes with
// the keyboard and checkboxes, quotes a text, writes a summary and makes a recommendation from
// both themes. A child's text with HTML in it is shown as text. In English and Romanian, on a
// laptop and a phone, with axe-core.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { api, signIn } from './adult.mjs';
import { eventually, expectText, overflowsHorizontally, smallTouchTargets } from './expect.mjs';
import { expectNoAxeViolations, useVoci } from './server.mjs';

const { scenario } = useVoci();

const BACAU = 20297;
/** Matches a text that holds `s` anywhere. */
const holds = (s) => new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
const PARK = 'Cum vrem să arate parcul din cartier?';
const PHONE = { width: 360, height: 640 };
const LAPTOP = { width: 1366, height: 768 };
const TREES = 'More trees by the benches, please';
const HTML = '<b>Shade</b> <img src=x onerror="window.__pwned=1"> over the swings';
const HEADING = { en: 'Review: Our park', ro: `Analiza: ${PARK}` };

/** The demo park consultation, with two texts typed in from paper: clean, so approved at once. */
async function parkWithTexts(page) {
	const list = await api(page, 'GET', `/api/v1/municipalities/${BACAU}/consultations?page=1&pageSize=50`);
	assert.equal(list.status, 200, JSON.stringify(list.data));
	const park = list.data.items.find((c) => c.title === PARK);
	assert.ok(park, 'the demo park consultation is seeded');
	const base = `/api/v1/municipalities/${BACAU}/consultations/${park.id}`;
	const cons = await api(page, 'GET', base);
	const text = cons.data.questions.find((q) => q.kind === 'short_text');
	assert.ok(text, 'the park asks for a text');
	for (const [i, words] of [TREES, HTML].entries()) {
		const r = await api(page, 'POST', `${base}/paper-forms`, { key: `review-e2e-${i}`, ageBand: '10_12', answers: [{ questionId: text.id, text: words }] });
		assert.equal(r.status, 201, JSON.stringify(r.data));
		assert.equal(r.data.answers[0].moderation, 'approved', 'typed in by an adult and clean');
	}
	return park.id;
}

describe('review workspace', () => {
	scenario('a council member groups the park input into two themes and makes a recommendation', async ({ page, url, newPage }) => {
		await signIn(page, url);
		const id = await parkWithTexts(page);

		const council = await newPage({ viewport: LAPTOP, label: 'council member' });
		await signIn(council, url, 'council.bacau@demo.voci.ro');
		await council.goto(url(`/m/${BACAU}/consultations/${id}`));
		await council.getByTestId('review-link').click();
		await eventually(() => assert.ok(council.url().endsWith(`/consultations/${id}/review`)));
		await expectText(council.getByRole('heading', { level: 1 }), HEADING.en);
		await expectText(council.getByTestId('review-texts'), holds(TREES));
		// HTML in a child's text is shown as its characters, never run or rendered.
		await expectText(council.getByTestId('review-texts'), holds(HTML));
		assert.equal(await council.locator('[data-testid="review-texts"] img, [data-testid="review-texts"] b').count(), 0);
		assert.equal(await council.evaluate(() => window.__pwned), undefined);
		await expectNoAxeViolations(council, 'review workspace, en 1366×768');

		// Two themes, made with the keyboard: type a title, Enter.
		for (const title of ['Shade and trees', 'Things to play on']) {
			await council.getByTestId('new-theme-title').focus();
			await council.keyboard.type(title);
			await council.keyboard.press('Enter');
			await expectText(council.getByTestId('review-status'), `The theme “${title}” was created.`);
		}
		const theme = (title) => council.getByTestId('theme').filter({ has: council.getByRole('heading', { name: title, exact: true }) });

		// A text and an option into the first theme: checkboxes ticked with the space bar, the
		// theme chosen from a list.
		await council.getByRole('checkbox', { name: TREES, exact: true }).focus();
		await council.keyboard.press('Space');
		await council.getByTestId('pick-option').nth(1).focus();
		await council.keyboard.press('Space');
		await expectText(council.getByText(/inputs? selected/), '2 inputs selected');
		await council.getByTestId('theme-picker').selectOption({ label: 'Shade and trees' });
		await council.getByRole('button', { name: 'Add to theme', exact: true }).click();
		await expectText(council.getByTestId('review-status'), 'Added to “Shade and trees”.');
		await expectText(theme('Shade and trees'), holds(TREES));
		// The same text in the second theme too, with another option: one input, two themes.
		await council.getByRole('checkbox', { name: TREES, exact: true }).check();
		await council.getByTestId('pick-option').first().check();
		await council.getByTestId('theme-picker').selectOption({ label: 'Things to play on' });
		await council.getByRole('button', { name: 'Add to theme', exact: true }).click();
		await expectText(council.getByTestId('review-status'), 'Added to “Things to play on”.');
		await expectText(council.getByTestId('review-texts'), holds('In themes: Shade and trees, Things to play on'));

		// A quote: the text alone, toggled with its checkbox.
		await theme('Shade and trees').getByTestId('quote-toggle').check();
		await expectText(theme('Shade and trees').locator('blockquote'), TREES);
		// A summary, saved with the keyboard.
		await theme('Shade and trees').getByTestId('theme-summary').fill('Children want shade: trees by the benches and the playground.');
		await theme('Shade and trees').getByRole('button', { name: 'Save title and summary', exact: true }).press('Enter');
		await expectText(council.getByTestId('review-status'), 'Saved.');
		// Support is counted from the data: nine children of the paper class chose the option,
		// and one more wrote the text: ten children behind the theme.
		await expectText(theme('Shade and trees'), holds('10 children behind this theme'));

		// A recommendation from both themes, to the consultation's audience.
		await theme('Shade and trees').getByTestId('pick-theme').check();
		await theme('Things to play on').getByTestId('pick-theme').check();
		await council.getByTestId('rec-title').fill('Plant trees and add shaded play equipment');
		await council.getByTestId('rec-text').fill('Most children who answered asked for shade near where they play.');
		await council.getByRole('button', { name: 'Make the recommendation', exact: true }).click();
		await expectText(council.getByTestId('review-status'), 'The recommendation was made.');
		const recs = council.getByTestId('recommendations');
		await expectText(recs, holds('Plant trees and add shaded play equipment'));
		await expectText(recs, holds('To: Consiliul Local Bacău'));
		await expectText(recs, holds('From the themes: Shade and trees, Things to play on'));
		await expectNoAxeViolations(council, 'review workspace with themes, en 1366×768');
		assert.equal(await overflowsHorizontally(council), false, 'no sideways scrolling, en 1366×768');

		// Stored as shown: two themes, a quote without demographics, one recommendation.
		const themes = await api(council, 'GET', `/api/v1/municipalities/${BACAU}/consultations/${id}/themes`);
		assert.equal(themes.data.themes.length, 2);
		assert.deepEqual(Object.keys(themes.data.themes[0].quotes[0]).sort(), ['answerId', 'text']);
		const made = await api(council, 'GET', `/api/v1/municipalities/${BACAU}/consultations/${id}/recommendations`);
		// Beside the two the demo content makes on the park (seeds.EnsureDemoRecommendations).
		assert.equal(made.data.recommendations.length, 3);
		const ours = made.data.recommendations.find((r) => r.title === 'Plant trees and add shaded play equipment');
		assert.equal(ours.themeIds.length, 2);

		// Romanian and the phone: the same workspace reads and passes axe.
		for (const size of [PHONE, LAPTOP]) {
			await council.setViewportSize(size);
			for (const lang of ['ro', 'en']) {
				const label = `${lang} ${size.width}×${size.height}`;
				await council.goto(url(`/m/${BACAU}/consultations/${id}/review?lang=${lang}`));
				await expectText(council.getByRole('heading', { level: 1 }), HEADING[lang]);
				await expectText(council.getByTestId('recommendations'), holds('Plant trees and add shaded play equipment'));
				await expectText(council.getByTestId('review-texts'), holds(HTML));
				assert.equal(await overflowsHorizontally(council), false, `no sideways scrolling, ${label}`);
				assert.deepEqual(await smallTouchTargets(council), [], `touch targets, ${label}`);
				await expectNoAxeViolations(council, `review workspace, ${label}`);
			}
		}
	});
});
