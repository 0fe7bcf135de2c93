import { AppError } from '../../src-shared/errors';
import type { ChatBackend, ChatTurn } from './chat';
import type { ExplainPrompt, Instructions } from './prompt';

type Tokens = NonNullable<ChatBackend['tokens']>;
/** The prompt with at most `maxLines` evidence lines (without it, what the character budget keeps) and the given instructions. */
export type PromptBuilder = (options: { maxLines?: number; instructions?: Instructions }) => ExplainPrompt;

/** What a chat request sends, as one text to count. */
const sent = (prompt: ExplainPrompt, history: ChatTurn[]) =>
  [prompt.system, ...history.map((t) => t.text), prompt.user].filter((t) => t !== '').join('\n');

/**
 * Holds a prompt to the real context of a model that counts its tokens. What goes first: the
 * oldest earlier exchanges, then evidence lines from the lowest-ranked up; when the full
 * instructions leave no room for a single line, the short ones are used if more lines fit beside
 * them; when not even the short instructions fit beside the question, the question goes alone
 * (with any lines that fit). Only a question that does not fit by itself is refused
 * (LLM_FAILED). `history` loses the exchanges left out.
 */
export async function fitPrompt(tokens: Tokens, build: PromptBuilder, history: ChatTurn[], signal?: AbortSignal): Promise<ExplainPrompt> {
  const limit = await tokens.limit();
  const first = build({});
  for (;;) {
    if (signal?.aborted || (await tokens.count(sent(first, history))) <= limit) return first;
    if (history.length === 0) break;
    history.splice(0, 2);
  }
  // Every line counted once; a prompt's count is then estimated from its parts and checked whole.
  const all = build({ maxLines: Infinity });
  const lineTokens: number[] = [];
  for (const e of all.evidence) lineTokens.push(await tokens.count(`[${e.id}] ${e.text}`));
  /** The most lines that fit with these instructions (-1: not even none do). */
  const mostLines = async (instructions: Instructions): Promise<number> => {
    const count = (n: number) => tokens.count(sent(build({ maxLines: n, instructions }), []));
    const fits = async (n: number) => (await count(n)) <= limit;
    let total = await count(0);
    if (total > limit) return -1;
    let n = 0;
    while (n < lineTokens.length && total + lineTokens[n]! + 1 <= limit) total += lineTokens[n++]! + 1;
    // The estimate is close (tokens can merge across lines); the whole prompt decides.
    while (n < lineTokens.length && (await fits(n + 1))) n++;
    while (n > 0 && !(await fits(n))) n--;
    return n;
  };
  const full = await mostLines('full');
  const short = full >= 1 ? -1 : await mostLines('short');
  if (full >= 0 && full >= short) return build({ maxLines: full, instructions: 'full' });
  if (short >= 0) return build({ maxLines: short, instructions: 'short' });
  const bare = await mostLines('none');
  if (bare >= 0) return build({ maxLines: bare, instructions: 'none' });
  const question = await tokens.count(first.user);
  throw new AppError(
    'LLM_FAILED',
    `the question alone takes ${question} tokens, more than the ${limit} this model's context leaves for a prompt`,
    'Ask a shorter question, or raise the context size in the explain settings (--context-size).',
  );
}
