// Checks data packages with the Frictionless reference implementation of the v1 specs
// (datapackage-js, tableschema-js), as a user's validator reads them; offline.
// Usage: node check.mjs PATH...   (a published tree, a folder, or datapackage.json files)
// Prints a JSON report; exit 0 when every package is valid, 1 when one is not, 2 on bad usage.
//
// For each datapackage.json found:
//  - the descriptor is loaded in strict mode: validated against the profile it declares
//    (data-package, tabular-data-package), and each resource against its own
//    (data-resource, tabular-data-resource), with the profiles the libraries bundle;
//  - each tabular resource's Table Schema is loaded in strict mode by tableschema-js;
//  - each CSV resource is read through its schema: every row cast (types, formats,
//    constraints), the primary key and `unique` fields checked, foreign keys resolved if any;
//  - the Parquet resources, which tableschema-js cannot read, are checked by their descriptors;
//  - each local file's `bytes` and `hash` are compared with the file (as frictionless-py does;
//    datapackage-js 1.x does not).
// Every error names its file, its row (the CSV record, the header being row 1) and its field.
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const { Package } = require('datapackage');
const { Schema } = require('tableschema');

// Nothing is fetched: a descriptor naming a remote profile or schema is an error, not a download.
const axios = require('axios');
axios.defaults.adapter = (config) => Promise.reject(new Error(`remote resource not allowed offline: ${config.url}`));

const args = process.argv.slice(2);
if (args.length === 0) {
  console.error('usage: node check.mjs PATH... (a published tree, a folder, or datapackage.json files)');
  process.exit(2);
}

/** Every datapackage.json under a path, in a stable order. */
function findDescriptors(path) {
  const stat = statSync(path);
  if (stat.isFile()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      const child = join(path, entry.name);
      if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : findDescriptors(child);
      return entry.name === 'datapackage.json' ? [child] : [];
    });
}

/** The messages of a library error: itself, or each of the errors it carries. */
function messagesOf(error) {
  const inner = Array.isArray(error?.errors) ? error.errors : [];
  return inner.length > 0 ? inner.map((e) => oneLine(e.message ?? String(e))) : [oneLine(error?.message ?? String(error))];
}

const oneLine = (text) => text.replace(/\s+/g, ' ').trim();

const report = { packages: [], errors: [] };

// Paths are reported relative to the folder given (datasets/acteurs/2026-11-25/datapackage.json),
// or as given for a file.
const descriptors = args.flatMap((arg) => {
  const root = resolve(arg);
  return findDescriptors(root).map((path) => ({ path, name: path === root ? arg : relative(root, path) }));
});

for (const { path, name } of descriptors) {
  await checkPackage(path, name);
}

// exitCode, not exit(): a report longer than a pipe's buffer would be cut short.
console.log(JSON.stringify({ valid: report.errors.length === 0, ...report }, null, 2));
process.exitCode = report.errors.length === 0 ? 0 : 1;

/** Checks one datapackage.json; its errors name the descriptor, or the data file and its row and field. */
async function checkPackage(descriptorPath, name) {
  const base = dirname(descriptorPath);
  const entry = { file: name, profile: null, resources: [] };
  report.packages.push(entry);
  const fail = (message, where = {}) => report.errors.push({ package: name, file: name, ...where, message });

  let descriptor;
  try {
    descriptor = JSON.parse(readFileSync(descriptorPath, 'utf8'));
  } catch (error) {
    fail(`not JSON: ${oneLine(error.message)}`);
    return;
  }
  entry.profile = descriptor.profile ?? 'data-package';

  // Not strict first, to list every profile error, by package and by resource; then strict, the
  // verdict a user's validator gives (it throws at the package, or at the first invalid resource).
  const lax = await Package.load(descriptor, { basePath: base, strict: false }).catch((error) => error);
  if (lax instanceof Error) {
    fail(`cannot be loaded: ${messagesOf(lax).join('; ')}`);
    return;
  }
  for (const message of lax._errors.flatMap(messagesOf)) fail(`package profile ${entry.profile}: ${message}`);
  for (const resource of lax.resources) {
    for (const message of resource.errors.flatMap(messagesOf)) {
      fail(`resource profile ${resource.descriptor.profile}: ${message}`, { resource: resource.name });
    }
  }
  const strict = await Package.load(descriptor, { basePath: base, strict: true }).catch((error) => error);
  if (strict instanceof Error) {
    if (lax.valid) fail(`strict mode: ${messagesOf(strict).join('; ')}`);
    return;
  }

  for (const resource of strict.resources) {
    const d = resource.descriptor;
    const checked = { name: resource.name, path: d.path, profile: d.profile, format: d.format ?? null, rows: null };
    entry.resources.push(checked);
    const file = typeof d.path === 'string' ? join(dirname(name), d.path) : name;
    const where = { file, resource: resource.name };

    if (resource.local) checkIntegrity(join(base, d.path), d, (message) => fail(message, where));

    // Every Table Schema is loaded strictly, a data-resource's too (a Parquet or GeoJSON file's).
    if (d.schema !== undefined) {
      try {
        await Schema.load(d.schema, { strict: true });
      } catch (error) {
        for (const message of messagesOf(error)) fail(`schema: ${message}`, where);
        continue;
      }
    }

    // A tabular-data-resource is read as a table, as a user's reader does: v1 says its data, if not
    // inline, MUST be a CSV file, and datapackage-js refuses any other format.
    if (resource.tabular) checked.rows = await readRows(resource, (message, at = {}) => fail(message, { ...where, ...at }));
  }
}

/** Compares the descriptor's bytes and hash with the file's. */
function checkIntegrity(path, d, fail) {
  let content;
  try {
    content = readFileSync(path);
  } catch (error) {
    fail(`file not found: ${oneLine(error.message)}`);
    return;
  }
  if (d.bytes !== undefined && d.bytes !== content.length) fail(`bytes is ${d.bytes}, the file has ${content.length}`);
  if (d.hash !== undefined) {
    const [algorithm, expected] = d.hash.includes(':') ? d.hash.split(':', 2) : ['md5', d.hash];
    const actual = createHash(algorithm).update(content).digest('hex');
    if (actual !== expected) fail(`hash is ${d.hash}, the file's ${algorithm} is ${actual}`);
  }
}

/**
 * Reads a tabular resource through its schema, every row cast (forceCast: an invalid row is
 * reported, not the end of the reading); returns the number of rows after the header.
 */
async function readRows(resource, fail) {
  const fieldNames = (resource.descriptor.schema?.fields ?? []).map((f) => f.name);
  const relations = (resource.descriptor.schema?.foreignKeys ?? []).length > 0;
  let rows;
  try {
    rows = await resource.read({ forceCast: true, relations });
  } catch (error) {
    const csv = (resource.descriptor.format ?? 'csv') === 'csv' || resource.inline;
    const why = csv ? '' : ' (Tabular Data Resource v1: "If non-inline: Be a CSV file")';
    fail(`cannot be read as a table: ${messagesOf(error).join('; ')}${why}`);
    return null;
  }
  const headers = resource.headers ?? [];
  if (headers.join('\u0000') !== fieldNames.join('\u0000')) {
    fail(`the header row (${headers.join(',')}) is not the schema's fields in order (${fieldNames.join(',')})`, { row: 1 });
  }
  for (const row of rows) {
    if (!(row instanceof Error)) continue;
    for (const error of Array.isArray(row.errors) && row.errors.length > 0 ? row.errors : [row]) {
      const field = error.columnNumber ? fieldNames[error.columnNumber - 1] ?? `column ${error.columnNumber}` : undefined;
      fail(oneLine(error.message), { row: error.rowNumber ?? row.rowNumber, ...(field ? { field } : {}) });
    }
  }
  return rows.length;
}
