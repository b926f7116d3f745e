import { loadAdultMessages } from '$lib/i18n';
import type { LayoutLoad } from './$types';

// A municipality's pages (consultations, the live console, the projector,
// results) are adults' pages: their messages load before they render, as in
// the (adult) group.
export const load: LayoutLoad = async ({ parent }) => {
	await parent();
	await loadAdultMessages();
};
