// The files the GoogleTest programs read: this build's guests, the test
// modules and the guest's sources, and the tests' module cache. Defined in
// test_paths.cc, which CMake writes into the build folder (from
// test_paths.cc.in); each is an absolute path without a trailing slash. They
// are not compile definitions, so that no test source's compile command names
// a folder of the build: another build folder or clone then compiles them
// from ccache instead of again.
#ifndef WASMHOST_CTEST_TEST_PATHS_HH
#define WASMHOST_CTEST_TEST_PATHS_HH

namespace test_paths {

extern const char *const kGuestWasm;                 // guest.wasm, the article's guest
extern const char *const kHostileWasm;               // guest-hostile.wasm (feature hostile)
extern const char *const kHostileDebugWasm;          // guest-hostile-debug.wasm (DWARF)
extern const char *const kGuestBenchWasm;            // guest-bench.wasm (feature bench)
extern const char *const kGuestNodebugWasm;          // guest-nodebug.wasm (no debug-json)
extern const char *const kGuestRuntimeWasm;          // guest-runtime.wasm (feature runtime)
extern const char *const kGuestComponentWasm;        // guest-component.wasm (a component)
extern const char *const kGuestComponentHostileWasm; // guest-component-hostile.wasm
extern const char *const kGuestEchoWasm;             // guest-echo.wasm (ctest/wit/echo.wit)
extern const char *const kTestModules;               // the folder ctest/modules
extern const char *const kGuestSrc;                  // the folder guest-rs/src
// The unit tests' module cache (test_options.hh): <build>/ctest/module-cache,
// and its key, <build>/ctest/module-cache-config/wasmhost/cache.key (the
// layout of $XDG_CONFIG_HOME, so that the CLI tests can share the entries by
// pointing XDG_CONFIG_HOME at module-cache-config). ModuleCache creates both
// folders, mode 700, when they are absent.
extern const char *const kModuleCacheDir;
extern const char *const kModuleCacheKeyFile;

} // namespace test_paths

#endif // WASMHOST_CTEST_TEST_PATHS_HH
