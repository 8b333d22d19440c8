// Sentences with numbers pick a whole form per plural category; nothing is concatenated.
export type Plural = { one: string; few?: string; many?: string; other: string };
export type Entry = string | Plural;

const rules = new Map<string, Intl.PluralRules>();

export function pluralForm(locale: string, n: number): keyof Plural {
  let rule = rules.get(locale);
  if (!rule) {
    rule = new Intl.PluralRules(locale);
    rules.set(locale, rule);
  }
  return rule.select(n) as keyof Plural;
}

export function fill(template: string, vars: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function render(locale: string, entry: Entry, vars: Record<string, string | number> = {}): string {
  if (typeof entry === 'string') return fill(entry, vars);
  const n = Number(vars.n ?? 0);
  const form = pluralForm(locale, n);
  return fill(entry[form] ?? entry.other, vars);
}
