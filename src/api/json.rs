//! Reading GitLab's answers from parsed JSON by hand.
//!
//! Why not serde's derives: each derived `Deserialize` (with its `Option`s,
//! defaults and visitors) is compiled again for every type, and they were about a
//! tenth of the console's wasm. Here a body is parsed once into a
//! `json::Value` (see `crate::json`) and each model reads its fields through the
//! few non-generic helpers below.
//!
//! The rules every model follows: unknown fields are ignored; a field that is
//! absent or `null` takes its default (`None`, `""`, `false`, `[]`); a field of the
//! wrong type is an error naming it; only ids are required.

use std::cell::RefCell;

use crate::json::{Map, Number, Value};

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

/// The fields of one JSON object. Readers give the field's value, or its default
/// and note the first problem, which `done` then returns. (Returning early with
/// `?` from every field made each decoder repeat the clean-up of all the fields
/// before it: most of their wasm.)
pub struct Fields<'a> {
    map: &'a Map,
    problem: RefCell<Option<String>>,
}

impl<'a> Fields<'a> {
    pub fn of(v: &'a Value) -> Result<Self, String> {
        match v {
            Value::Object(map) => Ok(Fields {
                map,
                problem: RefCell::new(None),
            }),
            _ => Err(format!("expected an object, found {}", kind(v))),
        }
    }

    /// `value` if every field read well, else the first problem.
    pub fn done<T>(&self, value: T) -> Result<T, String> {
        match self.problem.take() {
            None => Ok(value),
            Some(problem) => Err(problem),
        }
    }

    fn note(&self, problem: String) {
        let mut first = self.problem.borrow_mut();
        if first.is_none() {
            *first = Some(problem);
        }
    }

    /// The field's value unless absent or `null`.
    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    fn wrong(&self, key: &str, expected: &str, found: &Value) {
        self.note(format!(
            "field `{key}`: expected {expected}, found {}",
            kind(found)
        ));
    }

    fn missing(&self, key: &str) {
        self.note(format!("missing field `{key}`"));
    }

    /// A required whole number (ids).
    pub fn id(&self, key: &str) -> u64 {
        let id = self.opt_u64(key);
        if id.is_none() && self.get(key).is_none() {
            self.missing(key);
        }
        id.unwrap_or_default()
    }

    pub fn opt_u64(&self, key: &str) -> Option<u64> {
        let v = self.get(key)?;
        let n = v.as_u64();
        if n.is_none() {
            self.wrong(key, "a whole number", v);
        }
        n
    }

    pub fn opt_string(&self, key: &str) -> Option<String> {
        match self.get(key)? {
            Value::String(s) => Some(s.clone()),
            v => {
                self.wrong(key, "a string", v);
                None
            }
        }
    }

    /// A string that must be there (a token GitLab just issued).
    pub fn required_string(&self, key: &str) -> String {
        if self.get(key).is_none() {
            self.missing(key);
        }
        self.string(key)
    }

    /// A string; `""` when absent or `null`.
    pub fn string(&self, key: &str) -> String {
        self.opt_string(key).unwrap_or_default()
    }

    pub fn opt_bool(&self, key: &str) -> Option<bool> {
        match self.get(key)? {
            Value::Bool(b) => Some(*b),
            v => {
                self.wrong(key, "true or false", v);
                None
            }
        }
    }

    /// A boolean that must be there.
    pub fn required_bool(&self, key: &str) -> bool {
        if self.get(key).is_none() {
            self.missing(key);
        }
        self.bool(key)
    }

    /// A boolean; `false` when absent or `null`.
    pub fn bool(&self, key: &str) -> bool {
        self.opt_bool(key).unwrap_or_default()
    }

    /// A number, or a numeric string (GitLab has sent floats both ways); anything
    /// else, `None`.
    pub fn lenient_f64(&self, key: &str) -> Option<f64> {
        match self.get(key)? {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => Number::from_literal(s.trim())?.as_f64(),
            _ => None,
        }
        // Past f64's range: not a figure to show.
        .filter(|f| f.is_finite())
    }

    /// A nested object or list.
    pub fn opt<T: FromJson>(&self, key: &str) -> Option<T> {
        match T::from_json(self.get(key)?) {
            Ok(value) => Some(value),
            Err(e) => {
                self.note(format!("field `{key}`: {e}"));
                None
            }
        }
    }

    /// A list; empty when absent or `null`.
    pub fn list<T: FromJson>(&self, key: &str) -> Vec<T> {
        self.opt(key).unwrap_or_default()
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

    fn json(text: &str) -> Value {
        crate::json::parse(text).unwrap()
    }

    #[test]
    fn absent_and_null_take_defaults_and_wrong_types_name_the_field() {
        let v =
            json(r#"{"id": 3, "name": null, "flag": true, "tags": ["a"], "x": {"unknown": 1}}"#);
        let f = Fields::of(&v).unwrap();
        assert_eq!(f.id("id"), 3);
        assert_eq!(f.string("name"), "");
        assert_eq!(f.opt_string("absent"), None);
        assert!(f.bool("flag"));
        assert!(!f.bool("absent"));
        assert_eq!(f.list::<String>("tags"), vec!["a".to_string()]);
        assert_eq!(f.list::<String>("absent"), Vec::<String>::new());
        assert_eq!(f.done(()), Ok(()));

        let f = Fields::of(&v).unwrap();
        let _ = f.id("absent");
        let _ = f.opt_string("flag");
        assert_eq!(
            f.done(()),
            Err("missing field `absent`".to_string()),
            "the first problem"
        );

        let f = Fields::of(&v).unwrap();
        assert_eq!(f.opt_string("flag"), None);
        assert_eq!(
            f.done(()),
            Err("field `flag`: expected a string, found a boolean".to_string())
        );

        let f = Fields::of(&v).unwrap();
        let _ = f.id("name");
        assert_eq!(
            f.done(()),
            Err("missing field `name`".to_string()),
            "null counts as absent"
        );
        assert!(Fields::of(&json("[1]")).is_err());
    }

    #[test]
    fn lenient_numbers_read_numbers_and_numeric_strings() {
        let v = json(r#"{"a": 12.25, "b": "87.5", "c": "n/a", "d": true}"#);
        let f = Fields::of(&v).unwrap();
        assert_eq!(f.lenient_f64("a"), Some(12.25));
        assert_eq!(f.lenient_f64("b"), Some(87.5));
        assert_eq!(f.lenient_f64("c"), None);
        assert_eq!(f.lenient_f64("d"), None);
        assert_eq!(f.lenient_f64("absent"), None);
        let v = json(r#"{"big": 1e400, "text": "-1e999"}"#);
        let f = Fields::of(&v).unwrap();
        assert_eq!(f.lenient_f64("big"), None, "past f64's range");
        assert_eq!(f.lenient_f64("text"), None);
    }
}
