// `npm run typecheck`: the site, the sandbox as a worker and the sandbox on Node are three TypeScript
// projects. tsc checks one project on one core, so the three run side by side; each one's errors are
// printed together, under its name, once it is done.
import {spawn} from 'node:child_process';
import {createRequire} from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const PROJECTS = ['tsconfig.json', 'src/sandbox/tsconfig.json', 'src/sandbox/tsconfig.node.json'];

function check(project) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, '-p', project, '--noEmit'], {stdio: ['ignore', 'pipe', 'pipe']});
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => {
      if (code !== 0) process.stdout.write(`\n${project}:\n${output}`);
      resolve(code === 0);
    });
  });
}

const results = await Promise.all(PROJECTS.map(check));
if (results.every(Boolean)) console.log(`Types check in ${PROJECTS.length} projects: ${PROJECTS.join(', ')}.`);
else process.exit(1);
