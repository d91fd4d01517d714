// call.component.*, start.component.*: the world wasmhost:plugin@0.1.0
// (guest-component-bench.wasm) through the typed C++ layer and through
// Wasmtime's dynamically typed `component::Val` calls, and through the
// bindings wasmhost-wit-cpp generates from wit/plugin.wit.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "benches.hh"
#include "plugin_bindings.hh"

namespace wasmhost::bench {
namespace {

namespace wc = wasmtime::component;
using component::ComponentHost;
using plugin::Point;
using plugin::Summary;

/// What one round passes: a 1 KiB string and 1 000 values.
struct RoundInputs {
  std::string text = std::string(1024, 'a');
  std::vector<int32_t> values = [] {
    std::vector<int32_t> made(1000);
    for (size_t i = 0; i < made.size(); ++i) {
      made[i] = static_cast<int32_t>(i) - 500;
    }
    return made;
  }();
};

/// The host side of the world: no-ops (the timed exports never call them).
struct NoJournal : plugin::host::Journal {
  void append(std::string) override {}
  uint32_t len() override { return 0; }
};
struct NoHost : plugin::host::Host {
  void log_value(int32_t) override {}
  int32_t get_shared_value() override { return 42; }
  void set_shared_value(int32_t) override {}
  std::unique_ptr<plugin::host::Journal> new_journal(std::string) override {
    return std::make_unique<NoJournal>();
  }
};
NoHost no_host;

/// A host of the component without limits (the raw calls pay none).
std::unique_ptr<ComponentHost> quietHost(const std::string &path) {
  WasmHostOptions options;
  options.guest_stdout = false;
  options.timeout_ms = 0;
  return std::make_unique<ComponentHost>(path, options);
}

/// Defines the world's imports in `host`.
void defineImports(ComponentHost *host) { plugin::host::add_to_linker(*host, no_host); }

void expect(bool ok, const char *what) {
  if (!ok) {
    fail(what, "returned another value than expected");
  }
}

/// Rounds through the typed layer, each just-add, point-add,
/// transform-string on 1 KiB and summarize on 1 000 values: ns per round.
Candidate typedRounds(ComponentHost &host, const RoundInputs &inputs, const Sizes &sizes) {
  auto just_add = host.func<uint64_t(uint64_t, uint64_t)>("just-add");
  auto point_add = host.func<Point(Point, Point)>("point-add");
  auto transform = host.func<std::string(std::string)>("transform-string");
  auto summarize = host.func<std::optional<Summary>(std::vector<int32_t>)>("summarize");
  return {"call.component.typed_ns", [=, &inputs, &sizes] {
            uint64_t sum = 0;
            const auto start = Clock::now();
            for (int round = 0; round < sizes.component_rounds; ++round) {
              sum = just_add(sum, 1);
              const Point p = point_add({1, 2}, {3, 4});
              const std::string upper = transform(inputs.text);
              const auto summary = summarize(inputs.values);
              expect(p.x == 4 && upper.size() == 1024 && summary && summary->count == 1000,
                     "a typed round");
            }
            const double ns = nanosecondsPer(start, static_cast<uint64_t>(sizes.component_rounds));
            expect(sum == static_cast<uint64_t>(sizes.component_rounds), "just-add");
            return ns;
          }};
}

/// The same round through the generated bindings (`plugin.just_add(...)`).
Candidate generatedRounds(const plugin::Plugin &guest, const RoundInputs &inputs,
                          const Sizes &sizes) {
  return {"call.component.generated_ns", [&guest, &inputs, &sizes] {
            uint64_t sum = 0;
            const auto start = Clock::now();
            for (int round = 0; round < sizes.component_rounds; ++round) {
              sum = guest.just_add(sum, 1);
              const Point p = guest.point_add({1, 2}, {3, 4});
              const std::string upper = guest.transform_string(inputs.text);
              const auto summary = guest.summarize(inputs.values);
              expect(p.x == 4 && upper.size() == 1024 && summary && summary->count == 1000,
                     "a generated round");
            }
            const double ns = nanosecondsPer(start, static_cast<uint64_t>(sizes.component_rounds));
            expect(sum == static_cast<uint64_t>(sizes.component_rounds), "just_add");
            return ns;
          }};
}

/// The same round with `component::Val`s built from the same C++ values and
/// read back by hand: what a caller of the C API's dynamic call writes.
Candidate dynamicRounds(ComponentHost &host, const RoundInputs &inputs, const Sizes &sizes) {
  const wc::Func just_add = host.exportedFunc("", "just-add");
  const wc::Func point_add = host.exportedFunc("", "point-add");
  const wc::Func transform = host.exportedFunc("", "transform-string");
  const wc::Func summarize = host.exportedFunc("", "summarize");
  const auto point = [](int32_t x, int32_t y) {
    return wc::Val(wc::Record({{"x", wc::Val(x)}, {"y", wc::Val(y)}}));
  };
  return {"call.component.dynamic_ns", [=, &host, &inputs, &sizes] {
            uint64_t sum = 0;
            std::vector<wc::Val> result{wc::Val(false)};
            const auto call = [&](const wc::Func &func, std::vector<wc::Val> args) {
              if (auto called = host.callDynamic(func, args, result); !called) {
                fail("a dynamic call", called.err().what());
              }
            };
            const auto start = Clock::now();
            for (int round = 0; round < sizes.component_rounds; ++round) {
              call(just_add, {wc::Val(sum), wc::Val(uint64_t{1})});
              sum = result[0].get_u64();
              call(point_add, {point(1, 2), point(3, 4)});
              const int32_t x = result[0].get_record().begin()->value().get_s32();
              call(transform, {wc::Val::string(inputs.text)});
              const std::string upper(result[0].get_string());
              std::vector<wc::Val> values;
              values.reserve(inputs.values.size());
              for (int32_t value : inputs.values) {
                values.emplace_back(value);
              }
              call(summarize, {wc::Val(wc::List(std::move(values)))});
              const wc::Val *summary = result[0].get_option().value();
              uint32_t count = 0;
              if (summary != nullptr) {
                for (const auto &field : summary->get_record()) {
                  if (field.name() == "count") {
                    count = field.value().get_u32();
                  }
                }
              }
              expect(x == 4 && upper.size() == 1024 && count == 1000, "a dynamic round");
            }
            const double ns = nanosecondsPer(start, static_cast<uint64_t>(sizes.component_rounds));
            expect(sum == static_cast<uint64_t>(sizes.component_rounds), "just-add");
            return ns;
          }};
}

} // namespace

std::vector<Figure> measureComponent(const std::string &component, const Sizes &sizes) {
  const RoundInputs inputs;
  auto host = quietHost(component);
  defineImports(host.get());
  host->instantiate();
  const plugin::Plugin guest(*host);
  auto figures =
      measureInterleaved({typedRounds(*host, inputs, sizes), generatedRounds(guest, inputs, sizes),
                          dynamicRounds(*host, inputs, sizes)},
                         sizes.reps);
  // Instantiation alone: each host shares the first one's compiled component.
  figures.push_back(measure("start.component.instantiate_us", sizes.reps, [&] {
    double total_us = 0;
    for (int i = 0; i < sizes.instantiations; ++i) {
      auto fresh = ComponentHost::sharingComponentOf(*host);
      defineImports(&fresh);
      const auto start = Clock::now();
      fresh.instantiate();
      total_us += std::chrono::duration<double, std::micro>(Clock::now() - start).count();
    }
    return total_us / sizes.instantiations;
  }));
  return figures;
}

} // namespace wasmhost::bench
