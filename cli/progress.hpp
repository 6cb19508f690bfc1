#pragma once
// The training progress bar the CLI draws on stderr.

#include <chrono>
#include <cstdio>
#include <string>

#include "anime2vec/skipgram.hpp"

namespace anime2vec::cli {

/// Redraws one line in place on a terminal; elsewhere (a pipe, a CI log) prints a line at each
/// tenth of the work so logs stay short.
class ProgressBar {
 public:
  explicit ProgressBar(std::FILE* out);

  void update(const TrainProgress& progress);

  /// Ends the bar's line.
  void finish();

  /// Seconds since the bar was created.
  double elapsed() const;

 private:
  std::FILE* out_;
  bool terminal_;
  int last_tenth_ = -1;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace anime2vec::cli
