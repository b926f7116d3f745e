// Deleting themes and taking them out of recommendations, in the review workspace of the demo
// park consultation: a council member deletes a theme no recommendation draws on (asked twice,
// with the keyboard); a theme a recommendation draws on is refused, with the page saying which
// recommendation; once the theme is taken out of that recommendation it can go, and the audit
// log shows the deletion. In English, Romanian and Hungarian, on a laptop and a phone, with
// axe-core.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { api, signIn } from './adult.mjs';
import { eventually, expectText, overflowsHorizontally, smallTouchTargets } from './expect.mjs';
import { expectNoAxeViolations, useVoci } from './server.mjs';

const { scenario } = useVoci();

const BACAU = 20297;
const PARK = 'Cum vrem să arate parcul din cartier?';
const PHONE = { width: 360, height: 640 };
const LAPTOP = { width: 1366, height: 768 };
const holds = (s) => new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

describe('themes in the review workspace', () => {
	scenario('a theme is deleted, but only once no recommendation draws on it', async ({ page, url, newPage }) => {
		await signIn(page, url, 'coordinator.bacau@demo.voci.ro');
		const list = await api(page, 'GET', `/api/v1/municipalities/${BACAU}/consultations?page=1&pageSize=50`);
		const park = list.data.items.find((c) => c.title === PARK);
		assert.ok(park, 'the demo park consultation is seeded');
		const base = `/api/v1/municipalities/${BACAU}/consultations/${park.id}`;

		const council = await newPage({ viewport: LAPTOP, label: 'council member' });
		await signIn(council, url, 'council.bacau@demo.voci.ro');
		await council.goto(url(`/m/${BACAU}/consultations/${park.id}/review`));
		await expectText(council.getByRole('heading', { level: 1 }), holds('Review:'));
		const status = council.getByTestId('review-status');
		const theme = (title) => council.getByTestId('theme').filter({ has: council.getByRole('heading', { name: title, exact: true }) });

		for (const title of ['Benches', 'Lights at night', 'Wider paths']) {
			await council.getByTestId('new-theme-title').fill(title);
			await council.getByTestId('new-theme-title').press('Enter');
			await expectText(status, `The theme “${title}” was created.`);
		}

		// A theme nobody draws on: asked, then kept; asked again, then deleted, with the keyboard.
		await theme('Benches').getByTestId('delete-theme').click();
		await expectText(theme('Benches').getByRole('alert'), holds('Delete the theme “Benches”?'));
		await expectNoAxeViolations(council, 'deleting a theme, asked, en 1366×768');
		await theme('Benches').getByRole('button', { name: 'Keep it', exact: true }).press('Enter');
		assert.equal(await theme('Benches').getByTestId('delete-theme-yes').count(), 0);
		await theme('Benches').getByTestId('delete-theme').press('Enter');
		await theme('Benches').getByTestId('delete-theme-yes').press('Enter');
		await expectText(status, 'The theme “Benches” was deleted.');
		await eventually(async () => assert.equal(await theme('Benches').count(), 0));
		// Focus goes to the themes' heading, not to the page's start.
		await eventually(async () => assert.equal(await council.evaluate(() => document.activeElement?.id), 'themes-heading'));

		// A recommendation from two themes: the page says which recommendation holds each.
		await theme('Lights at night').getByTestId('pick-theme').check();
		await theme('Wider paths').getByTestId('pick-theme').check();
		await council.getByTestId('rec-title').fill('Light the paths in the evening');
		await council.getByRole('button', { name: 'Make the recommendation', exact: true }).click();
		await expectText(status, 'The recommendation was made.');
		await expectText(theme('Lights at night').getByTestId('theme-in-use'), holds('“Light the paths in the evening” draws on this theme'));

		// Deleting it is refused, and nothing changes.
		await theme('Lights at night').getByTestId('delete-theme').click();
		await theme('Lights at night').getByTestId('delete-theme-yes').click();
		await expectText(status, 'A recommendation draws on this theme: take the theme out of the recommendation first.');
		await expectText(theme('Lights at night'), holds('Lights at night'));
		const themes = await api(council, 'GET', `${base}/themes`);
		assert.ok(themes.data.themes.some((t) => t.title === 'Lights at night'), 'the refused theme is still stored');

		// Taken out of the recommendation on its own page section, with the keyboard.
		const rec = council.getByTestId('recommendations').locator('li').filter({ has: council.getByRole('heading', { name: 'Light the paths in the evening', exact: true }) });
		await rec.getByRole('button', { name: 'Take “Lights at night” out of the recommendation', exact: true }).press('Enter');
		await expectText(status, '“Lights at night” was taken out of the recommendation.');
		await expectText(rec.getByTestId('rec-themes'), 'Wider paths');
		// The last theme stays: no button takes it out, and the page says why.
		assert.equal(await rec.getByRole('button', { name: /^Take / }).count(), 0);
		await expectText(rec, holds('the last one cannot be taken out'));
		await expectNoAxeViolations(council, 'recommendation with its themes, en 1366×768');

		// Now it goes.
		assert.equal(await theme('Lights at night').getByTestId('theme-in-use').count(), 0);
		await theme('Lights at night').getByTestId('delete-theme').click();
		await theme('Lights at night').getByTestId('delete-theme-yes').click();
		await expectText(status, 'The theme “Lights at night” was deleted.');
		const made = await api(council, 'GET', `${base}/recommendations`);
		const ours = made.data.recommendations.find((r) => r.title === 'Light the paths in the evening');
		assert.equal(ours.themeIds.length, 1);
		const after = await api(council, 'GET', `${base}/themes`);
		assert.deepEqual(after.data.themes.filter((t) => ['Benches', 'Lights at night', 'Wider paths'].includes(t.title)).map((t) => t.title), ['Wider paths']);

		// The audit log shows both deletions to the coordinator, with the themes' titles.
		await page.goto(url('/audit?lang=en&action=theme.delete'));
		await expectText(page.getByRole('heading', { level: 1 }), 'Audit log');
		await expectText(page.locator('main'), holds('Deleted a review theme'));
		await expectText(page.locator('main'), holds('Lights at night'));
		await expectText(page.locator('main'), holds('Benches'));

		// In every language, on a phone and a laptop, the controls read and pass axe.
		const words = {
			ro: { del: 'Șterge tema', out: 'Temele pe care se sprijină' },
			hu: { del: 'Téma törlése', out: 'A témák, amelyekre épül' },
			en: { del: 'Delete the theme', out: 'Themes it draws on' }
		};
		for (const size of [PHONE, LAPTOP]) {
			await council.setViewportSize(size);
			for (const lang of ['ro', 'hu', 'en']) {
				const label = `${lang} ${size.width}×${size.height}`;
				await council.goto(url(`/m/${BACAU}/consultations/${park.id}/review?lang=${lang}`));
				await expectText(council.getByTestId('theme').first().getByTestId('delete-theme'), words[lang].del);
				await expectText(council.getByTestId('recommendations'), holds(words[lang].out));
				await council.getByTestId('theme').first().getByTestId('delete-theme').click();
				assert.equal(await overflowsHorizontally(council), false, `no sideways scrolling, ${label}`);
				assert.deepEqual(await smallTouchTargets(council), [], `touch targets, ${label}`);
				await expectNoAxeViolations(council, `review workspace with a deletion asked, ${label}`);
			}
		}
	});
});
