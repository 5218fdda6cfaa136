// The ajv peer of the benchmark: validates every line of an NDJSON corpus with ajv 8 (JSON.parse +
// the validator ajv compiles from the JSON Schema), as a Node.js program would. Prints the 1-based
// numbers of the rejected documents, one per line, and a summary on standard error.
//
//   node ajv_validate.js SCHEMA.json CORPUS.ndjson [MAX_DOCUMENTS]
'use strict';
const fs = require('fs');
const Ajv = require('ajv');

const [schemaPath, corpusPath, maxArg] = process.argv.slice(2);
if (!schemaPath || !corpusPath) {
  process.stderr.write('usage: node ajv_validate.js SCHEMA.json CORPUS.ndjson [MAX_DOCUMENTS]\n');
  process.exit(2);
}
const limit = maxArg ? Number(maxArg) : Infinity;
const ajv = new Ajv({strict: false});
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, 'utf8')));

const start = process.hrtime.bigint();
// Read the corpus in blocks and cut it into lines, so memory does not hold the whole file as one string.
const fd = fs.openSync(corpusPath, 'r');
const block = Buffer.alloc(1 << 22);
let carry = '';
let documents = 0;
const rejected = [];
const check = (line) => {
  if (line.length === 0 || documents >= limit) return;
  documents += 1;
  let ok = false;
  try {
    ok = validate(JSON.parse(line));
  } catch (e) {
    ok = false;
  }
  if (!ok) rejected.push(documents);
};
for (;;) {
  const n = fs.readSync(fd, block, 0, block.length, null);
  if (n === 0 || documents >= limit) break;
  const text = carry + block.toString('utf8', 0, n);
  // A block may end inside a multi-byte character: keep the bytes after the last newline.
  const cut = text.lastIndexOf('\n');
  const lines = text.slice(0, cut + 1).split('\n');
  carry = text.slice(cut + 1);
  for (const line of lines) check(line);
}
check(carry);
fs.closeSync(fd);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
process.stdout.write(rejected.map((d) => d + '\n').join(''));
process.stderr.write(`ajv: ${documents} documents, ${rejected.length} rejected, ${seconds.toFixed(3)} s\n`);
