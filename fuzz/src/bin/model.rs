//! AFL target: `dealscore_fuzz::model`.

fn main() {
    afl::fuzz!(|data: &[u8]| dealscore_fuzz::model(data));
}
