//! Chronology questions as a real ordering: the learner gives each event its position.

/// One event to place, in the order shown (the question's `items`).
pub use super::ChronologyItem as OrderItem;

/// Why a submitted order cannot be graded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderError {
    /// The item (0-based, as shown) has no position or not a number from 1 to n.
    Missing(usize),
    /// Two items were given this position.
    Repeated(usize),
}

impl OrderError {
    pub fn message(&self, count: usize) -> String {
        match self {
            OrderError::Missing(_) => {
                format!("Give every event a position from 1 to {count}.")
            }
            OrderError::Repeated(p) => {
                format!("Two events are both in position {p}: give each its own position.")
            }
        }
    }
}

/// Reads the positions the learner chose, one per shown item (`raw[i]` for item `i`).
pub fn parse(raw: &[Option<&str>], count: usize) -> Result<Vec<usize>, OrderError> {
    let mut positions = Vec::with_capacity(count);
    for i in 0..count {
        let p = raw
            .get(i)
            .copied()
            .flatten()
            .and_then(|s| s.trim().parse::<usize>().ok())
            .filter(|p| (1..=count).contains(p))
            .ok_or(OrderError::Missing(i))?;
        if positions.contains(&p) {
            return Err(OrderError::Repeated(p));
        }
        positions.push(p);
    }
    Ok(positions)
}

/// Right only when every event is in its place.
pub fn is_right(items: &[OrderItem], positions: &[usize]) -> bool {
    items.len() == positions.len() && items.iter().zip(positions).all(|(i, p)| i.position == *p)
}

/// The items sorted by the positions given (the learner's order), titles joined by arrows.
pub fn describe(items: &[OrderItem], positions: &[usize]) -> String {
    let mut given: Vec<(&usize, &OrderItem)> = positions.iter().zip(items).collect();
    given.sort_by_key(|(p, _)| **p);
    given
        .iter()
        .map(|(_, i)| i.title.as_str())
        .collect::<Vec<_>>()
        .join(" → ")
}

/// The items in their right order.
pub fn right_order(items: &[OrderItem]) -> Vec<&OrderItem> {
    let mut sorted: Vec<&OrderItem> = items.iter().collect();
    sorted.sort_by_key(|i| i.position);
    sorted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items() -> Vec<OrderItem> {
        ["C", "A", "B"]
            .iter()
            .zip([3, 1, 2])
            .map(|(t, p)| OrderItem {
                event_id: t.to_lowercase().into(),
                title: t.to_string(),
                when: String::new(),
                position: p,
            })
            .collect()
    }

    #[test]
    fn right_only_when_every_position_is_right() {
        let items = items();
        assert!(is_right(&items, &[3, 1, 2]));
        assert!(!is_right(&items, &[3, 2, 1]));
        assert!(!is_right(&items, &[1, 2, 3]));
        assert_eq!(describe(&items, &[3, 1, 2]), "A → B → C");
        assert_eq!(describe(&items, &[1, 2, 3]), "C → A → B");
        let titles: Vec<&str> = right_order(&items)
            .iter()
            .map(|i| i.title.as_str())
            .collect();
        assert_eq!(titles, ["A", "B", "C"]);
    }

    #[test]
    fn missing_bad_and_repeated_positions_are_refused() {
        assert_eq!(
            parse(&[Some("2"), Some("1"), Some("3")], 3),
            Ok(vec![2, 1, 3])
        );
        assert_eq!(
            parse(&[Some("2"), None, Some("3")], 3),
            Err(OrderError::Missing(1))
        );
        assert_eq!(
            parse(&[Some("2"), Some("")], 2),
            Err(OrderError::Missing(1))
        );
        assert_eq!(
            parse(&[Some("0"), Some("1")], 2),
            Err(OrderError::Missing(0))
        );
        assert_eq!(
            parse(&[Some("3"), Some("1")], 2),
            Err(OrderError::Missing(0))
        );
        assert_eq!(
            parse(&[Some("x"), Some("1")], 2),
            Err(OrderError::Missing(0))
        );
        assert_eq!(
            parse(&[Some("1"), Some(" 1 ")], 2),
            Err(OrderError::Repeated(1))
        );
        assert_eq!(parse(&[Some("1")], 2), Err(OrderError::Missing(1)));
    }
}
