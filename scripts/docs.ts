/** Rewrites the waggle.yml reference in README.md from the schema: `npm run docs`. */
import { readFileSync, writeFileSync } from 'node:fs';
import { REFERENCE_END, REFERENCE_START, referenceMarkdown } from '../src/config/reference-doc.js';

const file = new URL('../README.md', import.meta.url);
const readme = readFileSync(file, 'utf8');
const start = readme.indexOf(REFERENCE_START);
const end = readme.indexOf(REFERENCE_END);
if (start < 0 || end < 0) throw new Error('README.md has no waggle.yml reference markers');
writeFileSync(file, readme.slice(0, start) + referenceMarkdown() + readme.slice(end + REFERENCE_END.length));
console.log('README.md: waggle.yml reference updated');
