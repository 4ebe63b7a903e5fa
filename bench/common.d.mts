// Types of bench/common.mjs for the TypeScript contestants.
/** Fields a contestant reports beside its name and timings. */
export interface Fields {
  bytes?: number;
  lines?: number;
  chars?: number;
  [key: string]: unknown;
}
export function measure(name: string, job: () => Promise<Fields> | Fields): Promise<void>;
export function report(fields: Record<string, unknown>): void;
export function arg(i: number, env: string, fallback: string): string;
export const PIPE_TOTAL: number;
export const PIPE_CHUNK: number;
export function sourceChunk(): Uint8Array;
