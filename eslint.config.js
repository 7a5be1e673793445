// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'net', 'crypto', 'events', 'stream', 'process', 'buffer', 'util'];

/** Restrict imports by layer so the architecture stays visible and enforced. */
const restrict = (/** @type {{group: string[], message: string}[]} */ patterns) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: [
        { name: 'pcsclite', message: 'Only native-host/pcsc/ may import pcsclite.' },
        { name: 'koffi', message: 'Only native-host/pcsc/ may import koffi (the ffi PC/SC backend).' },
      ],
      patterns,
    },
  ],
});

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test-results/', '.rig/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', '*.mjs', 'scripts/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      ...restrict([]),
    },
  },
  {
    // The pcsc layer's own unit tests check koffi's struct layouts against ours.
    files: ['native-host/pcsc/**', 'test/unit/pcsc/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Pure layers: no Node, no PC/SC, so they run in the extension and in unit tests alike.
    files: ['native-host/card/**', 'native-host/protocol/**', 'native-host/messaging/**'],
    rules: restrict([
      { group: nodeBuiltins, message: 'This layer is pure: no Node modules.' },
      { group: ['**/pcsc/**', '**/legacy/**', '**/cli/**'], message: 'Pure layers must not depend on I/O layers.' },
    ]),
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
