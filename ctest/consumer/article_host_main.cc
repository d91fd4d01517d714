// A host written the way the tutorial article writes its host.cpp: free host
// functions over a global `shared_host_value`, registered with
// `defineHostFunction` as plain function pointers, then the article's Tests
// 1-5 through `callFunction`, `callFunctionVoid`, `writeMemory`,
// `readMemory` and `getPluginDataOffset`, printing the article's lines.
//
// The consumer tests (ctest/consumer/) build it against wasmhost as another
// project would (find_package, add_subdirectory, FetchContent, pkg-config)
// and run it on guest.wasm. Usage: article_host <guest.wasm>. Exit status 0
// when every test got the article's result, 1 otherwise.
#include <cstdint>
#include <exception>
#include <iostream>
#include <string>
#include <tuple>

#include "wasmhost/wasm_host.hh"

using wasmhost::WasmHost;

#pragma pack(push, 1) // the layout of the guest's #[repr(C)] struct Point
struct Point {
  int32_t x;
  int32_t y;
};
#pragma pack(pop)

// Host state
int32_t shared_host_value = 42;

// C++ implementation functions
void host_log_value(int32_t value) {
  std::cout << "[Host Target] host_log_value called by WASM with value: " << value << std::endl;
}

int32_t host_get_shared_value() {
  std::cout << "[Host Target] host_get_shared_value called by WASM. Returning: "
            << shared_host_value << std::endl;
  return shared_host_value;
}

void host_set_shared_value(int32_t new_value) {
  std::cout << "[Host Target] host_set_shared_value called by WASM. Old host value: "
            << shared_host_value << ", New host value: " << new_value << std::endl;
  shared_host_value = new_value; // Modify host state
}

namespace {

int failures = 0;

template <typename T> void expect(const char *what, const T &got, const T &expected) {
  if (!(got == expected)) {
    std::cout << "[Host Main] FAILED: " << what << " is " << got << ", expected " << expected
              << std::endl;
    ++failures;
  }
}

template <typename R> bool succeeded(const char *export_name, const R &result) {
  if (!result) {
    std::cout << "[Host Main] FAILED: calling '" << export_name << "': " << result.err().message()
              << std::endl;
    ++failures;
    return false;
  }
  return true;
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " <guest.wasm>" << std::endl;
    return 2;
  }
  try {
    wasmhost::WasmHostOptions options;
    options.narration = &std::cout; // the article's host prints its steps
    WasmHost host(argv[1], options);

    host.defineHostFunction("env", "host_log_value", host_log_value);
    host.defineHostFunction("env", "host_get_shared_value", host_get_shared_value);
    host.defineHostFunction("env", "host_set_shared_value", host_set_shared_value);
    host.initialize();

    // Test 1: the host calls a guest function.
    std::cout << "\n--- Test 1: just_add ---" << std::endl;
    uint64_t arg1 = 15, arg2 = 27;
    auto args = std::make_tuple(arg1, arg2);
    std::cout << "[Host Main] Calling Wasm function 'just_add(" << arg1 << ", " << arg2 << ")'..."
              << std::endl;
    auto result_tuple =
        host.callFunction<std::tuple<uint64_t>, std::tuple<uint64_t, uint64_t>>("just_add", args);
    if (succeeded("just_add", result_tuple)) {
      uint64_t result_val = std::get<0>(result_tuple.ok());
      std::cout << "[Host Main] 'just_add' Result: " << result_val << std::endl;
      expect("just_add(15, 27)", result_val, uint64_t{42});
    }

    // Test 2: the guest calls host functions that change host state.
    std::cout << "\n--- Test 2: trigger_host_calls ---" << std::endl;
    int32_t trigger_arg = 7;
    int32_t host_value_before = shared_host_value; // Record state before call
    std::cout << "[Host Main] Calling Wasm function 'trigger_host_calls(" << trigger_arg << ")'..."
              << std::endl;
    auto trigger_result = host.callFunctionVoid<std::tuple<int32_t>>("trigger_host_calls",
                                                                     std::make_tuple(trigger_arg));
    if (succeeded("trigger_host_calls", trigger_result)) {
      std::cout << "[Host Main] Returned from 'trigger_host_calls'." << std::endl;
      std::cout << "[Host Main] Host value before: " << host_value_before
                << ", after: " << shared_host_value << std::endl;
      expect("the host value", shared_host_value, host_value_before + trigger_arg + 5);
    }

    // Test 3: structs through linear memory.
    std::cout << "\n--- Test 3: point_add ---" << std::endl;
    const size_t point_size = sizeof(Point);
    const int32_t offset_p1 = 2048; // Example offset
    const int32_t offset_p2 = offset_p1 + point_size;
    const int32_t offset_result = offset_p2 + point_size;
    Point host_p1 = {100, 200};
    Point host_p2 = {30, 70};
    std::cout << "[Host Main] Writing points to WASM memory..." << std::endl;
    host.writeMemory(offset_p1, host_p1);
    host.writeMemory(offset_p2, host_p2);
    std::cout << "[Host Main] Calling Wasm function 'point_add' with offsets..." << std::endl;
    auto point_add_args = std::make_tuple(offset_result, offset_p1, offset_p2);
    auto point_result =
        host.callFunctionVoid<std::tuple<int32_t, int32_t, int32_t>>("point_add", point_add_args);
    if (succeeded("point_add", point_result)) {
      std::cout << "[Host Main] Reading result struct from WASM memory..." << std::endl;
      Point result_point = host.readMemory<Point>(offset_result);
      std::cout << "[Host Main] 'point_add' Result read from memory: { x: " << result_point.x
                << ", y: " << result_point.y << " }" << std::endl;
      expect("point_add x", result_point.x, int32_t{130});
      expect("point_add y", result_point.y, int32_t{270});
    }

    // Test 4: the host reads and writes the guest's internal state.
    std::cout << "\n--- Test 4: plugin state ---" << std::endl;
    int32_t plugin_value_offset = -1;
    std::cout << "[Host Main] Calling Wasm 'get_plugin_shared_value_ptr'..." << std::endl;
    plugin_value_offset = host.getPluginDataOffset("get_plugin_shared_value_ptr");
    std::cout << "[Host Main] Received offset: " << plugin_value_offset << std::endl;
    if (plugin_value_offset > 0) { // Basic validity check
      int32_t value_from_plugin_before = host.readMemory<int32_t>(plugin_value_offset);
      std::cout << "[Host Main] Value read from plugin: " << value_from_plugin_before << std::endl;
      const int32_t new_value_for_plugin = 777;
      std::cout << "[Host Main] Writing new value (" << new_value_for_plugin
                << ") to plugin state..." << std::endl;
      host.writeMemory(plugin_value_offset, new_value_for_plugin);
      int32_t value_from_plugin_after = host.readMemory<int32_t>(plugin_value_offset);
      std::cout << "[Host Main] Value read after host write: " << value_from_plugin_after
                << std::endl;
      expect("the plugin value before the write", value_from_plugin_before, int32_t{100});
      expect("the plugin value after the write", value_from_plugin_after, new_value_for_plugin);

      // Test 5: the guest reads the state the host wrote (see its output).
      std::cout << "\n--- Test 5: simple_add verifies the plugin state ---" << std::endl;
      std::cout << "[Host Main] Calling Wasm 'simple_add' to verify internal state..." << std::endl;
      auto verify_args = std::make_tuple(1ULL, 1ULL);
      auto verify_result = host.callFunction<std::tuple<uint64_t>, std::tuple<uint64_t, uint64_t>>(
          "simple_add", verify_args);
      if (succeeded("simple_add", verify_result)) {
        std::cout << "[Host Main] Returned from 'simple_add'. Check WASM output above."
                  << std::endl;
        expect("simple_add(1, 1)", std::get<0>(verify_result.ok()), uint64_t{2});
      }
    } else {
      std::cout << "[Host Main] FAILED: no usable plugin offset" << std::endl;
      ++failures;
    }
  } catch (const std::exception &error) {
    std::cerr << "[Host Main] Error: " << error.what() << std::endl;
    return 1;
  }
  std::cout << "\n[Host Main] Article tests 1-5: " << (failures == 0 ? "all passed" : "FAILED")
            << " (" << failures << " failure(s))" << std::endl;
  return failures == 0 ? 0 : 1;
}
