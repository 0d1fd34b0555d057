import fc from 'fast-check';
import { MODELS } from '../../src/models/prices.ts';

/** One generated chat line: the slash command, its text, and who runs it where. */
export interface Line {
  command: string;
  text: string;
  admin: boolean;
  channelId: string;
}

/** Characters that break naive parsers: controls, bidi overrides, zero-width, lone surrogates, emoji. */
const HOSTILE = [
  '\u0000',
  '\u0007',
  '\u001B[31m',
  '\u007F',
  '\u202E',
  '\u200F',
  '\u200B',
  '\uFEFF',
  '\uD800',
  '\uDFFF',
  '\uDBFF\uDBFF',
  '👩‍👩‍👧',
  '🏳️‍🌈',
  'ع',
  'שָׁלוֹם',
  'e\u0301',
  '\u2028',
  '`',
  '*',
  '<!channel>',
  '<@U1>',
  '${x}',
  '%s',
  '\\',
  '"',
  "'",
];
const SEPARATORS = [' ', ' ', ' ', '  ', '\t', '\n', '\u00A0', '\u3000', '\u2028'];

const unicodeWord = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.array(fc.constantFrom(...HOSTILE), { minLength: 1, maxLength: 4 }).map((a) => a.join('')),
);

/** Up to ~100 KB of one repeated piece: pastes, runaway scripts. */
const huge = fc
  .tuple(fc.constantFrom('a', '9', '$', '=', '--x', 'rpm=1 ', '👩‍👩‍👧', '\u202E', ' ', 'openai:'), fc.integer({ min: 1_000, max: 100_000 }))
  .map(([piece, chars]) => piece.repeat(Math.ceil(chars / piece.length)).slice(0, chars));

const knownModel = fc.constantFrom(...MODELS.map((m) => `${m.vendor}:${m.id}`));
const modelId = fc.oneof(
  { weight: 4, arbitrary: knownModel },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('openai', 'anthropic', 'google', 'gemini', 'OpenAI', 'mistral', ''), fc.string({ maxLength: 20 }))
      .map(([v, m]) => `${v}:${m}`),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'openai:',
      ':gpt-4o',
      'openai:gpt-4o@high',
      'openai:ft:gpt-6-luna:org::abc',
      'anthropic:claude-opus-4-1,openai:gpt-4o',
      ',,',
      'openai:gpt 4o',
    ),
  },
);

/** Dollar amounts, good and bad: plain decimals, `$`, hex, exponents, signs, Infinity, blanks. */
export const amount = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.boolean(), fc.nat({ max: 2_000_000 }), fc.option(fc.nat({ max: 999 })))
      .map(([d, n, c]) => `${d ? '$' : ''}${n}${c === null ? '' : `.${c}`}`),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '$',
      '0x10',
      '-0',
      '-5',
      '+5',
      '1e3',
      '1E-2',
      'Infinity',
      '-Infinity',
      'NaN',
      '5.',
      '.5',
      '1,000',
      '1_000',
      '$$5',
      '5$',
      '０',
      '0b11',
      '0o7',
      'off',
      'OFF',
      'Off',
      '$off',
      '0',
      '$0',
      '0.00',
      '1000000',
      '1000000.01',
      '99999999999999999999999',
    ),
  },
  { weight: 1, arbitrary: fc.double().map(String) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.nat({ max: 9 }), fc.string({ unit: fc.constantFrom('0', '1', '5', '9'), minLength: 1, maxLength: 400 }))
      .map(([n, f]) => `${n}.${f}`),
  },
);

const limitField = fc.constantFrom('rpm', 'itpm', 'otpm', 'tpm', 'concurrency', 'periodMs', 'periodms', 'RPM', 'burst', '', 'constructor', '__proto__');
const limitValue = fc.oneof(
  fc.nat({ max: 2_000_000_000 }).map(String),
  fc.constantFrom('1e308', '0', '-1', '1.5', '0x10', '', 'Infinity', '10_000', ' ', '=', '1=2'),
);
const limitPair = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(limitField, limitValue).map(([k, v]) => `${k}=${v}`) },
  { weight: 1, arbitrary: fc.constantFrom('rpm', '=5', 'rpm==5', 'rpm =5') },
);

const lane = fc.constantFrom('cheap', 'balanced', 'deep', 'auto', 'CHEAP', 'fast', '');
const vendor = fc.constantFrom('openai', 'anthropic', 'google', 'gemini', 'OpenAI', 'mistral', '');
const user = fc.constantFrom('U123', '<@U123|ana>', '<@!456>', '<@>', '@ana', 'U-1', '');

const words = (parts: fc.Arbitrary<string>[]) =>
  fc.tuple(fc.tuple(...parts), fc.constantFrom(...SEPARATORS)).map(([ws, sep]) => ws.filter((w) => w !== '').join(sep));

const budgetArgs = fc.oneof(
  words([fc.constantFrom('workspace', 'channel', 'per-channel', 'per-user', 'confirm', 'Workspace', 'CONFIRM'), amount]),
  words([fc.constantFrom('workspace', 'confirm'), amount, fc.oneof(amount, unicodeWord)]),
  words([fc.constant('user'), user, amount]),
  words([fc.constantFrom('workspace', 'user', 'bogus', ''), fc.oneof(unicodeWord, huge)]),
  fc.constant(''),
);

const lanesArgs = fc.oneof(
  words([fc.constant('limits'), vendor, ...Array.from({ length: 3 }, () => fc.oneof(limitPair, fc.constant('')))]),
  words([fc.constant('limits'), vendor, fc.array(limitPair, { maxLength: 8 }).map((a) => a.join(' '))]),
  words([fc.constant('set'), lane, fc.array(modelId, { maxLength: 4 }).map((a) => a.join(','))]),
  words([fc.constant('reset'), fc.oneof(lane, fc.constant(''))]),
  words([fc.constantFrom('default', 'channel'), lane]),
  words([fc.constant('judge'), fc.oneof(modelId, fc.constant('auto'))]),
  words([fc.constantFrom('limits', 'set', 'judge', 'frobnicate', ''), fc.oneof(unicodeWord, huge)]),
  fc.constant(''),
);

const flag = fc.constantFrom(
  '--cheap',
  '--balanced',
  '--deep',
  '--yes',
  '--model',
  '--models',
  '--model=openai:gpt-6-luna',
  '--',
  '--verbose',
  '--MODEL',
  '--cheap=1',
  '--constructor',
  '-x',
  '—deep',
);
const question = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('what is 6x7?', 'hi', 'explain `code`', '') },
  { weight: 3, arbitrary: unicodeWord },
  { weight: 1, arbitrary: huge },
);

const askText = words([fc.array(fc.oneof(flag, modelId), { maxLength: 4 }).map((a) => a.join(' ')), question]);

const hiveText = fc.oneof(
  { weight: 8, arbitrary: budgetArgs.map((a) => `budget ${a}`) },
  { weight: 8, arbitrary: lanesArgs.map((a) => `lanes ${a}`) },
  { weight: 1, arbitrary: words([fc.constant('keys'), fc.constantFrom('', 'list', 'remove', 'test', 'set', 'add', 'bogus'), fc.oneof(vendor, unicodeWord)]) },
  { weight: 1, arbitrary: words([fc.constant('usage'), fc.oneof(fc.constantFrom('', 'day', 'week', 'month', 'Month', 'year'), unicodeWord)]) },
  { weight: 1, arbitrary: words([fc.constant('evidence'), fc.oneof(fc.constantFrom('', '01JD0000000000000000000000'), unicodeWord, huge)]) },
  { weight: 1, arbitrary: fc.oneof(fc.constantFrom('', 'help', 'models', 'HELP', 'Budget'), unicodeWord, huge) },
);

/** Mostly admin verbs and usage errors (no model call); a few model jobs to a fast fake vendor. */
export const line: fc.Arbitrary<Line> = fc
  .record({
    command: fc.oneof(
      { weight: 40, arbitrary: fc.constant('hive') },
      { weight: 3, arbitrary: fc.constant('ask') },
      { weight: 1, arbitrary: fc.constant('consensus') },
      { weight: 1, arbitrary: fc.constantFrom('digest', 'Hive', 'ask2', '') },
    ),
    text: fc.constant(''),
    admin: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    channelId: fc.constantFrom('C-test', 'C-other'),
  })
  .chain((l) =>
    (l.command === 'hive' ? hiveText : l.command === 'ask' || l.command === 'consensus' ? askText : fc.oneof(hiveText, askText)).map((text) => ({
      ...l,
      text,
    })),
  );
