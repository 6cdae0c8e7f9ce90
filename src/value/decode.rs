//! Decoding JSON text within a budget of memory (see [`bounded`] and [`super::elide`]).

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::elide::{Digested, ENTRY, NODE, decoded_size, elided};

/// Decodes JSON text into a value that takes at most about `budget` bytes once decoded (see
/// [`decoded_size`]): whatever would pass the budget, the innermost array, object or string
/// being read when it ran out, is read through and kept as a note (see [`super::elide`]); what
/// it held is given back to the budget. Text that is not JSON is an error, as for
/// `serde_json::from_str`.
pub fn bounded(text: &str, budget: usize) -> Result<Value, serde_json::Error> {
    let budget = Budget {
        left: Cell::new(budget),
    };
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let decoded = Bounded { budget: &budget }.deserialize(&mut deserializer)?;
    deserializer.end()?;
    // The top level is kept whatever it cost: a note is small.
    Ok(decoded.value)
}

/// The budget of one [`decode`], in bytes.
struct Budget {
    left: Cell<usize>,
}

impl Budget {
    /// Takes `n` bytes if there are that many left.
    fn take(&self, n: usize) -> bool {
        let left = self.left.get();
        if n <= left {
            self.left.set(left - n);
            true
        } else {
            false
        }
    }

    fn give(&self, n: usize) {
        self.left.set(self.left.get().saturating_add(n));
    }
}

/// A value read within the budget: what was charged for it, and whether it could be paid (an
/// unpaid value is a note or a scalar that its container must give up for).
struct Decoded {
    value: Value,
    cost: usize,
    paid: bool,
}

impl Decoded {
    /// A value of `cost` bytes, charged if the budget has them.
    fn charged(value: Value, cost: usize, budget: &Budget) -> Decoded {
        let paid = budget.take(cost);
        Decoded {
            value,
            cost: if paid { cost } else { 0 },
            paid,
        }
    }
}

/// The seed that decodes one value within the budget.
struct Bounded<'b> {
    budget: &'b Budget,
}

impl<'de> DeserializeSeed<'de> for Bounded<'_> {
    type Value = Decoded;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Decoded, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Bounded<'_> {
    type Value = Decoded;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Decoded, E> {
        Ok(Decoded::charged(Value::Bool(v), NODE, self.budget))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Decoded, E> {
        Ok(Decoded::charged(Value::from(v), NODE, self.budget))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Decoded, E> {
        Ok(Decoded::charged(Value::from(v), NODE, self.budget))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Decoded, E> {
        Ok(Decoded::charged(Value::from(v), NODE, self.budget))
    }

    fn visit_unit<E>(self) -> Result<Decoded, E> {
        Ok(Decoded::charged(Value::Null, NODE, self.budget))
    }

    fn visit_str<E>(self, v: &str) -> Result<Decoded, E> {
        let cost = NODE + v.len();
        if self.budget.take(cost) {
            return Ok(Decoded {
                value: Value::String(v.to_string()),
                cost,
                paid: true,
            });
        }
        let note = elided("string", v.len(), &crate::value::sha256_hex(v.as_bytes()));
        let cost = decoded_size(&note);
        Ok(Decoded::charged(note, cost, self.budget))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Decoded, A::Error> {
        let budget = self.budget;
        let mut items: Vec<Value> = Vec::new();
        // The array's own place, its spare capacity, and what its items were charged.
        let mut charged = 0;
        let mut over = None;
        if budget.take(NODE) {
            charged = NODE;
            while let Some(item) = seq.next_element_seed(Bounded { budget })? {
                let grow = if items.len() == items.capacity() {
                    items.capacity().max(4) * NODE
                } else {
                    0
                };
                if item.paid && budget.take(grow) {
                    charged += item.cost + grow;
                    items.reserve(1);
                    items.push(item.value);
                } else {
                    // Give up this array: what it kept goes back to the budget, and the rest
                    // of it is only digested.
                    budget.give(charged + item.cost);
                    let mut digest = Digested::default();
                    digest.put_seq(&items);
                    digest.put_item(&item.value, !items.is_empty());
                    over = Some(digest);
                    break;
                }
            }
        } else {
            let mut digest = Digested::default();
            digest.put_seq(&[]);
            over = Some(digest);
        }
        match over {
            None => Ok(Decoded {
                value: Value::Array(items),
                cost: charged,
                paid: true,
            }),
            Some(mut digest) => {
                drop(items);
                let mut first = digest.len == 1;
                while seq
                    .next_element_seed(Sink {
                        digest: &mut digest,
                        first,
                    })?
                    .is_some()
                {
                    first = false;
                }
                digest.write(b"]");
                let note = digest.note("array");
                let cost = decoded_size(&note);
                Ok(Decoded::charged(note, cost, budget))
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Decoded, A::Error> {
        let budget = self.budget;
        let mut members = Map::new();
        let mut charged = 0;
        let mut over = None;
        if budget.take(NODE) {
            charged = NODE;
            while let Some(key) = map.next_key_seed(Key { budget })? {
                let item = map.next_value_seed(Bounded { budget })?;
                match key {
                    Some((key, key_cost)) if item.paid => {
                        charged += key_cost + item.cost;
                        members.insert(key, item.value);
                    }
                    key => {
                        let (key, key_cost) = key.unwrap_or_else(|| (String::new(), 0));
                        budget.give(charged + key_cost + item.cost);
                        let mut digest = Digested::default();
                        digest.put_map(&members);
                        digest.put_member(&key, &item.value, !members.is_empty());
                        over = Some(digest);
                        break;
                    }
                }
            }
        } else {
            let mut digest = Digested::default();
            digest.put_map(&Map::new());
            over = Some(digest);
        }
        match over {
            None => Ok(Decoded {
                value: Value::Object(members),
                cost: charged,
                paid: true,
            }),
            Some(mut digest) => {
                drop(members);
                let mut first = digest.len == 1;
                while map
                    .next_key_seed(SinkKey {
                        digest: &mut digest,
                        first,
                    })?
                    .is_some()
                {
                    map.next_value_seed(Sink {
                        digest: &mut digest,
                        first: true,
                    })?;
                    first = false;
                }
                digest.write(b"}");
                let note = digest.note("object");
                let cost = decoded_size(&note);
                Ok(Decoded::charged(note, cost, budget))
            }
        }
    }
}

/// The seed of an object's key: the key and what it was charged, or `None` when the budget
/// cannot take it (a key cannot be a note: its object is given up).
struct Key<'b> {
    budget: &'b Budget,
}

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = Option<(String, usize)>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key<'_> {
    type Value = Option<(String, usize)>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        let cost = ENTRY + v.len();
        Ok(self.budget.take(cost).then(|| (v.to_string(), cost)))
    }
}

/// The seed that reads one value through, writing its JSON to a digest and keeping nothing.
struct Sink<'d> {
    digest: &'d mut Digested,
    /// Whether it is the first item (no comma before it).
    first: bool,
}

impl<'de> DeserializeSeed<'de> for Sink<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        if !self.first {
            self.digest.write(b",");
        }
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Sink<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        self.digest.put(&v);
        Ok(())
    }

    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        self.digest.put(&v);
        Ok(())
    }

    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        self.digest.put(&v);
        Ok(())
    }

    fn visit_f64<E>(self, v: f64) -> Result<(), E> {
        self.digest.put(&Value::from(v));
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        self.digest.write(b"null");
        Ok(())
    }

    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.digest.put(&v);
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.digest.write(b"[");
        let mut first = true;
        while seq
            .next_element_seed(Sink {
                digest: &mut *self.digest,
                first,
            })?
            .is_some()
        {
            first = false;
        }
        self.digest.write(b"]");
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.digest.write(b"{");
        let mut first = true;
        while map
            .next_key_seed(SinkKey {
                digest: &mut *self.digest,
                first,
            })?
            .is_some()
        {
            map.next_value_seed(Sink {
                digest: &mut *self.digest,
                first: true,
            })?;
            first = false;
        }
        self.digest.write(b"}");
        Ok(())
    }
}

/// [`Sink`] for a key: its JSON and the colon after it.
struct SinkKey<'d> {
    digest: &'d mut Digested,
    first: bool,
}

impl<'de> DeserializeSeed<'de> for SinkKey<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        if !self.first {
            self.digest.write(b",");
        }
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for SinkKey<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.digest.put(&v);
        self.digest.write(b":");
        Ok(())
    }
}
