// One piece of a plugin's work at a time on a worker thread, while the loop goes on: a plugin
// that draws its figures of one validation there (ClassifierDiagnostics, ConvVisualizations with
// `in_background`) hands the next one over only once the previous one is done, so that its
// values reach the writer in order and at most one validation's copies are held.
#pragma once

#include <functional>
#include <future>

namespace tblog::torch_detail {

class BackgroundWork {
 public:
  BackgroundWork() = default;
  // Waits for the work in flight: it may still use what its plugin owns.
  ~BackgroundWork() {
    try {
      wait();
    } catch (...) {  // destroyed while something else failed; that error is the one to say
    }
  }
  BackgroundWork(const BackgroundWork&) = delete;
  BackgroundWork& operator=(const BackgroundWork&) = delete;

  // Waits for the previous work (rethrowing what it threw), then starts `work`.
  void start(std::function<void()> work) {
    wait();
    in_flight_ = std::async(std::launch::async, std::move(work));
  }
  // Waits for the work in flight, if any, and rethrows what it threw.
  void wait() {
    if (in_flight_.valid()) in_flight_.get();
  }

 private:
  std::future<void> in_flight_;
};

}  // namespace tblog::torch_detail
