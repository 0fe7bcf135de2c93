import { existsSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_BEDROCK_MODEL, ExplainSettingsSchema } from '../../src-shared/contract';
import { AppError } from '../../src-shared/errors';
import type { Planner, PlannerAction, PlannerDecision, PlannerState } from '../engine/investigation/planner';
import { workerEntryBeside } from '../process/engine-process';
import { openBackend } from './backends';
import type { ChatBackend, ChatResult } from './chat';
import { nodeModelLauncher, type ModelLauncher } from './local/local-model';
import { decide } from './planner-action';
import { PAYLOAD_DETAILS, PLANNER_SYSTEM, plannerPayload } from './planner-prompt';
import { checkSummary, investigationEvidence, SUMMARY_SYSTEM, summaryPrompt, type InvestigationForSummary } from './investigation-summary';

/**
 * The model planner of `factorlens investigate --planner llm` (SPEC 9): at each step a language
 * model proposes one JSON action, which stands only if it checks out against the investigation so
 * far (planner-action.ts); otherwise the deterministic rule's action is taken and the trace says
 * why. At the end the model may write the summary, shown only if every number in it is one of the
 * steps' numbers. The models are the Explain pane's: a local GGUF model in its own process, or
 * Bedrock (ConverseStream), answering at temperature 0 with a small token budget.
 */

/** Environment variables naming the local planner model, the first set one wins. */
export const PLANNER_MODEL_ENV = ['FACTORLENS_PLANNER_LOCAL_MODEL', 'FACTORLENS_LOCAL_MODEL'] as const;
/** Tokens for one JSON action, and for the 2–4 line summary. */
export const ACTION_TOKENS = 200;
export const SUMMARY_TOKENS = 320;

export interface ModelPlannerOptions {
  backend: 'local' | 'bedrock';
  /** --planner-model: a GGUF file (local) or a Bedrock model id. Local default: the environment variables; Bedrock default: the app's default model. */
  model?: string | null;
  /** Where the environment variables are read (default: process.env). */
  env?: Record<string, string | undefined>;
  /** Starts the local model process (default: the model worker beside this build). */
  launchModel?: ModelLauncher;
  /** Bedrock's region, profile and endpoint override (empty: the AWS SDK's defaults). */
  bedrock?: { region?: string | null; profile?: string | null; endpoint?: string | null };
  /** Local model context and threads (default: picked for this machine). */
  contextSize?: number | null;
  threads?: number | null;
  /** Models already open, primary first (the workbench's, or a test's); nothing else is opened. */
  chat?: ChatBackend | ChatBackend[];
  signal?: AbortSignal;
}

export interface ModelPlanner extends Planner {
  readonly kind: 'llm';
  readonly backend: 'local' | 'bedrock';
  /** The primary model: the GGUF file's path, or the Bedrock model id (the artifact's planner_model). */
  readonly model: string;
  /** The local model asked when Bedrock fails (from the environment), if any. */
  readonly fallbackModel: string | null;
  /** What went wrong with a model during the run (a failed call, the local fallback taking over), for the report's warnings. */
  readonly warnings: string[];
  next(state: PlannerState, rule: PlannerAction): Promise<PlannerDecision>;
  summarize(artifactWithoutSummary: unknown): Promise<{ text: string[] } | { rejected: string }>;
  /** Ends the local model process (if one was started) and Bedrock's client. */
  close(): Promise<void>;
}

/** The local planner model: --planner-model, else the first environment variable set. */
function localModelPath(model: string | null | undefined, env: Record<string, string | undefined>): string | null {
  const named = model?.trim() || PLANNER_MODEL_ENV.map((k) => env[k]?.trim()).find(Boolean);
  return named ? path.resolve(named) : null;
}

function requireFile(file: string, from: string): void {
  if (!existsSync(file))
    throw new AppError(
      'MODEL_MISSING',
      `the planner model ${file} (${from}) does not exist`,
      'Give an existing GGUF file with --planner-model, or fix the environment variable.',
      ['plannerModel'],
    );
}

/** One model the planner may ask, opened on first use; a model that fails is not asked again. */
interface Source {
  label: string;
  open: () => Promise<ChatBackend>;
  chat: ChatBackend | null;
  failed: string | null;
}

export function createModelPlanner(options: ModelPlannerOptions): ModelPlanner {
  const env = options.env ?? process.env;
  const launch = () => options.launchModel ?? nodeModelLauncher(workerEntryBeside(import.meta.url, 'model'));
  const local = (file: string) => () =>
    openBackend(
      ExplainSettingsSchema.parse({
        backend: 'local',
        localModel: file,
        contextSize: options.contextSize ?? null,
        threads: options.threads ?? null,
        maxTokens: SUMMARY_TOKENS,
        temperature: 0,
      }),
      launch(),
    );

  const sources: Source[] = [];
  let model: string;
  let fallbackModel: string | null = null;
  if (options.chat) {
    const given = Array.isArray(options.chat) ? options.chat : [options.chat];
    for (const c of given) sources.push({ label: c.label, open: async () => c, chat: c, failed: null });
    model = options.model?.trim() || given[0]?.label || options.backend;
  } else if (options.backend === 'local') {
    const file = localModelPath(options.model, env);
    if (!file)
      throw new AppError(
        'MODEL_MISSING',
        `the local planner needs a model: no --planner-model was given and neither ${PLANNER_MODEL_ENV.join(' nor ')} is set`,
        `Give a GGUF file with --planner-model, set ${PLANNER_MODEL_ENV[0]}, or use --planner-backend bedrock.`,
        ['plannerModel'],
      );
    requireFile(file, options.model?.trim() ? '--planner-model' : 'from the environment');
    model = file;
    sources.push({ label: `local: ${path.basename(file)}`, open: local(file), chat: null, failed: null });
  } else {
    model = options.model?.trim() || DEFAULT_BEDROCK_MODEL;
    const b = options.bedrock ?? {};
    sources.push({
      label: `bedrock: ${model}`,
      open: () =>
        openBackend(
          ExplainSettingsSchema.parse({
            backend: 'bedrock',
            bedrock: { modelId: model, region: b.region ?? '', profile: b.profile ?? '', endpoint: b.endpoint ?? '' },
            maxTokens: SUMMARY_TOKENS,
            temperature: 0,
          }),
          launch(),
        ),
      chat: null,
      failed: null,
    });
    // SPEC 9: with Bedrock first, a local model named in the environment answers when Bedrock fails.
    fallbackModel = localModelPath(null, env);
    if (fallbackModel)
      sources.push({ label: `local: ${path.basename(fallbackModel)}`, open: local(fallbackModel), chat: null, failed: null });
  }

  const warnings: string[] = [];

  /**
   * The first model that answers: the primary, else the fallback. A model that fails is not asked
   * again. When no model has answered yet and all have failed, the first one's error is thrown (a
   * missing or invalid file, refused credentials: settings to fix, not a reason to plan without
   * the model); once a model has answered, a later failure leaves the step to the rule.
   */
  let answered = false;
  let firstError: unknown = null;
  async function ask(system: string, variants: string[], maxTokens: number): Promise<ChatResult | { failed: string }> {
    const why: string[] = [];
    for (const [i, s] of sources.entries()) {
      if (s.failed) {
        why.push(s.failed);
        continue;
      }
      try {
        s.chat ??= await s.open();
        const user = await fitted(s.chat, system, variants);
        if (options.signal?.aborted) throw cancelled();
        const result = await s.chat.chat(
          { system, messages: [{ role: 'user', text: user }], maxTokens, temperature: 0 },
          () => {},
          options.signal,
        );
        if (result.stopped && options.signal?.aborted) throw cancelled();
        answered = true;
        if (i > 0 && !warnings.some((w) => w.startsWith(`the planner's fallback model ${s.label}`)))
          warnings.push(`the planner's fallback model ${s.label} answered because ${sources[0]!.label} failed`);
        return result;
      } catch (err) {
        if (options.signal?.aborted) throw cancelled();
        const e = err as { code?: string; message?: string };
        s.failed = `${s.label} failed${e.code ? ` (${e.code})` : ''}: ${e.message ?? String(err)}`;
        firstError ??= err;
        warnings.push(`${s.failed}; it was not asked again`);
        why.push(s.failed);
      }
    }
    if (!answered)
      throw firstError ?? new AppError('LLM_FAILED', 'no planner model could be asked', 'Check --planner-backend and --planner-model.');
    return { failed: why.join('; ') };
  }

  return {
    kind: 'llm',
    backend: options.backend,
    model,
    fallbackModel,
    warnings,

    async next(state, rule) {
      const variants = PAYLOAD_DETAILS.map((d) => plannerPayload(state, d));
      const answer = await ask(PLANNER_SYSTEM, variants, ACTION_TOKENS);
      if ('failed' in answer) return { action: rule, chosenBy: 'fallback', note: `no model answered: ${answer.failed}` };
      const decision = decide(answer.text, state, rule);
      if (decision.chosenBy === 'fallback' && answer.truncated)
        decision.note = `${decision.note} (the reply reached the ${ACTION_TOKENS}-token limit)`;
      return decision;
    },

    async summarize(artifactWithoutSummary) {
      const a = artifactWithoutSummary as InvestigationForSummary | null;
      if (!a || !Array.isArray(a.steps) || a.steps.length === 0) return { rejected: 'the investigation has no steps to summarise' };
      const evidence = investigationEvidence(a);
      const variants = [5, 3, 1].map((movers) => summaryPrompt(a.question, investigationEvidence(a, movers)));
      const answer = await ask(SUMMARY_SYSTEM, variants, SUMMARY_TOKENS);
      if ('failed' in answer) return { rejected: `no model answered: ${answer.failed}` };
      return checkSummary(answer, evidence);
    },

    async close() {
      await Promise.all(sources.map((s) => (options.chat ? undefined : s.chat?.close())));
    },
  };
}

const cancelled = () => new AppError('CANCELLED', 'the investigation was cancelled while the planner model was answering', 'Run it again.');

/** The most detailed prompt that fits what the model reads (counted by its tokenizer when it has one). */
async function fitted(chat: ChatBackend, system: string, variants: string[]): Promise<string> {
  if (chat.tokens) {
    const limit = await chat.tokens.limit();
    for (const v of variants) if ((await chat.tokens.count(`${system}\n${v}`)) <= limit) return v;
  } else {
    const budget = await chat.promptBudget();
    for (const v of variants) if (system.length + v.length <= budget) return v;
  }
  return variants.at(-1)!;
}
