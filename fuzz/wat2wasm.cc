// wasmhost_wat2wasm IN.wat OUT.wasm: the fuzz seed corpus is binary wasm,
// the hostile test modules are WAT.
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include <wasmtime.hh>

int main(int argc, char **argv) {
  if (argc != 3) {
    std::cerr << "usage: wasmhost_wat2wasm IN.wat OUT.wasm\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  auto binary = wasmtime::wat2wasm(text);
  if (!in || !binary) {
    std::cerr << "wasmhost_wat2wasm: cannot convert " << argv[1]
              << (binary ? std::string() : ": " + binary.err().message()) << "\n";
    return 1;
  }
  std::ofstream out(argv[2], std::ios::binary);
  out.write(reinterpret_cast<const char *>(binary.ok().data()),
            static_cast<std::streamsize>(binary.ok().size()));
  return out ? 0 : 1;
}
