/**
 * What every language-model backend offers the explain layer: a streamed chat answer to a system
 * prompt and a list of turns. Backends only talk; the numbers come from the run's artifact.
 */
export interface ChatTurn {
  role: 'user' | 'assistant';
  text: string;
}

export interface ChatRequest {
  system: string;
  messages: ChatTurn[];
  maxTokens: number;
  temperature: number;
}

export interface ChatResult {
  text: string;
  /** True when the answer was stopped before the model finished it. */
  stopped: boolean;
  /** True when the answer reached the token limit before the model ended it. */
  truncated?: boolean;
}

export interface ChatBackend {
  /** "local: qwen2.5-1.5b-instruct-q4_k_m.gguf" or "bedrock: anthropic.claude-3-haiku…". */
  readonly label: string;
  /** How many characters of prompt (evidence, question, earlier turns) fit what the model reads. */
  promptBudget(): Promise<number>;
  chat(request: ChatRequest, onText: (text: string) => void, signal?: AbortSignal): Promise<ChatResult>;
  /**
   * Backends that know their tokenizer (local models) count a prompt exactly, so the evidence is
   * trimmed to the real context: `limit` tokens for the prompt, and how many a text takes.
   */
  tokens?: { limit(): Promise<number>; count(text: string): Promise<number> };
  close(): Promise<void>;
}

/** Characters per token used to turn a context size into a prompt budget (English text with numbers). */
export const CHARS_PER_TOKEN = 3.2;
