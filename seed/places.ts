// Ontario communities the population lives in, with the first two characters of their postal
// codes (forward sortation areas, Canada Post) and their telephone area codes (CNAC).
import type { Rng } from './rng.js';

export interface Place {
  city: string;
  /** Postal code prefixes: letter + digit. */
  fsa: readonly string[];
  areaCodes: readonly string[];
  /** Relative share of the population. */
  weight: number;
}

export const ONTARIO_PLACES: readonly Place[] = [
  { city: 'Toronto', fsa: ['M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M9'], areaCodes: ['416', '647', '437'], weight: 28 },
  { city: 'Ottawa', fsa: ['K1', 'K2'], areaCodes: ['613', '343'], weight: 10 },
  { city: 'Mississauga', fsa: ['L4', 'L5'], areaCodes: ['905', '289', '365'], weight: 7 },
  { city: 'Brampton', fsa: ['L6', 'L7'], areaCodes: ['905', '289'], weight: 6 },
  { city: 'Hamilton', fsa: ['L8', 'L9'], areaCodes: ['905', '289'], weight: 5 },
  { city: 'London', fsa: ['N5', 'N6'], areaCodes: ['519', '226'], weight: 4 },
  { city: 'Kitchener', fsa: ['N2'], areaCodes: ['519', '226'], weight: 3 },
  { city: 'Windsor', fsa: ['N8', 'N9'], areaCodes: ['519', '226'], weight: 2.5 },
  { city: 'Oshawa', fsa: ['L1'], areaCodes: ['905', '289'], weight: 2 },
  { city: 'Barrie', fsa: ['L4'], areaCodes: ['705', '249'], weight: 1.5 },
  { city: 'Guelph', fsa: ['N1'], areaCodes: ['519', '226'], weight: 1.3 },
  { city: 'Kingston', fsa: ['K7'], areaCodes: ['613', '343'], weight: 1.2 },
  { city: 'Greater Sudbury', fsa: ['P3'], areaCodes: ['705', '249'], weight: 1.2 },
  { city: 'Thunder Bay', fsa: ['P7'], areaCodes: ['807'], weight: 0.8 },
  { city: 'Peterborough', fsa: ['K9'], areaCodes: ['705', '249'], weight: 0.8 },
  { city: 'Sault Ste. Marie', fsa: ['P6'], areaCodes: ['705', '249'], weight: 0.5 },
  { city: 'North Bay', fsa: ['P1'], areaCodes: ['705', '249'], weight: 0.4 },
  { city: 'Cornwall', fsa: ['K6'], areaCodes: ['613', '343'], weight: 0.4 },
];

// Canada Post never uses D, F, I, O, Q or U in postal codes.
const LETTERS = 'ABCEGHJKLMNPRSTVWXYZ';
const STREET_TYPES = ['Street', 'Avenue', 'Road', 'Drive', 'Crescent', 'Court', 'Boulevard', 'Lane', 'Way', 'Place'];

export function pickPlace(rng: Rng): Place {
  let total = 0;
  for (const p of ONTARIO_PLACES) total += p.weight;
  let r = rng.next() * total;
  for (const p of ONTARIO_PLACES) {
    r -= p.weight;
    if (r < 0) return p;
  }
  return ONTARIO_PLACES[0]!;
}

/** A postal code in the place's area: A1A 1A1. */
export function postalCode(rng: Rng, place: Place): string {
  return `${rng.pick(place.fsa)}${rng.pick([...LETTERS])} ${rng.int(0, 9)}${rng.pick([...LETTERS])}${rng.int(0, 9)}`;
}

/** A ten-digit North American number in the place's area code, as (416) 555-0123. */
export function phoneNumber(rng: Rng, place: Place): string {
  // Exchanges start 2-9 and never end in 11; 555 is kept for fiction and directory services.
  let exchange = rng.int(200, 999);
  if (exchange % 100 === 11 || exchange === 555) exchange += 1;
  return `(${rng.pick(place.areaCodes)}) ${exchange}-${String(rng.int(0, 9999)).padStart(4, '0')}`;
}

export function streetLine(rng: Rng, streetName: string): string {
  return `${rng.int(1, 3999)} ${streetName} ${rng.pick(STREET_TYPES)}`;
}
