//! Register, log in, log out, and the account page (password and study settings).

mod account;
mod anonymous;
mod devices;
mod login;
mod password;
mod register;
mod settings;
mod sign_in;
mod zone;

pub use account::account;
pub(crate) use anonymous::{anonymous_page, check_anonymous_csrf};
pub use devices::revoke_device;
pub use login::{login, login_form, logout};
pub use password::change_password;
pub use register::{register, register_form};
pub use settings::{change_settings, fit_parameters};
pub(crate) use sign_in::start_session;
