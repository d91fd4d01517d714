// The article's five interaction patterns, in its order: each a scenario that
// narrates what the article's host prints and checks what it can observe.
#include <tuple>

#include "point.hh"
#include "scenario_steps.hh"

namespace wasmhost::app {

// Pattern one: the host calls a pure guest function.
void scenarioAdd(ScenarioContext &context) {
  const uint64_t arg1 = 15;
  const uint64_t arg2 = 27;
  context.narration << "[Host Main] Calling Wasm function 'just_add(" << arg1 << ", " << arg2
                    << ")'..." << std::endl;
  auto result_tuple = expectCall(
      context,
      context.instance.callFunction<std::tuple<uint64_t>, std::tuple<uint64_t, uint64_t>>(
          "just_add", std::make_tuple(arg1, arg2)),
      "just_add");
  const uint64_t result_val = std::get<0>(result_tuple);
  context.narration << "[Host Main] 'just_add' Result: " << result_val << std::endl;
  check("just_add(15, 27)", result_val, uint64_t{42});
}

// Pattern two: the guest calls host functions that change host state.
void scenarioHostCalls(ScenarioContext &context) {
  const int32_t trigger_arg = context.trigger_arg;
  HostState &state = context.state;
  const int32_t host_value_before = state.shared_host_value;
  const uint64_t logged_before = state.logged_values.count();
  const uint64_t reads_before = state.values_read_by_guest.count();
  context.narration << "[Host Main] Host value before call: " << host_value_before << std::endl;
  context.narration << "[Host Main] Calling Wasm function 'trigger_host_calls(" << trigger_arg
                    << ")'..." << std::endl;
  expectCall(context,
             context.instance.callFunctionVoid("trigger_host_calls", std::make_tuple(trigger_arg)),
             "trigger_host_calls");
  context.narration << "[Host Main] Returned from 'trigger_host_calls'." << std::endl;
  context.narration << "[Host Main] Host value after call: " << state.shared_host_value
                    << std::endl;
  // Each expected list is shorter than the records' window: an exact check.
  const std::vector<int32_t> logged = state.logged_values.since(logged_before);
  const std::vector<int32_t> read = state.values_read_by_guest.since(reads_before);
  check("values logged by the guest", logged, std::vector<int32_t>{trigger_arg * 2});
  check("values the guest read", read, std::vector<int32_t>{host_value_before});
  check("host value after the call", state.shared_host_value, host_value_before + trigger_arg + 5);
}

// Pattern three: structs passed through linear memory at fixed offsets.
void scenarioPoint(ScenarioContext &context) {
  const int32_t point_size = sizeof(Point);
  const int32_t offset_p1 = 2048;
  const int32_t offset_p2 = offset_p1 + point_size;
  const int32_t offset_result = offset_p2 + point_size;
  const Point host_p1{100, 200};
  const Point host_p2{30, 70};
  context.narration << "[Host Main] Writing points to WASM memory..." << std::endl;
  context.instance.writeMemory(offset_p1, host_p1);
  context.instance.writeMemory(offset_p2, host_p2);
  context.instance.writeMemory(offset_result, Point{0, 0});
  context.narration << "[Host Main] Calling Wasm function 'point_add' with offsets..." << std::endl;
  expectCall(context,
             context.instance.callFunctionVoid(
                 "point_add", std::make_tuple(offset_result, offset_p1, offset_p2)),
             "point_add");
  context.narration << "[Host Main] Reading result struct from WASM memory..." << std::endl;
  const auto result_point = context.instance.readMemory<Point>(offset_result);
  context.narration << "[Host Main] 'point_add' Result read from memory: " << result_point
                    << std::endl;
  check("point_add result", result_point, Point{130, 270});
}

// Pattern four: the host reads and writes the guest's internal state.
void scenarioPluginState(ScenarioContext &context) {
  // The article's getPluginDataOffset answers -1 for a missing export: check
  // the export first, so that a module without it is a link error, not a
  // failed check.
  auto exported =
      context.instance.getTypedExport<std::tuple<int32_t>>("get_plugin_shared_value_ptr");
  if (!exported) {
    throw ScenarioStop{Outcome::LinkError,
                       "'get_plugin_shared_value_ptr': " + exported.err().message()};
  }
  context.narration << "[Host Main] Calling Wasm 'get_plugin_shared_value_ptr'..." << std::endl;
  const int32_t plugin_value_offset =
      context.instance.getPluginDataOffset("get_plugin_shared_value_ptr");
  context.narration << "[Host Main] Received offset: " << plugin_value_offset << std::endl;
  if (plugin_value_offset <= 0) {
    throw ScenarioStop{Outcome::Failed, "'get_plugin_shared_value_ptr' gave no usable offset (" +
                                            std::to_string(plugin_value_offset) + ")"};
  }
  const auto value_from_plugin_before = context.instance.readMemory<int32_t>(plugin_value_offset);
  context.narration << "[Host Main] Value read from plugin: " << value_from_plugin_before
                    << std::endl;
  const int32_t new_value_for_plugin = 777;
  context.narration << "[Host Main] Writing new value (" << new_value_for_plugin
                    << ") to plugin state..." << std::endl;
  context.instance.writeMemory(plugin_value_offset, new_value_for_plugin);
  const auto value_from_plugin_after = context.instance.readMemory<int32_t>(plugin_value_offset);
  context.narration << "[Host Main] Value read after host write: " << value_from_plugin_after
                    << std::endl;
  context.plugin_value_offset = plugin_value_offset;
  context.plugin_value_written = new_value_for_plugin;
  check("plugin value before the write", value_from_plugin_before, int32_t{100});
  check("plugin value after the write", value_from_plugin_after, new_value_for_plugin);
}

// Pattern five: the guest reads the state the host wrote.
void scenarioVerify(ScenarioContext &context) {
  if (!context.plugin_value_offset) {
    context.narration << "[Host Main] 'plugin-state' has not run in this instance; running it "
                         "first to write the plugin value."
                      << std::endl;
    scenarioPluginState(context);
  }
  const int32_t value_in_memory =
      context.instance.readMemory<int32_t>(*context.plugin_value_offset);
  context.narration << "[Host Main] Calling Wasm 'simple_add' to verify internal state..."
                    << std::endl;
  auto result_tuple = expectCall(
      context,
      context.instance.callFunction<std::tuple<uint64_t>, std::tuple<uint64_t, uint64_t>>(
          "simple_add", std::make_tuple(uint64_t{1}, uint64_t{1})),
      "simple_add");
  context.narration << "[Host Main] Returned from 'simple_add'. Check WASM output above."
                    << std::endl;
  check("plugin value the guest read", value_in_memory, context.plugin_value_written);
  check("simple_add(1, 1)", std::get<0>(result_tuple), uint64_t{2});
}

} // namespace wasmhost::app
