#pragma once
// What every binding file shares: turning C++ exceptions into JS Errors, reading option
// objects, a staging buffer for bytes coming in, and typed arrays going out.

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace anime2vec::wasm {

using emscripten::val;

/// Throws a JS Error carrying `message`; never returns.
[[noreturn]] inline void throw_js_error(const std::string& message) {
  val::global("Error").new_(message).throw_();
}

/// Runs `body` and turns any C++ exception into a JS Error with what() as its message.
/// The JS throw happens after the catch block has ended, so the C++ exception is freed first
/// (a JS throw unwinds without running C++ destructors).
template <typename Body>
auto guarded(Body&& body) -> decltype(body()) {
  std::string message;
  try {
    return body();
  } catch (const std::exception& error) {
    message = error.what();
  } catch (...) {
    message = "unknown C++ exception";
  }
  throw_js_error(message);
}

// Keys go through val(const char*): Embind 3.1.6 turns a string literal passed straight to
// val::set or operator[] (deduced as a char array) into a garbage key.

/// obj[key], undefined when absent.
inline val field(const val& obj, const char* key) { return obj[val(key)]; }

/// obj[key] = value.
template <typename T>
void put(val& obj, const char* key, const T& value) {
  obj.set(val(key), val(value));
}

/// True when `options` is an object holding `key` with a value other than undefined or null.
inline bool has(const val& options, const char* key) {
  if (options.isUndefined() || options.isNull()) return false;
  const val value = field(options, key);
  return !value.isUndefined() && !value.isNull();
}

/// options[key] as T, or `fallback` when the key is absent.
template <typename T>
T get_or(const val& options, const char* key, T fallback) {
  return has(options, key) ? field(options, key).as<T>() : fallback;
}

/// Bytes arriving from JS: JS writes a chunk into view() and then passes its length to the
/// reader, which sees it as a string_view. One memcpy instead of Embind's byte-by-byte string.
class StagingBuffer {
 public:
  /// A Uint8Array over `size` bytes of wasm memory. Any later call that allocates may grow the
  /// memory and detach it: take a new view for every chunk.
  val view(std::size_t size) {
    if (bytes_.size() < size) bytes_.resize(size);
    return val(emscripten::typed_memory_view(size, bytes_.data()));
  }

  std::string_view first(std::size_t size) const {
    if (size > bytes_.size()) {
      throw std::invalid_argument("staged chunk of " + std::to_string(size) +
                                  " bytes exceeds the staging buffer of " +
                                  std::to_string(bytes_.size()));
    }
    return std::string_view(bytes_.data(), size);
  }

  void release() { std::vector<char>().swap(bytes_); }

 private:
  std::vector<char> bytes_;
};

/// A JS copy of a contiguous array: the typed array over wasm memory, then slice()d, so the
/// result survives memory growth and the C++ object's deletion.
template <typename T>
val copy_to_js(const T* data, std::size_t size) {
  return val(emscripten::typed_memory_view(size, data)).call<val>("slice");
}

template <typename T>
val copy_to_js(const std::vector<T>& values) {
  return copy_to_js(values.data(), values.size());
}

/// Strings joined by the ASCII unit separator, which real ids and titles do not hold, so that
/// JS makes one split() instead of thousands of small string conversions.
inline constexpr char kSeparator = '\x1f';

template <typename Strings>
std::string join(const Strings& strings) {
  std::string out;
  bool first = true;
  for (const auto& text : strings) {
    if (!first) out += kSeparator;
    out += text;
    first = false;
  }
  return out;
}

/// A JS array of numbers from a C++ array, for small arrays of mixed meaning.
template <typename T>
val to_js_array(const std::vector<T>& values) {
  val out = val::array();
  for (const auto& value : values) out.call<void>("push", value);
  return out;
}

/// A JS number array read element by element (small inputs such as a set of selected items).
template <typename T>
std::vector<T> from_js_array(const val& array) {
  std::vector<T> out;
  if (array.isUndefined() || array.isNull()) return out;
  const auto length = field(array, "length").as<std::size_t>();
  out.reserve(length);
  for (std::size_t i = 0; i < length; ++i) out.push_back(array[i].as<T>());
  return out;
}

}  // namespace anime2vec::wasm
