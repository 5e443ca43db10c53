// A zip archive of a few small files, stored without compression (PNGs are compressed already): the
// local headers, the files, the central directory and its end record, as PKWARE's APPNOTE describes.
// Plain data, no DOM.

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Little-endian fields ([bytes, value] pairs) as one Uint8Array. */
function fields(...pairs) {
  const out = new Uint8Array(pairs.reduce((total, [size]) => total + size, 0));
  const view = new DataView(out.buffer);
  let at = 0;
  for (const [size, value] of pairs) {
    if (size === 2) view.setUint16(at, value, true);
    else view.setUint32(at, value, true);
    at += size;
  }
  return out;
}

/** files: [{name (ASCII), bytes: Uint8Array}] -> the zip's bytes, as a Blob of type application/zip. */
export function zipFiles(files) {
  const parts = [];
  const directory = [];
  let offset = 0;
  for (const { name, bytes } of files) {
    const encodedName = new TextEncoder().encode(name);
    const crc = crc32(bytes);
    // version 2.0, no flags, stored (method 0), time 00:00 on 1980-01-01 (zip has no earlier date)
    const common = [[2, 20], [2, 0], [2, 0], [2, 0], [2, 0x21], [4, crc], [4, bytes.length], [4, bytes.length]];
    const local = fields([4, 0x04034b50], ...common, [2, encodedName.length], [2, 0]);
    parts.push(local, encodedName, bytes);
    directory.push(
      fields([4, 0x02014b50], [2, 20], ...common, [2, encodedName.length], [2, 0], [2, 0], [2, 0], [2, 0], [4, 0], [4, offset]),
      encodedName,
    );
    offset += local.length + encodedName.length + bytes.length;
  }
  const size = directory.reduce((total, part) => total + part.length, 0);
  const end = fields([4, 0x06054b50], [2, 0], [2, 0], [2, files.length], [2, files.length], [4, size], [4, offset], [2, 0]);
  return new Blob([...parts, ...directory, end], { type: "application/zip" });
}
