// How light the children's pages are: the JavaScript each one loads (gzip bytes), and the time
// to its first screen on a phone over slow 3G (400 kbps, 400 ms round trip, CPU 4× slower),
// throttled in Chromium through the DevTools protocol. Starts Voci on a fresh data directory
// (the binary embeds the built frontend: `make build` first). Run by `make bench`.
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
		{ name: '/join', path: `/join?code=${live.joinCode}`, ready: ['h1', 'input#join-code'] },
		{ name: '/session', path: '/session', init: stored, ready: ['#lobby-heading'] },
		{ name: '/p/KEY', path: `/p/${link.key}`, ready: ['h1', 'button.start'] }
	];

	const rows = [];
	for (const p of pages) {
		const times = [];
		let js = { files: 0, gzip: 0, transferred: 0 };
		for (let run = 0; run < RUNS; run++) {
			// A fresh browser context each run: nothing cached, as a phone the first time.
			const context = await browser.newContext({ viewport: PHONE, locale: 'ro-RO' });
			if (p.init) await context.addInitScript((value) => sessionStorage.setItem('voci.participant', value), p.init);
			const page = await context.newPage();
			const cdp = await context.newCDPSession(page);
			await cdp.send('Network.enable');
			if (process.env.BENCH_PHONE_NET !== 'off') await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
			await cdp.send('Emulation.setCPUThrottlingRate', { rate: Number(process.env.BENCH_PHONE_CPU ?? 4) });
			const scripts = [];
			page.on('requestfinished', (request) => {
				if (new URL(request.url()).pathname.endsWith('.js')) scripts.push(request);
			});
			await page.goto(url(p.path), { waitUntil: 'commit' });
			// performance.now() counts from the start of the navigation.
			const shown = await page.waitForFunction((selectors) => selectors.every((s) => document.querySelector(s)) && performance.now(), p.ready, {
				polling: 'raf',
				timeout: 60_000
			});
			times.push(Math.round(await shown.jsonValue()));
			await page.waitForLoadState('networkidle');
			if (run === 0) {
				for (const request of scripts) {
					const body = await (await request.response())?.body();
					js.files++;
					js.gzip += body ? gzipSync(body, { level: 9 }).length : 0;
					js.transferred += (await request.sizes()).responseBodySize;
				}
			}
			await context.close();
		}
		times.sort((a, b) => a - b);
		rows.push({ ...p, ...js, median: times[Math.floor(times.length / 2)], times });
	}

	console.log(`children's pages: JavaScript loaded, and the first screen over slow 3G (400 kbps, 400 ms RTT, CPU 4×), median of ${RUNS}`);
	console.log(`  ${'page'.padEnd(10)} ${'js files'.padStart(9)} ${'js gzip B'.padStart(10)} ${'js sent B'.padStart(10)} ${'first screen ms'.padStart(16)}  runs`);
	for (const r of rows) {
		const verdict = r.median <= GOAL_MS ? 'within' : 'over';
		console.log(`  ${r.name.padEnd(10)} ${String(r.files).padStart(9)} ${String(r.gzip).padStart(10)} ${String(r.transferred).padStart(10)} ${String(r.median).padStart(16)}  ${r.times.join(' ')} (${verdict} the ${GOAL_MS} ms goal)`);
	}
} finally {
	await browser.close();
	await server.stop();
}
