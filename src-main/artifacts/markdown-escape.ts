/**
 * Data values (segment names, column names, file names, factor labels, profile names) written
 * into Markdown so that they read as text and nothing else: no HTML, no link or image, no
 * emphasis, no code span closed early, no line break that ends a bullet or a table row.
 * Numbers we format are written as they are; sentences that mix our words with names (the
 * artifacts' alerts and insights) go through markdownSentence as a whole.
 */

/** Line endings and other control characters (C0, DEL, C1, Unicode line/paragraph separators). */
// eslint-disable-next-line no-control-regex -- control characters are what this replaces
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** Characters that start Markdown inline syntax anywhere in a line. */
const INLINE_SPECIAL = /[\\`*[\]~]/g;

/** At the start of a line: a list item, a heading-like or setext line, a thematic break. */
const BLOCK_START = /^(\s*)([#+\-=])/;
const ORDERED_ITEM = /^(\s*\d{1,9})([.)])(?=\s|$)/;

function oneLine(value: string): string {
  return value.replace(CONTROL, ' ');
}

function escapeHtmlChars(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** `_` inside a word (customer_id) cannot open emphasis; anywhere else it is escaped. */
function escapeUnderscores(text: string): string {
  return text.replace(/_/g, (_m, i: number) => (/[\p{L}\p{N}]/u.test(text[i - 1] ?? '') && /[\p{L}\p{N}]/u.test(text[i + 1] ?? '') ? '_' : '\\_'));
}

function escapeInline(value: string, atLineStart: boolean): string {
  // `](` is where a link's target starts: its parenthesis is escaped too, though `\]` already breaks the link.
  let text = escapeUnderscores(escapeHtmlChars(oneLine(value)).replace(INLINE_SPECIAL, '\\$&')).replaceAll('\\](', '\\]\\(');
  if (atLineStart) text = text.replace(BLOCK_START, '$1\\$2').replace(ORDERED_ITEM, '$1\\$2');
  return text;
}

/** A data value inside a sentence or a bullet: shown as written, never as markup. */
export function markdownText(value: string): string {
  return escapeInline(value, true);
}

/** A data value in a table cell: as markdownText, and `|` cannot end the cell. */
export function markdownCell(value: string): string {
  return escapeInline(value, false).replaceAll('|', '\\|');
}

/**
 * A value as a CommonMark code span: the fence is one backtick longer than the longest run of
 * backticks in the value, and padded with a space where the value starts or ends with a backtick
 * or a space (the renderer strips one space each side). The value is kept literally (see
 * markdownName for names that may hold markup).
 */
export function markdownCode(value: string): string {
  const text = oneLine(value);
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = text.trim() !== '' && /^[` ]|[` ]$/.test(text) ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** What a naive viewer could still take for HTML, an entity or a link, even inside a code span. */
const MARKUP_LIKE = /[<>&[\]]/;

/**
 * A name the reports show in code style (segments, files, expressions): a code span (any
 * backticks in it handled by the fence), or escaped text when the name holds `<`, `>`, `&`, `[`
 * or `]`, so a name such as `<img src=x onerror=…>` or `[x](javascript:…)` never appears raw.
 */
export function markdownName(value: string): string {
  return MARKUP_LIKE.test(value) || value.trim() === '' ? markdownText(value) : markdownCode(value);
}

/**
 * A sentence of our words with names in `code spans`, as the artifacts and the shared views
 * build them. Words are escaped as text, each span as a name. Should a name hold a backtick the
 * spans no longer pair up: every part is still escaped, only the code styling may be off.
 */
export function markdownSentence(sentence: string): string {
  const parts = sentence.split('`');
  if (parts.length % 2 === 0) return markdownText(sentence);
  return parts.map((part, i) => (i % 2 === 1 ? markdownName(part) : escapeInline(part, i === 0))).join('');
}
