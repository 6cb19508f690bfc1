#include "progress.hpp"

#include <unistd.h>

namespace anime2vec::cli {

ProgressBar::ProgressBar(std::FILE* out)
    : out_(out), terminal_(isatty(fileno(out)) != 0), start_(std::chrono::steady_clock::now()) {}

double ProgressBar::elapsed() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void ProgressBar::update(const TrainProgress& p) {
  double fraction = p.fraction();
  int tenth = static_cast<int>(fraction * 10);
  if (!terminal_ && tenth == last_tenth_) return;
  last_tenth_ = tenth;

  double seconds = elapsed();
  double rate = seconds > 0 ? static_cast<double>(p.tokens_done) / seconds : 0.0;
  constexpr int kWidth = 30;
  int filled = static_cast<int>(fraction * kWidth);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(kWidth, '.');
  int epoch = p.epoch < p.epochs ? p.epoch + 1 : p.epochs;
  std::fprintf(out_, "%s[%s] %5.1f%%  epoch %d/%d  %.0f tokens/s  loss %.4f%s",
               terminal_ ? "\r" : "", bar.c_str(), fraction * 100.0, epoch, p.epochs, rate,
               p.loss, terminal_ ? "" : "\n");
  std::fflush(out_);
  drawn_ = true;
}

void ProgressBar::finish() {
  if (terminal_ && drawn_) std::fputc('\n', out_);
  drawn_ = false;
}

}  // namespace anime2vec::cli
