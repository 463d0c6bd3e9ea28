/**
 * What the screen says when the server refuses a user form: the field's label and the reason in
 * the user's language where the reason is one we know (the server writes English), else the
 * server's own words inside a localized sentence. Plain functions, so unit tests need no Svelte.
 */
import type { MessageKey, MessageParams } from '../i18n/messages';
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

/** The reason in the user's language when we recognise it; null when we do not. */
function knownReason(reason: string, t: Translate): string | null {
  let m: RegExpExecArray | null;
  if ((m = /must NOT have fewer than (\d+) characters/.exec(reason))) return t('admin.reason.tooShort', { n: m[1]! });
  if ((m = /must NOT have more than (\d+) characters/.exec(reason))) return t('admin.reason.tooLong', { n: m[1]! });
  if (/must match pattern/.test(reason)) return t('admin.reason.pattern');
  if (/must have required property/.test(reason)) return t('admin.reason.required');
  if (/is taken/.test(reason)) return t('admin.reason.taken');
  if (/needs an organisationId/.test(reason)) return t('admin.reason.needsOrganisation');
  if (/needs a teamId/.test(reason)) return t('admin.reason.needsTeam');
  if (/^no user with id/.test(reason)) return t('admin.reason.noUser');
  if (/current password is wrong/.test(reason)) return t('password.wrong');
  if (/must be equal to one of|must be (string|boolean|integer)/.test(reason)) return t('admin.reason.invalid');
  return null;
}

/** Where and how to show `error` (a refusal, a network failure, anything thrown by a request). */
export function describeRefusal(error: unknown, t: Translate): ShownRefusal {
  if (!(error instanceof Refusal) || error.status >= 500) return { field: null, text: t('admin.failed') };
  if (error.status === 429) return { field: null, text: t('admin.rateLimited') };
  // A validation message is `<field> <reason>`: the field is shown as its label instead.
  const reason = error.field ? error.reason.replace(new RegExp(`^(body|params|querystring)[./]${error.field}\\s+`), '') : error.reason;
  const known = knownReason(reason, t);
  const field = error.field && error.field in FIELD_LABELS ? (error.field as UserField) : null;
  if (error.status === 403 && !known) return { field: null, text: t('admin.forbidden') };
  if (field) return { field, text: known ?? t('admin.refused', { field: t(FIELD_LABELS[field]), reason }) };
  if (known) return { field: null, text: known };
  return { field: null, text: error.field ? t('admin.refused', { field: error.field, reason }) : t('admin.refusedGeneral', { reason: reason || String(error.status) }) };
}
