import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

// In development, API calls go to a Go server started separately
// (VOCI_API, default http://127.0.0.1:8080).
const api = process.env.VOCI_API ?? 'http://127.0.0.1:8080';

// The root layout and the children's pages (/join, a live session, a self-paced link).
const childrensEntries = /\/src\/routes\/(\+layout\.|join\/|session\/|p\/)/;

/**
 * Whether a module is imported, directly or through other modules, by a children's page. Only
 * static imports count: what a page imports on demand (another language) stays a file apart.
 */
function usedByChildrensPages(id: string, getModuleInfo: (id: string) => { importers: readonly string[] } | null, seen = new Set<string>()): boolean {
	if (seen.has(id)) return false;
	seen.add(id);
	return (getModuleInfo(id)?.importers ?? []).some((importer) => childrensEntries.test(importer) || usedByChildrensPages(importer, getModuleInfo, seen));
}

export default defineConfig({
	plugins: [sveltekit()],
	build: {
		rollupOptions: {
			output: {
				// On a slow phone network every file costs a round trip, and a browser opens only
				// six at a time. So Svelte's and SvelteKit's runtime ship as one file rather than a
				// dozen (the QR library stays apart: only adults' pages load it), and so does the
				// code that the children's pages share.
				manualChunks: (id, { getModuleInfo }) => {
					if (id.includes('/node_modules/')) return id.includes('/qrcode-generator/') ? undefined : 'runtime';
					if (id.includes('/src/lib/') && usedByChildrensPages(id, getModuleInfo)) return 'phone';
					return undefined;
				}
			}
		}
	},
	server: {
		proxy: {
			// ws: the live sessions' websockets live under /api too.
			'/api': { target: api, ws: true },
			'/healthz': api,
			'/readyz': api
		}
	},
	test: {
		include: ['src/**/*.test.ts'],
		environment: 'node'
	}
});
