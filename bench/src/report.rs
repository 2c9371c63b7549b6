//! The one table: Markdown, so that it pastes straight into BENCHMARKS.md.

use crate::load::{Series, Tally};
use std::time::Duration;

#[derive(Default, Clone)]
pub struct Row {
    pub scenario: String,
    pub throughput: String,
    pub median: String,
    pub p99: String,
    pub max: String,
    pub errors: String,
    pub cpu: String,
    pub compared: String,
    pub target: String,
    pub met: String,
}

pub fn ms(v: Option<f64>) -> String {
    match v {
        None => "–".into(),
        Some(v) if v >= 100.0 => format!("{v:.0} ms"),
        Some(v) if v >= 10.0 => format!("{v:.1} ms"),
        Some(v) => format!("{v:.2} ms"),
    }
}

pub fn dur(d: Duration) -> String {
    ms(Some(d.as_secs_f64() * 1e3))
}

pub fn kib(v: Option<u64>) -> String {
    v.map_or("–".into(), |k| format!("{:.1} MiB", k as f64 / 1024.0))
}

pub fn yes_no(ok: bool) -> String {
    if ok { "yes" } else { "**no**" }.into()
}

/// Median of durations (upper median for an even count); `None` when empty.
pub fn median(v: &[Duration]) -> Option<Duration> {
    let mut s = v.to_vec();
    s.sort();
    s.get(s.len() / 2).copied()
}

/// A latency row from a series of requests, with throughput in `units` per second.
pub fn latency_row(scenario: &str, series: &Series, throughput: String) -> Row {
    Row {
        scenario: scenario.into(),
        throughput,
        median: ms(series.quantile_ms(0.5)),
        p99: ms(series.quantile_ms(0.99)),
        max: ms(series.max_ms()),
        ..Row::default()
    }
}

pub fn errors(t: &Tally) -> String {
    match &t.first_error {
        None => t.errors.to_string(),
        Some(e) => format!("{} (first: {})", t.errors, e.replace('|', "/")),
    }
}

pub fn print_table(rows: &[Row]) {
    let header = Row {
        scenario: "scenario".into(),
        throughput: "throughput".into(),
        median: "median".into(),
        p99: "p99".into(),
        max: "max".into(),
        errors: "errors".into(),
        cpu: "CPU server / bench".into(),
        compared: "compared with".into(),
        target: "target".into(),
        met: "met".into(),
    };
    let cells = |r: &Row| {
        [
            r.scenario.clone(),
            r.throughput.clone(),
            r.median.clone(),
            r.p99.clone(),
            r.max.clone(),
            r.errors.clone(),
            r.cpu.clone(),
            r.compared.clone(),
            r.target.clone(),
            r.met.clone(),
        ]
    };
    let all: Vec<[String; 10]> = std::iter::once(&header).chain(rows).map(cells).collect();
    let mut widths = [0usize; 10];
    for row in &all {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |row: &[String; 10]| {
        let mut s = String::from("|");
        for (c, w) in row.iter().zip(widths) {
            let pad = w - c.chars().count();
            s.push_str(&format!(" {c}{} |", " ".repeat(pad)));
        }
        s
    };
    println!("{}", line(&all[0]));
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    println!(
        "|{}|",
        rule.iter()
            .map(|r| format!("-{r}-"))
            .collect::<Vec<_>>()
            .join("|")
    );
    for row in &all[1..] {
        println!("{}", line(row));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_medians() {
        assert_eq!(ms(Some(1.234)), "1.23 ms");
        assert_eq!(ms(Some(12.34)), "12.3 ms");
        assert_eq!(ms(Some(1234.0)), "1234 ms");
        assert_eq!(ms(None), "–");
        let d = |ms| Duration::from_millis(ms);
        assert_eq!(median(&[d(3), d(1), d(2)]), Some(d(2)));
        assert_eq!(median(&[]), None);
    }
}
