import { AppError } from '../../src-shared/errors';

/**
 * Files that are not tables but that a CSV reader would happily read as one: a JSON document
 * becomes a one-column table whose column is `{`, a YAML or INI file one whose rows are its
 * lines. Each is refused with NOT_A_TABLE, saying what the file looks like and how to get a CSV.
 * The checks look at the first bytes only (`head`; `complete` when that is the whole file) and
 * ask for strong evidence, so a legitimate one-column CSV is never refused.
 */
export function rejectNonTables(head: Buffer, filePath: string, complete: boolean): void {
  if (head.includes(0)) {
    const magic = head.subarray(0, 4).toString('latin1');
    const kind = magic === 'PAR1' ? 'a Parquet file' : magic.startsWith('PK') ? 'a zip or Excel file' : 'a binary file';
    throw new AppError(
      'NOT_A_TABLE',
      `${filePath} looks like ${kind}, not a CSV table`,
      'Export the data as CSV (comma or tab separated, UTF-8) and open that file.',
    );
  }
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  const start = text.slice(0, 512).trimStart().toLowerCase();
  if (
    start.startsWith('<!doctype html') ||
    start.startsWith('<html') ||
    start.startsWith('<?xml') ||
    /^<(head|body|table|div)[\s>]/.test(start)
  ) {
    throw new AppError(
      'NOT_A_TABLE',
      `${filePath} is an HTML or XML document, not a CSV table`,
      'If you downloaded it from a web page, download the CSV export instead.',
    );
  }
  const lines = firstLines(text, complete);
  const json = jsonKind(text, lines, complete);
  if (json) {
    throw new AppError(
      'NOT_A_TABLE',
      `${filePath} holds ${json}, not a CSV table`,
      "Convert it to CSV first (one row per record, the field names as the header), e.g. with DuckDB: COPY (SELECT * FROM read_json_auto('data.json')) TO 'data.csv'.",
    );
  }
  if (isSettingsFile(lines)) {
    throw new AppError(
      'NOT_A_TABLE',
      `${filePath} looks like an INI or TOML settings file ([section] and key = value lines), not a CSV table`,
      'Open a CSV with a header row of column names. A TOML file of profiles goes to --profile-config instead.',
    );
  }
  if (isYaml(lines)) {
    throw new AppError(
      'NOT_A_TABLE',
      `${filePath} looks like a YAML document (key: value lines), not a CSV table`,
      'Open a CSV with a header row of column names, then one row per record.',
    );
  }
  if (isLog(lines)) {
    throw new AppError(
      'NOT_A_TABLE',
      `${filePath} looks like a log file (its lines start with a timestamp), not a CSV table with a header row`,
      'Convert the log to CSV with a header row of column names (e.g. time,level,message) and open that file.',
    );
  }
}

const SAMPLE_LINES = 20;

/** The first non-blank lines, whole ones only (the head may end mid-line). */
function firstLines(text: string, complete: boolean): string[] {
  const all = text.split(/\r?\n/);
  if (!complete) all.pop();
  return all.filter((l) => l.trim() !== '').slice(0, SAMPLE_LINES);
}

function parsesAsJson(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null;
  } catch {
    return false;
  }
}

/** "JSON", "JSON lines (one JSON value per line)", or null. */
function jsonKind(text: string, lines: string[], complete: boolean): string | null {
  const body = text.trim();
  if (!body.startsWith('{') && !body.startsWith('[')) return null;
  if (complete && parsesAsJson(body)) return 'JSON';
  const first = lines[0]?.trim() ?? '';
  // One object (or array) per line: every whole line read must parse.
  if (lines.length > 0 && (first.startsWith('{') || first.startsWith('[')) && lines.every((l) => parsesAsJson(l.trim())))
    return 'JSON lines (one JSON value per line)';
  // A document too long to parse from its first bytes: `{"key"`, `[{`, `[[`, `["` are JSON, never a CSV header.
  if (/^\{\s*("|\})/.test(body) || /^\[\s*(\{|\[|"|\])/.test(body)) return 'JSON';
  return null;
}

const SECTION = /^\s*\[[^\],]+\]\s*$/;
const ASSIGNMENT = /^\s*[\w."-]+\s*=\s*\S/;
const COMMENT = /^\s*[#;]/;

/** A [section] line, and nearly every line a section, a key = value or a comment. */
function isSettingsFile(lines: string[]): boolean {
  if (lines.length < 2 || !lines.some((l) => SECTION.test(l)) || !lines.some((l) => ASSIGNMENT.test(l))) return false;
  return mostly(lines, (l) => SECTION.test(l) || ASSIGNMENT.test(l) || COMMENT.test(l));
}

const YAML_KEY = /^\s*("[^"]*"|'[^']*'|[A-Za-z_][\w .-]*):(\s|$)/;
const YAML_ITEM = /^\s*-(\s|$)/;

/** Opens with `---` or a `key:` line, and nearly every line is a key, a list item or a comment. */
function isYaml(lines: string[]): boolean {
  const first = lines[0] ?? '';
  if (lines.length < 2 || !(first.trim() === '---' || YAML_KEY.test(first))) return false;
  return mostly(lines, (l) => l.trim() === '---' || YAML_KEY.test(l) || YAML_ITEM.test(l) || /^\s*#/.test(l) || /^\s+\S/.test(l));
}

/** 2026-01-31 12:00:00 (also with T, fractions, a zone, in brackets) or a syslog Jan 31 12:00:00, then text. */
const LOG_LINE =
  /^\[?(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?([.,]\d+)?(Z|[+-]\d{2}:?\d{2})?|[A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2})\]?\s+\S/;

/** The header itself is a timestamped line, and so are nearly all the others: there is no header row. */
function isLog(lines: string[]): boolean {
  return lines.length >= 2 && LOG_LINE.test(lines[0]!) && mostly(lines, (l) => LOG_LINE.test(l) || /^\s/.test(l));
}

/** At least 80% of the lines pass. */
function mostly(lines: string[], test: (line: string) => boolean): boolean {
  return lines.filter(test).length >= 0.8 * lines.length;
}
