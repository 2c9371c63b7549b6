//! The time zone field of the register and account forms.

use crate::srs::days::{self, DayClock};

/// A time zone select: every zone, the chosen one marked. `from_form` tells the page's
/// script not to replace a choice the learner made with the browser's zone.
pub struct ZoneField {
    pub value: String,
    pub error: Option<String>,
    pub zones: &'static [String],
    pub from_form: bool,
}

impl ZoneField {
    pub(super) fn new(value: &str, from_form: bool) -> ZoneField {
        ZoneField {
            value: value.to_string(),
            error: None,
            zones: days::zone_names(),
            from_form,
        }
    }

    /// The server's zone, which the browser's replaces where the script runs.
    pub(super) fn server_default() -> ZoneField {
        ZoneField::new(DayClock::default().zone_name(), false)
    }

    /// A zone from a form: `Ok(None)` when left empty (the server's zone), an error
    /// otherwise when it is not one of the list.
    pub(super) fn parse(&mut self) -> Result<Option<String>, ()> {
        let name = self.value.trim();
        if name.is_empty() {
            return Ok(None);
        }
        match days::zone(name) {
            Some(_) => Ok(Some(name.to_string())),
            None => {
                self.error = Some("Choose a time zone from the list.".into());
                Err(())
            }
        }
    }
}
