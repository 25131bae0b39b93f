/** Where the project's files are, from the compiled tests (out/test/helpers/), whatever a test's own depth. */
import { join, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(__dirname, '../../..');
export const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures');
