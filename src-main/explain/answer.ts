import type { Run } from '../../src-shared/contract';
import { AppError } from '../../src-shared/errors';
import type { ChatBackend, ChatTurn } from './chat';
import type { Evidence } from './evidence';
import { checkNumbers, isGrounded, type CheckedNumber } from './fact-check';
import { buildPrompt } from './prompt';

/** One question about one run, as the pane, the CLI and the web host ask it. */
export interface ExplainRequest {
  artifact: Run['artifact'];
  question: string;
  /** Earlier turns of this conversation (the last few are sent, oldest first). */
  history?: ChatTurn[];
  focus?: number[] | null;
  maxBullets?: number | null;
  maxTokens?: number;
  temperature?: number;
}

export interface ExplainAnswer {
  text: string;
  stopped: boolean;
  /** Every number of the answer, verified against the evidence or not. */
  checks: CheckedNumber[];
  /** The answer cites evidence and all its numbers are verified. */
  grounded: boolean;
  evidence: Evidence[];
  omitted: number;
  backend: string;
}

/** Earlier turns kept in the prompt: the last three exchanges. */
const HISTORY_TURNS = 6;

/**
 * Asks a backend to explain a run: the prompt is built from the artifact only (trimmed to what
 * the model reads, after the earlier turns), the answer streams through `onText`, and every
 * number of it is checked against the evidence. Nothing here computes a number for the answer.
 */
export async function explainRun(backend: ChatBackend, request: ExplainRequest, onText: (text: string) => void, signal?: AbortSignal): Promise<ExplainAnswer> {
  const history = (request.history ?? []).slice(-HISTORY_TURNS);
  // A history that starts with the model's turn confuses chat templates; start at a question.
  while (history.length > 0 && history[0]!.role !== 'user') history.shift();
  const budget = await backend.promptBudget();
  const historyChars = history.reduce((n, t) => n + t.text.length, 0);
  const build = (maxChars: number) => buildPrompt(request.artifact, request.question, { maxChars, focus: request.focus ?? null, maxBullets: request.maxBullets ?? null });
  let maxChars = Math.max(1200, budget - historyChars);
  let prompt = build(maxChars);
  if (backend.tokens) {
    // The character budget is an estimate; a model that can count is held to its real context.
    const limit = await backend.tokens.limit();
    for (let attempt = 0; attempt < 4; attempt++) {
      const used = await backend.tokens.count([prompt.system, ...history.map((t) => t.text), prompt.user].join('\n'));
      if (used <= limit) break;
      if (prompt.evidence.length <= 1) {
        throw new AppError('LLM_FAILED', `the question and the evidence need ${used} tokens, more than the ${limit} this model's context leaves for them`, 'Raise the context size in the explain settings (--context-size), clear the conversation, or use a model with a longer context.');
      }
      maxChars = Math.floor(maxChars * (limit / used) * 0.9);
      prompt = build(maxChars);
    }
  }
  const result = await backend.chat(
    { system: prompt.system, messages: [...history, { role: 'user', text: prompt.user }], maxTokens: request.maxTokens ?? 700, temperature: request.temperature ?? 0.2 },
    onText,
    signal,
  );
  const text = result.text.trim();
  return {
    text,
    stopped: result.stopped,
    checks: checkNumbers(text, prompt.evidence),
    grounded: isGrounded(text, prompt.evidence),
    evidence: prompt.evidence,
    omitted: prompt.omitted,
    backend: backend.label,
  };
}
