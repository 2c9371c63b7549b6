//! Geometry of the charts on the statistics page: bars and a calendar heatmap, laid out in a
//! fixed viewBox that the page scales to its width (360 units wide reads 1:1 on a 390 px
//! phone). Templates only place what is computed here; no chart needs JavaScript.

pub const WIDTH: f32 = 360.0;
pub const HEIGHT: f32 = 150.0;
const TOP: f32 = 16.0;
const BOTTOM: f32 = 20.0;
const LEFT: f32 = 4.0;

/// One bar; `title` is what a pointer hover shows and what the table row says.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    pub value: usize,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AxisLabel {
    pub x: f32,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bars {
    pub bars: Vec<Bar>,
    pub labels: Vec<AxisLabel>,
    /// The value the full height stands for, written at the top left.
    pub max: usize,
    pub baseline: f32,
}

/// Bars for `values` (label, value) left to right; `max` fixes the scale (100 for
/// percentages), otherwise the largest value sets it. Every `label_every`-th bar gets its
/// label under the axis.
pub fn bars(values: &[(String, usize)], max: Option<usize>, label_every: usize) -> Bars {
    let max = max
        .unwrap_or_else(|| values.iter().map(|v| v.1).max().unwrap_or(0))
        .max(1);
    let plot_h = HEIGHT - TOP - BOTTOM;
    let step = (WIDTH - LEFT) / values.len().max(1) as f32;
    let gap = if step > 4.0 { 1.0 } else { 0.0 };
    let baseline = HEIGHT - BOTTOM;
    let bars = values
        .iter()
        .enumerate()
        .map(|(i, (title, value))| {
            let h = plot_h * (*value).min(max) as f32 / max as f32;
            Bar {
                x: round(LEFT + i as f32 * step),
                y: round(baseline - h),
                w: round(step - gap),
                h: round(h),
                value: *value,
                title: title.clone(),
            }
        })
        .collect();
    let labels = values
        .iter()
        .enumerate()
        .filter(|(i, _)| label_every > 0 && i % label_every == 0)
        .map(|(i, (title, _))| AxisLabel {
            x: round(LEFT + i as f32 * step),
            text: title.clone(),
        })
        .collect();
    Bars {
        bars,
        labels,
        max,
        baseline,
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub x: f32,
    pub y: f32,
    /// 0 for no answers, then 1–4 by quarters of the busiest day.
    pub level: u8,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Heatmap {
    pub cells: Vec<Cell>,
    pub size: f32,
    pub width: f32,
    pub height: f32,
    /// Month names above the first week that starts in them.
    pub months: Vec<AxisLabel>,
}

/// A calendar: one column a week (Monday at the top), one square a day.
pub fn heatmap(per_day: &[(i64, usize)]) -> Heatmap {
    let size = 11.0;
    let top = 14.0;
    let max = per_day.iter().map(|d| d.1).max().unwrap_or(0).max(1);
    let first = per_day.first().map_or(0, |d| d.0);
    let first_monday = first - weekday(first);
    let mut months = Vec::new();
    let mut last_month = None;
    let cells: Vec<Cell> = per_day
        .iter()
        .map(|&(day, n)| {
            let col = ((day - first_monday) / 7) as f32;
            let (month, label) = month_of(day);
            if weekday(day) == 0 && last_month != Some(month) || day == first {
                if last_month != Some(month) {
                    months.push(AxisLabel {
                        x: col * (size + 2.0),
                        text: label,
                    });
                }
                last_month = Some(month);
            }
            Cell {
                x: col * (size + 2.0),
                y: top + weekday(day) as f32 * (size + 2.0),
                level: if n == 0 {
                    0
                } else {
                    (1 + (n * 4 - 1) / max).min(4) as u8
                },
                title: format!("{}: {n}", short_day(day)),
            }
        })
        .collect();
    let cols = cells.iter().map(|c| c.x).fold(0.0, f32::max) + size;
    Heatmap {
        cells,
        size,
        width: cols.max(size),
        height: top + 7.0 * (size + 2.0),
        months,
    }
}

/// Monday 0 .. Sunday 6; day 0 (1970-01-01) was a Thursday.
pub fn weekday(day: i64) -> i64 {
    (day + 3).rem_euclid(7)
}

fn month_of(day: i64) -> (u8, String) {
    let date = date_of(day);
    let month = date.map_or(1, |d| d.month() as u8);
    let name = date.map_or(String::new(), |d| d.month().to_string());
    (month, name.chars().take(3).collect())
}

fn date_of(day: i64) -> Option<time::Date> {
    crate::clock::date_of_day(day)
}

/// A day number as `3 Nov`.
pub fn short_day(day: i64) -> String {
    date_of(day)
        .map(|d| {
            let month: String = d.month().to_string().chars().take(3).collect();
            format!("{} {month}", d.day())
        })
        .unwrap_or_default()
}

/// A day number as `2026-11-03`, the form tables and tests read.
pub fn iso_day(day: i64) -> String {
    date_of(day).map(|d| d.to_string()).unwrap_or_default()
}

fn round(v: f32) -> f32 {
    (v * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_value_and_sit_on_the_baseline() {
        let b = bars(
            &[("a".into(), 2), ("b".into(), 0), ("c".into(), 4)],
            None,
            2,
        );
        assert_eq!(b.max, 4);
        let plot = HEIGHT - TOP - BOTTOM;
        assert_eq!(b.bars[2].h, round(plot));
        assert_eq!(b.bars[0].h, round(plot / 2.0));
        assert_eq!(b.bars[1].h, 0.0);
        for bar in &b.bars {
            assert!((bar.y + bar.h - b.baseline).abs() < 0.11);
            assert!(bar.x + bar.w <= WIDTH);
        }
        assert_eq!(
            b.labels.iter().map(|l| l.text.as_str()).collect::<Vec<_>>(),
            ["a", "c"]
        );
    }

    #[test]
    fn a_heatmap_puts_mondays_on_top_and_shades_by_quarters() {
        // Day 20_000 (2024-10-04) was a Friday.
        assert_eq!(weekday(20_000), 4);
        let h = heatmap(&[(20_000, 1), (20_001, 0), (20_003, 4), (20_004, 2)]);
        assert_eq!(h.cells[0].y, 14.0 + 4.0 * 13.0);
        assert_eq!(h.cells[2].x, 13.0, "Monday starts the next column");
        assert_eq!(h.cells[2].y, 14.0);
        let levels: Vec<u8> = h.cells.iter().map(|c| c.level).collect();
        assert_eq!(levels, [1, 0, 4, 2]);
        assert_eq!(short_day(20_000), "4 Oct");
        assert_eq!(iso_day(20_000), "2024-10-04");
    }
}
