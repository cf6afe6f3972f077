//! A message from the embedding page as a JSON value, read from the JavaScript object itself
//! rather than parsed from text: the page's bundle carries no JSON parser. The value is exactly
//! the one `JSON.stringify` + serde_json would give (numbers keep the kind serde_json gives their
//! text), so `embed::protocol` reads messages as it always did.

use serde_json::{Number, Value};
use wasm_bindgen::{JsCast, JsValue};

/// Nesting deeper than this is refused, as serde_json refuses it.
const MAX_DEPTH: usize = 128;

/// `data` as JSON: what `JSON.stringify` keeps of it (no functions, `undefined` or symbols;
/// `toJSON` applied; NaN and infinities as null), or `None` if it cannot be written as JSON (a
/// cycle, a BigInt) or nests too deeply.
pub fn json_of(data: &JsValue) -> Option<Value> {
    let text = js_sys::JSON::stringify(data).ok()?;
    let plain = js_sys::JSON::parse(&String::from(text)).ok()?;
    walk(&plain, 0)
}

/// A tree of what `JSON.parse` makes: null, booleans, numbers, strings, arrays, plain objects.
fn walk(v: &JsValue, depth: usize) -> Option<Value> {
    if depth > MAX_DEPTH {
        return None;
    }
    if v.is_null() {
        return Some(Value::Null);
    }
    if let Some(b) = v.as_bool() {
        return Some(Value::Bool(b));
    }
    if let Some(f) = v.as_f64() {
        return Some(number(f));
    }
    if let Some(s) = v.as_string() {
        return Some(Value::String(s));
    }
    if js_sys::Array::is_array(v) {
        let array: &js_sys::Array = v.unchecked_ref();
        return array.iter().map(|item| walk(&item, depth + 1)).collect();
    }
    let object: &js_sys::Object = v.dyn_ref()?;
    js_sys::Object::entries(object)
        .iter()
        .map(|entry| {
            let pair: js_sys::Array = entry.unchecked_into();
            let key = pair.get(0).as_string()?;
            Some((key, walk(&pair.get(1), depth + 1)?))
        })
        .collect::<Option<serde_json::Map<String, Value>>>()
        .map(Value::Object)
}

/// A finite JavaScript number as the value serde_json reads from its `JSON.stringify` text:
/// an integer written without a fraction or exponent (below 1e21) is a `u64` or an `i64` when
/// it fits, with the digits JavaScript writes (shortest round trip, then zeros: Rust's `{}` for
/// an integral f64 writes the same); anything else is the float itself, which serde_json's
/// exact parsing of the shortest text gives back.
pub fn number(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 1e21 {
        let text = format!("{f}");
        if let Ok(u) = text.parse::<u64>() {
            return Value::from(u);
        }
        if let Ok(i) = text.parse::<i64>() {
            return Value::from(i);
        }
    }
    Number::from_f64(f).map_or(Value::Null, Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What serde_json reads from the text JavaScript writes for the same number.
    fn check(f: f64, js_text: &str) {
        let want: Value = serde_json::from_str(js_text).unwrap();
        let got = number(f);
        assert_eq!(got, want, "{f} ({js_text})");
        assert_eq!(got.is_u64(), want.is_u64(), "{f}: kind");
        assert_eq!(got.is_i64(), want.is_i64(), "{f}: kind");
    }

    #[test]
    fn numbers_read_as_serde_json_reads_their_javascript_text() {
        check(3.0, "3");
        check(0.0, "0");
        check(-0.0, "0"); // JSON.stringify(-0) is "0"
        check(-7.0, "-7");
        check(0.1, "0.1");
        check(2.5e-7, "2.5e-7");
        check(1e20, "100000000000000000000"); // a float: over u64::MAX
        check(1e21, "1e+21");
        check(-1e21, "-1e+21");
        // 2^53 + 1 is not a double.
        check(9007199254740993.0, "9007199254740992");
        // A seed past 2^53: JavaScript writes 17 significant digits and zeros, serde_json reads
        // that u64 (not the double's exact value, 12345678901234567168).
        check(12345678901234567168.0, "12345678901234567000");
        check(-9223372036854775808.0, "-9223372036854776000");
        check(18446744073709551616.0, "18446744073709552000"); // 2^64: a float
        check(1.7976931348623157e308, "1.7976931348623157e+308");
    }
}
