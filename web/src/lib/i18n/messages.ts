/** The dictionaries and how a message is filled in: plain functions, so unit tests need no Svelte. */
import { en } from './en';
import { zh, type MessageKey } from './zh';

export type { MessageKey };

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

export type MessageParams = Record<string, string | number>;

const dictionaries: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zh, en };

/** Replaces `{name}` with `params.name`; a placeholder without a value stays as it is. */
export function interpolate(template: string, params?: MessageParams): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

export function translate(locale: Locale, key: MessageKey, params?: MessageParams): string {
  return interpolate(dictionaries[locale][key], params);
}

/** Whether `key` is a message (for keys built at run time, such as `problem.<code>` from a server). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(zh, key);
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The keys of each dictionary, for the test that pins zh and en to the same set. */
export function dictionaryKeys(locale: Locale): string[] {
  return Object.keys(dictionaries[locale]).sort();
}
