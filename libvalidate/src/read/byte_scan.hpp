// Internal: scans of text for a few special bytes, sixteen bytes at a time (SSE2) where it can,
// shared by the JSON and XML writers and the CSV parser.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace hoks::detail {

// True when s has no control character (below 0x20) and none of the bytes Specials: sixteen bytes
// at a time (SSE2; the last sixteen overlapping), else eight, else one.
template <char... Specials>
[[gnu::always_inline]] inline bool no_control_nor(std::string_view s) noexcept {
  const char* p = s.data();
  const std::size_t n = s.size();
#if defined(__SSE2__)
  if (n >= 16) {
    const __m128i controls = _mm_set1_epi8(0x1F);
    const auto hit = [&](std::size_t i) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      __m128i special = _mm_cmpeq_epi8(_mm_min_epu8(v, controls), v);
      ((special = _mm_or_si128(special, _mm_cmpeq_epi8(v, _mm_set1_epi8(Specials)))), ...);
      return _mm_movemask_epi8(special) != 0;
    };
    for (std::size_t i = 0; i + 16 <= n; i += 16)
      if (hit(i)) return false;
    return !hit(n - 16);
  }
#endif
  constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  const auto word_hit = [&](std::size_t i) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    const auto zero_byte = [](std::uint64_t x) { return (x - ones) & ~x & highs; };
    return ((zero_byte(w ^ (ones * static_cast<unsigned char>(Specials))) | ...) | ((w - ones * 0x20) & ~w & highs)) != 0;
  };
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 <= n; i += 8)
      if (word_hit(i)) return false;
    return !word_hit(n - 8);
  }
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(p[i]);
    if (c < 0x20 || ((c == static_cast<unsigned char>(Specials)) || ...)) return false;
  }
  return true;
}

// Finds the first of three bytes, sixteen bytes at a time (SSE2): a scanner made once and used for
// many short runs (CSV fields), so that its comparands are set up once.
class FirstOf3 {
 public:
  FirstOf3(char a, char b, char c) noexcept
      : a_(a), b_(b), c_(c)
#if defined(__SSE2__)
        , va_(_mm_set1_epi8(a)), vb_(_mm_set1_epi8(b)), vc_(_mm_set1_epi8(c))
#endif
  {
  }
  // The offset of the first of the bytes in p[0, n), n when there is none.
  std::size_t in(const char* p, std::size_t n) const noexcept {
    std::size_t i = 0;
#if defined(__SSE2__)
    for (; i + 16 <= n; i += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      const int mask = _mm_movemask_epi8(
          _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, va_), _mm_cmpeq_epi8(v, vb_)), _mm_cmpeq_epi8(v, vc_)));
      if (mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
    }
#endif
    for (; i < n; ++i)
      if (p[i] == a_ || p[i] == b_ || p[i] == c_) return i;
    return n;
  }

 private:
  char a_, b_, c_;
#if defined(__SSE2__)
  __m128i va_, vb_, vc_;
#endif
};

// How many bytes of s are a, b or c.
inline std::size_t count_of3(std::string_view s, char a, char b, char c) noexcept {
  const char* p = s.data();
  const std::size_t n = s.size();
  std::size_t count = 0, i = 0;
#if defined(__SSE2__)
  const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b), vc = _mm_set1_epi8(c), zero = _mm_setzero_si128();
  while (i + 16 <= n) {
    __m128i counts = zero;  // per byte lane, at most 255 blocks before it is summed
    for (std::size_t blocks = 0; blocks < 255 && i + 16 <= n; ++blocks, i += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      const __m128i hit =
          _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)), _mm_cmpeq_epi8(v, vc));
      counts = _mm_sub_epi8(counts, hit);  // a hit is -1
    }
    const __m128i sums = _mm_sad_epu8(counts, zero);
    count += static_cast<std::size_t>(_mm_cvtsi128_si32(sums)) + static_cast<std::size_t>(_mm_extract_epi16(sums, 4));
  }
#endif
  for (; i < n; ++i) count += p[i] == a || p[i] == b || p[i] == c;
  return count;
}

// The length of the run of ASCII bytes (below 0x80) at the start of p[0, n): sixteen bytes at a
// time (SSE2), else eight, else one.
inline std::size_t ascii_prefix(const char* p, std::size_t n) noexcept {
  std::size_t k = 0;
#if defined(__SSE2__)
  for (; k + 16 <= n; k += 16)
    if (const int high = _mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + k))); high != 0)
      return k + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(high)));
#endif
  for (; k + 8 <= n; k += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + k, 8);
    if (w & 0x8080808080808080ULL) break;
  }
  while (k < n && static_cast<unsigned char>(p[k]) < 0x80) ++k;
  return k;
}

// How many bytes of s are 0x80 or above.
inline std::size_t count_high(std::string_view s) noexcept {
  const char* p = s.data();
  const std::size_t n = s.size();
  std::size_t count = 0, i = 0;
#if defined(__SSE2__)
  const __m128i zero = _mm_setzero_si128();
  while (i + 16 <= n) {
    __m128i counts = zero;
    for (std::size_t blocks = 0; blocks < 255 && i + 16 <= n; ++blocks, i += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      counts = _mm_sub_epi8(counts, _mm_cmplt_epi8(v, zero));  // a byte 0x80 or above is negative
    }
    const __m128i sums = _mm_sad_epu8(counts, zero);
    count += static_cast<std::size_t>(_mm_cvtsi128_si32(sums)) + static_cast<std::size_t>(_mm_extract_epi16(sums, 4));
  }
#endif
  for (; i < n; ++i) count += static_cast<unsigned char>(p[i]) >> 7;
  return count;
}

}  // namespace hoks::detail
