import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

// In development, API calls go to a Go server started separately
// (VOCI_API, default http://127.0.0.1:8080).
const api = process.env.VOCI_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
	plugins: [sveltekit()],
	build: {
		rollupOptions: {
			output: {
				// Svelte's and SvelteKit's runtime in one file rather than a dozen: on a slow
				// phone network every file costs a round trip, and a browser opens only six at
				// a time. The QR library stays apart: only adults' pages load it.
				manualChunks: (id) => (id.includes('/node_modules/') && !id.includes('/qrcode-generator/') ? 'runtime' : undefined)
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
