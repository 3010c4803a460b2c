// Wall-clock and CPU time for the benchmarks: on a shared machine the wall
// figure includes waiting for a core, the CPU figure does not.
#pragma once

#include <sys/resource.h>

#include <chrono>

namespace strata::bench {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// This process's user + system CPU time so far.
inline double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& time) {
    return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

struct Stopwatch {
  Clock::time_point wall_start = Clock::now();
  double cpu_start = cpu_seconds();
};

}  // namespace strata::bench
