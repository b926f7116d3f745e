// A facilitator locks the room against new children from the console: the presenter screen
// says so instead of showing the code, a new phone is told the session is closed, and the
// child already in stays. Unlocking brings the code back. axe-core checks the pages.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { api, signIn } from './adult.mjs';
import { eventually, expectText } from './expect.mjs';
import { expectNoAxeViolations, PHONE, useVoci } from './server.mjs';

const { scenario } = useVoci();

const BACAU = 20297;

describe('locking a room', () => {
	scenario('a facilitator locks the room, a new child is refused, the child already in stays', async ({ page, url, newPage }) => {
		await signIn(page, url);
		const base = `/api/v1/municipalities/${BACAU}/consultations`;
		const created = await api(page, 'POST', base, {
			title: 'A locked room',
			purpose: 'The town is building a park. Tell us what should be in it.',
			ageBands: ['10_12'],
			goals: ['safe_environment'],
			topics: ['parks'],
			audienceBody: 'Bacău local council',
			answerBy: '2027-06-30T00:00:00Z',
			modes: ['live'],
			languages: ['en'] // written in English: the projector speaks it
		});
		assert.equal(created.status, 201, JSON.stringify(created.data));
		const id = created.data.id;
		assert.equal((await api(page, 'POST', `${base}/${id}/questions`, { kind: 'scale', prompt: 'How much do you like the park?' })).status, 201);
		assert.equal((await api(page, 'POST', `${base}/${id}/status`, { status: 'open' })).status, 200);
		const live = await api(page, 'POST', `${base}/${id}/live-sessions`);
		assert.equal(live.status, 201);
		const consolePath = `/m/${BACAU}/live/${live.data.id}`;
		const code = live.data.joinCode;

		await page.goto(url(consolePath));
		await expectText(page.getByTestId('join-code'), code);
		const presenter = await newPage({ context: page.context(), label: 'presenter' });
		await presenter.goto(url(`${consolePath}/presenter`));
		await expectText(presenter.getByTestId('presenter-code'), code);

		const inside = await newPage({ viewport: PHONE, label: 'child inside' });
		await inside.goto(url(`/join?lang=en&code=${code}`));
		await inside.locator('button[type="submit"]').click();
		await eventually(() => assert.equal(new URL(inside.url()).pathname, '/session'));

		const lock = page.getByLabel('Lock the room against new participants');
		await lock.check();
		await expectText(presenter.getByTestId('presenter-locked'), 'The room is locked to new participants');
		assert.equal(await presenter.getByTestId('presenter-code').count(), 0, 'the code is not shown while locked');
		await expectNoAxeViolations(page, 'the console with the room locked');
		await expectNoAxeViolations(presenter, 'the presenter screen with the room locked');

		const late = await newPage({ viewport: PHONE, label: 'late child' });
		await late.goto(url(`/join?lang=en&code=${code}`));
		await late.locator('button[type="submit"]').click();
		await expectText(late.locator('#join-status'), 'This session is closed to new participants. If you should be in it, tell your facilitator.');
		assert.equal(new URL(late.url()).pathname, '/join');
		await expectNoAxeViolations(late, 'the join page refusing a locked room');

		// The child already in still follows the session.
		await page.getByRole('button', { name: /^Open\W*Question 1$/ }).click();
		await expectText(inside.locator('#question-heading'), 'How much do you like the park?');

		await lock.uncheck();
		await expectText(presenter.getByTestId('presenter-code'), code);
		await late.locator('button[type="submit"]').click();
		await eventually(() => assert.equal(new URL(late.url()).pathname, '/session'));
	});
});
