// The projector and the facilitator's console, in Romanian, English and Hungarian: while a
// question is open the projector shows only how many answered; "Reveal results" brings a chart
// in the tiles' colours and shapes that fills the screen (1920×1080 and 1366×768); a word cloud
// of three words fills it too; the session ends on a closing screen. The console keeps its
// moderation queue beside the question at 1366×768 and stacks on a 360×640 phone; its keys
// (Page Down from a presenter clicker) drive the room, never while typing, and never approve
// a held text. Screenshots go to e2e/screenshots/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe } from 'node:test';
import { fileURLToPath } from 'node:url';
import { api, signIn } from './adult.mjs';
import { eventually, expectText, overflowsHorizontally } from './expect.mjs';
import { expectNoAxeViolations, useVoci } from './server.mjs';

const { scenario } = useVoci();

const BACAU = 20297;
const SHOTS = fileURLToPath(new URL('screenshots', import.meta.url));
mkdirSync(SHOTS, { recursive: true });

const PROJECTOR = { width: 1920, height: 1080 };
const LAPTOP = { width: 1366, height: 768 };
const PHONE_SMALL = { width: 360, height: 640 };

// The tiles of frontend/src/lib/live/tiles.ts, in option order.
const TILES = [
	{ colour: 'rgb(179, 19, 43)', shape: 'triangle' },
	{ colour: 'rgb(18, 89, 179)', shape: 'diamond' },
	{ colour: 'rgb(122, 82, 0)', shape: 'circle' }
];

const THANKS = { ro: 'Mulțumim!', en: 'Thank you!', hu: 'Köszönjük!' };
const OPEN_STATE = { ro: 'Întrebarea este deschisă.', en: 'The question is open.', hu: 'A kérdés nyitva van.' };

/** A consultation with a single-choice question and a word cloud, open, through the API. */
/** A consultation written in lang: the projector speaks the consultation's language. */
async function prepare(page, lang) {
	const base = `/api/v1/municipalities/${BACAU}/consultations`;
	const created = await api(page, 'POST', base, { title: 'Parcul nou', audienceBody: 'Consiliul local Bacău', answerBy: '2027-06-30T00:00:00Z', modes: ['live'], languages: [lang] });
	assert.equal(created.status, 201, JSON.stringify(created.data));
	const id = created.data.id;
	const single = await api(page, 'POST', `${base}/${id}/questions`, {
		kind: 'single',
		prompt: 'Ce să aibă parcul mai întâi?',
		options: [{ label: 'Leagăne' }, { label: 'Copaci' }, { label: 'Bănci' }]
	});
	assert.equal(single.status, 201, JSON.stringify(single.data));
	const cloud = await api(page, 'POST', `${base}/${id}/questions`, { kind: 'word_cloud', prompt: 'Un cuvânt despre parc' });
	assert.equal(cloud.status, 201, JSON.stringify(cloud.data));
	assert.equal((await api(page, 'POST', `${base}/${id}/status`, { status: 'open' })).status, 200);
	return { id, single: single.data, cloud: cloud.data };
}

async function startSession(page, consultationId) {
	const live = await api(page, 'POST', `/api/v1/municipalities/${BACAU}/consultations/${consultationId}/live-sessions`);
	assert.equal(live.status, 201, JSON.stringify(live.data));
	return live.data;
}

/** Children on their phones, reduced to their websockets: `count` join with `code`, in one page. */
async function children(page, code, count) {
	await page.evaluate(
		async ({ code, count }) => {
			const kids = [];
			for (let i = 0; i < count; i++) {
				const response = await fetch('/api/v1/join', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code, lang: 'ro' }) });
				if (response.status !== 201 && response.status !== 200) throw new Error(`join: ${response.status}`);
				const joined = await response.json();
				const ws = new WebSocket(`ws://${location.host}/api/v1/live/participant`, ['voci-live.1', `voci-token.${joined.participantToken}`]);
				const kid = { ws, state: null, waiting: new Map() };
				ws.onmessage = (event) => {
					const message = JSON.parse(event.data);
					if (message.type === 'session.state') kid.state = message.data;
					const wait = message.id && kid.waiting.get(message.id);
					if (wait) {
						kid.waiting.delete(message.id);
						if (message.type === 'error') wait.reject(new Error(`${message.data.code}: ${message.data.message}`));
						else wait.resolve(message.data);
					}
				};
				await new Promise((resolve, reject) => {
					ws.onopen = resolve;
					ws.onerror = () => reject(new Error('websocket'));
				});
				kids.push(kid);
			}
			// @ts-ignore
			window.__kids = kids;
			// @ts-ignore
			window.__answer = async (i, questionId, answer) => {
				// @ts-ignore
				const kid = window.__kids[i];
				const deadline = Date.now() + 10_000;
				while (!(kid.state?.state === 'question_open' && kid.state.question?.id === questionId)) {
					if (Date.now() > deadline) throw new Error('the question did not open on the phone');
					await new Promise((r) => setTimeout(r, 50));
				}
				const id = `a${Math.random().toString(36).slice(2)}`;
				const reply = new Promise((resolve, reject) => kid.waiting.set(id, { resolve, reject }));
				kid.ws.send(JSON.stringify({ type: 'answer.submit', id, data: { questionId, ...answer, idempotencyKey: `key-${id}` } }));
				return reply;
			};
		},
		{ code, count }
	);
}

function answer(page, i, questionId, data) {
	return page.evaluate(({ i, questionId, data }) => window.__answer(i, questionId, data), { i, questionId, data });
}

/** Presses a key with nothing focused, as a facilitator (or a clicker) does on the console's page. */
async function key(page, k) {
	await page.evaluate(() => /** @type {HTMLElement | null} */ (document.activeElement)?.blur());
	await page.keyboard.press(k);
}

async function shot(page, name) {
	await page.bringToFront();
	await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

/** Waits until every animation on the page has finished (the reveal's bars grow). */
async function animationsDone(page) {
	await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished)));
}

/** The element's box as shares of the viewport. */
function share(locator) {
	return locator.evaluate((el) => {
		const r = el.getBoundingClientRect();
		return { width: r.width / window.innerWidth, height: r.height / window.innerHeight, top: r.top, bottom: r.bottom, left: r.left, right: r.right };
	});
}

/** Runs the two rules the issue names on their own as well, so that they cannot be left out. */
async function expectRulesPass(page, label) {
	const failed = await page.evaluate(async () => {
		// @ts-ignore: injected by expectNoAxeViolations
		const result = await window.axe.run(document, { runOnly: { type: 'rule', values: ['target-size', 'scrollable-region-focusable'] } });
		return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
	});
	assert.deepEqual(failed, [], `target-size and scrollable-region-focusable on ${label}`);
}

describe('the projector and the console', () => {
	scenario('count while open, a reveal that fills the screen, a word cloud and a closing screen, in three languages', async ({ page, url, newPage }) => {
		await signIn(page, url);
		const room = await newPage({ label: 'children' });
		await room.goto(url('/healthz'));

		for (const lang of ['ro', 'en', 'hu']) {
			const c = await prepare(page, lang);
			const live = await startSession(page, c.id);
			const consolePath = `/m/${BACAU}/live/${live.id}`;

			await page.setViewportSize(LAPTOP);
			await page.goto(url(`${consolePath}?lang=${lang}`));
			await expectText(page.getByTestId('join-code'), live.joinCode);
			const presenter = await newPage({ context: page.context(), label: `presenter ${lang}` });
			await presenter.setViewportSize(PROJECTOR);
			await presenter.goto(url(`${consolePath}/presenter?lang=${lang}`));
			await expectText(presenter.getByTestId('presenter-code'), live.joinCode);
			await expectText(presenter.getByTestId('presenter-address'), `${new URL(url('/')).host}/join`);
			// The code is readable from the back of the room, beside a QR code.
			const code = await share(presenter.getByTestId('presenter-code'));
			assert.ok(code.height * PROJECTOR.height >= 120, `the code is ${code.height * PROJECTOR.height}px tall`);
			assert.equal(await presenter.locator('svg.qr[role="img"]').count(), 1);
			await expectNoAxeViolations(presenter, `the projector's lobby (${lang})`);
			await shot(presenter, `projector-lobby-${lang}-1920`);

			await children(room, live.joinCode, 4);
			await expectText(presenter.getByTestId('presenter-joined'), /4/);

			// A presenter clicker's Page Down opens the first question.
			await key(page, 'PageDown');
			await expectText(presenter.locator('#question-heading'), c.single.prompt);
			await expectText(page.locator('.now__prompt'), c.single.prompt);
			const [swings, trees] = c.single.options;
			await answer(room, 0, c.single.id, { choices: [swings.id] });
			await answer(room, 1, c.single.id, { choices: [swings.id] });
			await answer(room, 2, c.single.id, { choices: [trees.id] });

			// While it is open: only the count, no chart and no numbers per option.
			await expectText(presenter.getByTestId('presenter-count'), '3');
			assert.equal(await presenter.getByTestId('reveal-chart').count(), 0, 'no chart before the reveal');
			assert.equal(await presenter.locator('table.results-table').count(), 0, 'no numbers per option before the reveal');
			await expectNoAxeViolations(presenter, `the projector's count (${lang})`);
			await shot(presenter, `projector-open-${lang}-1920`);

			// A key pressed while typing in a field does nothing: "r" typed into a count of the
			// group facts does not reveal, so the "l" pressed after it can still lock.
			await page.locator('#group-present').press('r');
			await key(page, 'l');
			await expectText(page.locator('.now > p').nth(1), { ro: 'Răspunsurile sunt închise.', en: 'Answers are closed.', hu: 'A válaszadás lezárult.' }[lang]);

			// The console at 1366×768: the moderation queue beside the question, without scrolling.
			await page.evaluate(() => window.scrollTo(0, 0));
			const queue = await share(page.getByTestId('moderation'));
			const controls = await share(page.locator('.now'));
			assert.ok(queue.left >= controls.right, 'the queue is beside the controls');
			assert.ok(queue.top >= 0 && queue.top < LAPTOP.height - 100, `the queue starts at ${queue.top}px, within the screen`);
			assert.equal(await page.evaluate(() => window.scrollY), 0);
			await expectNoAxeViolations(page, `the console (${lang})`);
			await expectRulesPass(page, `the console (${lang})`);
			await page.evaluate(() => window.scrollTo(0, 0));
			await shot(page, `console-${lang}-1366`);

			// The reveal: "r" on the console.
			await key(page, 'r');
			const chart = presenter.getByTestId('reveal-chart');
			await chart.waitFor();
			await animationsDone(presenter);
			for (const viewport of [PROJECTOR, LAPTOP]) {
				await presenter.setViewportSize(viewport);
				const box = await share(chart);
				await shot(presenter, `projector-reveal-${lang}-${viewport.width}`);
				assert.ok(box.width >= 0.8, `the chart is ${Math.round(box.width * 100)}% of the width at ${viewport.width}`);
				assert.ok(box.height >= 0.6, `the chart is ${Math.round(box.height * 100)}% of the height at ${viewport.width}`);
				assert.ok(box.bottom <= viewport.height + 1, 'the chart fits the screen');
			}
			// Each bar in its option's tile, scaled to everyone who answered (2 of 3 is two thirds of the track).
			const bars = await presenter.locator('.reveal__bar').evaluateAll((els) =>
				els.map((el) => ({ colour: getComputedStyle(el).backgroundColor, shape: el.getAttribute('data-shape'), share: el.getBoundingClientRect().width / el.parentElement.getBoundingClientRect().width }))
			);
			assert.deepEqual(bars.map((b) => ({ colour: b.colour, shape: b.shape })), TILES);
			assert.ok(Math.abs(bars[0].share - 2 / 3) < 0.02, `the first bar is ${bars[0].share} of its track`);
			assert.ok(Math.abs(bars[1].share - 1 / 3) < 0.02);
			assert.equal(bars[2].share, 0);
			const rows = await presenter.locator('table.results-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((cell) => cell.textContent.trim())));
			assert.deepEqual(rows.map((r) => r.slice(0, 2)), [['Leagăne', '2'], ['Copaci', '1'], ['Bănci', '0']]);
			await expectNoAxeViolations(presenter, `the projector's reveal (${lang})`);
			// Without motion the bars are drawn at once.
			await presenter.emulateMedia({ reducedMotion: 'reduce' });
			assert.equal(await presenter.locator('.reveal__bar').first().evaluate((el) => getComputedStyle(el).animationName), 'none');
			await presenter.emulateMedia({ reducedMotion: 'no-preference' });

			// Page Down again: the word cloud. Three words; one text with a phone number is held.
			await presenter.setViewportSize(PROJECTOR);
			await key(page, 'PageDown');
			await expectText(presenter.locator('#question-heading'), c.cloud.prompt);
			await expectText(page.locator('.now > p').nth(1), OPEN_STATE[lang]);
			const words = ['copaci', 'leagăne', 'tobogan'];
			for (const [i, word] of words.entries()) await answer(room, i, c.cloud.id, { text: word });
			await answer(room, 3, c.cloud.id, { text: 'suna la 0722123456' });
			await eventually(async () => assert.equal(await page.locator('.queue .item').count(), 4));
			await page.evaluate(() => window.scrollTo(0, 0));
			const held = await share(page.locator('.item--held .item__text'));
			await shot(page, `console-queue-${lang}-1366`);
			assert.ok(held.bottom <= LAPTOP.height, `the held text is on screen without scrolling (bottom at ${held.bottom}px)`);
			// "a" shows the clean texts one by one, never the held one.
			for (let i = 0; i < words.length; i++) {
				await key(page, 'a');
				await eventually(async () => assert.equal(await page.locator('.queue .item').count(), 3 - i));
			}
			await key(page, 'a');
			await expectText(page.getByTestId('shortcut-note'), { ro: /^Nu așteaptă/, en: /^No ordinary text/, hu: /^Nem vár/ }[lang]);
			assert.equal(await page.locator('.item--held').count(), 1, 'the held text is still waiting');
			await expectText(presenter.getByTestId('presenter-count'), '4');
			assert.equal(await presenter.getByTestId('word-cloud').count(), 0, 'no cloud before the reveal');

			await key(page, 'r');
			const cloud = presenter.getByTestId('word-cloud');
			await eventually(async () => assert.equal(await cloud.locator('li').count(), 3));
			const sizes = await cloud.locator('li').evaluateAll((lis) => lis.map((li) => parseFloat(getComputedStyle(li).fontSize)));
			assert.ok(Math.min(...sizes) >= 100, `three words are drawn large: ${sizes.join(', ')} px`);
			const cloudBox = await share(cloud);
			assert.ok(cloudBox.width >= 0.6, `the cloud spreads across the screen: ${Math.round(cloudBox.width * 100)}%`);
			assert.equal(await presenter.getByText('0722123456').count(), 0, 'a held text never reaches the projector');
			await expectNoAxeViolations(presenter, `the projector's word cloud (${lang})`);
			await shot(presenter, `projector-cloud-${lang}-1920`);

			// Page Up (a clicker's back button) opens the previous question again.
			await key(page, 'PageUp');
			await expectText(presenter.locator('#question-heading'), c.single.prompt);
			await expectText(presenter.getByTestId('presenter-count'), '3');

			// The end: thank you, and how many took part.
			assert.equal((await api(page, 'POST', `/api/v1/municipalities/${BACAU}/live-sessions/${live.id}/end`)).status, 200);
			await expectText(presenter.locator('.closing__thanks'), THANKS[lang]);
			await expectText(presenter.getByTestId('presenter-took-part'), /^4\b/);
			await expectNoAxeViolations(presenter, `the projector's closing screen (${lang})`);
			await shot(presenter, `projector-closing-${lang}-1920`);
			await presenter.close();
			await room.evaluate(() => window.__kids.forEach((k) => k.ws.close()));
		}
	});

	scenario('a ranking revealed with average places and points, and a second language\'s words beside the first\'s', async ({ page, url, newPage }) => {
		await signIn(page, url);
		const base = `/api/v1/municipalities/${BACAU}/consultations`;
		const created = await api(page, 'POST', base, { title: 'Curtea școlii', audienceBody: 'Consiliul local Bacău', answerBy: '2027-06-30T00:00:00Z', modes: ['live'], languages: ['ro', 'hu'] });
		assert.equal(created.status, 201, JSON.stringify(created.data));
		const id = created.data.id;
		const q = await api(page, 'POST', `${base}/${id}/questions`, { kind: 'ranking', prompt: 'Ce facem întâi?', options: [{ label: 'Bănci' }, { label: 'Copaci' }, { label: 'Teren' }] });
		assert.equal(q.status, 201, JSON.stringify(q.data));
		const [benches, trees, field] = q.data.options;
		const translated = await api(page, 'PUT', `${base}/${id}/questions/${q.data.id}`, {
			kind: 'ranking',
			prompt: 'Ce facem întâi?',
			options: q.data.options,
			translations: { hu: { prompt: 'Mit csináljunk először?', options: [{ id: benches.id, label: 'Padok' }, { id: trees.id, label: 'Fák' }, { id: field.id, label: 'Pálya' }] } }
		});
		assert.equal(translated.status, 200, JSON.stringify(translated.data));
		assert.equal((await api(page, 'POST', `${base}/${id}/status`, { status: 'open' })).status, 200);
		const live = await startSession(page, id);
		const consolePath = `/m/${BACAU}/live/${live.id}`;
		await page.setViewportSize(LAPTOP);
		await page.goto(url(`${consolePath}?lang=ro`));
		await expectText(page.getByTestId('join-code'), live.joinCode);

		const presenter = await newPage({ context: page.context(), label: 'presenter ro+hu' });
		await presenter.setViewportSize(PROJECTOR);
		await presenter.goto(url(`${consolePath}/presenter?second=hu`));
		// The lobby speaks both languages.
		await expectText(presenter.locator('#join-heading'), 'Intră și tu');
		await expectText(presenter.getByTestId('second-join'), 'Csatlakozz te is');
		assert.equal(await presenter.getByTestId('second-join').getAttribute('lang'), 'hu');
		await expectNoAxeViolations(presenter, 'the projector\'s lobby in two languages');

		const room = await newPage({ label: 'children' });
		await room.goto(url('/healthz'));
		await children(room, live.joinCode, 3);
		await key(page, 'PageDown');
		await expectText(presenter.locator('#question-heading'), 'Ce facem întâi?');
		await answer(room, 0, q.data.id, { choices: [benches.id, trees.id, field.id] });
		await answer(room, 1, q.data.id, { choices: [trees.id, benches.id, field.id] });
		await answer(room, 2, q.data.id, { choices: [field.id, benches.id, trees.id] });
		// The third child changes their mind: the first order no longer counts.
		await answer(room, 2, q.data.id, { choices: [benches.id, field.id, trees.id] });

		// Open: the count in both languages, and neither language lists the options.
		await expectText(presenter.getByTestId('presenter-count'), '3');
		await expectText(presenter.getByTestId('second-answered'), /^gyerek válaszolt a teremben lévő 3 gyerekből$/);
		// The big figures are drawn for the room; a screen reader hears one sentence per language.
		const spoken = presenter.getByTestId('second-answered-spoken');
		await expectText(spoken, '3 gyerek válaszolt');
		assert.equal(await spoken.getAttribute('lang'), 'hu');
		assert.equal(await presenter.getByTestId('second-answered').getAttribute('aria-hidden'), 'true', 'not read twice');
		await expectText(presenter.getByTestId('projector-second').locator('.second__prompt'), 'Mit csináljunk először?');
		assert.equal(await presenter.getByTestId('projector-second').locator('li').count(), 0, 'no Hungarian options while open');
		assert.equal(await presenter.getByText('Padok').count(), 0);
		assert.equal(await presenter.getByText('Bănci').count(), 0, 'no Romanian options while open');
		await expectNoAxeViolations(presenter, 'the projector\'s count in two languages');
		await shot(presenter, 'projector-open-ro-hu-1920');

		// The reveal: sorted by points, each option's average place and points beside its bar.
		// Orders B>C>T, C>B>T, B>T>C: Bănci 1+2+1 (1,33; 9−4 = 5 points), Copaci 2+1+3 (2,00; 3), Teren 3+3+2 (2,67; 1).
		await key(page, 'r');
		const chart = presenter.getByTestId('reveal-chart');
		await chart.waitFor();
		await animationsDone(presenter);
		await eventually(async () => assert.deepEqual(await presenter.locator('.reveal__text').allTextContents(), ['Bănci', 'Copaci', 'Teren']));
		assert.deepEqual(await presenter.getByTestId('reveal-average').allTextContents(), ['1,33', '2,00', '2,67']);
		assert.deepEqual(await presenter.getByTestId('reveal-points').allTextContents(), ['5', '3', '1']);
		assert.deepEqual(await presenter.locator('.reveal__count').allTextContents(), ['2', '1', '0']);
		// Each bar keeps its option's tile (Copaci is the second option, whatever its place).
		const shapes = await presenter.locator('.reveal__bar').evaluateAll((els) => els.map((el) => el.getAttribute('data-shape')));
		assert.deepEqual(shapes, [TILES[0].shape, TILES[1].shape, TILES[2].shape]);
		// Large enough to read from the back: as large as the percentages.
		const sizes = await presenter.evaluate(() => [document.querySelector('[data-testid="reveal-average"]'), document.querySelector('.reveal__percent')].map((el) => parseFloat(getComputedStyle(el).fontSize)));
		assert.ok(sizes[0] >= sizes[1] && sizes[0] >= 48, `the average place is ${sizes[0]}px, the percentage ${sizes[1]}px`);
		const table = await presenter.locator('table.results-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((cell) => cell.textContent.trim())));
		assert.deepEqual(table, [['Bănci', '1,33', '5', '2'], ['Copaci', '2,00', '3', '1'], ['Teren', '2,67', '1', '0']]);
		// With the results, both languages list the options.
		await eventually(async () => assert.equal(await presenter.getByTestId('projector-second').locator('li').count(), 3));
		const box = await share(chart);
		assert.ok(box.bottom <= PROJECTOR.height + 1, 'the chart fits the screen');
		await expectNoAxeViolations(presenter, 'the projector\'s ranking reveal');
		await shot(presenter, 'projector-reveal-ranking-1920');

		// The closing screen in both languages.
		assert.equal((await api(page, 'POST', `/api/v1/municipalities/${BACAU}/live-sessions/${live.id}/end`)).status, 200);
		await expectText(presenter.locator('h1.closing__thanks'), 'Mulțumim!');
		await expectText(presenter.getByTestId('second-thanks'), 'Köszönjük!');
		await expectText(presenter.getByTestId('presenter-took-part'), /^3 copii au participat \/ gyerek vett részt$/);
		await expectNoAxeViolations(presenter, 'the projector\'s closing screen in two languages');
		await shot(presenter, 'projector-closing-ro-hu-1920');
		await room.evaluate(() => window.__kids.forEach((k) => k.ws.close()));
	});

	scenario('the console stacks on a phone, and past sessions stay reachable with their group facts', async ({ page, url }) => {
		await signIn(page, url);
		const c = await prepare(page, 'ro');
		const live = await startSession(page, c.id);
		const consolePath = `/m/${BACAU}/live/${live.id}`;
		for (const lang of ['ro', 'en', 'hu']) {
			await page.setViewportSize(PHONE_SMALL);
			await page.goto(url(`${consolePath}?lang=${lang}`));
			await expectText(page.getByTestId('join-code'), live.joinCode);
			const queue = await share(page.getByTestId('moderation'));
			const controls = await share(page.locator('.now'));
			assert.ok(queue.top >= controls.bottom, 'one column: the queue comes after the controls');
			assert.ok(queue.left < 40, 'one column: the queue starts at the left edge');
			assert.equal(await overflowsHorizontally(page), false, `no sideways scrolling (${lang})`);
			await expectNoAxeViolations(page, `the console on a phone (${lang})`);
			await expectRulesPass(page, `the console on a phone (${lang})`);
			await shot(page, `console-${lang}-360`);
		}

		// Facts about the group, then the end: the console links to the consultation's sessions.
		const facts = await api(page, 'PUT', `/api/v1/municipalities/${BACAU}/live-sessions/${live.id}/group-facts`, { present: 12, counts: { rural: 5 }, adaptations: ['easy_read'] });
		assert.equal(facts.status, 200, JSON.stringify(facts.data));
		assert.equal((await api(page, 'POST', `/api/v1/municipalities/${BACAU}/live-sessions/${live.id}/end`)).status, 200);
		await page.setViewportSize(LAPTOP);
		for (const lang of ['ro', 'en', 'hu']) {
			await page.goto(url(`${consolePath}?lang=${lang}`));
			await page.getByTestId('sessions-link').click();
			await eventually(() => assert.equal(new URL(page.url()).pathname, `/m/${BACAU}/consultations/${c.id}/sessions`));
			const item = page.getByTestId(`session-${live.id}`);
			await expectText(item.locator('.facts'), { ro: /12 copii în sală/, en: /12 children in the room/, hu: /12 gyerek a teremben/ }[lang]);
			await expectText(item.locator('.facts'), { ro: /rural.*5/, en: /rural areas: 5/, hu: /5/ }[lang]);
			// An ended session's code is given back: no empty "code ·".
			assert.doesNotMatch((await item.locator('.session__meta').textContent()) ?? '', /^\s*(codul|code|kód)/i, `no empty code (${lang})`);
			await expectNoAxeViolations(page, `the sessions of a consultation (${lang})`);
		}
		// From the consultation's page too, and back to the ended session's console.
		await page.goto(url(`/m/${BACAU}/consultations/${c.id}?lang=en`));
		await page.getByTestId('all-sessions').click();
		await eventually(() => assert.equal(new URL(page.url()).pathname, `/m/${BACAU}/consultations/${c.id}/sessions`));
		await page.getByRole('link', { name: /^Console and group facts/ }).click();
		await eventually(async () => assert.equal(await page.locator('#group-present').inputValue(), '12'));
	});
});
