//! Request parameters the way Grape sees them: query and body (form, multipart or
//! JSON) merged into one map, Rack's `a[]` and `a[b]` keys nested, then coerced and
//! validated per endpoint with Grape's messages.

use serde_json::{Map, Value};

use crate::error::ApiError;

#[derive(Clone, Debug, Default)]
pub struct Params(Map<String, Value>);

impl Params {
    pub fn add_urlencoded(&mut self, raw: &[u8]) {
        for (key, value) in form_urlencoded::parse(raw) {
            self.insert_pair(&key, Value::String(value.into_owned()));
        }
    }

    /// A JSON body: its top-level keys become parameters.
    pub fn add_json(&mut self, raw: &[u8]) -> Result<(), ApiError> {
        if raw.iter().all(u8::is_ascii_whitespace) {
            return Ok(());
        }
        match serde_json::from_slice::<Value>(raw) {
            Ok(Value::Object(map)) => {
                self.0.extend(map);
                Ok(())
            }
            _ => Err(ApiError::invalid(
                "message body does not match declared format",
            )),
        }
    }

    /// Rack nesting: `tag_list[]=a` appends, `info[name]=x` fills a hash.
    pub fn insert_pair(&mut self, key: &str, value: Value) {
        if let Some(base) = key.strip_suffix("[]") {
            let slot = self
                .0
                .entry(base.to_string())
                .or_insert_with(|| Value::Array(vec![]));
            match slot {
                Value::Array(items) => items.push(value),
                other => *other = Value::Array(vec![value]),
            }
        } else if let Some((base, sub)) = key
            .split_once('[')
            .and_then(|(b, rest)| rest.strip_suffix(']').map(|s| (b, s)))
        {
            let slot = self
                .0
                .entry(base.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(map) = slot {
                map.insert(sub.to_string(), value);
            }
        } else {
            self.0.insert(key.to_string(), value);
        }
    }

    pub fn has(&self, key: &str) -> bool {
        self.0.contains_key(key)
    }

    pub fn raw(&self, key: &str) -> Option<&Value> {
        self.0.get(key)
    }

    pub fn check(&self) -> Check<'_> {
        Check {
            params: self,
            errors: vec![],
        }
    }
}

/// Collects Grape's validation messages; `finish` answers 400 with all of them.
pub struct Check<'a> {
    params: &'a Params,
    errors: Vec<String>,
}

const TRUE: [&str; 6] = ["1", "on", "t", "true", "y", "yes"];
const FALSE: [&str; 6] = ["0", "off", "f", "false", "n", "no"];

impl Check<'_> {
    fn fail(&mut self, key: &str, message: &str) {
        self.errors.push(format!("{key} {message}"));
    }

    /// A value that failed a `regexp:` or custom check.
    pub fn invalid(&mut self, key: &str) {
        self.fail(key, "is invalid");
    }

    pub fn require(&mut self, key: &str) {
        if !self.params.has(key) {
            self.fail(key, "is missing");
        }
    }

    pub fn string(&mut self, key: &str) -> Option<String> {
        match self.params.raw(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Null => None,
            _ => {
                self.fail(key, "is invalid");
                None
            }
        }
    }

    pub fn boolean(&mut self, key: &str) -> Option<bool> {
        let parsed = match self.params.raw(key)? {
            Value::Bool(b) => Some(*b),
            Value::Null => return None,
            Value::String(s) => {
                let s = s.to_ascii_lowercase();
                if TRUE.contains(&s.as_str()) {
                    Some(true)
                } else if FALSE.contains(&s.as_str()) {
                    Some(false)
                } else {
                    None
                }
            }
            Value::Number(n) => match n.as_i64() {
                Some(1) => Some(true),
                Some(0) => Some(false),
                _ => None,
            },
            _ => None,
        };
        if parsed.is_none() {
            self.fail(key, "is invalid");
        }
        parsed
    }

    /// An integer; an empty string is `nil`, as Grape coerces it.
    pub fn integer(&mut self, key: &str) -> Option<Option<i64>> {
        let parsed = match self.params.raw(key)? {
            Value::Number(n) => n.as_i64().map(Some),
            Value::Null => Some(None),
            Value::String(s) if s.is_empty() => Some(None),
            Value::String(s) => s.parse::<i64>().ok().map(Some),
            _ => None,
        };
        if parsed.is_none() {
            self.fail(key, "is invalid");
        }
        parsed
    }

    /// A route segment declared `type: Integer`.
    pub fn path_integer(&mut self, key: &str, raw: &str) -> Option<u64> {
        let parsed = raw.parse::<u64>().ok();
        if parsed.is_none() {
            self.fail(key, "is invalid");
        }
        parsed
    }

    /// `Array[String]` with `CommaSeparatedToArray`: `a,b`, `["a","b"]` or `a[]=..`.
    pub fn string_list(&mut self, key: &str) -> Option<Vec<String>> {
        let split =
            |s: &str| -> Vec<String> { s.split(',').map(|t| t.trim().to_string()).collect() };
        match self.params.raw(key)? {
            Value::String(s) => Some(split(s)),
            Value::Null => Some(vec![]),
            Value::Array(items) => {
                let mut out = vec![];
                for item in items {
                    match item {
                        Value::String(s) => out.extend(split(s)),
                        Value::Number(n) => out.push(n.to_string()),
                        _ => {
                            self.fail(key, "is invalid");
                            return None;
                        }
                    }
                }
                Some(out)
            }
            _ => {
                self.fail(key, "is invalid");
                None
            }
        }
    }

    /// `requires :key, values: [...]`: a missing value fails both checks, as Grape
    /// reports it (`runner_type is missing, runner_type does not have a valid value`).
    pub fn required_one_of(&mut self, key: &str, values: &[&str]) -> Option<String> {
        if !self.params.has(key) {
            self.fail(key, "is missing");
            self.fail(key, "does not have a valid value");
            return None;
        }
        self.one_of(key, values)
    }

    /// A string limited to `values`.
    pub fn one_of(&mut self, key: &str, values: &[&str]) -> Option<String> {
        let value = self.string(key)?;
        if values.contains(&value.as_str()) {
            Some(value)
        } else {
            self.fail(key, "does not have a valid value");
            None
        }
    }

    pub fn hash(&mut self, key: &str) -> Option<Map<String, Value>> {
        match self.params.raw(key)? {
            Value::Object(map) => Some(map.clone()),
            Value::Null => None,
            _ => {
                self.fail(key, "is invalid");
                None
            }
        }
    }

    pub fn mutually_exclusive(&mut self, a: &str, b: &str) {
        if self.params.has(a) && self.params.has(b) {
            self.errors.push(format!("{a}, {b} are mutually exclusive"));
        }
    }

    pub fn at_least_one_of(&mut self, keys: &[&str], listed: &[&str]) {
        if !keys.iter().any(|k| self.params.has(k)) {
            self.errors.push(format!(
                "{} are missing, at least one parameter must be provided",
                listed.join(", ")
            ));
        }
    }

    /// `page`/`per_page`: per_page above 100 is served as 100.
    pub fn pagination(&mut self) -> (u64, u64) {
        let page = self.integer("page").flatten().unwrap_or(1).max(1) as u64;
        let per_page = match self.integer("per_page").flatten() {
            Some(n) if n >= 1 => n.min(100) as u64,
            _ => 20,
        };
        (page, per_page)
    }

    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::invalid(self.errors.join(", ")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rack_keys_nest() {
        let mut p = Params::default();
        p.add_urlencoded(b"tag_list[]=a&tag_list[]=b&info[name]=x&description=d");
        let mut c = p.check();
        assert_eq!(
            c.string_list("tag_list"),
            Some(vec!["a".into(), "b".into()])
        );
        assert_eq!(c.hash("info").unwrap()["name"], "x");
        assert_eq!(c.string("description").as_deref(), Some("d"));
        c.finish().unwrap();
    }

    #[test]
    fn grape_booleans_and_errors() {
        let mut p = Params::default();
        p.add_urlencoded(b"paused=yes&locked=maybe&maximum_timeout=12x");
        let mut c = p.check();
        assert_eq!(c.boolean("paused"), Some(true));
        assert_eq!(c.boolean("locked"), None);
        assert_eq!(c.integer("maximum_timeout"), None);
        let err = c.finish().unwrap_err();
        assert_eq!(
            err.body["error"],
            "locked is invalid, maximum_timeout is invalid"
        );
    }
}
