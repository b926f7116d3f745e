import { getJSON, sendJSON, type ApiResult } from '$lib/api/client';
import type { Municipality } from '$lib/api/types';
import type { Profile } from './profile';
import type { Stage, StageHistory } from './stages';

export function getMunicipality(siruta: number): Promise<ApiResult<Municipality>> {
	return getJSON<Municipality>(`/api/v1/municipalities/${siruta}`);
}

export function stageHistory(siruta: number): Promise<ApiResult<StageHistory>> {
	return getJSON<StageHistory>(`/api/v1/municipalities/${siruta}/stage-history`);
}

export interface StageRequest {
	readonly stage: Stage;
	readonly date: string;
	readonly note?: string;
}

/**
 * Enrols a municipality that was never enrolled, or records its next stage
 * (a return from a pause is a stage change too).
 */
export function recordStage(siruta: number, request: StageRequest, enrol: boolean): Promise<ApiResult<unknown>> {
	return sendJSON<unknown>('POST', `/api/v1/municipalities/${siruta}/${enrol ? 'enrolment' : 'stage'}`, request);
}

export function getProfile(siruta: number): Promise<ApiResult<Profile>> {
	return getJSON<Profile>(`/api/v1/municipalities/${siruta}/profile`);
}

export function updateProfile(siruta: number, body: Record<string, unknown>): Promise<ApiResult<Profile>> {
	return sendJSON<Profile>('PATCH', `/api/v1/municipalities/${siruta}/profile`, body);
}
