#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = tracediag_fuzz::jaeger_json(data);
});
