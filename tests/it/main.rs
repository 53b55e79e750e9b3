//! The integration tests: one crate (one binary linking the SDK once), a
//! module per command or component, and one set of helpers in `support`.
//! Every test runs the real binary, or the real SDK against `local serve`
//! on loopback; none reaches AWS.

mod support;

mod agents;
mod agents_export;
mod agents_export_round_trip;
mod apply;
mod apply_faults;
mod apply_generate_passwords;
mod apply_generate_passwords_rerun;
mod apply_interrupt;
mod apply_no_password_leaks;
mod apply_prompt;
mod apply_settings;
mod apply_truth;
mod completions_man;
mod local_server;
mod local_server_config;
mod local_server_config_rules;
mod local_server_errors;
mod local_server_faults;
mod local_server_pagination;
mod local_server_passwords;
mod local_server_search;
mod local_server_tags;
mod local_server_update;
mod local_server_upgrade;
mod model_shapes;
mod no_panic;
mod no_password_leaks;
mod online;
mod readme;
mod release;
mod template_fetch;
mod validate_cli;
mod validate_generate_passwords;
mod validate_newcomer;
