// Proves that a WASMHOST_SANITIZE build is really instrumented: each mode
// commits one bug that the sanitizer must report (tests sanitize.canary-*).
#include <climits>
#include <cstdio>
#include <cstring>
#include <memory>

int main(int argc, char **argv) {
  if (argc == 2 && std::strcmp(argv[1], "address") == 0) {
    auto block = std::make_unique<int[]>(4);
    std::printf("%d\n", block[argc + 2]); // one past the end
  } else if (argc == 2 && std::strcmp(argv[1], "undefined") == 0) {
    const int big = INT_MAX - 1 + argc / 2;
    std::printf("%d\n", big + argc); // signed overflow
  } else {
    std::fprintf(stderr, "usage: sanitizer_canary address|undefined\n");
  }
  return 0;
}
