// A stream that discards what it is given: the narration when there is none.
// Private to the library.
#ifndef WASMHOST_SRC_NULL_STREAM_HH
#define WASMHOST_SRC_NULL_STREAM_HH

#include <ostream>
#include <streambuf>

namespace wasmhost::detail {

class NullBuffer : public std::streambuf {
protected:
  int overflow(int c) override { return traits_type::not_eof(c); }
  std::streamsize xsputn(const char *, std::streamsize n) override { return n; }
};

/// One per thread: instances of one plugin run on several threads.
inline std::ostream &nullStream() {
  thread_local NullBuffer buffer;
  thread_local std::ostream stream(&buffer);
  return stream;
}

} // namespace wasmhost::detail

#endif // WASMHOST_SRC_NULL_STREAM_HH
