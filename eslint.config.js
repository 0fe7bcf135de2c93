import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import globals from 'globals';

/**
 * The layers of the main side, lowest first, in the direction data flows: a folder may import
 * from the folders before it (and from src-shared), never from the ones after it. A wrong-way
 * import fails `npm run lint` (and so `npm run check` and CI).
 */
const LAYERS = ['sources', 'engine', 'artifacts', 'process', 'explain', 'analyses', 'services', 'hosts', 'app'];

// A folder of that name under src-main (src-shared/artifacts is the shared artifact types, not the layer).
const segment = (names) => `(^|(?<!src-shared)/)(${names.join('|')})(/|$)`;

const layerRules = LAYERS.map((layer, i) => {
  const above = LAYERS.slice(i + 1);
  return {
    files: [`src-main/${layer}/**/*.ts`],
    rules: {
      'no-restricted-imports':
        above.length === 0
          ? 'off'
          : [
              'error',
              {
                patterns: [
                  {
                    regex: segment([...above, 'preload', 'src-renderer']),
                    message: `${layer}/ sits below ${above.join(', ')} (see CONTRIBUTING.md, "Layers"): move the shared piece down, or pass it in.`,
                  },
                ],
              },
            ],
    },
  };
});

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'test-results/**', 'artifacts/**', 'scratch/**', 'bench-data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...layerRules,
  {
    files: ['src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: segment(['src-main', 'src-renderer']),
              message: 'src-shared is the contract both sides read: it imports nothing of theirs.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.vue', 'src-main/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: segment(['src-main']),
              message: 'The window reaches the main side only through the API contract (src-shared/contract.ts).',
            },
          ],
        },
      ],
    },
  },
);
