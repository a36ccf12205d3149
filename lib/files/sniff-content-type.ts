import fs from "node:fs/promises";

/** Bytes read from the start of a file for the markup and text checks. */
const HEAD_BYTES = 64 * 1024;

/** Markup a browser would render or run, recognised at the start of the text. */
const LEADING_MARKUP: [RegExp, string][] = [
  [/^<\?xml[^>]*>\s*(<!--[\s\S]*?-->\s*)*(<!doctype\s+svg|<svg)/i, "image/svg+xml"],
  [/^(<!--[\s\S]*?-->\s*)*<svg[\s/>]/i, "image/svg+xml"],
  [/^<\?xml[^>]*>\s*(<!--[\s\S]*?-->\s*)*(<!doctype\s+html|<html)/i, "application/xhtml+xml"],
  [
    /^(<!--[\s\S]*?-->\s*)*<(!doctype\s+html|html|head|body|script|iframe|frameset|style|title|meta|link|object|embed|img|a|div|p|b|br|table|form|h1)[\s/>]/i,
    "text/html",
  ],
];
/** Markup anywhere in the text: then it is not served as text/plain. */
const ANY_MARKUP = /<(!doctype|html|script|svg|iframe|object|embed|body|head|\?xml)[\s/>]/i;

const EXTENSION_TYPES: Record<string, string> = {
  html: "text/html",
  htm: "text/html",
  xhtml: "application/xhtml+xml",
  svg: "image/svg+xml",
  svgz: "image/svg+xml",
  js: "text/javascript",
  mjs: "text/javascript",
  cjs: "text/javascript",
  exe: "application/x-msdownload",
  dll: "application/x-msdownload",
  sh: "application/x-sh",
};

function decodeUtf8(bytes: Buffer, complete: boolean): string | undefined {
  // A cut-off multi-byte sequence at the end of a partial read is not an error.
  let end = bytes.length;
  if (!complete) {
    let back = 0;
    while (back < 3 && end - back > 0 && (bytes[end - back - 1] & 0xc0) === 0x80) back += 1;
    if (end - back > 0 && bytes[end - back - 1] >= 0xc0) end -= back + 1;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, end));
  } catch {
    return undefined;
  }
}

async function readHead(path: string): Promise<{ head: Buffer; complete: boolean }> {
  const handle = await fs.open(path, "r");
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    const { size } = await handle.stat();
    return { head: buffer.subarray(0, bytesRead), complete: bytesRead >= size };
  } finally {
    await handle.close();
  }
}

/**
 * The content type of an uploaded file, from its bytes: markup browsers would render
 * (HTML, SVG — file-type has no magic numbers for them) and shebang scripts first, then
 * file-type's signatures (images, archives, executables…), then the file name's extension
 * for the script and markup types that have no signature; plain UTF-8 text without markup
 * is text/plain, anything else application/octet-stream.
 */
export async function sniffContentType(path: string, filename: string): Promise<string> {
  const { head, complete } = await readHead(path);
  const text = decodeUtf8(head.subarray(0, 4096), complete && head.length <= 4096);
  const start = (text ?? head.subarray(0, 4096).toString("latin1"))
    .replace(/^\uFEFF/, "")
    .trimStart();
  for (const [pattern, type] of LEADING_MARKUP) if (pattern.test(start)) return type;
  if (start.startsWith("#!")) return "application/x-sh";

  const { fileTypeFromFile } = await import("file-type");
  const detected = await fileTypeFromFile(path);
  if (detected) return detected.mime;

  const extension = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase();
  if (extension && EXTENSION_TYPES[extension]) return EXTENSION_TYPES[extension];

  const whole = decodeUtf8(head, complete);
  if (whole !== undefined && !whole.includes("\u0000") && !ANY_MARKUP.test(whole)) {
    return "text/plain";
  }
  return "application/octet-stream";
}

/** Extensions of binary formats file-type recognises by their signature. */
const SIGNATURE_EXTENSIONS = new Set(
  "png jpg jpeg gif webp bmp ico tif tiff avif heic pdf zip gz mp3 mp4 m4a mov webm ogg wav flac".split(
    " ",
  ),
);

/**
 * Whether a name claims a binary format (a picture, a PDF…) for bytes that are plain text:
 * a script disguised as `photo.png` that has no markup to give it away. Refused, since no
 * genuine file of that name is text.
 */
export function textUnderBinaryName(filename: string, contentType: string): boolean {
  const extension = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase();
  return (
    contentType === "text/plain" && extension !== undefined && SIGNATURE_EXTENSIONS.has(extension)
  );
}
