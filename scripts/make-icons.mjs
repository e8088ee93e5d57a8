#!/usr/bin/env node
// Writes the app's icons into public/: icon.svg and PNGs at 192 and 512 px for the web app manifest. The picture is
// the canvas itself: a grid of slots, some committed (tinted), some still masked. Plain zlib, no image library.
//   node scripts/make-icons.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const BG = [24, 100, 171]; // the app's accent
const MASK = [233, 236, 239];
const TINTS = [
  [255, 216, 168],
  [165, 216, 255],
  [178, 242, 187],
  [252, 194, 215],
];
// 4 x 4 slots: a number is the step that committed it (a tint), '.' a masked slot.
const GRID = ['0011', '0122', '23..', '3...'];

function colour(x, y, size) {
  const pad = size * 0.14;
  const cell = (size - 2 * pad) / 4;
  const gap = cell * 0.14;
  const cx = Math.floor((x - pad) / cell);
  const cy = Math.floor((y - pad) / cell);
  if (cx < 0 || cy < 0 || cx > 3 || cy > 3) return BG;
  const ix = x - pad - cx * cell;
  const iy = y - pad - cy * cell;
  if (ix < gap / 2 || iy < gap / 2 || ix > cell - gap / 2 || iy > cell - gap / 2) return BG;
  const c = GRID[cy][cx];
  return c === '.' ? MASK : TINTS[Number(c)];
}

function crc32(bytes) {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

function png(size) {
  const raw = Buffer.alloc(size * (size * 3 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0;
    for (let x = 0; x < size; x++) raw.set(colour(x + 0.5, y + 0.5, size), y * (size * 3 + 1) + 1 + x * 3);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function svg() {
  const hex = (c) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
  const rects = GRID.flatMap((row, y) =>
    [...row].map(
      (c, x) =>
        `<rect x="${14 + x * 18 + 1.3}" y="${14 + y * 18 + 1.3}" width="15.4" height="15.4" rx="2.5" fill="${hex(c === '.' ? MASK : TINTS[Number(c)])}"/>`,
    ),
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><rect width="100" height="100" rx="18" fill="${hex(BG)}"/>${rects.join('')}</svg>\n`;
}

writeFileSync('public/icon-192.png', png(192));
writeFileSync('public/icon-512.png', png(512));
writeFileSync('public/icon.svg', svg());
console.log('wrote public/icon.svg, public/icon-192.png, public/icon-512.png');
