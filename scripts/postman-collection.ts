// Writes the Postman collection for `npm run sandbox` (issuer http://localhost:4000/sandbox), generated
// from the sandbox's OpenAPI description and demo world. Run with `npm run postman:generate`.
import {mkdirSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {COLLECTION_PATH, renderPostmanCollection} from '../src/postman/collection';

const file = join(import.meta.dirname, '..', COLLECTION_PATH);
mkdirSync(dirname(file), {recursive: true});
writeFileSync(file, renderPostmanCollection());
console.log(`Wrote ${COLLECTION_PATH}`);
