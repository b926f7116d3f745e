import type { AdultMessageKey, Translate } from '$lib/i18n/adult';

/** Activity counts: not about children, live for any period. */
export const ACTIVITY_KEYS = [
	'sessionsLive',
	'sessionsSelfPaced',
	'paperForms',
	'consultationsOpened',
	'consultationsClosed',
	'consultationsAnswered',
	'consultationsAnsweredOnTime',
	'consultationsOverdue',
	'medianDaysToFeedback',
	'receiptsOpenedAfterFeedback',
	'recommendationsSent',
	'recommendationsAnswered',
	'decisionsLinked',
	'decisionsAdopted',
	'meetingsHeld',
	'meetingAttendanceRate',
	'motionsPassed'
] as const;

export const AGE_BANDS = ['under_10', '10_12', '13_15', '16_18'] as const;
export const GENDERS = ['girl', 'boy', 'other', 'prefer_not_to_say'] as const;
export const GROUP_FACTS = ['roma', 'disability', 'rural', 'in_care', 'out_of_school', 'refugee'] as const;
export const ADAPTATIONS = [
	'easy_read',
	'sign_language',
	'language_support',
	'assistive_technology',
	'accessible_venue',
	'shared_devices'
] as const;

/** Children's figures: from the latest frozen release, protected. */
export const CHILDREN_KEYS = [
	'childrenReached',
	...AGE_BANDS.map((band) => `childrenByAge.${band}`),
	...GENDERS.map((gender) => `childrenByGender.${gender}`),
	'childrenUrban',
	'childrenRural',
	...GROUP_FACTS.map((group) => `groupFacts.${group}`)
];

export const REPRESENTATIVENESS_KEYS = AGE_BANDS.map((band) => `representativeness.${band}`);
export const ADAPTATION_KEYS = ADAPTATIONS.map((a) => `adaptations.${a}`);

/** Every indicator a page offers, in the order of its menus. */
export const INDICATOR_KEYS: readonly string[] = [...CHILDREN_KEYS, ...REPRESENTATIVENESS_KEYS, ...ACTIVITY_KEYS, ...ADAPTATION_KEYS];

/** The columns of the national table, besides name, county and stage. */
export const TABLE_KEYS: readonly string[] = [
	'childrenReached',
	'sessionsLive',
	'sessionsSelfPaced',
	'consultationsAnswered',
	'consultationsOverdue',
	'medianDaysToFeedback',
	'decisionsLinked',
	'meetingsHeld'
];

export function isIndicatorKey(key: string): boolean {
	return INDICATOR_KEYS.includes(key);
}

function genderKey(gender: string): AdultMessageKey {
	return gender === 'prefer_not_to_say' ? 'profile.preferNotToSay' : (`gender.${gender}` as AdultMessageKey);
}

/** The name of an indicator in the page's language; null for a key this page does not know. */
export function indicatorLabel(key: string, t: Translate<AdultMessageKey>): string | null {
	if ((ACTIVITY_KEYS as readonly string[]).includes(key) || key === 'childrenReached' || key === 'childrenUrban' || key === 'childrenRural') {
		return t(`national.ind.${key}` as AdultMessageKey);
	}
	const [group, part] = key.split('.', 2);
	if (part === undefined) return null;
	switch (group) {
		case 'childrenByAge':
			return (AGE_BANDS as readonly string[]).includes(part) ? t('national.ind.childrenByAge', { band: t(`ageBand.${part}` as AdultMessageKey) }) : null;
		case 'childrenByGender':
			return (GENDERS as readonly string[]).includes(part) ? t('national.ind.childrenByGender', { gender: t(genderKey(part)) }) : null;
		case 'groupFacts':
			return (GROUP_FACTS as readonly string[]).includes(part) ? t('national.ind.groupFacts', { group: t(`groupFacts.category.${part}` as AdultMessageKey) }) : null;
		case 'adaptations':
			return (ADAPTATIONS as readonly string[]).includes(part) ? t('national.ind.adaptations', { adaptation: t(`groupFacts.adaptation.${part}` as AdultMessageKey) }) : null;
		case 'representativeness':
			return (AGE_BANDS as readonly string[]).includes(part) ? t('national.ind.representativeness', { band: t(`ageBand.${part}` as AdultMessageKey) }) : null;
		default:
			return null;
	}
}

/** Whether a figure comes from children (a frozen, protected release) rather than activity. */
export function isChildrensFigure(key: string): boolean {
	return CHILDREN_KEYS.includes(key) || key.startsWith('representativeness');
}
