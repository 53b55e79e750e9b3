//! Benchmark: `import validate` against a raw csv-crate parse of the same
//! file (reading every record, as `xsv count` does), for 100,000 and
//! 1,000,000 generated rows. Reports wall time (best of several runs) and
//! peak memory (max RSS of the child process) beside the file size.
//!
//! Run: `cargo bench --bench validate` (optionally `-- 100000` to pick sizes;
//! `-- --generate FILE ROWS` only writes a file, e.g. for profiling).
//! Both sides run as child processes so their peak memory is comparable;
//! the raw parse is this benchmark binary re-run with `--raw-count FILE`.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 5;

fn main() {
    // Cargo passes `--bench` to benchmarks; it is not ours.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    match args.as_slice() {
        [flag, path] if flag == "--raw-count" => return raw_count(Path::new(path)),
        [flag, path, rows] if flag == "--generate" => {
            return generate(Path::new(path), rows.parse().expect("number of rows"));
        }
        _ => {}
    }
    let sizes: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() {
        vec![100_000, 1_000_000]
    } else {
        sizes
    };

    let dir = tempfile::tempdir().expect("temporary directory");
    let validate = env!("CARGO_BIN_EXE_connect-users");
    let me = std::env::current_exe().expect("own path");
    println!("| rows | file | raw csv parse | import validate | ratio | raw peak RSS | validate peak RSS | RSS / file |");
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for rows in sizes {
        let path = dir.path().join(format!("agents-{rows}.csv"));
        generate(&path, rows);
        let size = std::fs::metadata(&path).expect("generated file").len();
        let file = path.to_str().expect("utf-8 path");
        let raw = best_of(|| run(Command::new(&me).args(["--raw-count", file]), 0));
        let table = best_of(|| run(Command::new(validate).args(["import", "validate", file]), 0));
        print_row(rows, size, raw, table, "");
        if rows <= 100_000 {
            let json = best_of(|| {
                run(
                    Command::new(validate).args(["import", "validate", "--format", "json", file]),
                    0,
                )
            });
            print_row(rows, size, raw, json, " (`--format json`)");
        }
    }
}

fn print_row(rows: usize, size: u64, raw: Sample, validate: Sample, label: &str) {
    let mb = |bytes: u64| bytes as f64 / 1_048_576.0;
    println!(
        "| {rows}{label} | {:.1} MB | {:.0} ms | {:.0} ms | {:.1}x | {:.1} MB | {:.1} MB | {:.2}x |",
        mb(size),
        raw.wall.as_secs_f64() * 1000.0,
        validate.wall.as_secs_f64() * 1000.0,
        validate.wall.as_secs_f64() / raw.wall.as_secs_f64(),
        mb(raw.max_rss),
        mb(validate.max_rss),
        validate.max_rss as f64 / size as f64,
    );
}

#[derive(Clone, Copy)]
struct Sample {
    wall: Duration,
    max_rss: u64,
}

fn best_of(mut f: impl FnMut() -> Sample) -> Sample {
    let samples: Vec<Sample> = (0..RUNS).map(|_| f()).collect();
    let wall = samples.iter().map(|s| s.wall).min().expect("runs");
    let max_rss = samples.iter().map(|s| s.max_rss).max().expect("runs");
    Sample { wall, max_rss }
}

/// Runs a child to the end, with its output discarded; returns its wall
/// time and peak resident memory (from `wait4`'s resource usage).
// `wait4` reaps the child (std's `wait` cannot return its resource usage).
#[allow(clippy::zombie_processes)]
fn run(command: &mut Command, expected_status: i32) -> Sample {
    let start = Instant::now();
    let child = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: zeroed rusage is a valid value; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    assert_eq!(waited, pid, "wait4");
    assert!(libc::WIFEXITED(status), "child did not exit normally");
    assert_eq!(libc::WEXITSTATUS(status), expected_status, "{command:?}");
    Sample {
        wall,
        max_rss: usage.ru_maxrss as u64 * 1024,
    }
}

/// The baseline: the csv crate reading every record of the file.
fn raw_count(path: &Path) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .expect("open");
    let mut record = csv::ByteRecord::new();
    let mut count = 0u64;
    while reader.read_byte_record(&mut record).expect("read") {
        count += 1;
    }
    println!("{count}");
}

/// A valid connect-managed file of `rows` distinct agents, about 160 bytes
/// a row: a mix of soft and desk phones, Japanese and Latin names, tags.
fn generate(path: &Path, rows: usize) {
    let mut out = String::with_capacity(rows * 170 + 512);
    out.push('\u{feff}');
    out.push_str(connect_users::template::template_text(
        connect_users::identity::Identity::ConnectManaged,
    ));
    let teams = [
        ("Sales Inbound", "North America|Seattle|Team Orca"),
        ("Support Tier 1", "North America|Seattle|Team Rainier"),
        ("Support Tier 2", "North America|Dallas|Team Lone Star"),
        ("Japan Support", "Japan|Tokyo|Team Sakura"),
        ("Japan Support", "Japan|Osaka|Team Kansai"),
    ];
    for i in 0..rows {
        let (routing, hierarchy) = teams[i % teams.len()];
        let (first, last) = if i % 7 == 0 {
            ("翔太", "佐藤")
        } else {
            ("Olivia", "Bennett")
        };
        let (phone, number, persistent) = if i % 5 == 0 {
            ("desk", format!("+1206555{:04}", i % 10_000), "no")
        } else {
            ("soft", String::new(), "yes")
        };
        let _ = write!(
            out,
            "{first},{last},agent{i}@example.com,,+1425555{:04},agent{i},Welcome{i}Aa,{routing},Agent|QualityAnalyst,\
             {hierarchy},{phone},{number},yes,30,{persistent},,team|t{}||site|s{}\r\n",
            i % 10_000,
            i % 50,
            i % 3,
        );
    }
    let mut file = std::fs::File::create(path).expect("create");
    file.write_all(out.as_bytes()).expect("write");
}
