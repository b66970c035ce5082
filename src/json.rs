//! JSON values: parsed from GitLab's answers and the browser's storage, written for
//! the browser's storage.
//!
//! Why not serde_json: its parser, error machinery and serde's visitors were, with
//! serde_urlencoded, 20 of the console's 237 KB gzip, for what it needs: one
//! value type read by hand (`api::json`). This module is that value type and a
//! small parser and writer. Objects keep their keys in the order sent (GitLab's
//! field errors are shown in its order); numbers keep the literal sent, so ids are
//! exact whatever their size. serde_json stays the oracle of the native tests.

use std::fmt::{self, Write};

#[derive(Clone, Debug, PartialEq, Default)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Value>),
    Object(Map),
}

/// A JSON number, as its literal.
#[derive(Clone, Debug, PartialEq)]
pub struct Number(String);

/// An object's entries in document order; for a repeated key the last one counts
/// (as in browsers' `JSON.parse`).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Map(Vec<(String, Value)>);

/// Why a text is not JSON (never quotes the text: it could hold a token).
#[derive(Clone, Debug, PartialEq)]
pub struct Error {
    what: &'static str,
    at: usize,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.what, self.at)
    }
}

impl Number {
    /// Whole numbers only (`12`, not `12.0`), as serde_json reads them.
    pub fn as_u64(&self) -> Option<u64> {
        self.whole().then(|| self.0.parse().ok()).flatten()
    }

    pub fn as_i64(&self) -> Option<i64> {
        self.whole().then(|| self.0.parse().ok()).flatten()
    }

    pub fn as_f64(&self) -> Option<f64> {
        literal_f64(&self.0)
    }

    fn whole(&self) -> bool {
        !self.0.contains(['.', 'e', 'E'])
    }

    /// `text` if it is a JSON number literal (a numeric string GitLab sent).
    pub fn from_literal(text: &str) -> Option<Number> {
        let mut p = Parser {
            s: text.as_bytes(),
            at: 0,
        };
        let n = p.number().ok()?;
        (p.at == text.len()).then_some(n)
    }
}

impl From<u64> for Number {
    fn from(n: u64) -> Self {
        Number(n.to_string())
    }
}

impl Map {
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<K: Into<String>> FromIterator<(K, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (K, Value)>>(iter: I) -> Self {
        Map(iter.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }
}

impl Value {
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n) => n.as_i64(),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => n.as_f64(),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The field `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object()?.get(key)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<u64> for Value {
    fn from(n: u64) -> Self {
        Value::Number(n.into())
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.into())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// An object from its entries, in this order.
pub fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Object(entries.into_iter().collect())
}

/// Parses one JSON text (surrounding whitespace allowed).
pub fn parse(text: &str) -> Result<Value, Error> {
    let mut p = Parser {
        s: text.as_bytes(),
        at: 0,
    };
    let v = p.value(0)?;
    p.space();
    match p.at == p.s.len() {
        true => Ok(v),
        false => p.fail("trailing characters"),
    }
}

/// Deeper than this is refused rather than risking the stack (serde_json's limit).
const MAX_DEPTH: usize = 128;

struct Parser<'a> {
    s: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn fail<T>(&self, what: &'static str) -> Result<T, Error> {
        let what = match self.at >= self.s.len() {
            true => "unexpected end",
            false => what,
        };
        Err(Error { what, at: self.at })
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.at).copied()
    }

    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, word: &[u8]) -> bool {
        let found = self.s[self.at..].starts_with(word);
        if found {
            self.at += word.len();
        }
        found
    }

    fn value(&mut self, depth: usize) -> Result<Value, Error> {
        if depth > MAX_DEPTH {
            return self.fail("nested too deeply");
        }
        self.space();
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(Value::String),
            Some(b'-' | b'0'..=b'9') => self.number().map(Value::Number),
            _ if self.eat(b"null") => Ok(Value::Null),
            _ if self.eat(b"true") => Ok(Value::Bool(true)),
            _ if self.eat(b"false") => Ok(Value::Bool(false)),
            None => self.fail("unexpected end"),
            _ => self.fail("expected a value"),
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, Error> {
        self.at += 1;
        let mut items = Vec::new();
        self.space();
        if self.eat(b"]") {
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.space();
            if self.eat(b"]") {
                return Ok(Value::Array(items));
            }
            if !self.eat(b",") {
                return self.fail("expected `,` or `]`");
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, Error> {
        self.at += 1;
        let mut entries = Vec::new();
        self.space();
        if self.eat(b"}") {
            return Ok(Value::Object(Map(entries)));
        }
        loop {
            self.space();
            if self.peek() != Some(b'"') {
                return self.fail("expected a key");
            }
            let key = self.string()?;
            self.space();
            if !self.eat(b":") {
                return self.fail("expected `:`");
            }
            entries.push((key, self.value(depth + 1)?));
            self.space();
            if self.eat(b"}") {
                return Ok(Value::Object(Map(entries)));
            }
            if !self.eat(b",") {
                return self.fail("expected `,` or `}`");
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Result<Number, Error> {
        let start = self.at;
        self.eat(b"-");
        let first = self.peek();
        let whole = self.digits();
        if whole == 0 || (first == Some(b'0') && whole > 1) {
            return self.fail("invalid number");
        }
        if self.eat(b".") && self.digits() == 0 {
            return self.fail("invalid number");
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return self.fail("invalid number");
            }
        }
        // Only ASCII digits and signs were consumed: a valid str slice.
        let literal = String::from_utf8_lossy(&self.s[start..self.at]).into_owned();
        Ok(Number(literal))
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let Some(digits) = self.s.get(self.at..self.at + 4) else {
            return self.fail("unexpected end");
        };
        let mut n = 0;
        for d in digits {
            let v = match d {
                b'0'..=b'9' => d - b'0',
                b'a'..=b'f' => d - b'a' + 10,
                b'A'..=b'F' => d - b'A' + 10,
                _ => return self.fail("invalid escape"),
            };
            n = n * 16 + v as u32;
        }
        self.at += 4;
        Ok(n)
    }

    fn string(&mut self) -> Result<String, Error> {
        self.at += 1;
        let mut out = Vec::new();
        loop {
            let Some(c) = self.peek() else {
                return self.fail("unterminated string");
            };
            self.at += 1;
            match c {
                b'"' => break,
                b'\\' => {
                    let Some(e) = self.peek() else {
                        return self.fail("unterminated string");
                    };
                    self.at += 1;
                    let simple = match e {
                        b'"' => b'"',
                        b'\\' => b'\\',
                        b'/' => b'/',
                        b'b' => 8,
                        b'f' => 12,
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'u' => 0,
                        _ => return self.fail("invalid escape"),
                    };
                    if e != b'u' {
                        out.push(simple);
                        continue;
                    }
                    let c = self.escaped_char()?;
                    let mut buf = [0; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                0..=0x1f => return self.fail("control character in string"),
                _ => out.push(c),
            }
        }
        // The input was a str and escapes were encoded as UTF-8: still valid.
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    /// The character of a `\u` escape (the `\u` read), joining a surrogate pair.
    fn escaped_char(&mut self) -> Result<char, Error> {
        let high = self.hex4()?;
        let code = match high {
            0xD800..=0xDBFF => {
                if !self.eat(b"\\u") {
                    return self.fail("lone surrogate");
                }
                let low = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return self.fail("lone surrogate");
                }
                0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            }
            0xDC00..=0xDFFF => return self.fail("lone surrogate"),
            c => c,
        };
        match char::from_u32(code) {
            Some(c) => Ok(c),
            None => self.fail("invalid escape"),
        }
    }
}

/// A number literal's value. Exact (correctly rounded) for up to 15 significant
/// digits and scales within ±22 (the exponent less the digits after the point), which covers what GitLab sends (durations,
/// coverage); beyond that within a few units in the last place. Not `str::parse`:
/// its tables would double the size of this module in the wasm.
fn literal_f64(literal: &str) -> Option<f64> {
    const POW10: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    let (negative, rest) = match literal.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, literal),
    };
    let (digits_part, exp_part) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let (int_part, frac_part) = digits_part.split_once('.').unwrap_or((digits_part, ""));
    let mut exp10: i64 = match exp_part {
        Some(e) => {
            let (sign, digits) = match e.strip_prefix('-') {
                Some(d) => (-1, d),
                None => (1, e.strip_prefix('+').unwrap_or(e)),
            };
            // Saturating: past ±100,000 every double is 0 or infinite anyway.
            let n = digits.bytes().try_fold(0i64, |n, d| {
                let d = d.checked_sub(b'0').filter(|d| *d < 10)?;
                Some((n * 10 + i64::from(d)).min(100_000))
            })?;
            sign * n
        }
        None => 0,
    };
    let mut mantissa: u64 = 0;
    let mut exact = true;
    for (i, d) in int_part.bytes().chain(frac_part.bytes()).enumerate() {
        let d = u64::from(d.checked_sub(b'0').filter(|d| *d < 10)?);
        let fraction = i >= int_part.len();
        // Once one digit is dropped, all after it are too (a later small one must
        // not slip in a place too far to the right).
        let appended = match exact {
            true => mantissa.checked_mul(10).and_then(|m| m.checked_add(d)),
            false => None,
        };
        match appended {
            Some(m) if m < (1 << 53) => {
                mantissa = m;
                if fraction {
                    exp10 -= 1;
                }
            }
            // More digits than a double holds: drop the rest, keep the scale.
            _ => {
                exact = false;
                if !fraction {
                    exp10 += 1;
                }
            }
        }
    }
    let m = mantissa as f64;
    let value = if mantissa == 0 {
        0.0
    } else if exact && (0..=22).contains(&exp10) {
        m * POW10[exp10 as usize]
    } else if exact && (-22..0).contains(&exp10) {
        m / POW10[(-exp10) as usize]
    } else if exp10 > 400 {
        f64::INFINITY
    } else if exp10 >= 0 {
        m * 10f64.powi(exp10 as i32)
    } else if exp10 > -300 {
        m / 10f64.powi((-exp10) as i32)
    } else if exp10 > -400 {
        // Two steps, so the divisor does not overflow before the value underflows.
        m / 1e300 / 10f64.powi((-exp10 - 300) as i32)
    } else {
        0.0
    };
    Some(if negative { -value } else { value })
}

/// Compact JSON.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => f.write_str(if *b { "true" } else { "false" }),
            Value::Number(n) => f.write_str(&n.0),
            Value::String(s) => write_string(f, s),
            Value::Array(items) => {
                f.write_char('[')?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_char(',')?;
                    }
                    item.fmt(f)?;
                }
                f.write_char(']')
            }
            Value::Object(map) => {
                f.write_char('{')?;
                for (i, (k, v)) in map.0.iter().enumerate() {
                    if i > 0 {
                        f.write_char(',')?;
                    }
                    write_string(f, k)?;
                    f.write_char(':')?;
                    v.fmt(f)?;
                }
                f.write_char('}')
            }
        }
    }
}

fn write_string(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_char('"')?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            c if (c as u32) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let n = c as usize;
                f.write_str("\\u00")?;
                f.write_char(HEX[n >> 4] as char)?;
                f.write_char(HEX[n & 15] as char)?;
            }
            c => f.write_char(c)?,
        }
    }
    f.write_char('"')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_kind_and_keeps_key_order() {
        let v = parse(r#" {"b": [1, -2.5e1, true, null], "a": "x\"\u00e9\ud83d\ude00", "c": {}} "#)
            .unwrap();
        let keys: Vec<&String> = v.as_object().unwrap().iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["b", "a", "c"]);
        let list = v.get("b").unwrap().as_array().unwrap();
        assert_eq!(list[0].as_u64(), Some(1));
        assert_eq!(list[1].as_f64(), Some(-25.0));
        assert_eq!(list[1].as_u64(), None, "not a whole number");
        assert_eq!(list[2], Value::Bool(true));
        assert!(list[3].is_null());
        assert_eq!(v.get("a").unwrap().as_str(), Some("x\"é😀"));
    }

    #[test]
    fn big_ids_stay_exact_and_the_last_repeated_key_counts() {
        let v = parse(r#"{"id": 18446744073709551615, "id2": 9007199254740993, "k": 1, "k": 2}"#)
            .unwrap();
        assert_eq!(v.get("id").unwrap().as_u64(), Some(u64::MAX));
        assert_eq!(v.get("id2").unwrap().as_u64(), Some(9_007_199_254_740_993));
        assert_eq!(v.get("k").unwrap().as_u64(), Some(2));
    }

    #[test]
    fn refuses_what_is_not_json() {
        for bad in [
            "",
            "{",
            "[1,]",
            "{\"a\" 1}",
            "01",
            "1.",
            "-",
            "1e",
            "\"\\x\"",
            "\"\\ud800\"",
            "\"a\nb\"",
            "nul",
            "1 2",
            "{'a': 1}",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} accepted");
        }
        let deep = "[".repeat(MAX_DEPTH + 2) + &"]".repeat(MAX_DEPTH + 2);
        assert!(parse(&deep).is_err(), "too deep");
    }

    #[test]
    fn floats_are_read_to_the_last_place_where_it_matters() {
        for (text, want) in [
            ("0.1", 0.1),
            ("12.345", 12.345),
            ("-0.5", -0.5),
            ("1e3", 1000.0),
            ("2.5E-3", 0.0025),
            ("123456789012.5", 123456789012.5),
            ("0", 0.0),
        ] {
            assert_eq!(literal_f64(text), Some(want), "{text}");
        }
        // Far out, within a few units in the last place.
        for (text, want) in [
            ("1.5e300", 1.5e300),
            ("-2.5e-300", -2.5e-300),
            ("123456789012345678901234", 1.2345678901234568e23),
            ("90071992547409950", 9.007199254740995e16),
        ] {
            let got = literal_f64(text).unwrap();
            assert!(((got - want) / want).abs() < 1e-14, "{text}: {got}");
        }
        assert_eq!(literal_f64("1e400"), Some(f64::INFINITY));
        assert_eq!(literal_f64("1e-400"), Some(0.0));
        assert_eq!(Number::from_literal(" 1"), None);
        assert_eq!(
            Number::from_literal("3.5").and_then(|n| n.as_f64()),
            Some(3.5)
        );
    }

    #[test]
    fn writes_what_it_parses_back() {
        let v = object([
            ("s", "quote \" backslash \\ line\n tab\t bell\u{7} é".into()),
            ("n", 42u64.into()),
            ("b", false.into()),
            ("none", Value::from(None::<String>)),
            ("list", Value::Array(vec![1u64.into(), "x".into()])),
        ]);
        let text = v.to_string();
        assert_eq!(
            text,
            r#"{"s":"quote \" backslash \\ line\n tab\t bell\u0007 é","n":42,"b":false,"none":null,"list":[1,"x"]}"#
        );
        assert_eq!(parse(&text).unwrap(), v);
    }
}
