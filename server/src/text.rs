//! Text normalisation shared by validation and answer checking.

/// Folds text for comparison: diacritics removed (Tà Nốt = Ta Not, đ = d), lowercase,
/// punctuation dropped, whitespace collapsed, a leading "the" dropped.
pub fn normalize(s: &str) -> String {
    let folded = deunicode::deunicode(s).to_lowercase();
    let cleaned: String = folded
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    let words = match words.split_first() {
        Some((&"the", rest)) if !rest.is_empty() => rest,
        _ => &words[..],
    };
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn folds_case_diacritics_and_punctuation() {
        assert_eq!(normalize("Tà Nốt"), "ta not");
        assert_eq!(normalize("  TA   NOT "), "ta not");
        assert_eq!(normalize("Đồng Tháp"), "dong thap");
        assert_eq!(normalize("The Khmer Rouge!"), "khmer rouge");
        assert_eq!(normalize("Pol Pot–Ieng Sary"), "pol pot ieng sary");
        assert_eq!(normalize("the"), "the");
    }
}
