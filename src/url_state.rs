//! The scenario in the URL: `#/lb?seed=1&backends=3&…&t=123456&step=4&speed=1`.
//!
//! Parsing and formatting are pure so they are tested natively. A bad value never panics and never
//! blanks the page: it becomes a [`ParamError`] (key, value, what is allowed) shown in a banner,
//! and that key falls back to its default. Parameter values go through the block's own specs, so
//! the URL accepts exactly what `hopscope run --set` and the form accept.

use crate::speed::Speed;
use hopscope_sim::{BlockSpec, ParamError, ParamKind, ParamSpec, Params, SimTime};
use std::cell::RefCell;

/// Keys of the query that are not block parameters.
pub const SEED: &str = "seed";
pub const TIME: &str = "t";
pub const STEP: &str = "step";
pub const SPEED: &str = "speed";
/// Compare mode: `compare=KEY:VALUE` (see `compare::choice`).
pub const COMPARE: &str = "compare";
const RESERVED: [&str; 5] = [SEED, TIME, STEP, SPEED, COMPARE];

/// The seed of a scenario opened without one.
pub const DEFAULT_SEED: u64 = 1;

/// What a query asked for, each part already checked on its own.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UrlState {
    /// Parameter overrides `(key, text)` whose text parsed against its spec, in URL order.
    pub params: Vec<(String, String)>,
    pub seed: Option<u64>,
    pub t: Option<SimTime>,
    pub step: Option<usize>,
    pub speed: Option<Speed>,
    /// The raw `compare` value, checked against the block by `compare::Compare::from_url`.
    pub compare: Option<String>,
    /// `embed=1` and the other flags of an `<iframe>` (see [`embed`]).
    pub embed: embed::EmbedFlags,
}

/// Parses a query string (with or without the leading `?`) against a block's parameter specs.
/// Every problem is reported; the parts that were fine are kept.
pub fn parse_query(query: &str, specs: &[ParamSpec]) -> (UrlState, Vec<ParamError>) {
    let mut state = UrlState::default();
    let mut errors = Vec::new();
    let query = query.strip_prefix('?').unwrap_or(query);
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (raw_key, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = match percent_decode(raw_key) {
            Some(k) => k,
            None => {
                errors.push(ParamError::new(
                    raw_key,
                    raw_value,
                    "a key without broken %-escapes",
                ));
                continue;
            }
        };
        let Some(value) = percent_decode(raw_value) else {
            errors.push(ParamError::new(
                key,
                raw_value,
                "a value without broken %-escapes",
            ));
            continue;
        };
        if let Some(spec) = packed_spec(specs, &key) {
            match unpack_documents(spec, &value) {
                Ok(docs) => state
                    .params
                    .extend(docs.into_iter().map(|d| (spec.key.to_string(), d))),
                Err(e) => errors.push(e),
            }
            continue;
        }
        let result = match key.as_str() {
            SEED => parse_u64(&value)
                .map(|v| state.seed = Some(v))
                .ok_or("an integer from 0 to 18446744073709551615"),
            TIME => parse_u64(&value)
                .map(|v| state.t = Some(SimTime(v)))
                .ok_or("a time in microseconds: an integer from 0"),
            STEP => parse_u64(&value)
                .and_then(|v| usize::try_from(v).ok())
                .map(|v| state.step = Some(v))
                .ok_or("a step index: an integer from 0"),
            SPEED => Speed::parse(&value)
                .map(|v| state.speed = Some(v))
                .ok_or(Speed::ALLOWED),
            COMPARE => {
                state.compare = Some(value.clone());
                Ok(())
            }
            k if embed::EmbedFlags::is_key(k) => state.embed.set(k, &value),
            _ => match specs.iter().find(|s| s.key == key) {
                Some(spec) => match crate::engine::checks::parse_value(spec, &value) {
                    Ok(_) => {
                        // Documents add up (`zone=a&zone=b`); for any other key the last wins.
                        if !is_documents(spec) {
                            state.params.retain(|(k, _)| *k != key);
                        }
                        state.params.push((key.clone(), value.clone()));
                        Ok(())
                    }
                    Err(e) => {
                        errors.push(e);
                        continue;
                    }
                },
                None => {
                    let known: Vec<&str> = RESERVED
                        .iter()
                        .copied()
                        .chain(embed::KEYS)
                        .chain(specs.iter().map(|s| s.key))
                        .collect();
                    errors.push(ParamError::new(
                        key,
                        value,
                        format!("a known key, one of: {}", known.join(", ")),
                    ));
                    continue;
                }
            },
        };
        if let Err(allowed) = result {
            errors.push(ParamError::new(key, value, allowed));
        }
    }
    (state, bounded(errors))
}

/// At most this many problems of one address are listed; a last one counts the rest.
pub const MAX_LISTED: usize = 10;
/// Keys and values are quoted up to this many characters.
const QUOTE_CHARS: usize = 80;

/// A mangled or hostile address can hold thousands of problems and megabyte-long keys: list the
/// first few, each quoted briefly, and say how many more there are (the banner must stay a
/// banner).
fn bounded(mut errors: Vec<ParamError>) -> Vec<ParamError> {
    let quote = |s: &mut String| {
        if let Some((cut, _)) = s.char_indices().nth(QUOTE_CHARS) {
            s.truncate(cut);
            s.push('…');
        }
    };
    if errors.len() > MAX_LISTED {
        let more = errors.len() - (MAX_LISTED - 1);
        errors.truncate(MAX_LISTED - 1);
        errors.push(ParamError::new(
            "…",
            format!("{more} more"),
            format!("fewer problems in one link; {more} more are not listed"),
        ));
    }
    for e in &mut errors {
        quote(&mut e.key);
        quote(&mut e.value);
    }
    errors
}

/// Turns checked overrides into a complete, valid parameter set for `block`. Rules across
/// fields (`Block::check`) can still fail; then the override of the key the error names falls
/// back to its default. When that key was not overridden (e.g. `backends=4` without `weights`),
/// the override whose removal satisfies the rule goes (or else the last one), until the set is
/// valid, and the error names that override — the value the person gave and the page dropped —
/// with the default it did not fit. Every rule broken on the way is reported once.
pub fn resolve_params(
    block: &dyn BlockSpec,
    overrides: &[(String, String)],
) -> (Params, Vec<ParamError>) {
    let mut overrides = overrides.to_vec();
    let mut errors: Vec<ParamError> = Vec::new();
    let checked = |overrides: &[(String, String)]| -> Result<Params, (Params, ParamError)> {
        // Each override was checked on its own already, so only a block with invalid defaults
        // could fail here; the engine's registry test rules that out.
        let params = crate::engine::checks::parse_params(block.params(), overrides, false)
            .unwrap_or_else(|_| crate::engine::checks::defaults(block.params()));
        match crate::engine::checks::check_params(block.id(), params.to_pairs()) {
            Ok(()) => Ok(params),
            Err(e) => Err((params, e)),
        }
    };
    loop {
        match checked(&overrides) {
            Ok(params) => return (params, errors),
            Err((params, e)) => {
                let named = overrides.iter().position(|(k, _)| *k == e.key);
                if (named.is_some() || overrides.is_empty()) && !errors.contains(&e) {
                    errors.push(e.clone());
                }
                if overrides.is_empty() {
                    return (params, errors);
                }
                let culprit = named
                    .or_else(|| {
                        (0..overrides.len()).rev().find(|&i| {
                            let mut fewer = overrides.clone();
                            fewer.remove(i);
                            checked(&fewer).is_ok()
                        })
                    })
                    .unwrap_or(overrides.len() - 1);
                let (gone, value) = overrides.remove(culprit);
                if named.is_none() {
                    // The rule names a key at its default: what goes is another override.
                    let default: String = e.value.chars().take(QUOTE_CHARS).collect();
                    let cut = if default.len() < e.value.len() {
                        "…"
                    } else {
                        ""
                    };
                    let dropped = ParamError::new(
                        &gone,
                        &value,
                        format!(
                            "a value that fits the default {}={default}{cut} (with {gone}={value}, {} must be {})",
                            e.key, e.key, e.allowed
                        ),
                    );
                    if !errors.contains(&dropped) {
                        errors.push(dropped);
                    }
                }
                // A key's documents (the zone files of one internet) stand or fall together.
                if block
                    .params()
                    .iter()
                    .any(|s| s.key == gone && is_documents(s))
                {
                    overrides.retain(|(k, _)| *k != gone);
                }
            }
        }
    }
}

/// The query part of a URL for a scenario and cursor: the seed, then every parameter in the
/// order the block declares them (canonical text), then the cursor.
pub fn format_query(
    specs: &[ParamSpec],
    params: &Params,
    seed: u64,
    t: SimTime,
    step: Option<usize>,
    speed: Speed,
) -> String {
    let mut out = format_scenario_query(specs, params, seed);
    out.push_str(&format_cursor_query(t, step, speed));
    out
}

/// The scenario's part of [`format_query`]: the seed and the parameters. It changes only when
/// the scenario does, so the page keeps it between frames and appends the cursor's part.
pub fn format_scenario_query(specs: &[ParamSpec], params: &Params, seed: u64) -> String {
    let pairs = params.to_pairs();
    let mut out = format!("{SEED}={seed}");
    for spec in specs {
        if is_documents(spec) {
            let docs: Vec<&str> = pairs
                .iter()
                .filter(|(k, _)| k == spec.key)
                .map(|(_, v)| v.as_str())
                .collect();
            out.push_str(&documents_query(spec.key, &docs));
            continue;
        }
        if let Some((_, v)) = pairs.iter().find(|(k, _)| k == spec.key) {
            out.push('&');
            out.push_str(&percent_encode(spec.key));
            out.push('=');
            out.push_str(&percent_encode(v));
        }
    }
    out
}

/// The cursor's part of [`format_query`] (`&t=…&step=…&speed=…`), which changes every frame.
pub fn format_cursor_query(t: SimTime, step: Option<usize>, speed: Speed) -> String {
    let mut out = format!("&{TIME}={}", t.0);
    if let Some(step) = step {
        out.push_str(&format!("&{STEP}={step}"));
    }
    out.push_str(&format!("&{SPEED}={speed}"));
    out
}

/// Marks a key whose value packs all its documents (`zone~=1…`, see [`pack`]).
pub const PACKED: &str = "~";
/// Documents whose plain form is longer than this are packed when that is shorter.
const PACK_ABOVE: usize = 400;

fn is_documents(spec: &ParamSpec) -> bool {
    matches!(spec.kind, ParamKind::Documents { .. })
}

/// `&key=doc` per document, or one `&key~=…` when the documents are long and packing shortens
/// them. The page formats its address on every frame, so the last answer is kept: packing the
/// default internet's zones takes a millisecond or two in the browser.
fn documents_query(key: &str, docs: &[&str]) -> String {
    thread_local! {
        static LAST: RefCell<Option<(String, Vec<String>, String)>> = const { RefCell::new(None) };
    }
    let hit = LAST.with_borrow(|last| {
        last.as_ref()
            .filter(|(k, d, _)| k == key && d == docs)
            .map(|(_, _, q)| q.clone())
    });
    if let Some(query) = hit {
        return query;
    }
    let key_text = percent_encode(key);
    let plain: String = docs
        .iter()
        .map(|d| format!("&{key_text}={}", percent_encode(d)))
        .collect();
    let query = match plain.len() > PACK_ABOVE {
        true => Some(format!("&{key_text}{PACKED}={}", pack::pack(docs)))
            .filter(|packed| packed.len() < plain.len())
            .unwrap_or(plain),
        false => plain,
    };
    let docs = docs.iter().map(|d| d.to_string()).collect();
    LAST.set(Some((key.to_string(), docs, query.clone())));
    query
}

/// The documents spec a packed key (`zone~`) stands for.
fn packed_spec<'a>(specs: &'a [ParamSpec], key: &str) -> Option<&'a ParamSpec> {
    let key = key.strip_suffix(PACKED)?;
    specs.iter().find(|s| s.key == key && is_documents(s))
}

fn unpack_documents(spec: &ParamSpec, value: &str) -> Result<Vec<String>, ParamError> {
    let ParamKind::Documents { max_docs, max_len } = spec.kind else {
        return Ok(Vec::new());
    };
    // UTF-8 takes up to 4 bytes a character; no address needs more than 16 MiB unpacked.
    let cap = max_docs
        .saturating_mul(max_len)
        .saturating_mul(4)
        .min(16 << 20);
    let docs = pack::unpack(value, max_docs, cap).ok_or_else(|| {
        ParamError::new(
            spec.key,
            value,
            format!(
                "documents packed by Hopscope ({}): this one does not unpack, perhaps the link was cut short",
                spec.kind.allowed()
            ),
        )
    })?;
    for doc in &docs {
        crate::engine::checks::parse_value(spec, doc)?;
    }
    Ok(docs)
}

/// The whole hash of a playground URL, e.g. `#/lb?seed=1&…`.
pub fn format_hash(block: &str, query: &str) -> String {
    format!("#/{block}?{query}")
}

fn parse_u64(text: &str) -> Option<u64> {
    let t = text.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

/// Keeps RFC 3986 unreserved characters and `,` (lists read well in the address bar).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b',') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `None` for a broken escape or bytes that are not UTF-8. `+` stays `+` (numbers like `1e+3`).
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

pub mod embed;
pub mod pack;

#[cfg(test)]
mod tests;
