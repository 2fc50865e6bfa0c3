/**
 * One copy of each string many cached objects repeat (item codes, reasons of scenario changes): the change lists of
 * a hundred open scenarios then point at one string per item code instead of holding a hundred copies. Bounded: past
 * SHARED_STRINGS_MAX strings the table starts again (strings already shared stay valid, they are only not shared
 * with later ones), and a string longer than SHARED_STRING_CHARS is kept as it is (free text is seldom repeated).
 */
export const SHARED_STRINGS_MAX = 200_000;
export const SHARED_STRING_CHARS = 64;

const table = new Map<string, string>();

export function shared(s: string): string {
  if (s.length > SHARED_STRING_CHARS) return s;
  const hit = table.get(s);
  if (hit !== undefined) return hit;
  if (table.size >= SHARED_STRINGS_MAX) table.clear();
  table.set(s, s);
  return s;
}
