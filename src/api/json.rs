//! Reading GitLab's answers from parsed JSON by hand.
//!
//! Why not serde's derives: each derived `Deserialize` (with its `Option`s,
//! defaults and visitors) is compiled again for every type, and they were about a
//! tenth of the console's wasm. Here a body is parsed once into a
//! `serde_json::Value` and each model reads its fields through the few
//! non-generic helpers below.
//!
//! The rules every model follows: unknown fields are ignored; a field that is
//! absent or `null` takes its default (`None`, `""`, `false`, `[]`); a field of the
//! wrong type is an error naming it; only ids are required.

use serde_json::{Map, Value};

/// A type read from a JSON value; the error says which field was wrong.
pub trait FromJson: Sized {
    fn from_json(v: &Value) -> Result<Self, String>;
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(v: &Value) -> Result<Self, String> {
        match v {
            Value::Array(items) => items.iter().map(T::from_json).collect(),
            _ => Err(format!("expected a list, found {}", kind(v))),
        }
    }
}

/// Any value, kept as it is (lists read only for their count).
impl FromJson for Value {
    fn from_json(v: &Value) -> Result<Self, String> {
        Ok(v.clone())
    }
}

/// What a value is, for error messages (never the value: it could be a token).
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// The fields of one JSON object.
pub struct Fields<'a>(&'a Map<String, Value>);

impl<'a> Fields<'a> {
    pub fn of(v: &'a Value) -> Result<Self, String> {
        match v {
            Value::Object(map) => Ok(Fields(map)),
            _ => Err(format!("expected an object, found {}", kind(v))),
        }
    }

    /// The field's value unless absent or `null`.
    fn get(&self, key: &str) -> Option<&'a Value> {
        self.0.get(key).filter(|v| !v.is_null())
    }

    fn wrong(key: &str, expected: &str, found: &Value) -> String {
        format!("field `{key}`: expected {expected}, found {}", kind(found))
    }

    /// A required whole number (ids).
    pub fn id(&self, key: &str) -> Result<u64, String> {
        self.opt_u64(key)?
            .ok_or_else(|| format!("missing field `{key}`"))
    }

    pub fn opt_u64(&self, key: &str) -> Result<Option<u64>, String> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_u64()
                .map(Some)
                .ok_or_else(|| Self::wrong(key, "a whole number", v)),
        }
    }

    pub fn opt_string(&self, key: &str) -> Result<Option<String>, String> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(v) => Err(Self::wrong(key, "a string", v)),
        }
    }

    /// A string that must be there (a token GitLab just issued).
    pub fn required_string(&self, key: &str) -> Result<String, String> {
        self.opt_string(key)?
            .ok_or_else(|| format!("missing field `{key}`"))
    }

    /// A string; `""` when absent or `null`.
    pub fn string(&self, key: &str) -> Result<String, String> {
        Ok(self.opt_string(key)?.unwrap_or_default())
    }

    pub fn opt_bool(&self, key: &str) -> Result<Option<bool>, String> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(v) => Err(Self::wrong(key, "true or false", v)),
        }
    }

    /// A boolean that must be there.
    pub fn required_bool(&self, key: &str) -> Result<bool, String> {
        self.opt_bool(key)?
            .ok_or_else(|| format!("missing field `{key}`"))
    }

    /// A boolean; `false` when absent or `null`.
    pub fn bool(&self, key: &str) -> Result<bool, String> {
        Ok(self.opt_bool(key)?.unwrap_or_default())
    }

    /// A number, or a numeric string (GitLab has sent floats both ways); anything
    /// else, `None`.
    pub fn lenient_f64(&self, key: &str) -> Option<f64> {
        match self.get(key)? {
            Value::Number(n) => n.as_f64(),
            // serde_json's own number parser: `str::parse::<f64>` would add a
            // second one to the wasm.
            Value::String(s) => serde_json::from_str::<f64>(s.trim()).ok(),
            _ => None,
        }
    }

    /// A nested object or list.
    pub fn opt<T: FromJson>(&self, key: &str) -> Result<Option<T>, String> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => T::from_json(v)
                .map(Some)
                .map_err(|e| format!("field `{key}`: {e}")),
        }
    }

    /// A list; empty when absent or `null`.
    pub fn list<T: FromJson>(&self, key: &str) -> Result<Vec<T>, String> {
        Ok(self.opt(key)?.unwrap_or_default())
    }
}

impl FromJson for String {
    fn from_json(v: &Value) -> Result<Self, String> {
        match v {
            Value::String(s) => Ok(s.clone()),
            _ => Err(format!("expected a string, found {}", kind(v))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn absent_and_null_take_defaults_and_wrong_types_name_the_field() {
        let v = json!({"id": 3, "name": null, "flag": true, "tags": ["a"], "x": {"unknown": 1}});
        let f = Fields::of(&v).unwrap();
        assert_eq!(f.id("id"), Ok(3));
        assert_eq!(f.string("name"), Ok(String::new()));
        assert_eq!(f.opt_string("absent"), Ok(None));
        assert_eq!(f.bool("flag"), Ok(true));
        assert_eq!(f.bool("absent"), Ok(false));
        assert_eq!(f.list::<String>("tags"), Ok(vec!["a".to_string()]));
        assert_eq!(f.list::<String>("absent"), Ok(vec![]));
        assert_eq!(f.id("absent"), Err("missing field `absent`".to_string()));
        assert_eq!(
            f.opt_string("flag"),
            Err("field `flag`: expected a string, found a boolean".to_string())
        );
        assert_eq!(
            f.id("name").unwrap_err(),
            "missing field `name`",
            "null counts as absent"
        );
        assert!(Fields::of(&json!([1])).is_err());
    }

    #[test]
    fn lenient_numbers_read_numbers_and_numeric_strings() {
        let v = json!({"a": 12.25, "b": "87.5", "c": "n/a", "d": true});
        let f = Fields::of(&v).unwrap();
        assert_eq!(f.lenient_f64("a"), Some(12.25));
        assert_eq!(f.lenient_f64("b"), Some(87.5));
        assert_eq!(f.lenient_f64("c"), None);
        assert_eq!(f.lenient_f64("d"), None);
        assert_eq!(f.lenient_f64("absent"), None);
    }
}
