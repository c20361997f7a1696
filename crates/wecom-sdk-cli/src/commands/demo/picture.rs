//! The demo's pictures: small real PNG images drawn here, byte for byte the same on every
//! run — a vertical two-colour gradient, a rounded panel and a label in a 5×7 pixel font —
//! compressed with fixed-Huffman deflate (runs of repeated pixels and repeated rows), so
//! each is a few KB with no image crate.

/// One picture to draw.
pub(super) struct Picture {
    pub(super) width: u32,
    pub(super) height: u32,
    /// Top and bottom colours of the background gradient.
    pub(super) from: [u8; 3],
    pub(super) to: [u8; 3],
    /// Upper-case letters, digits, space and `#.-:%`; anything else draws as a space.
    pub(super) label: &'static str,
}

/// The image message's picture: a build report.
pub(super) const BUILD: Picture = Picture {
    width: 240,
    height: 160,
    from: [57, 117, 198],
    to: [43, 162, 69],
    label: "BUILD #42",
};
/// The news and card cover.
pub(super) const COVER: Picture = Picture {
    width: 300,
    height: 150,
    from: [240, 107, 25],
    to: [122, 90, 248],
    label: "RELEASE 1.4",
};
/// The group alert's picture.
pub(super) const ALERT: Picture =
    Picture { width: 240, height: 120, from: [224, 70, 60], to: [43, 48, 59], label: "P99 2.4S" };

/// 5×7 glyphs, one `u8` per row, the low 5 bits left to right.
fn glyph(c: char) -> [u8; 7] {
    match c {
        'A' => [0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        'B' => [0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E],
        'C' => [0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E],
        'D' => [0x1E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x1E],
        'E' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F],
        'F' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10],
        'G' => [0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F],
        'H' => [0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        'I' => [0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E],
        'K' => [0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11],
        'L' => [0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F],
        'M' => [0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11],
        'N' => [0x11, 0x19, 0x15, 0x13, 0x11, 0x11, 0x11],
        'O' => [0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        'P' => [0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10],
        'R' => [0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11],
        'S' => [0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E],
        'T' => [0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04],
        'U' => [0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        'V' => [0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04],
        'W' => [0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A],
        'Y' => [0x11, 0x11, 0x0A, 0x04, 0x04, 0x04, 0x04],
        '0' => [0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E],
        '1' => [0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E],
        '2' => [0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F],
        '3' => [0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E],
        '4' => [0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02],
        '5' => [0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E],
        '6' => [0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E],
        '7' => [0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
        '8' => [0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E],
        '9' => [0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C],
        '#' => [0x0A, 0x0A, 0x1F, 0x0A, 0x1F, 0x0A, 0x0A],
        '.' => [0x00, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x0C],
        '-' => [0x00, 0x00, 0x00, 0x1F, 0x00, 0x00, 0x00],
        ':' => [0x00, 0x0C, 0x0C, 0x00, 0x0C, 0x0C, 0x00],
        '%' => [0x18, 0x19, 0x02, 0x04, 0x08, 0x13, 0x03],
        _ => [0; 7],
    }
}

impl Picture {
    /// The RGB pixels, row by row.
    fn pixels(&self) -> Vec<[u8; 3]> {
        let (w, height) = (self.width, self.height);
        let mix = |a: u8, b: u8, t: u32, n: u32| {
            let v = (u32::from(a) * (n - t) + u32::from(b) * t) / n.max(1);
            u8::try_from(v).unwrap_or(u8::MAX)
        };
        let mut out = Vec::with_capacity((w * height) as usize);
        for y in 0..height {
            let bg = [0, 1, 2].map(|i| mix(self.from[i], self.to[i], y, height - 1));
            out.extend((0..w).map(|_| bg));
        }
        // A translucent panel with rounded corners in the middle.
        let (px, py, pw, ph) = (w / 8, height / 4, w - w / 4, height / 2);
        let radius = ph / 5;
        for y in py..py + ph {
            for x in px..px + pw {
                let dx =
                    (px + radius).saturating_sub(x).max(x.saturating_sub(px + pw - 1 - radius));
                let dy =
                    (py + radius).saturating_sub(y).max(y.saturating_sub(py + ph - 1 - radius));
                if dx * dx + dy * dy > radius * radius {
                    continue;
                }
                let p = &mut out[(y * w + x) as usize];
                *p = p.map(|c| u8::try_from((u32::from(c) + 3 * 255) / 4).unwrap_or(u8::MAX));
            }
        }
        // The label, centred on the panel, in the top colour.
        let chars = u32::try_from(self.label.chars().count()).unwrap_or(0);
        let scale = ((pw - 8) / (chars * 6).max(1)).clamp(1, (ph - 8) / 7);
        let (tw, th) = ((chars * 6).saturating_sub(1) * scale, 7 * scale);
        let (tx, ty) = (px + (pw - tw) / 2, py + (ph - th) / 2);
        for (i, c) in (0u32..).zip(self.label.chars()) {
            for (row, bits) in (0u32..).zip(glyph(c)) {
                for col in 0..5u32 {
                    if bits & (0x10 >> col) == 0 {
                        continue;
                    }
                    for sy in 0..scale {
                        for sx in 0..scale {
                            let x = tx + (i * 6 + col) * scale + sx;
                            let y = ty + row * scale + sy;
                            out[(y * w + x) as usize] = self.from;
                        }
                    }
                }
            }
        }
        out
    }

    /// The picture as a PNG file.
    pub(super) fn png(&self) -> Vec<u8> {
        let stride = 1 + 3 * self.width as usize;
        let mut raw = Vec::with_capacity(stride * self.height as usize);
        for row in self.pixels().chunks(self.width as usize) {
            raw.push(0); // filter: none
            raw.extend(row.iter().flatten());
        }
        let mut zlib = vec![0x78, 0x01];
        zlib.extend(deflate(&raw, &[3, stride]));
        zlib.extend(adler32(&raw).to_be_bytes());
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = Vec::with_capacity(13);
        ihdr.extend(self.width.to_be_bytes());
        ihdr.extend(self.height.to_be_bytes());
        ihdr.extend([8, 2, 0, 0, 0]); // 8-bit RGB, no interlace
        chunk(&mut out, *b"IHDR", &ihdr);
        chunk(&mut out, *b"IDAT", &zlib);
        chunk(&mut out, *b"IEND", &[]);
        out
    }
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &x in data {
        a = (a + u32::from(x)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

fn chunk(out: &mut Vec<u8>, kind: [u8; 4], data: &[u8]) {
    out.extend(u32::try_from(data.len()).unwrap_or(u32::MAX).to_be_bytes());
    let start = out.len();
    out.extend(kind);
    out.extend(data);
    let crc = crc32(&out[start..]);
    out.extend(crc.to_be_bytes());
}

/// Bits, least significant first, as deflate packs them.
#[derive(Default)]
struct Bits {
    out: Vec<u8>,
    acc: u32,
    n: u32,
}

impl Bits {
    fn put(&mut self, value: u32, count: u32) {
        self.acc |= value << self.n;
        self.n += count;
        while self.n >= 8 {
            self.out.push((self.acc & 0xFF) as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    /// A Huffman code: most significant bit first.
    fn code(&mut self, code: u32, len: u32) {
        let reversed = code.reverse_bits() >> (32 - len);
        self.put(reversed, len);
    }

    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push((self.acc & 0xFF) as u8);
        }
        self.out
    }
}

const LEN_BASE: [u32; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LEN_EXTRA: [u32; 29] =
    [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE: [u32; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u32; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];

/// A literal/length symbol with the fixed code of RFC 1951 §3.2.6.
fn symbol(bits: &mut Bits, sym: u32) {
    match sym {
        0..=143 => bits.code(0x30 + sym, 8),
        144..=255 => bits.code(0x190 + sym - 144, 9),
        256..=279 => bits.code(sym - 256, 7),
        _ => bits.code(0xC0 + sym - 280, 8),
    }
}

/// One fixed-Huffman block. Matches are looked for only at the given distances (a pixel
/// back, a row back): enough for drawn pictures, and linear time.
fn deflate(data: &[u8], distances: &[usize]) -> Vec<u8> {
    let mut bits = Bits::default();
    bits.put(1, 1); // last block
    bits.put(1, 2); // fixed Huffman codes
    let mut i = 0;
    while i < data.len() {
        let mut best = (0usize, 0usize);
        for &d in distances.iter().filter(|&&d| d <= i && d <= 32_768) {
            let len = (0..258.min(data.len() - i))
                .take_while(|&k| data[i + k] == data[i + k - d])
                .count();
            if len > best.0 {
                best = (len, d);
            }
        }
        let (len, dist) = best;
        if len < 3 {
            symbol(&mut bits, u32::from(data[i]));
            i += 1;
            continue;
        }
        let len32 = u32::try_from(len).unwrap_or(258);
        let li = LEN_BASE.iter().rposition(|&b| b <= len32).unwrap_or(0);
        symbol(&mut bits, 257 + u32::try_from(li).unwrap_or(0));
        bits.put(len32 - LEN_BASE[li], LEN_EXTRA[li]);
        let dist32 = u32::try_from(dist).unwrap_or(1);
        let di = DIST_BASE.iter().rposition(|&b| b <= dist32).unwrap_or(0);
        bits.code(u32::try_from(di).unwrap_or(0), 5);
        bits.put(dist32 - DIST_BASE[di], DIST_EXTRA[di]);
        i += len;
    }
    symbol(&mut bits, 256); // end of block
    bits.finish()
}

#[cfg(test)]
mod tests {
    use super::{ALERT, BUILD, COVER, crc32};

    #[test]
    fn the_pictures_are_small_deterministic_pngs() {
        for p in [BUILD, COVER, ALERT] {
            let png = p.png();
            assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
            assert_eq!(png, p.png(), "the same bytes every time");
            assert!(png.len() < 8 * 1024, "{} bytes", png.len());
            assert!(png.len() > 300, "more than a blank: {} bytes", png.len());
            assert_eq!(&png[12..16], b"IHDR");
            assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), p.width);
        }
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
    }

    /// Three literals, a match of 9 at distance 3, two literals. The expected bytes
    /// inflate to the input with Python's `zlib.decompress(data, -15)`.
    #[test]
    fn deflate_matches_a_vector_checked_with_zlib() {
        assert_eq!(super::deflate(b"abcabcabcabcXX", &[3]), [75, 76, 74, 134, 163, 136, 8, 0]);
        // A far distance with extra bits: a row of 40 bytes repeated.
        let row: Vec<u8> = (0..40).collect();
        let data = [row.clone(), row].concat();
        let out = super::deflate(&data, &[40]);
        assert!(out.len() < 50, "the second row is one match: {} bytes", out.len());
    }
}
