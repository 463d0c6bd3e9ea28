/**
 * Fake people for the demo county: common surnames and given names, and phone numbers in one
 * made-up block (1390…) so nobody real is ever called. Numbers are unique across the county.
 */
import type { Random } from '../createRandom.ts';
import type { Contact } from '../types.ts';
import { GIVEN_NAME_CHARACTERS, SURNAMES } from './names.ts';

/**
 * Returns a function producing a new fake contact on each call.
 *
 * @example
 * const person = createPeople(createRandom(1));
 * person(); // { name: '王建国', phone: '13901234567' }
 */
export function createPeople(random: Random): () => Contact {
  const phones = new Set<string>();
  return () => {
    const given = random.chance(0.7)
      ? random.pick(GIVEN_NAME_CHARACTERS) + random.pick(GIVEN_NAME_CHARACTERS)
      : random.pick(GIVEN_NAME_CHARACTERS);
    let phone: string;
    do phone = '1390' + String(random.int(0, 9_999_999)).padStart(7, '0');
    while (phones.has(phone));
    phones.add(phone);
    return { name: random.pick(SURNAMES) + given, phone };
  };
}
