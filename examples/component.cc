// A component (world wasmhost:plugin@0.1.0, wit/plugin.wit) through typed
// calls: C++ structs for WIT records, host functions and a host resource
// defined from C++ callables, checked against the component's types.
#include <cstdint>
#include <iostream>
#include <string>
#include <vector>

#include "wasmhost/component/component_host.hh"

struct Point {
  int32_t x = 0;
  int32_t y = 0;
};
WASMHOST_WIT_RECORD(Point, x, y);

struct Journal {
  std::vector<std::string> lines;
};

int main(int argc, char **argv) {
  if (argc != 2) {
    std::cerr << "usage: example-component guest-component.wasm\n";
    return 2;
  }
  using wasmhost::component::ComponentHost;
  const char *host_interface = "wasmhost:plugin/host@0.1.0";
  try {
    wasmhost::WasmHostOptions options;
    options.guest_stdout = false;
    ComponentHost host(argv[1], options);

    int32_t shared = 42;
    host.defineFunction(host_interface, "log-value",
                        [](int32_t value) { std::cout << "guest logged " << value << "\n"; });
    host.defineFunction(host_interface, "get-shared-value", [&shared] { return shared; });
    host.defineFunction(host_interface, "set-shared-value",
                        [&shared](int32_t value) { shared = value; });
    host.defineResource<Journal>(host_interface, "journal")
        .constructor([](std::string /*title*/) { return Journal{}; })
        .method("append", [](Journal &journal, std::string line) { journal.lines.push_back(line); })
        .method("len",
                [](Journal &journal) { return static_cast<uint32_t>(journal.lines.size()); });
    host.instantiate(); // every definition checked against the component's imports first

    auto just_add = host.func<uint64_t(uint64_t, uint64_t)>("just-add");
    std::cout << "just-add(15, 27) = " << just_add(15, 27) << "\n";

    auto point_add = host.func<Point(Point, Point)>("point-add");
    const Point sum = point_add({100, 200}, {30, 70});
    std::cout << "point-add = {" << sum.x << ", " << sum.y << "}\n";

    host.func<void(int32_t)>("trigger-host-calls")(7);
    std::cout << "shared value = " << shared << "\n";

    auto fill = host.func<uint32_t(std::string, std::vector<std::string>)>("fill-journal");
    std::cout << "fill-journal = " << fill("notes", {"a", "b"}) << "\n";

    // A C++ type that is not the export's: an Error of kind Signature.
    host.func<std::string(uint64_t, uint64_t)>("just-add");
  } catch (const wasmhost::Error &error) {
    std::cout << kindName(error.kind()) << ": " << error.what() << "\n";
  }
  return 0;
}
