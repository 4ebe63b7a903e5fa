// io-pipelines in Deno: parse a file line by line from its ReadableStream.
//
//   deno run --allow-read examples/deno.ts [file]          (with the package from npm)
//
// In this repository, before the package is published, map `npm:io-pipelines` to the local build:
//
//   npm run build
//   npx deno run --allow-read --import-map=examples/deno.importmap.json examples/deno.ts [file]
import { lines } from 'npm:io-pipelines';

const path = Deno.args[0] ?? new URL('./lorem-ipsum.txt', import.meta.url);
const file = await Deno.open(path);

let count = 0;
// Chunks from the file are parsed in place; only the lines themselves become strings. Leaving the loop
// early (break, throw) cancels the stream, which closes the file.
for await (const line of lines(file.readable)) {
  count++;
  console.log(`${count}: ${line}`);
}
console.log(`${count} lines`);
