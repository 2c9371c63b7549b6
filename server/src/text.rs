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

/// The first character of `s` that has no place in a one-line name or title: a control
/// character (NUL, tab, newline...) or one that reorders text invisibly (bidirectional
/// embeddings, overrides and isolates, and the marks LRM, RLM and ALM). Stored, they made
/// a title read differently from what it holds.
pub fn forbidden_char(s: &str) -> Option<char> {
    s.chars().find(|&c| {
        c.is_control()
            || matches!(c,
                '\u{200E}' | '\u{200F}' | '\u{061C}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}')
    })
}

/// The message shown at a field holding such a character.
pub fn forbidden_char_message(c: char) -> String {
    format!(
        "Remove the invisible control character (U+{:04X}); names and titles are plain text.",
        c as u32
    )
}

#[cfg(test)]
mod tests {
    use super::{forbidden_char, normalize};

    #[test]
    fn finds_control_and_reordering_characters() {
        assert_eq!(forbidden_char("Lớp 9A – Lịch sử"), None);
        assert_eq!(
            forbidden_char("שלום 9A"),
            None,
            "right-to-left text itself is fine"
        );
        assert_eq!(forbidden_char("9A\0"), Some('\0'));
        assert_eq!(forbidden_char("abc\u{202E}fdp.exe"), Some('\u{202E}'));
        assert_eq!(forbidden_char("a\u{2067}b"), Some('\u{2067}'));
        assert_eq!(forbidden_char("a\nb"), Some('\n'));
        assert_eq!(forbidden_char("a\u{200F}"), Some('\u{200F}'));
    }

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
