// Rights taken away reach the screens that are open: a facilitator's presenter
// screen and console, on the projector and the laptop, close as soon as a
// coordinator disables the account, and show nothing of the room any more.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { api, FACILITATOR, signIn } from './adult.mjs';
import { expectText } from './expect.mjs';
import { expectNoAxeViolations, useVoci } from './server.mjs';

const { scenario } = useVoci();

const BACAU = 20297;

const REVOKED = /^You no longer have access to this session/;

describe('revocation reaches open screens', () => {
	scenario('a disabled facilitator’s presenter screen and console close at once', async ({ page, url, newPage }) => {
		await signIn(page, url);
		const base = `/api/v1/municipalities/${BACAU}/consultations`;
		const created = await api(page, 'POST', base, {
			title: 'A park for everyone',
			audienceBody: 'Bacău local council',
			answerBy: '2027-06-30T00:00:00Z',
			modes: ['live'],
			languages: ['en'] // written in English: the projector speaks it
		});
		assert.equal(created.status, 201, JSON.stringify(created.data));
		const id = created.data.id;
		assert.equal((await api(page, 'POST', `${base}/${id}/questions`, { kind: 'scale', prompt: 'How safe is the park?' })).status, 201);
		assert.equal((await api(page, 'POST', `${base}/${id}/status`, { status: 'open' })).status, 200);
		const live = await api(page, 'POST', `${base}/${id}/live-sessions`);
		assert.equal(live.status, 201);
		const code = live.data.joinCode;

		// The projector: another tab of the facilitator's browser.
		const presenter = await newPage({ context: page.context(), label: 'presenter' });
		await presenter.goto(url(`/m/${BACAU}/live/${live.data.id}/presenter`));
		await expectText(presenter.getByTestId('presenter-code'), code);
		await page.goto(url(`/m/${BACAU}/live/${live.data.id}`));
		await expectText(page.getByTestId('join-code'), code);

		// The coordinator disables the facilitator's account.
		const coordinator = await newPage({ label: 'coordinator' });
		await signIn(coordinator, url, 'coordinator.bacau@demo.voci.ro');
		const people = await api(coordinator, 'GET', `/api/v1/municipalities/${BACAU}/people?pageSize=100`);
		const person = people.data.items.find((p) => p.email === FACILITATOR);
		assert.ok(person, 'the facilitator is listed');
		const disabled = await api(coordinator, 'PATCH', `/api/v1/people/${person.id}`, { disabled: true });
		assert.equal(disabled.status, 200, JSON.stringify(disabled.data));

		// Both screens drop the room at once: no code, no results.
		await expectText(presenter.getByTestId('revoked'), REVOKED);
		assert.equal(await presenter.getByTestId('presenter-code').count(), 0, 'the join code is gone from the projector');
		await expectNoAxeViolations(presenter, 'the presenter after revocation');
		await expectText(page.getByTestId('revoked'), REVOKED);
		assert.equal(await page.getByTestId('join-code').count(), 0, 'the console shows nothing of the room');
		await expectNoAxeViolations(page, 'the console after revocation');
	});
});
