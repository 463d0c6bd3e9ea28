/**
 * The app's one i18n store: Simplified Chinese by default, English by switch. `t()` reads the
 * current locale from a rune, so any template or effect calling it re-renders on a switch.
 * The choice is kept in localStorage and mirrored in `<html lang>`.
 */
import { DEFAULT_LOCALE, isLocale, translate, type Locale, type MessageKey, type MessageParams } from './messages';
import { wordProblem, type Problem } from '../problem';

export type { Locale, MessageKey, MessageParams };
export { LOCALES, isMessageKey } from './messages';

const STORAGE_KEY = 'lianfang.locale';

function storedLocale(): Locale {
  try {
    const value = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (isLocale(value)) return value;
  } catch {
    // Storage can be disabled by policy on locked-down command-centre machines: use the default.
  }
  return DEFAULT_LOCALE;
}

class I18n {
  locale = $state<Locale>(storedLocale());

  constructor() {
    this.#applyToDocument();
  }

  setLocale(locale: Locale): void {
    this.locale = locale;
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, locale);
    } catch {
      // Not persisted; the switch still holds for this page.
    }
    this.#applyToDocument();
  }

  t = (key: MessageKey, params?: MessageParams): string => translate(this.locale, key, params);

  #applyToDocument(): void {
    if (typeof document === 'undefined') return;
    document.documentElement.lang = this.locale;
    document.title = `${this.t('app.name')} · ${this.t('app.title')}`;
  }
}

export const i18n = new I18n();

/** Translates a key in the current locale (reactive where it is read). */
export const t = i18n.t;

/** A server's refusal (its `code`, `params` and `field`) in the current language. */
export const problemText = (problem: Problem): string => wordProblem(i18n.locale, problem);
