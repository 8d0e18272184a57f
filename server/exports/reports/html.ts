/**
 * HTML for the printable reports, escaped by construction: `html` is a tagged template whose every
 * interpolated value is HTML-escaped unless it is itself `Html` (built by `html`, or `trustedHtml`
 * for markup this code wrote, such as an SVG map). Owners, area names and notes are user input, so
 * a report never concatenates strings into markup.
 */

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character]);
}

/** Markup that is already safe (escaped where it holds text). */
export class Html {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

/** A value a template may interpolate: text (escaped), numbers, markup, lists of them; null/undefined/false leave nothing. */
export type HtmlValue = Html | string | number | null | undefined | false | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.markup;
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let markup = strings[0];
  values.forEach((value, index) => {
    markup += render(value) + strings[index + 1];
  });
  return new Html(markup);
}

/** Markup produced by this code itself (its text already escaped), e.g. the SVG of a map. */
export function trustedHtml(markup: string): Html {
  return new Html(markup);
}
