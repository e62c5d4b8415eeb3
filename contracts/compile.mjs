// Compiles src/*.sol with solc-js (pinned in package.json; no compiler download) into OUT_DIR/<Name>.abi and
// <Name>.bin for web3j's wrapper generator. Imports resolve from node_modules.
import solc from 'solc';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(process.argv[2] ?? path.join(here, '..', 'target', 'contracts'));
const srcDir = path.join(here, 'src');

const sources = {};
for (const file of fs.readdirSync(srcDir).filter((f) => f.endsWith('.sol')).sort()) {
  sources[`src/${file}`] = { content: fs.readFileSync(path.join(srcDir, file), 'utf8') };
}
const input = {
  language: 'Solidity',
  sources,
  settings: {
    evmVersion: 'cancun',
    optimizer: { enabled: true, runs: 200 },
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
  },
};
const findImports = (importPath) => {
  const candidate = path.join(here, 'node_modules', importPath);
  return fs.existsSync(candidate)
    ? { contents: fs.readFileSync(candidate, 'utf8') }
    : { error: `not found: ${importPath}` };
};
const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
let failed = false;
for (const e of output.errors ?? []) {
  // OpenZeppelin's own warnings are not ours to fix; ours and every error are shown.
  const ours = e.sourceLocation?.file?.startsWith('src/') ?? true;
  if (e.severity === 'error' || ours) console.error(e.formattedMessage);
  failed ||= e.severity === 'error';
}
if (failed) process.exit(1);
fs.mkdirSync(out, { recursive: true });
for (const [file, contracts] of Object.entries(output.contracts)) {
  if (!file.startsWith('src/')) continue;
  for (const [name, c] of Object.entries(contracts)) {
    fs.writeFileSync(path.join(out, `${name}.abi`), JSON.stringify(c.abi));
    fs.writeFileSync(path.join(out, `${name}.bin`), c.evm.bytecode.object);
    console.log(`${name}: ${c.evm.deployedBytecode.object.length / 2} bytes deployed`);
  }
}
console.log(`compiled with solc ${solc.version()} (evm cancun, optimizer 200 runs) into ${out}`);
