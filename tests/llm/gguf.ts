/**
 * A small GGUF (version 3) writer for tests: it builds a real llama-architecture model file with
 * a handful of random F32 tensors and a byte-level SentencePiece vocabulary, so node-llama-cpp can
 * load it and generate (nonsense) text without downloading anything.
 *
 * Layout written: header (magic, version, tensor count, metadata count), metadata key/values,
 * tensor infos (name, dims innermost first, type, offset), padding to the alignment, tensor data.
 */
import { writeFileSync } from 'node:fs';

type MetaValue =
  | { type: 'u32'; value: number }
  | { type: 'i32'; value: number }
  | { type: 'f32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'strings'; value: string[] }
  | { type: 'f32s'; value: number[] }
  | { type: 'i32s'; value: number[] };

const T = { u32: 4, i32: 5, f32: 6, bool: 7, string: 8, array: 9 } as const;
const ALIGN = 32;

class Bytes {
  private chunks: Buffer[] = [];
  length = 0;
  push(b: Buffer): void {
    this.chunks.push(b);
    this.length += b.length;
  }
  u32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    this.push(b);
  }
  i32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(v);
    this.push(b);
  }
  u64(v: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    this.push(b);
  }
  f32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    this.push(b);
  }
  str(s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.u64(b.length);
    this.push(b);
  }
  pad(): void {
    const rest = this.length % ALIGN;
    if (rest) this.push(Buffer.alloc(ALIGN - rest));
  }
  done(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

function writeMeta(out: Bytes, key: string, v: MetaValue): void {
  out.str(key);
  switch (v.type) {
    case 'u32':
      out.u32(T.u32);
      out.u32(v.value);
      break;
    case 'i32':
      out.u32(T.i32);
      out.i32(v.value);
      break;
    case 'f32':
      out.u32(T.f32);
      out.f32(v.value);
      break;
    case 'bool':
      out.u32(T.bool);
      out.push(Buffer.from([v.value ? 1 : 0]));
      break;
    case 'string':
      out.u32(T.string);
      out.str(v.value);
      break;
    case 'strings':
      out.u32(T.array);
      out.u32(T.string);
      out.u64(v.value.length);
      v.value.forEach((s) => out.str(s));
      break;
    case 'f32s':
      out.u32(T.array);
      out.u32(T.f32);
      out.u64(v.value.length);
      v.value.forEach((x) => out.f32(x));
      break;
    case 'i32s':
      out.u32(T.array);
      out.u32(T.i32);
      out.u64(v.value.length);
      v.value.forEach((x) => out.i32(x));
      break;
  }
}

export interface TinyModelOptions {
  name?: string;
  embedding?: number;
  layers?: number;
  heads?: number;
  feedForward?: number;
  contextLength?: number;
  seed?: number;
  /** Defaults to embedding / heads; set it to write headers with inconsistent shapes. */
  ropeDimensions?: number;
  /** Words added to the vocabulary after the control and byte tokens. */
  words?: string[];
}

/** Deterministic uniform numbers in [-1, 1) (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}

const DEFAULT_WORDS = [
  '▁',
  '▁the',
  '▁revenue',
  '▁rose',
  '▁fell',
  '▁by',
  '▁in',
  '▁segment',
  '▁North',
  '▁South',
  '▁orders',
  '▁price',
  '▁and',
  '▁of',
  '▁E1',
  '▁E2',
  '▁%',
  '▁up',
  '▁down',
  '▁change',
  '▁total',
];

/** Writes a tiny llama model to `path` and returns its size in bytes. */
export function writeTinyLlama(path: string, options: TinyModelOptions = {}): number {
  const nEmbd = options.embedding ?? 64;
  const nLayer = options.layers ?? 2;
  const nHead = options.heads ?? 4;
  const nFf = options.feedForward ?? 128;
  const rand = random(options.seed ?? 7);

  const tokens = ['<unk>', '<s>', '</s>'];
  const types = [2, 3, 3];
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(6);
  }
  for (const w of options.words ?? DEFAULT_WORDS) {
    tokens.push(w);
    types.push(1);
  }
  const scores = tokens.map((_, i) => (i < 259 ? 0 : -i));
  const nVocab = tokens.length;

  const tensors: { name: string; dims: number[] }[] = [
    { name: 'token_embd.weight', dims: [nEmbd, nVocab] },
    { name: 'output_norm.weight', dims: [nEmbd] },
    { name: 'output.weight', dims: [nEmbd, nVocab] },
  ];
  for (let i = 0; i < nLayer; i++) {
    tensors.push(
      { name: `blk.${i}.attn_norm.weight`, dims: [nEmbd] },
      { name: `blk.${i}.attn_q.weight`, dims: [nEmbd, nEmbd] },
      { name: `blk.${i}.attn_k.weight`, dims: [nEmbd, nEmbd] },
      { name: `blk.${i}.attn_v.weight`, dims: [nEmbd, nEmbd] },
      { name: `blk.${i}.attn_output.weight`, dims: [nEmbd, nEmbd] },
      { name: `blk.${i}.ffn_norm.weight`, dims: [nEmbd] },
      { name: `blk.${i}.ffn_gate.weight`, dims: [nEmbd, nFf] },
      { name: `blk.${i}.ffn_down.weight`, dims: [nFf, nEmbd] },
      { name: `blk.${i}.ffn_up.weight`, dims: [nEmbd, nFf] },
    );
  }

  const meta: [string, MetaValue][] = [
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['general.name', { type: 'string', value: options.name ?? 'factorlens-test-tiny' }],
    ['general.alignment', { type: 'u32', value: ALIGN }],
    ['general.file_type', { type: 'u32', value: 0 }],
    ['llama.context_length', { type: 'u32', value: options.contextLength ?? 4096 }],
    ['llama.embedding_length', { type: 'u32', value: nEmbd }],
    ['llama.block_count', { type: 'u32', value: nLayer }],
    ['llama.feed_forward_length', { type: 'u32', value: nFf }],
    ['llama.attention.head_count', { type: 'u32', value: nHead }],
    ['llama.attention.head_count_kv', { type: 'u32', value: nHead }],
    ['llama.rope.dimension_count', { type: 'u32', value: options.ropeDimensions ?? nEmbd / nHead }],
    ['llama.attention.layer_norm_rms_epsilon', { type: 'f32', value: 1e-5 }],
    ['tokenizer.ggml.model', { type: 'string', value: 'llama' }],
    ['tokenizer.ggml.tokens', { type: 'strings', value: tokens }],
    ['tokenizer.ggml.scores', { type: 'f32s', value: scores }],
    ['tokenizer.ggml.token_type', { type: 'i32s', value: types }],
    ['tokenizer.ggml.unknown_token_id', { type: 'u32', value: 0 }],
    ['tokenizer.ggml.bos_token_id', { type: 'u32', value: 1 }],
    ['tokenizer.ggml.eos_token_id', { type: 'u32', value: 2 }],
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: true }],
  ];

  const out = new Bytes();
  out.push(Buffer.from('GGUF', 'ascii'));
  out.u32(3);
  out.u64(tensors.length);
  out.u64(meta.length);
  for (const [k, v] of meta) writeMeta(out, k, v);

  let offset = 0;
  const sizes: number[] = [];
  for (const t of tensors) {
    out.str(t.name);
    out.u32(t.dims.length);
    t.dims.forEach((d) => out.u64(d));
    out.u32(0); // F32
    out.u64(offset);
    const bytes = t.dims.reduce((a, b) => a * b, 1) * 4;
    sizes.push(bytes);
    offset += Math.ceil(bytes / ALIGN) * ALIGN;
  }
  out.pad();
  tensors.forEach((t, i) => {
    const n = sizes[i]! / 4;
    const data = Buffer.alloc(n * 4);
    const isNorm = t.name.endsWith('norm.weight');
    const scale = 1 / Math.sqrt(t.dims[0]!);
    for (let j = 0; j < n; j++) data.writeFloatLE(isNorm ? 1 : rand() * scale * 2, j * 4);
    out.push(data);
    out.pad();
  });
  const file = out.done();
  writeFileSync(path, file);
  return file.length;
}
