//! What the benches share beyond criterion: whether a report (a measurement criterion cannot
//! make, printed after the groups) should run, from the bench's arguments.

/// `true` unless this is a `cargo bench -- --test` / `--list` run, or a filter was given that
/// `name` does not contain (`cargo bench --bench buffer -- report` runs only the report, since
/// no group's name contains "report").
pub fn wanted(name: &str) -> bool {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|a| a == "--test" || a == "--list");
    let filter = args
        .iter()
        .find(|a| !a.starts_with('-') && a.parse::<f64>().is_err());
    !quick && filter.is_none_or(|f| name.contains(f.as_str()))
}
