//! Writing and rounding figures the way a learner reads them.

/// `2000000` -> `2,000,000`; `7.5` -> `7.5`.
pub fn format_number(value: f64) -> String {
    let negative = value < 0.0;
    let abs = value.abs();
    let text = if abs.fract() == 0.0 && abs < 1e15 {
        format!("{}", abs as u64)
    } else {
        let s = format!("{abs:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let mut out = if negative {
        "-".to_string()
    } else {
        String::new()
    };
    out.push_str(&grouped);
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// A figure with its unit: `2,000,000 people`, `USD 1,500,000`, `7.5%`.
pub fn format_figure(value: f64, unit: &str) -> String {
    let n = format_number(value);
    match unit {
        "percent" | "%" => format!("{n}%"),
        "USD" | "VND" => format!("{unit} {n}"),
        "" => n,
        _ => format!("{n} {unit}"),
    }
}

/// Number of significant digits written in `value` (2,000,000 has 1; 1,250 has 3).
pub fn significant_digits(value: f64) -> u32 {
    let s = format!("{}", value.abs());
    let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
    let trimmed = digits.trim_start_matches('0');
    let trimmed = if s.contains('.') {
        trimmed
    } else {
        trimmed.trim_end_matches('0')
    };
    trimmed.len().max(1) as u32
}

/// Rounds to `digits` significant digits.
pub fn round_significant(value: f64, digits: u32) -> f64 {
    if value == 0.0 {
        return 0.0;
    }
    let magnitude = value.abs().log10().floor() as i32;
    let scale = 10f64.powi(digits as i32 - 1 - magnitude);
    (value * scale).round() / scale
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_separators() {
        assert_eq!(format_number(2_000_000.0), "2,000,000");
        assert_eq!(format_number(999.0), "999");
        assert_eq!(format_number(1000.0), "1,000");
        assert_eq!(format_number(7.5), "7.5");
        assert_eq!(format_number(1234567.25), "1,234,567.25");
        assert_eq!(format_figure(40.0, "percent"), "40%");
        assert_eq!(format_figure(1.5e9, "USD"), "USD 1,500,000,000");
        assert_eq!(format_figure(30.0, "tonnes"), "30 tonnes");
    }

    #[test]
    fn significant_digit_rounding() {
        assert_eq!(significant_digits(2_000_000.0), 1);
        assert_eq!(significant_digits(1250.0), 3);
        assert_eq!(significant_digits(7.5), 2);
        assert_eq!(round_significant(2_600_000.0, 1), 3_000_000.0);
        assert_eq!(round_significant(1249.0, 3), 1250.0);
    }
}
