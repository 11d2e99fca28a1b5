//! A reader for the subset of Python's `marshal` format that profile dumps use.
//!
//! `cProfile`/`profile` (`-o FILE`) and `pstats.Stats.dump_stats` write
//! `marshal.dump(stats)`: a dict of tuples of ints, floats and strings. perfmod
//! reads it natively instead of asking a Python to convert it, so `--profile`
//! works without the interpreter that made the profile. Code objects and the
//! other types marshal can hold are refused with the type byte named.
use anyhow::{bail, Context, Result};

/// A value as marshal stores it (the subset profiles use).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Bytes(Vec<u8>),
    Tuple(Vec<Value>),
    List(Vec<Value>),
    /// Key-value pairs in the order they were written.
    Dict(Vec<(Value, Value)>),
    /// A code object, by name: the pure-Python `profile` module keys its own
    /// entry by one. Only its name is kept.
    Code(String),
}

impl Value {
    /// The value as a number, for fields that are ints or floats.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// Bit set on a type byte when the object gets an entry in the reference table.
const FLAG_REF: u8 = 0x80;

/// Profile data nests about five levels deep; a file nesting far deeper is not
/// a profile, and the limit keeps the recursive reader's stack bounded.
const MAX_DEPTH: usize = 64;

/// Reads one marshalled value from the start of `bytes`.
pub fn loads(bytes: &[u8]) -> Result<Value> {
    let mut reader = Reader {
        bytes,
        at: 0,
        refs: Vec::new(),
    };
    reader.value(0)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    /// Objects written with FLAG_REF, by index; `None` while one is still being read.
    refs: Vec<Option<Value>>,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8]> {
        let end = self.at.checked_add(n).filter(|&end| end <= self.bytes.len());
        let Some(end) = end else {
            bail!("marshal data ends early (at byte {})", self.at);
        };
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }

    fn i32(&mut self) -> Result<i32> {
        Ok(i32::from_le_bytes(self.take(4)?.try_into().unwrap()))
    }

    /// A length or count: a non-negative int32.
    fn len(&mut self) -> Result<usize> {
        let n = self.i32()?;
        usize::try_from(n).map_err(|_| anyhow::anyhow!("negative length {n} in marshal data"))
    }

    fn text(&mut self, n: usize) -> Result<String> {
        let at = self.at;
        // `surrogatepass` text can hold lone surrogates: keep what we can.
        Ok(String::from_utf8_lossy(self.take(n).with_context(|| format!("string at byte {at}"))?).into_owned())
    }

    fn value(&mut self, depth: usize) -> Result<Value> {
        if depth > MAX_DEPTH {
            bail!("marshal data nests deeper than {MAX_DEPTH} levels");
        }
        let at = self.at;
        let code = self.u8()?;
        let (kind, flagged) = (code & !FLAG_REF, code & FLAG_REF != 0);
        // Containers take their reference slot before their items are read.
        let slot = flagged.then(|| {
            self.refs.push(None);
            self.refs.len() - 1
        });
        let value = match kind {
            b'N' => Value::None,
            b'T' => Value::Bool(true),
            b'F' => Value::Bool(false),
            b'i' => Value::Int(i64::from(self.i32()?)),
            b'I' => Value::Int(i64::from_le_bytes(self.take(8)?.try_into().unwrap())),
            b'l' => self.long()?,
            b'g' => Value::Float(f64::from_le_bytes(self.take(8)?.try_into().unwrap())),
            b'f' => {
                let n = usize::from(self.u8()?);
                let text = self.text(n)?;
                Value::Float(parse_float(&text)?)
            }
            b's' => {
                let n = self.len()?;
                Value::Bytes(self.take(n)?.to_vec())
            }
            b'u' | b't' | b'a' | b'A' => {
                let n = self.len()?;
                Value::Str(self.text(n)?)
            }
            b'z' | b'Z' => {
                let n = usize::from(self.u8()?);
                Value::Str(self.text(n)?)
            }
            b'(' | b')' | b'[' => {
                let n = if kind == b')' {
                    usize::from(self.u8()?)
                } else {
                    self.len()?
                };
                let items = (0..n).map(|_| self.value(depth + 1)).collect::<Result<Vec<_>>>()?;
                if kind == b'[' {
                    Value::List(items)
                } else {
                    Value::Tuple(items)
                }
            }
            b'{' => {
                let mut pairs = Vec::new();
                // Pairs until a NULL ('0') where the next key would be.
                while self.bytes.get(self.at) != Some(&b'0') {
                    let key = self.value(depth + 1)?;
                    let value = self.value(depth + 1)?;
                    pairs.push((key, value));
                }
                self.at += 1;
                Value::Dict(pairs)
            }
            b'c' => self.code(depth)?,
            b'r' => {
                let index = self.len()?;
                match self.refs.get(index) {
                    Some(Some(value)) => value.clone(),
                    _ => bail!("marshal back-reference {index} at byte {at} points to nothing"),
                }
            }
            other => bail!(
                "marshal type {:?} at byte {at} is not one a profile uses",
                char::from(other)
            ),
        };
        if let Some(slot) = slot {
            self.refs[slot] = Some(value.clone());
        }
        Ok(value)
    }

    /// A code object. Its layout changed in Python 3.11 (five int32 fields, then
    /// code, consts, names, localsplusnames, localspluskinds, filename, name,
    /// qualname, firstlineno, linetable, exceptiontable) from 3.8-3.10's (six
    /// int32 fields, then code, consts, names, varnames, freevars, cellvars,
    /// filename, name, firstlineno, lnotab); the newer is tried first.
    fn code(&mut self, depth: usize) -> Result<Value> {
        let (at, refs) = (self.at, self.refs.len());
        let newer = self.code_layout(depth, 5, 8, 2, 6);
        if newer.is_ok() {
            return newer;
        }
        self.at = at;
        self.refs.truncate(refs);
        self.code_layout(depth, 6, 8, 1, 7)
            .context("a code object of a Python version perfmod cannot read")
    }

    /// `ints` int32 fields, `before` objects, firstlineno, `after` objects; the
    /// name is object number `name` of those before.
    fn code_layout(&mut self, depth: usize, ints: usize, before: usize, after: usize, name: usize) -> Result<Value> {
        self.take(4 * ints)?;
        let objects = (0..before).map(|_| self.value(depth + 1)).collect::<Result<Vec<_>>>()?;
        self.i32()?;
        for _ in 0..after {
            self.value(depth + 1)?;
        }
        let name = objects[name].as_str().context("a code object without a name")?;
        Ok(Value::Code(name.to_string()))
    }

    /// A Python int beyond 32 bits: a signed count of 15-bit digits, least
    /// significant first. Call counts fit an i64; anything larger becomes a float.
    fn long(&mut self) -> Result<Value> {
        let n = self.i32()?;
        let mut magnitude = 0f64;
        let mut exact: Option<i64> = Some(0);
        for i in 0..n.unsigned_abs() {
            let digit = u16::from_le_bytes(self.take(2)?.try_into().unwrap());
            magnitude += f64::from(digit) * 2f64.powi(15 * i as i32);
            exact = exact.and_then(|e| {
                let shifted = i64::from(digit).checked_shl(15 * i)?;
                if shifted >> (15 * i) == i64::from(digit) {
                    e.checked_add(shifted)
                } else {
                    None
                }
            });
        }
        Ok(match (exact, n < 0) {
            (Some(e), negative) => Value::Int(if negative { -e } else { e }),
            (None, negative) => Value::Float(if negative { -magnitude } else { magnitude }),
        })
    }
}

/// marshal's text floats (`repr()`), including `inf` and `nan`.
fn parse_float(text: &str) -> Result<f64> {
    text.trim()
        .parse::<f64>()
        .with_context(|| format!("`{text}` is not a float"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    /// `marshal.dumps(EXPR, VERSION)` as python3 writes it.
    fn dumps(expr: &str, version: u8) -> Vec<u8> {
        let script = format!("import marshal, sys; sys.stdout.buffer.write(marshal.dumps({expr}, {version}))");
        let out = Command::new("python3")
            .args(["-c", &script])
            .output()
            .expect("python3 runs");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    }

    #[test]
    fn reads_scalars_in_every_version() {
        for version in 0..=4 {
            let v = loads(&dumps(
                "(None, True, False, 7, -7, 2**40, -(2**70), 1.5, -0.25, 'héllo', 'a'*300, b'xy')",
                version,
            ))
            .unwrap();
            let Value::Tuple(items) = v else { panic!("{v:?}") };
            assert_eq!(
                items[..5],
                [
                    Value::None,
                    Value::Bool(true),
                    Value::Bool(false),
                    Value::Int(7),
                    Value::Int(-7)
                ]
            );
            assert_eq!(items[5], Value::Int(1 << 40), "version {version}");
            assert_eq!(items[6].as_f64(), Some(-(2f64.powi(70))));
            // Versions 0 and 1 write floats as text ('f'), later ones in binary ('g').
            assert_eq!(items[7], Value::Float(1.5));
            assert_eq!(items[8], Value::Float(-0.25));
            assert_eq!(items[9].as_str(), Some("héllo"));
            assert_eq!(items[10].as_str().map(str::len), Some(300));
            assert_eq!(items[11], Value::Bytes(b"xy".to_vec()));
        }
    }

    #[test]
    fn follows_back_references() {
        // Version 3+ writes the repeated tuple and string once, then 'r' references.
        let bytes = dumps(
            "(lambda k: {k: (1, 2.0, {k: (3, 4.0)}), ('b', 0, 'b'): None})(('f.py', 1, 'f'))",
            4,
        );
        assert!(bytes.contains(&b'r'), "the dump uses back-references");
        let Value::Dict(pairs) = loads(&bytes).unwrap() else {
            panic!()
        };
        let key = Value::Tuple(vec![Value::Str("f.py".into()), Value::Int(1), Value::Str("f".into())]);
        assert_eq!(pairs[0].0, key);
        let Value::Tuple(fields) = &pairs[0].1 else { panic!() };
        assert_eq!(
            fields[2],
            Value::Dict(vec![(key, Value::Tuple(vec![Value::Int(3), Value::Float(4.0)]))])
        );
        let other = Value::Tuple(vec![Value::Str("b".into()), Value::Int(0), Value::Str("b".into())]);
        assert_eq!(pairs[1], (other, Value::None));
    }

    #[test]
    fn reads_code_objects_by_name() {
        let code = dumps("(compile('def f(x):\\n    return [x]\\n', 'f.py', 'exec'), 7)", 4);
        let value = loads(&code).unwrap();
        assert_eq!(value, Value::Tuple(vec![Value::Code("<module>".into()), Value::Int(7)]));
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        assert!(loads(&[]).is_err());
        let truncated = dumps("('abc', 1)", 4);
        assert!(loads(&truncated[..truncated.len() - 2]).is_err());
        let complex = dumps("1j", 4);
        assert!(loads(&complex)
            .unwrap_err()
            .to_string()
            .contains("not one a profile uses"));
        assert!(loads(&[b'r', 5, 0, 0, 0]).is_err());
        let mut deep = [b')', 1].repeat(1000);
        deep.push(b'N');
        assert!(loads(&deep).unwrap_err().to_string().contains("nests deeper"));
    }
}
