import type { roAdult } from './adult/ro';
import type { ro } from './ro';

/**
 * A message whose wording depends on a number, keyed by the plural categories
 * of `Intl.PluralRules` (Romanian uses one, few and other; English and
 * Hungarian use one and other).
 */
export interface PluralMessage {
	readonly one?: string;
	readonly few?: string;
	readonly many?: string;
	readonly other: string;
}

export type Message = string | PluralMessage;

/** Keys of the messages every page may show: the Romanian dictionary is the reference. */
export type BaseKey = keyof typeof ro;

/** Keys of the messages of adults' pages, loaded only by them. */
export type AdultKey = keyof typeof roAdult;

/** Every key: `$t` takes either kind. */
export type MessageKey = BaseKey | AdultKey;

/** A complete dictionary: the compiler rejects a missing or unknown key. */
export type Dictionary = { readonly [K in BaseKey]: Message };

/** A complete dictionary of adults' pages. */
export type AdultDictionary = { readonly [K in AdultKey]: Message };

export type MessageParams = Readonly<Record<string, string | number>>;
