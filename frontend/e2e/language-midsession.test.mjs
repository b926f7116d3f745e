// A child who changes language in the middle of a question, with the language buttons at the
// foot of the phone's screen: the question, its options and the screen's words change to that
// language (the seeded park consultation is written in Romanian, Hungarian and English), and
// what the child picked but did not send stays picked. Live, on the same open connection, and
// on a self-paced link.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { api, signIn } from './adult.mjs';
import { eventually, expectText } from './expect.mjs';
import { PHONE, expectNoAxeViolations, useVoci } from './server.mjs';

const { scenario } = useVoci();
const BACAU = 20297;
const base = `/api/v1/municipalities/${BACAU}/consultations`;

const RO = { prompt: 'Ce ar trebui să aibă parcul mai întâi?', option: 'Copaci și umbră', title: null };
const HU = { prompt: 'Mi legyen először a parkban?', option: 'Fák és árnyék', title: 'A mi parkunk' };

/** The seeded park consultation of Bacău (Romanian, Hungarian and English), with its questions. */
async function park(page) {
	const list = await api(page, 'GET', `${base}?status=open`);
	const found = list.data.items.find((c) => c.languages.join() === 'ro,hu,en');
	assert.ok(found, 'the seeded park consultation offers ro, hu and en');
	return (await api(page, 'GET', `${base}/${found.id}`)).data;
}

/** Sends one console command over the facilitator's socket, signed in as `page`'s adult. */
function command(page, sid, type, data) {
	return page.evaluate(
		({ siruta, sid, type, data }) =>
			new Promise((resolve) => {
				const ws = new WebSocket(`ws://${location.host}/api/v1/municipalities/${siruta}/live-sessions/${sid}/facilitator`);
				ws.onmessage = (event) => {
					const m = JSON.parse(event.data);
					if (m.type === 'welcome') ws.send(JSON.stringify({ type, id: 'c-1', data }));
					if (m.id === 'c-1') {
						ws.close();
						resolve(m.type);
					}
				};
				ws.onerror = () => resolve('socket error');
			}),
		{ siruta: BACAU, sid, type, data }
	);
}

/** The screen shows the question and the option in one language. */
async function expectQuestionIn(phone, words) {
	await eventually(async () => assert.ok(await phone.getByText(words.prompt, { exact: true }).first().isVisible(), `the prompt "${words.prompt}"`));
	await eventually(async () => assert.ok(await phone.getByRole('radio', { name: words.option }).isVisible(), `the option "${words.option}"`));
}

/**
 * On the Romanian question: picks an option without sending it, changes to Hungarian with the
 * language buttons, and finds the question, the option (still picked) and the bar's title in
 * Hungarian.
 */
async function pickThenSwitchToHungarian(phone, where) {
	await expectQuestionIn(phone, RO);
	await phone.getByRole('radio', { name: RO.option }).check();
	await phone.getByRole('group', { name: 'Limba' }).getByRole('button', { name: 'Magyar' }).click();
	await expectQuestionIn(phone, HU);
	assert.ok(await phone.getByRole('radio', { name: HU.option }).isChecked(), 'the unsent pick stays picked');
	await expectText(phone.locator('.phone__title'), HU.title);
	await eventually(async () => assert.equal(await phone.locator('html').getAttribute('lang'), 'hu'));
	await expectNoAxeViolations(phone, `${where} after changing to Hungarian`);
}

describe('changing language mid-question', () => {
	scenario('live: the open question comes again in Hungarian on the same connection, the pick kept', async ({ page, url, newPage }) => {
		await signIn(page, url);
		const c = await park(page);
		const started = await api(page, 'POST', `${base}/${c.id}/live-sessions`);
		assert.equal(started.status, 201, JSON.stringify(started.data));
		const { id: sid, joinCode } = started.data;
		const question = c.questions[0];
		assert.equal(question.kind, 'single');

		const phone = await newPage({ viewport: PHONE, label: 'child' });
		await phone.goto(url(`/join?lang=ro&code=${joinCode}`));
		await phone.getByRole('button', { name: 'Intră', exact: true }).click();
		await eventually(() => assert.equal(new URL(phone.url()).pathname, '/session'));
		// Count the connections the page opens: a language change must not need another.
		await phone.evaluate(() => {
			const Native = window.WebSocket;
			window.__vociSockets = 0;
			window.WebSocket = class extends Native {
				constructor(...args) {
					super(...args);
					window.__vociSockets++;
				}
			};
		});
		assert.equal(await command(page, sid, 'question.open', { questionId: question.id }), 'command.ok');
		await pickThenSwitchToHungarian(phone, 'a live question');
		assert.equal(await phone.evaluate(() => window.__vociSockets), 0, 'the same connection');

		await phone.getByRole('button', { name: 'Küldés', exact: true }).click();
		await expectText(phone.locator('.ack__text'), 'Megkaptuk!');

		// The language is the child's now: a reload, a new connection, keeps it.
		await phone.reload();
		await expectQuestionIn(phone, HU);
		assert.ok(await phone.getByRole('radio', { name: HU.option }).isChecked(), 'the sent answer after a reload');
		const results = await api(page, 'GET', `${base}/${c.id}/results?question=${question.id}`);
		const trees = question.options.find((o) => o.label === RO.option);
		const counted = results.data.questions[0].options.find((o) => o.id === trees?.id);
		assert.ok(counted && counted.count >= 1, `the answer counts: ${JSON.stringify(results.data.questions[0].options)}`);
	});

	scenario('self-paced: the question comes again in Hungarian, the pick kept and sent by Next', async ({ page, url, newPage }) => {
		await signIn(page, url);
		const c = await park(page);
		const link = (await api(page, 'GET', `${base}/${c.id}/self-paced-link`)).data;

		const phone = await newPage({ viewport: PHONE, label: 'child' });
		await phone.goto(`${link.url}?lang=ro`);
		await phone.getByRole('button', { name: 'Începe', exact: true }).click();
		await pickThenSwitchToHungarian(phone, 'a self-paced question');
		await expectText(phone.locator('.phone__progress span[aria-hidden="true"]'), `1 / ${c.questions.length}`);

		// Next sends what was picked; Back shows it, in Hungarian.
		await phone.getByRole('button', { name: 'Tovább' }).click();
		await expectText(phone.locator('.phone__progress span[aria-hidden="true"]'), `2 / ${c.questions.length}`);
		await phone.getByRole('button', { name: 'Vissza' }).click();
		await expectQuestionIn(phone, HU);
		assert.ok(await phone.getByRole('radio', { name: HU.option }).isChecked(), 'the answer sent by Next');
		await expectText(phone.locator('.ack__text'), 'Megkaptuk!');
	});
});
