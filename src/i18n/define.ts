/** The languages Ruche speaks; the first is the fallback. */
export const LOCALES = ['en', 'fr', 'nl'] as const;
export type Locale = (typeof LOCALES)[number];

/** Declares one module's messages in the three languages; a key missing from one language fails to compile. */
export function defineMessages<const K extends string>(messages: {
  en: Record<K, string>;
  fr: Record<K, string>;
  nl: Record<K, string>;
}) {
  return messages;
}
