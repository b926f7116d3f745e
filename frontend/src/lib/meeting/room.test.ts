import { describe, expect, it } from 'vitest';
import { en } from '$lib/i18n/en';
import { hu } from '$lib/i18n/hu';
import { ro } from '$lib/i18n/ro';
import { CHOICES, HAND_KINDS, MAJORITIES, MOTION_MOVES, amendable, coachKey, errorKey, handKey, motionStateKey, outcomeKey } from './room';

// Every step of the chair's coach, reason for a hand, outcome, motion state and refusal the
// server can send has words in the three languages: the keys are built from the server's
// values, so the compiler cannot check them.
const STEPS = ['open_meeting', 'wait_for_votes', 'close_vote', 'read_result', 'start_item', 'point_of_order', 'speaker_talking', 'give_floor',
	'ask_seconder', 'start_debate', 'call_vote', 'wait_for_quorum', 'who_wants_to_speak', ''];
const STATES = ['submitted', 'seconded', 'debated', 'voting', 'adopted', 'rejected', 'withdrawn', 'deferred', 'referred'];

describe('meeting room words', () => {
	const keys = [
		...STEPS.map(coachKey),
		...HAND_KINDS.map(handKey),
		...['adopted', 'not_adopted', 'not_valid'].map(outcomeKey),
		...STATES.map(motionStateKey),
		...['no_quorum', 'vote_closed', 'forbidden', 'something_new'].map(errorKey),
		...CHOICES.map((c) => `meetingRoom.choice.${c}`)
	];
	for (const [name, dict] of Object.entries({ ro, en, hu })) {
		it(`are all in ${name}`, () => {
			for (const key of keys) expect(dict, key).toHaveProperty([key]);
		});
	}

	it('falls back for a refusal it does not know', () => {
		expect(errorKey('something_new')).toBe('meetingRoom.error.other');
		expect(errorKey('no_quorum')).toBe('meetingRoom.error.no_quorum');
	});
});

describe('amendments, motion moves, majorities and the balanced suggestion', () => {
	it('offers an amendment only to a motion seconded, debated or deferred, never to an amendment', () => {
		expect(amendable({ state: 'seconded' })).toBe(true);
		expect(amendable({ state: 'deferred' })).toBe(true);
		expect(amendable({ state: 'submitted' })).toBe(false);
		expect(amendable({ state: 'voting' })).toBe(false);
		expect(amendable({ amends: 'M-2026-1', state: 'debated' })).toBe(false);
	});

	it('has words for every move, majority and way of balancing in the three languages', () => {
		const keys = [
			...MAJORITIES.map((m) => `meetingRoom.majority.${m}`),
			...['fewest_contributions', 'least_time'].map((b) => `meetingRoom.balanced.${b}`),
			...new Set(Object.values(MOTION_MOVES).flat().filter((to) => to === 'deferred' || to === 'referred').map((to) => `meetingRoom.move.${to}`))
		];
		for (const dict of [ro, en, hu] as Record<string, string>[]) {
			for (const k of keys) expect(dict[k], k).toBeTruthy();
		}
	});
});
