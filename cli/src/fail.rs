//! CLI failures: a stable code, a message naming file:line, and the process exit code.

use std::fmt;
use std::path::Path;

/// Exit code for bad input (a malformed line, an unknown id, an invalid model).
pub const EXIT_INPUT: i32 = 2;
/// Exit code for I/O failures.
pub const EXIT_IO: i32 = 1;

#[derive(Debug)]
pub struct Failure {
    pub code: String,
    pub message: String,
    pub exit: i32,
}

impl Failure {
    /// A core error found in `path` (at `line`, when known).
    pub fn at(path: &Path, line: Option<usize>, e: &dealscore::Error) -> Failure {
        Failure::input(path, line, e.code(), e.to_string())
    }

    pub fn input(path: &Path, line: Option<usize>, code: &str, message: impl fmt::Display) -> Failure {
        let place = match line {
            Some(l) => format!("{}:{l}", path.display()),
            None => path.display().to_string(),
        };
        Failure { code: code.to_owned(), message: format!("{place}: {message}"), exit: EXIT_INPUT }
    }

    /// A core error with no file behind it.
    pub fn core(e: &dealscore::Error) -> Failure {
        Failure { code: e.code().to_owned(), message: e.to_string(), exit: EXIT_INPUT }
    }

    pub fn usage(message: impl fmt::Display) -> Failure {
        Failure { code: "usage".into(), message: message.to_string(), exit: EXIT_INPUT }
    }

    pub fn io(path: &Path, e: &std::io::Error) -> Failure {
        Failure { code: "io".into(), message: format!("{}: {e}", path.display()), exit: EXIT_IO }
    }

    pub fn csv(path: &Path, e: &csv::Error) -> Failure {
        let line = e.position().map(|p| p.line() as usize);
        Failure::input(path, line, "invalid_input", e)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error[{}]: {}", self.code, self.message)
    }
}
