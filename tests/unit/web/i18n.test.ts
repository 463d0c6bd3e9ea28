import { describe, expect, it } from 'vitest';
import { dictionaryKeys, interpolate, translate } from '../../../web/src/lib/i18n/messages.ts';
import { AGENCIES_IN_ORDER, CATEGORIES_IN_ORDER } from '../../../web/src/lib/map/palette.ts';

describe('i18n dictionaries', () => {
  it('has exactly the same keys in English as in Chinese', () => {
    expect(dictionaryKeys('en')).toEqual(dictionaryKeys('zh-CN'));
  });

  it('names every agency and location category the map colours, in both languages', () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      for (const agency of AGENCIES_IN_ORDER) expect(translate(locale, `agency.${agency}`)).not.toBe('');
      for (const category of CATEGORIES_IN_ORDER) expect(translate(locale, `category.${category}`)).not.toBe('');
    }
  });

  it('uses the domain words on the Chinese screen', () => {
    expect(translate('zh-CN', 'popup.leader')).toBe('网格长');
    expect(translate('zh-CN', 'popup.workers')).toBe('网格员');
    expect(translate('zh-CN', 'legend.locations')).toBe('重点部位');
  });
});

describe(interpolate.name, () => {
  it('fills named placeholders and leaves ones without a value as they are', () => {
    expect(interpolate('{n} 分钟前', { n: 3 })).toBe('3 分钟前');
    expect(interpolate('{a} and {b}', { a: 'x' })).toBe('x and {b}');
    expect(interpolate('no params')).toBe('no params');
  });
});
