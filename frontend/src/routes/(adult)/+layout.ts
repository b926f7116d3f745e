import { loadAdultMessages } from '$lib/i18n';
import type { LayoutLoad } from './$types';

// Adults' pages have messages of their own, which children's pages never
// download. They are loaded after the language is chosen (the parent load),
// before the page renders.
export const load: LayoutLoad = async ({ parent }) => {
	await parent();
	await loadAdultMessages();
};
