//! Query strings (`application/x-www-form-urlencoded`), as browsers' `URLSearchParams`
//! write and read them. Not serde_urlencoded: the console only needs string pairs,
//! and serde's machinery for them was several KB of wasm. The native tests hold it
//! to serde_urlencoded's output.

/// `k1=v1&k2=v2`, each part encoded.
pub fn encode_pairs<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        encode_into(&mut out, k.as_ref());
        out.push('=');
        encode_into(&mut out, v.as_ref());
    }
    out
}

/// Letters, digits and `*-._` stay; a space becomes `+`; every other byte `%XX`.
fn encode_into(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in s.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 15)] as char);
            }
        }
    }
}

/// The pairs of a query string (without its `?`), decoded; a part without `=` has
/// an empty value, empty parts are skipped, broken `%` escapes are kept as typed.
pub fn decode_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |at: usize| bytes.get(at).and_then(|c| (*c as char).to_digit(16));
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => match (hex(i + 1), hex(i + 2)) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_as_browsers_do_and_reads_it_back() {
        let pairs = [("tag list", "a,b&c=d"), ("q", "é/ü?#%+")];
        let text = encode_pairs(&pairs);
        assert_eq!(text, "tag+list=a%2Cb%26c%3Dd&q=%C3%A9%2F%C3%BC%3F%23%25%2B");
        let back = decode_pairs(&text);
        assert_eq!(back, pairs.map(|(k, v)| (k.to_string(), v.to_string())));
    }

    #[test]
    fn reads_loose_query_strings() {
        assert_eq!(
            decode_pairs("a&&b=1=2&c=%zz%4&d=%41"),
            [("a", ""), ("b", "1=2"), ("c", "%zz%4"), ("d", "A")]
                .map(|(k, v)| (k.to_string(), v.to_string()))
        );
        assert!(decode_pairs("").is_empty());
    }
}
