/**
 * What the screen says when the server refuses a user form: the reason in the user's language,
 * worded from the code the server sends (never its English message), beside the field it is
 * about. Plain functions, so unit tests need no Svelte.
 */
import { isMessageKey, type MessageKey, type MessageParams } from '../i18n/messages';
import type { Problem } from '../problem';
import { Refusal } from './request';

type Translate = (key: MessageKey, params?: MessageParams) => string;

/** The fields the user forms send, by the name the server gives them. */
export const FIELD_LABELS = {
  username: 'user.field.username',
  name: 'user.field.name',
  role: 'user.field.role',
  organisationId: 'user.field.organisation',
  teamId: 'user.field.team',
  password: 'user.field.password',
  currentPassword: 'user.field.currentPassword',
  disabled: 'user.field.status',
} as const satisfies Record<string, MessageKey>;

export type UserField = keyof typeof FIELD_LABELS;

export interface ShownRefusal {
  /** The form field to show it beside; null: above the buttons. */
  field: UserField | null;
  text: string;
}

/** Codes the user forms word in their own terms (the rest in the common problem table). */
const REASONS: Record<string, MessageKey> = {
  username_taken: 'admin.reason.taken',
  needs_organisation: 'admin.reason.needsOrganisation',
  needs_team: 'admin.reason.needsTeam',
  no_user: 'admin.reason.noUser',
  wrong_password: 'password.wrong',
  required: 'admin.reason.required',
  not_one_of: 'admin.reason.invalid',
  wrong_type: 'admin.reason.invalid',
};

/** The reason in the user's language, from the server's code and its limits. */
function reasonOf(problem: Problem, field: string | null, t: Translate): string | null {
  const code = problem.code ?? '';
  const limit = problem.params?.limit;
  if (code === 'too_short' && limit !== undefined) return t('admin.reason.tooShort', { n: limit });
  if (code === 'too_long' && limit !== undefined) return t('admin.reason.tooLong', { n: limit });
  if (code === 'bad_format' && field === 'username') return t('admin.reason.pattern');
  if (REASONS[code]) return t(REASONS[code]);
  const key = `problem.${code}`;
  return code && isMessageKey(key) ? t(key) : null;
}

/** Where and how to show `error` (a refusal, a network failure, anything thrown by a request). */
export function describeRefusal(error: unknown, t: Translate): ShownRefusal {
  if (!(error instanceof Refusal) || error.status >= 500) return { field: null, text: t('admin.failed') };
  if (error.status === 429) return { field: null, text: t('admin.rateLimited') };
  const known = reasonOf(error.problem, error.field, t);
  const field = error.field && error.field in FIELD_LABELS ? (error.field as UserField) : null;
  if (field) return { field, text: known ?? t('admin.reason.invalid') };
  if (error.status === 403 && !error.problem.code) return { field: null, text: t('admin.forbidden') };
  return { field: null, text: known ?? t('admin.refusedGeneral', { reason: String(error.status) }) };
}
