//! A repository spec, edited by the input's bytes (see `generator_fuzz::mutate`), through the
//! whole pipeline: errors are fine, panics and hangs are not.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(text) = generator_fuzz::mutate(data) {
        let _ = oagen_generator::generate(&text, &generator_fuzz::options());
    }
});
