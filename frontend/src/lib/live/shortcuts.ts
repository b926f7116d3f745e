import type { ModerationData } from './protocol';
import { groupModeration, isFlagged } from './moderationGroups';

/** What a key on the facilitator's console does. */
export type ConsoleAction = 'next' | 'previous' | 'lock' | 'reveal' | 'approve';

/**
 * The console's keys, in the order the console lists them. Presenter clickers send Page Down
 * and Page Up. `aria` is the value of the button's aria-keyshortcuts.
 */
export const CONSOLE_SHORTCUTS: readonly { readonly action: ConsoleAction; readonly keys: readonly string[]; readonly aria: string }[] = [
	{ action: 'next', keys: ['N', 'Page Down'], aria: 'N PageDown' },
	{ action: 'previous', keys: ['P', 'Page Up'], aria: 'P PageUp' },
	{ action: 'lock', keys: ['L'], aria: 'L' },
	{ action: 'reveal', keys: ['R'], aria: 'R' },
	{ action: 'approve', keys: ['A'], aria: 'A' }
];

const BY_KEY: Readonly<Record<string, ConsoleAction>> = {
	n: 'next',
	pagedown: 'next',
	p: 'previous',
	pageup: 'previous',
	l: 'lock',
	r: 'reveal',
	a: 'approve'
};

/** Inputs in which a key is not text: a key pressed there is still a shortcut. */
const NOT_TYPED = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file', 'image']);

/** Whether keys pressed in `target` are typed into it (a text field, a list, an editable region). */
export function isTyping(target: EventTarget | null): boolean {
	if (!target || typeof (target as Element).tagName !== 'string') return false;
	const element = target as HTMLElement;
	const tag = element.tagName.toLowerCase();
	if (tag === 'textarea' || tag === 'select') return true;
	if (tag === 'input') return !NOT_TYPED.has(((element as HTMLInputElement).type || 'text').toLowerCase());
	return element.isContentEditable === true || element.getAttribute?.('contenteditable') === 'true';
}

/** The action of a key press, or null: keys with Ctrl, Alt or Meta, repeats, and keys typed into a field are not shortcuts. */
export function shortcutOf(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'altKey' | 'metaKey' | 'repeat' | 'target' | 'defaultPrevented'>): ConsoleAction | null {
	if (event.defaultPrevented || event.repeat || event.ctrlKey || event.altKey || event.metaKey) return null;
	if (isTyping(event.target)) return null;
	return BY_KEY[event.key.toLowerCase()] ?? null;
}

/**
 * The text the approve key approves: the first waiting text that screening did not flag, in
 * the order the queue shows them (the question on screen first). A flagged text is never
 * approved by a key: it keeps its second, explicit step.
 */
export function firstCleanText(queue: readonly ModerationData[], currentQuestionId = ''): ModerationData | null {
	for (const group of groupModeration(queue, currentQuestionId)) {
		const clean = group.ordinary.find((item) => item.moderation === 'pending' && !isFlagged(item));
		if (clean) return clean;
	}
	return null;
}
