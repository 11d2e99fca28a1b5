//! Python versions: the target a run checks for, and the minimum a rewrite needs.
use std::fmt;
use std::str::FromStr;

/// A `3.x` Python version. Only the minor number varies in practice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PythonVersion {
    pub major: u8,
    pub minor: u8,
}

impl PythonVersion {
    /// Used when neither the command line nor `requires-python` says otherwise.
    pub const DEFAULT: PythonVersion = PythonVersion::new(3, 10);
    pub const OLDEST: PythonVersion = PythonVersion::new(3, 8);
    pub const NEWEST: PythonVersion = PythonVersion::new(3, 14);

    pub const fn new(major: u8, minor: u8) -> Self {
        PythonVersion { major, minor }
    }

    /// The lowest version a `requires-python` specifier admits, e.g. `>=3.9,<4` -> 3.9.
    pub fn from_requires_python(spec: &str) -> Option<Self> {
        spec.split(',')
            .filter_map(|clause| {
                let clause = clause.trim();
                let version = ["~=", ">=", "==", ">"].iter().find_map(|op| clause.strip_prefix(op))?;
                version.trim().trim_end_matches(".*").parse::<PythonVersion>().ok()
            })
            .min()
    }
}

impl FromStr for PythonVersion {
    type Err = String;

    /// Accepts `py310`, `3.10` and `3.10.4`.
    fn from_str(text: &str) -> Result<Self, String> {
        let bad = || format!("invalid Python version `{text}` (expected e.g. py310 or 3.10)");
        if let Some(digits) = text.strip_prefix("py") {
            let (major, minor) = digits.split_at(1.min(digits.len()));
            return Ok(PythonVersion::new(
                major.parse().map_err(|_| bad())?,
                minor.parse().map_err(|_| bad())?,
            ));
        }
        let mut parts = text.split('.');
        let major = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
        let minor = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
        Ok(PythonVersion::new(major, minor))
    }
}

impl fmt::Display for PythonVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_spelling() {
        assert_eq!("py38".parse(), Ok(PythonVersion::new(3, 8)));
        assert_eq!("py314".parse(), Ok(PythonVersion::new(3, 14)));
        assert_eq!("3.11.2".parse(), Ok(PythonVersion::new(3, 11)));
        assert!("python".parse::<PythonVersion>().is_err());
    }

    #[test]
    fn requires_python_takes_the_lower_bound() {
        assert_eq!(
            PythonVersion::from_requires_python(">=3.9, <4"),
            Some(PythonVersion::new(3, 9))
        );
        assert_eq!(
            PythonVersion::from_requires_python("~=3.11"),
            Some(PythonVersion::new(3, 11))
        );
        assert_eq!(PythonVersion::from_requires_python("<4"), None);
    }
}
