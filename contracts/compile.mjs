// Compiles src/*.sol with solc-js (pinned in package.json; no compiler download) into OUT_DIR/<Name>.abi and
// <Name>.bin for web3j's wrapper generator, and OUT_DIR/errors/contract-errors.json: every custom error any of
// the contracts can revert with (their own and OpenZeppelin's), so Merit can say what a revert means.
// Imports resolve from node_modules.
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
fs.mkdirSync(path.join(out, 'errors'), { recursive: true });
const errors = new Map();
for (const [file, contracts] of Object.entries(output.contracts)) {
  if (!file.startsWith('src/')) continue;
  for (const [name, c] of Object.entries(contracts)) {
    for (const e of c.abi.filter((item) => item.type === 'error')) {
      const signature = `${e.name}(${e.inputs.map((i) => i.type).join(',')})`;
      errors.set(signature, { contract: errors.get(signature)?.contract ?? name, name: e.name, inputs: e.inputs });
    }
    fs.writeFileSync(path.join(out, `${name}.abi`), JSON.stringify(c.abi));
    fs.writeFileSync(path.join(out, `${name}.bin`), c.evm.bytecode.object);
    console.log(`${name}: ${c.evm.deployedBytecode.object.length / 2} bytes deployed`);
  }
}
const sorted = [...errors.entries()].sort(([a], [b]) => a.localeCompare(b))
  .map(([signature, e]) => ({ signature, ...e }));
fs.writeFileSync(path.join(out, 'errors', 'contract-errors.json'), JSON.stringify(sorted, null, 1));
console.log(`compiled with solc ${solc.version()} (evm cancun, optimizer 200 runs) into ${out}`);
