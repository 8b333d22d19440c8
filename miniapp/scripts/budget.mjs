// Prints the gzipped size of what the employee path loads, and of everything, and fails the
// build over budget. The employee path is the entry chunk and its static imports (JS + CSS);
// lazily imported chunks (manager, audit) are counted only in the total.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const EMPLOYEE_BUDGET = 30 * 1024;
const TOTAL_BUDGET = 60 * 1024;
const dist = new URL('../dist/', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'));
const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;

const employee = new Set();
const visit = (key) => {
  const chunk = manifest[key];
  if (!chunk || employee.has(chunk.file)) return;
  employee.add(chunk.file);
  for (const css of chunk.css ?? []) employee.add(css);
  for (const imported of chunk.imports ?? []) visit(imported);
};
for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);

const walk = (dir) =>
  readdirSync(join(dist, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(dist, path)).isDirectory() ? walk(path) : [path];
  });
const assets = walk('assets').filter((f) => /\.(js|css)$/.test(f));
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
let employeeSize = 0;
let total = 0;
for (const file of assets.sort()) {
  const size = gz(file);
  total += size;
  const onPath = employee.has(file);
  if (onPath) employeeSize += size;
  console.log(`  ${onPath ? 'employee' : 'lazy    '}  ${kb(size).padStart(8)}  ${file}`);
}
const result = {
  employee_gzip: employeeSize,
  total_gzip: total,
  employee_budget: EMPLOYEE_BUDGET,
  total_budget: TOTAL_BUDGET,
};
console.log(
  `Mini App bundle (gzip): employee path ${kb(employeeSize)} of ${kb(EMPLOYEE_BUDGET)}, everything ${kb(total)} of ${kb(TOTAL_BUDGET)}`,
);
if (process.argv.includes('--json')) console.log(JSON.stringify(result));
if (employeeSize > EMPLOYEE_BUDGET || total > TOTAL_BUDGET) {
  console.error('Mini App bundle over budget');
  process.exit(1);
}
