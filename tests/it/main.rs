//! The integration tests: one crate (one binary linking the SDK once), a
//! module per command or component, and one set of helpers in `support`.
//! Every test runs the real binary, or the real SDK against `local serve`
//! on loopback; none reaches AWS.

mod support;

mod agents;
mod agents_edit;
mod agents_edit_faults;
mod agents_export;
mod agents_export_round_trip;
mod agents_fresh;
mod agents_hostile_names;
mod agents_no_password_leaks;
mod agents_read;
mod agents_remove;
mod agents_remove_safety;
mod agents_set_fields;
mod agents_set_report;
mod agents_set_safety;
mod apply;
mod apply_faults;
mod apply_generate_passwords;
mod apply_generate_passwords_rerun;
mod apply_interrupt;
mod apply_no_password_leaks;
mod apply_progress;
mod apply_prompt;
mod apply_settings;
mod apply_truth;
mod apply_two_runs;
mod bulk;
mod completions_man;
mod endpoint;
mod github_annotations;
mod guide;
mod instance_lookup;
mod local_server;
mod local_server_config;
mod local_server_config_rules;
mod local_server_connections;
mod local_server_delete;
mod local_server_errors;
mod local_server_faults;
mod local_server_pagination;
mod local_server_passwords;
mod local_server_proficiencies;
mod local_server_profiles;
mod local_server_reference;
mod local_server_search;
mod local_server_tags;
mod local_server_update;
mod local_server_upgrade;
mod local_store;
mod model_shapes;
mod no_panic;
mod no_password_leaks;
mod online;
mod output_files;
mod readme;
mod release;
mod template_fetch;
mod terminal_width;
mod tls;
mod validate_cli;
mod validate_generate_passwords;
mod validate_newcomer;
