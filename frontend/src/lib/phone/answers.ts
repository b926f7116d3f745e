// What the child has chosen but not sent yet, on a page where they move between questions.

/** An answer as the form gives it: choices for options, or a text. */
export interface Draft {
	readonly choices?: readonly string[];
	readonly text?: string;
}

/** Whether `draft` says something other than the answer already sent (if any). */
export function isUnsent(draft: Draft | null, sent: { choices: readonly string[]; text: string } | undefined): boolean {
	if (draft === null) return false;
	const text = (draft.text ?? '').trim();
	const choices = draft.choices ?? [];
	if (text === '' && choices.length === 0) return false;
	if (!sent) return true;
	return text !== sent.text || choices.length !== sent.choices.length || choices.some((c, i) => c !== sent.choices[i]);
}
