/**
 * What `npm run test:postman` (run-postman.mjs) loads from TypeScript, in one import: the collection's path
 * and the Node sandbox it starts. Two separate imports gave two copies of every module both reach (the
 * sandbox's error classes among them), and a sandbox that checked errors against the other copy.
 */
export {COLLECTION_PATH} from '../src/postman/collection';
export {startNodeSandbox} from '../src/sandbox/node';
