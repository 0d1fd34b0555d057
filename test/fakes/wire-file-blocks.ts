import type { WireReply } from './wire.ts';
import { parseDataUrl, scanBlocks, type BlockProblem, type FileScan, type FoundBlock } from './wire-files.ts';
import { arr, obj, randomId } from './wire-util.ts';

// Each vendor's native file blocks as the fakes read them, and the 400 each vendor answers for a
// malformed one. Messages follow the vendors' own wording as seen in published error reports
// (anthropics/claude-code#8184 and #13131, google-gemini/gemini-cli#8003, charmbracelet/crush#995,
// openai/openai-node#1463).

const CLAUDE_IMAGES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];
const GPT_IMAGES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];
const GEMINI_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/heic', 'image/heif', 'application/pdf'];
const PDF = ['application/pdf'];

const quoted = (types: readonly string[]) =>
  types
    .map((t) => `'${t}'`)
    .join(', ')
    .replace(/, ([^,]*)$/, ' or $1');

function anthropicRefusal(b: FoundBlock, problem: BlockProblem): WireReply {
  const message =
    problem === 'unsupported_type'
      ? `${b.path}.media_type: Input should be ${quoted(b.allowed)}`
      : `${b.path}.data: The ${b.kind === 'pdf' ? 'PDF' : 'image'} data is not valid base64`;
  return { status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message }, request_id: randomId('req_011C') } };
}

/** Anthropic `image` and `document` blocks with a base64 source (the document's `title` is its name). */
export function anthropicFileScan(body: unknown): FileScan {
  const found: FoundBlock[] = [];
  arr(obj(body)['messages']).forEach((m, i) =>
    arr(obj(m)['content']).forEach((raw, j) => {
      const block = obj(raw);
      const type = block['type'];
      const source = obj(block['source']);
      if ((type !== 'image' && type !== 'document') || source['type'] !== 'base64') return;
      const kind = type === 'image' ? 'image' : 'pdf';
      const title = block['title'];
      found.push({
        kind,
        mediaType: String(source['media_type'] ?? ''),
        data: String(source['data'] ?? ''),
        path: `messages.${i}.content.${j}.${type}.source.base64`,
        message: i,
        allowed: kind === 'image' ? CLAUDE_IMAGES : PDF,
        ...(typeof title === 'string' ? { name: title } : {}),
      });
    }),
  );
  return scanBlocks(found, anthropicRefusal);
}

function openaiRefusal(b: FoundBlock, problem: BlockProblem): WireReply {
  const error = (message: string, param: string | null, code: string) => ({
    status: 400,
    body: { error: { message, type: 'invalid_request_error', param, code } },
  });
  if (b.kind === 'image' && problem === 'unsupported_type')
    return error('You uploaded an unsupported image. Please make sure your image is valid.', null, 'invalid_image_format');
  const got = problem === 'bad_base64' ? 'an invalid base64 encoding' : `unsupported MIME type '${b.mediaType}'`;
  const expected =
    b.kind === 'image'
      ? "an image MIME type (e.g. 'data:image/png;base64,aW1nIGJ5dGVzIGhlcmU=')"
      : "an application/pdf MIME type (e.g. 'data:application/pdf;base64,SGVsbG8sIFdvcmxkIQ==')";
  return error(
    `Invalid ${b.kind === 'image' ? 'image' : 'file'} data: '${b.path}'. Expected a base64-encoded data URL with ${expected}, but got ${got}.`,
    b.path,
    'invalid_value',
  );
}

/** OpenAI Chat Completions `image_url` parts with a data URL and `file` parts with `file_data` (and `filename`). */
export function openaiFileScan(body: unknown): FileScan {
  const found: FoundBlock[] = [];
  arr(obj(body)['messages']).forEach((m, i) =>
    arr(obj(m)['content']).forEach((raw, j) => {
      const part = obj(raw);
      const image = part['type'] === 'image_url';
      if (!image && part['type'] !== 'file') return;
      const holder = obj(image ? part['image_url'] : part['file']);
      const url = parseDataUrl(String((image ? holder['url'] : holder['file_data']) ?? ''));
      if (!url) return;
      const path = image ? `messages[${i}].content[${j}].image_url.url` : `messages[${i}].content[${j}].file.file_data`;
      const filename = holder['filename'];
      found.push({
        kind: image ? 'image' : 'pdf',
        ...url,
        path,
        message: i,
        allowed: image ? GPT_IMAGES : PDF,
        ...(typeof filename === 'string' ? { name: filename } : {}),
      });
    }),
  );
  return scanBlocks(found, openaiRefusal);
}

function googleRefusal(b: FoundBlock, problem: BlockProblem): WireReply {
  if (problem === 'unsupported_type')
    return { status: 400, body: { error: { code: 400, message: `Unsupported MIME type: ${b.mediaType}`, status: 'INVALID_ARGUMENT' } } };
  const message = `Invalid value at '${b.path}' (TYPE_BYTES), Base64 decoding failed for "${b.data.slice(0, 40)}"`;
  const violation = { '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field: b.path, description: message }] };
  return { status: 400, body: { error: { code: 400, message, status: 'INVALID_ARGUMENT', details: [violation] } } };
}

/** Gemini `inlineData` parts (either JSON spelling) of every content. */
export function googleFileScan(body: unknown): FileScan {
  const found: FoundBlock[] = [];
  arr(obj(body)['contents']).forEach((c, i) =>
    arr(obj(c)['parts']).forEach((raw, j) => {
      const part = obj(raw);
      const inline = part['inlineData'] ?? part['inline_data'];
      if (inline === undefined) return;
      const mediaType = String(obj(inline)['mimeType'] ?? obj(inline)['mime_type'] ?? '');
      const kind = mediaType === 'application/pdf' ? 'pdf' : 'image';
      found.push({
        kind,
        mediaType,
        data: String(obj(inline)['data'] ?? ''),
        path: `contents[${i}].parts[${j}].inline_data.data`,
        message: i,
        allowed: GEMINI_TYPES,
      });
    }),
  );
  return scanBlocks(found, googleRefusal);
}
