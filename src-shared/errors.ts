/**
 * Typed errors shared by every layer. A person sees `message` (what went wrong) and `hint`
 * (what to do about it); `code` is stable so the UI, the CLI and tests can branch on it.
 */
export const ERROR_CODES = [
  'FILE_NOT_FOUND',
  'FILE_UNREADABLE',
  'FILE_EMPTY',
  'FILE_CHANGED',
  'NO_DATA_ROWS',
  'NOT_A_TABLE',
  'RAGGED_ROW',
  'BAD_ENCODING',
  'UNKNOWN_COLUMN',
  'NON_NUMERIC_METRIC',
  'NO_GROUP_COLUMNS',
  'NO_METRIC_COLUMNS',
  'NO_MATCHING_ROWS',
  'BAD_ARGUMENT',
  'BAD_REQUEST',
  'NOT_FOUND',
  'CANCELLED',
  'RUN_TIMEOUT',
  'ENGINE_CRASHED',
  'WRITE_FAILED',
  'UNAUTHORIZED',
  'PATH_NOT_ALLOWED',
  'DB_UNREACHABLE',
  'DB_AUTH_FAILED',
  'DB_NOT_FOUND',
  'DB_TLS_FAILED',
  'DB_QUERY_FAILED',
  'DB_READ_ONLY',
  'DB_TIMEOUT',
  'MODEL_MISSING',
  'MODEL_INVALID',
  'MODEL_CRASHED',
  'LLM_ACCESS_DENIED',
  'LLM_CREDENTIALS',
  'LLM_MODEL_NOT_FOUND',
  'LLM_THROTTLED',
  'LLM_UNREACHABLE',
  'LLM_TIMEOUT',
  'LLM_FAILED',
  'WORKSPACE_TOO_NEW',
  'NATIVE_MODULE_MISMATCH',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  hint?: string;
  /**
   * The options the hint is about, as keys of the analysis's options (`groupBy`, `minRecords`).
   * Messages name them in words; each host says where to change them (the CLI its flags, the
   * workbench its form fields).
   */
  options?: string[];
}

export class AppError extends Error implements ErrorInfo {
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly options?: string[];

  constructor(code: ErrorCode, message: string, hint?: string, options?: string[]) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.hint = hint;
    if (options && options.length > 0) this.options = options;
  }

  toInfo(): ErrorInfo {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint ? { hint: this.hint } : {}),
      ...(this.options ? { options: this.options } : {}),
    };
  }
}

export function isErrorInfo(value: unknown): value is ErrorInfo {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorInfo).code === 'string' &&
    (ERROR_CODES as readonly string[]).includes((value as ErrorInfo).code) &&
    typeof (value as ErrorInfo).message === 'string'
  );
}

/** Turns anything thrown into an ErrorInfo; unknown failures become INTERNAL without a stack. */
export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof AppError) return err.toInfo();
  if (isErrorInfo(err))
    return {
      code: err.code,
      message: err.message,
      ...(err.hint ? { hint: err.hint } : {}),
      ...(Array.isArray(err.options) && err.options.length > 0 ? { options: err.options.map(String) } : {}),
    };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message, hint: 'This is a bug in FactorLens Workbench; please report it with the steps that led here.' };
}

export function fromErrorInfo(info: ErrorInfo): AppError {
  return new AppError(info.code, info.message, info.hint, info.options);
}

/** "Column 'x' not found. Available columns: a, b, c." with a hint; used by every option resolver. */
export function unknownColumnError(role: string, name: string, available: readonly string[], option?: string): AppError {
  return new AppError(
    'UNKNOWN_COLUMN',
    `${role} column '${name}' not found. Available columns: ${available.join(', ')}`,
    'Check the spelling (names match exactly first, then ignoring case) or pick one of the available columns.',
    option ? [option] : undefined,
  );
}
