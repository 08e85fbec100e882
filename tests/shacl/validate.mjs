// Validates a JSON-LD document against SHACL shapes (Turtle), offline.
// Usage: node validate.mjs SHAPES.ttl DATA.jsonld  → prints a JSON report; exit 0 when it conforms.
import { readFileSync } from 'node:fs';
import { Parser } from 'n3';
import jsonld from 'jsonld';
import rdf from '@zazuko/env-node';
import SHACLValidator from 'rdf-validate-shacl';

const [shapesPath, dataPath] = process.argv.slice(2);
const parse = (text, format) => rdf.dataset(new Parser(format ? { format } : {}).parse(text));

const shapes = parse(readFileSync(shapesPath, 'utf8'));
const doc = JSON.parse(readFileSync(dataPath, 'utf8'));
// Refuse remote contexts: the catalogue must carry its context inline (harvesters may be offline).
const nquads = await jsonld.toRDF(doc, {
  format: 'application/n-quads',
  documentLoader: (url) => { throw new Error(`remote JSON-LD context not allowed: ${url}`); },
});
const data = parse(nquads, 'N-Quads');

const report = await new SHACLValidator(shapes, { factory: rdf }).validate(data);
const results = report.results.map((r) => ({
  severity: r.severity?.value,
  focusNode: r.focusNode?.value,
  path: r.path?.value,
  message: r.message.map((m) => m.value).join(' '),
  value: r.value?.value,
}));
console.log(JSON.stringify({ conforms: report.conforms, triples: data.size, results }, null, 2));
// exitCode, not exit(): exit() may end the process before a long report written to a pipe is
// flushed, and the test would read a cut JSON.
process.exitCode = report.conforms ? 0 : 1;
