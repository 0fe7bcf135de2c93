import { existsSync } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** A GGUF model file as the model manager shows it: where it is, and what its header says. */
export interface ModelInfo {
  path: string;
  file: string;
  source: 'bundled' | 'user' | 'added';
  sizeBytes: number;
  name: string | null;
  architecture: string | null;
  /** Parameters (weights), counted from the tensor shapes. */
  parameters: number | null;
  quantization: string | null;
  /** The context length the model was trained with. */
  contextLength: number | null;
  /** Why the file cannot be used, when its header could not be read. */
  problem: string | null;
}

export interface ModelFolders {
  /** Models shipped with the app (resources/models). */
  bundled: string;
  /** The user's own models folder (created on first use). */
  user: string;
}

/** The tokenizer arrays are the bulk of a header and say nothing the manager shows. */
const SKIPPED_KEYS = [
  'tokenizer.ggml.tokens',
  'tokenizer.ggml.scores',
  'tokenizer.ggml.token_type',
  'tokenizer.ggml.merges',
  'tokenizer.chat_template',
];

/** Reads a model's metadata from its GGUF header (no weights are read; llama.cpp is not involved). */
export async function describeModel(file: string, source: ModelInfo['source']): Promise<ModelInfo> {
  const base: ModelInfo = {
    path: file,
    file: path.basename(file),
    source,
    sizeBytes: 0,
    name: null,
    architecture: null,
    parameters: null,
    quantization: null,
    contextLength: null,
    problem: null,
  };
  try {
    base.sizeBytes = (await stat(file)).size;
  } catch {
    return { ...base, problem: 'the file does not exist or cannot be read' };
  }
  try {
    await checkHeader(file);
    const { readGgufFileInfo, GgufFileType } = await import('node-llama-cpp');
    const info = await withTimeout(readGgufFileInfo(file, { ignoreKeys: SKIPPED_KEYS, logWarnings: false }), 10_000);
    const general = info.metadata.general as { architecture?: string; name?: string; file_type?: number } | undefined;
    const arch = (info.architectureMetadata ?? {}) as { context_length?: number };
    const fileType = general?.file_type;
    let parameters: number | null = null;
    if (info.fullTensorInfo)
      parameters = info.fullTensorInfo.reduce((sum, t) => sum + t.dimensions.reduce((a: number, d) => a * Number(d), 1), 0);
    return {
      ...base,
      name: general?.name ?? null,
      architecture: general?.architecture ?? null,
      parameters,
      quantization: fileType === undefined ? null : quantName(GgufFileType[fileType] ?? null, fileType),
      contextLength: arch.context_length ?? null,
    };
  } catch (err) {
    return { ...base, problem: `not a readable GGUF model: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/**
 * The fixed start of a GGUF file, checked before the header is parsed: magic, a version this
 * build reads, and counts a real model could have (a short or hostile file fails here, plainly).
 */
async function checkHeader(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(24);
    const { bytesRead } = await handle.read(head, 0, 24, 0);
    if (bytesRead < 24 || head.toString('latin1', 0, 4) !== 'GGUF') throw new Error('the file does not start with a GGUF header');
    const version = head.readUInt32LE(4);
    if (version < 2 || version > 3) throw new Error(`GGUF version ${version} is not supported (2 and 3 are)`);
    if (head.readBigUInt64LE(8) > 100_000n || head.readBigUInt64LE(16) > 100_000n)
      throw new Error('the header claims more tensors or keys than any model has');
  } finally {
    await handle.close();
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the header could not be read within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

function quantName(name: string | null, code: number): string {
  if (!name) return `type ${code}`;
  return name.replace(/^MOSTLY_/, '').replace(/^ALL_/, '');
}

async function ggufFilesIn(folder: string): Promise<string[]> {
  if (!existsSync(folder)) return [];
  const entries = await readdir(folder, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.gguf'))
    .map((e) => path.join(folder, e.name))
    .sort();
}

/** Every model the manager knows: bundled, in the user's folder, and added one by one. */
export async function listModels(folders: ModelFolders, added: readonly string[]): Promise<ModelInfo[]> {
  const seen = new Set<string>();
  const out: ModelInfo[] = [];
  const take = async (file: string, source: ModelInfo['source']) => {
    const key = path.resolve(file);
    if (seen.has(key)) return;
    seen.add(key);
    out.push(await describeModel(key, source));
  };
  for (const f of await ggufFilesIn(folders.bundled)) await take(f, 'bundled');
  for (const f of await ggufFilesIn(folders.user)) await take(f, 'user');
  for (const f of added) await take(f, 'added');
  return out;
}

/**
 * A context size and thread count for this machine: the model's trained context, capped by
 * memory (2k tokens under 8 GiB, 4k under 16 GiB, else 8k; the KV cache of a 7B model at 8k
 * is about 4 GiB), and every core on small machines, all but one on larger ones (the UI stays
 * responsive).
 */
export function recommendedRuntime(
  trainContext: number | null,
  totalMemory = os.totalmem(),
  cores = os.availableParallelism(),
): { contextSize: number; threads: number } {
  const gib = totalMemory / 2 ** 30;
  const cap = gib < 8 ? 2048 : gib < 16 ? 4096 : 8192;
  return { contextSize: Math.min(trainContext ?? cap, cap), threads: Math.max(1, cores <= 4 ? cores : cores - 1) };
}
