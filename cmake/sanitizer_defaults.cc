// Default sanitizer options of a WASMHOST_SANITIZE build (see
// Sanitizers.cmake): Wasmtime needs ASan to allow its own SIGSEGV handler.
// The runtime calls these before main; ASAN_OPTIONS/UBSAN_OPTIONS override.
extern "C" {
const char *__asan_default_options() { return WASMHOST_ASAN_OPTIONS; }
const char *__ubsan_default_options() { return WASMHOST_UBSAN_OPTIONS; }
}
