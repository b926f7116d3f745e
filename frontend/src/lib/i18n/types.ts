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

/**
 * Keys of the children's dictionaries, the only messages a child's device
 * downloads: the Romanian dictionary is the reference. The `t` of `$lib/i18n`
 * takes nothing else, so a children's page cannot show an adults' message.
 */
export type MessageKey = keyof typeof ro;

/** Keys of the adults' dictionaries, loaded only by adults' pages. */
export type AdultKey = keyof typeof roAdult;

/** What an adults' page may show: its own messages and the children's ones (`$lib/i18n/adult`). */
export type AdultMessageKey = MessageKey | AdultKey;

/** A translation function for the keys `K`, as `$t` is. */
export type Translate<K extends AdultMessageKey> = (key: K, params?: MessageParams) => string;

/** A complete children's dictionary: the compiler rejects a missing or unknown key. */
export type Dictionary = { readonly [K in MessageKey]: Message };

/** A complete dictionary of adults' pages. */
export type AdultDictionary = { readonly [K in AdultKey]: Message };

export type MessageParams = Readonly<Record<string, string | number>>;
