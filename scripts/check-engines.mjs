// npm run engines: every package in the lockfile must accept the Node versions the project says it runs on
// (the root package.json's `engines.node`), so that a clean install prints no EBADENGINE warning and nothing in the
// tree quietly needs a newer Node than the README promises.
//
// The question asked per package is the one npm asks at install time (does its `engines.node` accept this Node?),
// for the oldest Node of each alternative of the root range (">=20.19" → 20.19.0; "^20.19 || >=22.12" → 20.19.0 and
// 22.12.0) and for the Node running the check when the root range admits it. A strict subset test would fail on
// most of the tree: ranges such as "^20.19.0 || ^22.13.0 || >=24" leave out non-LTS lines and early 22.x releases
// on purpose.
//
// Installed packages are read from node_modules/**/package.json; packages the lockfile lists but this machine did
// not install (optional binaries of other platforms) are checked from the lockfile's copy of their `engines`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

const rootRange = readJson(path.join(root, 'package.json')).engines?.node;
if (!rootRange || !semver.validRange(rootRange)) {
  console.error(`package.json: engines.node is missing or not a valid range (${JSON.stringify(rootRange)})`);
  process.exit(1);
}

/** The oldest version of each `||` alternative of the range, plus the running Node when the range admits it. */
function versionsToCheck(range) {
  const versions = new Set();
  for (const alternative of new semver.Range(range).set) {
    const min = semver.minVersion(alternative.map((c) => c.value).join(' ') || '*');
    if (min) versions.add(min.version);
  }
  const running = semver.clean(process.version);
  if (running && semver.satisfies(running, range)) versions.add(running);
  return [...versions].sort(semver.compare);
}

const versions = versionsToCheck(rootRange);
const lock = readJson(path.join(root, 'package-lock.json'));
const problems = [];
let checked = 0;
for (const [location, entry] of Object.entries(lock.packages ?? {})) {
  if (!location.startsWith('node_modules/') && !location.includes('/node_modules/')) continue; // root, workspaces
  if (entry.link) continue; // a workspace's link: its folder is checked under its own name, if at all
  const manifest = path.join(root, location, 'package.json');
  const installed = fs.existsSync(manifest);
  const pkg = installed ? readJson(manifest) : entry;
  const wanted = pkg.engines?.node;
  if (wanted === undefined) continue;
  checked++;
  const name = `${location.replace(/^.*node_modules\//, '')}@${pkg.version ?? entry.version}`;
  const where = installed ? location : `${location} (not installed here; from package-lock.json)`;
  if (typeof wanted !== 'string' || !semver.validRange(wanted)) {
    problems.push(`${name}: engines.node ${JSON.stringify(wanted)} is not a valid range — ${where}`);
    continue;
  }
  const refused = versions.filter((v) => !semver.satisfies(v, wanted));
  if (refused.length) problems.push(`${name} wants Node ${wanted}, refuses ${refused.join(', ')} — ${where}`);
}

if (problems.length) {
  console.error(`Node 版本要求不一致 (packages refuse a Node version that package.json's engines "${rootRange}" admits):`);
  for (const p of problems) console.error(`  ${p}`);
  console.error(
    'Pin a release that declares these Node versions (or an npm "overrides" entry after checking the dependent still works), ' +
      'or raise engines.node, the README and CI together.',
  );
  process.exit(1);
}
console.log(`engines: ${checked} packages accept Node ${versions.join(', ')} (package.json engines "${rootRange}")`);
