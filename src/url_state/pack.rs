//! Several documents (zone files, access traces) in one URL value, compactly. The default
//! internet's 16 zone files are ~11 KB of text: percent-encoded they make an 18 KB address,
//! packed about 5 KB, which chat apps and mail clients still pass along whole.
//!
//! Format, version `1`: the character `1`, then base64url without padding (RFC 4648 §5) of one
//! LZ4 block (the LZ4 block format, `lz4_Block_format.md` in the lz4 sources) whose content is
//! each document as its byte length (LEB128) followed by its UTF-8 bytes. LZ4 because its
//! decoder is twenty lines and its encoder not many more: no compression crate in the bundle.
//! Decoding checks every length and caps the output, so a truncated or hand-edited address gives
//! `None` (reported next to the key), never a panic or a runaway allocation.

/// Packs `docs` (any number, any text) into one URL-safe value.
pub fn pack<S: AsRef<str>>(docs: &[S]) -> String {
    let mut raw = Vec::new();
    for d in docs {
        let d = d.as_ref().as_bytes();
        put_varint(&mut raw, d.len());
        raw.extend_from_slice(d);
    }
    format!("1{}", base64url(&compress(&raw)))
}

/// The documents of a packed value, or `None` when it is not one, decodes to more than
/// `max_bytes` bytes or holds more than `max_docs` documents.
pub fn unpack(text: &str, max_docs: usize, max_bytes: usize) -> Option<Vec<String>> {
    let raw = decompress(&from_base64url(text.strip_prefix('1')?)?, max_bytes)?;
    let mut docs = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        let len = get_varint(&raw, &mut i)?;
        let end = i.checked_add(len)?;
        docs.push(String::from_utf8(raw.get(i..end)?.to_vec()).ok()?);
        if docs.len() > max_docs {
            return None;
        }
        i = end;
    }
    Some(docs)
}

fn put_varint(out: &mut Vec<u8>, mut v: usize) {
    while v >= 0x80 {
        out.push((v & 0x7f) as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(src: &[u8], i: &mut usize) -> Option<usize> {
    let mut v: usize = 0;
    for shift in (0..usize::BITS).step_by(7) {
        let b = *src.get(*i)?;
        *i += 1;
        v |= usize::from(b & 0x7f).checked_shl(shift)?;
        if b & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let v = chunk
            .iter()
            .enumerate()
            .fold(0u32, |v, (k, &b)| v | u32::from(b) << (16 - 8 * k));
        for k in 0..=chunk.len() {
            out.push(ALPHABET[(v >> (18 - 6 * k) & 63) as usize] as char);
        }
    }
    out
}

fn from_base64url(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    for chunk in text.as_bytes().chunks(4) {
        if chunk.len() == 1 {
            return None;
        }
        let mut v = 0u32;
        for (k, c) in chunk.iter().enumerate() {
            let d = ALPHABET.iter().position(|a| a == c)? as u32;
            v |= d << (18 - 6 * k);
        }
        for k in 0..chunk.len() - 1 {
            out.push((v >> (16 - 8 * k)) as u8);
        }
    }
    Some(out)
}

const MIN_MATCH: usize = 4;
const MAX_OFFSET: usize = 65_535;
/// LZ4's end-of-block rules: the last match starts at least 12 bytes before the end, and the
/// last 5 bytes are literals.
const MF_LIMIT: usize = 12;
const LAST_LITERALS: usize = 5;
const HASH_BITS: u32 = 12;
/// Candidates tried per position (a hash chain, as lz4's HC mode does, kept short).
const DEPTH: usize = 32;

/// An LZ4 block for `src`.
fn compress(src: &[u8]) -> Vec<u8> {
    let n = src.len();
    let mut out = Vec::with_capacity(n / 2 + 16);
    let hash = |i: usize| {
        let v = u32::from_le_bytes([src[i], src[i + 1], src[i + 2], src[i + 3]]);
        (v.wrapping_mul(2_654_435_761) >> (32 - HASH_BITS)) as usize
    };
    let mut head = vec![usize::MAX; 1 << HASH_BITS];
    let mut prev = vec![usize::MAX; n];
    let (mut anchor, mut i) = (0, 0);
    while i + MF_LIMIT <= n {
        let h = hash(i);
        let longest = n - LAST_LITERALS - i;
        let (mut best, mut offset) = (0, 0);
        let mut cand = head[h];
        for _ in 0..DEPTH {
            if cand == usize::MAX || i - cand > MAX_OFFSET {
                break;
            }
            let len = src[cand..]
                .iter()
                .zip(&src[i..i + longest])
                .take_while(|(a, b)| a == b)
                .count();
            if len > best {
                (best, offset) = (len, i - cand);
            }
            cand = prev[cand];
        }
        prev[i] = head[h];
        head[h] = i;
        if best < MIN_MATCH {
            i += 1;
            continue;
        }
        sequence(&mut out, &src[anchor..i], Some((offset, best)));
        let end = (i + best).min(n - MF_LIMIT + 1);
        for (j, p) in prev.iter_mut().enumerate().take(end).skip(i + 1) {
            let h = hash(j);
            *p = head[h];
            head[h] = j;
        }
        i += best;
        anchor = i;
    }
    sequence(&mut out, &src[anchor..], None);
    out
}

fn sequence(out: &mut Vec<u8>, literals: &[u8], found: Option<(usize, usize)>) {
    let ll = literals.len();
    let ml = found.map_or(0, |(_, len)| len - MIN_MATCH);
    out.push((ll.min(15) as u8) << 4 | ml.min(15) as u8);
    if ll >= 15 {
        put_length(out, ll - 15);
    }
    out.extend_from_slice(literals);
    if let Some((offset, _)) = found {
        out.extend_from_slice(&(offset as u16).to_le_bytes());
        if ml >= 15 {
            put_length(out, ml - 15);
        }
    }
}

fn put_length(out: &mut Vec<u8>, mut rest: usize) {
    while rest >= 255 {
        out.push(255);
        rest -= 255;
    }
    out.push(rest as u8);
}

fn get_length(src: &[u8], i: &mut usize) -> Option<usize> {
    let mut n: usize = 0;
    loop {
        let b = *src.get(*i)?;
        *i += 1;
        n = n.checked_add(usize::from(b))?;
        if b != 255 {
            return Some(n);
        }
    }
}

/// The content of an LZ4 block, or `None` if it is malformed or longer than `cap` bytes.
fn decompress(src: &[u8], cap: usize) -> Option<Vec<u8>> {
    let mut out: Vec<u8> = Vec::new();
    let mut i = 0;
    loop {
        let token = *src.get(i)?;
        i += 1;
        let mut ll = usize::from(token >> 4);
        if ll == 15 {
            ll += get_length(src, &mut i)?;
        }
        let literals = src.get(i..i.checked_add(ll)?)?;
        if out.len() + ll > cap {
            return None;
        }
        out.extend_from_slice(literals);
        i += ll;
        if i == src.len() {
            return Some(out);
        }
        let offset = usize::from(u16::from_le_bytes([*src.get(i)?, *src.get(i + 1)?]));
        i += 2;
        let mut ml = usize::from(token & 15);
        if ml == 15 {
            ml += get_length(src, &mut i)?;
        }
        ml += MIN_MATCH;
        if offset == 0 || offset > out.len() || out.len() + ml > cap {
            return None;
        }
        // Byte by byte: a match may overlap what it copies (offset 1 repeats one byte).
        let start = out.len() - offset;
        for k in start..start + ml {
            out.push(out[k]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(docs: &[&str]) -> String {
        let packed = pack(docs);
        assert!(packed
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        let back = unpack(&packed, docs.len(), 1 << 24).expect("unpacks");
        assert_eq!(back, docs);
        packed
    }

    #[test]
    fn documents_round_trip() {
        round_trip(&[]);
        round_trip(&[""]);
        round_trip(&["", "", "a"]);
        round_trip(&["x"; 5]);
        round_trip(&["été\tà\n\"quoted\" ; comment\r\n", &"ab".repeat(5000)]);
        let long: String = (0..3000)
            .map(|i| char::from(b'a' + (i * 7 % 26) as u8))
            .collect();
        round_trip(&[&long, &long[..1234], "tail"]);
    }

    #[test]
    fn the_default_internet_packs_small() {
        let zones: Vec<&str> = hopscope_sim::dns::internet::DEFAULT_ZONES
            .iter()
            .map(|(_, text)| *text)
            .collect();
        let total: usize = zones.iter().map(|z| z.len()).sum();
        let packed = round_trip(&zones);
        assert!(
            packed.len() * 2 < total,
            "{} characters packed for {total} of text",
            packed.len()
        );
    }

    #[test]
    fn reads_blocks_from_the_reference_lz4() {
        // `lz4.block.compress(b"abcabcabcabcabcabcabc-hello hello hello!", store_size=False)`
        // from the Python lz4 bindings (liblz4 1.9.4): an overlapping match, then a plain one.
        let block = [
            0x3e, 0x61, 0x62, 0x63, 0x03, 0x00, 0x73, 0x2d, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x20,
            0x06, 0x00, 0x50, 0x65, 0x6c, 0x6c, 0x6f, 0x21,
        ];
        let text = decompress(&block, 1000).expect("a valid block");
        assert_eq!(text, b"abcabcabcabcabcabcabc-hello hello hello!");
    }

    #[test]
    fn bad_values_are_refused_not_panicked_on() {
        let good = pack(&["some text, some text, some text, some more text"]);
        for bad in [
            "",
            "1",
            "2AAAA",
            "1A",
            "1!!!!",
            &good[..good.len() - 3],
            &format!("{good}A"),
        ] {
            assert_eq!(unpack(bad, 4, 1000), None, "{bad:?}");
        }
        assert_eq!(unpack(&good, 4, 10), None, "over the byte cap");
        assert_eq!(unpack(&pack(&["a", "b", "c"]), 2, 1000), None, "too many");
        // Every prefix and every single-byte change of a block is refused or decodes.
        let block = compress(&b"abcdefgh".repeat(20));
        for cut in 0..block.len() {
            let _ = decompress(&block[..cut], 1000);
        }
        for at in 0..block.len() {
            for b in [0u8, 1, 15, 16, 0xf0, 0xff] {
                let mut changed = block.clone();
                changed[at] = b;
                let _ = decompress(&changed, 1000);
            }
        }
    }
}
