// How light the children's pages are: the time to each one's first screen on a phone over slow
// 3G (400 kbps, 400 ms round trip, CPU 4× slower), throttled in Chromium through the DevTools
// protocol, against the goal of 2 s; and the JavaScript (gzip bytes) that had arrived before that
// screen, and that the page loads in all; each page as a phone shown Romanian, English
// (`?lang=en`) and Hungarian (`?lang=hu`; BENCH_PHONE_LANGS chooses). It prints the figures and
// never fails on them. Starts Voci on a fresh data directory (the binary embeds the built
// frontend: `make build` first).
// Run by `make bench`.
import { gzipSync } from 'node:zlib';
import { signIn, api } from '../e2e/adult.mjs';
import { launchBrowser, startVoci } from '../e2e/server.mjs';

const BACAU = 20297;
const GOAL_MS = 2000;
const RUNS = Number(process.env.BENCH_PHONE_RUNS ?? 3);
const SLOW_3G = { offline: false, latency: 400, downloadThroughput: (400 * 1000) / 8, uploadThroughput: (400 * 1000) / 8 };
const PHONE = { width: 360, height: 640 };

const server = await startVoci();
const browser = await launchBrowser();
try {
	const url = (p) => server.origin + p;
	const adult = await (await browser.newContext({ locale: 'ro-RO' })).newPage();
	await signIn(adult, url);
	const base = `/api/v1/municipalities/${BACAU}/consultations`;
	const hour = 3_600_000;
	const c = await api(adult, 'POST', base, {
		title: 'Curtea școlii', purpose: 'Ce schimbăm în curte?', audienceBody: 'Consiliul Local Bacău', answerBy: '2027-06-30T12:00:00Z',
		modes: ['live', 'self_paced'], selfPacedFrom: new Date(Date.now() - hour).toISOString(), selfPacedUntil: new Date(Date.now() + 24 * hour).toISOString()
	});
	await api(adult, 'POST', `${base}/${c.data.id}/questions`, {
		kind: 'single', prompt: 'Ce vrei în curte?', options: [{ label: 'Bănci' }, { label: 'Copaci' }, { label: 'Un teren' }, { label: 'Apă' }]
	});
	await api(adult, 'POST', `${base}/${c.data.id}/status`, { status: 'open' });
	const live = (await api(adult, 'POST', `${base}/${c.data.id}/live-sessions`)).data;
	const link = (await api(adult, 'GET', `${base}/${c.data.id}/self-paced-link`)).data;

	// A join answer, as a phone holds it, so that /session can be opened directly.
	const joiner = await (await browser.newContext({ viewport: PHONE, locale: 'ro-RO' })).newPage();
	await joiner.goto(url(`/join?code=${live.joinCode}`));
	await joiner.getByRole('button', { name: 'Intră', exact: true }).click();
	await joiner.locator('#lobby-heading').waitFor();
	const stored = await joiner.evaluate(() => sessionStorage.getItem('voci.participant'));
	await joiner.context().close();

	const pages = [
		// /join shows its form from the HTML; it can be sent once the scripts have run.
		{ name: '/join', path: `/join?code=${live.joinCode}`, ready: ['h1', 'input#join-code'], usable: ['form.join button[type=submit]:enabled'] },
		// /session and /p/KEY show their first screen from the shell's inline script and the data
		// it asked for; they can be used once the page's scripts have run.
		{ name: '/session', path: '/session', init: stored, ready: ['#lobby-heading', '.alias__name'], usable: ['.alias button:enabled'] },
		{ name: '/p/KEY', path: `/p/${link.key}`, ready: ['h1', 'button.start'], usable: ['button.start:enabled'] }
	];

	// Each page as a phone shown Romanian (the shells' language), then English and Hungarian.
	const langs = (process.env.BENCH_PHONE_LANGS ?? 'ro,en,hu').split(',');
	const variants = langs.flatMap((lang) =>
		pages.map((p) => (lang === 'ro' ? p : { ...p, name: `${p.name}?lang=${lang}`, path: `${p.path}${p.path.includes('?') ? '&' : '?'}lang=${lang}` }))
	);

	const rows = [];
	for (const p of variants) {
		const times = [];
		const usable = [];
		const early = [];
		let js = { files: 0, gzip: 0 };
		for (let run = 0; run < RUNS; run++) {
			// A fresh browser context each run: nothing cached, as a phone the first time.
			const context = await browser.newContext({ viewport: PHONE, locale: 'ro-RO' });
			if (p.init) await context.addInitScript((value) => sessionStorage.setItem('voci.participant', value), p.init);
			const page = await context.newPage();
			const cdp = await context.newCDPSession(page);
			await cdp.send('Network.enable');
			if (process.env.BENCH_PHONE_NET !== 'off') await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
			await cdp.send('Emulation.setCPUThrottlingRate', { rate: Number(process.env.BENCH_PHONE_CPU ?? 4) });
			const scripts = new Map();
			page.on('requestfinished', (request) => {
				if (new URL(request.url()).pathname.endsWith('.js')) scripts.set(request.url(), request);
			});
			await page.goto(url(p.path), { waitUntil: 'commit' });
			// performance.now() counts from the start of the navigation. A screen is what is shown:
			// the parts of a shell still hidden do not count.
			const shown = await page.waitForFunction((selectors) => selectors.every((s) => [...document.querySelectorAll(s)].some((e) => e.checkVisibility({ visibilityProperty: true }))) && performance.now(), p.ready, {
				polling: 'raf',
				timeout: 60_000
			});
			const at = await shown.jsonValue();
			times.push(Math.round(at));
			const works = p.usable
				? await page.waitForFunction((selectors) => selectors.every((s) => [...document.querySelectorAll(s)].some((e) => e.checkVisibility({ visibilityProperty: true }))) && performance.now(), p.usable, { polling: 'raf', timeout: 60_000 })
				: shown;
			usable.push(Math.round(await works.jsonValue()));
			await page.waitForLoadState('networkidle');
			// When each script had arrived, on the same clock as the first screen.
			const arrived = await page.evaluate(() =>
				Object.fromEntries(performance.getEntriesByType('resource').map((e) => [e.name, /** @type {PerformanceResourceTiming} */ (e).responseEnd]))
			);
			const before = { files: 0, gzip: 0 };
			for (const [address, request] of scripts) {
				const body = await (await request.response())?.body();
				const bytes = body ? gzipSync(body, { level: 9 }).length : 0;
				if (run === 0) {
					js.files++;
					js.gzip += bytes;
				}
				if ((arrived[address] ?? Infinity) <= at) {
					before.files++;
					before.gzip += bytes;
				}
			}
			early.push(before);
			await context.close();
		}
		const order = times.map((_, i) => i).sort((a, b) => times[a] - times[b]);
		const middle = order[Math.floor(order.length / 2)];
		rows.push({ ...p, ...js, before: early[middle], median: times[middle], usable: usable[middle], times });
	}

	console.log(`children's pages: the first screen over slow 3G (400 kbps, 400 ms RTT, CPU 4x), median of ${RUNS}; goal under ${GOAL_MS} ms`);
	console.log('  JavaScript as gzip bytes (files): what had arrived before the first screen, and all the page loads');
	console.log('  "usable": the page can be used (its scripts have run); other than the first screen on /join only');
	console.log(`  ${'page'.padEnd(18)} ${'JS before first screen'.padStart(23)} ${'JS in all'.padStart(16)} ${'first screen ms'.padStart(16)} ${'usable ms'.padStart(10)}  runs`);
	for (const r of rows) {
		const verdict = r.median < GOAL_MS ? 'within' : 'over';
		const before = `${r.before.gzip} (${r.before.files})`;
		const all = `${r.gzip} (${r.files})`;
		console.log(`  ${r.name.padEnd(18)} ${before.padStart(23)} ${all.padStart(16)} ${String(r.median).padStart(16)} ${String(r.usable).padStart(10)}  ${r.times.join(' ')} (${verdict} the ${GOAL_MS} ms goal)`);
	}
} finally {
	await browser.close();
	await server.stop();
}
