//! Cells for the CSV exports. A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@`
//! as a formula, so text a user typed (class names, titles, answers) gets a leading `'`.

pub fn text(value: &str) -> String {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn formulas_are_defused_and_plain_text_kept() {
        assert_eq!(super::text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(super::text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(
            super::text("Ba Chúc, \"An Giang\""),
            "Ba Chúc, \"An Giang\""
        );
        assert_eq!(super::text(""), "");
    }
}
