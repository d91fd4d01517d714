#include "scenarios.hh"

#include <algorithm>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "wasmhost/guest_buffer.hh"
#include "wasmhost/point.hh"

namespace wasmhost {
namespace {

/// Ends a scenario early with an outcome; caught by `runScenario`.
struct ScenarioStop {
  Outcome outcome;
  std::string detail;
};

/// Unwraps a call result, turning errors into the scenario's outcome.
template <typename T>
T expectCall(const ScenarioContext &context, wasmtime::TrapResult<T> result,
             std::string_view export_name) {
  if (!result) {
    if (std::holds_alternative<wasmtime::Trap>(result.err_ref().data)) {
      throw ScenarioStop{Outcome::Trapped, "'" + std::string(export_name) + "' trapped: " +
                                               context.host.describeTrap(result.err_ref())};
    }
    throw ScenarioStop{Outcome::LinkError,
                       "'" + std::string(export_name) + "': " + result.err().message()};
  }
  return result.ok();
}

std::ostream &operator<<(std::ostream &out, const std::vector<int32_t> &values) {
  out << "[";
  for (size_t i = 0; i < values.size(); ++i) {
    out << (i == 0 ? "" : ", ") << values[i];
  }
  return out << "]";
}

template <typename T> void check(std::string_view what, const T &actual, const T &expected) {
  if (!(actual == expected)) {
    std::ostringstream detail;
    detail << what << ": expected " << expected << ", got " << actual;
    throw ScenarioStop{Outcome::Failed, detail.str()};
  }
}

// Pattern one: the host calls a pure guest function.
void scenarioAdd(ScenarioContext &context) {
  const uint64_t arg1 = 15;
  const uint64_t arg2 = 27;
  context.narration << "[Host Main] Calling Wasm function 'just_add(" << arg1 << ", " << arg2
                    << ")'..." << std::endl;
  auto result_tuple =
      expectCall(context,
                 context.host.callFunction<std::tuple<uint64_t>, std::tuple<uint64_t, uint64_t>>(
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
  const size_t logged_before = state.logged_values.size();
  const size_t reads_before = state.values_read_by_guest.size();
  context.narration << "[Host Main] Host value before call: " << host_value_before << std::endl;
  context.narration << "[Host Main] Calling Wasm function 'trigger_host_calls(" << trigger_arg
                    << ")'..." << std::endl;
  expectCall(context,
             context.host.callFunctionVoid("trigger_host_calls", std::make_tuple(trigger_arg)),
             "trigger_host_calls");
  context.narration << "[Host Main] Returned from 'trigger_host_calls'." << std::endl;
  context.narration << "[Host Main] Host value after call: " << state.shared_host_value
                    << std::endl;
  const std::vector<int32_t> logged(state.logged_values.begin() + logged_before,
                                    state.logged_values.end());
  const std::vector<int32_t> read(state.values_read_by_guest.begin() + reads_before,
                                  state.values_read_by_guest.end());
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
  context.host.writeMemory(offset_p1, host_p1);
  context.host.writeMemory(offset_p2, host_p2);
  context.host.writeMemory(offset_result, Point{0, 0});
  context.narration << "[Host Main] Calling Wasm function 'point_add' with offsets..." << std::endl;
  expectCall(context,
             context.host.callFunctionVoid("point_add",
                                           std::make_tuple(offset_result, offset_p1, offset_p2)),
             "point_add");
  context.narration << "[Host Main] Reading result struct from WASM memory..." << std::endl;
  const auto result_point = context.host.readMemory<Point>(offset_result);
  context.narration << "[Host Main] 'point_add' Result read from memory: " << result_point
                    << std::endl;
  check("point_add result", result_point, Point{130, 270});
}

// Pattern four: the host reads and writes the guest's internal state.
void scenarioPluginState(ScenarioContext &context) {
  // The article's getPluginDataOffset answers -1 for a missing export: check
  // the export first, so that a module without it is a link error, not a
  // failed check.
  auto exported = context.host.getTypedFunction<std::tuple<>, std::tuple<int32_t>>(
      "get_plugin_shared_value_ptr");
  if (!exported) {
    throw ScenarioStop{Outcome::LinkError,
                       "'get_plugin_shared_value_ptr': " + exported.err().message()};
  }
  context.narration << "[Host Main] Calling Wasm 'get_plugin_shared_value_ptr'..." << std::endl;
  const int32_t plugin_value_offset =
      context.host.getPluginDataOffset("get_plugin_shared_value_ptr");
  context.narration << "[Host Main] Received offset: " << plugin_value_offset << std::endl;
  if (plugin_value_offset <= 0) {
    throw ScenarioStop{Outcome::Failed, "'get_plugin_shared_value_ptr' gave no usable offset (" +
                                            std::to_string(plugin_value_offset) + ")"};
  }
  const auto value_from_plugin_before = context.host.readMemory<int32_t>(plugin_value_offset);
  context.narration << "[Host Main] Value read from plugin: " << value_from_plugin_before
                    << std::endl;
  const int32_t new_value_for_plugin = 777;
  context.narration << "[Host Main] Writing new value (" << new_value_for_plugin
                    << ") to plugin state..." << std::endl;
  context.host.writeMemory(plugin_value_offset, new_value_for_plugin);
  const auto value_from_plugin_after = context.host.readMemory<int32_t>(plugin_value_offset);
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
  const int32_t value_in_memory = context.host.readMemory<int32_t>(*context.plugin_value_offset);
  context.narration << "[Host Main] Calling Wasm 'simple_add' to verify internal state..."
                    << std::endl;
  auto result_tuple =
      expectCall(context,
                 context.host.callFunction<std::tuple<uint64_t>, std::tuple<uint64_t, uint64_t>>(
                     "simple_add", std::make_tuple(uint64_t{1}, uint64_t{1})),
                 "simple_add");
  context.narration << "[Host Main] Returned from 'simple_add'. Check WASM output above."
                    << std::endl;
  check("plugin value the guest read", value_in_memory, context.plugin_value_written);
  check("simple_add(1, 1)", std::get<0>(result_tuple), uint64_t{2});
}

// Beyond the article: the point sum through memory the guest allocated for
// the host, instead of offsets the guest may be using.
void scenarioPointAlloc(ScenarioContext &context) {
  const Point host_p1{100, 200};
  const Point host_p2{30, 70};
  const uint32_t point_size = sizeof(Point);
  context.narration << "[Host Main] Allocating 3 Points (" << 3 * point_size
                    << " bytes, aligned to 4) in the guest with 'guest_alloc'..." << std::endl;
  auto points = GuestBuffer::allocate(context.host, 3 * point_size, alignof(int32_t));
  context.narration << "[Host Main] Guest buffer at offset " << points.offset() << ", "
                    << points.size() << " bytes" << std::endl;
  points.write(0, host_p1);
  points.write(point_size, host_p2);
  points.write(2 * point_size, Point{0, 0});
  context.narration
      << "[Host Main] Calling Wasm function 'point_add' with offsets into the buffer..."
      << std::endl;
  expectCall(context,
             context.host.callFunctionVoid(
                 "point_add", std::make_tuple(points.offsetOf(2 * point_size, point_size),
                                              points.offsetOf(0, point_size),
                                              points.offsetOf(point_size, point_size))),
             "point_add");
  const auto result_point = points.read<Point>(2 * point_size);
  context.narration << "[Host Main] 'point_add' Result read from the guest buffer: " << result_point
                    << std::endl;
  points.free();
  context.narration << "[Host Main] Gave the buffer back with 'guest_free'." << std::endl;
  check("point_add result", result_point, Point{130, 270});
}

// Beyond the article: a UTF-8 string to the guest and a transformed copy back
// as (offset, length), checked against memory bounds and as UTF-8.
void scenarioStrings(ScenarioContext &context) {
  const std::string input = "Grüße vom 🦀 an C++ ✓";
  const std::string expected = "✓ ++C NA 🦀 MOV ESSÜRG";
  context.narration << "[Host Main] Sending \"" << input << "\" (" << input.size()
                    << " bytes of UTF-8) to the guest..." << std::endl;
  auto text = GuestBuffer::copyOf(context.host, input);
  context.narration << "[Host Main] Copied into a guest buffer at offset " << text.offset()
                    << "; calling Wasm function 'transform_string'..." << std::endl;
  auto [packed] =
      expectCall(context,
                 context.host.callFunction<std::tuple<uint64_t>, std::tuple<uint32_t, uint32_t>>(
                     "transform_string", std::make_tuple(text.offset(), text.size())),
                 "transform_string");
  const auto slice = GuestSlice::unpack(packed);
  context.narration << "[Host Main] 'transform_string' returned offset " << slice.offset
                    << ", length " << slice.length << std::endl;
  const std::string output = takeGuestString(context.host, packed);
  text.free();
  context.narration << "[Host Main] Returned string (inside memory, valid UTF-8, freed): \""
                    << output << "\"" << std::endl;
  check("transform_string result", output, expected);
}

using ScenarioFunction = void (*)(ScenarioContext &);

const std::vector<std::pair<std::string, ScenarioFunction>> &scenarioTable() {
  static const std::vector<std::pair<std::string, ScenarioFunction>> table = {
      {"add", scenarioAdd},         {"host-calls", scenarioHostCalls},
      {"point", scenarioPoint},     {"plugin-state", scenarioPluginState},
      {"verify", scenarioVerify},   {"point-alloc", scenarioPointAlloc},
      {"strings", scenarioStrings},
  };
  return table;
}

} // namespace

const std::vector<std::string> &scenarioNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> result;
    for (const auto &[name, function] : scenarioTable()) {
      result.push_back(name);
    }
    return result;
  }();
  return names;
}

bool isScenarioName(std::string_view name) {
  const auto &names = scenarioNames();
  return std::find(names.begin(), names.end(), name) != names.end();
}

ScenarioResult runScenario(std::string_view name, ScenarioContext &context) {
  const auto &table = scenarioTable();
  auto entry = std::find_if(table.begin(), table.end(),
                            [&](const auto &item) { return item.first == name; });
  if (entry == table.end()) {
    throw std::invalid_argument("unknown scenario '" + std::string(name) + "'");
  }
  ScenarioResult result{std::string(name), Outcome::Passed, {}};
  try {
    entry->second(context);
  } catch (const ScenarioStop &stop) {
    result.outcome = stop.outcome;
    result.detail = stop.detail;
  } catch (const GuestTrap &trap) {
    result.outcome = Outcome::Trapped;
    result.detail = trap.what();
  } catch (const GuestLinkError &missing) {
    result.outcome = Outcome::LinkError;
    result.detail = missing.what();
  } catch (const GuestDataError &refused) {
    result.outcome = Outcome::Failed;
    result.detail = std::string("host refused the guest's data: ") + refused.what();
  } catch (const std::out_of_range &refused) {
    result.outcome = Outcome::Failed;
    result.detail = std::string("host refused the access: ") + refused.what();
  } catch (const std::logic_error &unavailable) {
    result.outcome = Outcome::Failed;
    result.detail = unavailable.what();
  }
  return result;
}

std::string oneLine(const std::string &message) {
  std::string line;
  bool pending_break = false;
  for (char c : message) {
    if (c == '\n' || c == '\r') {
      pending_break = !line.empty();
      continue;
    }
    if (pending_break) {
      if (c == ' ' || c == '\t') {
        continue;
      }
      line += " | ";
      pending_break = false;
    }
    line += c;
  }
  return line;
}

namespace {

const char *verdictText(Outcome outcome) {
  switch (outcome) {
  case Outcome::Passed:
    return "PASSED";
  case Outcome::Failed:
    return "FAILED";
  case Outcome::Trapped:
    return "TRAPPED";
  case Outcome::LinkError:
    return "LINK ERROR";
  }
  return "?";
}

/// With --keep-going: a fresh instance after a trap or a failed check.
/// Returns false, after reporting why on `errors`, when the module cannot be
/// instantiated again; `trapped` is set when that was a trap.
bool freshInstance(ScenarioContext &context, std::ostream &errors, bool &trapped) {
  try {
    context.host.reinstantiate();
    context.plugin_value_offset.reset();
    context.narration << "[Host Main] Carrying on with a fresh instance (--keep-going)."
                      << std::endl;
    return true;
  } catch (const GuestTrap &trap) {
    trapped = true;
    errors << "host: error: re-instantiation: " << oneLine(trap.what()) << std::endl;
  } catch (const std::exception &error) {
    errors << "host: error: re-instantiation: " << oneLine(error.what()) << std::endl;
  }
  return false;
}

} // namespace

ScenarioSummary runScenarioList(const std::vector<std::string> &names, ScenarioContext &context,
                                std::ostream &verdicts, std::ostream &errors, bool keep_going) {
  ScenarioSummary summary;
  const char *stop_reason = nullptr; // set when the remaining scenarios cannot run
  for (size_t index = 0; index < names.size(); ++index) {
    const std::string &name = names[index];
    if (stop_reason != nullptr) {
      ++summary.skipped;
      verdicts << "[Host Main] Scenario " << name << ": SKIPPED (" << stop_reason << ")"
               << std::endl;
      continue;
    }
    context.narration << "\n--- Scenario " << name << " ---" << std::endl;
    ScenarioResult result = runScenario(name, context);
    verdicts << "[Host Main] Scenario " << name << ": " << verdictText(result.outcome);
    if (!result.detail.empty()) {
      verdicts << " (" << oneLine(result.detail) << ")";
    }
    verdicts << std::endl;
    if (result.outcome == Outcome::Passed) {
      ++summary.passed;
      continue;
    }
    ++summary.failed;
    errors << "host: " << name << ": " << oneLine(result.detail) << std::endl;
    const bool trapped = result.outcome == Outcome::Trapped;
    summary.any_trap = summary.any_trap || trapped;
    summary.any_link_error = summary.any_link_error || result.outcome == Outcome::LinkError;
    const bool more = index + 1 < names.size();
    if (keep_going && more && result.outcome != Outcome::LinkError) {
      if (!freshInstance(context, errors, summary.any_trap)) {
        summary.any_link_error = true;
        stop_reason = "the module could not be instantiated again";
      }
    } else if (trapped) {
      stop_reason = "the guest trapped earlier";
    }
  }
  verdicts << summary.passed << " passed, " << summary.failed << " failed";
  if (summary.skipped > 0) {
    verdicts << ", " << summary.skipped << " skipped";
  }
  verdicts << std::endl;
  return summary;
}

} // namespace wasmhost
