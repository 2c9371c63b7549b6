//! Usernames: 3 to 32 characters of ASCII letters, digits, `.`, `_` and `-`. Uniqueness
//! ignores case (the column is `COLLATE NOCASE`).

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub fn parse(s: &str) -> Result<Username, String> {
        let s = s.trim();
        let len = s.chars().count();
        if !(3..=32).contains(&len) {
            return Err("Use 3 to 32 characters.".into());
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        {
            return Err("Use only letters, digits, dots, underscores and hyphens.".into());
        }
        Ok(Username(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::Username;

    #[test]
    fn accepts_valid_names() {
        for ok in ["ann", "Ann.Lee", "a_b-c", &"x".repeat(32), " bob "] {
            assert!(Username::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn rejects_invalid_names() {
        for bad in [
            "",
            "ab",
            &"x".repeat(33),
            "ann lee",
            "añn",
            "ann!",
            "<script>",
        ] {
            assert!(Username::parse(bad).is_err(), "{bad}");
        }
    }
}
