import type { ErrorInfo } from '../../../src-shared/errors';
import type { ChatRequest } from '../chat';

/** Messages between the host and the local model process (one model per process). */
export type ToModel =
  | { type: 'load'; modelPath: string; contextSize: number; threads: number }
  | { type: 'chat'; id: number; request: ChatRequest }
  | { type: 'stop'; id: number }
  | { type: 'count'; id: number; text: string }
  | { type: 'unload' };

export interface LoadedModel {
  contextSize: number;
  trainContextSize: number;
  threads: number;
}

export type FromModel =
  | { type: 'loaded'; model: LoadedModel }
  | { type: 'text'; id: number; text: string }
  | { type: 'count'; id: number; tokens: number }
  | { type: 'done'; id: number; text: string; stopped: boolean; truncated: boolean }
  | { type: 'failed'; id: number | null; error: ErrorInfo };
