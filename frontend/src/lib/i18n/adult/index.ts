import type { Readable } from 'svelte/store';
import { t as childrensT } from '../index';
import type { AdultMessageKey, Translate } from '../types';

// What adults' pages import instead of `$lib/i18n`: the same stores and
// functions, with a `t` that also takes the keys of the adults' dictionaries.
// Their layouts load those dictionaries (`loadAdultMessages`) before they
// render. Children's pages never import this module, so the compiler refuses
// an adults' key there.
export * from '../index';
export type { AdultMessageKey, Translate } from '../types';

/** `$t` for adults' pages: the children's store, whose messages include the adults' ones once loaded. */
export const t = childrensT as Readable<Translate<AdultMessageKey>>;
