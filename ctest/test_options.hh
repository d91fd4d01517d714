// The options every unit test starts from: quiet (no narration, no guest
// stdout) and through the tests' module cache (test_paths::kModuleCacheDir,
// with its own key, test_paths::kModuleCacheKeyFile; never the user's).
//
// The contract: each guest is compiled once per build folder and engine
// configuration (fuel, epoch interruption, debug info...), not once per
// test process; every later host of it, in any test process, loads the
// checked entry instead (a Cranelift compile of a guest costs 100-150 ms, and
// gtest_discover_tests runs each test in a process of its own). Entries are
// written atomically, so tests running at once may share the folder. A test
// about compiling (compile errors and messages, the compile time limit,
// `ModuleLoadReport`, the narration of the compile, the module cache itself,
// a DWARF compile for gdb) must not use the cache: it starts from
// `uncached()`, or clears `module_cache_dir`, with a comment saying why. (A
// module that does not compile is never stored: a test that only needs a
// compile to fail, such as a failed reload, reaches the compiler either way.)
#ifndef WASMHOST_CTEST_TEST_OPTIONS_HH
#define WASMHOST_CTEST_TEST_OPTIONS_HH

#include "test_paths.hh"
#include "wasmhost/options.hh"

namespace test_options {

/// No narration, no guest stdout, the tests' module cache; everything else
/// at its default.
inline wasmhost::WasmHostOptions quiet() {
  wasmhost::WasmHostOptions options{nullptr, false};
  options.module_cache_dir = test_paths::kModuleCacheDir;
  options.module_cache_key_file = test_paths::kModuleCacheKeyFile;
  return options;
}

/// `quiet()` that compiles every time: for the tests about compiling.
inline wasmhost::WasmHostOptions uncached() {
  wasmhost::WasmHostOptions options = quiet();
  options.module_cache_dir.clear();
  options.module_cache_key_file.clear();
  return options;
}

} // namespace test_options

#endif // WASMHOST_CTEST_TEST_OPTIONS_HH
