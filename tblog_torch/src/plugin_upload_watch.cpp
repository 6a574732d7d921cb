// UploadWatch: a training job learns that its s3:// uploads fail while it runs, not at close().
#include <unistd.h>

#include <iostream>
#include <sstream>
#include <string>

#include "tblog/torch/plugins.hpp"

namespace tblog {
namespace {

using Clock = std::chrono::steady_clock;

std::string seconds_text(std::chrono::milliseconds duration) {
  std::ostringstream out;
  out.precision(duration < std::chrono::seconds(10) ? 2 : 0);
  out << std::fixed << static_cast<double>(duration.count()) / 1000 << " s";
  return out.str();
}

std::string segments_text(std::size_t segments) {
  return std::to_string(segments) + (segments == 1 ? " segment" : " segments");
}

}  // namespace

UploadWatch::UploadWatch(std::chrono::milliseconds warn_after)
    : UploadWatch(warn_after, std::cerr) {
  out_is_terminal_ = isatty(STDERR_FILENO) != 0;
}

UploadWatch::UploadWatch(std::chrono::milliseconds warn_after, std::ostream& out)
    : warn_after_(warn_after), out_(out) {}

void UploadWatch::on_batch_end(TrainState& state, const BatchResult&) {
  const auto now = Clock::now();
  if (!state.writer || now < next_check_) return;
  next_check_ = now + std::chrono::seconds(1);  // a lock per second: nothing next to a batch
  check(*state.writer);
}

void UploadWatch::on_epoch_end(TrainState& state) {
  if (state.writer) check(*state.writer);
}

void UploadWatch::on_train_end(TrainState& state) {
  if (state.writer) check(*state.writer);
}

void UploadWatch::start_line() {
  // A progress bar redraws one terminal line with "\r" and leaves the cursor at its end: a
  // message written there would run on after the bar. Erasing the line puts it at column 0 alone;
  // the bar draws itself again on the next line at its next update.
  if (out_is_terminal_) out_ << "\r\033[K";
}

void UploadWatch::check(const SummaryWriter& writer) {
  const UploadBacklog backlog = writer.upload_backlog();
  if (!warned_ && !backlog.last_error.empty() && backlog.failing_for >= warn_after_) {
    warned_ = true;
    start_line();
    // One line: a scheduler's log or a grep keeps it whole.
    out_ << "tblog: uploads to " << writer.logdir() << " have failed for "
         << seconds_text(backlog.failing_for) << "; " << segments_text(backlog.segments) << " ("
         << backlog.bytes
         << " bytes) wait in the spool and training goes on. Last failure: " << backlog.last_error
         << std::endl;
  } else if (warned_ && backlog.last_error.empty()) {
    warned_ = false;
    start_line();
    out_ << "tblog: uploads to " << writer.logdir() << " succeed again; ";
    if (backlog.segments == 0)
      out_ << "everything logged so far is uploaded" << std::endl;
    else
      out_ << segments_text(backlog.segments) << " still to upload" << std::endl;
  }
}

}  // namespace tblog
