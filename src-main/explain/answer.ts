import type { Run } from '../../src-shared/contract';
import type { ChatBackend, ChatTurn } from './chat';
import type { Evidence } from './evidence';
import { checkNumbers, isGrounded, type CheckedNumber } from './fact-check';
import { fitPrompt, type PromptBuilder } from './fit-prompt';
import { buildPrompt, type Instructions } from './prompt';

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
  /** The answer reached the token limit (it may end mid-sentence). */
  truncated: boolean;
  /** Every number of the answer, verified against the evidence or not. */
  checks: CheckedNumber[];
  /** The answer cites evidence and all its numbers are verified. */
  grounded: boolean;
  evidence: Evidence[];
  /** Evidence lines left out to fit the model's context. */
  omitted: number;
  /** The instructions the prompt carried: short or none when the model's context is very small. */
  instructions: Instructions;
  backend: string;
}

/** Earlier turns kept in the prompt: the last three exchanges. */
const HISTORY_TURNS = 6;

/**
 * Earlier turns as question/answer pairs: a question whose answer failed or was stopped before
 * any text is left out with it, so turns alternate (Bedrock refuses two user turns in a row).
 */
export function pairedHistory(turns: ChatTurn[]): ChatTurn[] {
  const out: ChatTurn[] = [];
  for (let i = 0; i < turns.length - 1; i++) {
    const [q, a] = [turns[i]!, turns[i + 1]!];
    if (q.role === 'user' && a.role === 'assistant' && q.text.trim() && a.text.trim()) {
      out.push(q, a);
      i++;
    }
  }
  return out;
}

/**
 * Asks a backend to explain a run: the prompt is built from the artifact only (trimmed to what
 * the model reads, after the earlier turns), the answer streams through `onText`, and every
 * number of it is checked against the evidence. Nothing here computes a number for the answer.
 */
export async function explainRun(
  backend: ChatBackend,
  request: ExplainRequest,
  onText: (text: string) => void,
  signal?: AbortSignal,
): Promise<ExplainAnswer> {
  const history = pairedHistory(request.history ?? []).slice(-HISTORY_TURNS);
  const budget = await backend.promptBudget();
  const historyChars = history.reduce((n, t) => n + t.text.length, 0);
  const maxChars = Math.max(1200, budget - historyChars);
  const build: PromptBuilder = ({ maxLines, instructions }) =>
    buildPrompt(request.artifact, request.question, {
      maxChars: maxLines === undefined ? maxChars : Infinity,
      maxLines,
      instructions,
      focus: request.focus ?? null,
      maxBullets: request.maxBullets ?? null,
    });
  // The character budget is an estimate; a model that can count is held to its real context.
  const prompt = backend.tokens ? await fitPrompt(backend.tokens, build, history, signal) : build({});
  // Stopped while the model was loading or the prompt was being measured: nothing to send.
  const result = signal?.aborted
    ? { text: '', stopped: true }
    : await backend.chat(
        {
          system: prompt.system,
          messages: [...history, { role: 'user', text: prompt.user }],
          maxTokens: request.maxTokens ?? 700,
          temperature: request.temperature ?? 0.2,
        },
        onText,
        signal,
      );
  const text = result.text.trim();
  return {
    text,
    stopped: result.stopped,
    truncated: result.truncated ?? false,
    checks: checkNumbers(text, prompt.evidence),
    grounded: isGrounded(text, prompt.evidence),
    evidence: prompt.evidence,
    omitted: prompt.omitted,
    instructions: prompt.instructions,
    backend: backend.label,
  };
}
