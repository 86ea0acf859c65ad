#!/usr/bin/env node
/**
 * Draws the extension icon — a white euro sign on a rounded square in the house blue — and writes
 * public/icon/{16,32,48,128}.png. Pure Node, no dependency: shapes are tested per sub-pixel (8×8 samples
 * per pixel for anti-aliasing) and the PNG is encoded by hand with node:zlib. The output is committed;
 * re-run after changing the design: `node scripts/make-icons.mjs`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const SIZES = [16, 32, 48, 128];
const SAMPLES = 8;
/** components/ui.css --accent (top left) to --accent-strong (bottom right). */
const FROM = [0x1d, 0x9b, 0xf0];
const TO = [0x0a, 0x6f, 0xb8];
const WHITE = [0xff, 0xff, 0xff];

/**
 * The design in pixels (y down) for an icon of `size` pixels. Stroke widths, the ring's centre and extremes
 * and the bars' edges are snapped to whole pixels so the glyph stays crisp at 16 and 32 px; small sizes fill
 * the whole square with a larger glyph, 48 and 128 keep the transparent margin Chrome's icon guidelines ask for.
 */
function design(size) {
  const small = size <= 32;
  const margin = small ? 0 : size / 16;
  const stroke = Math.max(2, Math.round(0.095 * size));
  const outer = Math.round((small ? 0.3 : 0.27) * size);
  const cx = size / 2 + Math.round(0.04 * size);
  const cy = size / 2;
  const bar = Math.max(1, Math.round(0.7 * stroke));
  const halfGap = Math.max(1, Math.round(0.05 * size));
  const x0 = cx - outer - Math.round(0.1 * size);
  const x1 = cx + Math.round(0.05 * size);
  return {
    square: {
      x0: margin,
      y0: margin,
      x1: size - margin,
      y1: size - margin,
      radius: 0.22 * (size - 2 * margin),
    },
    ring: { cx, cy, outer, inner: outer - stroke, gap: (44 * Math.PI) / 180 },
    bars: [
      { x0, x1, y0: cy - halfGap - bar, y1: cy - halfGap },
      { x0, x1, y0: cy + halfGap, y1: cy + halfGap + bar },
    ],
  };
}

function inRoundedSquare({ x0, y0, x1, y1, radius }, x, y) {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const dx = Math.max(x0 + radius - x, 0, x - (x1 - radius));
  const dy = Math.max(y0 + radius - y, 0, y - (y1 - radius));
  return dx * dx + dy * dy <= radius * radius;
}

function inEuro({ ring, bars }, x, y) {
  const dx = x - ring.cx;
  const dy = y - ring.cy;
  const r = Math.hypot(dx, dy);
  // The ring of the "C", open on the right between -gap and +gap.
  if (r >= ring.inner && r <= ring.outer && Math.abs(Math.atan2(dy, dx)) > ring.gap) return true;
  return bars.some((b) => x >= b.x0 && x <= b.x1 && y >= b.y0 && y <= b.y1);
}

/** RGBA pixels (non-premultiplied) of the icon at `size` px. */
export function drawIcon(size) {
  const d = design(size);
  const pixels = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let square = 0;
      let glyph = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const x = px + (sx + 0.5) / SAMPLES;
          const y = py + (sy + 0.5) / SAMPLES;
          if (!inRoundedSquare(d.square, x, y)) continue;
          square++;
          if (inEuro(d, x, y)) glyph++;
        }
      }
      const t = Math.min(1, Math.max(0, (px + py + 1) / (2 * size)));
      const background = FROM.map((c, i) => c + ((TO[i] ?? c) - c) * t);
      const share = square === 0 ? 0 : glyph / square;
      const o = (py * size + px) * 4;
      for (let i = 0; i < 3; i++) {
        pixels[o + i] = Math.round((background[i] ?? 0) + ((WHITE[i] ?? 0) - (background[i] ?? 0)) * share);
      }
      pixels[o + 3] = Math.round((255 * square) / (SAMPLES * SAMPLES));
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 of a PNG chunk's type and data (ISO 3309, as the PNG specification requires). */
export function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An 8-bit RGBA PNG (colour type 6, no interlace, filter 0 on every row). */
export function encodePng(size, pixels) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icon');
  mkdirSync(dir, { recursive: true });
  for (const size of SIZES) {
    const file = join(dir, `${size}.png`);
    const png = encodePng(size, drawIcon(size));
    writeFileSync(file, png);
    console.log(`${file} (${png.length} bytes)`);
  }
}
