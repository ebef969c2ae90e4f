// Photos on the phone: downscale (orientation applied), encode as JPEG, hash with SHA-256.

const LONG_EDGE = 2048;
const QUALITY = 0.8;

export class NotAnImage extends Error {
  constructor(name) {
    super(`"${name}" is not a photo this app can read. Choose a JPEG, PNG or WebP picture.`);
  }
}

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function sha256(bytes) {
  return hex(await crypto.subtle.digest('SHA-256', bytes));
}

async function decode(file) {
  try {
    // createImageBitmap applies the EXIF orientation itself.
    return await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    throw new NotAnImage(file.name || 'This file');
  }
}

async function encode(bitmap, width, height) {
  if (typeof OffscreenCanvas !== 'undefined') {
    const canvas = new OffscreenCanvas(width, height);
    canvas.getContext('2d').drawImage(bitmap, 0, 0, width, height);
    return canvas.convertToBlob({ type: 'image/jpeg', quality: QUALITY });
  }
  const canvas = document.createElement('canvas');
  Object.assign(canvas, { width, height });
  canvas.getContext('2d').drawImage(bitmap, 0, 0, width, height);
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', QUALITY));
}

// A picked file -> {sha256, type, bytes (ArrayBuffer), width, height}, ready for the outbox.
export async function preparePhoto(file) {
  const bitmap = await decode(file);
  const scale = Math.min(1, LONG_EDGE / Math.max(bitmap.width, bitmap.height));
  const width = Math.round(bitmap.width * scale);
  const height = Math.round(bitmap.height * scale);
  const blob = await encode(bitmap, width, height);
  bitmap.close();
  const bytes = await blob.arrayBuffer();
  return { sha256: await sha256(bytes), type: 'image/jpeg', bytes, width, height };
}
