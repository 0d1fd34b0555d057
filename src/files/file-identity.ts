import { fileTypeFromBuffer } from 'file-type';

/** What the bytes say a file is: a kind Hive reads, text to check further, or a refusal with the way out. */
export type Identity = { kind: 'image' | 'pdf'; mediaType: string } | { kind: 'text-candidate' } | { refused: string };

/** The images every vendor with vision accepts, by the type `file-type` reads. */
const IMAGES: Readonly<Record<string, string>> = { png: 'image/png', apng: 'image/png', jpg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp' };
/** Types `file-type` names that are text underneath; they are still checked as UTF-8. */
const TEXTUAL = new Set(['xml', 'ics', 'vcf', 'vtt', 'rtf']);
const ARCHIVES = new Set([
  'zip',
  'tar',
  'tar.gz',
  'rar',
  'gz',
  'bz2',
  '7z',
  'xz',
  'Z',
  'lz',
  'lzh',
  'lz4',
  'zst',
  'arj',
  'ace',
  'cab',
  'cpio',
  'ar',
  'asar',
  'dmg',
]);
const EXECUTABLES = new Set(['exe', 'elf', 'macho', 'wasm', 'class', 'swf', 'crx', 'xpi', 'deb', 'rpm', 'apk', 'jar', 'lnk', 'nes']);
const OFFICE = /^(docx|docm|dotx|dotm|xlsx|xlsm|xltx|xltm|pptx|pptm|potx|potm|ppsx|ppsm|vsdx|odt|ods|odp|odg|ott|ots|otp|otg|epub)$/;

const SEND_INSTEAD = 'Share it as text, a PDF, or a PNG, JPEG, GIF or WebP image.';

/** Reads a file's type from its bytes alone (never its name or the platform's claim). */
export async function identify(bytes: Uint8Array): Promise<Identity> {
  const found = await fileTypeFromBuffer(bytes);
  if (!found) return { kind: 'text-candidate' };
  const { ext, mime } = found;
  const image = IMAGES[ext];
  if (image) return { kind: 'image', mediaType: image };
  if (ext === 'pdf' || ext === 'ai') return { kind: 'pdf', mediaType: 'application/pdf' };
  if (TEXTUAL.has(ext)) return { kind: 'text-candidate' };
  return { refused: refusalFor(ext, mime) };
}

/** Why a type is refused, and what to share instead. */
function refusalFor(ext: string, mime: string): string {
  if (OFFICE.test(ext)) return `it is an Office document (${ext}), which is a zip archive inside. Export it as PDF and share that.`;
  if (ext === 'cfb') return 'it is an older Office document (or an installer), a binary format Hive does not open. Export it as PDF and share that.';
  if (ARCHIVES.has(ext)) return `it is an archive (${ext}); Hive does not open archives. Share the files inside it one by one.`;
  if (EXECUTABLES.has(ext)) return `it is an executable or installer (${ext}); Hive never opens programs. ${SEND_INSTEAD}`;
  if (mime.startsWith('image/')) return `it is an image Hive does not read (${ext}). Convert it to PNG or JPEG and share that.`;
  if (mime.startsWith('audio/') || mime.startsWith('video/'))
    return `it is ${mime.startsWith('audio/') ? 'audio' : 'video'} (${ext}); Hive reads no audio or video. ${SEND_INSTEAD}`;
  return `it is a binary file (${ext}) Hive does not read. ${SEND_INSTEAD}`;
}
