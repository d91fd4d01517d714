// What each guest built from guest-rs/ imports and exports, read from the
// compiled module (`wasmtime::Module::imports`/`exports`). The article's
// guest.wasm imports exactly the article's three `env` functions plus WASI,
// so that a host written from the article's snippets can load it; the bench
// and hostile exports (and the bench's extra import) live in guests of their
// own.
#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <gtest/gtest.h>
#include <wasmtime.hh>

#include "test_paths.hh"

namespace {

using Names = std::vector<std::string>;

/// `(i32, i64) -> (i32)`, as the article's C++ types would spell them.
std::string describe(const wasmtime::FuncType::Ref &type) {
  std::ostringstream text;
  auto list = [&text](const wasmtime::ValType::ListRef &types) {
    text << "(";
    const char *separator = "";
    for (const auto &type : types) {
      text << separator << wasmtime::ValType(type);
      separator = ", ";
    }
    text << ")";
  };
  list(type.params());
  text << " -> ";
  list(type.results());
  return text.str();
}

struct ModuleInterface {
  /// `env::name: (params) -> (results)`, in the module's order.
  Names env_imports;
  /// Every import from another module: `module::name`, plus `: not a
  /// function` when it is not one.
  Names other_imports;
  Names exports;
};

ModuleInterface interfaceOf(const char *path) {
  std::ifstream file(path, std::ios::binary);
  EXPECT_TRUE(file) << "cannot open " << path;
  std::vector<uint8_t> wasm{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
  wasmtime::Engine engine;
  auto module = wasmtime::Module::compile(engine, wasm);
  EXPECT_TRUE(module) << path << ": " << module.err().message();
  ModuleInterface interface;
  if (!module) {
    return interface;
  }
  for (const auto &import : module.ok_ref().imports()) {
    const auto type = wasmtime::ExternType::from_import(import);
    std::string line = std::string(import.module()) + "::" + std::string(import.name());
    const auto *func = std::get_if<wasmtime::FuncType::Ref>(&type);
    if (import.module() == "env") {
      interface.env_imports.push_back(line + ": " + (func ? describe(*func) : "not a function"));
    } else {
      interface.other_imports.push_back(func ? line : line + ": not a function");
    }
  }
  for (const auto &item : module.ok_ref().exports()) {
    interface.exports.emplace_back(item.name());
  }
  return interface;
}

Names sorted(Names names) {
  std::sort(names.begin(), names.end());
  return names;
}

/// Imports from a module other than `env` that are not WASI functions.
Names notWasiFunctions(const Names &imports) {
  Names odd;
  std::copy_if(imports.begin(), imports.end(), std::back_inserter(odd), [](const auto &line) {
    constexpr std::string_view wasi = "wasi_snapshot_preview1::";
    return line.rfind(wasi, 0) != 0 || line.find(": not a function") != std::string::npos;
  });
  return odd;
}

Names exportsStartingWith(const Names &exports, std::string_view prefix) {
  Names found;
  std::copy_if(exports.begin(), exports.end(), std::back_inserter(found),
               [prefix](const auto &name) { return name.rfind(prefix, 0) == 0; });
  return sorted(found);
}

/// The article's three imports (its `src/ffi.rs`), with their signatures.
const Names kArticleImports = {
    "env::host_get_shared_value: () -> (i32)",
    "env::host_log_value: (i32) -> ()",
    "env::host_set_shared_value: (i32) -> ()",
};

TEST(GuestImports, TheArticlesGuestImportsOnlyTheArticlesThreeEnvFunctionsAndWasi) {
  const auto guest = interfaceOf(test_paths::kGuestWasm);
  EXPECT_EQ(sorted(guest.env_imports), kArticleImports);
  EXPECT_EQ(notWasiFunctions(guest.other_imports), Names{});
  // println! goes through WASI: the guest does import some of it.
  EXPECT_NE(std::find(guest.other_imports.begin(), guest.other_imports.end(),
                      "wasi_snapshot_preview1::fd_write"),
            guest.other_imports.end());
}

TEST(GuestImports, TheArticlesGuestHasNoBenchOrHostileExports) {
  const auto guest = interfaceOf(test_paths::kGuestWasm);
  EXPECT_EQ(exportsStartingWith(guest.exports, "bench_"), Names{});
  EXPECT_EQ(exportsStartingWith(guest.exports, "hostile_"), Names{});
  for (const char *name :
       {"just_add", "trigger_host_calls", "point_add", "simple_add", "get_plugin_shared_value_ptr",
        "guest_alloc", "guest_free", "transform_string", "guest_debug_state", "memory"}) {
    EXPECT_NE(std::find(guest.exports.begin(), guest.exports.end(), name), guest.exports.end())
        << name;
  }
}

TEST(GuestImports, TheBenchGuestAddsOnlyTheEchoImportAndTheBenchExports) {
  const auto bench = interfaceOf(test_paths::kGuestBenchWasm);
  Names expected = kArticleImports;
  expected.push_back("env::host_bench_echo: (i32) -> (i32)");
  EXPECT_EQ(sorted(bench.env_imports), sorted(expected));
  EXPECT_EQ(notWasiFunctions(bench.other_imports), Names{});
  EXPECT_EQ(exportsStartingWith(bench.exports, "bench_"),
            (Names{"bench_add", "bench_call_host", "bench_compute", "bench_kernel_collatz",
                   "bench_kernel_hash", "bench_kernel_matmul", "bench_kernel_nbody",
                   "bench_kernel_parse", "bench_kernel_search", "bench_kernel_sort"}));
  EXPECT_EQ(exportsStartingWith(bench.exports, "hostile_"), Names{});
}

TEST(GuestImports, TheRuntimeGuestAddsOnlyTheWasmhostImportsAndTheRuntimeExports) {
  const auto runtime = interfaceOf(test_paths::kGuestRuntimeWasm);
  EXPECT_EQ(sorted(runtime.env_imports), kArticleImports);
  EXPECT_EQ(sorted(notWasiFunctions(runtime.other_imports)),
            (Names{"wasmhost::config_get", "wasmhost::log"}));
  EXPECT_EQ(exportsStartingWith(runtime.exports, "runtime_"),
            (Names{"runtime_args", "runtime_args_count", "runtime_config_get",
                   "runtime_config_get_raw", "runtime_env", "runtime_log", "runtime_log_flood",
                   "runtime_print", "runtime_read_file", "runtime_write_file"}));
  // guest.wasm has none of them (its imports: the test above).
  const auto guest = interfaceOf(test_paths::kGuestWasm);
  EXPECT_EQ(exportsStartingWith(guest.exports, "runtime_"), Names{});
}

TEST(GuestImports, TheOtherGuestsImportOnlyTheArticlesThreeEnvFunctionsAndWasi) {
  for (const char *path : {test_paths::kGuestNodebugWasm, test_paths::kHostileWasm}) {
    const auto guest = interfaceOf(path);
    EXPECT_EQ(sorted(guest.env_imports), kArticleImports) << path;
    EXPECT_EQ(notWasiFunctions(guest.other_imports), Names{}) << path;
    EXPECT_EQ(exportsStartingWith(guest.exports, "bench_"), Names{}) << path;
  }
}

} // namespace
