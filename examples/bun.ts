// io-pipelines in Bun: parse a file line by line from Bun.file(path).stream().
//
//   bun add io-pipelines && bun examples/bun.ts [file]
//
// In this repository: `npm run build`, then `npx bun examples/bun.ts [file]` (Bun resolves
// `io-pipelines` to this package's own dist/ through its package.json "exports").
import { lines } from 'io-pipelines';

const path = Bun.argv[2] ?? new URL('./lorem-ipsum.txt', import.meta.url).pathname;

let count = 0;
// Bun's native file stream hands out its own chunks (no BYOB reads needed); each chunk is parsed in place.
for await (const line of lines(Bun.file(path).stream())) {
  count++;
  console.log(`${count}: ${line}`);
}
console.log(`${count} lines`);
