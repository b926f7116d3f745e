// A facilitator records counts about the group of a live session (never about
// a child) on the console, in every language, with axe-core checking the form.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { api, signIn } from './adult.mjs';
import { eventually, expectText, overflowsHorizontally } from './expect.mjs';
import { expectNoAxeViolations, PHONE, useVoci } from './server.mjs';

const { scenario } = useVoci();

const BACAU = 20297;

const HEADING = { ro: 'Despre grup', en: 'About the group', hu: 'A csoportról' };

describe('counts about a group', () => {
	scenario('a facilitator records who was in the room, and reads it back in every language', async ({ page, url }) => {
		await signIn(page, url);
		const base = `/api/v1/municipalities/${BACAU}/consultations`;
		const created = await api(page, 'POST', base, {
			title: 'A park for everyone',
			audienceBody: 'Bacău local council',
			answerBy: '2027-06-30T00:00:00Z',
			modes: ['live']
		});
		assert.equal(created.status, 201, JSON.stringify(created.data));
		const id = created.data.id;
		assert.equal((await api(page, 'POST', `${base}/${id}/questions`, { kind: 'scale', prompt: 'How safe is the park?' })).status, 201);
		assert.equal((await api(page, 'POST', `${base}/${id}/status`, { status: 'open' })).status, 200);
		const live = await api(page, 'POST', `${base}/${id}/live-sessions`);
		assert.equal(live.status, 201);
		const consolePath = `/m/${BACAU}/live/${live.data.id}`;

		await page.goto(url(consolePath));
		await expectText(page.locator('#group-heading'), HEADING.en);
		await page.getByLabel('Children in the room (with or without a phone)').fill('24');
		await page.getByLabel('children from Roma communities').fill('30');
		await page.getByRole('button', { name: 'Save the counts' }).click();
		await expectText(page.locator('section[aria-labelledby="group-heading"] .status'), 'A group cannot have more children than were present.');
		assert.equal(await page.getByLabel('children from Roma communities').getAttribute('aria-invalid'), 'true');

		await page.getByLabel('children from Roma communities').fill('6');
		await page.getByLabel('children with disabilities').fill('2');
		await page.getByLabel('easy-read materials').check();
		await page.getByRole('button', { name: 'Save the counts' }).click();
		await expectText(page.locator('section[aria-labelledby="group-heading"] .status'), 'Saved.');
		const stored = await api(page, 'GET', `/api/v1/municipalities/${BACAU}/live-sessions/${live.data.id}/group-facts`);
		assert.deepEqual(
			{ present: stored.data.present, counts: stored.data.counts, adaptations: stored.data.adaptations },
			{ present: 24, counts: { roma: 6, disability: 2 }, adaptations: ['easy_read'] }
		);
		await expectNoAxeViolations(page, 'group facts, en');

		// After the session ends the form is still there, with what was recorded.
		assert.equal((await api(page, 'POST', `/api/v1/municipalities/${BACAU}/live-sessions/${live.data.id}/end`)).status, 200);
		await page.setViewportSize(PHONE);
		for (const lang of ['ro', 'hu', 'en']) {
			await page.goto(url(`${consolePath}?lang=${lang}`));
			await expectText(page.locator('#group-heading'), HEADING[lang]);
			await eventually(async () => assert.equal(await page.locator('#group-roma').inputValue(), '6'));
			assert.equal(await page.locator('#group-present').inputValue(), '24');
			assert.equal(await page.locator('#group-rural').inputValue(), '', 'a category not counted stays empty');
			assert.ok(await page.locator('input[value="easy_read"]').isChecked());
			assert.equal(await overflowsHorizontally(page), false, `no sideways scrolling in ${lang}`);
			await expectNoAxeViolations(page, `group facts after the end, ${lang}`);
		}
	});
});
