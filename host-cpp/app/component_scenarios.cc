// The component scenarios: the world wasmhost:plugin@0.1.0 through typed
// calls, each checking what the host can observe (results, host state).
#include "component_scenarios.hh"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "call_export.hh"
#include "call_stats.hh"
#include "interrupt_guest.hh"
#include "run_modes.hh"
#include "scenario_steps.hh"
#include "wasmhost/runtime/log.hh"

namespace wasmhost::app {
namespace {

namespace wc = wasmtime::component;
using component::ComponentHost;
using component::Result;
using plugin::Checks;
using plugin::ParseError;
using plugin::Point;
using plugin::Shape;
using plugin::Summary;

// How a checked value is shown in a failed check's message.
template <typename T> std::string show(const T &value) {
  std::ostringstream out;
  out << value;
  return out.str();
}
std::string show(const std::string &text) { return "\"" + text + "\""; }
std::string show(const std::vector<std::string> &values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    out += (i == 0 ? "" : ", ") + show(values[i]);
  }
  return out + "]";
}
template <typename T> std::string show(const std::optional<T> &value) {
  return value ? "some(" + show(*value) + ")" : "none";
}
template <typename T, typename E> std::string show(const Result<T, E> &value) {
  return value.is_ok() ? "ok(" + show(value.ok()) + ")" : "err(" + show(value.err()) + ")";
}

template <typename T>
void expectEqual(const std::string &what, const T &actual, const T &expected) {
  if (!(actual == expected)) {
    throw ScenarioStop{Outcome::Failed,
                       what + ": expected " + show(expected) + ", got " + show(actual)};
  }
}

void scenarioAdd(ComponentContext &context) {
  context.narration << "[Host Main] Calling 'just-add(15, 27)'..." << std::endl;
  const uint64_t sum = context.plugin.just_add(15, 27);
  context.narration << "[Host Main] 'just-add' Result: " << sum << std::endl;
  expectEqual("just-add(15, 27)", sum, uint64_t{42});
  expectEqual("just-add(2^64-1, 2) (wrapping)",
              context.plugin.just_add(std::numeric_limits<uint64_t>::max(), 2), uint64_t{1});
}

void scenarioHostCalls(ComponentContext &context) {
  world::ComponentHostState &state = context.state;
  const int32_t input = 7;
  const int32_t before = state.shared_host_value;
  const uint64_t logged_before = state.logged_values.count();
  const uint64_t reads_before = state.values_read_by_guest.count();
  context.narration << "[Host Main] Host value before call: " << before << std::endl;
  context.narration << "[Host Main] Calling 'trigger-host-calls(" << input << ")'..." << std::endl;
  context.plugin.trigger_host_calls(input);
  context.narration << "[Host Main] Host value after call: " << state.shared_host_value
                    << std::endl;
  expectEqual("values logged by the guest", state.logged_values.since(logged_before),
              std::vector<int32_t>{input * 2});
  expectEqual("values the guest read", state.values_read_by_guest.since(reads_before),
              std::vector<int32_t>{before});
  expectEqual("host value after the call", state.shared_host_value, before + input + 5);
}

void scenarioPoint(ComponentContext &context) {
  const Point a{100, 200};
  const Point b{30, 70};
  context.narration << "[Host Main] Calling 'point-add(" << a << ", " << b
                    << ")' (records by value: no offsets, no packing)..." << std::endl;
  const Point sum = context.plugin.point_add(a, b);
  context.narration << "[Host Main] 'point-add' Result: " << sum << std::endl;
  expectEqual("point-add", sum, Point{130, 270});
  expectEqual(
      "point-add (wrapping)",
      context.plugin.point_add(Point{std::numeric_limits<int32_t>::max(), -1}, Point{1, -1}),
      Point{std::numeric_limits<int32_t>::min(), -2});
}

void scenarioPluginState(ComponentContext &context) {
  const int32_t before = context.plugin.get_plugin_value();
  context.narration << "[Host Main] Plugin value read through 'get-plugin-value': " << before
                    << std::endl;
  expectEqual("plugin value", before, context.plugin_value);
  const int32_t written = 12345;
  context.narration << "[Host Main] Setting it with 'set-plugin-value(" << written << ")'..."
                    << std::endl;
  context.plugin.set_plugin_value(written);
  context.plugin_value = written;
  expectEqual("plugin value after set-plugin-value", context.plugin.get_plugin_value(), written);
}

void scenarioVerify(ComponentContext &context) {
  const uint64_t mark = context.guest_output.written();
  context.narration << "[Host Main] Calling 'simple-add(5, 10)'..." << std::endl;
  std::cout.flush();
  const uint64_t sum = context.plugin.simple_add(5, 10);
  expectEqual("simple-add(5, 10)", sum, uint64_t{15});
  const std::string printed = context.guest_output.since(mark);
  const std::string expected =
      "Current plugin's internal shared value: " + std::to_string(context.plugin_value);
  // Followed by the end of the line (not "…: 123456").
  const auto at = printed.find(expected);
  const bool whole = at != std::string::npos &&
                     (at + expected.size() == printed.size() ||
                      !std::isdigit(static_cast<unsigned char>(printed[at + expected.size()])));
  if (!whole) {
    throw ScenarioStop{Outcome::Failed, "the guest did not print \"" + expected +
                                            "\" (it printed " + std::to_string(printed.size()) +
                                            " bytes)"};
  }
  context.narration << "[Host Main] The guest printed its plugin value " << context.plugin_value
                    << ", as set by the host." << std::endl;
}

void scenarioStrings(ComponentContext &context) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"Hello, Wasm!", "!MSAW ,OLLEH"},
      {"straße", "ESSARTS"},
      {"", ""},
      {"añb€c", "C€BÑA"},
  };
  for (const auto &[input, expected] : cases) {
    const std::string output = context.plugin.transform_string(input);
    context.narration << "[Host Main] 'transform-string(\"" << input << "\")' -> \"" << output
                      << "\"" << std::endl;
    expectEqual("transform-string(\"" + input + "\")", output, expected);
  }
  const std::string long_input(1024, 'a');
  context.narration << "[Host Main] 'transform-string' of 1024 'a's..." << std::endl;
  expectEqual("transform-string of 1 KiB", context.plugin.transform_string(long_input),
              std::string(1024, 'A'));
}

void scenarioLists(ComponentContext &context) {
  const std::vector<int32_t> values = {3, -7, 10, 0};
  const auto summary = context.plugin.summarize(values);
  context.narration << "[Host Main] 'summarize(" << values << ")' -> " << show(summary)
                    << std::endl;
  expectEqual("summarize([3, -7, 10, 0])", summary, std::optional<Summary>(Summary{-7, 10, 6, 4}));
  expectEqual("summarize([])", context.plugin.summarize({}), std::optional<Summary>());
  constexpr int32_t kMax = std::numeric_limits<int32_t>::max();
  expectEqual("summarize([2^31-1, 2^31-1]) (an s64 sum)", context.plugin.summarize({kMax, kMax}),
              std::optional<Summary>(Summary{kMax, kMax, int64_t{kMax} * 2, 2}));
}

void scenarioResults(ComponentContext &context) {
  using Parsed = Result<Point, ParseError>;
  const std::vector<std::pair<std::string, Parsed>> cases = {
      {"3, -4", Parsed::ok(Point{3, -4})},
      {" 12 ,7 ", Parsed::ok(Point{12, 7})},
      {"", Parsed::err(ParseError(std::in_place_index<0>))},
      {"1,2,3", Parsed::err(ParseError(std::in_place_index<2>, 3U))},
      {"x, 5", Parsed::err(ParseError(std::in_place_index<1>, "x"))},
      {"5, y ", Parsed::err(ParseError(std::in_place_index<1>, "y"))},
      {"99999999999,1", Parsed::err(ParseError(std::in_place_index<1>, "99999999999"))},
  };
  for (const auto &[input, expected] : cases) {
    const Parsed parsed = context.plugin.parse_point(input);
    context.narration << "[Host Main] 'parse-point(\"" << input << "\")' -> " << show(parsed)
                      << std::endl;
    expectEqual("parse-point(\"" + input + "\")", parsed, expected);
  }
}

void scenarioEnums(ComponentContext &context) {
  const std::vector<std::pair<Point, Shape>> cases = {
      {{0, 0}, Shape::dot}, {{0, 5}, Shape::line}, {{-3, 0}, Shape::line}, {{2, 3}, Shape::area}};
  for (const auto &[point, expected] : cases) {
    const Shape shape = context.plugin.classify(point);
    context.narration << "[Host Main] 'classify(" << point << ")' -> " << shape << std::endl;
    std::ostringstream what;
    what << "classify(" << point << ")";
    expectEqual(what.str(), shape, expected);
  }
}

void scenarioFlags(ComponentContext &context) {
  const std::vector<std::pair<int32_t, Checks>> cases = {
      {4, Checks::positive | Checks::even | Checks::small},
      {-3, Checks::small},
      {100, Checks::positive | Checks::even},
      {0, Checks::even | Checks::small},
      {-101, Checks::none},
      {99, Checks::positive | Checks::small},
  };
  for (const auto &[value, expected] : cases) {
    const Checks checks = context.plugin.check(value);
    context.narration << "[Host Main] 'check(" << value << ")' -> " << checks << std::endl;
    expectEqual("check(" + std::to_string(value) + ")", checks, expected);
  }
}

void scenarioGuestResource(ComponentContext &context) {
  const plugin::counters::Exports &counters = context.plugin.counters();
  context.narration << "[Host Main] Creating a guest counter at 10..." << std::endl;
  plugin::counters::Counter counter = counters.new_counter(10);
  expectEqual("increment(5)", counter.increment(5), int64_t{15});
  expectEqual("increment(-20)", counter.increment(-20), int64_t{-5});
  expectEqual("value()", counter.value(), int64_t{-5});
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  plugin::counters::Counter other = counters.new_counter(kMax);
  expectEqual("a second counter: increment(1) (wrapping)", other.increment(1),
              std::numeric_limits<int64_t>::min());
  expectEqual("the first counter is its own", counter.value(), int64_t{-5});
  other.resource().drop();
  counter.resource().drop();
  context.narration << "[Host Main] Counters dropped (the guest's destructors ran)." << std::endl;
}

void scenarioHostResource(ComponentContext &context) {
  const std::vector<std::string> lines = {"first", "second", "third"};
  const size_t journals_before = context.state.journals.size();
  context.narration << "[Host Main] Calling 'fill-journal(\"notes\", 3 lines)'..." << std::endl;
  const uint32_t length = context.plugin.fill_journal("notes", lines);
  expectEqual("fill-journal's len()", length, uint32_t{3});
  const auto &journals = context.state.journals;
  if (journals.size() != std::min(journals_before + 1, world::ComponentHostState::kKeptJournals) ||
      journals.back().title != "notes") {
    throw ScenarioStop{Outcome::Failed, "the guest did not create one journal titled \"notes\""};
  }
  expectEqual("the lines the host's journal received", journals.back().lines, lines);
  context.narration << "[Host Main] The host's journal \"notes\" holds " << lines.size()
                    << " lines." << std::endl;
}

using ComponentScenario = void (*)(ComponentContext &);

const std::vector<std::pair<std::string, ComponentScenario>> &componentTable() {
  static const std::vector<std::pair<std::string, ComponentScenario>> table = {
      {"add", scenarioAdd},
      {"host-calls", scenarioHostCalls},
      {"point", scenarioPoint},
      {"plugin-state", scenarioPluginState},
      {"verify", scenarioVerify},
      {"strings", scenarioStrings},
      {"lists", scenarioLists},
      {"results", scenarioResults},
      {"enums", scenarioEnums},
      {"flags", scenarioFlags},
      {"guest-resource", scenarioGuestResource},
      {"host-resource", scenarioHostResource},
  };
  return table;
}

} // namespace

const std::vector<std::string> &componentScenarioNames() {
  static const std::vector<std::string> names = namesOf(componentTable());
  return names;
}

bool isComponentScenarioName(std::string_view name) {
  return findScenario(componentTable(), name) != nullptr;
}

std::string GuestOutput::since(uint64_t mark) const {
  const uint64_t first_kept = written_ - kept_.size();
  const uint64_t from = std::max(mark, first_kept);
  return kept_.substr(static_cast<size_t>(from - first_kept));
}

int GuestOutput::overflow(int c) {
  if (c == traits_type::eof()) {
    return traits_type::not_eof(c);
  }
  const char byte = static_cast<char>(c);
  xsputn(&byte, 1);
  return c;
}

std::streamsize GuestOutput::xsputn(const char *data, std::streamsize size) {
  if (out_ != nullptr) {
    out_->write(data, size);
  }
  written_ += static_cast<uint64_t>(size);
  kept_.append(data, static_cast<size_t>(size));
  if (kept_.size() > kKept) {
    kept_.erase(0, kept_.size() - kKept);
  }
  return size;
}

ScenarioSummary runComponentScenarios(const std::vector<std::string> &names,
                                      ComponentContext &context, std::ostream &verdicts,
                                      std::ostream &errors) {
  const ScenarioRunner runner{[&context](std::string_view name) {
                                const auto scenario = findScenario(componentTable(), name);
                                if (scenario == nullptr) {
                                  return ScenarioResult{
                                      std::string(name), Outcome::LinkError,
                                      "'" + std::string(name) + "' is a core-module scenario; a " +
                                          "component has: " + joinNames(componentScenarioNames())};
                                }
                                return runGuarded(name, [&] { scenario(context); });
                              },
                              {},
                              context.narration};
  return runScenarioList(names.empty() ? componentScenarioNames() : names, runner, verdicts,
                         errors);
}

namespace {

/// Parses `text` as the WIT scalar or string `type`; throws
/// `std::invalid_argument` naming the argument.
wc::Val parseComponentArgument(const std::string &what, const wc::ValType &type,
                               const std::string &text) {
  const auto fail = [&](const std::string &why) -> wc::Val {
    throw std::invalid_argument(what + ": '" + text + "' " + why);
  };
  const auto parse_integer = [&](auto min, auto max) {
    using Wide = std::conditional_t<std::is_signed_v<decltype(min)>, int64_t, uint64_t>;
    Wide value{};
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || text.empty() ||
        value < static_cast<Wide>(min) || value > static_cast<Wide>(max)) {
      fail("is not a " + component::describe(type));
    }
    return static_cast<decltype(min)>(value);
  };
  switch (type.kind()) {
  case WASMTIME_COMPONENT_VALTYPE_BOOL:
    if (text == "true" || text == "false") {
      return wc::Val(text == "true");
    }
    return fail("is not a bool (true or false)");
  case WASMTIME_COMPONENT_VALTYPE_U8:
    return wc::Val(parse_integer(uint8_t{0}, std::numeric_limits<uint8_t>::max()));
  case WASMTIME_COMPONENT_VALTYPE_U16:
    return wc::Val(parse_integer(uint16_t{0}, std::numeric_limits<uint16_t>::max()));
  case WASMTIME_COMPONENT_VALTYPE_U32:
    return wc::Val(parse_integer(uint32_t{0}, std::numeric_limits<uint32_t>::max()));
  case WASMTIME_COMPONENT_VALTYPE_U64:
    return wc::Val(parse_integer(uint64_t{0}, std::numeric_limits<uint64_t>::max()));
  case WASMTIME_COMPONENT_VALTYPE_S8:
    return wc::Val(
        parse_integer(std::numeric_limits<int8_t>::min(), std::numeric_limits<int8_t>::max()));
  case WASMTIME_COMPONENT_VALTYPE_S16:
    return wc::Val(
        parse_integer(std::numeric_limits<int16_t>::min(), std::numeric_limits<int16_t>::max()));
  case WASMTIME_COMPONENT_VALTYPE_S32:
    return wc::Val(
        parse_integer(std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()));
  case WASMTIME_COMPONENT_VALTYPE_S64:
    return wc::Val(
        parse_integer(std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()));
  case WASMTIME_COMPONENT_VALTYPE_F32:
  case WASMTIME_COMPONENT_VALTYPE_F64: {
    errno = 0;
    char *end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE) {
      return fail("is not a " + component::describe(type));
    }
    return type.is_f32() ? wc::Val(static_cast<float>(value)) : wc::Val(value);
  }
  case WASMTIME_COMPONENT_VALTYPE_STRING:
    return wc::Val::string(text);
  default:
    return fail("cannot be given on the command line: the parameter is a " +
                component::describe(type) + " (only scalars and strings can)");
  }
}

std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
    }
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

/// A component value as WIT's value syntax writes it.
std::string formatValue(const wc::Val &val) {
  const auto capi = wc::Val::to_capi(&val);
  switch (capi->kind) {
  case WASMTIME_COMPONENT_BOOL:
    return val.get_bool() ? "true" : "false";
  case WASMTIME_COMPONENT_U8:
    return std::to_string(val.get_u8());
  case WASMTIME_COMPONENT_S8:
    return std::to_string(val.get_s8());
  case WASMTIME_COMPONENT_U16:
    return std::to_string(val.get_u16());
  case WASMTIME_COMPONENT_S16:
    return std::to_string(val.get_s16());
  case WASMTIME_COMPONENT_U32:
    return std::to_string(val.get_u32());
  case WASMTIME_COMPONENT_S32:
    return std::to_string(val.get_s32());
  case WASMTIME_COMPONENT_U64:
    return std::to_string(val.get_u64());
  case WASMTIME_COMPONENT_S64:
    return std::to_string(val.get_s64());
  case WASMTIME_COMPONENT_F32:
    return formatFloat(val.get_f32());
  case WASMTIME_COMPONENT_F64:
    return formatFloat(val.get_f64());
  case WASMTIME_COMPONENT_CHAR: {
    std::string text = "U+";
    char hex[16];
    std::snprintf(hex, sizeof hex, "%04X", capi->of.character);
    return text + hex;
  }
  case WASMTIME_COMPONENT_STRING:
    return quoted(val.get_string());
  case WASMTIME_COMPONENT_LIST:
  case WASMTIME_COMPONENT_TUPLE: {
    const bool list = capi->kind == WASMTIME_COMPONENT_LIST;
    std::string text = list ? "[" : "(";
    size_t index = 0;
    const auto add = [&](const wc::Val &element) {
      text += (index++ == 0 ? "" : ", ") + formatValue(element);
    };
    if (list) {
      std::for_each(val.get_list().begin(), val.get_list().end(), add);
    } else {
      std::for_each(val.get_tuple().begin(), val.get_tuple().end(), add);
    }
    return text + (list ? "]" : ")");
  }
  case WASMTIME_COMPONENT_RECORD: {
    std::string text = "{";
    size_t index = 0;
    for (const auto &field : val.get_record()) {
      text += (index++ == 0 ? "" : ", ") + std::string(field.name()) + ": " +
              formatValue(field.value());
    }
    return text + "}";
  }
  case WASMTIME_COMPONENT_VARIANT: {
    const auto &variant = val.get_variant();
    std::string text(variant.discriminant());
    return variant.value() ? text + "(" + formatValue(*variant.value()) + ")" : text;
  }
  case WASMTIME_COMPONENT_ENUM:
    return std::string(val.get_enum());
  case WASMTIME_COMPONENT_OPTION:
    return val.get_option().value() ? "some(" + formatValue(*val.get_option().value()) + ")"
                                    : "none";
  case WASMTIME_COMPONENT_RESULT: {
    const auto &result = val.get_result();
    const std::string side = result.is_ok() ? "ok" : "err";
    return result.payload() ? side + "(" + formatValue(*result.payload()) + ")" : side;
  }
  case WASMTIME_COMPONENT_FLAGS: {
    std::string text = "{";
    size_t index = 0;
    for (const auto &flag : val.get_flags()) {
      text += (index++ == 0 ? "" : ", ") + std::string(flag.name());
    }
    return text + "}";
  }
  default:
    return "resource";
  }
}

int reportComponentError(const std::string &message, int status) {
  std::cout.flush();
  std::cerr << "host: error: " << oneLine(message) << std::endl;
  return status;
}

int callComponentExport(const cli::Options &options, ComponentHost &host, std::ostream &narration) {
  // "interface#function" names a function of an exported interface.
  const std::string &spec = *options.call_export;
  const auto hash = spec.rfind('#');
  const std::string interface = hash == std::string::npos ? "" : spec.substr(0, hash);
  const std::string name = hash == std::string::npos ? spec : spec.substr(hash + 1);
  const wc::Func func = host.exportedFunc(interface, name);
  const wc::FuncType type = func.type(host.context());
  if (options.call_args.size() != type.param_count()) {
    return reportComponentError("'" + spec + "' takes " + std::to_string(type.param_count()) +
                                    " argument(s) (" + component::describe(type) + "), " +
                                    std::to_string(options.call_args.size()) + " given",
                                cli::kSetupError);
  }
  std::vector<wc::Val> args;
  try {
    for (size_t i = 0; i < type.param_count(); ++i) {
      const auto param = type.param_nth(i);
      args.push_back(parseComponentArgument("argument " + std::to_string(i + 1) + " (" +
                                                std::string(param->first) + ") of '" + spec + "'",
                                            param->second, options.call_args[i]));
    }
  } catch (const std::invalid_argument &error) {
    return reportComponentError(error.what(), cli::kSetupError);
  }
  std::vector<wc::Val> results;
  if (type.result()) {
    results.emplace_back(false);
  }
  narration << "[Host Main] Calling component function '" << spec << "'..." << std::endl;
  auto called = host.callDynamic(func, args, results, "'" + spec + "'");
  if (!called) {
    return reportComponentError(called.err().what(), cli::exitStatusFor(called.err().kind()));
  }
  if (!results.empty()) {
    std::cout << formatValue(results[0]) << std::endl;
  }
  return cli::kOk;
}

} // namespace

int runComponent(const cli::Options &options, std::ostream *narration, runtime::LogSink *log_sink) {
  for (const auto &[refused, why] :
       {std::pair{options.instances.has_value(), "--instances"},
        std::pair{options.dump_state, "--dump-state"},
        std::pair{options.keep_going, "--keep-going"},
        std::pair{options.profiler == Profiler::Guest, "--profile guest=FILE"}}) {
    if (refused) {
      return reportComponentError(std::string(why) +
                                      " applies to core modules, not to components "
                                      "('" +
                                      options.module_path + "' is one)",
                                  cli::kSetupError);
    }
  }
  for (const auto &name : options.scenarios) {
    if (!isComponentScenarioName(name)) {
      return reportComponentError("'" + name + "' is not a component scenario (scenarios of a " +
                                      "component: " + joinNames(componentScenarioNames()) + ")",
                                  cli::kSetupError);
    }
  }
  std::ostream discard(nullptr);
  std::ostream &main_narration = narration != nullptr ? *narration : discard;
  // With --log-file the guest's stdout (still seen by the scenarios) and
  // stderr go to the log, as a core module's do.
  std::optional<runtime::LogStream> guest_stdout_log;
  std::optional<runtime::LogStream> guest_stderr_log;
  if (log_sink != nullptr) {
    guest_stdout_log.emplace(*log_sink, runtime::LogLevel::Info, "guest.stdout");
    guest_stderr_log.emplace(*log_sink, runtime::LogLevel::Warn, "guest.stderr");
  }
  GuestOutput guest_output(guest_stdout_log ? &*guest_stdout_log
                           : options.quiet  ? nullptr
                                            : &std::cout);
  std::ostream guest_stream(&guest_output);
  WasmHostOptions host_options = hostOptionsFor(options, narration);
  host_options.guest_stdout_stream = &guest_stream;
  if (guest_stderr_log) {
    host_options.guest_stderr_stream = &*guest_stderr_log;
  }
  try {
    world::ComponentHostState state;
    state.narration = narration;
    ComponentHost host(options.module_path, host_options);
    main_narration << "[Host Setup] '" << options.module_path
                   << "' is a component: world wasmhost:plugin@0.1.0, WASIp2" << std::endl;
    plugin::host::add_to_linker(host, state);
    host.instantiate();
    main_narration << "[Host Setup] Component instantiated." << std::endl;
    host.recordCallStats(options.stats);
    // Ctrl-C cancels the guest call in flight, as for a core module.
    std::optional<GuestInterrupter> interrupter;
    try {
      interrupter.emplace(host.cancelHandle());
    } catch (const std::logic_error &) {
    }
    const auto printStats = [&](int status) {
      if (options.stats) {
        std::cout.flush();
        std::cerr << formatCallStats(host.lastCallStats()) << std::endl;
      }
      return status;
    };
    if (options.call_export) {
      return printStats(callComponentExport(options, host, main_narration));
    }
    const plugin::Plugin exports(host);
    ComponentContext context{host, exports, state, guest_output, main_narration};
    const ScenarioSummary summary =
        runComponentScenarios(options.scenarios, context, std::cout, std::cerr);
    return printStats(exitStatusOf(summary));
  } catch (const Error &error) {
    return reportComponentError(error.what(), cli::exitStatusFor(error.kind()));
  } catch (const std::exception &error) {
    return reportComponentError(error.what(), cli::kSetupError);
  }
}

} // namespace wasmhost::app
